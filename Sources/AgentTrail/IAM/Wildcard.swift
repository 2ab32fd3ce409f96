/// IAM-style wildcard matching: `*` matches any run of characters (including `/` and `:`),
/// `?` matches exactly one character; everything else is literal.
public enum Wildcard {
    /// True when `text` matches `pattern`. With `caseInsensitive`, ASCII letters compare without case
    /// (IAM action names); ARNs are compared case-sensitively.
    public static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> Bool {
        var p = Array(pattern.utf8)
        var t = Array(text.utf8)
        if caseInsensitive {
            p = p.map(lower)
            t = t.map(lower)
        }
        return matchBytes(p, t)
    }

    /// True when the pattern contains `*` or `?`.
    public static func hasWildcard(_ pattern: some StringProtocol) -> Bool {
        pattern.utf8.contains(where: { $0 == 0x2A || $0 == 0x3F })
    }

    /// The literal text before the first wildcard.
    public static func literalPrefix(_ pattern: String) -> Substring {
        if let i = pattern.firstIndex(where: { $0 == "*" || $0 == "?" }) { return pattern[..<i] }
        return Substring(pattern)
    }

    /// Greedy matcher with single-star backtracking (linear in practice).
    static func matchBytes(_ p: [UInt8], _ t: [UInt8]) -> Bool {
        var pi = 0, ti = 0
        var starP = -1, starT = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == 0x3F || p[pi] == t[ti]) && p[pi] != 0x2A {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == 0x2A {
                starP = pi; starT = ti; pi += 1
            } else if starP >= 0 {
                pi = starP + 1; starT += 1; ti = starT
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == 0x2A { pi += 1 }
        return pi == p.count
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { (b >= 65 && b <= 90) ? b + 32 : b }
}

/// A wildcard pattern, the one matcher of AgentTrail (IAM actions and ARNs in policies, principal patterns in the
/// config, `events` filters): `*` matches any run of characters (including `/` and `:`), `?` exactly one;
/// everything else matches itself (IAM: "IAM JSON policy elements: Action", "... Resource"). A pattern without
/// wildcards is an exact comparison. Case-insensitive matching folds ASCII letters only (IAM action names);
/// ARNs compare case-sensitively.
public struct Glob: Hashable, Sendable, CustomStringConvertible {
    /// The pattern as given.
    public let pattern: String
    /// Compare ASCII letters without regard to case.
    public let caseInsensitive: Bool
    private let bytes: [UInt8]
    /// True when the pattern has `*` or `?`.
    public let hasWildcards: Bool

    public init(_ pattern: String, caseInsensitive: Bool = false) {
        self.pattern = pattern
        self.caseInsensitive = caseInsensitive
        let utf8 = Array(pattern.utf8)
        self.bytes = caseInsensitive ? utf8.map(Glob.lower) : utf8
        self.hasWildcards = utf8.contains(Glob.star) || utf8.contains(Glob.question)
    }

    public var description: String { pattern }

    /// `Glob.matches(pattern, "*")` without building a matcher: true when the pattern matches the one-character text
    /// `*` (a resource of `*`), i.e. it is made of `*` wildcards and at most one `?` (or a literal `*`).
    public static func matchesAsterisk(_ pattern: String) -> Bool {
        if pattern.isEmpty { return false }
        var others = 0
        for b in pattern.utf8 where b != star {
            if b != question { return false }
            others += 1
        }
        return others <= 1
    }

    /// True when the whole of `text` matches the pattern.
    public func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { matches(UnsafeRawBufferPointer($0)) }
    }

    /// True when the whole of `text` (UTF-8 bytes) matches the pattern. `?` matches one byte of a multi-byte
    /// character only when the rest also matches, so it behaves as "one character" for ASCII text.
    public func matches(_ text: UnsafeRawBufferPointer) -> Bool {
        let p = bytes
        var pi = 0, ti = 0
        var starP = -1, starT = 0
        let n = text.count
        while ti < n {
            let c = caseInsensitive ? Glob.lower(text[ti]) : text[ti]
            if pi < p.count && p[pi] == Glob.star {
                starP = pi
                starT = ti
                pi += 1
            } else if pi < p.count && (p[pi] == Glob.question || p[pi] == c) {
                pi += 1
                ti += 1
            } else if starP >= 0 {
                pi = starP + 1
                starT += 1
                ti = starT
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == Glob.star { pi += 1 }
        return pi == p.count
    }

    /// The literal runs between wildcards, in order (`*agent-?role*` → `["agent-", "role"]`).
    public var literalPieces: [String] {
        pattern.split(whereSeparator: { $0 == "*" || $0 == "?" }).map(String.init)
    }

    // MARK: - One-off matching (no pattern value kept)

    /// True when the whole of `text` matches `pattern`.
    public static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> Bool {
        Glob(pattern, caseInsensitive: caseInsensitive).matches(text)
    }

    /// True when the pattern contains `*` or `?`.
    public static func hasWildcard(_ pattern: some StringProtocol) -> Bool {
        pattern.utf8.contains(where: { $0 == star || $0 == question })
    }

    static let star = UInt8(ascii: "*")
    static let question = UInt8(ascii: "?")

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }
}

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
        bytes.withUnsafeBytes { Glob.matches(pattern: $0, text: text, caseInsensitive: caseInsensitive) }
    }

    /// True when the whole of `text` matches the UTF-8 `pattern`; with `caseInsensitive`, ASCII letters of both are
    /// folded as they are compared (the one matching loop: `Glob` values and one-off matches both use it).
    @inline(__always)
    static func matches(pattern p: UnsafeRawBufferPointer, text: UnsafeRawBufferPointer, caseInsensitive: Bool) -> Bool {
        var pi = 0, ti = 0
        var starP = -1, starT = 0
        let n = text.count, m = p.count
        while ti < n {
            let c = caseInsensitive ? Glob.lower(text[ti]) : text[ti]
            let pc = pi < m ? (caseInsensitive ? Glob.lower(p[pi]) : p[pi]) : 0
            if pi < m && pc == Glob.star {
                starP = pi
                starT = ti
                pi += 1
            } else if pi < m && (pc == Glob.question || pc == c) {
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
        while pi < m && p[pi] == Glob.star { pi += 1 }
        return pi == m
    }

    /// The literal runs between wildcards, in order (`*agent-?role*` → `["agent-", "role"]`).
    public var literalPieces: [String] {
        pattern.split(whereSeparator: { $0 == "*" || $0 == "?" }).map(String.init)
    }

    // MARK: - One-off matching (no pattern value kept)

    /// True when the whole of `text` matches `pattern`.
    public static func matches(_ pattern: String, _ text: String, caseInsensitive: Bool = false) -> Bool {
        // (On both strings' bytes in place: a `Glob` made per call copied and folded the pattern into an array, and
        // `Evaluator` and action matching call this per record and statement.)
        StringBytes.withUTF8(pattern) { p in
            StringBytes.withUTF8(text) { t in Glob.matches(pattern: p, text: t, caseInsensitive: caseInsensitive) }
        }
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

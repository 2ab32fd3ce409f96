import Testing
@testable import AgentTrail

@Suite struct QueryGlobTests {
    @Test(arguments: [
        ("AgentRole", "AgentRole", false, true),
        ("AgentRole", "agentrole", false, false),
        ("AgentRole", "agentrole", true, true),
        ("Agent*", "AgentRole", false, true),
        ("*Role", "AgentRole", false, true),
        ("*gent?ol*", "AgentRole", false, true),
        ("a*b*c", "aXXbYYc", false, true),
        ("a*b*c", "aXXbYY", false, false),
        ("*", "", false, true),
        ("?", "", false, false),
        ("arn:aws:iam::*:role/*", "arn:aws:iam::1:role/path/x", false, true),
        ("bedrock:Invoke*", "BEDROCK:InvokeModel", true, true),
        ("", "", false, true),
        ("", "x", false, false),
    ])
    func glob(_ c: (String, String, Bool, Bool)) {
        #expect(Glob(c.0, caseInsensitive: c.2).matches(c.1) == c.3, "\(c.0) vs \(c.1)")
    }

    @Test func literalPiecesAndStablePieces() {
        #expect(Glob("*agent-?role*").literalPieces == ["agent-", "role"])
        #expect(ByteSearch.longestStablePiece(of: "arn:aws:iam::1:role/LongName*") == "arn:aws:iam::1:role")
        #expect(ByteSearch.longestStablePiece(of: "ab") == nil)
        #expect(!ByteSearch.isJSONStable("a/b"))
        #expect(!ByteSearch.isJSONStable("café"))
        #expect(ByteSearch.isJSONStable("AKIA1234:x-y.z"))
    }

    @Test(arguments: [("abcdef", "cde", true), ("abcdef", "cdf", false), ("ab", "abc", false), ("", "", true), ("aab", "ab", true)])
    func byteSearch(_ c: (String, String, Bool)) {
        #expect(ByteSearch.contains(Array(c.0.utf8), Array(c.1.utf8)) == c.2)
        let h = Array(c.0.utf8), n = Array(c.1.utf8)
        if !n.isEmpty && !h.isEmpty {
            let r = h.withUnsafeBytes { hb in n.withUnsafeBytes { nb in
                ByteSearch.fallbackSearch(hb.baseAddress!, hb.count, nb.baseAddress!, nb.count) } }
            #expect(r == c.2)
        }
    }
}

@Suite struct QueryCIDRTests {
    @Test(arguments: [
        ("2001:db8::/32", "2001:db8:4f2a:1::1b", true),
        ("2001:db8::/32", "2001:db9::1", false),
        ("2001:db8:4f2a:1::/64", "2001:0db8:4f2a:0001:ffff:ffff:ffff:ffff", true),
        ("2001:db8:4f2a:1::/64", "2001:db8:4f2a:2::1", false),
        ("2001:db8::1/128", "2001:db8::1", true),
        ("2001:db8::1/128", "2001:db8::2", false),
        ("2001:db8::/127", "2001:db8::1", true),
        ("::/0", "fe80::1", true),
        ("::/0", "10.0.0.1", false),
        ("2600:1f18::/29", "2600:1f18:4a3:6b12:8c1e:2f4a:91d3:7b20", true),
        ("2600:1f18::/29", "2600:1f20::1", false),
        ("fe80::/10", "febf::1", true),
        ("fe80::/10", "fec0::1", false),
        ("::ffff:0:0/96", "::ffff:192.0.2.1", true),
        ("192.0.2.0/24", "::ffff:192.0.2.1", false),
        ("10.0.0.0/8", "10.255.1.1", true),
        ("10.0.0.0/8", "11.0.0.1", false),
    ])
    func contains(_ c: (String, String, Bool)) throws {
        let block = try #require(CIDR(c.0))
        let ip = try #require(IPAddress(c.1))
        #expect(block.contains(ip) == c.2, "\(c.0) ∋ \(c.1)")
    }
}

@Suite struct QueryRelativeTimeTests {
    static let now = Instant(year: 2026, month: 11, day: 28, hour: 12)!

    @Test(arguments: [
        ("90m", Int64(-90 * 60)), ("24h", Int64(-24 * 3600)), ("7d", Int64(-7 * 86_400)), ("2w", Int64(-14 * 86_400)),
        ("30s", Int64(-30)), ("0m", Int64(0)), (" 1h ", Int64(-3600)),
    ])
    func relative(_ c: (String, Int64)) throws {
        #expect(try TimeExpression.parse(c.0, now: Self.now) == Self.now.adding(seconds: c.1))
    }

    @Test(arguments: [
        ("2026-11-28", "2026-11-28T00:00:00Z"), ("2026-11-28T10:00Z", "2026-11-28T10:00:00Z"),
        ("2026-11-28 10:00:05", "2026-11-28T10:00:05Z"), ("2026-11-28T10:00:00+02:00", "2026-11-28T08:00:00Z"),
    ])
    func absolute(_ c: (String, String)) throws {
        #expect(try TimeExpression.parse(c.0, now: Self.now).iso8601 == c.1)
    }

    @Test(arguments: ["yesterday", "90x", "-5m", "2026-13", ""])
    func rejected(_ text: String) {
        #expect(throws: TimeExpression.ParseError.self) { try TimeExpression.parse(text, now: Self.now) }
    }
}

/// `Glob.matchesAsterisk` is `Glob.matches(pattern, "*")` without a matcher (policy `Resource: "*"` checks).
@Suite struct GlobAsteriskTests {
    @Test(arguments: ["*", "**", "?", "*?*", "??", "", "a*", "*a", "arn:*", " *", "\\*", "*?", "?*?"])
    func sameAsTheMatcher(pattern: String) {
        #expect(Glob.matchesAsterisk(pattern) == Glob.matches(pattern, "*"), "\(pattern)")
    }
}

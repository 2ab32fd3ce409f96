import Testing
@testable import AgentTrail

@Suite struct SigmaPatternTests {
    @Test(arguments: [
        ("DeleteTrail", false, "deletetrail", true),
        ("DeleteTrail", true, "deletetrail", false),
        ("DeleteTrail", true, "DeleteTrail", true),
        ("Delete*", false, "deleteTrail", true),
        ("*Trail", false, "StopTrail", true),
        ("*Trail", false, "Trails", false),
        ("Stop?ogging", false, "StopLogging", true),
        ("Stop?ogging", false, "StopLLogging", false),
        ("a\\*b", false, "a*b", true),
        ("a\\*b", false, "axb", false),
        ("a\\?b", false, "axb", false),
        ("a\\\\b", false, "a\\b", true),
        ("a\\b", false, "a\\b", true),  // a backslash before another character is itself
        ("*", false, "", true),
        ("", false, "", true),
        ("", false, "x", false),
        ("*a*b*c*", false, "xxaxxbxxcxx", true),
        ("*a*b*c*", false, "xxaxxcxxbxx", false),
        ("?", false, "é", true),  // one character, two bytes
        ("*ab", false, "aaab", true),
    ] as [(String, Bool, String, Bool)])
    func wildcardsEscapesAndCase(pattern: String, cased: Bool, text: String, expected: Bool) {
        #expect(SigmaPattern(pattern, cased: cased).matches(text) == expected, "\(pattern) vs \(text)")
    }

    @Test func wrappingKeepsEscapes() {
        let p = SigmaPattern("a\\*b", cased: false).wrapped(leading: true, trailing: true)
        #expect(p.matches("xxA*Bxx"))
        #expect(!p.matches("xxaxbxx"))
    }

    @Test func base64OffsetsAreTheSpecificationsThree() {
        // The Sigma specification's example: `base64offset` of "/bin/bash".
        #expect(SigmaRuleReader.base64Offsets("/bin/bash") == ["L2Jpbi9iYXNo", "9iaW4vYmFza", "vYmluL2Jhc2"])
    }
}

@Suite struct SigmaPatternAffixTests {
    /// The affix fast path agrees with the general matcher.
    @Test(arguments: ["*trufflehog*", "trufflehog*", "*hog", "?*:assumed-role/aws:?*", "*?*:x:?**", "*a?b*"])
    func affixFormsAgreeWithTheGeneralMatcher(pattern: String) {
        let p = SigmaPattern(pattern, cased: false)
        for t in ["trufflehog", "TruffleHog/3", "x trufflehog y", "hog", "h", "", ":assumed-role/aws:",
                  "a:assumed-role/aws:b", ":x:", "q:x:r", "aXb", "ab", "é:x:é"] {
            // The general matcher on the same pieces: a pattern with the same text but an escaped trailing marker
            // is not an affix; compare against a reference glob built from Glob's semantics instead.
            #expect(p.matches(t) == reference(pattern, t), "\(pattern) vs \(t)")
        }
    }

    /// A plain reference: `*` any run, `?` one character, case-insensitive (ASCII).
    func reference(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.lowercased()), t = Array(text.lowercased())
        func m(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == t.count }
            if p[i] == "*" { return m(i + 1, j) || (j < t.count && m(i, j + 1)) }
            guard j < t.count else { return false }
            return (p[i] == "?" || p[i] == t[j]) && m(i + 1, j + 1)
        }
        return m(0, 0)
    }
}

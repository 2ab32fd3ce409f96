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

import Foundation
import Testing
@testable import AgentTrail

/// A regular expression matched as a wildcard pattern gives exactly what the expression gives (on printable ASCII).
@Suite struct SigmaRegexGlobTests {
    static let texts = ["arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1", "arn:aws:sts::1:assumed-role/app/s",
                        ":assumed-role/aws:", "x:assumed-role/aws:y", "TruffleHog/3.1", "trufflehog", "a.b", "axb", "",
                        "$100", "end.", "START here", "start here"]

    @Test(arguments: [
        (".+:assumed-role/aws:.+", false, true),
        ("^arn:aws:sts::", false, true),
        ("trufflehog.*$", true, true),
        ("a\\.b", false, true),
        ("\\$100", false, true),
        ("end\\.$", false, true),
        ("^START", true, true),
        ("^$", false, true),
        ("a.b", false, true),
        ("[a-z]+", false, false),
        ("(a|b)", false, false),
        ("ab+", false, false),
        ("\\d", false, false),
        ("a.?b", false, false),
    ] as [(String, Bool, Bool)])
    func translatedPatternsAgreeWithTheExpression(regex: String, caseInsensitive: Bool, translated: Bool) throws {
        let glob = SigmaRegexGlob.translate(regex, caseInsensitive: caseInsensitive, multiline: false)
        #expect((glob != nil) == translated)
        guard let glob else { return }
        let re = try NSRegularExpression(pattern: regex, options: caseInsensitive ? [.caseInsensitive] : [])
        for t in Self.texts {
            let expected = re.firstMatch(in: t, range: NSRange(t.startIndex..., in: t)) != nil
            #expect(glob.matches(t) == expected, "\(regex) on \(t)")
        }
    }
}

@Suite struct SigmaFastPathTests {
    /// The SigmaHQ IMDS rule's expression and TruffleHog's `contains` take the affix path, not the general matcher.
    @Test func commonFormsAreAffixes() throws {
        let imds = try #require(SigmaRegexGlob.translate(".+:assumed-role/aws:.+", caseInsensitive: false, multiline: false))
        #expect(imds.affix != nil)
        #expect(imds.affixNeedsBefore && imds.affixNeedsAfter)
        #expect(SigmaPattern("TruffleHog", cased: false).wrapped(leading: true, trailing: true).affix != nil)
    }
}

import Testing
@testable import AgentTrail

/// `StringBytes` (per-record ARN building and prefix tests on bytes) against the standard library.
@Suite struct StringBytesTests {
    @Test(arguments: [
        ["arn:aws:s3:::", "bucket", "/", "key/with ünïcödé/€"],
        ["", ""],
        ["a", ""],
        ["arn:aws:logs:", "us-east-1", ":", "111122223333", ":log-group:", "/aws/lambda/f", ":log-stream:", "2026/12/03/[$LATEST]"],
        ["short", "x"],                                   // small (inline) result
        [String(repeating: "long", count: 40), "🙂"],
    ])
    func joinEqualsConcatenation(pieces: [String]) {
        let p = pieces + Array(repeating: "", count: 8 - pieces.count)
        let joined = StringBytes.join(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
        #expect(joined == pieces.joined())
        #expect(Array(joined.utf8) == Array(pieces.joined().utf8))
    }

    @Test(arguments: [
        ("arn:aws:s3:::b", true), ("arn:", true), ("arn", false), ("ARN:aws", false), ("", false), ("xarn:", false),
        ("arné", false),
    ])
    func isARN(text: String, expected: Bool) {
        #expect(StringBytes.isARN(text) == expected)
        #expect(StringBytes.isARN(text) == text.hasPrefix("arn:"))
    }

    @Test(arguments: ["ASIAXYZ", "AKIA", "ASI", "", "asiax", "ÁSIA", "ASIA🙂"])
    func hasPrefixEqualsStandardLibrary(text: String) {
        #expect(StringBytes.hasPrefix(text, "ASIA") == text.hasPrefix("ASIA"))
        #expect(StringBytes.hasPrefix(text, "AKIA") == text.hasPrefix("AKIA"))
        #expect(StringBytes.hasPrefix(text, "") == true)
    }
}

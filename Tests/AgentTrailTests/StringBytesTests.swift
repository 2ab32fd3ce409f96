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

    /// `equalsJoined` is `join(...)` compared on bytes: the same pieces, every piece changed by one byte, pieces
    /// split elsewhere, lengths that differ, non-ASCII, and a canonically equal but byte-different text (which
    /// `String ==` would call equal: the check is on bytes).
    @Test(arguments: [
        ["arn:aws:s3:::", "bucket", "/", "key/with ünïcödé/€"],
        ["arn:aws:logs:", "us-east-1", ":", "111122223333", ":log-group:", "/aws/lambda/f", ":log-stream:", "2026/12/03/[$LATEST]"],
        ["arn:aws:dynamodb:", "eu-west-1", ":", "1", ":table/", "Orders"],
        ["a", ""], ["", ""], ["short", "x"], [String(repeating: "long", count: 40), "🙂"],
    ])
    func equalsJoinedIsJoinOnBytes(pieces: [String]) {
        let p = pieces + Array(repeating: "", count: 8 - pieces.count)
        func check(_ s: String) -> Bool { StringBytes.equalsJoined(s, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]) }
        let joined = pieces.joined()
        #expect(check(joined))
        #expect(check(String(decoding: Array(joined.utf8), as: UTF8.self)))
        // The same bytes split elsewhere (where both halves are whole characters).
        let all = Array(joined.utf8)
        for cut in 0...all.count {
            let head = String(decoding: all[..<cut], as: UTF8.self), tail = String(decoding: all[cut...], as: UTF8.self)
            guard Array(head.utf8) + Array(tail.utf8) == all else { continue }
            #expect(StringBytes.equalsJoined(joined, head, tail))
        }
        // One byte changed anywhere, one byte more or less.
        var bytes = Array(joined.utf8)
        for k in bytes.indices {
            let saved = bytes[k]
            bytes[k] = saved == 0x41 ? 0x42 : 0x41
            #expect(!check(String(decoding: bytes, as: UTF8.self)), "byte \(k)")
            bytes[k] = saved
        }
        #expect(!check(joined + "x"))
        if !bytes.isEmpty { #expect(!check(String(decoding: bytes.dropLast(), as: UTF8.self))) }
    }

    @Test func equalsJoinedComparesBytesNotCanonicalEquivalence() {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        #expect(composed == decomposed)
        #expect(StringBytes.equalsJoined(composed, "caf", "\u{E9}"))
        #expect(!StringBytes.equalsJoined(decomposed, "caf", "\u{E9}"))
        #expect(!StringBytes.equalsJoined("K", "\u{212A}", ""))
    }

    /// `JSONScan.equals` with a `String` (keys of `RawJSON` lookups) against the bytes' own comparison.
    @Test(arguments: [("bucketName", "bucketName", true), ("bucketName", "bucketname", false), ("key", "keys", false),
                      ("", "", true), ("é", "é", true), ("e\u{301}", "\u{E9}", false), ("tableName", "tableNam", false)])
    func jsonScanEqualsText(raw: String, text: String, expected: Bool) {
        let bytes = Array(raw.utf8)
        bytes.withUnsafeBufferPointer { b in
            let p = b.baseAddress ?? UnsafePointer(bitPattern: 1)!
            #expect(JSONScan.equals(p, 0, bytes.count, text) == expected)
        }
    }

    /// `StringBytes.equals` against `==` for the literals the per-record checks use, on equal, prefixed, truncated,
    /// case-changed, non-ASCII look-alike and missing values.
    @Test(arguments: ["AssumedRole", "Assumedrole", "AssumedRoles", "AssumedRol", "", "ＡssumedRole", "Data", "data", "Dat",
                      "unknown", "sts", "STS", "GetCallerIdentity", "AwsServiceEvent", "AWSService", "Insight", "é"])
    func equalsLiteralIsEquality(text: String) {
        #expect(StringBytes.equals(text, "AssumedRole") == (text == "AssumedRole"))
        #expect(StringBytes.equals(text, "Data") == (text == "Data"))
        #expect(StringBytes.equals(text, "unknown") == (text == "unknown"))
        #expect(StringBytes.equals(text, "sts") == (text == "sts"))
        #expect(StringBytes.equals(text, "GetCallerIdentity") == (text == "GetCallerIdentity"))
        #expect(StringBytes.equals(text, "AwsServiceEvent") == (text == "AwsServiceEvent"))
        #expect(StringBytes.equals(text, "") == text.isEmpty)
        #expect(!StringBytes.equals(nil, "AssumedRole"))
    }

    /// `lowercasedASCII` (eight bytes at a time) against `lowercased()` of the concatenation: every ASCII byte value at
    /// every position of words and tails (pieces of 0–19 bytes), and nil when any piece holds a non-ASCII byte,
    /// wherever it sits.
    @Test(arguments: [0, 1, 7, 8, 9, 16, 19])
    func lowercasedASCIIMatchesLowercased(length: Int) {
        for value in UInt8(0)..<0x80 {
            for position in 0..<max(length, 1) where position < length || length == 0 {
                var bytes = (0..<length).map { UInt8(ascii: "a") &+ UInt8($0 % 26) &- ($0 % 3 == 0 ? 32 : 0) }
                if length > 0 { bytes[position] = value }
                let piece = String(decoding: bytes, as: UTF8.self)
                for (a, b, c) in [(piece, ":", "X"), ("", piece, ""), ("Ab", "", piece)] {
                    let got = StringBytes.lowercasedASCII(a, b, c)
                    #expect(got.map { Array($0.utf8) } == Array((a + b + c).lowercased().utf8), "\(bytes)")
                }
            }
        }
        for position in 0..<max(length, 1) {
            var bytes = Array(repeating: UInt8(ascii: "Q"), count: max(length, 1))
            bytes[position] = 0xC3
            // (A lead byte at `position`; where no continuation follows, decoding repairs it to U+FFFD: not ASCII either.)
            let text = String(decoding: bytes + [0xA9], as: UTF8.self)
            #expect(StringBytes.lowercasedASCII("bedrock", ":", text) == nil)
            #expect(StringBytes.lowercasedASCII(text, ":", "Invoke") == nil)
        }
    }
}

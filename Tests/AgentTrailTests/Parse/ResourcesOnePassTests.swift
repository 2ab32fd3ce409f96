import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// The `resources` array read in one pass (`JSONScan.objectElementsInOnePass`) against the two-pass scan it stands in
/// for (`forEachElement`, whose `skipValue` finds each element's end, then `forEachMember` over the object): the same
/// verdict on hand-made arrays and on seeded random mutations of a valid one, and the decoder's list and errors the
/// same whether the field is wanted (decoded) or only checked.
@Suite struct ResourcesOnePassTests {
    static let valid = #"[{"accountId":"123456789012","type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/k"}, "text", 1, {"ARN":"arn:x","n":{"a":[1,{"b":"}"}]}} ,{}]"#

    /// Both scans of `text` (the whole buffer is the array's span): the one-pass verdict and the two-pass error.
    static func verdicts(_ text: [UInt8]) -> (onePass: Bool, twoPass: JSONScan.Failure?) {
        text.withUnsafeBufferPointer { b in
            let p = b.baseAddress!
            let span = ByteSpan(start: 0, end: b.count)
            let one = RecordDecoder.resourcesAreWellFormed(p, span)
            do {
                try RecordDecoder.resourcesCheckedInTwoPasses(p, span)
                return (one, nil)
            } catch let f as JSONScan.Failure {
                return (one, f)
            } catch {
                return (one, JSONScan.Failure(offset: -1, reason: "\(error)"))
            }
        }
    }

    @Test(arguments: [
        (valid, true),
        ("[]", true),
        ("[ ]", true),
        ("[{}]", true),
        ("[1,2,\"x\",null,true]", true),
        (#"[{"a":"b\"c"}]"#, true),
        (#"[{"a":1},]"#, false),
        (#"[{"a":1}"#, false),
        (#"[{"a" 1}]"#, false),
        (#"[{"a":1,}]"#, false),
        (#"[{"a":}]"#, false),
        (#"[{"a":"unterminated}]"#, false),
        (#"[{"a":[1,}]}]"#, false),
        (#"[{a:1}]"#, false),
        (#"[{"a":1} {"b":2}]"#, false),
        (#"[{"a":1}]x"#, true),  // (bytes after the `]` are outside the array: neither scan reads them)
        (#"[{"a":tru}]"#, false),
        (#"[{"a":01}]"#, false),
        (#"[{"a":1}}]"#, false),
        (#"[{"a":{"b":1}]"#, false),
    ])
    func handMade(_ text: String, accepted: Bool) {
        let v = Self.verdicts(Array(text.utf8))
        #expect(v.onePass == accepted)
        #expect((v.twoPass == nil) == accepted, "two-pass: \(String(describing: v.twoPass))")
    }

    /// Nesting around the depth limit inside an element. The decoder only reaches an array that passed `skipValue`
    /// whole (the splitter's spans or `valueEnd` ended it, both with the depth limit); on such arrays the verdicts
    /// agree. One level deeper the array itself fails `skipValue`, and a record holding it is malformed either way.
    @Test(arguments: [JSONScan.maxDepth - 3, JSONScan.maxDepth - 2, JSONScan.maxDepth - 1, JSONScan.maxDepth])
    func deepElements(_ depth: Int) throws {
        let inner = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let array = Array("[{\"a\":\(inner)}]".utf8)
        let wholePasses = array.withUnsafeBufferPointer { JSONScan.skipValue($0.baseAddress!, 0, $0.count) != nil }
        #expect(wholePasses == (depth + 2 <= JSONScan.maxDepth))
        if wholePasses {
            let v = Self.verdicts(array)
            #expect(v.onePass && v.twoPass == nil)
        }
        for wanted in [true, false] {
            var decoder = RecordDecoder()
            if !wanted { decoder.fields.remove(.resources) }
            let text = Array(Self.record(resources: String(decoding: array, as: UTF8.self)).utf8)
            if wholePasses {
                #expect(try decoder.decode(text) != nil)
            } else {
                #expect(throws: DecodeError.self) { try decoder.decode(text) }
            }
        }
    }

    /// Seeded random edits (replace, insert, delete) of the valid array over the bytes that matter: the verdicts
    /// agree on every one, and both accept and reject some.
    @Test func randomEditsAgree() {
        var rng = SplitMix(0x5EED_0015)
        let alphabet = Array(#"{}[]":,\ a1"#.utf8)
        let base = Array(Self.valid.utf8)
        var accepted = 0, rejected = 0
        for _ in 0..<20_000 {
            let bytes = rng.edited(base, alphabet: alphabet)
            let v = Self.verdicts(bytes)
            #expect(v.onePass == (v.twoPass == nil), "\(String(decoding: bytes, as: UTF8.self))")
            if v.onePass { accepted += 1 } else { rejected += 1 }
        }
        #expect(accepted > 500 && rejected > 500)
    }

    static func record(resources: String) -> String {
        #"{"eventVersion":"1.08","eventTime":"2025-06-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::123456789012:assumed-role/r/s"},"eventID":"e","resources":"#
            + resources + "}"
    }

    /// The decoder with `resources` wanted (decoded) and not wanted (only checked), with and without the memo:
    /// the list read in one pass, and a malformed list's error (reason and offset) as the two-pass scan reports it.
    @Test(arguments: [false, true])
    func decoderListsAndErrors(_ memo: Bool) throws {
        for wanted in [true, false] {
            var decoder = RecordDecoder()
            if !wanted { decoder.fields.remove(.resources) }
            if memo { decoder.decodeMemo = DecodeMemo() }
            let good = try decoder.decode(Array(Self.record(resources: Self.valid).utf8))
            #expect(good?.resources == (wanted ? [
                ResourceReference(arn: "arn:aws:s3:::b/k", accountId: "123456789012", type: "AWS::S3::Object"),
                ResourceReference(arn: "arn:x"), ResourceReference(),
            ] : []))
            let badList = #"[{"ARN":"arn:a"},{"ARN":"arn:b",}]"#
            let bad = Array(Self.record(resources: badList).utf8)
            let start = Self.record(resources: "").utf8.count - 1
            let expected = Self.verdicts(Array(badList.utf8)).twoPass
            #expect(expected != nil)
            #expect(throws: DecodeError.self) { try decoder.decode(bad) }
            do {
                _ = try decoder.decode(bad)
            } catch {
                #expect(error.reason.contains(expected!.reason), "\(error)")
                #expect(error.byteOffset == start + expected!.offset, "\(error)")
            }
        }
    }
}

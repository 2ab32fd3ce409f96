import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// `PolicyJSONPlain` (the fast reader behind `PolicyJSON.parse`) gives exactly `JSONDecoder`'s value or declines:
/// checked against `JSONDecoder` (an independent implementation) on every policy fixture, on hand-written edge cases
/// and on thousands of random mutations of the fixtures. Whenever it answers, `JSONDecoder` must accept the same bytes
/// and give an equal value; and it must answer for the fixtures (or it would be dead code).
@Suite struct PolicyJSONPlainTests {
    static var fixtures: [String] {
        var out: [String] = []
        let fm = FileManager.default
        for dir in [TestPaths.policyFixtures, TestPaths.sampleLogs + "/policies"] {
            guard let e = fm.enumerator(atPath: dir) else { continue }
            for case let rel as String in e where rel.hasSuffix(".json") { out.append(dir + "/" + rel) }
        }
        return out.sorted()
    }

    /// nil when declined; otherwise whether JSONDecoder agreed (same value).
    static func agrees(_ bytes: [UInt8]) -> Bool? {
        guard let plain = bytes.withUnsafeBytes({ PolicyJSONPlain.parse($0) }) else { return nil }
        guard let reference = try? PolicyJSON.parseWithDecoder(Data(bytes)) else { return false }
        return plain == reference
    }

    @Test func everyFixtureReadsAsJSONDecoderReadsIt() throws {
        let files = Self.fixtures
        #expect(files.count > 30)
        var answered = 0
        for path in files {
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            if let ok = Self.agrees(bytes) {
                #expect(ok, "\(path)")
                answered += 1
            }
        }
        // (A few fixtures are malformed on purpose; the rest must take the fast path.)
        #expect(answered * 10 >= files.count * 8, "answered \(answered) of \(files.count)")
    }

    @Test(arguments: [
        // Answered:
        #"{}"#, #"[]"#, #" {"a" : [ 1 , -2, 0, -0, 123456789012345678 ] } "#, #"{"a":true,"b":false,"c":null}"#,
        #"{"Sid":"a\"b\\c\/d\n\t\r\b\f"}"#, #""top-level string""#, #"42"#, #"true"#, #"null"#, #"[[[[]]]]"#,
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
        "\t{\r\n\"a\":\n1}\n",
        // Declined (JSONDecoder decides):
        #"[999999999999999999]"#, #"[-999999999999999999]"#, #"[9999999999999999999]"#, #"[99999999999999999999999]"#,
        #"[-9999999999999999999]"#, #"{"a":1.5}"#, #"{"a":1e3}"#, #"{"a":01}"#, #"{"a":+1}"#, #"{"a":1234567890123456789}"#, #"{"a":"\u0041"}"#,
        #"{"a":"é"}"#, "{\"a\":\"tab\there\"}", #"{"a":1,"a":2}"#, #"{"a":1,}"#, #"[1,]"#, #"{"a" 1}"#, #"{a:1}"#,
        #"{"a":tru}"#, #"{"a":truex}"#, #"{"a":nul}"#, #"{} {}"#, #""#, #" "#, #"{"#, #"["#, #"""#, #"{"a":"\x"}"#,
        #"{"a":-}"#, #"{"a":12abc}"#, "\u{FEFF}{}", #"[1 2]"#, #"{"a":[}"#,
    ])
    func edgeCasesAnswerAsJSONDecoderOrDecline(_ text: String) {
        let bytes = Array(text.utf8)
        if let ok = Self.agrees(bytes) { #expect(ok, "\(text)") }
    }

    @Test func plainEdgeCasesAreAnswered() {
        for text in [#"{}"#, #"[]"#, #"[999999999999999999]"#, #"[-999999999999999999]"#, #" {"a" : [ 1 , -2, 0, -0, 123456789012345678 ] } "#, #"{"Sid":"a\"b\\c\/d\n\t\r\b\f"}"#,
                     #""s""#, #"42"#, #"true"#, #"null"#] {
            #expect(Self.agrees(Array(text.utf8)) == true, "\(text)")
        }
    }

    /// Random edits (a byte deleted, replaced or inserted, from a set of JSON-significant bytes) of every fixture:
    /// whatever the reader answers, JSONDecoder agrees.
    @Test(arguments: [1, 2, 3])
    func mutationsAnswerAsJSONDecoderOrDecline(seed: UInt64) throws {
        var rng = SplitMix(seed)
        let alphabet = Array(#"{}[]":,\ -0123456789.eE+tfnulr"#.utf8) + [0x0A, 0x09, 0x00, 0xC3, 0xA9]
        var answered = 0, tried = 0
        for path in Self.fixtures {
            let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            guard !original.isEmpty else { continue }
            for _ in 0..<40 {
                let b = rng.edited(original, alphabet: alphabet)
                tried += 1
                if let ok = Self.agrees(b) {
                    answered += 1
                    #expect(ok, "\(path): \(String(decoding: b, as: UTF8.self).prefix(300))")
                }
            }
        }
        #expect(tried > 1_000 && answered > 100, "answered \(answered) of \(tried)")
    }
}

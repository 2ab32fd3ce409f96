import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// `RawJSON.string(forKey:)` (read in place) gives what `value(forKey:)?.stringValue` gives, on well-formed and odd
/// objects alike.
@Suite struct RawJSONAccessTests {
    @Test(arguments: [
        (#"{"bucketName":"b","key":"k/1.txt"}"#, "bucketName"),
        (#"{"bucketName":"b","key":"k/1.txt"}"#, "key"),
        (#"{"bucketName":"b","key":"k/1.txt"}"#, "missing"),
        (#"{"a":"x","a":"y"}"#, "a"),                       // last duplicate wins
        (#"{"t\u0061bleName":"t1"}"#, "tableName"),          // escaped key
        (#"{"s":"line\nbreak \u00e9"}"#, "s"),              // escaped value
        (#"{"n":42,"b":true,"z":null}"#, "n"),
        (#"{"n":42,"b":true,"z":null}"#, "b"),
        (#"{"n":42,"b":true,"z":null}"#, "z"),
        (#"{"o":{"k":"v"},"arr":["x"]}"#, "o"),
        (#"{"o":{"k":"v"},"arr":["x"]}"#, "arr"),
        (#"  { "sp" : "aced" }  "#, "sp"),
        (#"["not","an","object"]"#, "0"),
        (#"{"broken":"#, "broken"),
        (#"{"k":"v","#, "k"),
        ("null", "k"),
        ("", "k"),
    ])
    func stringForKeyEqualsValueThenString(json: String, key: String) {
        let raw = RawJSON(json)
        #expect(raw.string(forKey: key) == raw.value(forKey: key)?.stringValue)
    }

    /// `strings(forKey:_:)` (one pass for two keys) gives the two `string(forKey:)` answers, on the same odd objects.
    @Test(arguments: [
        (#"{"bucketName":"b","key":"k/1.txt"}"#, "bucketName", "key"),
        (#"{"key":"k","bucketName":"b"}"#, "bucketName", "key"),
        (#"{"bucketName":"b"}"#, "bucketName", "key"),
        (#"{"key":"k"}"#, "bucketName", "key"),
        (#"{"a":"x","b":"1","a":"y","b":"2"}"#, "a", "b"),          // last duplicates win
        (#"{"logGroupN\u0061me":"g","logStreamName":"s"}"#, "logGroupName", "logStreamName"),
        (#"{"modelId":42,"guardrailIdentifier":null}"#, "modelId", "guardrailIdentifier"),
        (#"{"o":{"modelId":"nested"}}"#, "modelId", "o"),
        (#"{"k":"v","#, "k", "x"),
        (#"["a"]"#, "0", "1"),
        ("null", "a", "b"),
        ("", "a", "b"),
    ])
    func twoKeysEqualTwoLookups(json: String, first: String, second: String) {
        let raw = RawJSON(json)
        let (a, b) = raw.strings(forKey: first, second)
        #expect(a == raw.string(forKey: first))
        #expect(b == raw.string(forKey: second))
    }

    @Test(arguments: ["null", " null", "nul", "nulll", "\"null\"", "{}", ""])
    func isNullOnlyForTheLiteral(json: String) {
        #expect(RawJSON(json).isNull == (json == "null"))
    }

    static let pathDocument = #"{"credentials":{"accessKeyId":"ASIAEXAMPLE","sessionToken":"t\u006fken","n":[1,{"deep":"x"}]},"assumedRoleUser":{"arn":"arn:aws:sts::1:assumed-role/r/s"},"list":["a",{"k":"v"},["z"]],"dup":{"a":1},"dup":{"a":"2"}}"#

    /// What `value(atPath:)` was before it read the path in place: each step a copy, through `value(forKey:)` and
    /// `arrayElements` (the oracle of the test below).
    static func copiedPath(_ raw: RawJSON, _ path: [String]) -> RawJSON? {
        var current: RawJSON? = raw
        for component in path {
            guard let c = current else { return nil }
            if let next = c.value(forKey: component) {
                current = next
            } else if let index = Int(component), index >= 0 {
                let elements = c.arrayElements
                current = index < elements.count ? elements[index] : nil
            } else {
                return nil
            }
        }
        return current
    }

    /// `value(atPath:)` and `string(atPath:)` (each step read in place) against a copy per step: the same on every
    /// path through a document (keys, array indexes, missing steps, escapes, duplicates), and on seeded random edits
    /// of it, where members or elements after a malformed one are not seen by either.
    @Test func stringAtPathEqualsValueThenString() {
        let paths: [[String]] = [
            ["credentials", "accessKeyId"], ["credentials", "sessionToken"], ["credentials", "n", "0"],
            ["credentials", "n", "1", "deep"], ["credentials", "n", "2"], ["credentials", "n", "-1"],
            ["assumedRoleUser", "arn"], ["list", "0"], ["list", "1", "k"], ["list", "2", "0"], ["list", "3"],
            ["dup", "a"], ["missing"], ["credentials", "missing"], ["credentials"], [], ["list", "x"], ["0"],
        ]
        var rng = SplitMix(0x9A7)
        let base = Array(Self.pathDocument.utf8)
        let alphabet = Array(#"{}[]":,\ a1"#.utf8)
        var documents = [base, [], Array("null".utf8), Array(#"["x",{"k":"v"}]"#.utf8)]
        for _ in 0..<3_000 {
            let bytes = rng.edited(base, alphabet: alphabet, maxEdits: 1)
            documents.append(bytes)
        }
        var found = 0
        for bytes in documents {
            let raw = RawJSON(bytes: bytes)
            for path in paths + [["0"], ["1", "k"]] {
                let inPlace = raw.string(atPath: path)
                let copied = Self.copiedPath(raw, path)
                #expect(inPlace == copied?.stringValue, "\(path) in \(String(decoding: bytes, as: UTF8.self))")
                #expect(raw.value(atPath: path)?.bytes == copied?.bytes, "\(path) in \(String(decoding: bytes, as: UTF8.self))")
                if inPlace != nil { found += 1 }
            }
        }
        #expect(found > 10_000)
        #expect(RawJSON(bytes: base).string(atPath: "credentials", "sessionToken") == "token")
    }
}

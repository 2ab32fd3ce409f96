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
}

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
}

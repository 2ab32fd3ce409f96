import Testing
@testable import AgentTrail

private let a = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2025-01-01T00:00:00Z"}"#
private let b = #"{"eventSource":"sts.amazonaws.com","eventName":"AssumeRole","eventTime":"2025-01-01T00:00:01Z"}"#
private let c = #"{"eventSource":"bedrock.amazonaws.com","eventName":"InvokeModel","eventTime":"2025-01-01T00:00:02Z"}"#

private func text(_ r: [UInt8]) -> String { String(decoding: r, as: UTF8.self) }

/// Inputs real archives rarely have but files edited or produced by other tools do: a repeated `Records` key and a
/// UTF-8 byte-order mark.
@Suite struct SplitterOddInputTests {
    static let chunkSizes = [1, 2, 3, 5, 7, 4096]

    @Test(arguments: chunkSizes)
    func aRepeatedRecordsKeyGivesBothLists(chunkSize: Int) {
        let inputs = [
            #"{"Records":["# + a + #"],"Records":["# + b + "," + c + "]}",
            "{\n  \"Records\": [" + a + "],\n  \"Records\" : [\n" + b + ",\n" + c + "\n  ]\n}\n",
            // Other keys between the lists, one holding a nested "Records" that is not a list of this file.
            #"{"Records":["# + a + #"],"meta":{"Records":[1,2]},"x":"Records","Records":["# + b + "," + c + #"],"end":[]}"#,
            // Two wrappers one after the other still work as before.
            #"{"Records":["# + a + "]}\n" + #"{"Records":["# + b + #"],"Records":["# + c + "]}",
        ]
        for input in inputs {
            let r = ParseSupport.split(input, chunkSize: chunkSize)
            #expect(r.records.map(text) == [a, b, c], "\(input)")
            #expect(r.issues.isEmpty, "\(r.issues)")
            #expect(r.positions.map(\.index) == [0, 1, 2])
        }
    }

    @Test(arguments: [1, 7, 1 << 20])
    func aRepeatedRecordsKeyIsDecodedThroughTheStream(chunkSize: Int) {
        let (records, stream) = ParseSupport.stream(#"{"Records":["# + a + #"],"Records":["# + b + "," + c + "]}", chunkSize: chunkSize)
        #expect(records.map(\.0.eventName) == ["GetObject", "AssumeRole", "InvokeModel"])
        #expect(records.map(\.1) == [0, 1, 2])
        #expect(stream.counts.malformed == 0 && stream.issues.isEmpty)
    }

    @Test(arguments: chunkSizes)
    func aByteOrderMarkIsSkipped(chunkSize: Int) {
        let bom = "\u{FEFF}"
        for input in [bom + #"{"Records":["# + a + "," + b + "]}", bom + a + "\n" + b + "\n", bom + "[" + a + "," + b + "]"] {
            let r = ParseSupport.split(input, chunkSize: chunkSize)
            #expect(r.records.map(text) == [a, b], "\(input.dropFirst())")
            #expect(r.issues.isEmpty, "\(r.issues)")
            #expect(r.positions.first?.byteOffset == Array(input.utf8).firstRange(of: Array(a.utf8))?.lowerBound)
        }
        let (records, stream) = ParseSupport.stream(bom + #"{"Records":["# + a + "]}", chunkSize: chunkSize)
        #expect(records.count == 1 && stream.counts.malformed == 0)
    }

    @Test(arguments: chunkSizes)
    func onlyAWholeByteOrderMarkIsSkipped(chunkSize: Int) {
        // EF BB then text: stray bytes, reported once as before, and the record after them still read.
        let bytes: [UInt8] = [0xEF, 0xBB] + Array(("x" + a).utf8)
        let r = ParseSupport.split(bytes, chunkSize: chunkSize)
        #expect(r.records.map(text) == [a])
        #expect(r.issues.map(\.code) == [.notAnObject] && r.issues.first?.byteOffset == 0)
        // A byte-order mark later in the input is not skipped.
        let later = ParseSupport.split(Array((a + "\n").utf8) + [0xEF, 0xBB, 0xBF] + Array(b.utf8), chunkSize: chunkSize)
        #expect(later.records.map(text) == [a, b] && later.issues.map(\.code) == [.notAnObject])
    }
}

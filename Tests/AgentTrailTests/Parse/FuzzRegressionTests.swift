import Foundation
import Testing
@testable import AgentTrail

/// Inputs found by the libFuzzer targets in Fuzz/ (Scripts/fuzz.sh), kept as regression tests, each with the oracle of
/// its target. FuzzRecords: a 4-byte header (options, chunk size, limits, fields; see
/// Fuzz/Sources/FuzzRecords/FuzzRecords.swift) then the document; the records, issues and counts must not depend on
/// the chunk size nor on direct decoding.
@Suite struct FuzzRegressionTests {
    struct Run: Equatable {
        var records: [String] = []
        var issues: [ParseIssue] = []
        var counts = RecordStream.Counts()
    }

    static func run(_ doc: [UInt8], _ options: RecordStream.Options, chunk: Int) -> Run {
        var stream = RecordStream(options)
        var out = Run()
        var start = 0
        repeat {
            let end = chunk == 0 ? doc.count : min(doc.count, start + chunk)
            stream.feed(Array(doc[start..<end])) { record, index in out.records.append("\(index): \(record)") }
            start = end
        } while start < doc.count
        stream.finish()
        out.issues = stream.issues
        out.counts = stream.counts
        return out
    }

    /// The same document read whole by the splitter alone, and in chunks of `chunk` bytes with direct decoding.
    static func compareChunkings(_ doc: [UInt8], maxRecordBytes: Int, maxDepth: Int, chunk: Int) -> (Run, Run) {
        var options = RecordStream.Options()
        options.maxRecordBytes = maxRecordBytes
        options.maxDepth = maxDepth
        options.directDecoding = false
        let whole = run(doc, options, chunk: 0)
        options.directDecoding = true
        return (whole, run(doc, options, chunk: chunk))
    }

    /// A record both larger than the maximum record size and nested deeper than the maximum depth was reported as
    /// too deep when read whole (the depth is checked at each bracket, the size only at the end of a chunk) and as
    /// too large when read in small chunks. Found by FuzzRecords (chunk 1, maxRecordBytes 56, maxDepth 69).
    static let tooLargeAndTooDeep = Data(base64Encoded:
        "IQEFAAB7IlJlY29yc3Npb25Db250ZXh0Ijp7InNlc3Npb25Jc3N1ZXIiOnsidHlwZSI6IlJvbGUiLCJhcm4iOiJhcm46YXdzOmlh" +
        "bTo6MTExMTIyAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAMjIzYXdzLmNvbSIsImV2ZW50TmFtZSI6Ikludm9rZU1vZGVsIiwiYXdz" +
        "UmVnaW9uIjoiH4IAAHVzdW1lZFJvbH4iLCJhcm4iOiJhcm46YXdzOnN0czo6MTExMTIyMjIzMzMzOmFzc3VtZWQtcm9sZS9SL3Mi" +
        "LCJhY2NvdW50SWQiOiIxMTExMjIyMjMzMzMiLCJhY2Nlc3NLZXlJZCI6IkFTSUFFWEFNUExFIiwic2Vzc2lvbkNvbnRleHQiOnsi" +
        "c2Vzc2lvbklzc3VlciI6eyJ0eXBlIjoiUm9sZSIsLTMzMzpyb2xlL1IifSEAAwB7IlJlY29yZHMiOlt7ImV2ZW50VmVyc2lvbiI6" +
        "IjEuMDkiLCJ1c2VySWRlbnRpdHkiOnsidHkBAwAAW3siZXZlbnRWZXJzaW9uIgELOiIxLjA5IiwidXNlcklkZW59fSwiZXRpdmV0" +
        "ImV2ZW6MpGltZSI6IjIwMjUtMDctMTRUMTg6MjI6MDlaIiwiAQtlbnRTb3VyY2UiOiJiZWRyb2NrLmFtYXpvbmF3cy5jb20iLCJl" +
        "aXZlbnROYW1lIjoiSW52b2tlTW9kZWwiLCJhd3NSZWdpb24iOiJ1cy1lYXN0LTEiLCJzb3VyY2VJUEFkZHJlc3MiOiIyMDMuMC4x" +
        "MTMuNyIsInVzZXJBZ2VudCI6IngiLCJyZXF1ZXN0UGFyYW1ldGVycyI6eyJtb2RlbElkIjoiYW50aHJvcGljLmMgAAAAAAAAAGxh" +
        "dWRlIn0sInJlc3BvbnNlRWxlbWVudHMiOm51bPNsLCJldmVudElEIjoiZTEiLCJyZWFkT25seSI6dHJ1ZW50cyI6bnVsbCwiZXZl" +
        "bnRJRCI6ImUxIiwicmVhZE9ubHkiOnRydWUsImV2ZW50VHlwZSI6IkF3c0FwaUNhbGwiLCJyZWNpcGllbnRBY2NvdW50SWQiOiIx" +
        "MTExMjIyMjMzMzMifSx7ImV2ZW50U291cmNlIjoiYS5hbWF6b25hd2UsImV2ZW50VHlwZSI6IkF3c0FwaUNhbGwiLCJyZWNpcGll" +
        "bnRBY/n5+fn5+fn5+fn5+fn5+fn5+fn5+fn5Y291bnRJZCI6IjExMTEyMjIyMzMzMyJ9LHsiYSI6W1tbW1tbW1tbW1tbW1tbW1tb" +
        "W1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1tbW1sxXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1d" +
        "XV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXX1dfQ=="
    )!

    @Test func tooLargeAndTooDeepFromTheFuzzer() {
        let input = [UInt8](Self.tooLargeAndTooDeep)
        let limits = Int(input[2])
        let (whole, chunked) = Self.compareChunkings(Array(input[4...]), maxRecordBytes: 16 + limits * 8,
                                                     maxDepth: 64 + limits % 16, chunk: Int(input[1]))
        #expect(chunked == whole)
        #expect(whole.issues.last?.reason.contains("larger than the maximum record size") == true)
    }

    /// Too large takes precedence over too deep, at every chunk size, for a complete and for an unterminated record.
    @Test(arguments: [1, 7, 64, 4096, 0])
    func tooLargeWinsOverTooDeepAtEveryChunkSize(chunk: Int) throws {
        let record = #"{"eventSource":"s3.amazonaws.com","x":""# + String(repeating: "a", count: 200) + #"","y":"#
            + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        let good = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"after"}"#
        for doc in [#"{"Records":["# + record + "," + good + "]}", #"{"Records":["# + record.dropLast(60)] {
            let (whole, chunked) = Self.compareChunkings(Array(doc.utf8), maxRecordBytes: 150, maxDepth: 64, chunk: chunk)
            #expect(chunked == whole)
            let issue = try #require(chunked.issues.first)
            #expect(issue.code == (doc.hasSuffix("]}") ? .recordTooLarge : .unterminatedRecord))
            #expect(issue.reason.contains("larger than the maximum record size"))
        }
    }
}

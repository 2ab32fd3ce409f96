import Testing
@testable import AgentTrail

/// A record larger than the maximum record size, or nested deeper than the maximum depth, is reported (file, index,
/// offset, size) and skipped while it is scanned — never buffered — and the records after it are still read.
@Suite struct RecordLimitsTests {
    static let good = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"after"}"#

    /// `{"Records":[<huge>,<good>]}` fed in `chunk`-byte pieces to a stream limited to `limit` bytes per record.
    static func run(_ huge: String, limit: Int, chunk: Int, directDecoding: Bool = true)
        -> (records: [CloudTrailRecord], issues: [ParseIssue], counts: RecordStream.Counts, peakCarry: Int) {
        let doc = Array((#"{"Records":["# + huge + "," + good + "]}").utf8)
        var options = RecordStream.Options(file: "big.json")
        options.maxRecordBytes = limit
        options.directDecoding = directDecoding
        var stream = RecordStream(options)
        var records: [CloudTrailRecord] = []
        var peak = 0
        doc.withUnsafeBytes { all in
            var i = 0
            while i < all.count {
                let piece = UnsafeRawBufferPointer(rebasing: all[i..<min(all.count, i + chunk)])
                try? stream.feed(piece) { r, _ in records.append(r) }
                peak = max(peak, stream.carriedBytes)
                i += chunk
            }
        }
        stream.finish()
        return (records, stream.issues, stream.counts, peak)
    }

    @Test(arguments: [(4096, true), (4096, false), (1 << 20, true), (3_000_000, false)])
    func oversizedRecordIsSkippedWithoutBuffering(chunk: Int, direct: Bool) throws {
        let huge = #"{"eventSource":"s3.amazonaws.com","eventName":"PutObject","errorMessage":""# + String(repeating: "x", count: 2_500_000) + #""}"#
        let r = Self.run(huge, limit: 1 << 20, chunk: chunk, directDecoding: direct)
        #expect(r.records.map(\.eventID) == ["after"])
        let issue = try #require(r.issues.first)
        #expect(issue.code == .recordTooLarge)
        #expect(issue.index == 0)
        #expect(issue.byteOffset == 12)
        #expect(issue.file == "big.json")
        #expect(issue.reason.contains("\(huge.utf8.count) bytes"))
        #expect(r.counts.malformed == 1 && r.counts.decoded == 1 && r.counts.elements == 2)
        // (The carry's capacity is what the allocator gave: a large block may come rounded up to whole pages from
        // mmap, depending on the heap's history, so up to two pages of slack are allowed.)
        #expect(r.peakCarry <= (1 << 20) + chunk + 8192)
    }

    @Test func recordAtTheLimitIsKept() {
        let record = #"{"eventSource":"s3.amazonaws.com","eventName":"PutObject","errorMessage":""# + String(repeating: "y", count: 5000) + #""}"#
        let r = Self.run(record, limit: record.utf8.count, chunk: 700)
        #expect(r.records.count == 2 && r.issues.isEmpty)
        let over = Self.run(record, limit: record.utf8.count - 1, chunk: 700)
        #expect(over.records.count == 1 && over.issues.map(\.code) == [.recordTooLarge])
    }

    @Test(arguments: [1000, 100_000])
    func deepRecordIsSkipped(depth: Int) throws {
        let deep = #"{"eventSource":"s3.amazonaws.com","eventName":"X","x":"# + String(repeating: "[", count: depth)
            + String(repeating: "]", count: depth) + "}"
        let r = Self.run(deep, limit: 64 << 20, chunk: 4096)
        #expect(r.records.map(\.eventID) == ["after"])
        #expect(r.issues.map(\.code) == [.recordTooDeep])
    }

    /// An unterminated huge value at the end of the input: reported once, memory bounded.
    @Test func unterminatedHugeRecord() {
        let doc = Array((#"{"Records":[{"a":""# + String(repeating: "z", count: 3_000_000)).utf8)
        var options = RecordStream.Options()
        options.maxRecordBytes = 1 << 20
        var stream = RecordStream(options)
        var peak = 0
        doc.withUnsafeBytes { all in
            var i = 0
            while i < all.count {
                try? stream.feed(UnsafeRawBufferPointer(rebasing: all[i..<min(all.count, i + 65536)])) { _, _ in }
                peak = max(peak, stream.carriedBytes)
                i += 65536
            }
        }
        stream.finish()
        #expect(peak <= (1 << 20) + 65536)
        #expect(stream.issues.first?.code == .unterminatedRecord)
        #expect(stream.issues.first?.reason.contains("larger than the maximum record size") == true)
    }
}

import Testing
@testable import AgentTrail

/// The splitter records the spans of each record's top-level objects and arrays (`ContainerSpans`) so the scan's
/// decoder can jump over them; records and errors must equal the plain decoder's for any chunking, and every span
/// handed over must end exactly where `JSONScan.skipContainer` ends.
struct ContainerSpansTests {
    static let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
    static let many = (0..<40).map { #""k\#($0)":{"v":[\#($0)]}"# }.joined(separator: ",")

    static let records: [String] = [
        #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/R/s","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::1:role/R"}}},"requestParameters":{"bucketName":"b","key":"a]}\"{["},"responseElements":null,"resources":[{"ARN":"arn:aws:s3:::b","type":"AWS::S3::Bucket"}],"tlsDetails":{"tlsVersion":"TLSv1.2"}}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","requestParameters" : [ 1 , { "a" : [ ] } ] ,"awsRegion":"eu-west-1"}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","requestParameters":{"a":[1,}]},"awsRegion":"eu-west-1"}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","requestParameters":{"a":1]],"awsRegion":"eu-west-1"}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","requestParameters":{"a" 1},"awsRegion":"eu-west-1"}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","requestParameters":{"a":tru},"resources":[{"ARN" "x"}]}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X",{"a":1}:2}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","r":1 {"a":1}}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","tlsDetails":{"tlsVersion":"TLSv1.3",},"x":[]}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","requestParameters":"# + deep + #","responseElements":{"ok":true}}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","#  + many + #","responseElements":{"ok":true}}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","userIdentity":{"type":"Root"]},"requestParameters":{}}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","requestParameters":{"a":"\\"},"b":{"c":"\"}"}}"#,
    ]

    /// A `Records` document with `record` between two well-formed ones.
    static func document(_ record: String) -> [UInt8] {
        Array(("{\"Records\":[" + records[0] + "," + record + "," + records[1] + "]}").utf8)
    }

    /// The well-formed records (0, 1, 12 with usable spans: 4 + 1 + 2 containers; 9 nests too deep and 10 has too
    /// many containers, so they have none).
    static var wellFormed: [UInt8] {
        Array(("{\"Records\":[" + [0, 1, 9, 10, 12].map { records[$0] }.joined(separator: ",") + "]}").utf8)
    }

    /// Decoded records (as their full description) and issues of the whole document fed in `chunk`-byte pieces.
    static func run(_ bytes: [UInt8], chunk: Int, spans: Bool) -> (records: [String], issues: [ParseIssue]) {
        var options = RecordStream.Options(prefilter: { peek in _ = peek.userIdentity; return true })
        options.scansIdentityFirst = spans  // (the spans are used on this path only)
        var stream = RecordStream(options)
        var out: [String] = []
        var i = 0
        while i < bytes.count {
            let piece = Array(bytes[i..<min(bytes.count, i + chunk)])
            stream.feed(piece) { record, index in out.append("\(index): \(record)") }
            i += chunk
        }
        stream.finish()
        return (out, stream.issues)
    }

    @Test(arguments: records.indices, [1, 3, 17, 1 << 20])
    func sameRecordsAndIssuesAsThePlainPass(record: Int, chunk: Int) {
        let bytes = Self.document(Self.records[record])
        let plain = Self.run(bytes, chunk: 1 << 20, spans: false)
        let fast = Self.run(bytes, chunk: chunk, spans: true)
        #expect(plain.records.count >= 1)
        #expect(fast.records == plain.records)
        #expect(fast.issues == plain.issues)
    }

    @Test func wellFormedRecordsDecode() {
        let r = Self.run(Self.wellFormed, chunk: 1 << 20, spans: true)
        #expect(r.records.count == 5)
        #expect(r.issues.isEmpty)
    }

    @Test(arguments: [1, 5, 1 << 20])
    func usableSpansEndWhereSkipContainerEnds(chunk: Int) {
        let spans = ContainerSpans()
        var splitter = RecordSplitter()
        splitter.spans = spans
        let bytes = Self.wellFormed
        var checked = 0
        var usableRecords = 0
        var i = 0
        while i < bytes.count {
            let piece = Array(bytes[i..<min(bytes.count, i + chunk)])
            piece.withUnsafeBytes { raw in
                splitter.feed(raw) { record, _ in
                    guard spans.usable else { return }
                    usableRecords += 1
                    let p = record.baseAddress!.assumingMemoryBound(to: UInt8.self)
                    for k in 0..<spans.count {
                        let start = spans.starts[k] - spans.base
                        let end = spans.ends[k] - spans.base
                        #expect(JSONScan.skipContainer(p, start, record.count) == end)
                        checked += 1
                    }
                }
            }
            i += chunk
        }
        splitter.finish()
        #expect(checked == 7)
        #expect(usableRecords == 3)
    }
}

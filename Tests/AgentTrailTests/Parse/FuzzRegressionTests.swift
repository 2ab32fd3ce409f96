import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// Inputs found by the libFuzzer targets in Fuzz/ (Scripts/fuzz.sh), kept as regression tests, each with the oracle of
/// its target.
/// - FuzzRecords: a 4-byte header (options, chunk size, limits, fields; see Fuzz/Sources/FuzzRecords/FuzzRecords.swift)
///   then the document; the records, issues and counts must not depend on the chunk size nor on direct decoding.
/// - FuzzGzip: the file's bytes; every decompressor delivers the same bytes and ends with the same error and offset.
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

    /// A FuzzRecords input read as the target reads it (options from the header, in its chunk size) and as its
    /// reference (the same options, the splitter alone, whole): the two must be equal.
    static func replay(_ input: [UInt8]) -> (got: Run, want: Run) {
        let flags = input[0], chunkByte = Int(input[1]), limits = Int(input[2]), fieldByte = UInt32(input[3])
        let doc = Array(input[4...])
        let skip: @Sendable (PeekedFields) -> Bool = { peek in !peek.eventNameIs("Skip") }
        var options = RecordStream.Options(keepRaw: flags & 2 != 0, prefilter: flags & 8 != 0 ? skip : nil,
                                           maxStoredIssues: 50)
        options.scansIdentityFirst = flags & 8 != 0
        if flags & 4 != 0 {
            options.rawPrefilter = { (bytes: UnsafeRawBufferPointer) -> Bool in !bytes.contains(0x7E) }
        }
        if flags & 32 != 0 {
            options.maxRecordBytes = 16 + limits * 8
            options.maxDepth = 64 + limits % 16
        }
        if flags & 64 != 0 {
            var reversed: UInt32 = 0
            for bit in 0..<8 where fieldByte & (1 << bit) != 0 { reversed |= 1 << (15 - bit) }
            options.fields = RecordFieldSet(rawValue: fieldByte | reversed)
        }
        var reference = options
        reference.directDecoding = false
        options.directDecoding = flags & 1 != 0
        if flags & 16 != 0 { options.decodeMemo = DecodeMemo() }
        let chunk = chunkByte == 0 ? 0 : chunkByte < 128 ? chunkByte : (chunkByte - 127) * 61
        return (run(doc, options, chunk: chunk), run(doc, reference, chunk: 0))
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
        let (got, want) = Self.replay([UInt8](Self.tooLargeAndTooDeep))
        #expect(got == want)
        #expect(want.issues.last?.reason.contains("larger than the maximum record size") == true)
    }

    /// Too large takes precedence over too deep, at every chunk size, for a complete and for an unterminated record.
    /// Found by the CI's fuzz smoke on 5 December 2026: with a depth limit under the decoder's own (67 of 512), the
    /// direct pass decoded a record nested 70 deep that the splitter reports too deep (it became "a record without
    /// eventSource and eventName"). Such a stream now reads its records through the splitter. The input is kept as
    /// a seed too (Fuzz/seeds/records/records-direct-depth-limit.json).
    @Test func depthLimitUnderTheDecodersFromTheFuzzer() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/seeds/records/records-direct-depth-limit.json")
        let input = try [UInt8](Data(contentsOf: url))
        #expect(input[0] & 1 != 0 && input[0] & 32 != 0)  // direct decoding, small limits
        let (got, want) = Self.replay(input)
        #expect(got.issues == want.issues)
        #expect(got.records == want.records)
        #expect(got.counts == want.counts)
        #expect(want.issues.contains { $0.code == .recordTooDeep })
    }

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

    /// A wrapper object that grows past the maximum record size before its `Records` key: once the wrapper was being
    /// skipped (not carried), a key cut by a chunk boundary could not be read, so the `Records` list was not found and
    /// the whole file became one oversized record; read whole, the key was read and the records inside were handled.
    /// Found by FuzzRecords (maxRecordBytes 16, chunks of 7 bytes, `{` and 26 NUL bytes before `"Records":[`).
    static let wrapperKeyAcrossChunks = Data(base64Encoded:
        "twcAAHsAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAACJSZWNvcmRzIjpbeyJldmVudFZlcnNpb24iOiIxLjExIiwidXNlcklkZW50" +
        "aXR5Ijp7InR5cGUiOiJBc3N1bWVkUm9sZSIsInByEYMAAHsiUmRlanMyMi7///////////9jW29yZHN7IiI6Ww=="
    )!

    /// FuzzPolicy, 4 December 2026: a policy whose `Action` list holds a 20-digit integer trapped (Int64 overflow) in the
    /// plain-JSON reader (`PolicyJSONPlain`, which must decline such a number to `JSONDecoder`). Now the document is
    /// read, and rejected for what it is: actions that are not strings.
    @Test(arguments: ["99999999999999999999", "-9999999999999999999", "9223372036854775808", "18446744073709551616"])
    func longIntegerInAPolicyFromTheFuzzer(number: String) {
        let doc = #"{"Version":"2012-10-17","Statement":[{"Sid":"ECRImageAccess","Effect":"Allow","Action":[\#(number)],"Resource":"*"}]}"#
        #expect(Array(doc.utf8).withUnsafeBytes { PolicyJSONPlain.parse($0) } == nil)
        #expect(throws: PolicyLoadError.self) { try PolicyDocument.parse(data: Data(doc.utf8), name: "p.json") }
    }

    @Test func wrapperKeyAcrossChunksFromTheFuzzer() {
        let (got, want) = Self.replay([UInt8](Self.wrapperKeyAcrossChunks))
        #expect(got == want)
        #expect(want.issues.first?.byteOffset == 38)  // the record inside the list, not the wrapper at 0
    }

    /// Keys of a wrapper (`Records`, `Events`) or of an EventBridge envelope (`detail-type`, `detail`) cut by a chunk
    /// boundary are read, also once the wrapper is larger than the maximum record size.
    @Test(arguments: [1, 2, 3, 5, 7, 11, 0])
    func wrapperKeysAcrossChunksOfAnOversizedWrapper(chunk: Int) throws {
        let padding = #""note":""# + String(repeating: "n", count: 100) + #"","#
        let good = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventID":"in"}"#
        let docs = [
            "{" + padding + #""Records":["# + good + "," + good + "]}",
            "{" + padding + #""Events":[{"CloudTrailEvent":"{"eventName":"X","eventID":"in"}"}]}"#,
            "{" + padding + #""detail-type":"AWS API Call via CloudTrail","detail":"# + good + "}\n",
        ]
        for doc in docs {
            let (whole, chunked) = Self.compareChunkings(Array(doc.utf8), maxRecordBytes: 90, maxDepth: 64, chunk: chunk)
            #expect(chunked == whole, "\(doc.prefix(140))")
        }
        // Read whole: the wrapper's records are found; the envelope is one oversized record.
        let records = Self.compareChunkings(Array(docs[0].utf8), maxRecordBytes: 90, maxDepth: 64, chunk: chunk).1
        #expect(records.counts.decoded == 2 && records.issues.isEmpty)
    }

    // MARK: - FuzzGzip

    /// Every decompressor's outcome for `file`: what each delivered and how it ended, which must all be the same.
    static func readEveryWay(_ file: [UInt8], _ function: String = #function) throws -> [InputTestSupport.Outcome] {
        let dir = try InputTestSupport.temporaryDirectory(function)
        defer { InputTestSupport.remove(dir) }
        let path = try InputTestSupport.write(file, in: dir)
        return InputTestSupport.decompressors.map { InputTestSupport.read(path, with: InputReader(decompressor: $0)) }
    }

    /// A gzip member with a header CRC (FHCRC) that does not match its header: libdeflate skips the header CRC
    /// without checking it, so the whole-file path delivered the member's data where zlib reports the file corrupt.
    /// Found by FuzzGzip (a first member with FTEXT|FHCRC and a wrong CRC, then a second member).
    static let wrongHeaderCRC = Data(base64Encoded:
        "H4sIAzkAAAAAAAIDq1YKSk3OL0opVrKKrlZKLUvNKwlLLSrOzM9TslIy1DOwVNJRKi1OLfJMAcpkllQqWQEA8l+5yDIAAAAAAAAA" +
        "AAAAH4sIAAAAAAACA3VRO0/DMBDe+Rmem7RJQQVvUekQQaFqOyAkBmOfSlTHDj67D6r8d85pKiEEN1jyfY/7zj4xf2yAcVYghhrU" +
        "0mpgAyacoR6dXOyRo0fOM6qcakzFxZmdOKIPl0OMEiltML5UJPzJPUOA+ADHDixWZTF7KeaLxxlhSEhlzdQaDwfP+OnSKWkEuNjo" +
        "E/4ZrRL1r2jnSKxt2wGDHRi/ruooz0f5TTKaJNn1Orvlec5Hd6+sp6xscDGS3kE5K7epqMWXNTQglba+sJ5EZ1Sand3C3CrQMc4e" +
        "l7ChvIQETECRoE+yuFdnWS4KpRwt1AUYp6M0y8bphPCA4IoNuRJyoLuDzwDoF8LRFA8O4+Z1HNI9mgAAAAAAAAAAAAAAAAAAAAAA" +
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAMP7D2aaSqdQiKGBtlGBjDcJMQ01GpDVB6z5seU8qyDpnoZ6N" +
        "PjLuXYDLo/S/vseiqaZC644oq6YisPjvK9u39uob4sdvKTICAAAAAAA="
    )!

    @Test func wrongHeaderCRCFromTheFuzzer() throws {
        let outcomes = try Self.readEveryWay([UInt8](Self.wrongHeaderCRC))
        for o in outcomes {
            #expect(o.bytes.isEmpty)
            #expect(o.error?.code == .corrupt && o.error?.offset == outcomes[0].error?.offset)
        }
    }

    /// A member with a header CRC after a good member: a right CRC is read on every path, a wrong one is corrupt on
    /// every path, after the first member's data.
    @Test(arguments: [true, false])
    func headerCRCIsCheckedOnEveryPath(right: Bool) throws {
        let first = InputTestSupport.records(20, seed: 3), second = InputTestSupport.records(20, seed: 4)
        var member = InputTestSupport.gzip(second)
        member[3] |= 0x02  // FHCRC: two bytes of CRC-32 (low half) of the header, before the deflate data
        let crc = HostileFiles.crc32(Array(member[0..<10])) ^ (right ? 0 : 1)
        member.insert(contentsOf: [UInt8(crc & 0xFF), UInt8(crc >> 8 & 0xFF)], at: 10)
        let file = InputTestSupport.gzip(first) + member
        for o in try Self.readEveryWay(file) {
            if right {
                #expect(o.error == nil && o.bytes == first + second)
            } else {
                #expect(o.bytes == first)
                #expect(o.error?.code == .corrupt)
                #expect(o.error?.message.contains("header crc mismatch") == true)
            }
        }
    }
}

import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// Records of a `Records` list are decoded straight from the input (`RecordDecoder.topLevelDirect`) instead of
/// being cut out by the splitter first. The records, their indexes and every issue must equal the splitter's way
/// for any chunking, with and without the scan's identity-first pass and a raw prefilter, on malformed records,
/// the edge-case archive and the vendored public samples (Fixtures/reallogs).
struct DirectDecodingTests {
    struct Run: Equatable {
        var records: [String] = []
        var issues: [ParseIssue] = []
        var counts = RecordStream.Counts()
        var direct = 0
    }

    static func run(_ bytes: [UInt8], chunk: Int, direct: Bool, identityFirst: Bool, raw: Bool = false,
                    decodeMemo: DecodeMemo? = nil, fields: RecordFieldSet = .all,
                    maxDepth: Int = RecordSplitter.defaultMaxDepth) -> Run {
        let skip: @Sendable (PeekedFields) -> Bool = { peek in !peek.eventNameIs("Skip") }
        var options = RecordStream.Options(prefilter: identityFirst ? skip : nil)
        options.maxDepth = maxDepth
        options.scansIdentityFirst = identityFirst
        options.directDecoding = direct
        options.decodeMemo = decodeMemo
        options.fields = fields
        if raw {  // drop records containing "~"
            options.rawPrefilter = { (bytes: UnsafeRawBufferPointer) -> Bool in !bytes.contains(0x7E) }
        }
        var stream = RecordStream(options)
        var out = Run()
        var i = 0
        while i < bytes.count {
            let piece = Array(bytes[i..<min(bytes.count, i + chunk)])
            stream.feed(piece) { record, index in out.records.append("\(index): \(record)") }
            i += chunk
        }
        stream.finish()
        out.issues = stream.issues
        out.counts = stream.counts
        out.direct = stream.directSlots
        return out
    }

    static func compare(_ bytes: [UInt8], chunk: Int) {
        for identityFirst in [false, true] {
            for raw in [false, true] {
                let plain = run(bytes, chunk: 1 << 22, direct: false, identityFirst: identityFirst, raw: raw)
                let direct = run(bytes, chunk: chunk, direct: true, identityFirst: identityFirst, raw: raw)
                #expect(plain.direct == 0)
                #expect(direct.records == plain.records)
                #expect(direct.issues == plain.issues)
                #expect(direct.counts == plain.counts)
            }
        }
    }

    static let odd: [String] = ContainerSpansTests.records + [
        #"{"eventSource":"a.amazonaws.com","eventName":"Skip","x":1}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","note":"~"}"#,
        #"{"eventName":"X"}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X"} "#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","a":"unterminated}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","a":[1,2}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","a":{"b":"c\"}"}}"#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","a":1}}"#,
        #"[1,2]"#,
        #""text""#,
        #"{"eventSource":"a.amazonaws.com","eventName":"X","t":"é\u00e9"}"#,
    ]

    @Test(arguments: odd.indices, [1, 3, 17, 1 << 20])
    func oddRecordsGiveTheSameRecordsAndIssues(record: Int, chunk: Int) {
        let doc = "{\"Records\":[" + Self.odd[0] + "," + Self.odd[record] + "," + Self.odd[1] + "]}"
        Self.compare(Array(doc.utf8), chunk: chunk)
    }

    /// A stream limited to fewer nesting levels than the decoder's own scan: a record nested between the two limits
    /// is reported too deep both ways (found by the fuzzer: the direct pass decoded it as a record without an
    /// eventSource), and a shallower one is decoded both ways. With 512 levels records are decoded directly.
    @Test(arguments: [64, 67, 200, 511, 512, 600])
    func aSmallerDepthLimitHoldsOnTheDirectPath(maxDepth: Int) {
        func run(_ doc: String, direct: Bool, chunk: Int) -> Run {
            Self.run(Array(doc.utf8), chunk: chunk, direct: direct, identityFirst: false, maxDepth: maxDepth)
        }
        for levels in [3, 63, 66, 70, 140, 530] {
            let nested = String(repeating: "[", count: levels) + "1" + String(repeating: "]", count: levels)
            let doc = "{\"Records\":[" + Self.odd[0] + ",{\"eventSource\":\"a.amazonaws.com\",\"eventName\":\"X\",\"a\":"
                + nested + "}," + Self.odd[1] + "]}"
            for chunk in [7, 1 << 20] {
                let plain = run(doc, direct: false, chunk: 1 << 20), direct = run(doc, direct: true, chunk: chunk)
                #expect(direct.records == plain.records, "\(levels) levels")
                #expect(direct.issues == plain.issues, "\(levels) levels")
                #expect(direct.counts == plain.counts, "\(levels) levels")
                // (Whole: each record ends in the buffer, so the direct pass takes all three at the default limit.)
                if maxDepth >= 512 && levels < 500 && chunk > 1000 { #expect(direct.direct == 3, "\(levels) levels") }
            }
        }
        // The fuzzer's case: 67 levels allowed, 70 met — too deep, not a record without an eventSource.
        if maxDepth == 67 {
            let nested = String(repeating: "[", count: 70) + "1" + String(repeating: "]", count: 70)
            let doc = "{\"Records\":[{\"eventSource\":\"a.amazonaws.com\",\"eventName\":\"X\",\"a\":" + nested + "}]}"
            let r = run(doc, direct: true, chunk: 1 << 20)
            #expect(r.records.isEmpty && r.issues.map(\.code) == [.recordTooDeep])
        }
    }

    @Test func wellFormedRecordsAreDecodedDirectly() {
        let doc = "{\"Records\":[" + Self.odd[0] + ", " + Self.odd[1] + ",\n" + Self.odd[12] + "]}"
        let r = Self.run(Array(doc.utf8), chunk: 1 << 20, direct: true, identityFirst: true)
        #expect(r.records.count == 3)
        #expect(r.direct == 3)
        #expect(r.issues.isEmpty)
        // With a raw prefilter too (the record's end found by a bracket scan, then parsed when it passes).
        let raw = Self.run(Array(doc.utf8), chunk: 1 << 20, direct: true, identityFirst: true, raw: true)
        #expect(raw.records == r.records && raw.direct == 3)
        // Other shapes (JSON Lines, top-level arrays, EventBridge, lookup-events) keep the splitter's way.
        let lines = Self.odd[0] + "\n" + Self.odd[1] + "\n"
        let l = Self.run(Array(lines.utf8), chunk: 1 << 20, direct: true, identityFirst: true)
        #expect(l.records.count == 2 && l.direct == 0)
    }

    /// Every fixture file: the edge archive and the public CloudTrail samples, decompressed whole and in pieces.
    static var fixtureFiles: [String] {
        var out: [String] = []
        let fm = FileManager.default
        let dirs = [TestPaths.edgeArchive, TestPaths.vendoredReallogs]
        for dir in dirs {
            guard let e = fm.enumerator(atPath: dir) else { continue }
            for case let rel as String in e where rel.hasSuffix(".json") || rel.hasSuffix(".json.gz") || rel.hasSuffix(".gz") {
                out.append(dir + "/" + rel)
            }
        }
        return out.sorted()
    }

    @Test(arguments: [4096, 1 << 22])
    func fixtureArchivesGiveTheSameRecordsAndIssues(chunk: Int) throws {
        let files = Self.fixtureFiles
        #expect(files.count > 5)
        var directTotal = 0
        for path in files {
            let reader = InputReader(decompressor: .zlib)
            var bytes: [UInt8] = []
            _ = try? reader.forEachChunk(path: path) { bytes.append(contentsOf: $0) }
            if bytes.isEmpty { continue }
            Self.compare(bytes, chunk: chunk)
            directTotal += Self.run(bytes, chunk: chunk, direct: true, identityFirst: true).direct
        }
        #expect(directTotal > 100)
    }

    /// The per-worker caches (`DecodeMemo`, with its `IdentityMemo` of whole `userIdentity` objects) change
    /// nothing: same records and issues as decoding without them, and the memo really answers repeated identities.
    @Test(arguments: [4096, 1 << 22])
    func identityMemoAndInternerChangeNothing(chunk: Int) throws {
        var bytesAll: [[UInt8]] = Self.fixtureFiles.compactMap { path in
            var bytes: [UInt8] = []
            _ = try? InputReader(decompressor: .zlib).forEachChunk(path: path) { bytes.append(contentsOf: $0) }
            return bytes.isEmpty ? nil : bytes
        }
        let odd = "{\"Records\":[" + (Self.odd + Self.odd).joined(separator: ",") + "]}"
        bytesAll.append(Array(odd.utf8))
        let decodeMemo = DecodeMemo()
        for bytes in bytesAll {
            for direct in [false, true] {
                // (`fields: []` takes the paths that only check tlsDetails/resources for syntax.)
                for fields in [RecordFieldSet.all, []] {
                    let plain = Self.run(bytes, chunk: chunk, direct: direct, identityFirst: true, fields: fields)
                    let cached = Self.run(bytes, chunk: chunk, direct: direct, identityFirst: true, decodeMemo: decodeMemo,
                                          fields: fields)
                    #expect(cached.records == plain.records)
                    #expect(cached.issues == plain.issues)
                    #expect(cached.counts == plain.counts)
                }
            }
        }
        #expect(decodeMemo.identities.hits > 100)
    }

    /// `resources` lists are looked up by their bytes in the memo (`DecodeMemo.resources`): repeated lists, a
    /// malformed list met twice (both records malformed, with the same issue: a list that throws is never stored),
    /// lists that differ by one byte, and one past the memo's 512-byte limit decode exactly as without the memo.
    @Test(arguments: [7, 4096])
    func resourceListsFromTheMemoAreExact(chunk: Int) {
        func record(_ name: String, _ resources: String) -> String {
            #"{"eventSource":"kms.amazonaws.com","eventName":"\#(name)","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/R/s"},"resources":\#(resources)}"#
        }
        let key = #"[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"arn:aws:kms:us-east-1:111122223333:key/k1"}]"#
        let other = #"[{"accountId":"111122223333","type":"AWS::KMS::Key","ARN":"arn:aws:kms:us-east-1:111122223333:key/k2"}]"#
        let two = #"[{"ARN":"arn:aws:s3:::b","type":"AWS::S3::Bucket"},{"arn":"arn:aws:s3:::b/o","type":"AWS::S3::Object"},7]"#
        let malformed = #"[{"ARN":"arn:aws:kms:us-east-1:111122223333:key/k1",}]"#
        let long = "[" + (0..<12).map { #"{"ARN":"arn:aws:s3:::bucket-with-a-long-name/object-\#($0)","type":"AWS::S3::Object"}"# }
            .joined(separator: ",") + "]"
        let lists = [key, key, other, two, malformed, key, malformed, two, long, long, other, "[]", "[]"]
        let text = "{\"Records\":[" + lists.enumerated().map { record("Decrypt\($0.offset)", $0.element) }.joined(separator: ",") + "]}"
        let bytes = Array(text.utf8)
        let memo = DecodeMemo()
        for direct in [false, true] {
            let plain = Self.run(bytes, chunk: chunk, direct: direct, identityFirst: true)
            let cached = Self.run(bytes, chunk: chunk, direct: direct, identityFirst: true, decodeMemo: memo)
            #expect(cached.records == plain.records)
            #expect(cached.issues == plain.issues)
            #expect(cached.counts == plain.counts)
            #expect(plain.issues.count == 2)
            #expect(plain.records.count == lists.count - 2)
            #expect(cached.records.filter { $0.contains("key/k1") }.count == 3)
        }
    }

    /// A memo released at the end of a worker's pass (`DecodeMemo.release`, which frees its tables) stays exact and
    /// usable: decoding after it gives the same records, and it learns repeated identities again.
    @Test func releasedMemoStaysExactAndRelearns() throws {
        let bytesAll: [[UInt8]] = Self.fixtureFiles.compactMap { path in
            var bytes: [UInt8] = []
            _ = try? InputReader(decompressor: .zlib).forEachChunk(path: path) { bytes.append(contentsOf: $0) }
            return bytes.isEmpty ? nil : bytes
        }
        try #require(!bytesAll.isEmpty)
        let decodeMemo = DecodeMemo()
        var hitsAfterRelease = 0
        for bytes in bytesAll {
            let plain = Self.run(bytes, chunk: 1 << 22, direct: true, identityFirst: true)
            for _ in 0..<2 {
                let before = decodeMemo.identities.hits
                let cached = Self.run(bytes, chunk: 1 << 22, direct: true, identityFirst: true, decodeMemo: decodeMemo)
                #expect(cached.records == plain.records)
                #expect(cached.issues == plain.issues)
                hitsAfterRelease += decodeMemo.identities.hits - before  // (every pass starts from a released memo)
                decodeMemo.release()
            }
        }
        #expect(hitsAfterRelease > 50)
    }

    struct Stop: Error, Equatable { let index: Int }

    /// An error thrown by the receiver of the records ends the feed with that error, on the direct path and the
    /// splitter's: it is not a malformed record (not counted or reported as one), and the record it was thrown for
    /// counts as decoded. (Records go to the receiver from inside the decoder; only its `DecodeError`s are malformed.)
    @Test(arguments: [false, true])
    func anErrorOfTheReceiverEndsTheFeed(direct: Bool) throws {
        let text = #"{"Records":[{"eventSource":"a.amazonaws.com","eventName":"A"},"# +
            #"{"eventSource":"a.amazonaws.com","eventName":"B"},{"eventSource":"a.amazonaws.com","eventName":"C"}]}"#
        var options = RecordStream.Options()
        options.directDecoding = direct
        var stream = RecordStream(options)
        var seen: [String] = []
        #expect(throws: Stop(index: 1)) {
            try stream.feed(Array(text.utf8)) { record, index in
                seen.append(record.eventName)
                if index == 1 { throw Stop(index: 1) }
            }
        }
        #expect(seen == ["A", "B"])
        #expect(stream.counts.decoded == 2)
        #expect(stream.counts.malformed == 0)
        #expect(stream.issues.isEmpty)
        #expect(direct ? stream.directSlots > 0 : stream.directSlots == 0)
    }

}

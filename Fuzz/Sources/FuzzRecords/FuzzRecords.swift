// libFuzzer target: the record splitter and decoder (`RecordStream`, Sources/AgentTrail/Parse) on arbitrary bytes.
//
// Input: a 4-byte header, then the document.
//   byte 0  flags: 1 direct decoding, 2 keep raw, 4 raw prefilter (drops records containing "~"),
//           8 peek prefilter with the scan's identity-first pass (drops eventName "Skip"), 16 a string decodeMemo,
//           32 small record limits (byte 2), 64 only the always-decoded fields plus byte 3's set
//   byte 1  chunk size: 0 whole input, 1...127 that many bytes, 128...255 (n - 127) * 61 bytes
//   byte 2  with flag 32: maxRecordBytes = 16 + byte * 8, maxDepth = 64 + byte % 16
//   byte 3  with flag 64: RecordFieldSet bits 0-7 (bits 8-15 from byte 3 reversed)
// Oracles: no crash, leak or hang; the records (with their indexes), issues and counts equal those of the same
// options read whole by the splitter alone (`directDecoding = false`, no decodeMemo), as `DirectDecodingTests` asserts
// for its fixed inputs; counts add up (`elements == decoded + filtered + malformed`).
@testable import AgentTrail
import FuzzDriver

struct Run: Equatable {
    var records: [String] = []
    var issues: [ParseIssue] = []
    var counts = RecordStream.Counts()
}

func run(_ doc: UnsafeRawBufferPointer, _ options: RecordStream.Options, chunk: Int) -> Run {
    var stream = RecordStream(options)
    var out = Run()
    var start = 0
    repeat {
        let end = chunk == 0 ? doc.count : min(doc.count, start + chunk)
        // Each chunk is a fresh copy, freed after the call: AddressSanitizer reports any pointer the stream keeps.
        let piece = UnsafeMutableRawBufferPointer.allocate(byteCount: end - start, alignment: 1)
        piece.copyMemory(from: UnsafeRawBufferPointer(rebasing: doc[start..<end]))
        stream.feed(UnsafeRawBufferPointer(piece)) { record, index in out.records.append("\(index): \(record)") }
        piece.deallocate()
        start = end
    } while start < doc.count
    stream.finish()
    out.issues = stream.issues
    out.counts = stream.counts
    return out
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 4 else { return 0 }
    let flags = data[0], chunkByte = Int(data[1]), limits = Int(data[2]), fieldByte = UInt32(data[3])
    let doc = UnsafeRawBufferPointer(start: data + 4, count: size - 4)

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

    let got = run(doc, options, chunk: chunk)
    let counts = got.counts
    precondition(counts.elements == counts.decoded + counts.filtered + counts.malformed,
                 "counts do not add up: \(counts)")
    precondition(got.records.count == counts.decoded, "\(got.records.count) records handed over, \(counts.decoded) counted")
    if options.directDecoding || options.decodeMemo != nil || chunk != 0 {
        let want = run(doc, reference, chunk: 0)
        precondition(got.counts == want.counts, "counts \(got.counts) differ from the splitter's \(want.counts)")
        precondition(got.issues == want.issues, "issues \(got.issues) differ from the splitter's \(want.issues)")
        precondition(got.records == want.records, "records differ from the splitter's")
    }
    return 0
}

/// The entry point SwiftPM links as `main` (see FuzzDriver.h).
@_cdecl("FuzzRecords_main")
public func fuzzRecordsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    agenttrail_fuzz_main(argc, argv) { data, size in fuzz(data!, size) }
}

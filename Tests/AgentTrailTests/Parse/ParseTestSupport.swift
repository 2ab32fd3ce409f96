import CZlib
import Foundation
@testable import AgentTrail

/// Helpers shared by the parser tests.
enum ParseSupport {
    /// Splits `bytes` fed in chunks of `chunkSize`, returning each emitted record's bytes and position.
    static func split(_ bytes: [UInt8], chunkSize: Int) -> (records: [[UInt8]], positions: [RecordPosition], issues: [ParseIssue]) {
        var splitter = RecordSplitter()
        var records: [[UInt8]] = []
        var positions: [RecordPosition] = []
        bytes.withUnsafeBytes { all in
            var start = 0
            repeat {
                let end = min(start + max(chunkSize, 1), all.count)
                splitter.feed(UnsafeRawBufferPointer(rebasing: all[start..<end])) { rec, pos in
                    records.append(Array(rec))
                    positions.append(pos)
                }
                start = end
            } while start < all.count
        }
        splitter.finish()
        return (records, positions, splitter.issues)
    }

    static func split(_ text: String, chunkSize: Int = 1 << 20) -> (records: [[UInt8]], positions: [RecordPosition], issues: [ParseIssue]) {
        split(Array(text.utf8), chunkSize: chunkSize)
    }

    /// Runs a `RecordStream` over `bytes` in chunks.
    static func stream(_ bytes: [UInt8], chunkSize: Int = 1 << 20,
                       options: RecordStream.Options = .init()) -> (records: [(CloudTrailRecord, Int)], stream: RecordStream) {
        var s = RecordStream(options)
        var out: [(CloudTrailRecord, Int)] = []
        var start = 0
        repeat {
            let end = min(start + chunkSize, bytes.count)
            s.feed(Array(bytes[start..<end])) { r, i in out.append((r, i)) }
            start = end
        } while start < bytes.count
        s.finish()
        return (out, s)
    }

    static func stream(_ text: String, chunkSize: Int = 1 << 20,
                       options: RecordStream.Options = .init()) -> (records: [(CloudTrailRecord, Int)], stream: RecordStream) {
        stream(Array(text.utf8), chunkSize: chunkSize, options: options)
    }

    static func decode(_ text: String, keepRaw: Bool = false) throws(DecodeError) -> CloudTrailRecord? {
        try RecordDecoder(keepRaw: keepRaw).decode(Array(text.utf8))
    }

    /// Inflates gzip data with zlib (window bits 47: gzip or zlib header, auto-detected).
    static func gunzip(_ data: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard agenttrail_inflateInit2(&stream, 47) == Z_OK else { throw GunzipError() }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var input = data
        let status: Int32 = input.withUnsafeMutableBufferPointer { inBuf in
            stream.next_in = inBuf.baseAddress
            stream.avail_in = uInt(inBuf.count)
            var rc: Int32 = Z_OK
            repeat {
                rc = buffer.withUnsafeMutableBufferPointer { outBuf in
                    stream.next_out = outBuf.baseAddress
                    stream.avail_out = uInt(outBuf.count)
                    let r = inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: outBuf[0..<(outBuf.count - Int(stream.avail_out))])
                    return r
                }
            } while rc == Z_OK
            return rc
        }
        guard status == Z_STREAM_END else { throw GunzipError() }
        return output
    }

    struct GunzipError: Error {}
}

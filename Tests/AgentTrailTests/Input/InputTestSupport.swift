import AgentTrailTestSupport
import CZlib
import Foundation
@testable import AgentTrail

/// Helpers shared by the input tests: gzip built in-process with zlib, temp folders, readers.
enum InputTestSupport {
    /// One gzip member of `bytes` (zlib deflate with windowBits 31).
    static func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var strm = z_stream()
        precondition(agenttrail_deflateInit2(&strm, level, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK)
        defer { deflateEnd(&strm) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&strm, uLong(bytes.count))) + 64)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                strm.next_in = inBuf.baseAddress
                strm.avail_in = uInt(inBuf.count)
                strm.next_out = outBuf.baseAddress
                strm.avail_out = uInt(outBuf.count)
                let result = deflate(&strm, Z_FINISH)
                precondition(result == Z_STREAM_END, "deflate failed: \(result)")
                return outBuf.count - Int(strm.avail_out)
            }
        }
        return Array(output[..<produced])
    }

    /// A gzip file of several members, one per part.
    static func gzipMembers(_ parts: [[UInt8]]) -> [UInt8] { parts.flatMap { gzip($0) } }

    /// Deterministic CloudTrail-like text: `{"Records":[...]}` with `count` varied records.
    static func records(_ count: Int, seed: UInt64 = 1) -> [UInt8] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var text = "{\"Records\":["
        for i in 0..<count {
            if i > 0 { text += "," }
            text += "{\"eventVersion\":\"1.08\",\"eventTime\":\"2025-07-14T18:\(10 + i % 50):0\(i % 10)Z\","
            text += "\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"InvokeModel\","
            text += "\"sourceIPAddress\":\"10.\(next() % 256).\(next() % 256).\(next() % 256)\","
            text += "\"requestID\":\"\(String(next(), radix: 16))-\(String(next(), radix: 16))\","
            text += "\"eventID\":\"\(String(next(), radix: 36))\(String(next(), radix: 36))\"}"
        }
        text += "]}"
        return Array(text.utf8)
    }

    /// A fresh temporary folder, removed by the caller with `remove`.
    static func temporaryDirectory(_ name: String = #function) throws -> URL {
        try TestPaths.temporaryFolder("input-" + name.filter { $0.isLetter || $0.isNumber })
    }

    static func remove(_ url: URL) { TestPaths.remove(url) }

    /// Writes `bytes` to a new file in a temporary folder and returns its path (folder removed with `remove`).
    static func write(_ bytes: [UInt8], name: String = "input.json.gz", in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Everything `reader` delivered for `path`, plus the stats or the error that ended the read.
    struct Outcome {
        var bytes: [UInt8] = []
        var chunks = 0
        var stats: ReadStats?
        var error: InputError?
    }

    static func read(_ path: String, with reader: InputReader) -> Outcome {
        var outcome = Outcome()
        do {
            outcome.stats = try reader.forEachChunk(path: path) { chunk in
                outcome.bytes.append(contentsOf: chunk)
                outcome.chunks += 1
            }
        } catch let error as InputError {
            outcome.error = error
        } catch {
            outcome.error = InputError(.unreadable, "unexpected \(error)", path: path)
        }
        return outcome
    }

    /// Decompressor choices to test: zlib always, libdeflate only where it can be loaded.
    static let decompressors: [Decompressor] = Decompressor.libdeflateAvailable ? [.zlib, .auto, .libdeflate] : [.zlib, .auto]

    /// The public CloudTrail samples vendored with the tests (`Fixtures/reallogs`, see its SOURCES.md).
    static var vendoredRealLogs: URL { URL(fileURLWithPath: TestPaths.vendoredReallogs, isDirectory: true) }
}

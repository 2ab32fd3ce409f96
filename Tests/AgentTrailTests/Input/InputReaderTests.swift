import Foundation
import Testing
@testable import AgentTrail

private typealias T = InputTestSupport

/// A named valid input: file bytes and the bytes a reader must deliver.
struct ValidInputCase: CustomTestStringConvertible, Sendable {
    var name: String
    var file: [UInt8]
    var expected: [UInt8]
    var gzipMembers: Int  // 0 for plain input
    var testDescription: String { name }

    static let small = InputTestSupport.records(3)
    static let large = InputTestSupport.records(20_000, seed: 7)  // several MB, many zlib chunks

    static let all: [ValidInputCase] = {
        let a = InputTestSupport.records(40, seed: 2), b = InputTestSupport.records(5, seed: 3)
        let c = InputTestSupport.records(700, seed: 4)
        return [
            ValidInputCase(name: "single member", file: T.gzip(small), expected: small, gzipMembers: 1),
            ValidInputCase(name: "two members", file: T.gzipMembers([a, b]), expected: a + b, gzipMembers: 2),
            ValidInputCase(name: "three members", file: T.gzipMembers([a, b, c]), expected: a + b + c, gzipMembers: 3),
            ValidInputCase(name: "first member larger than last (ISIZE too small)",
                           file: T.gzipMembers([large, b]), expected: large + b, gzipMembers: 2),
            ValidInputCase(name: "empty gzip member", file: T.gzip([]), expected: [], gzipMembers: 1),
            ValidInputCase(name: "empty member between members", file: T.gzipMembers([a, [], b]),
                           expected: a + b, gzipMembers: 3),
            ValidInputCase(name: "trailing zero padding", file: T.gzip(a) + [UInt8](repeating: 0, count: 1000),
                           expected: a, gzipMembers: 1),
            ValidInputCase(name: "zero padding between members",
                           file: T.gzip(a) + [0, 0, 0, 0] + T.gzip(b), expected: a + b, gzipMembers: 2),
            ValidInputCase(name: "larger than one chunk", file: T.gzip(large), expected: large, gzipMembers: 1),
            ValidInputCase(name: "stored blocks (level 0)", file: T.gzip(large, level: 0), expected: large, gzipMembers: 1),
            ValidInputCase(name: "plain text passthrough", file: large, expected: large, gzipMembers: 0),
            ValidInputCase(name: "plain one byte", file: [UInt8(ascii: "{")], expected: [UInt8(ascii: "{")], gzipMembers: 0),
            ValidInputCase(name: "empty file", file: [], expected: [], gzipMembers: 0),
            // A file up to `streamInputSize` is read with one `pread` and its magic and ISIZE taken from memory; one
            // byte more is read as before (magic, ISIZE, then the body). Zero padding sets the sizes exactly.
            padded(a, to: InputReader.streamInputSize - 1, name: "one byte under the streaming input size"),
            padded(a, to: InputReader.streamInputSize, name: "exactly the streaming input size"),
            padded(a, to: InputReader.streamInputSize + 1, name: "one byte over the streaming input size"),
            ValidInputCase(name: "gzip member ending exactly at the streaming input size",
                           file: exactMember(size: InputReader.streamInputSize).file,
                           expected: exactMember(size: InputReader.streamInputSize).expected, gzipMembers: 1),
        ]
    }()

    /// One gzip member of `bytes` followed by zeros up to `size` bytes in all.
    static func padded(_ bytes: [UInt8], to size: Int, name: String) -> ValidInputCase {
        let member = T.gzip(bytes)
        return ValidInputCase(name: name, file: member + [UInt8](repeating: 0, count: size - member.count),
                              expected: bytes, gzipMembers: 1)
    }

    /// A single stored (level 0) member of exactly `size` bytes, so that its ISIZE is the file's last four bytes.
    static func exactMember(size: Int) -> (file: [UInt8], expected: [UInt8]) {
        // A stored member costs its payload plus a fixed overhead (header, block headers, trailer): measure it once
        // for a payload near the target, then take that many bytes off.
        let records = InputTestSupport.records(2_000, seed: 11)
        var payload = Array(records.prefix(size - 100))
        let overhead = T.gzip(payload, level: 0).count - payload.count
        payload = Array(records.prefix(size - overhead))
        let file = T.gzip(payload, level: 0)
        precondition(file.count == size, "stored member of \(file.count) bytes, wanted \(size)")
        return (file, payload)
    }
}

@Suite struct InputReaderTests {
    @Test(arguments: ValidInputCase.all, T.decompressors)
    func validInputIsDeliveredExactly(input: ValidInputCase, decompressor: Decompressor) throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let path = try T.write(input.file, in: dir)
        let outcome = T.read(path, with: InputReader(decompressor: decompressor))
        #expect(outcome.error == nil)
        #expect(outcome.bytes == input.expected)
        let stats = try #require(outcome.stats)
        #expect(stats.compressedBytes == Int64(input.file.count))
        #expect(stats.decompressedBytes == Int64(input.expected.count))
        #expect(stats.members == input.gzipMembers)
        if input.gzipMembers == 0 {
            #expect(stats.method == .plain)
        } else if decompressor == .zlib || !Decompressor.libdeflateAvailable {
            #expect(stats.method == .zlib)
            #expect(!stats.fellBackToZlib)
        } else {
            #expect(stats.method == .libdeflate)
        }
    }

    @Test(arguments: ValidInputCase.all)
    func zlibStreamingUsesBoundedChunks(input: ValidInputCase) throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let path = try T.write(input.file, in: dir)
        var largest = 0
        try InputReader(decompressor: .zlib).forEachChunk(path: path) { largest = max(largest, $0.count) }
        #expect(largest <= max(InputReader.streamOutputSize, InputReader.streamInputSize))
    }

    @Test func forcedZlibNeverUsesLibdeflate() {
        let reader = InputReader(decompressor: .zlib)
        #expect(!reader.usesLibdeflate)
        #expect(!Decompressor.zlib.usesLibdeflate)
        #expect(Decompressor.zlib.inUseDescription.hasPrefix("zlib "))
    }

    @Test func libdeflateDescriptionMatchesAvailability() {
        #expect(Decompressor.auto.usesLibdeflate == Decompressor.libdeflateAvailable)
        #expect(InputReader(decompressor: .auto).usesLibdeflate == Decompressor.libdeflateAvailable)
        #expect(Decompressor.auto.inUseDescription.contains("libdeflate") == Decompressor.libdeflateAvailable)
    }

    @Test(.enabled(if: Decompressor.libdeflateAvailable, "libdeflate.so.0 not installed"))
    func isizeAboveCapStreamsWithZlib() throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let data = ValidInputCase.large
        let path = try T.write(T.gzip(data), in: dir)
        let outcome = T.read(path, with: InputReader(decompressor: .auto, wholeFileCap: 1 << 20))
        #expect(outcome.bytes == data)
        #expect(outcome.stats?.method == .zlib)
        #expect(outcome.stats?.fellBackToZlib == true)
    }

    @Test(.enabled(if: Decompressor.libdeflateAvailable, "libdeflate.so.0 not installed"))
    func memberAboveCapHandsOverToZlibMidFile() throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let first = T.records(10), big = ValidInputCase.large, last = T.records(2)
        // ISIZE (last member) is small, the compressed size is under the cap, but member 2 exceeds it.
        let path = try T.write(T.gzipMembers([first, big, last]), in: dir)
        let outcome = T.read(path, with: InputReader(decompressor: .auto, wholeFileCap: 2 << 20))
        #expect(outcome.error == nil)
        #expect(outcome.bytes == first + big + last)
        #expect(outcome.stats?.members == 3)
        #expect(outcome.stats?.fellBackToZlib == true)
    }

    @Test(arguments: T.decompressors)
    func maxDecompressedBytesStopsBombs(decompressor: Decompressor) throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let path = try T.write(T.gzip([UInt8](repeating: 0x20, count: 3 << 20)), in: dir)
        let outcome = T.read(path, with: InputReader(decompressor: decompressor, maxDecompressedBytes: 1 << 20))
        #expect(outcome.error?.code == .tooLarge)
        #expect(outcome.bytes.count <= 1 << 20)
    }

    @Test func readerIsReusableAcrossFiles() throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let reader = InputReader()
        for (i, input) in ValidInputCase.all.enumerated() {
            let path = try T.write(input.file, name: "f\(i).json.gz", in: dir)
            #expect(T.read(path, with: reader).bytes == input.expected, "\(input.name)")
        }
    }

    @Test func missingFileIsNotFound() {
        let outcome = T.read("/nonexistent/agenttrail/x.json.gz", with: InputReader())
        #expect(outcome.error?.code == .notFound)
        #expect(outcome.error?.path == "/nonexistent/agenttrail/x.json.gz")
    }

    @Test func directoryIsRejected() throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        #expect(T.read(dir.path, with: InputReader()).error?.code == .unsupported)
    }

    @Test(arguments: T.decompressors)
    func convenienceReadsLogFile(decompressor: Decompressor) throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let data = T.records(50)
        let path = try T.write(T.gzip(data), in: dir)
        var bytes: [UInt8] = []
        let stats = try DecompressedStream.forEachChunk(of: LogFile(path: path), decompressor: decompressor) {
            bytes.append(contentsOf: $0)
        }
        #expect(bytes == data)
        #expect(stats.decompressedBytes == Int64(data.count))
        #expect(try DecompressedStream.readAll(path: path, decompressor: decompressor) == data)
    }
}

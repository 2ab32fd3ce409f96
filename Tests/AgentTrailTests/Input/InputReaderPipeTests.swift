import Foundation
import Synchronization
import Testing
@testable import AgentTrail
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private typealias T = InputTestSupport

/// Writes `bytes` to `fd` on another thread, in small pieces so the reader sees partial reads, then closes it.
private func feed(_ fd: Int32, _ bytes: [UInt8]) {
    Thread {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].prefix(7_777).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            offset += n
        }
        close(fd)
    }.start()
}

@Suite struct InputReaderPipeTests {
    static let payload = T.records(3_000, seed: 5) + T.records(10, seed: 6)
    static let inputs: [(String, [UInt8])] = [
        ("gzip two members", T.gzip(T.records(3_000, seed: 5)) + T.gzip(T.records(10, seed: 6))),
        ("plain", payload),
    ]

    @Test(arguments: [0, 1], T.decompressors)
    func readsFromPipeDescriptor(index: Int, decompressor: Decompressor) throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        feed(fds[1], Self.inputs[index].1)
        var bytes: [UInt8] = []
        let stats = try InputReader(decompressor: decompressor).forEachChunk(fileDescriptor: fds[0], path: "pipe") {
            bytes.append(contentsOf: $0)
        }
        #expect(bytes == Self.payload)
        #expect(stats.method == (index == 0 ? .zlib : .plain))
        #expect(stats.compressedBytes == Int64(Self.inputs[index].1.count))
    }

    @Test func truncatedPipeReportsOffset() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let whole = Self.inputs[0].1
        feed(fds[1], Array(whole[..<(whole.count / 2)]))
        var bytes: [UInt8] = []
        #expect {
            try InputReader().forEachChunk(fileDescriptor: fds[0], path: "-") { bytes.append(contentsOf: $0) }
        } throws: { error in
            let e = error as? InputError
            return e?.code == .truncated && e?.path == "-" && e?.offset == Int64(whole.count / 2)
        }
        #expect(!bytes.isEmpty && Self.payload.starts(with: bytes))
    }

    @Test func dashReadsStandardInput() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        let saved = dup(STDIN_FILENO)
        try #require(saved >= 0)
        try #require(dup2(fds[0], STDIN_FILENO) >= 0)
        close(fds[0])
        defer {
            dup2(saved, STDIN_FILENO)
            close(saved)
        }
        feed(fds[1], Self.inputs[0].1)
        var bytes: [UInt8] = []
        let stats = try InputReader().forEachChunk(of: LogFile.standardInput) { bytes.append(contentsOf: $0) }
        #expect(bytes == Self.payload)
        #expect(stats.method == .zlib)  // standard input is always streamed
        #expect(LogFile.standardInput.isStandardInput)
    }

    /// A named pipe is not an input file (it could block the run forever): refused at once, never opened; `-` reads
    /// a pipe. (The writer only opens it non-blocking, so it never waits for a reader that does not come.)
    @Test(arguments: T.decompressors)
    func namedPipeIsRefused(decompressor: Decompressor) throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let path = dir.appendingPathComponent("fifo.json.gz").path
        try #require(mkfifo(path, 0o600) == 0)
        let opened = Mutex(false)
        let stop = Mutex(false)
        Thread {
            while !stop.withLock({ $0 }) {
                let fd = open(path, O_WRONLY | O_NONBLOCK)  // succeeds only while someone has it open for reading
                if fd >= 0 { opened.withLock { $0 = true }; close(fd); return }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }.start()
        defer { stop.withLock { $0 = true } }
        #expect {
            try InputReader(decompressor: decompressor).forEachChunk(path: path) { _ in }
        } throws: { error in
            (error as? InputError)?.code == .unsupported
        }
        Thread.sleep(forTimeInterval: 0.1)
        #expect(!opened.withLock { $0 }, "the FIFO was opened for reading")
    }
}

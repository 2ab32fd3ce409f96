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

/// Watches a FIFO from another thread until `stop`: a non-blocking open for writing succeeds only while someone has it
/// open for reading, so `opened` records any such open; it also lets a reader blocked opening it (the bug) go on, so
/// that the test fails instead of hanging.
private final class FIFOWatch: Sendable {
    let opened = Mutex(false)
    let stopped = Mutex(false)

    init(_ fifo: String) {
        Thread { [self] in
            while !stopped.withLock({ $0 }) {
                let fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)
                if fd >= 0 { opened.withLock { $0 = true }; close(fd) }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }.start()
    }

    func stop() { stopped.withLock { $0 = true } }
    var sawAReader: Bool { opened.withLock { $0 } }
}

/// Files that are not plain, finished log files: FIFOs, files still growing, links out of the input folder.
@Suite struct InputOddFilesTests {
    @Test func aFIFONamedAsInputIsReportedNotOpened() throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let fifo = dir.appendingPathComponent("pipe.json").path
        try #require(mkfifo(fifo, 0o600) == 0)
        let watch = FIFOWatch(fifo)
        defer { watch.stop() }
        let walk = ArchiveWalker().walk([fifo])
        #expect(walk.files.isEmpty)
        #expect(walk.failures.map(\.code) == [.unsupported])
        #expect(walk.failures.first?.message.contains("not a regular file") == true)
        // The reader refuses it too, without opening it.
        let outcome = T.read(fifo, with: InputReader(decompressor: .zlib))
        #expect(outcome.error?.code == .unsupported)
        Thread.sleep(forTimeInterval: 0.1)
        #expect(!watch.sawAReader, "the FIFO was opened for reading")
        // In a folder, a FIFO with a log name is skipped silently, as before.
        let inFolder = ArchiveWalker().walk([dir.path])
        #expect(inFolder.files.isEmpty && inFolder.failures.isEmpty)
    }

    /// A file that grows while it is read (something still writing it) is read up to its size at open, on the
    /// streaming paths too; it used to be read for as long as it grew.
    @Test(arguments: [("plain", Decompressor.zlib), ("plain", .auto), ("gzip", .zlib)])
    func aGrowingFileEndsAtItsSizeAtOpen(kind: String, decompressor: Decompressor) throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let payload = T.records(6_000, seed: 9)
        let original = kind == "gzip" ? T.gzip(payload) : payload
        let path = try T.write(original, name: "growing.json" + (kind == "gzip" ? ".gz" : ""), in: dir)
        let appended = kind == "gzip" ? T.gzip(T.records(500, seed: 10)) : Array(repeating: UInt8(ascii: " "), count: 64 * 1024)
        let writer = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? writer.close() }
        try writer.seekToEnd()
        var delivered = 0
        var appends = 0
        // (.auto on a plain file: the whole-file path's plain fallback; otherwise zlib / plain streaming.)
        let cap = decompressor == .auto ? InputReader.defaultWholeFileCap : 0
        let stats = try InputReader(decompressor: decompressor, wholeFileCap: cap).forEachChunk(path: path) { chunk in
            delivered += chunk.count
            if appends < 300 {  // (bounded, so that the bug ends too)
                writer.write(Data(appended))
                appends += 1
            }
        }
        #expect(appends > 1)
        #expect(delivered == payload.count)
        #expect(stats.compressedBytes == Int64(original.count))
    }

    @Test func linksOutOfTheInputFolderAreNotFollowed() throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let fm = FileManager.default
        let root = dir.appendingPathComponent("root"), outside = dir.appendingPathComponent("outside")
        _ = try T.write(T.records(2), name: "in/a.json", in: root)
        _ = try T.write(T.records(3), name: "x.json", in: outside)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("outdir").path, withDestinationPath: "../outside")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("outfile.json").path, withDestinationPath: outside.path + "/x.json")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("indir").path, withDestinationPath: "in")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("etc").path, withDestinationPath: "/etc")
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("notes").path, withDestinationPath: "/etc/hostname")

        let walk = ArchiveWalker().walk([root.path])
        #expect(walk.files.map(\.path) == [root.path + "/in/a.json"])  // (indir/a.json is the same file)
        #expect(walk.skippedOutsideRoot == ["etc", "outdir", "outfile.json"].map { root.path + "/" + $0 })
        #expect(walk.failures.isEmpty)

        // Given as its own input, the outside folder is read; a link to the root is a root too.
        let link = dir.appendingPathComponent("root-link").path
        try fm.createSymbolicLink(atPath: link, withDestinationPath: root.path)
        let both = ArchiveWalker().walk([link, outside.path])
        #expect(both.files.map(\.path) == [link + "/in/a.json", outside.path + "/x.json"])

        // The scan summary says what was not followed (the JSON key only when there is something to say).
        let r = ScanRun.run(ScanOptions(paths: [root.path], jobs: 1))
        #expect(r.summary.recordsTotal == 2)
        #expect(r.summary.skippedOutsideRoot.count == 3)
        #expect(r.summary.text().contains("3 links out of the input folder"))
        #expect(r.summary.json.serialized().contains("\"outsideRoot\":3"))
        let plain = ScanRun.run(ScanOptions(paths: [root.path + "/in"], jobs: 1))
        #expect(!plain.summary.json.serialized().contains("outsideRoot"))
        let (_, stats) = QueryRun.run(QueryOptions(paths: [root.path], query: EventQuery(), jobs: 1)) { EventCounter(by: nil) }
        #expect(stats.skippedOutsideRoot.count == 3 && stats.records == 2)
    }

    @Test func aByteOrderMarkIsNotAMalformedRecord() throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let body = [0xEF, 0xBB, 0xBF] + T.records(4)
        _ = try T.write(body, name: "bom.json", in: dir)
        _ = try T.write(T.gzip(body), name: "bom.json.gz", in: dir)
        let r = ScanRun.run(ScanOptions(paths: [dir.path], jobs: 1))
        #expect(r.summary.recordsTotal == 8)
        #expect(r.summary.recordsMalformed == 0, "\(r.summary.malformed)")
        #expect(r.summary.failed.isEmpty)
    }

    @Test func aRepeatedRecordsKeyIsReadWhole() throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let one = String(decoding: T.records(2, seed: 3), as: UTF8.self), two = String(decoding: T.records(3, seed: 4), as: UTF8.self)
        // {"Records":[r1,r2],"Records":[r3,r4,r5]}
        let text = String(one.dropLast()) + "," + String(two.dropFirst())
        _ = try T.write(T.gzip(Array(text.utf8)), name: "twice.json.gz", in: dir)
        for d in [Decompressor.zlib, .auto] {
            let r = ScanRun.run(ScanOptions(paths: [dir.path], jobs: 1, decompressor: d))
            #expect(r.summary.recordsTotal == 5)
            #expect(r.summary.recordsMalformed == 0 && r.summary.failed.isEmpty)
        }
    }
}

/// A walked file is not `stat`ed again before it is opened (`LogFile.walkedAsRegularFile`): one replaced by a FIFO
/// after the walk is still refused once opened (non-blocking) and `fstat` says what it is, and never blocks.
@Suite struct InputWalkedFileTests {
    @Test(arguments: T.decompressors)
    func aFIFOSwappedInAfterTheWalkIsRefusedWithoutBlocking(decompressor: Decompressor) throws {
        let dir = try T.temporaryDirectory()
        defer { T.remove(dir) }
        let path = try T.write(T.gzip(T.records(3)), name: "111122223333_CloudTrail_us-east-1_20250714T1810Z_a.json.gz",
                               in: dir)
        let walk = ArchiveWalker().walk([dir.path])
        let file = try #require(walk.files.first)
        #expect(file.walkedAsRegularFile)
        #expect(!LogFile(path: path).walkedAsRegularFile && !LogFile.standardInput.walkedAsRegularFile)
        // Read as walked: the same bytes as by path.
        var bytes: [UInt8] = []
        try InputReader(decompressor: decompressor).forEachChunk(of: file) { bytes.append(contentsOf: $0) }
        #expect(bytes == T.records(3))
        // Swapped for a FIFO with no writer: a blocking open would wait forever; this one is refused.
        try FileManager.default.removeItem(atPath: path)
        try #require(mkfifo(path, 0o600) == 0)
        #expect {
            try InputReader(decompressor: decompressor).forEachChunk(of: file) { _ in }
        } throws: { error in
            (error as? InputError)?.code == .unsupported
        }
    }
}

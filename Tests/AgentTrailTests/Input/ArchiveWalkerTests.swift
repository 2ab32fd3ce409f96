import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

private typealias T = InputTestSupport

/// Wraps the real file system, records every call, and can fail chosen paths.
private final class RecordingFileSystem: WalkerFileSystem, @unchecked Sendable {
    private let lock = NSLock()
    private var statted: [String] = []
    private var listed: [String] = []
    let failing: Set<String>
    let base = PosixFileSystem()

    init(failing: Set<String> = []) { self.failing = failing }

    var touched: [String] { lock.withLock { statted + listed } }
    var listedDirectories: [String] { lock.withLock { listed } }

    func status(of path: String) throws -> FileStatus {
        lock.withLock { statted.append(path) }
        return try base.status(of: path)
    }

    func entries(of directory: String) throws -> [DirectoryEntry] {
        lock.withLock { listed.append(directory) }
        if failing.contains(directory) { throw InputError(.unreadable, "cannot list directory: injected", path: directory) }
        return try base.entries(of: directory)
    }
}

/// The real file system without open directories: every entry `stat`ed by its whole path, as before `fstatat`.
private struct PathOnlyFileSystem: WalkerFileSystem {
    let base = PosixFileSystem()
    func status(of path: String) throws -> FileStatus { try base.status(of: path) }
    func entries(of directory: String) throws -> [DirectoryEntry] { try base.entries(of: directory) }
    func resolvedPath(of path: String) -> String? { base.resolvedPath(of: path) }
}

/// A small CloudTrail archive on disk.
private struct Archive {
    let root: URL
    var path: String { root.path }
    static let account = "111122223333"

    static func key(account: String = account, service: String = "CloudTrail", region: String = "us-east-1",
                    day: String = "2025/07/14", stamp: String) -> String {
        let kindToken = service == "CloudTrail" ? "CloudTrail" : service
        return "AWSLogs/\(account)/\(service)/\(region)/\(day)/\(account)_\(kindToken)_\(region)_\(stamp)_u.json.gz"
    }

    static let inRange = key(stamp: "20250714T1100Z")
    static let earlyFile = key(stamp: "20250714T0500Z")        // delivered before since
    static let oldDayFile = key(day: "2025/07/10", stamp: "20250710T1100Z")
    static let otherRegion = key(region: "eu-west-1", stamp: "20250714T1100Z")
    static let otherAccount = key(account: "999988887777", stamp: "20250714T1100Z")
    static let digest = key(service: "CloudTrail-Digest", stamp: "20250714T1100Z")
    static let insight = key(service: "CloudTrail-Insight", stamp: "20250714T1100Z")

    init(danglingOutOfRange: Bool) throws {
        root = try T.temporaryDirectory("archive")
        let fm = FileManager.default
        let gz = T.gzip(T.records(2))
        for key in [Self.inRange, Self.oldDayFile, Self.otherRegion, Self.otherAccount, Self.digest, Self.insight] {
            _ = try T.write(gz, name: key, in: root)
        }
        if danglingOutOfRange {
            // Out-of-range entries that fail if anyone stats them: dangling symbolic links.
            try fm.createSymbolicLink(atPath: root.appendingPathComponent(Self.earlyFile).path,
                                      withDestinationPath: "/nonexistent/agenttrail/early")
            try fm.createSymbolicLink(atPath: root.appendingPathComponent("AWSLogs/\(Self.account)/CloudTrail/us-east-1/2025/07/10/broken.json.gz").path,
                                      withDestinationPath: "/nonexistent/agenttrail/old")
        } else {
            _ = try T.write(gz, name: Self.earlyFile, in: root)
        }
        _ = try T.write(Array("x".utf8), name: "AWSLogs/\(Self.account)/CloudTrail/us-east-1/2025/07/14/.DS_Store", in: root)
        _ = try T.write(Array("x".utf8), name: "AWSLogs/\(Self.account)/CloudTrail/us-east-1/2025/07/14/README.txt", in: root)
        _ = try T.write(Array("{}".utf8), name: "extra/export.json", in: root)
        _ = try T.write(Array("{}".utf8), name: "extra/lines.jsonl", in: root)
        _ = try T.write(Array("{}".utf8), name: "extra/.hidden.json", in: root)
        _ = try T.write(Array("{}".utf8), name: ".git/objects.json", in: root)
        // A second name for the in-range file, and a loop back to the root.
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("extra/link.json.gz").path,
                                  withDestinationPath: root.appendingPathComponent(Self.inRange).path)
        try fm.createSymbolicLink(atPath: root.appendingPathComponent("extra/loop").path, withDestinationPath: root.path)
    }

    func relative(_ files: [LogFile]) -> [String] {
        files.map { String($0.path.dropFirst(path.count + 1)) }
    }
}

@Suite struct ArchiveWalkerTests {
    static let window = PathFilter(accounts: ["111122223333"], regions: ["us-east-1"],
                                   since: Instant(year: 2025, month: 7, day: 14, hour: 10),
                                   until: Instant(year: 2025, month: 7, day: 14, hour: 12))

    /// Entries `stat`ed from their open directory (`fstatat`) give the walk that `stat`s of whole paths gave: files,
    /// order, sizes, times, counts and failures (dangling links, a loop, hidden and other files), with or without a
    /// filter; and one entry's status or error is the same either way.
    @Test(arguments: [false, true])
    func statsFromTheOpenDirectoryEqualStatsByPath(dangling: Bool) throws {
        let archive = try Archive(danglingOutOfRange: dangling)
        defer { T.remove(archive.root) }
        for paths in [[archive.path], [TestPaths.sampleLogs], [TestPaths.edgeArchive], [archive.path + "/", archive.path + "/extra"]] {
            for filter in [PathFilter.all, Self.window] {
                let fast = ArchiveWalker(filter: filter).walk(paths)
                let byPath = ArchiveWalker(filter: filter, fileSystem: PathOnlyFileSystem()).walk(paths)
                #expect("\(fast)" == "\(byPath)", "\(paths)")
            }
        }
        let fs = PosixFileSystem()
        let folder = archive.path + "/extra"
        let open = try #require(fs.openDirectory(folder))
        for name in ["export.json", "link.json.gz", "loop", "missing.json"] {
            let path = folder + "/" + name
            switch (Result { try fs.status(ofEntry: name, path: path, in: open) }, Result { try fs.status(of: path) }) {
            case (.success(let a), .success(let b)): #expect(a == b, "\(name)")
            case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)", "\(name)")
            default: Issue.record("\(name): one way succeeded, the other failed")
            }
        }
        #expect(fs.openDirectory(folder + "/export.json") == nil)  // (a file is not a directory)
    }

    @Test func walksEverythingWithoutFilter() throws {
        let archive = try Archive(danglingOutOfRange: false)
        defer { T.remove(archive.root) }
        let result = ArchiveWalker().walk([archive.path])
        #expect(archive.relative(result.files) == [
            Archive.earlyFile, Archive.inRange, Archive.oldDayFile, Archive.otherRegion, Archive.otherAccount,
            "extra/export.json", "extra/lines.jsonl",
        ].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(result.skippedDigest == 1)
        #expect(result.skippedInsight == 1)
        #expect(result.skippedOutOfRange == 0)
        #expect(result.prunedDirectories == 0)
        #expect(result.failures.isEmpty)
        let first = try #require(result.files.first { $0.path.hasSuffix(Archive.inRange) })
        #expect(first.size == Int64(T.gzip(T.records(2)).count))
        #expect(first.account == "111122223333" && first.region == "us-east-1")
    }

    /// Walked in batches, the files come out in the same order, `batchSize` at a time (the last call, flagged, holds
    /// the rest), with the same counts and failures, through loops, failures, explicit files and standard input.
    @Test(arguments: [1, 2, 3, 100])
    func batchesHoldTheSameFilesInOrder(batchSize: Int) throws {
        let archive = try Archive(danglingOutOfRange: false)
        defer { T.remove(archive.root) }
        let paths = ["/nonexistent/agenttrail/none", archive.path + "/extra/loop", "-", archive.path,
                     archive.path + "/extra/export.json"]
        let whole = ArchiveWalker().walk(paths)
        var batches: [[LogFile]] = [], lasts: [Bool] = []
        var batched = ArchiveWalker().walk(paths, batchSize: batchSize) { files, last in
            batches.append(files)
            lasts.append(last)
        }
        #expect(batches.flatMap { $0 }.map(\.path) == whole.files.map(\.path))
        #expect(batches.dropLast().allSatisfy { $0.count == batchSize })
        #expect(batches.last!.count <= batchSize)
        #expect(lasts == Array(repeating: false, count: batches.count - 1) + [true])
        #expect(batched.files.isEmpty)
        #expect(batched.filesListed == whole.files.count)
        #expect(whole.filesListed == whole.files.count)
        batched.files = whole.files
        #expect(batched == whole)
    }

    @Test func prunesByLayoutWithoutTouchingPrunedPaths() throws {
        let archive = try Archive(danglingOutOfRange: true)
        defer { T.remove(archive.root) }
        let fs = RecordingFileSystem()
        let result = ArchiveWalker(filter: Self.window, fileSystem: fs).walk([archive.path])
        #expect(archive.relative(result.files) == [Archive.inRange, "extra/export.json", "extra/lines.jsonl"])
        #expect(result.skippedDigest == 1)
        #expect(result.skippedInsight == 1)
        #expect(result.skippedOutOfRange == 1)  // the early file; the rest went with their directories
        #expect(result.prunedDirectories == 3)  // 2025/07/10, eu-west-1, account 999988887777
        // The dangling links would have failed had they been stat'ed.
        #expect(result.failures.isEmpty, "\(result.failures)")
        let touched = fs.touched
        #expect(!touched.contains { $0.hasSuffix(Archive.earlyFile) })
        #expect(!touched.contains { $0.contains("/2025/07/10/") })
        #expect(!fs.listedDirectories.contains { $0.hasSuffix("/2025/07/10") || $0.hasSuffix("/eu-west-1") })
        #expect(!touched.contains { $0.contains("999988887777/CloudTrail") })
        #expect(!touched.contains { $0.hasSuffix(Archive.digest) || $0.hasSuffix(Archive.insight) })
    }

    @Test func symlinkLoopEndsAndFilesAreListedOnce() throws {
        let archive = try Archive(danglingOutOfRange: false)
        defer { T.remove(archive.root) }
        // Walk through the loop link first: the root is then reached again under another name.
        let result = ArchiveWalker().walk([archive.path + "/extra/loop", archive.path])
        let inodes = result.files.map(\.path).filter { $0.hasSuffix(Archive.inRange) || $0.hasSuffix("link.json.gz") }
        #expect(inodes.count == 1)
        #expect(result.files.count == 7)
        #expect(Set(result.files.map(\.path)).count == result.files.count)
        #expect(result.failures.isEmpty)
    }

    @Test func failuresAreReportedAndTheWalkGoesOn() throws {
        let archive = try Archive(danglingOutOfRange: false)
        defer { T.remove(archive.root) }
        let extra = archive.path + "/extra"
        let fs = RecordingFileSystem(failing: [extra])
        let result = ArchiveWalker(fileSystem: fs).walk(["/nonexistent/agenttrail/none", archive.path])
        #expect(result.failures.map(\.code) == [.notFound, .unreadable])
        #expect(result.failures.map(\.path) == ["/nonexistent/agenttrail/none", extra])
        #expect(result.files.count == 5)
    }

    @Test func explicitFilesStdinAndArgumentOrder() throws {
        let archive = try Archive(danglingOutOfRange: false)
        defer { T.remove(archive.root) }
        let notes = try T.write(Array("{}".utf8), name: "notes.txt", in: archive.root)
        let hidden = archive.path + "/extra/.hidden.json"
        let digest = archive.path + "/" + Archive.digest
        let result = ArchiveWalker().walk([notes, "-", hidden, digest, archive.path + "/extra/export.json"])
        #expect(result.files.map(\.path) == [notes, "-", hidden, archive.path + "/extra/export.json"])
        #expect(result.files[1].isStandardInput)
        #expect(result.skippedDigest == 1)
    }

    @Test(arguments: [
        ("layout root", "AWSLogs/111122223333/CloudTrail/us-east-1", 2),
        ("day folder", "AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/14", 2),
        ("pruned day folder", "AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/10", 0),
    ])
    func startingInsideTheLayoutStillPrunes(name: String, start: String, files: Int) throws {
        let archive = try Archive(danglingOutOfRange: false)
        defer { T.remove(archive.root) }
        var filter = Self.window
        filter.deliveryMarginSeconds = 86_400 * 30
        filter.since = Instant(year: 2025, month: 7, day: 14, hour: 0)
        let result = ArchiveWalker(filter: filter).walk([archive.path + "/" + start])
        #expect(result.files.count == files, "\(name)")
    }

    @Test func candidateNames() {
        for name in ["a.json", "a.json.gz", "a.gz", "a.jsonl", "a.ndjson", "a.jsonl.gz"] {
            #expect(ArchiveWalker.isCandidateName(name), "\(name)")
        }
        for name in [".DS_Store", ".x.json", "a.txt", "a.json.bak", "a.zip"] {
            #expect(!ArchiveWalker.isCandidateName(name), "\(name)")
        }
    }
}

/// Walked files are opened from the directory they were found in (`LogFile.foundIn`, `openat`), with what opening
/// them by path gives; at most `OpenDirectory.limit` directories are held open. (Serialized: the limit test holds every
/// directory the process may open, and the reading test needs some.)
@Suite(.serialized) struct FoundInDirectoryTests {
    @Test(arguments: [Decompressor.zlib, .auto])
    func readFromTheOpenDirectoryAsByPath(decompressor: Decompressor) throws {
        let walked = ArchiveWalker().walk([TestPaths.edgeArchive, TestPaths.sampleLogs])
        #expect(walked.files.contains { $0.foundIn.directory != nil })
        var compared = 0
        for file in walked.files where file.foundIn.directory != nil {
            var byPath = file
            byPath.foundIn = FoundIn()
            #expect(byPath == file)  // (not part of the file's identity)
            func read(_ f: LogFile) -> String {
                var bytes: [UInt8] = []
                do {
                    let stats = try InputReader(decompressor: decompressor).forEachChunk(of: f) { bytes.append(contentsOf: $0) }
                    return "\(bytes.count) \(bytes.hashValue) \(stats.compressedBytes)"
                } catch { return "error \(error)" }
            }
            #expect(read(file) == read(byPath), "\(file.path)")
            compared += 1
        }
        #expect(compared > 10)
    }

    @Test func atMostTheLimitAreOpen() throws {
        let fs = PosixFileSystem()
        var held: [OpenDirectory] = []
        // (Other tests may hold some meanwhile: the limit is on all of them together.)
        while held.count <= OpenDirectory.limit, let d = fs.openDirectory(TestPaths.sampleLogs) {
            held.append(d)
            #expect(OpenDirectory.openCount <= OpenDirectory.limit)
        }
        #expect(!held.isEmpty && held.count <= OpenDirectory.limit)
        #expect(fs.openDirectory(TestPaths.sampleLogs) == nil)
        // Past the limit the walk goes on by paths (unless another test let one go meanwhile), with the same result.
        let full = ArchiveWalker().walk([TestPaths.sampleLogs])
        held.removeAll()
        let again = ArchiveWalker().walk([TestPaths.sampleLogs])
        #expect("\(full)" == "\(again)" && !full.files.isEmpty)
        #expect(OpenDirectory.openCount < OpenDirectory.limit)
    }
}

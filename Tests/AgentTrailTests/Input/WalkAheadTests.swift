import AgentTrailTestSupport
import Foundation
import Synchronization
import Testing
@testable import AgentTrail

/// Counts the `stat` calls of a walk (the files it lists), on the real file system.
private final class CountingFileSystem: WalkerFileSystem, @unchecked Sendable {
    let statted = Mutex(0)
    let base = PosixFileSystem()
    func status(of path: String) throws -> FileStatus {
        statted.withLock { $0 += 1 }
        return try base.status(of: path)
    }
    func entries(of directory: String) throws -> [DirectoryEntry] { try base.entries(of: directory) }
}

/// `WalkAhead`: the walk a scan starts before loading its policies hands over the batches, counts and failures the
/// scan's own walk gives, and lists a batch only once the one before was read.
@Suite struct WalkAheadTests {
    static let archives = [TestPaths.sampleLogs, TestPaths.edgeArchive]

    @Test(arguments: archives, [1, 3, 7, FilePass.walkBatchSize])
    func sameBatchesAndResultAsTheWalk(path: String, batchSize: Int) {
        let walker = ArchiveWalker()
        var expected: [[String]] = [], lastFlags: [Bool] = []
        var reference = walker.walk([path, path + "/missing"], batchSize: batchSize) { files, last in
            expected.append(files.map(\.path))
            lastFlags.append(last)
        }
        var got: [[String]] = [], gotLast: [Bool] = []
        let ahead = WalkAhead(walker, paths: [path, path + "/missing"], batchSize: batchSize)
        #expect(ahead.claim())
        #expect(!ahead.claim())
        var result = ahead.readBatches { files, last in
            got.append(files.map(\.path))
            gotLast.append(last)
        }
        #expect(got == expected)
        #expect(gotLast == lastFlags)
        #expect(expected.joined().count > 3)
        #expect(!result.failures.isEmpty)  // (the missing path)
        #expect(result.failures.map(\.path) == reference.failures.map(\.path))
        reference.failures = []
        result.failures = []
        #expect("\(result)" == "\(reference)")
    }

    /// While the reader reads a batch, the walk lists nothing more (no more files held than the scan's own walk holds);
    /// the first batch is listed before anyone asks.
    @Test func listsTheNextBatchOnlyWhenAsked() throws {
        let fs = CountingFileSystem()
        let walker = ArchiveWalker(fileSystem: fs)
        let batchSize = 200
        let ahead = WalkAhead(walker, paths: [TestPaths.sampleLogs], batchSize: batchSize)
        #expect(ahead.claim())
        // (The first batch is listed at once: wait for it, then check that the walk stopped there.)
        let deadline = Date().addingTimeInterval(10)
        while fs.statted.withLock({ $0 }) < batchSize && Date() < deadline { usleep(1_000) }
        usleep(50_000)
        let beforeReading = fs.statted.withLock { $0 }
        var seenAtEachBatch: [Int] = []
        var files = 0
        _ = ahead.readBatches { batch, last in
            files += batch.count
            usleep(20_000)  // (time for a walk that did not wait to list on)
            // (The final call hands over what is left, maybe nothing: no new listing before it.)
            if !last { seenAtEachBatch.append(fs.statted.withLock { $0 }) }
        }
        #expect(files > 2 * batchSize && seenAtEachBatch.count >= 2)
        // Each batch is read before the next is listed: the stats seen while reading one are those of the walk up
        // to it (directories and files, so at least as many as the files handed over so far), and they grow
        // between batches, not within one.
        #expect(beforeReading == seenAtEachBatch.first)
        #expect(seenAtEachBatch == seenAtEachBatch.sorted())
        #expect(Set(seenAtEachBatch).count == seenAtEachBatch.count)
    }

    /// A walk stopped before it is read ends on its own (its thread lists the rest without keeping it) and cannot be
    /// claimed; options scanned twice read the walk ahead once and then walk themselves.
    @Test func stoppedBeforeReadingAndReadOnce() {
        let ahead = WalkAhead(ArchiveWalker(), paths: [TestPaths.sampleLogs], batchSize: 1)
        ahead.stop()
        #expect(!ahead.claim())
        var twice = ScanOptions(paths: [TestPaths.sampleLogs], jobs: 2)
        twice.startWalkingAhead()
        let first = ScanRun.run(twice).summary.recordsTotal
        let second = ScanRun.run(twice).summary.recordsTotal
        #expect(first > 0 && first == second)
        var options = ScanOptions(paths: [TestPaths.sampleLogs], jobs: 2)
        options.startWalkingAhead()
        #expect(options.walkAhead != nil)
        options.stopWalkingAhead()
        #expect(options.walkAhead == nil)
        // (The scan then walks itself: the same records as at one job.)
        let counted = ScanRun.run(options).summary.recordsTotal
        #expect(counted > 0 && counted == ScanRun.run(ScanOptions(paths: [TestPaths.sampleLogs], jobs: 1)).summary.recordsTotal)
    }

    /// A nightly run's walk started whole, ahead (`startWalkingAheadWhole`), gives the files, order, counts and
    /// failures of the walk made on the spot; it is taken once (a second `wholeWalk` walks again, the same); one job,
    /// or a shard's `walk`, starts nothing.
    @Test(arguments: archives)
    func wholeWalkAheadEqualsTheWalk(path: String) {
        let paths = [path, path + "/missing"]
        let reference = ArchiveWalker().walk(paths)
        var options = ScanOptions(paths: paths, jobs: 2)
        options.startWalkingAheadWhole()
        #expect(options.walkAhead?.batchSize == Int.max)
        let ahead = options.wholeWalk()
        #expect(ahead.files.count > 3 && !ahead.failures.isEmpty)
        #expect("\(ahead)" == "\(reference)")
        #expect(options.walkAhead?.claim() == false)
        #expect("\(options.wholeWalk())" == "\(reference)")
        // (A scan given these options does not take a whole walk for its batches: it walks itself.)
        #expect(ScanRun.run(options).summary.filesRead == ScanRun.run(ScanOptions(paths: paths, jobs: 1)).summary.filesRead)
        var one = ScanOptions(paths: paths, jobs: 1)
        one.startWalkingAheadWhole()
        #expect(one.walkAhead == nil)
        #expect("\(one.wholeWalk())" == "\(reference)")
        var shard = ScanOptions(paths: paths, jobs: 2)
        shard.walk = reference
        shard.startWalkingAheadWhole()
        #expect(shard.walkAhead == nil)
        #expect("\(shard.wholeWalk())" == "\(reference)")
    }
}

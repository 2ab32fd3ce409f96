import Foundation

/// A walk of an archive started before the scan that reads it, on a thread of its own: the first batch of files is
/// listed while the command still loads its policies, catalogue and rules (at two jobs that listing, ~15 ms on the
/// real-shaped archive and most of it `stat` calls, had run on one thread between the loading and the pass).
///
/// Batches are handed over as `ArchiveWalker.walk(_:batchSize:_:)` hands them to its caller: the walk goes on to
/// the next batch only once the reader has read the one before and asks for more, so no more files are held than
/// when the reader walks itself. The files, batches, counts and failures are the walk's own.
public final class WalkAhead: @unchecked Sendable {
    /// What the walk was started with (a scan takes it only for the same paths, filter and batch size).
    public let paths: [String]
    public var filter: PathFilter { walker.filter }
    public let batchSize: Int
    private let walker: ArchiveWalker

    // (Guarded by `condition`.)
    private let condition = NSCondition()
    private var batch: (files: [LogFile], last: Bool)?
    /// Batches handed over so far, and the number of the batch the reader asks for (it has read those before).
    private var handedOver = 0
    private var wanted = 0
    private var result: WalkResult?
    private var stopped = false
    private var claimed = false

    /// Starts `walker` on `paths` on a new thread; the first batch is listed at once.
    init(_ walker: ArchiveWalker, paths: [String], batchSize: Int = FilePass.walkBatchSize) {
        self.walker = walker
        self.paths = paths
        self.batchSize = batchSize
        Thread { [self] in walk() }.start()
    }

    private func walk() {
        let walked = walker.walk(paths, batchSize: batchSize) { files, last in
            condition.lock()
            defer { condition.unlock() }
            if stopped { return }
            batch = (files, last)
            handedOver += 1
            condition.broadcast()
            // (The walk waits while the reader reads this batch, as it waits for its caller's `batch`.)
            while !last && !stopped && wanted <= handedOver { condition.wait() }
        }
        condition.lock()
        result = walked
        condition.broadcast()
        condition.unlock()
    }

    /// Takes the walk for its one reader: false when it was taken before or stopped (a scan then walks itself).
    func claim() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if claimed || stopped { return false }
        claimed = true
        return true
    }

    /// Hands the walk's batches to `read(files, last)` one after the other, each listed after the one before was
    /// read (the first maybe before this is called); returns the walk's counts and failures (`files` empty), as
    /// `ArchiveWalker.walk(_:batchSize:_:)` does. Only after `claim` succeeded.
    func readBatches(_ read: (_ files: [LogFile], _ last: Bool) -> Void) -> WalkResult {
        var taken = 0
        while true {
            condition.lock()
            wanted = taken + 1
            condition.broadcast()
            while handedOver < taken + 1 { condition.wait() }
            let next = batch!
            batch = nil
            condition.unlock()
            taken += 1
            read(next.files, next.last)
            if next.last { break }
        }
        condition.lock()
        while result == nil { condition.wait() }
        let walked = result!
        condition.unlock()
        return walked
    }

    /// Stops handing batches over (a command that fails before it reads): the thread walks on to the end without
    /// keeping what it lists, then ends. Does nothing once a reader has claimed the walk.
    public func stop() {
        condition.lock()
        if claimed {
            condition.unlock()
            return
        }
        stopped = true
        batch = nil
        condition.broadcast()
        condition.unlock()
    }
}

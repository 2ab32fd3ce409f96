import Dispatch
import Synchronization

/// Progress of a running file pass (scan, count, query), reported after each file.
public struct ScanProgress: Sendable {
    public var filesDone: Int
    /// Files found so far: the whole count once `walkFinished` (a walked archive is read while it is walked).
    public var filesTotal: Int
    public var compressedBytesDone: Int64
    /// Compressed bytes of the files found so far.
    public var compressedBytesTotal: Int64
    public var uncompressedBytesDone: Int64
    public var secondsElapsed: Double
    /// False while the archive is still being walked (the totals can still grow).
    public var walkFinished: Bool = true
}

/// A worker of a `FilePass`: its own reader and state, fed one file at a time. Never shared between threads
/// while the pass runs; the pass hands every worker back, in worker order, for merging.
protocol FilePassWorker: AnyObject {
    /// Reads `file`; returns the uncompressed bytes read, or nil when the file was put off because the whole-file
    /// budget could not lend its buffers now (only when `waitForBudget` is false; the worker counts nothing then).
    func process(_ file: LogFile, waitForBudget: Bool) -> Int64?
    /// Called once after the worker's last file: what only the reading needed (memo tables, buffers) can go before
    /// the workers are merged and findings are made.
    func finished()
}

extension FilePassWorker {
    func finished() {}
}

/// The one parallel pass over log files behind `scan`, `scan --count-only` and `events`/`timeline`: the files
/// largest first in a `FileQueue` (small ones from the back while a large one waits for the budget), `jobs`
/// workers sharing one `WholeFileBudget`, progress after each file. What a worker does with a file, and how
/// workers merge, is the caller's; results do not depend on the job count or the order files are read in.
///
/// A walked archive is read in batches while it is walked (`run(walking:)`): the list of files is never held
/// whole (each file costs ~400 bytes listed — its path and `LogFile` — so a year of 5-minute files in many regions
/// would not fit the memory target), and the workers keep their state from batch to batch.
enum FilePass {
    /// Files listed per batch of a walked archive: ~1.6 MB of list at most (and the queue's sorted copy); large
    /// enough that the workers' wait at the end of a batch (the last file of each) is rare.
    static let walkBatchSize = 4096

    /// Runs the workers over `files`; returns them in worker order. `makeWorker` gets the shared budget.
    static func run<W: FilePassWorker>(_ files: consuming [LogFile], jobs requested: Int, wholeFileBudgetBytes: Int,
                                      progress: (@Sendable (ScanProgress) -> Void)? = nil,
                                      makeWorker: (WholeFileBudget) -> W) -> [W] {
        let pass = Pass(jobs: min(requested, max(1, files.count)), wholeFileBudgetBytes: wholeFileBudgetBytes,
                        progress: progress, makeWorker: makeWorker)
        pass.read(consume files, walkFinished: true)
        return pass.finish()
    }

    /// Walks `paths` with `walker` and runs the workers over the files found, `batchSize` at a time while the walk
    /// goes on; returns the workers in worker order and the walk's counts and failures (its `files` empty).
    static func run<W: FilePassWorker>(walking walker: ArchiveWalker, _ paths: [String], batchSize: Int = walkBatchSize,
                                      jobs: Int, wholeFileBudgetBytes: Int,
                                      progress: (@Sendable (ScanProgress) -> Void)? = nil,
                                      makeWorker: (WholeFileBudget) -> W) -> (workers: [W], walk: WalkResult) {
        let pass = Pass(jobs: max(1, jobs), wholeFileBudgetBytes: wholeFileBudgetBytes, progress: progress,
                        makeWorker: makeWorker)
        let walk = walker.walk(paths, batchSize: batchSize) { batch, last in pass.read(batch, walkFinished: last) }
        return (pass.finish(), walk)
    }

    /// `run(walking:)` over a walk already under way (`WalkAhead`): the same batches, read as they are handed over.
    static func run<W: FilePassWorker>(ahead walk: WalkAhead, jobs: Int, wholeFileBudgetBytes: Int,
                                      progress: (@Sendable (ScanProgress) -> Void)? = nil,
                                      makeWorker: (WholeFileBudget) -> W) -> (workers: [W], walk: WalkResult) {
        let pass = Pass(jobs: max(1, jobs), wholeFileBudgetBytes: wholeFileBudgetBytes, progress: progress,
                        makeWorker: makeWorker)
        let result = walk.readBatches { batch, last in pass.read(batch, walkFinished: last) }
        return (pass.finish(), result)
    }

    /// The workers, budget and progress of one pass, over one or more batches of files.
    private final class Pass<W: FilePassWorker>: @unchecked Sendable {
        let workers: [W]
        let start = MonotonicClock.seconds
        let progress: (@Sendable (ScanProgress) -> Void)?
        /// Files and compressed bytes of the batches so far (for progress).
        var filesTotal = 0
        var bytesTotal: Int64 = 0
        let done = Mutex<(files: Int, compressed: Int64, uncompressed: Int64)>((0, 0, 0))

        init(jobs: Int, wholeFileBudgetBytes: Int, progress: (@Sendable (ScanProgress) -> Void)?,
             makeWorker: (WholeFileBudget) -> W) {
            let budget = WholeFileBudget(bytes: wholeFileBudgetBytes)
            workers = (0..<jobs).map { _ in makeWorker(budget) }
            self.progress = progress
        }

        /// Reads one batch with every worker; returns when all of it is read.
        func read(_ files: consuming [LogFile], walkFinished: Bool) {
            let queue = FileQueue(consume files)  // (the queue's sorted copy is the only one kept)
            guard !queue.files.isEmpty else { return }
            filesTotal += queue.files.count
            bytesTotal += queue.files.reduce(Int64(0)) { $0 + $1.size }
            let (filesTotal, bytesTotal, start, progress) = (self.filesTotal, self.bytesTotal, self.start, self.progress)
            let boxed = UncheckedWorkers(workers)
            DispatchQueue.concurrentPerform(iterations: workers.count) { index in
                let worker = boxed.workers[index]
                queue.drain { file, wait in
                    guard let bytes = worker.process(file, waitForBudget: wait) else { return false }
                    if let progress {
                        let snapshot = self.done.withLock { d -> ScanProgress in
                            d.files += 1
                            d.compressed += file.size
                            d.uncompressed += bytes
                            return ScanProgress(filesDone: d.files, filesTotal: filesTotal, compressedBytesDone: d.compressed,
                                                compressedBytesTotal: bytesTotal, uncompressedBytesDone: d.uncompressed,
                                                secondsElapsed: MonotonicClock.seconds - start, walkFinished: walkFinished)
                        }
                        progress(snapshot)
                    }
                    return true
                }
            }
        }

        func finish() -> [W] {
            for worker in workers { worker.finished() }
            return workers
        }
    }

    /// The workers, each touched by exactly one thread of the pass.
    private struct UncheckedWorkers<W>: @unchecked Sendable {
        let workers: [W]
        init(_ workers: [W]) { self.workers = workers }
    }
}

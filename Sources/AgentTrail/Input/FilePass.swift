import Dispatch
import Synchronization

/// Progress of a running file pass (scan, count, query), reported after each file.
public struct ScanProgress: Sendable {
    public var filesDone: Int
    public var filesTotal: Int
    public var compressedBytesDone: Int64
    public var compressedBytesTotal: Int64
    public var uncompressedBytesDone: Int64
    public var secondsElapsed: Double
}

/// A worker of a `FilePass`: its own reader and state, fed one file at a time. Never shared between threads
/// while the pass runs; the pass hands every worker back, in worker order, for merging.
protocol FilePassWorker: AnyObject {
    /// Reads `file`; returns the uncompressed bytes read, or nil when the file was put off because the whole-file
    /// budget could not lend its buffers now (only when `waitForBudget` is false; the worker counts nothing then).
    func process(_ file: LogFile, waitForBudget: Bool) -> Int64?
    /// Called once on the worker's thread after its last file: what only the reading needed (memo tables, buffers)
    /// can go before the workers are merged and findings are made.
    func finished()
}

extension FilePassWorker {
    func finished() {}
}

/// The one parallel pass over log files behind `scan`, `scan --count-only` and `events`/`timeline`: the files
/// largest first in a `FileQueue` (small ones from the back while a large one waits for the budget), `jobs`
/// workers sharing one `WholeFileBudget`, progress after each file. What a worker does with a file, and how
/// workers merge, is the caller's; results do not depend on the job count or the order files are read in.
enum FilePass {
    /// Runs the workers over `files`; returns them in worker order. `makeWorker` gets the shared budget.
    static func run<W: FilePassWorker>(_ files: [LogFile], jobs requested: Int, wholeFileBudgetBytes: Int,
                                      progress: (@Sendable (ScanProgress) -> Void)? = nil,
                                      makeWorker: (WholeFileBudget) -> W) -> [W] {
        let start = MonotonicClock.seconds
        let queue = FileQueue(files)
        let jobs = min(requested, max(1, queue.files.count))
        let totalBytes = queue.files.reduce(Int64(0)) { $0 + $1.size }
        let budget = WholeFileBudget(bytes: wholeFileBudgetBytes)
        let workers = (0..<jobs).map { _ in makeWorker(budget) }
        let done = Mutex<(files: Int, compressed: Int64, uncompressed: Int64)>((0, 0, 0))
        let boxed = UncheckedWorkers(workers)
        DispatchQueue.concurrentPerform(iterations: jobs) { index in
            let worker = boxed.workers[index]
            queue.drain { file, wait in
                guard let bytes = worker.process(file, waitForBudget: wait) else { return false }
                if let progress {
                    let snapshot = done.withLock { d -> ScanProgress in
                        d.files += 1
                        d.compressed += file.size
                        d.uncompressed += bytes
                        return ScanProgress(filesDone: d.files, filesTotal: queue.files.count, compressedBytesDone: d.compressed,
                                            compressedBytesTotal: totalBytes, uncompressedBytesDone: d.uncompressed,
                                            secondsElapsed: MonotonicClock.seconds - start)
                    }
                    progress(snapshot)
                }
                return true
            }
            worker.finished()
        }
        return workers
    }

    /// The workers, each touched by exactly one thread of the pass.
    private struct UncheckedWorkers<W>: @unchecked Sendable {
        let workers: [W]
        init(_ workers: [W]) { self.workers = workers }
    }
}

import Dispatch
import Synchronization

/// What `ScanRun.countRecords` measured: record slots found by the splitter alone (nothing decoded), bytes,
/// and where the time went. A diagnostic for the throughput benchmark (`agenttrail scan --count-only`).
public struct RecordCountResult: Sendable {
    public var filesRead = 0
    public var filesFailed = 0
    /// The files that failed, sorted by path (`filesFailed` of them).
    public var failed: [DamagedInput] = []
    /// Record slots (every element of each file's record list, as `RecordStream.Counts.elements`).
    public var records = 0
    public var compressedBytes: Int64 = 0
    public var uncompressedBytes: Int64 = 0
    /// Wall time of the whole run.
    public var seconds: Double = 0
    /// Time spent inside the splitter, summed over workers (decompression excluded).
    public var splitterSeconds: Double = 0
    public var jobs = 1

    /// Splitter throughput per core in MB/s (10^6 bytes), from `splitterSeconds`.
    public var splitterMBPerSecond: Double {
        splitterSeconds > 0 ? Double(uncompressedBytes) / 1_000_000 / splitterSeconds : 0
    }

    /// End-to-end throughput (decompression + splitting) in MB/s.
    public var mbPerSecond: Double { seconds > 0 ? Double(uncompressedBytes) / 1_000_000 / seconds : 0 }
}

extension ScanRun {
    /// Reads every input like `run` (same walk, workers and decompressors) but only splits the records and counts
    /// them: no decoding, no detectors. Times the splitter separately from decompression.
    public static func countRecords(_ options: ScanOptions) -> RecordCountResult {
        let start = MonotonicClock.seconds
        let walk = ArchiveWalker(filter: options.filter).walk(options.paths)
        let queue = FileQueue(walk.files)
        let jobs = min(options.jobs, max(1, queue.files.count))
        let budget = WholeFileBudget(bytes: options.wholeFileBudgetBytes)
        let total = Mutex(RecordCountResult())
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            let reader = InputReader(decompressor: options.decompressor, budget: budget)
            var mine = RecordCountResult()
            var splitter = RecordSplitter()
            splitter.maxRecordBytes = options.maxRecordBytes
            queue.drain { file, wait in
                var records = 0
                var split = 0.0
                do {
                    let read = try reader.forEachChunk(of: file, waitForBudget: wait) { chunk in
                        let t0 = MonotonicClock.seconds
                        splitter.feed(chunk) { _, _ in records &+= 1 }
                        split += MonotonicClock.seconds - t0
                    }
                    guard let stats = read else { return false }  // put off: nothing was delivered
                    mine.filesRead += 1
                    mine.compressedBytes += stats.compressedBytes
                    mine.uncompressedBytes += stats.decompressedBytes
                } catch let e as InputError {
                    mine.filesFailed += 1
                    mine.failed.append(DamagedInput(path: file.path, offset: e.offset, reason: e.message))
                } catch {
                    mine.filesFailed += 1
                    mine.failed.append(DamagedInput(path: file.path, offset: nil, reason: "\(error)"))
                }
                splitter.finish()
                mine.records += splitter.elementCount
                splitter = RecordSplitter()
                mine.splitterSeconds += split
                _ = records
                return true
            }
            total.withLock { t in
                t.filesRead += mine.filesRead
                t.filesFailed += mine.filesFailed
                t.failed += mine.failed
                t.records += mine.records
                t.compressedBytes += mine.compressedBytes
                t.uncompressedBytes += mine.uncompressedBytes
                t.splitterSeconds += mine.splitterSeconds
            }
        }
        var result = total.withLock { $0 }
        result.filesFailed += walk.failures.count
        result.failed += walk.failures.map { DamagedInput(path: $0.path, offset: $0.offset, reason: $0.message) }
        result.failed.sort { ($0.path, $0.offset ?? -1) < ($1.path, $1.offset ?? -1) }
        result.jobs = jobs
        result.seconds = MonotonicClock.seconds - start
        return result
    }
}

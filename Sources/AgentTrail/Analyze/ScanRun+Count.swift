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
        let (workers, walk) = FilePass.run(walking: ArchiveWalker(filter: options.filter), options.paths, jobs: options.jobs,
                                           wholeFileBudgetBytes: options.wholeFileBudgetBytes) { budget in
            CountWorker(reader: InputReader(decompressor: options.decompressor, budget: budget), maxRecordBytes: options.maxRecordBytes)
        }
        var result = RecordCountResult()
        for w in workers {
            let mine = w.result
            result.filesRead += mine.filesRead
            result.filesFailed += mine.filesFailed
            result.failed += mine.failed
            result.records += mine.records
            result.compressedBytes += mine.compressedBytes
            result.uncompressedBytes += mine.uncompressedBytes
            result.splitterSeconds += mine.splitterSeconds
        }
        result.filesFailed += walk.failures.count
        result.failed += walk.failures.map { DamagedInput(path: $0.path, offset: $0.offset, reason: $0.message) }
        result.failed.sort { ($0.path, $0.offset ?? -1) < ($1.path, $1.offset ?? -1) }
        result.jobs = min(workers.count, max(1, walk.filesListed))
        result.seconds = MonotonicClock.seconds - start
        return result
    }
}

/// A worker of `countRecords`: splits records out of each file and counts them (no decoding).
final class CountWorker: FilePassWorker {
    let reader: InputReader
    let maxRecordBytes: Int
    var result = RecordCountResult()

    init(reader: InputReader, maxRecordBytes: Int) {
        self.reader = reader
        self.maxRecordBytes = maxRecordBytes
    }

    func process(_ file: LogFile, waitForBudget: Bool) -> Int64? {
        var splitter = RecordSplitter()
        splitter.maxRecordBytes = maxRecordBytes
        var split = 0.0
        var bytes: Int64 = 0
        do {
            let read = try reader.forEachChunk(of: file, waitForBudget: waitForBudget) { chunk in
                let t0 = MonotonicClock.seconds
                splitter.feed(chunk) { _, _ in }
                split += MonotonicClock.seconds - t0
            }
            guard let stats = read else { return nil }  // put off: nothing was delivered
            result.filesRead += 1
            result.compressedBytes += stats.compressedBytes
            result.uncompressedBytes += stats.decompressedBytes
            bytes = stats.decompressedBytes
        } catch let e as InputError {
            result.filesFailed += 1
            result.failed.append(DamagedInput(path: file.path, offset: e.offset, reason: e.message))
        } catch {
            result.filesFailed += 1
            result.failed.append(DamagedInput(path: file.path, offset: nil, reason: "\(error)"))
        }
        splitter.finish()
        result.records += splitter.elementCount
        result.splitterSeconds += split
        return bytes
    }
}

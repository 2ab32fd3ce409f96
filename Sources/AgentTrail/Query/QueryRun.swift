import Dispatch
import Synchronization

/// Runs an `EventQuery` over log files in parallel (largest file first, one reader, matcher and sink per
/// worker), with push-down: path pruning, a byte-level substring prefilter, then a prefilter on peeked fields,
/// and only then full decoding and the exact match.
public enum QueryRun {
    /// Runs the query; `makeSink` is called once per worker. Returns the merged sink and the stats.
    public static func run<S: QuerySink>(_ options: QueryOptions, makeSink: () -> S) -> (sink: S, stats: QueryStats) {
        let start = MonotonicClock.seconds
        let walk = ArchiveWalker(filter: options.filter).walk(options.paths)
        let queue = FileQueue(walk.files)
        let jobs = min(options.jobs, max(1, queue.files.count))
        let sinks = (0..<jobs).map { _ in makeSink() }
        let budget = WholeFileBudget(bytes: options.wholeFileBudgetBytes)

        let results = Mutex<[Int: QueryStats]>([:])
        DispatchQueue.concurrentPerform(iterations: jobs) { worker in
            let w = QueryWorker(options: options, sink: sinks[worker], budget: budget)
            queue.drain { file, wait in w.process(file, waitForBudget: wait) }
            results.withLock { $0[worker] = w.stats }
        }

        var stats = QueryStats()
        let all = results.withLock { r in r.keys.sorted().map { r[$0]! } }
        for s in all { stats.merge(s) }
        stats.filesPruned = walk.skippedOutOfRange + walk.skippedDigest + walk.skippedInsight
        stats.skippedOutsideRoot = walk.skippedOutsideRoot
        stats.failures += walk.failures.map { DamagedInput(path: $0.path, offset: $0.offset, reason: $0.message) }
        stats.failures.sort { ($0.path, $0.offset ?? -1, $0.reason) < ($1.path, $1.offset ?? -1, $1.reason) }
        let merged = sinks[0]
        for s in sinks.dropFirst() { merged.merge(s) }
        stats.seconds = MonotonicClock.seconds - start
        return (merged, stats)
    }
}

/// One worker: reader, matcher, sink, counters.
final class QueryWorker<S: QuerySink> {
    let options: QueryOptions
    let reader: InputReader
    let matcher: EventMatcher
    let sink: S
    let raw: (@Sendable (UnsafeRawBufferPointer) -> Bool)?
    let peek: (@Sendable (PeekedFields) -> Bool)?
    var stats = QueryStats()

    init(options: QueryOptions, sink: S, budget: WholeFileBudget? = nil) {
        self.options = options
        self.reader = InputReader(decompressor: options.decompressor, budget: budget)
        self.matcher = EventMatcher(options.query)
        self.sink = sink
        self.raw = options.pushDown ? options.query.makeRawPrefilter() : nil
        self.peek = options.pushDown ? options.query.makePeekPrefilter() : nil
    }

    /// Reads one file; false when it was put off because the budget could not lend its buffers now (only when
    /// `waitForBudget` is false; nothing is counted then).
    @discardableResult
    func process(_ file: LogFile, waitForBudget: Bool = true) -> Bool {
        var streamOptions = RecordStream.Options(keepRaw: true, prefilter: peek, file: file.path, maxStoredIssues: 10,
                                                 rawPrefilter: raw)
        streamOptions.maxRecordBytes = options.maxRecordBytes
        var stream = RecordStream(streamOptions)
        var inputError: InputError?
        do {
            var sniffed = false
            let readOrNil = try reader.forEachChunk(of: file, waitForBudget: waitForBudget) { chunk in
                if !sniffed, let isJSON = JSONSniffer.startsLikeJSON(chunk) {
                    sniffed = true
                    if !isJSON { throw InputError(.unsupported, "not JSON text (binary or unknown format)", path: file.path, offset: 0) }
                }
                stream.feed(chunk) { record, index in
                    if matcher.matches(record) {
                        stats.matched += 1
                        sink.observe(record, file: file.path, index: index)
                    }
                }
            }
            guard let read = readOrNil else { return false }  // put off: nothing was delivered
            stats.compressedBytes += read.compressedBytes
            stats.uncompressedBytes += read.decompressedBytes
        } catch let e as InputError {
            inputError = e
        } catch {
            inputError = InputError(.unreadable, "\(error)", path: file.path)
        }
        stream.finish()
        if inputError == nil, ScanRun.isNotCloudTrail(file, stream) { return true }  // a policy or manifest found in a folder
        if let e = inputError {
            stats.failures.append(DamagedInput(path: file.path, offset: e.offset, reason: e.message))
        }
        var cutRecords = 0
        for issue in stream.issues {
            // As in `scan`: a record cut off by a damaged file is part of the file's failure, not a malformed record.
            if inputError != nil && (issue.code == .unterminatedRecord || issue.code == .truncatedDocument) {
                if issue.consumesRecord { cutRecords += 1 }
                continue
            }
            if !issue.consumesRecord && inputError == nil {
                stats.failures.append(DamagedInput(path: file.path, offset: nil,
                                                   reason: issue.reason + " (at decompressed byte \(issue.byteOffset))"))
            }
        }
        stats.filesRead += 1
        stats.records += stream.counts.elements
        stats.prefiltered += stream.counts.filtered
        stats.decoded += stream.counts.decoded
        stats.malformed += stream.counts.malformed - cutRecords
        return true
    }
}

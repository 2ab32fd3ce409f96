/// Runs an `EventQuery` over log files in parallel (largest file first, one reader, matcher and sink per
/// worker), with push-down: path pruning, a byte-level substring prefilter, then a prefilter on peeked fields,
/// and only then full decoding and the exact match.
public enum QueryRun {
    /// Runs the query; `makeSink` is called once per worker. Returns the merged sink and the stats.
    public static func run<S: QuerySink>(_ options: QueryOptions, makeSink: () -> S) -> (sink: S, stats: QueryStats) {
        let start = MonotonicClock.seconds
        let (workers, walk) = FilePass.run(walking: ArchiveWalker(filter: options.filter), options.paths, jobs: options.jobs,
                                           wholeFileBudgetBytes: options.wholeFileBudgetBytes) { budget in
            QueryWorker(options: options, sink: makeSink(), budget: budget)
        }

        var stats = QueryStats()
        for w in workers { stats.merge(w.stats) }
        stats.filesPruned = walk.skippedOutOfRange + walk.skippedDigest + walk.skippedInsight
        stats.skippedOutsideRoot = walk.skippedOutsideRoot
        stats.failures += walk.failures.map { DamagedInput(path: $0.path, offset: $0.offset, reason: $0.message) }
        stats.failures.sort { ($0.path, $0.offset ?? -1, $0.reason) < ($1.path, $1.offset ?? -1, $1.reason) }
        let merged = workers[0].sink
        for w in workers.dropFirst() { merged.merge(w.sink) }
        stats.seconds = MonotonicClock.seconds - start
        return (merged, stats)
    }
}

/// One worker: reader, matcher, sink, counters.
final class QueryWorker<S: QuerySink>: FilePassWorker {
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

    /// Reads one file; nil when it was put off because the budget could not lend its buffers now (only when
    /// `waitForBudget` is false; nothing is counted then), else the uncompressed bytes read.
    func process(_ file: LogFile, waitForBudget: Bool = true) -> Int64? {
        var streamOptions = RecordStream.Options(keepRaw: true, prefilter: peek, file: file.path, maxStoredIssues: 10,
                                                 rawPrefilter: raw)
        streamOptions.maxRecordBytes = options.maxRecordBytes
        var stream = RecordStream(streamOptions)
        let path = file.path
        guard let read = RecordFileRead.read(file, reader: reader, stream: &stream, waitForBudget: waitForBudget, feed: { stream, chunk in
            stream.feed(chunk) { record, index in
                if matcher.matches(record) {
                    stats.matched += 1
                    sink.observe(record, file: path, index: index)
                }
            }
        }) else { return nil }  // put off: nothing was delivered
        if let r = read.stats {
            stats.compressedBytes += r.compressedBytes
            stats.uncompressedBytes += r.decompressedBytes
        }
        if read.notCloudTrail { return read.stats?.decompressedBytes ?? 0 }  // a policy or manifest found in a folder
        if let e = read.inputError {
            stats.failures.append(DamagedInput(path: file.path, offset: e.offset, reason: e.message))
        }
        for issue in read.documentProblems {
            stats.failures.append(DamagedInput(path: file.path, offset: nil,
                                               reason: issue.reason + " (at decompressed byte \(issue.byteOffset))"))
        }
        stats.filesRead += 1
        stats.records += stream.counts.elements
        stats.prefiltered += stream.counts.filtered
        stats.decoded += stream.counts.decoded
        stats.malformed += stream.counts.malformed - read.cutRecords
        return read.stats?.decompressedBytes ?? 0
    }
}

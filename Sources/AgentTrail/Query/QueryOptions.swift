/// How to run a query: inputs, pruning, parallelism.
public struct QueryOptions: Sendable {
    public var paths: [String]
    public var query: EventQuery
    /// Path pruning; defaults to `query.pathFilter` (account, region, time).
    public var filter: PathFilter
    public var jobs: Int
    public var decompressor: Decompressor
    /// Use the byte-level and peeked-field push-down (off only to measure or test it).
    public var pushDown: Bool
    /// Memory all workers together may hold for whole-file libdeflate reads (see `WholeFileBudget`).
    public var wholeFileBudgetBytes: Int = WholeFileBudget.defaultBytes
    /// The largest record kept (bytes); larger ones are reported (`recordTooLarge`) and skipped without buffering.
    public var maxRecordBytes: Int = RecordSplitter.defaultMaxRecordBytes

    public init(paths: [String], query: EventQuery, filter: PathFilter? = nil, jobs: Int = ScanOptions.defaultJobs,
                decompressor: Decompressor = .auto, pushDown: Bool = true) {
        self.paths = paths
        self.query = query
        self.filter = filter ?? query.pathFilter
        self.jobs = max(1, jobs)
        self.decompressor = decompressor
        self.pushDown = pushDown
    }
}

/// What a query run read and skipped.
public struct QueryStats: Sendable, Hashable {
    public var filesRead = 0
    /// Files excluded by path pruning (plus digest and insight files).
    public var filesPruned = 0
    public var compressedBytes: Int64 = 0
    public var uncompressedBytes: Int64 = 0
    /// Record slots seen.
    public var records = 0
    /// Records skipped by the push-down before full decoding.
    public var prefiltered = 0
    /// Records decoded and checked.
    public var decoded = 0
    public var matched = 0
    public var malformed = 0
    /// Files that could not be read (whole or in part): path, compressed offset when known, reason; sorted by path.
    public var failures: [DamagedInput] = []
    /// Symbolic links out of an input folder, not followed.
    public var skippedOutsideRoot: [String] = []
    public var seconds = 0.0

    public init() {}

    mutating func merge(_ o: QueryStats) {
        filesRead += o.filesRead
        filesPruned += o.filesPruned
        compressedBytes += o.compressedBytes
        uncompressedBytes += o.uncompressedBytes
        records += o.records
        prefiltered += o.prefiltered
        decoded += o.decoded
        matched += o.matched
        malformed += o.malformed
        failures += o.failures
    }
}

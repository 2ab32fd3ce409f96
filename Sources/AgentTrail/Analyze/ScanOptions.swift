/// How to run a scan: inputs, pruning, parallelism, analysis.
public struct ScanOptions: Sendable {
    public var paths: [String]
    /// Path-level pruning (account, region, delivery time).
    public var filter: PathFilter
    /// Records whose eventTime is outside [since, until] are dropped and counted.
    public var since: Instant?
    public var until: Instant?
    /// Worker count (default: all cores).
    public var jobs: Int
    public var decompressor: Decompressor
    public var context: AnalysisContext
    /// Detectors to run (empty: summary only).
    public var detectors: [any Detector]
    /// Decode every record, not only those in the analysis scope.
    public var decodeEverything: Bool
    /// The current time, for suppression expiry.
    public var now: Instant
    /// When set, exactly these files are read and `paths` is not walked (a state store's batch of new files).
    public var files: [LogFile]? = nil
    /// When set, this walk's files are read and its counts reported, and `paths` is not walked (one shard of a
    /// `ShardPlan`).
    public var walk: WalkResult? = nil
    /// Baselines from a state store, passed to `RunFacts.storedBaselines` (also give them to the detectors).
    public var storedBaselines: (any StoredBaselines)? = nil
    /// AgentCore execution roles known from earlier runs (state store); added to `RunFacts.agentRoles`.
    public var knownAgentRoles: Set<String> = []
    /// Principals known to call Bedrock/AgentCore from earlier runs; added to `RunFacts.bedrockPrincipals`.
    public var knownBedrockPrincipals: Set<String> = []
    /// Memory all workers together may hold for reading gzip files whole with libdeflate (compressed + inflated
    /// bytes, buffers kept for reuse included); see `WholeFileBudget`. A file needing more is read alone.
    public var wholeFileBudgetBytes: Int = WholeFileBudget.defaultBytes
    /// The largest record kept (bytes); larger ones are reported (`recordTooLarge`) and skipped without buffering.
    public var maxRecordBytes: Int = RecordSplitter.defaultMaxRecordBytes
    /// Files read per batch while `paths` are walked (`FilePass.run(walking:)`); tests make it small.
    var walkBatchSize = FilePass.walkBatchSize
    /// The walk of `paths`, started ahead (`startWalkingAhead`); used when neither `files` nor `walk` is set and it
    /// walks these `paths` with this `filter` and batch size.
    public private(set) var walkAhead: WalkAhead?

    /// Starts walking `paths` on a thread of its own, so that the first batch of files is listed while the caller
    /// still loads policies and rules; the scan then reads the batches as they come (`WalkAhead`). With one job it
    /// does nothing: the walk stays on the scan's thread. A caller that does not go on to scan calls
    /// `stopWalkingAhead`.
    public mutating func startWalkingAhead() {
        guard jobs > 1, files == nil, walk == nil, walkAhead == nil else { return }
        walkAhead = WalkAhead(ArchiveWalker(filter: filter), paths: paths, batchSize: walkBatchSize)
    }

    /// Starts walking `paths` whole on a thread of its own, for a caller that needs the list of every file before it
    /// reads any (a nightly run selects them against its ledger; `wholeWalk`): the walk, most of it `stat` calls,
    /// runs while the command loads its policies and rules. With one job, or when `files` or `walk` is set, it does
    /// nothing.
    public mutating func startWalkingAheadWhole() {
        guard jobs > 1, files == nil, walk == nil, walkAhead == nil else { return }
        walkAhead = WalkAhead(ArchiveWalker(filter: filter), paths: paths, batchSize: Int.max)
    }

    /// The walk of `paths` with every file listed: `walk` when set; else the walk started by
    /// `startWalkingAheadWhole` for these paths and this filter (waiting for its end); else walked now, on this
    /// thread. The same files, order, counts and failures whichever it is.
    public func wholeWalk() -> WalkResult {
        if let walk { return walk }
        if let ahead = walkAhead, ahead.paths == paths, ahead.filter == filter, ahead.batchSize == Int.max, ahead.claim() {
            var files: [LogFile] = []
            var walked = ahead.readBatches { batch, _ in files.append(contentsOf: batch) }
            walked.files = files
            return walked
        }
        walkAhead?.stop()
        return ArchiveWalker(filter: filter).walk(paths)
    }

    /// Stops a walk started ahead and forgets it (the scan then walks itself).
    public mutating func stopWalkingAhead() {
        walkAhead?.stop()
        walkAhead = nil
    }

    public init(paths: [String], filter: PathFilter = .all, since: Instant? = nil, until: Instant? = nil,
                jobs: Int = ScanOptions.defaultJobs, decompressor: Decompressor = .auto,
                context: AnalysisContext = AnalysisContext(), detectors: [any Detector] = [],
                decodeEverything: Bool = false, now: Instant = Instant.now) {
        self.paths = paths
        self.filter = filter
        self.since = since
        self.until = until
        self.jobs = max(1, jobs)
        self.decompressor = decompressor
        self.context = context
        self.detectors = detectors
        self.decodeEverything = decodeEverything
        self.now = now
    }

    /// The record fields this scan decodes: what its detectors read, plus the STS records' `requestParameters` (the
    /// discovery of AgentCore roles reads `sts:AssumeRole` parameters; `agentAndAuditRequestParameters`).
    public var recordFields: RecordFieldSet {
        if let recordFieldsOverride { return recordFieldsOverride }
        return detectors.reduce(RecordFieldSet.agentAndAuditRequestParameters) { $0.union($1.recordFields(context: context)) }
    }

    /// Decode these fields instead of what the detectors declare (tests compare declared against `.all`).
    public var recordFieldsOverride: RecordFieldSet?

    /// Number of active processors.
    public static var defaultJobs: Int { max(1, ProcessInfoCores.count) }
}


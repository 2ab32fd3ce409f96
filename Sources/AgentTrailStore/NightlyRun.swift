import AgentTrail

/// How to run an incremental (nightly) scan against a state store.
public struct NightlyOptions: Sendable {
    /// Inputs, pruning, jobs, decompressor, analysis context and `now` (its `files`, `detectors` and
    /// `storedBaselines` are set per batch).
    public var scan: ScanOptions
    /// Treat every file of this run as learning: build baselines, drop baseline detectors' findings.
    public var learn = false
    /// Files per batch (one transaction each).
    public var batchSize = 500
    /// Makes the detectors of a batch from the baselines stored before it.
    public var detectors: @Sendable (any StoredBaselines) -> [any Detector]
    /// Called after the transaction of batch `n` (1-based) committed (crash tests).
    public var afterCommit: (@Sendable (Int) -> Void)?
    /// Called inside the transaction of batch `n`, after every write, before the commit (crash tests).
    public var beforeCommit: (@Sendable (Int) -> Void)?
    /// Wall-clock seconds since 1970, for the ledger and history timestamps.
    public var wallClock: @Sendable () -> Double = { Double(Instant.now.millisecondsSince1970) / 1000 }

    public init(scan: ScanOptions, detectors: @escaping @Sendable (any StoredBaselines) -> [any Detector]) {
        self.scan = scan
        self.detectors = detectors
    }
}

/// What a nightly run did and what it reports.
public struct NightlyResult: Sendable {
    public var runId: Int64
    /// True when this run resumed one that was interrupted.
    public var resumed: Bool
    /// Merged summary of the batches read by this process; `findings` is empty (see `reported`).
    public var summary: ScanSummary
    /// New or changed findings of the run (including those of an interrupted run it resumed), report order.
    public var reported: [ReportedFinding]
    public var filesSeen: Int
    public var filesUnchanged: Int
    public var filesRead: Int
    public var learningFiles: Int
    public var batches: Int
    /// End of the learning period (nil: none).
    public var learningEnd: Instant?
}

/// Incremental scans: reads only files that are new or changed since the ledger saw them, in batches sorted
/// by delivery day then path; each batch is scanned with the stored baselines and committed in one
/// transaction (ledger, baselines, findings). A kill loses at most the uncommitted batch, which the next run
/// reads again; the partition of the remaining files is the same, so the end state and report are the same.
public enum NightlyRun {
    /// Detectors whose findings are dropped while learning.
    public static let baselineDetectors: Set<String> = [
        "unknown-source-ip", "new-region", "new-model", "invocation-spike", "vpc-endpoint-bypass",
    ]

    /// Runs over `options.scan.paths`. The caller must hold the `StateLock` and call `store.completeRun`
    /// after writing the report. Every error is a `StateError` naming the state file.
    public static func run(store: StateStore, options: NightlyOptions) throws -> NightlyResult {
        try store.named { try runNamed(store: store, options: options) }
    }

    private static func runNamed(store: StateStore, options: NightlyOptions) throws -> NightlyResult {
        let start = MonotonicClock.seconds
        let walk = ArchiveWalker(filter: options.scan.filter).walk(options.scan.paths)
        let (selected, unchanged) = try store.selectFiles(walk.files)
        let (runId, resumed) = try store.beginRun(now: options.wallClock())

        let learningEnd: Int64?
        switch try store.learningEnd() {
        case .some(let decided): learningEnd = decided
        case .none:
            let days = options.scan.context.config.baseline.learningDays
            let first = selected.compactMap { $0.file.deliveryTime?.dayFloor.millisecondsSince1970 }.min()
            learningEnd = days > 0 ? first.map { $0 + Int64(days) * 86_400_000 } : nil
        }
        let batches = plan(selected, learningEnd: learningEnd, learnAll: options.learn, size: max(1, options.batchSize))

        var summary = ScanSummary()
        var learningFiles = 0
        for (n, batch) in batches.enumerated() {
            let knowledge = try store.loadKnowledge()
            let collector = BaselineCollector()
            var scan = options.scan
            scan.files = batch.files.map(\.file)
            scan.storedBaselines = knowledge.baselines
            scan.knownAgentRoles = knowledge.agentRoles
            scan.knownBedrockPrincipals = knowledge.bedrockPrincipals
            scan.detectors = options.detectors(knowledge.baselines) + [collector]
            let result = ScanRun.run(scan)
            var kept = result.findings, suppressed = result.suppressed.map(\.finding)
            if batch.learning {
                kept.removeAll { baselineDetectors.contains($0.detector) }
                suppressed.removeAll { baselineDetectors.contains($0.detector) }
                learningFiles += batch.files.count
            }
            let commit = BatchCommit(files: batch.files, collected: collector.collected ?? CollectedBaselines(),
                                     failed: Set(result.summary.failed.map(\.path)), kept: kept, suppressed: suppressed,
                                     learning: batch.learning, learningEnd: learningEnd)
            try store.commit(commit, runId: runId, now: options.wallClock(),
                             insideTransaction: options.beforeCommit.map { hook in { hook(n + 1) } })
            options.afterCommit?(n + 1)
            summary.merge(result.summary)
        }
        summary.skippedDigest = walk.skippedDigest
        summary.skippedInsight = walk.skippedInsight
        summary.skippedOutOfRange = walk.skippedOutOfRange
        summary.skippedOutsideRoot = walk.skippedOutsideRoot
        summary.failed += walk.failures.map { ScanSummary.FailedFile(path: $0.path, offset: $0.offset, reason: $0.message) }
        summary.jobs = options.scan.jobs
        summary.decompressor = options.scan.decompressor.inUseDescription
        summary.finalize()
        summary.seconds = MonotonicClock.seconds - start
        return NightlyResult(runId: runId, resumed: resumed, summary: summary, reported: try store.pendingFindings(runId: runId),
                             filesSeen: walk.files.count, filesUnchanged: unchanged, filesRead: selected.count,
                             learningFiles: learningFiles, batches: batches.count,
                             learningEnd: learningEnd.map { Instant(millisecondsSince1970: $0) })
    }

    /// A batch of files to read together.
    public struct Batch: Sendable, Hashable {
        public var files: [SelectedFile]
        public var learning: Bool
    }

    /// Sorts files by delivery day (undated last) then path, splits learning from alerting files, and chunks.
    public static func plan(_ files: [SelectedFile], learningEnd: Int64?, learnAll: Bool, size: Int) -> [Batch] {
        func day(_ f: SelectedFile) -> Int64 { f.file.deliveryTime?.dayFloor.millisecondsSince1970 ?? Int64.max }
        let sorted = files.sorted { day($0) != day($1) ? day($0) < day($1) : $0.file.path < $1.file.path }
        var out: [Batch] = []
        for f in sorted {
            let learning = learnAll || (learningEnd.map { day(f) < $0 } ?? false)
            if let last = out.last, last.learning == learning, last.files.count < size {
                out[out.count - 1].files.append(f)
            } else {
                out.append(Batch(files: [f], learning: learning))
            }
        }
        return out
    }
}

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
    /// Makes the run's detectors from the baselines stored before its alerting files.
    public var detectors: @Sendable (any StoredBaselines) -> [any Detector]
    /// Called after the transaction of batch `n` (1-based) committed; the run's findings transaction follows the
    /// last batch as step `batches + 1` (crash tests).
    public var afterCommit: (@Sendable (Int) -> Void)?
    /// Called inside the transaction of step `n` (a batch, then the findings), after every write, before the
    /// commit (crash tests).
    public var beforeCommit: (@Sendable (Int) -> Void)?
    /// The shard this run is (nil: unsharded). Its files are `scan.walk` (the shard's part of the input); the state
    /// file records the spec on its first run and refuses any other (`StateStore.claimShard`).
    public var shard: StateShardSpec?
    /// Called once, before the run begins (`StateStore.beginRun`), with whether it will read any file: new or
    /// changed ones, or those of an interrupted run it resumes (`StateStore.hasUnfinishedRun`; counted as reading).
    /// A command loads here what only reading needs (its rules), and may skip it when nothing is read; an error
    /// stops the run before anything is written.
    public var prepare: (@Sendable (_ reading: Bool) throws -> Void)?
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
/// by delivery day then path, each committed in one transaction (ledger, baselines). The detectors' state of
/// every batch is merged in memory and the run's findings are made once, at the end, from the whole run — so
/// they do not depend on the batch size or the job count: a window (an invocation spike, a denied burst, a
/// recon set) that spans two batches is judged whole, titles and details describe all of it, and every file of
/// the run is judged against the baselines from before it (its alerting files' baselines wait in the store's
/// pending tables until the run completes). A kill loses at most the uncommitted batch: the next run resumes,
/// reads the files the interrupted run committed again for detection only (not for baselines), reads the rest
/// in the same batches, and reports what the uninterrupted run would have reported.
public enum NightlyRun {
    /// Runs over `options.scan.paths`. The caller must hold the `StateLock` and call `store.completeRun`
    /// after writing the report. Every error is a `StateError` naming the state file.
    public static func run(store: StateStore, options: NightlyOptions) throws -> NightlyResult {
        try store.named { try runNamed(store: store, options: options) }
    }

    /// Baseline-driven detectors (`DetectorDescriptor.Traits.baselineDriven`) are silent while learning and judge
    /// only the alerting files.
    static func isBaselineDriven(_ d: any Detector) -> Bool { d.descriptor.traits.contains(.baselineDriven) }

    private static func runNamed(store: StateStore, options: NightlyOptions) throws -> NightlyResult {
        /// The options' detectors but those that judge the whole evidence window at once (`needsWholeWindow`:
        /// unused granted actions), which a nightly batch cannot.
        func nightlyDetectors(_ baselines: any StoredBaselines) -> [any Detector] {
            options.detectors(baselines).filter { !$0.descriptor.traits.contains(.needsWholeWindow) }
        }
        let start = MonotonicClock.seconds
        try store.claimShard(options.shard)
        // A shard's files come as its walk (`ShardPlan.walk(forShard:)`); an unsharded run walks the paths.
        // (A walk the command started ahead, while it loaded its rules, is taken here: `ScanOptions.wholeWalk`.)
        let walk = options.scan.wholeWalk()
        let (selected, unchanged) = try store.selectFiles(walk.files)
        if let prepare = options.prepare { try prepare(try !selected.isEmpty || store.hasUnfinishedRun()) }
        let (runId, resumed) = try store.beginRun(now: options.wallClock())
        let progress = try store.progress(ofRun: runId)

        let learningEnd: Int64?
        switch try store.learningEnd() {
        case .some(let decided): learningEnd = decided
        case .none:
            let days = options.scan.context.config.baseline.learningDays
            let first = selected.compactMap { $0.file.deliveryTime?.dayFloor.millisecondsSince1970 }.min()
            learningEnd = days > 0 ? first.map { $0 + Int64(days) * 86_400_000 } : nil
        }

        var summary = ScanSummary()
        func finish(_ summary: inout ScanSummary, filesRead: Int, learningFiles: Int, batches: Int) throws -> NightlyResult {
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
                                 filesSeen: walk.files.count, filesUnchanged: unchanged, filesRead: filesRead,
                                 learningFiles: learningFiles, batches: batches,
                                 learningEnd: learningEnd.map { Instant(millisecondsSince1970: $0) })
        }
        // An interrupted run that got as far as recording its findings only has its report left; files that
        // arrived since are read by the next run.
        if progress.findingsRecorded { return try finish(&summary, filesRead: 0, learningFiles: 0, batches: 0) }

        let batches = plan(selected, learningEnd: learningEnd, learnAll: options.learn, size: max(1, options.batchSize))
        // Files this run committed before it was interrupted: read again for its findings (a file changed since is
        // read again as a new file instead).
        let fresh = Set(selected.map(\.file.path))
        let reread = progress.committed.filter { !fresh.contains($0.file.path) }
        let context = options.scan.context

        func read(_ files: [LogFile], _ detectors: [any Detector]) -> ScanState {
            var scan = options.scan
            scan.walk = nil
            scan.files = files
            scan.detectors = detectors
            return ScanRun.collect(scan)
        }
        var step = 0
        var learningFiles = 0
        /// Reads a batch with `detectors`, commits its ledger rows and baselines, and merges its state into `state`.
        func readAndCommit(_ batch: Batch, _ detectors: [any Detector], into state: ScanState) throws {
            step += 1
            let batchState = read(batch.files.map(\.file), detectors + [BaselineCollector()])
            let collector = batchState.removeAccumulator(at: detectors.count)
            let collected = BaselineCollector.collected(from: collector, agentRoles: batchState.agentRoles,
                                                        bedrockPrincipals: batchState.bedrockPrincipals) ?? CollectedBaselines()
            let commit = BatchCommit(files: batch.files, collected: collected, failed: Set(batchState.summary.failed.map(\.path)),
                                     kept: [], suppressed: [], learning: batch.learning, learningEnd: learningEnd,
                                     stagesBaselines: !batch.learning)
            let n = step
            try store.commit(commit, runId: runId, now: options.wallClock(),
                             insideTransaction: options.beforeCommit.map { hook in { hook(n) } })
            options.afterCommit?(n)
            summary.merge(batchState.summary)
            state.merge(batchState)
            if batch.learning { learningFiles += batch.files.count }
        }

        // Learning files (all detectors but the baseline ones). `plan` puts them before the alerting files.
        // (Baselines do not matter to these detectors.)
        let learningDetectors = nightlyDetectors(StaticBaselines([:])).filter { !isBaselineDriven($0) }
        let learningState = ScanState(detectors: learningDetectors, context: context)
        let rereadLearning = reread.filter(\.learning).map(\.file)
        if !rereadLearning.isEmpty { learningState.merge(read(rereadLearning, learningDetectors)) }
        for batch in batches where batch.learning { try readAndCommit(batch, learningDetectors, into: learningState) }

        // Alerting files: every detector, against the baselines stored before them (learning files included).
        let rereadAlerting = reread.filter { !$0.learning }.map(\.file)
        var kept: [Finding] = [], suppressed: [Finding] = []
        if !batches.isEmpty || !reread.isEmpty {
            let knowledge = try store.loadKnowledge()
            let detectors = nightlyDetectors(knowledge.baselines)
            let state = ScanState(detectors: detectors, context: context)
            if !rereadAlerting.isEmpty { state.merge(read(rereadAlerting, detectors)) }
            for batch in batches where !batch.learning { try readAndCommit(batch, detectors, into: state) }

            // One set of findings for the whole run: baseline detectors from the alerting files, the others from all.
            for (i, d) in detectors.enumerated() where !isBaselineDriven(d) {
                if let j = learningDetectors.firstIndex(where: { $0.id == d.id }) { state.accumulators[i].mergeErased(learningState.accumulators[j]) }
            }
            state.mergeDiscoveries(learningState)
            var scan = options.scan
            scan.walk = nil
            scan.detectors = detectors
            scan.storedBaselines = knowledge.baselines
            scan.knownAgentRoles = knowledge.agentRoles
            scan.knownBedrockPrincipals = knowledge.bedrockPrincipals
            let result = ScanRun.findings(state, scan)
            kept = result.findings
            suppressed = result.suppressed.map(\.finding)
            if options.learn {
                let silent = Set(detectors.filter(isBaselineDriven).map(\.id.rawValue))
                kept.removeAll { silent.contains($0.detector) }
                suppressed.removeAll { silent.contains($0.detector) }
            }
        }
        // The findings transaction counts as one more step for the test hooks.
        let n = step + 1
        try store.recordRunFindings(kept: kept, suppressed: suppressed, runId: runId, now: options.wallClock(),
                                    insideTransaction: options.beforeCommit.map { hook in { hook(n) } })
        options.afterCommit?(n)
        return try finish(&summary, filesRead: selected.count, learningFiles: learningFiles, batches: batches.count)
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

import Dispatch

/// Runs a scan: walks the inputs, reads files in parallel (largest first, one reader and one set of detector
/// accumulators per worker, no shared locks on the hot path), merges the workers' state and makes findings.
/// The workers share one `WholeFileBudget` (`ScanOptions.wholeFileBudgetBytes`) and a `FileQueue` that gives
/// them small files while a large one waits for the budget. The result is identical for any job count and
/// file order.
public enum ScanRun {
    public static func run(_ options: ScanOptions, progress: (@Sendable (ScanProgress) -> Void)? = nil) -> ScanResult {
        let start = MonotonicClock.seconds
        let state = collect(options, progress: progress, derivingGrants: true)
        var result = findings(state, options)
        result.summary = state.summary
        result.summary.seconds = MonotonicClock.seconds - start
        // (At several jobs the merged state is freed on another thread: it is a few hundred thousand small blocks,
        // ~14 M instructions to free on the real-shaped archive, after the pass on one thread.)
        if options.jobs > 1 { freeElsewhere(consume state) }
        return result
    }

    /// Merges `others` into `merged` (as `WorkerState.merge`, in the same order for each accumulator) and derives the
    /// principals' grants (`AnalysisContext.deriveGrants`), both on up to `jobs` threads: each accumulator's merge is
    /// one piece of work and each principal's derivation another, taken heaviest derivation first. One after the
    /// other, a 2-job scan ended with ~12 ms of merge and ~16 ms of the `NotAction` principal's derivation, each
    /// on one thread while the other had little to do. Accumulators share nothing mutable (their sinks are locked;
    /// `FindingPipeline` makes their findings on several threads the same way), and a principal's grants are
    /// made once under its own lock, so whichever thread asks first makes them. A principal of many grants (a
    /// `NotAction` or `*` statement) has them decided in two halves (`EffectiveGrants`'s `jobs`): alone it was the
    /// last ~10 ms, on one thread while the merges had ended on the other.
    static func mergeAndDerive(into merged: WorkerState, _ others: ArraySlice<WorkerState>, context: AnalysisContext,
                               jobs: Int) {
        for s in others { merged.mergeAllButAccumulators(s) }
        enum Work { case derive(PrincipalPolicyInfo), merge(Int) }
        let principals = Array(context.policies.values)
        let costs = principals.map(\.derivationCost)
        // (Ties keep dictionary order for the derivations: which thread derives which principal does not change
        // what is derived.)
        let derivations = principals.indices.sorted { costs[$0] > costs[$1] }.filter { costs[$0] > 0 }
        var work = derivations.map { Work.derive(principals[$0]) }
        if !others.isEmpty { work += merged.accumulators.indices.map { Work.merge($0) } }
        let accumulators = merged.accumulators
        let sources = others.map(\.accumulators)
        _ = ParallelMap.map(work, jobs: jobs) { item in
            switch item {
            case .derive(let info): info.deriveGrants(jobs: jobs)
            case .merge(let i): for s in sources { accumulators[i].mergeErased(s[i]) }
            }
        }
    }

    /// Frees `object` on a thread of the global queue, not the caller's (which holds no other reference). When the
    /// process exits first, the system takes the memory back whole.
    static func freeElsewhere(_ object: consuming AnyObject) {
        let parcel = Parcel(reference: Unmanaged.passRetained(object))
        _ = consume object
        DispatchQueue.global(qos: .utility).async { parcel.reference.release() }
    }

    /// Workers' states merged into another, handed to `freeElsewhere` together.
    private final class MergedWorkers {
        let states: [WorkerState]
        init(states: [WorkerState]) { self.states = states }
    }

    /// A reference handed to the thread that drops it (no other thread uses the object any more).
    private struct Parcel: @unchecked Sendable { let reference: Unmanaged<AnyObject> }

    /// Makes the findings of a merged state (`collect`, possibly merged over several sets of files): the window's
    /// facts from the state and `options` (known roles and callers, stored baselines), then `FindingPipeline`.
    /// The result's summary is empty.
    public static func findings(_ state: ScanState, _ options: ScanOptions) -> ScanResult {
        options.context.deriveGrants(jobs: options.jobs)
        let facts = RunFacts(firstEvent: state.analysedFirst, lastEvent: state.analysedLast,
                             agentRoles: state.agentRoles.union(options.knownAgentRoles), baselineEnd: nil,
                             context: options.context,
                             bedrockPrincipals: state.bedrockPrincipals.union(options.knownBedrockPrincipals),
                             storedBaselines: options.storedBaselines)
        return FindingPipeline.make(accumulators: state.accumulators, detectors: options.detectors, facts: facts, now: options.now,
                                    jobs: options.jobs)
    }

    /// Reads the files (walks `paths` unless `files` is set) and returns the merged state of all workers without
    /// making findings. States of the same detectors merge (`ScanState.merge`), so a window read in parts gives the
    /// same findings as read at once.
    public static func collect(_ options: ScanOptions, progress: (@Sendable (ScanProgress) -> Void)? = nil) -> ScanState {
        collect(options, progress: progress, derivingGrants: false)
    }

    /// `collect`; with `derivingGrants` (a scan that makes its findings next) at several jobs, the principals' grants
    /// are derived while the workers' states merge, on the same threads (`mergeAndDerive`).
    static func collect(_ options: ScanOptions, progress: (@Sendable (ScanProgress) -> Void)?,
                        derivingGrants: Bool) -> ScanState {
        let start = MonotonicClock.seconds
        var states: [WorkerState]
        var walk: WalkResult
        if var given = options.walk ?? options.files.map({ list in var w = WalkResult(); w.files = list; return w }) {
            states = FilePass.run(given.takeFiles(), jobs: options.jobs, wholeFileBudgetBytes: options.wholeFileBudgetBytes,
                                  progress: progress) { budget in WorkerState(options: options, budget: budget) }
            walk = given
        } else if let ahead = options.walkAhead, ahead.paths == options.paths, ahead.filter == options.filter,
                  ahead.batchSize == options.walkBatchSize, ahead.claim() {
            // (A walk started ahead is read once: options used again, or changed since, walk as below.)
            (states, walk) = FilePass.run(ahead: ahead, jobs: options.jobs, wholeFileBudgetBytes: options.wholeFileBudgetBytes,
                                          progress: progress) { budget in
                WorkerState(options: options, budget: budget)
            }
        } else {
            options.walkAhead?.stop()
            (states, walk) = FilePass.run(walking: ArchiveWalker(filter: options.filter), options.paths,
                                          batchSize: options.walkBatchSize, jobs: options.jobs,
                                          wholeFileBudgetBytes: options.wholeFileBudgetBytes, progress: progress) { budget in
                WorkerState(options: options, budget: budget)
            }
        }

        // (What only the reading needed is freed by now (`FilePassWorker.finished`); handed back to the system, the
        // merge and findings that follow at several jobs do not add to the pass's peak: −1.2 MB peak RSS at 2 jobs.)
        FreedMemory.returnToSystem()
        // Merge in worker order (merges are order-independent; this just keeps it tidy).
        let merged = states.first ?? WorkerState(options: options)
        if derivingGrants && options.jobs > 1 {
            mergeAndDerive(into: merged, states.dropFirst(), context: options.context, jobs: options.jobs)
        } else {
            for s in states.dropFirst() { merged.merge(s) }
        }

        // (The other workers' states, merged into the first, are freed on another thread: at 2 jobs the second
        // worker's state took ~1 ms (7.5 M instructions) to free on this thread while the other core had nothing to do.)
        if states.count > 1 {
            let others = MergedWorkers(states: Array(states.dropFirst()))
            states = []
            freeElsewhere(consume others)
        }
        merged.flushSourceCounts()
        var summary = merged.box.summary
        summary.skippedDigest = walk.skippedDigest
        summary.skippedInsight = walk.skippedInsight
        summary.skippedOutOfRange = walk.skippedOutOfRange
        summary.skippedOutsideRoot = walk.skippedOutsideRoot
        summary.failed += walk.failures.map { ScanSummary.FailedFile(path: $0.path, offset: $0.offset, reason: $0.message) }
        summary.jobs = options.jobs
        summary.decompressor = options.decompressor.inUseDescription
        summary.finalize()
        summary.seconds = MonotonicClock.seconds - start
        return ScanState(summary: summary, accumulators: merged.accumulators, agentRoles: merged.agentRoles,
                         bedrockPrincipals: merged.bedrockPrincipals, analysedFirst: merged.analysedFirst,
                         analysedLast: merged.analysedLast)
    }
}

/// What a scan read, before findings are made: the detectors' merged accumulators (in `ScanOptions.detectors`
/// order), the AgentCore roles and Bedrock callers it discovered, the analysed time span and the summary.
/// States of disjoint sets of files read with the same detectors merge associatively and in any order, like the
/// workers of one scan; a nightly run merges its batches this way and makes findings once.
public final class ScanState {
    public private(set) var summary: ScanSummary
    public private(set) var accumulators: [any DetectorAccumulator]
    public private(set) var agentRoles: Set<String>
    public private(set) var bedrockPrincipals: Set<String>
    public private(set) var analysedFirst: Instant?
    public private(set) var analysedLast: Instant?

    public init(summary: ScanSummary = ScanSummary(), accumulators: [any DetectorAccumulator], agentRoles: Set<String> = [],
                bedrockPrincipals: Set<String> = [], analysedFirst: Instant? = nil, analysedLast: Instant? = nil) {
        self.summary = summary
        self.accumulators = accumulators
        self.agentRoles = agentRoles
        self.bedrockPrincipals = bedrockPrincipals
        self.analysedFirst = analysedFirst
        self.analysedLast = analysedLast
    }

    /// An empty state for `detectors` (fresh accumulators).
    public convenience init(detectors: [any Detector], context: AnalysisContext) {
        self.init(accumulators: detectors.map { $0.makeAccumulator(context: context) })
    }

    /// Folds `other` in: accumulators pairwise (same detectors, same order), unions, min/max, summed summary.
    public func merge(_ other: ScanState) {
        precondition(accumulators.count == other.accumulators.count, "ScanState.merge: different detectors")
        summary.merge(other.summary)
        for (a, b) in zip(accumulators, other.accumulators) { a.mergeErased(b) }
        mergeDiscoveries(other)
    }

    /// Folds in what `other` discovered — AgentCore roles, Bedrock callers, the analysed time span — but not its
    /// accumulators or summary (a state of other detectors).
    public func mergeDiscoveries(_ other: ScanState) {
        agentRoles.formUnion(other.agentRoles)
        bedrockPrincipals.formUnion(other.bedrockPrincipals)
        if let f = other.analysedFirst, analysedFirst == nil || f < analysedFirst! { analysedFirst = f }
        if let l = other.analysedLast, analysedLast == nil || l > analysedLast! { analysedLast = l }
    }

    /// Removes and returns the accumulator at `index` (e.g. a `BaselineCollector` run alongside the detectors).
    @discardableResult
    public func removeAccumulator(at index: Int) -> any DetectorAccumulator {
        accumulators.remove(at: index)
    }

}

/// One worker's reader, counters and detector accumulators.
///
/// Per record, the prefilter (`triage`) looks at the peeked fields once: it finds the eventSource and principal key
/// through this worker's memo tables and decides the analysis scope. Records out of scope are counted there and
/// never decoded. Without detectors nothing needs a decoded record except the discovery of AgentCore roles
/// (`sts:AssumeRole`), so in-scope records are counted there too after the same validation the decoder does.
final class WorkerState: FilePassWorker, @unchecked Sendable {
    let options: ScanOptions
    let reader: InputReader
    let scope: AnalysisScope
    let triageState: RecordTriage
    /// Decoded values that repeat across records, cached for this worker's decoders.
    let decodeMemo = DecodeMemo()
    let accumulators: [any DetectorAccumulator]
    /// `accumulators` as each record is handed to them (no reference counted per accumulator and record).
    private var observers: AccumulatorObservers
    /// The Sigma rules' accumulator among `accumulators`, fed from the triage (rules read every record's raw bytes,
    /// whatever the analysis scope).
    let rules: SigmaRuleAccumulator?
    /// `rules` without reference counting (it is also held strongly, above and in `accumulators`).
    private let unownedRules: Unmanaged<SigmaRuleAccumulator>?
    var agentRoles = Set<String>()
    var bedrockPrincipals = Set<String>()
    var analysedFirst: Instant?
    var analysedLast: Instant?
    /// This worker's summary; a class box so the prefilter closure can count skipped records into it.
    let box = SummaryBox()
    /// No detector will look at decoded records.
    let countOnlyInScope: Bool
    let since: Instant?
    let until: Instant?
    /// The record fields the detectors read (`ScanOptions.recordFields`).
    let fields: RecordFieldSet
    /// The eventTimes the current file can plausibly hold (`EventTimeBounds`).
    private var bounds = EventTimeBounds(lower: Instant(millisecondsSince1970: .min), upper: Instant(millisecondsSince1970: .max))
    private var currentPath = ""
    /// What the triage found out about a record it lets through to decoding: handed with the decoded record to
    /// `observe`, so nothing is looked up twice.
    struct Triaged {
        var sourceID: Int
        var source: RecordTriage.Source
        var principal: RecordTriage.PrincipalRef
        /// Nil when no detector runs (the action is not needed).
        var action: RecordTriage.ActionInfo?
    }

    init(options: ScanOptions, budget: WholeFileBudget? = nil) {
        self.options = options
        self.reader = InputReader(decompressor: options.decompressor, budget: budget)
        var patterns = options.context.config.principals.map(\.pattern) + options.context.config.agentRolePatterns
        patterns += options.context.policies.keys
        self.scope = AnalysisScope(knownPrincipalPatterns: patterns,
                                   everything: options.decodeEverything)
        self.triageState = RecordTriage(scope: scope, identityMemo: decodeMemo.identities)
        self.accumulators = options.detectors.map { $0.makeAccumulator(context: options.context) }
        self.observers = AccumulatorObservers(accumulators)
        self.rules = accumulators.lazy.compactMap { $0 as? SigmaRuleAccumulator }.first
        unownedRules = rules.map { Unmanaged.passUnretained($0) }
        self.countOnlyInScope = options.detectors.isEmpty && !options.decodeEverything
        self.since = options.since
        self.fields = options.recordFields
        self.until = options.until
    }

    /// Reads one file; returns the uncompressed bytes read, or nil when the file was put off because the budget
    /// could not lend its buffers now (only when `waitForBudget` is false; nothing is counted then).
    func process(_ file: LogFile, waitForBudget: Bool = true) -> Int64? {
        var streamOptions = RecordStream.Options(file: file.path)
        streamOptions.judged = true  // by `triage`
        streamOptions.scansIdentityFirst = true  // `triage` always scans it; the decoder then reuses it
        streamOptions.decodeMemo = decodeMemo
        streamOptions.fields = fields
        streamOptions.maxRecordBytes = options.maxRecordBytes
        var stream = RecordStream(streamOptions)
        let path = file.path  // (read once: not a copy of `file` per record)
        bounds = EventTimeBounds(file: file, now: options.now)
        currentPath = path
        rules?.currentFile = path
        guard let read = RecordFileRead.read(file, reader: reader, stream: &stream, waitForBudget: waitForBudget, feed: { stream, chunk in
            stream.feedJudged(chunk, judge: { peek in self.triage(peek) }) { record, index, triaged in
                self.observe(record, triaged, file: path, index: index)
            }
        }) else { return nil }  // put off: nothing was delivered
        let bytes = read.stats?.decompressedBytes ?? 0
        if let stats = read.stats {
            box.summary.compressedBytes += stats.compressedBytes
        } else if !read.unexpectedError {
            box.summary.compressedBytes += file.size
        }
        if read.notCloudTrail {
            box.summary.skippedNotCloudTrail.append(file.path)
            box.summary.compressedBytes -= file.size
            return bytes
        }
        box.summary.uncompressedBytes += bytes
        if let e = read.inputError {
            box.summary.failed.append(.init(path: file.path, offset: e.offset, reason: e.message))
        } else {
            box.summary.filesRead += 1
            if bytes == 0 { box.summary.filesEmpty += 1 }
        }
        for issue in read.malformed {
            box.summary.addMalformed(.init(path: file.path, index: issue.index, offset: Int64(issue.byteOffset), reason: issue.reason))
        }
        for issue in read.documentProblems {
            box.summary.failed.append(.init(path: file.path, offset: nil, reason: issue.reason + " (at decompressed byte \(issue.byteOffset))"))
        }
        // Issues beyond the stored cap are still counted.
        let storedMalformed = stream.issues.filter(\.consumesRecord).count
        if stream.counts.malformed > storedMalformed { box.summary.recordsMalformed += stream.counts.malformed - storedMalformed }
        return bytes
    }

    /// The triage of a record from its peeked fields: what `observe` needs when the record must be decoded; nil
    /// when it need not (it is then counted here).
    @inline(__always)
    func triage(_ peek: PeekedFields) -> Triaged? {
        let t = triageState
        var identityValid = true
        let identity: IdentityFields
        if let scanned = peek.identity {
            identityValid = !scanned.failed
            identity = identityValid ? scanned.fields : IdentityFields()
        } else {
            do { identity = try IdentityFields(peek.p, peek.fields.userIdentity) } catch {
                identity = IdentityFields()
                identityValid = false
            }
        }
        let (sourceID, source) = t.source(peek)
        let principal = t.principal(peek, identity)
        // The record's eventTime, parsed at most once (by the rules when one matched, and by the counting below).
        var parsedTime: Instant?? = nil
        func eventTime() -> Instant? {
            if let known = parsedTime { return known }
            let t = peek.eventTime
            parsedTime = .some(t)
            return t
        }
        // (Through an unowned reference: `rules` lives as long as the worker; a strong one counted a reference per
        // record.)
        if let rules = unownedRules { rules._withUnsafeGuaranteedRef { consider($0, peek, sourceID, source, principal, eventTime) } }
        let wanted = t.wants(peek, identity, source: source)
        if wanted {
            // Decode when a detector needs the record, when it may name an AgentCore role, or when the decoder
            // would reject it (so it is reported as malformed exactly as before).
            if !countOnlyInScope || (source.isSTS && peek.eventNameIs("AssumeRole")) || !identityValid
                || !RecordDecoder.nestedValuesAreValid(peek.p, peek.fields) {
                return Triaged(sourceID: sourceID, source: source, principal: principal,
                               action: accumulators.isEmpty ? nil : t.action(peek, sourceID: sourceID, source: source))
            }
        }
        var time = eventTime()
        if let t = time {
            if let s = since, t < s { box.summary.recordsOutOfRange += 1; return nil }
            if let u = until, t > u { box.summary.recordsOutOfRange += 1; return nil }
            if !bounds.contains(t) {
                box.summary.addTimeOutlier(.init(path: currentPath, eventID: SpanValue.string(peek.p, peek.fields.eventID), eventTime: t))
                time = nil
            }
        }
        count(sourceID, source, principal, time, outlier: eventTime() != nil && time == nil)
        if wanted { analysed(source, principal, time) }
        return nil
    }

    /// Hands a record to the rules; a match counts only within `--since`/`--until` (a time outside the file's
    /// plausible bounds is not used).
    private func consider(_ rules: SigmaRuleAccumulator, _ peek: PeekedFields, _ sourceID: Int, _ source: RecordTriage.Source,
                          _ principal: RecordTriage.PrincipalRef, _ eventTime: () -> Instant?) {
        // (The identity memo reached without a retain and a release per record, as `unownedRules`.)
        decodeMemo.unretainedIdentities._withUnsafeGuaranteedRef { identities in
            rules.consider(peek, sourceID: sourceID, source: { source.name }, principal: { principal.hashed },
                           principalSlot: principal.slot, identityMemo: identities) {
                guard let t = eventTime() else { return (true, nil) }
                if let s = since, t < s { return (false, nil) }
                if let u = until, t > u { return (false, nil) }
                return (true, bounds.contains(t) ? t : nil)
            }
        }
    }

    @inline(__always)
    private func count(_ sourceID: Int, _ source: RecordTriage.Source, _ principal: RecordTriage.PrincipalRef,
                       _ time: Instant?, outlier: Bool = false) {
        box.summary.recordsTotal += 1
        triageState.countSource(sourceID, source, into: &box.summary)
        if let key = principal.key, triageState.firstForSummary(principal) { box.summary.principals.insert(key) }
        if let time {
            if box.summary.firstEvent == nil || time < box.summary.firstEvent! { box.summary.firstEvent = time }
            if box.summary.lastEvent == nil || time > box.summary.lastEvent! { box.summary.lastEvent = time }
        } else if !outlier {
            box.summary.recordsWithoutTime += 1
        }
    }

    @inline(__always)
    private func analysed(_ source: RecordTriage.Source, _ principal: RecordTriage.PrincipalRef, _ time: Instant?) {
        box.summary.recordsAnalysed += 1
        if let t = time {
            if analysedFirst == nil || t < analysedFirst! { analysedFirst = t }
            if analysedLast == nil || t > analysedLast! { analysedLast = t }
        }
        if source.isBedrockOrAgentCore, let key = principal.key, triageState.firstForBedrock(principal) {
            bedrockPrincipals.insert(key)
        }
    }

    @inline(__always)
    func observe(_ record: consuming CloudTrailRecord, _ triaged: Triaged, file: String, index: Int) {
        if let t = record.eventTime {
            if let s = since, t < s { box.summary.recordsOutOfRange += 1; return }
            if let u = until, t > u { box.summary.recordsOutOfRange += 1; return }
            if !bounds.contains(t) {
                // Analysed without its time: kept out of the window bounds, baselines and windows; shown as written.
                // (Changed in a copy, apart: a record changed in place here was copied on every call, 488 bytes.)
                return observeOutlier(record, triaged, file: file, index: index, time: t)
            }
        }
        observeInRange(record, triaged, file: file, index: index, outlier: false)
    }

    @inline(never)
    private func observeOutlier(_ record: CloudTrailRecord, _ triaged: Triaged, file: String, index: Int, time t: Instant) {
        var record = record
        box.summary.addTimeOutlier(.init(path: file, eventID: record.eventID, eventTime: t))
        record.eventTime = nil
        record.eventTimeText = t.iso8601
        observeInRange(record, triaged, file: file, index: index, outlier: true)
    }

    @inline(__always)
    private func observeInRange(_ record: consuming CloudTrailRecord, _ triaged: Triaged, file: String, index: Int,
                                outlier: Bool) {
        let (sourceID, source, principal, action) = (triaged.sourceID, triaged.source, triaged.principal, triaged.action)
        count(sourceID, source, principal, record.eventTime, outlier: outlier)
        analysed(source, principal, record.eventTime)
        if source.isSTS, let role = AgentRoleDiscovery.assumedAgentRole(record) { agentRoles.insert(role) }
        if accumulators.isEmpty { return }
        // (One initializer, inlined: two branches each making the event copied the record into it once more.)
        let info = action ?? RecordTriage.actionInfo(record.eventSource, record.eventName)
        let event = ObservedRecord(record: consume record, file: file, index: index,
                                   hashedPrincipalKey: principal.hashed ?? ObservedRecord.unknownPrincipal, action: info)
        observers.observe(event)
    }

    /// After this worker's last file: frees the decoder's memo tables (the identity memo is the largest, ~4 MB per
    /// worker) and the rules' per-record memos, before the workers are merged and findings made.
    func finished() {
        decodeMemo.release()
        rules?.passEnded()
        flushSourceCounts()
    }

    /// Moves the triage's per-source counts into the summary (`RecordTriage.flush`). Once, after the worker's last file
    /// (and again, harmlessly, before a merge or a read of the summary): flushed per file, the counts' string-keyed
    /// dictionary cost ~460 instructions per source and file.
    func flushSourceCounts() {
        triageState.flush(into: &box.summary)
    }

    func merge(_ other: WorkerState) {
        mergeAllButAccumulators(other)
        for (a, b) in zip(accumulators, other.accumulators) { a.mergeErased(b) }
    }

    /// `merge` without the accumulators (`ScanRun.mergeAndDerive` merges those on several threads).
    func mergeAllButAccumulators(_ other: WorkerState) {
        flushSourceCounts()
        other.flushSourceCounts()
        box.summary.merge(other.box.summary)
        agentRoles.formUnion(other.agentRoles)
        bedrockPrincipals.formUnion(other.bedrockPrincipals)
        if let f = other.analysedFirst, analysedFirst == nil || f < analysedFirst! { analysedFirst = f }
        if let l = other.analysedLast, analysedLast == nil || l > analysedLast! { analysedLast = l }
    }
}

/// A worker's summary in a class box, so the prefilter closure can count the records it skips into it.
final class SummaryBox: @unchecked Sendable {
    var summary = ScanSummary()
}

/// A detection rule. Detectors are values that create per-worker accumulators; all detectors run in
/// one streaming pass, and the accumulators of all workers are merged before findings are made.
///
/// Rules for implementations:
/// - `observe` must only remember bounded aggregates (per principal, IP, action, hour, ...), never records.
/// - `merge` must be associative and order-independent, so results are identical for any `--jobs` and
///   any file order (use `Tally`/`Evidence`, sets, min/max, sums).
/// - Severity and thresholds come from `context.settings(for: id)`; the run applies severity overrides,
///   enable/disable and suppressions afterwards.
public protocol Detector: Sendable {
    /// What the detector is (id, default severity, thresholds, traits): stated once, by the detector
    /// (`static let descriptor`), and read by everything that lists or treats detectors.
    var descriptor: DetectorDescriptor { get }
    /// A fresh accumulator for one worker.
    func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator
    /// The optional record fields this detector's accumulators read (see `RecordFieldSet`; the always-decoded
    /// core needs no declaration). A scan decodes only the union over its detectors. Default: `.all`.
    func recordFields(context: AnalysisContext) -> RecordFieldSet
}

extension Detector {
    public func recordFields(context: AnalysisContext) -> RecordFieldSet { .all }
    /// `descriptor.id`.
    public var id: DetectorID { descriptor.id }
    /// Severity used when the config does not override it; a detector may raise or lower it per finding.
    public var defaultSeverity: Severity { descriptor.defaultSeverity }
}

/// Per-worker mutable state of one detector. Not shared between threads: each worker owns its own, and the run
/// merges them on one thread at the end; the findings of different accumulators may then be made on different
/// threads at once (`FindingPipeline`), each accumulator's on one.
public protocol DetectorAccumulator: AnyObject {
    /// Looks at one decoded record.
    func observe(_ event: ObservedRecord)
    /// `observe` on `object`, an instance of this type (the default implementation; see `AccumulatorObservers`).
    static func observe(unretained object: AnyObject, _ event: ObservedRecord)
    /// False when `observe` does nothing with any record of `record`'s eventSource and eventName: the answer must
    /// depend on those two fields only. The scan then does not call `observe` for records of that action
    /// (`AccumulatorObservers` keeps the answers per action). Default true. An accumulator that overrides it uses it
    /// as the first guard of its `observe`, so that the two say the same.
    func observesAction(of record: CloudTrailRecord) -> Bool
    /// `observesAction` on `object`, an instance of this type.
    static func observesAction(unretained object: AnyObject, of record: CloudTrailRecord) -> Bool
    /// Folds another accumulator of the same detector into this one.
    func merge(_ other: Self)
    /// Produces the findings once every record has been observed and merged.
    func findings(_ facts: RunFacts) -> [Finding]
    /// A rough measure of the work `findings` does, only for ordering the accumulators when their findings are made
    /// on several threads (heaviest first). Default 1.
    var findingsCost: Int { get }
}

extension DetectorAccumulator {
    public var findingsCost: Int { 1 }
    public func observesAction(of record: CloudTrailRecord) -> Bool { true }
}

extension DetectorAccumulator {
    /// `observe` on `object`, which must be a `Self` (see `AccumulatorObservers`): the accumulator is reached through
    /// its type, so the call counts no reference.
    @inline(__always)
    public static func observe(unretained object: AnyObject, _ event: ObservedRecord) {
        unsafeDowncast(object, to: Self.self).observe(event)
    }

    public static func observesAction(unretained object: AnyObject, of record: CloudTrailRecord) -> Bool {
        unsafeDowncast(object, to: Self.self).observesAction(of: record)
    }

    /// `merge` for accumulators held as `any DetectorAccumulator` (the run pairs them by detector, so both are of
    /// the same type; anything else is a programming error, not a condition to skip silently).
    public func mergeErased(_ other: any DetectorAccumulator) {
        guard let same = other as? Self else {
            preconditionFailure("merging a \(type(of: other)) into a \(Self.self)")
        }
        merge(same)
    }
}

/// A decoded record with where it came from, and what several detectors ask of it, computed once.
///
/// **The whole record out of line copies it.** A detector's `observe` that passes `record` whole to a function that
/// is not inlined (a static helper taking a `CloudTrailRecord`, a getter on it the optimizer keeps out of line) gets
/// a copy of the record, 664 bytes, made on the stack at entry — for every record, whether or not that path is
/// taken. Reading fields does not copy. So on the per-record path: cheap tests on fields first, and what needs the
/// whole record in a separate `@inline(never)` method taking the `ObservedRecord` (`RootActivityAccumulator`,
/// `BedrockReconAccumulator`, ...); small getters and helpers on the record are `@inline(__always)`.
public struct ObservedRecord {
    public let record: CloudTrailRecord
    /// Path of the log file (shared string, one per file).
    public let file: String
    /// Index of the record within its file.
    public let index: Int

    /// The principal key findings group by (`Principal.identityKey`), or `unknown`. Computed once, not per detector.
    public var principalKey: String { hashedPrincipalKey.string }
    /// `principalKey` with its hash, for per-principal dictionary keys.
    public let hashedPrincipalKey: HashedString
    /// The record's eventSource + eventName, hashed once.
    public let action: ActionTally.Action
    /// `action`'s number in the scan worker's table of actions (`RecordTriage.action`), the same for every record of
    /// that action the worker sees and never reused; -1 outside a scan worker or when the table is full. Numbers of
    /// different workers are unrelated: keyed by it, memos check the action (`ActionIDCache`).
    public let actionID: Int32
    /// Classifications of the call (`CallClassifier`), computed once.
    public let flags: Flags

    /// What `CallClassifier` says of a record.
    public struct Flags: OptionSet, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// `CloudTrailRecord.succeeded`.
        public static let succeeded = Flags(rawValue: 1)
        /// `CallClassifier.isWriteOrInvoke`.
        public static let writeOrInvoke = Flags(rawValue: 2)
        /// `CallClassifier.isInvocation`.
        public static let invocation = Flags(rawValue: 4)
        /// `CallClassifier.isBaselinedPrincipal`.
        public static let baselined = Flags(rawValue: 8)
        /// `eventType == "AwsServiceEvent"` (an event AWS logged on its own, not a call the principal made).
        public static let serviceEvent = Flags(rawValue: 16)
    }

    public init(record: CloudTrailRecord, file: String, index: Int) {
        self.init(record: record, file: file, index: index, principalKey: record.principal.identityKey)
    }

    /// With the record's `Principal.identityKey` already known (the scan computes it once per record).
    init(record: CloudTrailRecord, file: String, index: Int, principalKey: String?) {
        self.init(record: record, file: file, index: index,
                  hashedPrincipalKey: principalKey.map(HashedString.init) ?? ObservedRecord.unknownPrincipal)
    }

    /// With the principal key and its hash already known (the scan memoises both per worker).
    init(record: CloudTrailRecord, file: String, index: Int, hashedPrincipalKey: HashedString) {
        self.init(record: record, file: file, index: index, hashedPrincipalKey: hashedPrincipalKey,
                  action: RecordTriage.actionInfo(record.eventSource, record.eventName))
    }

    /// The key of records whose principal is not identified.
    static let unknownPrincipal = HashedString("unknown")

    /// With the action memoised by the scan's triage (`RecordTriage.action`): what depends only on the record's
    /// source and event name is not computed again; the rest as in the other initializers.
    @inline(__always)
    init(record: consuming CloudTrailRecord, file: String, index: Int, hashedPrincipalKey: HashedString,
         action: RecordTriage.ActionInfo) {
        self.file = file
        self.index = index
        self.hashedPrincipalKey = hashedPrincipalKey
        self.action = action.action
        self.actionID = action.id
        var flags: Flags = []
        if record.succeeded { flags.insert(.succeeded) }
        if CallClassifier.isWriteOrInvoke(invokeName: action.invokeName, writeName: action.writeName,
                                          readOnly: record.readOnly) { flags.insert(.writeOrInvoke) }
        if action.invocation { flags.insert(.invocation) }
        if CallClassifier.isBaselinedPrincipal(key: hashedPrincipalKey.string, isAWSService: record.principal.isAWSService) {
            flags.insert(.baselined)
        }
        if record.isServiceEvent { flags.insert(.serviceEvent) }
        self.flags = flags
        self.record = record
    }

    public var evidenceRef: EvidenceRef {
        EvidenceRef(compactEventID: record.compactEventID, file: file, index: index, time: record.eventTime)
    }
}

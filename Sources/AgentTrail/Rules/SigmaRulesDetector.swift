/// Runs a `RuleSet` in the scan's streaming pass: every record (whatever the analysis scope) is checked by the
/// rules its eventSource and eventName admit (`SigmaRule.eventNames`/`eventSources`, memoised per distinct raw
/// value and worker), on its raw bytes, before and without decoding. Matches are kept as bounded tallies per rule
/// and principal, and the base-rule matches of correlation rules as (time, group) events; all of it merges across
/// workers associatively, so findings are the same for any `--jobs` and file order.
public struct SigmaRulesDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "sigma", defaultSeverity: .medium,
        summary: "Sigma rules: the default pack and --rules (findings are `sigma:<rule id>`, severity from the rule's level)")
    public var descriptor: DetectorDescriptor { Self.descriptor }

    public let rules: RuleSet
    /// Keep every (file, record, rule) match besides the tallies (`agenttrail rules match`; unbounded).
    public let logsMatches: Bool

    public init(rules: RuleSet, logsMatches: Bool = false) {
        self.rules = rules
        self.logsMatches = logsMatches
    }

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        SigmaRuleAccumulator(rules: rules, logsMatches: logsMatches)
    }

    /// Rules read raw bytes; they need no decoded field.
    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }
}

/// One worker's rule matches (and, while reading, its rule-candidate memo and record view).
public final class SigmaRuleAccumulator: DetectorAccumulator {
    let rules: RuleSet
    /// The matches per (rule index, principal key; "" for an unidentified principal).
    var tallies: [TallyKey: Tally] {
        settle()
        return settledTallies
    }
    private var settledTallies: [TallyKey: Tally] = [:]

    /// Matches of principals the worker numbers (`consider`'s `principalSlot`), per (rule, slot): counted without
    /// their key (a string retained, hashed and compared per match), which is looked up once per pair. Folded into
    /// `settledTallies` (`settle`) before anything reads the tallies; merging is associative, so the result is the
    /// same as counting each match under its key.
    private var stagedIndex: [StagedKey: Int32] = [:]
    private var stagedKeys: [TallyKey] = []
    private var stagedTallies: [Tally] = []

    private struct StagedKey: Hashable {
        var rule: Int32
        var slot: Int

        func _rawHashValue(seed: Int) -> Int {
            PrehashedMix.mix(slot, UInt64(UInt32(bitPattern: rule)), seed: seed)
        }
    }

    private func settle() {
        if stagedKeys.isEmpty { return }
        for (k, t) in zip(stagedKeys, stagedTallies) { settledTallies[k, default: Tally()].merge(t) }
        stagedIndex = [:]
        stagedKeys = []
        stagedTallies = []
    }

    struct TallyKey: Hashable {
        var rule: Int32
        var principal: HashedString

        func hash(into h: inout Hasher) {
            h.combine(rule)
            h.combine(principal)
        }

        /// The principal's stored hash mixed with the rule (no `Hasher` run per match).
        func _rawHashValue(seed: Int) -> Int {
            PrehashedMix.mix(principal.hash, UInt64(UInt32(bitPattern: rule)), seed: seed)
        }
    }

    /// Per correlation index: the base-rule matches it needs.
    private(set) var events: [[SigmaCorrelationEvent]]
    /// Matches without a usable time (left out of correlation windows), per correlation.
    private(set) var untimed: [Int]
    /// Correlation events not kept because the per-correlation cap was reached.
    private(set) var dropped: [Int]
    /// Records the rules were evaluated on (their eventName and eventSource admitted at least one rule).
    private(set) var evaluated = 0
    /// Every match, when the detector logs them.
    public private(set) var matchLog: [SigmaMatch]?

    /// Correlation events kept per correlation and run (beyond it, a finding says how many were dropped).
    static let maxEvents = 1_000_000

    /// Rule indices admitted per (eventSource id, raw eventName bytes): ranges of `candidateStore`, so that looking a
    /// list up counts no references.
    private var candidates = SpanTable<CandidateRange>()
    private var candidateStore = GrowableBuffer<Int32>()
    /// For each rule index, the correlations (index, slot in its rule list) that use it.
    private let feeds: [[(correlation: Int, slot: Int)]]
    private let record = SigmaRecord()
    /// The rules the current record matched: `matched[..<matchedCount]` (the array is reused, never shrunk while
    /// evaluating).
    private var matched: [Int32] = []
    private var matchedCount = 0

    @inline(__always)
    private func addMatch(_ r: Int32) {
        if matchedCount < matched.count { matched[matchedCount] = r } else { matched.append(r) }
        matchedCount += 1
    }
    /// `rules.rules[i].detection` and `.generates`, held apart so that evaluation does not touch the rules' metadata.
    /// (This and the other tables the per-record loop reads are buffers the accumulator owns, freed in `deinit`:
    /// reading an array property of a class from inside `withUnsafeBufferPointer` retained and released its storage
    /// per record.)
    private let detections: FrozenBuffer<SigmaDetection>
    /// Each rule's gate (`SigmaDetection.gate`), tested first, from the memos; identity items without a memo slot are
    /// left out unless the gate decides the rule alone (they would be evaluated twice). Held as plain integers
    /// (`gateRanges[rule]` → `gateTests`), so that the per-record loop counts no references; the items themselves
    /// (`gateItems`) are read only when a memo does not know the answer.
    private let gateItems: FrozenBuffer<SigmaDetectionItem>
    private let gateTests: FrozenBuffer<GateTest>
    private let gateRanges: FrozenBuffer<GateRange>
    /// One gate item: its top-level field (-1: identity), number and index in `gateItems`; for a top-level item of
    /// wildcard patterns, the text lengths it can match (`filtered`).
    private struct GateTest {
        var field: Int32, number: Int32, item: Int32
        var filtered = false, minLength = 0, maxLength = Int.max
    }
    private struct GateRange { var start: Int32, count: Int32, exact: Bool }
    private let generates: FrozenBuffer<Bool>
    /// Whether any correlation uses the rule (`feeds[rule]` is not empty).
    private let fedRules: FrozenBuffer<Bool>

    init(rules: RuleSet, logsMatches: Bool = false) {
        self.rules = rules
        matchLog = logsMatches ? [] : nil
        events = Array(repeating: [], count: rules.correlations.count)
        untimed = Array(repeating: 0, count: rules.correlations.count)
        dropped = Array(repeating: 0, count: rules.correlations.count)
        var feeds = Array(repeating: [(correlation: Int, slot: Int)](), count: rules.rules.count)
        for (c, corr) in rules.correlations.enumerated() {
            for (slot, r) in corr.rules.enumerated() { feeds[r].append((c, slot)) }
        }
        self.feeds = feeds
        fedRules = FrozenBuffer(feeds.map { !$0.isEmpty })
        let detections = rules.rules.map(\.detection)
        self.detections = FrozenBuffer(detections)
        let identityItems = detections.flatMap(\.identityOnlyItems).prefix(64)
        var slots = [Int8](repeating: -1, count: (identityItems.map(\.number).max() ?? -1) + 1)
        for (slot, item) in identityItems.enumerated() { slots[item.number] = Int8(slot) }
        record.identitySlots = slots
        var gateItems: [SigmaDetectionItem] = [], gateTests: [GateTest] = [], gateRanges: [GateRange] = []
        for d in detections {
            var gate = d.gate
            if !gate.exact { gate.items.removeAll { $0.number >= slots.count || slots[$0.number] < 0 } }
            gateRanges.append(GateRange(start: Int32(gateTests.count), count: Int32(gate.items.count), exact: gate.exact))
            for item in gate.items {
                var test = GateTest(field: Int32(item.topValueField), number: Int32(item.number), item: Int32(gateItems.count))
                if item.topValueField >= 0, let bounds = item.lengthBounds, bounds.min > 0 || bounds.max < Int.max {
                    (test.filtered, test.minLength, test.maxLength) = (true, bounds.min, bounds.max)
                }
                gateTests.append(test)
                gateItems.append(item)
            }
        }
        self.gateItems = FrozenBuffer(gateItems)
        self.gateTests = FrozenBuffer(gateTests)
        self.gateRanges = FrozenBuffer(gateRanges)
        generates = FrozenBuffer(rules.rules.map(\.generates))
    }

    deinit {
        detections.free()
        gateItems.free()
        gateTests.free()
        gateRanges.free()
        generates.free()
        fedRules.free()
        candidateStore.free()
    }

    public func observe(_ event: ObservedRecord) {}
    public func observesAction(of record: CloudTrailRecord) -> Bool { false }

    /// The reading is over: drops what only evaluation needed (the worker's identity memo, the candidate memo and
    /// match buffer), so that they are not held through merging and findings.
    func passEnded() {
        settle()
        record.identityMemo = nil
        candidates = SpanTable<CandidateRange>()
        candidateStore.removeAll(freeing: true)
        matched = []
        matchedCount = 0
    }

    /// The rules that may match a record of this source and name (folded text).
    private func admitted(source: String, name: String) -> [Int32] {
        let s = SigmaPattern.folded(source), n = SigmaPattern.folded(name)
        return rules.rules.indices.filter { i in
            let r = rules.rules[i]
            return (r.eventNames?.contains(n) ?? true) && (r.eventSources?.contains(s) ?? true)
        }.map(Int32.init)
    }

    /// Checks one record against the rules (from the scan's triage). `sourceID` is the worker's id of the record's
    /// eventSource (-1: not memoised), `principal` its principal key; `timing` is asked only when a rule matched:
    /// whether the record is within the run's time range, and its eventTime when usable.
    /// (`source` and `principal` are asked for only when needed: passing their strings counted references per record.)
    /// `principalSlot` is a number the worker gives the record's principal (-1: none), one principal key per number
    /// for the accumulator's life: matches are counted per number, the key asked for once per number and rule.
    func consider(_ peek: PeekedFields, sourceID: Int, source: () -> String, principal: () -> HashedString?,
                  principalSlot: Int = -1, identityMemo: IdentityMemo?, timing: () -> (inRange: Bool, time: Instant?)) {
        // (Set only when it changes: one worker keeps one memo, and a store counts references.)
        if record.identityMemo !== identityMemo { record.identityMemo = identityMemo }
        let span = peek.fields.eventName
        let range: CandidateRange
        var stored = true
        if sourceID >= 0, span.isSet {
            let found = candidates.lookup(peek.p, span.start, span.end, tag: UInt64(sourceID) &+ 1) {
                store(admitted(source: source(), name: peek.eventName))
            }
            range = found.value
            stored = found.id >= 0
        } else {
            range = store(admitted(source: source(), name: peek.eventName))
            stored = false
        }
        // (A list the memo did not keep is dropped from the store after use.)
        defer { if !stored { candidateStore.removeLast(Int(range.count)) } }
        if range.count == 0 { return }
        candidateStore.withSlice(Int(range.start), Int(range.count)) { list in
            evaluate(list, p: peek.p, count: peek.count, top: peek.topLevel, index: peek.index, principal: principal,
                     principalSlot: principalSlot, timing: timing) {
                SpanValue.string(peek.p, peek.fields.eventID)
            }
        }
    }

    /// The file whose records `consider` is given (set once per file by the scan: evidence names it).
    var currentFile = ""

    /// Where a candidate list is in `candidateStore`.
    private struct CandidateRange { var start: Int32, count: Int32 }

    private func store(_ list: [Int32]) -> CandidateRange {
        let range = CandidateRange(start: Int32(candidateStore.count), count: Int32(list.count))
        candidateStore.append(contentsOf: list)
        return range
    }

    /// Checks a record's bytes against the rules in `list` and records the matches.
    @inline(__always)
    func evaluate(_ list: UnsafeBufferPointer<Int32>, p: UnsafePointer<UInt8>, count: Int, top: UnsafePointer<RecordDecoder.TopLevel>?,
                  index: Int, principal: () -> HashedString?, principalSlot: Int,
                  timing: () -> (inRange: Bool, time: Instant?), eventID: () -> String?) {
        evaluated += 1
        record.reset(p, count, top: top)
        matchedCount = 0
        detections.withBuffer { d in
            gateRanges.withBuffer { ranges in
                gateTests.withBuffer { tests in
                    for r in list {
                        let range = ranges[Int(r)]
                        if range.count > 0 {
                            var open = true
                            for k in Int(range.start)..<Int(range.start &+ range.count) {
                                let t = tests[k]
                                if t.filtered, record.lengthRejects(field: Int(t.field), min: t.minLength, max: t.maxLength) {
                                    open = false
                                    break
                                }
                                if !record.memoised(field: Int(t.field), number: Int(t.number), {
                                    SigmaDetection.item(gateItems.buffer[Int(t.item)], record)
                                }) {
                                    open = false
                                    break
                                }
                            }
                            if !open { continue }
                            if range.exact { addMatch(r); continue }
                        }
                        if d[Int(r)].matches(record) { addMatch(r) }
                    }
                }
            }
        }
        if matchedCount == 0 { return }
        let (inRange, time) = timing()
        if !inRange { return }
        let file = currentFile
        // (Made each time a tally or correlation keeps it, not cached: a record rarely matches two rules, and the
        // cache's optional was destroyed through an outlined call per matching record.)
        func evidence() -> EvidenceRef { EvidenceRef(eventID: eventID(), file: file, index: index, time: time) }
        var known: HashedString?
        func who() -> HashedString {
            if let known { return known }
            let made = principal() ?? Self.unidentified
            known = made
            return made
        }
        for k in 0..<matchedCount {
            let r = matched[k]
            let i = Int(r)
            matchLog?.append(SigmaMatch(file: file, index: index, rule: rules.rules[i].id))
            if generates.buffer[i] {
                // (Mutated in place: no copy of the tally or its evidence per match.)
                @inline(__always) func count(_ tally: inout Tally) {
                    tally.add(time: time) { EvidenceRef.sorts(time: time, file: file, index: index, before: $0) } make: { evidence() }
                }
                if principalSlot >= 0 {
                    let key = StagedKey(rule: r, slot: principalSlot)
                    let at: Int
                    if let staged = stagedIndex[key] {
                        at = Int(staged)
                    } else {
                        at = stagedTallies.count
                        stagedIndex[key] = Int32(at)
                        stagedKeys.append(TallyKey(rule: r, principal: who()))
                        stagedTallies.append(Tally())
                    }
                    count(&stagedTallies[at])
                } else {
                    count(&settledTallies[TallyKey(rule: r, principal: who()), default: Tally()])
                }
            }
            if !fedRules.buffer[i] { continue }
            for (c, slot) in feeds[i] {
                guard let t = time else { untimed[c] += 1; continue }
                if events[c].count >= Self.maxEvents { dropped[c] += 1; continue }
                let corr = rules.correlations[c]
                // A match without a group-by field is not counted (it belongs to no group).
                var group: [String] = []
                for path in corr.groupPaths {
                    var value: String?
                    _ = record.values(path) { v in record.leaves(of: v) { leaf in
                        value = record.text(leaf)
                        return value != nil
                    } }
                    guard let value else { break }
                    group.append(value)
                }
                if group.count < corr.groupPaths.count { continue }
                var value: String?
                if let vp = corr.valuePath {
                    _ = record.values(vp) { v in record.leaves(of: v) { leaf in
                        value = record.text(leaf)
                        return value != nil
                    } }
                    if value == nil { continue }  // value_count counts records that have the field
                }
                events[c].append(SigmaCorrelationEvent(time: t.millisecondsSince1970, group: group, value: value,
                                                       slot: slot, ref: evidence()))
            }
        }
    }

    static let unidentified = HashedString("")

    public func merge(_ other: SigmaRuleAccumulator) {
        settle()
        settledTallies.mergeTallies(other.tallies)
        for c in events.indices {
            let room = max(0, Self.maxEvents - events[c].count)
            events[c] += other.events[c].prefix(room)
            dropped[c] += other.dropped[c] + max(0, other.events[c].count - room)
            untimed[c] += other.untimed[c]
        }
        evaluated += other.evaluated
        if let more = other.matchLog { matchLog?.append(contentsOf: more) }
    }

    public func findings(_ facts: RunFacts) -> [Finding] {
        var out: [Finding] = []
        for (key, tally) in tallies {
            let rule = rules.rules[Int(key.rule)]
            let principal = key.principal.string
            out.append(Finding(detector: "sigma:" + rule.id, severity: rule.severity,
                               principal: principal.isEmpty ? nil : principal, tally: tally,
                               message: .sigmaRule(rule), details: SigmaRuleAccumulator.details(rule)))
        }
        for (c, corr) in rules.correlations.enumerated() {
            out += SigmaCorrelationEvaluator.findings(corr, events[c], dropped: dropped[c], untimed: untimed[c])
        }
        return out
    }

    static func details(_ rule: SigmaRule) -> [String: [String]] {
        var d: [String: [String]] = ["rule": [rule.id], "rule file": [RulePack.displayName(rule.file)]]
        if !rule.tags.isEmpty { d["tags"] = rule.tags }
        if !rule.references.isEmpty { d["references"] = rule.references }
        if !rule.falsePositives.isEmpty { d["false positives"] = rule.falsePositives }
        if let b = rule.builtin { d[builtinKey] = [b] }
        return d
    }

    /// The details key naming the built-in detector a rule's finding folds into.
    public static let builtinKey = "built-in detector"
}

extension Tally {
    /// Counts a match at `time`; its evidence reference is made (`make`) only when the evidence list keeps it
    /// (`sortsBefore` its last item, or the list is not full).
    @inline(__always)
    mutating func add(time: Instant?, sortsBefore: (EvidenceRef) -> Bool, make: () -> EvidenceRef) {
        count += 1
        if let t = time {
            if firstSeen == nil || t < firstSeen! { firstSeen = t }
            if lastSeen == nil || t > lastSeen! { lastSeen = t }
        }
        if evidence.items.count >= Evidence.cap, let last = evidence.items.last, !sortsBefore(last) {
            evidence.total += 1
        } else {
            evidence.add(make())
        }
    }
}

/// One record that matched one rule.
public struct SigmaMatch: Sendable, Hashable, Comparable {
    public var file: String
    public var index: Int
    public var rule: String

    public static func < (a: SigmaMatch, b: SigmaMatch) -> Bool {
        (a.file, a.index, a.rule) < (b.file, b.index, b.rule)
    }

    /// `{"file":…,"index":…,"rule":…}` (the oracle's line format, `Scripts/check-sigma-oracle.sh`).
    public var jsonLine: String {
        "{\"file\":\(Escaping.jsonString(file)),\"index\":\(index),\"rule\":\(Escaping.jsonString(rule))}"
    }
}

/// `agenttrail rules match`: every (file, record, rule) match of the rules over the files of `options`, sorted.
public enum RuleMatchRun {
    public static func run(rules: RuleSet, options: ScanOptions) -> (matches: [SigmaMatch], summary: ScanSummary) {
        var options = options
        options.detectors = [SigmaRulesDetector(rules: rules, logsMatches: true)]
        let state = ScanRun.collect(options)
        let log = (state.accumulators.first as? SigmaRuleAccumulator)?.matchLog ?? []
        return (log.sorted(), state.summary)
    }
}

extension Finding.Message {
    /// A record matched a Sigma rule.
    static func sigmaRule(_ rule: SigmaRule) -> Self {
        Self(title: rule.title,
             recommendation: "Review the matching events against the rule's description and known false positives (Sigma rule \(rule.id)).")
    }

    /// A correlation rule's condition held for a group (`groups`: its group-by values).
    static func sigmaCorrelation(_ c: SigmaCorrelation, peak: Int, groups: String) -> Self {
        Self(title: c.title + (groups.isEmpty ? "" : " (\(groups))"),
             recommendation: "Review the events of the window: \(peak) within \(c.timespan) s (Sigma correlation \(c.id), \(c.kind.rawValue)).")
    }
}

extension SigmaRuleAccumulator {
    /// Replaces the matches with those read back from a partial result (`PartialCoding`).
    func restore(tallies: [TallyKey: Tally], events: [[SigmaCorrelationEvent]], untimed: [Int], dropped: [Int], evaluated: Int) {
        (stagedIndex, stagedKeys, stagedTallies) = ([:], [], [])
        settledTallies = tallies
        self.events = events
        self.untimed = untimed
        self.dropped = dropped
        self.evaluated = evaluated
    }
}

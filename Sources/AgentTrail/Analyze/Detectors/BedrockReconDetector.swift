/// `bedrock-recon`: LLMjacking patterns, each its own finding (subject `pattern`):
/// - `recon-set`: one identity calls at least `reconFraction` (default 0.4) of the 14 Bedrock recon actions
///   within `windowHours` (default 24, sliding). Any outcome counts as a call; `bedrock.amazonaws.com` only.
/// - `akia-list-then-invoke`: `ListFoundationModels` with a long-term (`AKIA`) key followed within
///   `followUpMinutes` (default 15) by a successful invoke (`InvokeModel`, `InvokeModelWithResponseStream`,
///   `Converse`, `ConverseStream`) by the same identity, also with a long-term key — when it is **new behaviour**:
///   an identity that already did this in the learning part of the window (or whose stored baseline has both model
///   listing and invocations) is a developer's habit, not a stolen key (Elastic's rule is a `new_terms` rule on the
///   key for the same reason). Without any baseline (short window) every such pair is reported.
/// - `validation-probe`: invokes failing with `ValidationException` **without established successful use**: the
///   identity had no successful invocation of that model in that region before its first failure (nor in its stored
///   baseline), or it drew `ValidationException` on at least `probeModels` (default 3) models within
///   `probeMinutes` (default 60). Sysdig's LLMjacking research describes the probe as a stolen key testing its
///   access with a malformed request; for a workload that invokes a model successfully all day a
///   `ValidationException` is an ordinary bad request (AWS doc "Troubleshooting Amazon Bedrock API Error Codes":
///   "The input fails to satisfy the constraints"). Events without a time are judged against any success.
///
/// Windowed variants skip records without a parseable `eventTime`. Every finding says what it was compared against.
public struct BedrockReconDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "bedrock-recon", defaultSeverity: .high,
        summary: "LLMjacking reconnaissance: recon set coverage, AKIA listing then invoke, ValidationException probing",
        thresholds: [
            ThresholdSpec("reconFraction", default: 0.4, minimum: 0, minimumExclusive: true, maximum: 1,
                          integer: false, summary: "fraction of the recon set called within the window"),
            ThresholdSpec("windowHours", default: 24, minimum: 1, summary: "recon window in hours"),
            ThresholdSpec("followUpMinutes", default: 15, minimum: 1, summary: "minutes from ListFoundationModels to an invoke"),
            ThresholdSpec("probeModels", default: 3, minimum: 2, summary: "models with ValidationException within probeMinutes that make a probe whatever the history"),
            ThresholdSpec("probeMinutes", default: 60, minimum: 1, summary: "window of the multi-model probe rule in minutes"),
        ])
    public var descriptor: DetectorDescriptor { Self.descriptor }

    /// The recon set of the Sysdig / Prowler LLMjacking research.
    public static let reconActions: [String] = [
        "PutUseCaseForModelAccess", "PutFoundationModelEntitlement", "PutModelInvocationLoggingConfiguration",
        "CreateFoundationModelAgreement", "InvokeModel", "InvokeModelWithResponseStream", "GetUseCaseForModelAccess",
        "GetModelInvocationLoggingConfiguration", "GetFoundationModelAvailability", "ListFoundationModelAgreementOffers",
        "ListFoundationModels", "ListProvisionedModelThroughputs", "SearchAgreements", "AcceptAgreementRequest",
    ]

    /// Model invocation event names.
    public static let invokeActions: Set<String> = ["InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream"]

    /// Baselines from a state store, when available (established models and habits).
    public var storedBaselines: (any StoredBaselines)?

    public init(storedBaselines: (any StoredBaselines)? = nil) {
        self.storedBaselines = storedBaselines
    }

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        let fraction = min(1, max(0, context.threshold("reconFraction", of: Self.descriptor)))
        let needed = max(1, Int((fraction * Double(Self.reconActions.count) - 1e-9).rounded(.up)))
        let hours = max(1.0 / 60, context.threshold("windowHours", of: Self.descriptor))
        let minutes = max(1, context.threshold("followUpMinutes", of: Self.descriptor))
        return BedrockReconAccumulator(detector: self, reconNeeded: needed, reconWindowMs: Int64(hours * 3_600_000),
                                       listInvokeMs: Int64(minutes * 60_000),
                                       probeModels: max(2, Int(context.threshold("probeModels", of: Self.descriptor))),
                                       probeMs: Int64(max(1, context.threshold("probeMinutes", of: Self.descriptor)) * 60_000))
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }
}

/// Per identity: recon-set calls by name (bucketed extremes), long-term-key list/invoke points, validation probes.
final class BedrockReconAccumulator: DetectorAccumulator {
    private static let reconSet = Set(BedrockReconDetector.reconActions)
    private static let list = 0
    private static let invoke = 1

    private let detector: BedrockReconDetector
    private let reconNeeded: Int
    private let reconWindowMs: Int64
    private let listInvokeMs: Int64
    private var recon: [HashedString: BurstWindows<String>] = [:]
    /// Name 0 = AKIA `ListFoundationModels`, 1 = successful AKIA invoke.
    private var listInvoke: [String: BurstWindows<Int>] = [:]
    private var listTallies: [String: Tally] = [:]
    private let probeModels: Int
    private let probeMs: Int64

    /// An identity's use of one model in one region.
    struct ModelKey: Hashable, Sendable, Codable {
        var identity: String
        var model: String
        var region: String
    }

    /// `ValidationException` invokes per identity, model and region.
    private var failures: [ModelKey: Tally] = [:]
    /// Earliest successful invoke per identity, model and region; and those seen only without a time.
    private var firstSuccess = FirstSeenMap<ModelKey>()
    private var untimedSuccess = Set<ModelKey>()
    /// `ValidationException` models per identity in sliding windows (the cluster rule).
    private var failureModels: [String: BurstWindows<String>] = [:]
    /// Every identity's first activity (whether it has a learned baseline).
    private var identityFirstSeen = FirstSeenMap<String>()
    /// The identity and the model key noted last, with the earliest time stored for each (or later): an identity's
    /// records come in runs, and a time no earlier than that changes nothing, so the maps' keys (strings hashed
    /// with `Hasher`, 770 and 1,300 instructions a note) are not looked up again. Never earlier than what is stored.
    private var lastIdentity: (key: String, first: Instant)?
    private var lastSuccess: (key: ModelKey, first: Instant)?

    init(detector: BedrockReconDetector, reconNeeded: Int, reconWindowMs: Int64, listInvokeMs: Int64, probeModels: Int,
         probeMs: Int64) {
        self.detector = detector
        self.reconNeeded = reconNeeded
        self.reconWindowMs = reconWindowMs
        self.listInvokeMs = listInvokeMs
        self.probeModels = probeModels
        self.probeMs = probeMs
    }

    /// `NewModelDetector.modelId(of:)`, memoised (decoding the id of every invocation cost ~4,700 instructions).
    private var models = ModelIdExtractor.Cache()

    /// Per action seen: 1 = invoke, 2 = in the recon set (memoised: the action's hash is computed once per record).
    private var kinds: [ActionTally.Action: UInt8] = [:]

    private func kind(_ event: ObservedRecord) -> UInt8 {
        if let k = kinds[event.action] { return k }
        let name = event.record.eventName
        let k: UInt8 = (BedrockReconDetector.invokeActions.contains(name) ? 1 : 0) | (Self.reconSet.contains(name) ? 2 : 0)
        kinds[event.action] = k
        return k
    }

    func observesAction(of record: CloudTrailRecord) -> Bool { record.isBedrock }

    func observe(_ event: ObservedRecord) {
        // (The guard apart from the rest, which passes the whole record out of line: see `ObservedRecord`.)
        if observesAction(of: event.record) { observeBedrock(event) }
    }

    @inline(never) private func observeBedrock(_ event: ObservedRecord) {
        let r = event.record
        let name = r.eventName
        let identity = event.principalKey
        let kind = kind(event)
        let isInvoke = kind & 1 != 0
        if let t = r.eventTime {
            if let last = lastIdentity, t >= last.first, last.key == identity {
                // (Stored is at most `last.first`, so at most `t`: nothing to note.)
            } else if let first = identityFirstSeen.note(identity, t) {
                lastIdentity = (identity, first)
            }
        }
        if isInvoke {
            let key = ModelKey(identity: identity, model: models.modelId(of: r) ?? "(no modelId)",
                               region: r.awsRegion ?? "")
            if r.errorCode == "ValidationException" {
                failures.add(event, at: key)
                if r.eventTime != nil {
                    failureModels[identity, default: BurstWindows(windowMs: 2 * probeMs)].add(key.model, event.evidenceRef)
                }
            } else if r.succeeded {
                if let t = r.eventTime {
                    if let last = lastSuccess, t >= last.first, last.key == key {
                        // (As for the identity above.)
                    } else if let first = firstSuccess.note(key, t) {
                        lastSuccess = (key, first)
                    }
                } else {
                    untimedSuccess.insert(key)
                }
            }
        }
        guard r.eventTime != nil else { return }
        if kind & 2 != 0 {
            let window = reconWindowMs
            recon[event.hashedPrincipalKey, default: BurstWindows(windowMs: window)].add(name, event.evidenceRef)
        }
        guard r.principal.accessKeyKind == .longTerm else { return }
        if name == "ListFoundationModels" {
            listTallies.add(event, at: identity)
            addListInvoke(identity, Self.list, event.evidenceRef)
        } else if isInvoke, r.succeeded {
            addListInvoke(identity, Self.invoke, event.evidenceRef)
        }
    }

    private func addListInvoke(_ identity: String, _ kind: Int, _ ref: EvidenceRef) {
        // Buckets of width W (= window / 2) keep "some invoke within W after a list call" exact: a dropped point
        // lies between its bucket's extremes, which are less than W apart.
        if listInvoke[identity] == nil { listInvoke[identity] = BurstWindows(windowMs: 2 * listInvokeMs) }
        listInvoke[identity]!.add(kind, ref)
    }

    func merge(_ o: BedrockReconAccumulator) {
        for (k, w) in o.recon { if recon[k] == nil { recon[k] = w } else { recon[k]!.merge(w) } }
        for (k, w) in o.listInvoke { if listInvoke[k] == nil { listInvoke[k] = w } else { listInvoke[k]!.merge(w) } }
        listTallies.mergeTallies(o.listTallies)
        failures.mergeTallies(o.failures)
        firstSuccess.merge(o.firstSuccess)
        untimedSuccess.formUnion(o.untimedSuccess)
        for (k, w) in o.failureModels { if failureModels[k] == nil { failureModels[k] = w } else { failureModels[k]!.merge(w) } }
        identityFirstSeen.merge(o.identityFirstSeen)
    }

    func findings(_ facts: RunFacts) -> [Finding] {
        var out: [Finding] = []
        for (identity, windows) in recon {
            if let f = reconSetFinding(identity.string, windows) { out.append(f) }
        }
        for (identity, windows) in listInvoke {
            if let f = listThenInvokeFinding(identity, windows, facts: facts) { out.append(f) }
        }
        out += probeFindings(facts)
        return EventSignals.sorted(out)
    }

    /// Validation failures without established use of the model (per identity), and clusters across models.
    private func probeFindings(_ facts: RunFacts) -> [Finding] {
        var byIdentity: [String: (tally: Tally, models: Set<String>, established: Int)] = [:]
        for (key, tally) in failures {
            var entry = byIdentity[key.identity] ?? (Tally(), [], 0)
            if isEstablished(key, before: tally.firstSeen) {
                entry.established += tally.count
            } else {
                entry.tally.merge(tally)
                entry.models.insert(key.model)
            }
            byIdentity[key.identity] = entry
        }
        var out: [Finding] = []
        for (identity, windows) in failureModels {
            let bursts = windows.bursts(minDistinct: probeModels)
            guard !bursts.isEmpty else { continue }
            var names = Set<String>()
            var count = 0
            var evidence = Evidence()
            for b in bursts {
                names.formUnion(b.counts.keys)
                count += b.count
                for r in b.evidence { evidence.add(r) }
            }
            byIdentity[identity] = nil  // the cluster finding covers this identity's probes
            out.append(Finding(
                detector: detector.id, severity: detector.defaultSeverity,
                principal: identity, subject: ["pattern": "validation-probe"], firstSeen: bursts.map(\.first).min(),
                lastSeen: bursts.map(\.last).max(), count: count, evidence: evidence.items, evidenceTotal: count,
                message: .validationProbeAcrossModels(names.sorted(), windowMinutes: probeMs / 60_000),
                details: ["models": names.sorted(),
                          "comparedAgainst": ["at least \(probeModels) distinct models failing within \(probeMs / 60_000) min, whatever the history"]]))
        }
        for (identity, e) in byIdentity where e.tally.count > 0 {
            var compared = ["successful invocations of the same model and region by this identity before its first ValidationException: none"]
            if e.established > 0 {
                compared.append("\(e.established) other ValidationException(s) on models it already invoked successfully were ordinary errors")
            }
            if detector.storedBaselines?.baseline(for: identity) != nil { compared.append("the stored baseline's models") }
            out.append(Finding(
                detector: detector.id, severity: detector.defaultSeverity,
                principal: identity, subject: ["pattern": "validation-probe"], tally: e.tally,
                message: .validationProbeOfUnusedModels(e.models.sorted(), invocations: e.tally.count),
                details: ["models": e.models.sorted(), "comparedAgainst": compared]))
        }
        return out
    }

    /// True when the identity invoked `key`'s model in its region successfully before `t` (any success when `t` is
    /// unknown), or its stored baseline lists the model.
    private func isEstablished(_ key: ModelKey, before t: Instant?) -> Bool {
        if let b = detector.storedBaselines?.baseline(for: key.identity), b.models.contains(key.model) { return true }
        if let s = firstSuccess[key] {
            guard let t else { return true }
            return s < t
        }
        return t == nil && untimedSuccess.contains(key)
    }

    private func reconSetFinding(_ identity: String, _ windows: BurstWindows<String>) -> Finding? {
        let bursts = windows.bursts(minDistinct: reconNeeded)
        guard let firstBurst = bursts.first else { return nil }
        var names = Set<String>()
        var count = 0
        var refs: [EvidenceRef] = []
        var first = firstBurst.first
        var last = firstBurst.last
        for b in bursts {
            names.formUnion(b.counts.keys)
            count += b.count
            refs += b.evidence
            if b.first < first { first = b.first }
            if b.last > last { last = b.last }
        }
        refs.sort()
        if refs.count > Evidence.cap { refs.removeLast(refs.count - Evidence.cap) }
        let actions = names.sorted()
        let total = BedrockReconDetector.reconActions.count
        let hours = reconWindowMs / 3_600_000
        return Finding(
            detector: detector.id, severity: detector.defaultSeverity,
            principal: identity, subject: ["pattern": "recon-set"], firstSeen: first, lastSeen: last, count: count,
            evidence: refs, evidenceTotal: count,
            message: .reconSet(actions, of: total, windowHours: hours),
            details: ["actions": actions, "windows": bursts.map { $0.first.iso8601 + "/" + $0.last.iso8601 },
                      "comparedAgainst": ["the 14-action LLMjacking recon set (Sysdig, Prowler): \(reconNeeded) distinct actions within \(hours) h"]])
    }

    private func listThenInvokeFinding(_ identity: String, _ windows: BurstWindows<Int>, facts: RunFacts) -> Finding? {
        guard let listTally = listTallies[identity] else { return nil }
        func points(_ kind: Int) -> [EvidenceRef] {
            var refs: [EvidenceRef] = []
            for e in (windows.buckets[kind] ?? [:]).values {
                refs.append(e.first)
                if e.last != e.first { refs.append(e.last) }
            }
            return refs.sorted()
        }
        let lists = points(Self.list)
        let invokes = points(Self.invoke)
        guard !lists.isEmpty, !invokes.isEmpty else { return nil }
        var matchedLists: [EvidenceRef] = []
        var matchedInvokes = Set<EvidenceRef>()
        for l in lists {
            let t = l.time!.millisecondsSince1970
            // First invoke at or after the list call.
            var lo = 0, hi = invokes.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if invokes[mid].time!.millisecondsSince1970 < t { lo = mid + 1 } else { hi = mid }
            }
            if lo < invokes.count, invokes[lo].time!.millisecondsSince1970 - t <= listInvokeMs {
                matchedLists.append(l)
                matchedInvokes.insert(invokes[lo])
            }
        }
        // New behaviour only: a pair in the learning part (or listing and invoking in the stored baseline) is a habit.
        var compared = "no baseline for this identity (every pair is reported)"
        switch BaselineSource.resolve(principal: identity, stored: detector.storedBaselines,
                                      principalFirstSeen: identityFirstSeen[identity], baselineEnd: facts.baselineEnd) {
        case .stored(let b):
            if b.actions.contains("bedrock:ListFoundationModels") && !b.models.isEmpty { return nil }
            compared = "stored baseline: no model listing followed by invocations before"
        case .learned(let end):
            if matchedLists.contains(where: { $0.time! < end }) { return nil }
            compared = "no list-then-invoke by this identity before \(end.iso8601)"
        case .none:
            break
        }
        guard let firstList = matchedLists.first else { return nil }
        let invokeRefs = matchedInvokes.sorted()
        var evidence = listTally.evidence
        var extra = Evidence()
        for r in invokeRefs { extra.add(r) }
        evidence.merge(extra)
        let minutes = listInvokeMs / 60_000
        return Finding(
            detector: detector.id, severity: detector.defaultSeverity,
            principal: identity, subject: ["pattern": "akia-list-then-invoke"],
            firstSeen: firstList.time, lastSeen: max(invokeRefs.last!.time!, listTally.lastSeen ?? invokeRefs.last!.time!),
            count: listTally.count, evidence: evidence.items, evidenceTotal: evidence.total,
            message: .listThenInvoke(listCalls: listTally.count, windowMinutes: minutes, firstInvoke: invokeRefs[0].time!),
            details: ["invokes": invokeRefs.map { $0.time!.iso8601 }, "comparedAgainst": [compared]])
    }
}

fileprivate extension Finding.Message {
    /// Invocations failing with ValidationException on the `models` (sorted) within windows of `windowMinutes`.
    static func validationProbeAcrossModels(_ models: [String], windowMinutes: Int64) -> Self {
        Self(title: "Invocations failed with ValidationException on \(models.count) models within \(windowMinutes) min (access probing): \(EventSignals.list(models))",
             recommendation: "Malformed invokes across many models are a known LLMjacking probe for model access: verify the caller and its credentials.")
    }

    /// `invocations` failing with ValidationException on `models` (sorted) the identity never used successfully.
    static func validationProbeOfUnusedModels(_ models: [String], invocations: Int) -> Self {
        Self(title: "\(EventSignals.plural(invocations, "model invocation")) failed with ValidationException without established use of \(EventSignals.list(models)) (access probing)",
             recommendation: "Malformed invokes from an identity that never used the model successfully are a known LLMjacking probe for model access: verify the caller and its credentials.")
    }

    /// `actions` (sorted) of the `total` Bedrock recon actions called within windows of `windowHours`.
    static func reconSet(_ actions: [String], of total: Int, windowHours: Int64) -> Self {
        Self(title: "Called \(actions.count) of \(total) Bedrock recon actions within \(windowHours) h: \(EventSignals.list(actions))",
             recommendation: "This matches LLMjacking reconnaissance: confirm the identity is expected to manage model access, else revoke its credentials.")
    }

    /// A long-term access key listed foundation models (`listCalls` calls) and invoked a model within
    /// `windowMinutes`, first at `firstInvoke`.
    static func listThenInvoke(listCalls: Int, windowMinutes: Int64, firstInvoke: Instant) -> Self {
        Self(title: "Long-term access key listed foundation models (\(EventSignals.plural(listCalls, "call"))) "
                + "and invoked a model within \(windowMinutes) min (first at \(firstInvoke.iso8601))",
             recommendation: "Recon followed by invocation with a long-term key is typical of stolen keys: deactivate the key and review its use.")
    }
}

extension BedrockReconAccumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(recon.mapValues(\.buckets), "recon")
        try c.put(listInvoke.mapValues(\.buckets), "listInvoke")
        try c.put(listTallies, "listTallies")
        try c.put(failures, "failures")
        try c.put(firstSuccess, "firstSuccess")
        try c.put(untimedSuccess, "untimedSuccess")
        try c.put(failureModels.mapValues(\.buckets), "failureModels")
        try c.put(identityFirstSeen, "identityFirstSeen")
    }

    func decodePartial(from decoder: any Decoder) throws {
        lastIdentity = nil  // (the maps are replaced: what was noted last says nothing about them)
        lastSuccess = nil
        let c = try decoder.partialContainer()
        recon = try c.get("recon", as: [HashedString: [String: [Int64: BucketExtremes]]].self)
            .mapValues { BurstWindows(windowMs: reconWindowMs, buckets: $0) }
        listInvoke = try c.get("listInvoke", as: [String: [Int: [Int64: BucketExtremes]]].self)
            .mapValues { BurstWindows(windowMs: listInvokeMs, buckets: $0) }
        listTallies = try c.get("listTallies")
        failures = try c.get("failures")
        firstSuccess = try c.get("firstSuccess")
        untimedSuccess = try c.get("untimedSuccess")
        failureModels = try c.get("failureModels", as: [String: [String: [Int64: BucketExtremes]]].self)
            .mapValues { BurstWindows(windowMs: probeMs, buckets: $0) }
        identityFirstSeen = try c.get("identityFirstSeen")
    }
}

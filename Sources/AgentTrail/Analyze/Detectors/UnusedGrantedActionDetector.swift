/// `unused-granted-action`: for each principal with known policies, granted actions (wildcards and NotAction
/// expanded against the catalogue, narrowed to the resources they can apply to, minus explicit denies — the
/// access review's `EffectiveGrants`) with no successful use in the evidence window.
/// Each is **unused** when the trail records its event category, else **unknown** (data event not recorded, or
/// permission-only). One finding per principal, status and access class; the actions are in `details`.
/// Plus, once per service, "the trail cannot see this": the services whose data-plane actions some principal is
/// granted while no data event of the service is in the logs (`TrailBlindSpot`), with the CloudTrail event-selector
/// resource types to enable (`DataEventResourceTypes`); subject `status=not-recorded`, `service=<prefix>`.
public struct UnusedGrantedActionDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "unused-granted-action", defaultSeverity: .low,
        summary: "granted actions without successful use in the evidence window", traits: [.needsWholeWindow, .needsPolicies])
    public var descriptor: DetectorDescriptor { Self.descriptor }

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        Accumulator(detector: self, active: !context.policies.isEmpty)
    }

    /// What `UsageAccumulator` reads at `counts` (the event category), when there are policies to compare with;
    /// nothing otherwise.
    public func recordFields(context: AnalysisContext) -> RecordFieldSet {
        context.policies.isEmpty ? [] : UsageAccumulator.recordFields(.counts)
    }

    final class Accumulator: DetectorAccumulator {
        let detector: UnusedGrantedActionDetector
        /// Findings are only made for principals with policies: without any, usage is not tracked at all (and
        /// the IAM catalogue behind `UsageAccumulator` is not loaded).
        let active: Bool
        /// Counts only (`UsageAccumulator.Detail.counts`): an action is used when it has a success; the resources,
        /// addresses and days of each use are the access review's (`ReviewUsageDetector`), not this finding's.
        lazy var usage = UsageAccumulator(detail: .counts)
        init(detector: UnusedGrantedActionDetector, active: Bool = true) {
            self.detector = detector
            self.active = active
        }

        /// `usage`, unretained, for the per-record call (the lazy property's getter retained and released it each
        /// record); set on the first record. `usage` is never replaced, only changed.
        private var observing: Unmanaged<UsageAccumulator>?

        func observe(_ event: ObservedRecord) {
            guard active else { return }
            if let observing { return observing._withUnsafeGuaranteedRef { $0.observe(event) } }
            let u = usage
            observing = Unmanaged.passUnretained(u)
            u.observe(event)
        }
        func merge(_ o: Accumulator) {
            if o.active { usage.merge(o.usage) }
        }

        /// Every principal with policies, its granted actions (~22,000 for a `NotAction` one) against its use: the
        /// heaviest findings of a scan with policies (profiled: half of their instructions), so made first.
        var findingsCost: Int { active ? 1_000 : 1 }

        func findings(_ facts: RunFacts) -> [Finding] {
            var out: [Finding] = []
            // (Without policies there is nothing to judge; and the IAM catalogue, which the blind-spot pass would load
            // through its default argument, is not needed: ~15 MB and ~80 ms.)
            if facts.context.policies.isEmpty { return out }
            let days = facts.firstEvent.flatMap { f in facts.lastEvent.map { l in Int((l.millisecondsSince1970 - f.millisecondsSince1970) / 86_400_000) + 1 } } ?? 0
            for key in facts.context.policies.keys.sorted() {
                guard let info = facts.context.policies[key], let pp = info.policies else { continue }
                let used = usage.usage(for: pp)
                var groups: [String: [String]] = [:]
                for action in info.grantedActions where (used[action]?.successes ?? 0) == 0 {
                    let (recorded, recording) = usage.isRecorded(action, config: facts.context.config)
                    let level = ActionCatalogue.shared.action(named: action)?.accessLevel
                    let sensitive = level == .write || level == .permissionsManagement
                    let status = recorded ? "unused" : "unknown"
                    let cls = sensitive ? "write" : "read"
                    let name = ActionCatalogue.shared.action(named: action)?.action.description ?? action.description
                    groups["\(status)|\(cls)", default: []].append(recorded ? name : "\(name) (\(recording == .data ? "data event not recorded" : EventActionMap.shared.notRecordedReason(action)))")
                }
                for g in groups.keys.sorted() {
                    let parts = g.split(separator: "|").map(String.init)
                    let (status, cls) = (parts[0], parts[1])
                    let actions = groups[g]!.sorted()
                    let severity: Severity = status == "unused" && cls == "write" ? .medium : detector.defaultSeverity
                    let who = pp.arn ?? pp.name
                    out.append(Finding(
                        detector: detector.id, severity: severity, principal: who,
                        subject: ["status": status, "access": cls], firstSeen: facts.firstEvent, lastSeen: facts.lastEvent,
                        count: actions.count,
                        message: status == "unused"
                            ? .grantedActionsUnused(actions.count, writes: cls == "write", by: pp.name, days: days)
                            : .grantedActionsUnjudged(actions.count, writes: cls == "write", of: pp.name),
                        details: ["actions": actions]))
                }
            }
            let grants = facts.context.policies.keys.sorted().compactMap { key -> (principal: String, actions: [IAMAction])? in
                guard let info = facts.context.policies[key], let pp = info.policies else { return nil }
                return (pp.arn ?? key, info.grantedActions)
            }
            for spot in TrailBlindSpot.compute(grants, isBlind: { a in
                let (recorded, recording) = usage.isRecorded(a, config: facts.context.config)
                return !recorded && recording == .data
            }) {
                out.append(Finding(
                    detector: detector.id, severity: detector.defaultSeverity, principal: nil,
                    subject: ["status": "not-recorded", "service": spot.service], firstSeen: facts.firstEvent, lastSeen: facts.lastEvent,
                    count: spot.actions.count, message: .trailBlindSpot(spot),
                    details: ["selectorTypes": spot.selectorTypes, "principals": spot.principals, "actions": spot.actions.map(\.description)]))
            }
            return out
        }
    }
}

fileprivate extension Finding.Message {
    /// `count` granted actions (write/permissions-management when `writes`, else read/list) that `name` never used
    /// in the `days` days of the logs, though their use would be recorded.
    static func grantedActionsUnused(_ count: Int, writes: Bool, by name: String, days: Int) -> Self {
        Self(title: "\(count) granted \(writes ? "write/permissions-management" : "read/list") action(s) never used by \(name) in \(days) day(s)",
             recommendation: "Remove them: `agenttrail policy` prints a right-sized policy from the calls actually made.")
    }

    /// `count` granted actions of `name` whose use these logs cannot show (data events not recorded, or
    /// permission-only actions).
    static func grantedActionsUnjudged(_ count: Int, writes: Bool, of name: String) -> Self {
        Self(title: "\(count) granted \(writes ? "write/permissions-management" : "read/list") action(s) of \(name) cannot be judged from these logs",
             recommendation: "Enable the data events of these services (or keep them only if needed); their use is not in the logs.")
    }

    /// A service whose granted data-plane actions the trail cannot see: the blind spot's own sentences
    /// (`TrailBlindSpot.summary` and `.advice`, which the access review shows too).
    static func trailBlindSpot(_ spot: TrailBlindSpot) -> Self {
        Self(title: spot.summary, recommendation: spot.advice)
    }
}

extension UnusedGrantedActionDetector.Accumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        if active { try c.put(PartialUsage(usage), "usage") }
    }

    func decodePartial(from decoder: any Decoder) throws {
        let c = try decoder.partialContainer()
        if active { try c.get("usage", as: PartialUsage.self).restore(into: usage) }
    }
}

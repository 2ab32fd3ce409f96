/// `new-region`: a principal uses an AWS region that is not in its baseline (a stored one, or the regions it
/// used before `RunFacts.baselineEnd`). Global services that always log in `us-east-1` (IAM, STS global
/// endpoint, Organizations, ...) are not region choices. Principals first seen after the learning part have
/// no baseline and are not judged. Low; medium when it made successful invocations in the new region.
public struct NewRegionDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "new-region", defaultSeverity: .low,
        summary: "a region not in the principal's baseline", traits: [.principalScoped, .baselineDriven])
    public var descriptor: DetectorDescriptor { Self.descriptor }
    public var storedBaselines: (any StoredBaselines)?

    public init(storedBaselines: (any StoredBaselines)? = nil) {
        self.storedBaselines = storedBaselines
    }

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator { Accumulator(detector: self) }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }

    final class Accumulator: DetectorAccumulator {
        let detector: NewRegionDetector
        var tracker = NewTermTracker()

        init(detector: NewRegionDetector) { self.detector = detector }

        /// `CallClassifier.isGlobalService` per action, memoised by the worker's action number (`ActionIDCache`).
        private var global = ActionIDCache<Bool>()

        func observe(_ event: ObservedRecord) {
            guard CallClassifier.isBaselinedPrincipal(event) else { return }
            tracker.noteActivity(event)
            let isGlobal = global.value(event) { CallClassifier.isGlobalService(event.record.eventSource) }
            guard CallClassifier.isRegionChoice(event.record, isGlobalService: isGlobal),
                  let region = event.record.awsRegion else { return }
            tracker.add(event, term: region)
        }

        func merge(_ o: Accumulator) {
            tracker.merge(o.tracker)
        }

        func findings(_ facts: RunFacts) -> [Finding] {
            tracker.newTerms(facts: facts, stored: detector.storedBaselines, known: { $0.regions.contains($1) }).map { t in
                let invokes = t.stats.successfulInvocations
                return Finding(
                    detector: detector.id, severity: invokes > 0 ? .medium : .low,
                    principal: t.principal, subject: ["region": t.term], tally: t.stats.tally,
                    message: .newRegion(t.term, principal: t.principal, calls: t.stats.tally.count, invocations: invokes),
                    details: ["actions": t.stats.actionSummary(), "reason": [t.source.newTermReason],
                              "comparedAgainst": [tracker.comparedAgainst(t, noun: "regions", stored: \.regions)]])
            }
        }
    }
}

fileprivate extension Finding.Message {
    /// `principal` used `region`, not in its baseline: `calls` calls, of which `invocations` successful invocations.
    static func newRegion(_ region: String, principal: String, calls: Int, invocations: Int) -> Self {
        Self(title: "\(principal) used new region \(region) (\(calls) calls\(invocations > 0 ? ", \(invocations) invocations" : ""))",
             recommendation: "Confirm the workload is meant to run in \(region); if not, deny the region with an aws:RequestedRegion condition or SCP.")
    }
}

extension NewRegionDetector.Accumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(tracker, "tracker")
    }

    func decodePartial(from decoder: any Decoder) throws {
        tracker = try decoder.partialContainer().get("tracker")
    }
}

/// `new-model`: a principal invokes a model id (`requestParameters.modelId` of Bedrock `Invoke*`/`Converse*`
/// calls; foundation-model ARNs reduced to the bare id) that is not in its baseline (a stored one, or the
/// models it invoked before `RunFacts.baselineEnd`). Principals first seen after the learning part have no
/// baseline and are not judged. Failed attempts count too (probing a model is interesting). Low.
public struct NewModelDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "new-model", defaultSeverity: .low,
        summary: "a model id not in the principal's baseline", traits: [.principalScoped, .baselineDriven])
    public var descriptor: DetectorDescriptor { Self.descriptor }
    public var storedBaselines: (any StoredBaselines)?

    public init(storedBaselines: (any StoredBaselines)? = nil) {
        self.storedBaselines = storedBaselines
    }

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator { Accumulator(detector: self) }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [.agentAndAuditRequestParameters] }

    /// The normalized model id of a Bedrock invoke/converse call, or nil.
    public static func modelId(of record: CloudTrailRecord) -> String? {
        guard isModelInvocation(record), let id = ModelIdExtractor.modelId(from: record.requestParameters),
              !id.isEmpty else { return nil }
        return ModelIdExtractor.normalized(id)
    }

    /// A Bedrock `Invoke*`/`Converse*` call (whose `modelId` names the model), or a bedrock-mantle inference
    /// (`CreateInference`, whose `model` names it; `ModelIdExtractor` reads either key).
    @inline(__always) static func isModelInvocation(_ record: CloudTrailRecord) -> Bool {
        if record.isBedrockMantle { return CallClassifier.mantleInvocationNames.contains(record.eventName) }
        return record.isBedrock && CallClassifier.isInvokeName(record.eventName)
    }

    final class Accumulator: DetectorAccumulator {
        let detector: NewModelDetector
        var tracker = NewTermTracker()
        /// `NewModelDetector.modelId(of:)`, memoised.
        var models = ModelIdExtractor.Cache()

        init(detector: NewModelDetector) { self.detector = detector }

        func observe(_ event: ObservedRecord) {
            guard CallClassifier.isBaselinedPrincipal(event) else { return }
            tracker.noteActivity(event)
            // (The test apart from the model id, which passes the whole record out of line: see `ObservedRecord`.)
            if NewModelDetector.isModelInvocation(event.record) { addModel(event) }
        }

        @inline(never) private func addModel(_ event: ObservedRecord) {
            guard let model = models.modelId(of: event.record) else { return }
            tracker.add(event, term: model)
        }

        func merge(_ o: Accumulator) {
            tracker.merge(o.tracker)
        }

        func findings(_ facts: RunFacts) -> [Finding] {
            tracker.newTerms(facts: facts, stored: detector.storedBaselines, known: { $0.models.contains($1) }).map { t in
                Finding(
                    detector: detector.id, severity: .low,
                    principal: t.principal, subject: ["model": t.term], tally: t.stats.tally,
                    message: .newModel(t.term, principal: t.principal, calls: t.stats.tally.count,
                                       successful: t.stats.successfulInvocations),
                    details: ["actions": t.stats.actionSummary(), "reason": [t.source.newTermReason],
                              "comparedAgainst": [tracker.comparedAgainst(t, noun: "models", stored: \.models)]])
            }
        }
    }
}

fileprivate extension Finding.Message {
    /// `principal` invoked `model`, not in its baseline, `calls` times (`successful` of them succeeded).
    static func newModel(_ model: String, principal: String, calls: Int, successful: Int) -> Self {
        Self(title: "\(principal) invoked new model \(model) (\(calls) calls, \(successful) successful)",
             recommendation: "Confirm the model change was intended; restrict bedrock:InvokeModel to the expected model ARNs.")
    }
}

extension NewModelDetector.Accumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(tracker, "tracker")
    }

    func decodePartial(from decoder: any Decoder) throws {
        tracker = try decoder.partialContainer().get("tracker")
    }
}

import Synchronization

/// Collects `CollectedBaselines` during a scan. Register it alongside the detectors (`ScanOptions.detectors`);
/// it makes no findings. When the run makes findings (on the merged accumulator, once), it publishes what it
/// collected, with the run's agent roles and Bedrock callers, to `collected`.
///
/// What it records, for principals worth baselining (`CallClassifier.isBaselinedPrincipal`): activity
/// first/last/count, source IPs, regions chosen (`CallClassifier.isRegionChoice`), invoked model ids,
/// user-agent families, `service:EventName` actions, invocations per hour and per 5-minute bucket, and direct Bedrock/AgentCore
/// calls with and without a VPC endpoint — the same selections the baseline detectors make.
public struct BaselineCollector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "baseline-collector", defaultSeverity: .info,
        summary: "collects the per-principal baselines a nightly state keeps", traits: [.internal])
    public var descriptor: DetectorDescriptor { Self.descriptor }
    private let sink = Sink()

    public init() {}

    /// What the last run that used this collector collected (nil before findings were made).
    public var collected: CollectedBaselines? { sink.value.withLock { $0 } }

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator { Accumulator(sink: sink) }

    final class Sink: Sendable {
        let value = Mutex<CollectedBaselines?>(nil)
    }

    final class Accumulator: DetectorAccumulator {
        let sink: Sink
        var data = CollectedBaselines()

        init(sink: Sink) { self.sink = sink }

        func observe(_ event: ObservedRecord) {
            data.recordsByFile[event.file, default: 0] += 1
            guard CallClassifier.isBaselinedPrincipal(event) else { return }
            let r = event.record
            let p = event.principalKey
            let t = r.eventTime
            data.principals[p, default: CollectedBaselines.PrincipalFacts()].activity.note(t)
            if let ip = r.sourceAddress.ip { note(p, .ip, ip.description, t) }
            if CallClassifier.isRegionChoice(r), let region = r.awsRegion { note(p, .region, region, t) }
            if let model = NewModelDetector.modelId(of: r) { note(p, .model, model, t) }
            if let ua = UserAgentFamily.of(r.userAgent) { note(p, .userAgent, ua, t) }
            note(p, .action, r.actionLabel, t)
            if CallClassifier.isInvocation(r), let t {
                data.hourlyInvocations[.init(principal: p, hour: t.hourFloor.millisecondsSince1970 / 3_600_000), default: 0] += 1
                data.invocationBuckets[.init(principal: p, bucket: InvocationSpikeDetector.bucketIndex(t)), default: 0] += 1
            }
            if r.isBedrock || r.isAgentCore, r.principal.invokedBy == nil, !r.isServiceEvent {
                if case .service = r.sourceAddress { return }
                if let ep = r.vpcEndpointId, !ep.isEmpty {
                    data.principals[p]!.vpcEndpointCalls += 1
                } else {
                    data.principals[p]!.directCalls += 1
                }
            }
        }

        @inline(__always)
        private func note(_ principal: String, _ kind: CollectedBaselines.Kind, _ term: String, _ t: Instant?) {
            data.terms[.init(principal: principal, kind: kind, term: term), default: .init()].note(t)
        }

        func merge(_ o: Accumulator) {
            data.merge(o.data)
        }

        func findings(_ facts: RunFacts) -> [Finding] {
            let out = collected(agentRoles: facts.agentRoles, bedrockPrincipals: facts.bedrockPrincipals)
            sink.value.withLock { $0 = out }
            return []
        }

        /// What this accumulator collected, networks derived, with the given roles and callers.
        func collected(agentRoles: Set<String>, bedrockPrincipals: Set<String>) -> CollectedBaselines {
            var out = data
            out.deriveNetworks()
            out.agentRoles = agentRoles
            out.bedrockPrincipals = bedrockPrincipals
            return out
        }
    }

    /// What one of this collector's accumulators collected (from a `ScanState`, without making findings), networks
    /// derived, with the scan's AgentCore roles and Bedrock callers. Nil when `accumulator` is not the collector's.
    public static func collected(from accumulator: any DetectorAccumulator, agentRoles: Set<String>,
                                 bedrockPrincipals: Set<String>) -> CollectedBaselines? {
        (accumulator as? Accumulator)?.collected(agentRoles: agentRoles, bedrockPrincipals: bedrockPrincipals)
    }
}

/// `vpc-endpoint-bypass`: a principal that should reach Bedrock/AgentCore through a VPC endpoint calls them
/// without one.
///
/// - Configured (`principals[].vpcEndpoints` non-empty): every Bedrock/AgentCore call in the window without a
///   `vpcEndpointId`, or through an endpoint not in the list, fires (one finding per endpoint id, `none` for
///   calls without one).
/// - Stored baseline with `alwaysUsesVPCEndpoint == true`: every call without an endpoint fires.
/// - Learned: when at least `minBaselineCalls` (default 5) Bedrock/AgentCore calls happened before
///   `RunFacts.baselineEnd` and all of them carried a `vpcEndpointId`, the calls without one (all after the
///   cut by construction) fire.
/// - Only direct calls count: calls made by an AWS service (`invokedBy`, service-name source address,
///   `AwsServiceEvent`) never traverse the customer's endpoint. Medium.
public struct VPCEndpointBypassDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "vpc-endpoint-bypass", defaultSeverity: .medium,
        summary: "Bedrock/AgentCore calls without the configured or learned VPC endpoint",
        thresholds: [
            ThresholdSpec("minBaselineCalls", default: 5, minimum: 1,
                          summary: "endpoint calls needed in the learning period to learn the habit"),
        ],
        traits: [.principalScoped, .baselineDriven])
    public var descriptor: DetectorDescriptor { Self.descriptor }
    public var storedBaselines: (any StoredBaselines)?

    public init(storedBaselines: (any StoredBaselines)? = nil) {
        self.storedBaselines = storedBaselines
    }

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        let k = Int(context.threshold("minBaselineCalls", of: Self.descriptor))
        return Accumulator(detector: self, minBaselineCalls: max(1, k))
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [.vpcEndpoint] }

    struct State: Codable {
        /// Calls per endpoint id; `""` for calls without one.
        var byEndpoint: [String: ActionTally] = [:]
        /// The earliest `minBaselineCalls` times of calls through an endpoint (sorted).
        var earliestEndpointCalls: [Instant] = []

        mutating func noteEndpointCall(_ t: Instant, cap: Int) {
            if earliestEndpointCalls.count >= cap, let last = earliestEndpointCalls.last, t >= last { return }
            let i = earliestEndpointCalls.firstIndex(where: { t < $0 }) ?? earliestEndpointCalls.count
            earliestEndpointCalls.insert(t, at: i)
            if earliestEndpointCalls.count > cap { earliestEndpointCalls.removeLast() }
        }

        mutating func observe(_ event: ObservedRecord, endpoint ep: String, cap: Int) {
            byEndpoint[ep, default: ActionTally()].add(event)
            if !ep.isEmpty, let t = event.record.eventTime { noteEndpointCall(t, cap: cap) }
        }

        mutating func merge(_ o: State, cap: Int) {
            byEndpoint.mergeActionTallies(o.byEndpoint)
            earliestEndpointCalls = Array((earliestEndpointCalls + o.earliestEndpointCalls).sorted().prefix(cap))
        }
    }

    final class Accumulator: DetectorAccumulator {
        let detector: VPCEndpointBypassDetector
        let minBaselineCalls: Int
        var states: [HashedString: State] = [:]

        init(detector: VPCEndpointBypassDetector, minBaselineCalls: Int) {
            self.detector = detector
            self.minBaselineCalls = minBaselineCalls
        }

        func observesAction(of record: CloudTrailRecord) -> Bool { record.isBedrock || record.isAgentCore }

        func observe(_ event: ObservedRecord) {
            let r = event.record
            guard observesAction(of: r), CallClassifier.isBaselinedPrincipal(event) else { return }
            guard r.principal.invokedBy == nil, !event.flags.contains(.serviceEvent) else { return }
            if case .service = r.sourceAddress { return }
            let ep = r.vpcEndpointId ?? ""
            let cap = minBaselineCalls
            // (mutated in place: a copy taken out and stored back would copy `byEndpoint` on every record)
            states[event.hashedPrincipalKey, default: State()].observe(event, endpoint: ep, cap: cap)
        }

        func merge(_ o: Accumulator) {
            for (p, s) in o.states { states[p, default: State()].merge(s, cap: minBaselineCalls) }
        }

        func findings(_ facts: RunFacts) -> [Finding] {
            var out: [Finding] = []
            for (hashedPrincipalKey, s) in states {
                let principal = hashedPrincipalKey.string
                let configured = Set(facts.context.config.rules(for: principal).flatMap(\.vpcEndpoints))
                if !configured.isEmpty {
                    for (ep, stats) in s.byEndpoint where ep.isEmpty || !configured.contains(ep) {
                        out.append(finding(principal, ep, stats, why: ep.isEmpty
                            ? "configured to use VPC endpoint(s) \(configured.sorted().joined(separator: ", ")) but called without one"
                            : "configured to use VPC endpoint(s) \(configured.sorted().joined(separator: ", ")) but called through \(ep)"))
                    }
                    continue
                }
                guard let direct = s.byEndpoint[""], direct.tally.count > 0 else { continue }
                if let stored = detector.storedBaselines?.baseline(for: principal) {
                    if stored.alwaysUsesVPCEndpoint == true {
                        out.append(finding(principal, "", direct, why: "its stored baseline always used a VPC endpoint"))
                    }
                    continue
                }
                guard let end = facts.baselineEnd, s.earliestEndpointCalls.count >= minBaselineCalls,
                      s.earliestEndpointCalls[minBaselineCalls - 1] < end,
                      let firstDirect = direct.tally.firstSeen, firstDirect >= end else { continue }
                out.append(finding(principal, "", direct,
                                   why: "all its Bedrock/AgentCore calls before \(end.iso8601) used a VPC endpoint"))
            }
            return out
        }

        private func finding(_ principal: String, _ ep: String, _ stats: ActionTally, why: String) -> Finding {
            Finding(
                detector: detector.id, severity: .medium,
                principal: principal, subject: ["vpcEndpoint": ep.isEmpty ? "none" : ep], tally: stats.tally,
                message: ep.isEmpty
                    ? .callsWithoutVPCEndpoint(principal: principal, calls: stats.tally.count)
                    : .callsThroughUnexpectedVPCEndpoint(ep, principal: principal, calls: stats.tally.count),
                details: ["actions": stats.actionSummary(), "reason": [why], "comparedAgainst": [why]])
        }
    }
}

fileprivate extension Finding.Message {
    /// `principal`, expected to use a VPC endpoint, made `calls` Bedrock/AgentCore calls without one.
    static func callsWithoutVPCEndpoint(principal: String, calls: Int) -> Self {
        vpcEndpointBypass(principal: principal, via: "without a VPC endpoint", calls: calls)
    }

    /// `principal` made `calls` Bedrock/AgentCore calls through `endpoint`, not one of its configured endpoints.
    static func callsThroughUnexpectedVPCEndpoint(_ endpoint: String, principal: String, calls: Int) -> Self {
        vpcEndpointBypass(principal: principal, via: "through unexpected VPC endpoint \(endpoint)", calls: calls)
    }

    private static func vpcEndpointBypass(principal: String, via: String, calls: Int) -> Self {
        Self(title: "\(principal) called Bedrock/AgentCore \(via) (\(calls) calls)",
             recommendation: "Enforce private access with an aws:SourceVpce condition on the principal's policies and check where these calls came from.")
    }
}

extension VPCEndpointBypassDetector.Accumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(states, "states")
    }

    func decodePartial(from decoder: any Decoder) throws {
        states = try decoder.partialContainer().get("states")
    }
}

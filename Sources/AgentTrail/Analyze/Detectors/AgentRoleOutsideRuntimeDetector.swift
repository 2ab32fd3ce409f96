/// `agent-role-outside-runtime`: an AgentCore execution role (`RunFacts.isAgentRole`) is used from a real IP
/// address, or calls a service outside its expected set.
///
/// - Inside the AgentCore runtime the role's calls carry an AWS service name or `AWS Internal` as
///   `sourceIPAddress`; any real IP is outside, unless it is in a trusted CIDR for the role (global
///   `trustedCIDRs`, the role's principal rules, or its policies' `aws:SourceIp`).
/// - Expected services: `config.expectedAgentServices` + the role's rules' `expectedServices` + the services
///   its policies grant (`cloudwatch` and `monitoring` are the same service). Calls made by another AWS service on
///   the role's behalf (`invokedBy` other than `bedrock-agentcore.amazonaws.com`, whose runtime makes the agent's
///   own calls), `sts:AssumeRole` by a service, and `sts:GetCallerIdentity` (needs no
///   permission) are not counted.
/// - Agent roles are only known at the end, so compact aggregates are kept for every assumed role.
/// - One finding per role and IP (`subject["ip"]`) and per role and service (`subject["service"]`). High.
public struct AgentRoleOutsideRuntimeDetector: Detector {
    public let id = "agent-role-outside-runtime"
    public let defaultSeverity = Severity.high

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator { Accumulator(id: id) }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }

    struct IPKey: Hashable {
        var role: HashedString
        var ip: IPAddress

        @inline(__always)
        func _rawHashValue(seed: Int) -> Int { PrehashedMix.mix(role.hash, PrehashedMix.bits(ip), seed: seed) }
    }

    struct ServiceKey: Hashable {
        var role: HashedString
        var service: HashedString

        @inline(__always)
        func _rawHashValue(seed: Int) -> Int {
            PrehashedMix.mix(role.hash, UInt64(truncatingIfNeeded: service.hash), seed: seed)
        }
    }

    /// IAM prefixes whose eventSource prefix differs.
    static let serviceAliases: [String: [String]] = ["cloudwatch": ["monitoring"], "monitoring": ["cloudwatch"]]

    final class Accumulator: DetectorAccumulator {
        let id: String
        var ips: [IPKey: ActionTally] = [:]
        var services: [ServiceKey: ActionTally] = [:]
        /// The service of each action's eventSource, memoised (the action's hash is computed once per record).
        private var services_: [ActionTally.Action: HashedString] = [:]

        init(id: String) { self.id = id }

        func observe(_ event: ObservedRecord) {
            let r = event.record
            guard r.principal.type == "AssumedRole" else { return }
            let role = event.principalID
            guard role.string != "unknown" else { return }
            if let ip = r.sourceAddress.ip {
                ips[IPKey(role: role, ip: ip), default: ActionTally()].add(event)
            }
            let viaOtherService = r.principal.invokedBy.map { $0 != AgentRoleDiscovery.servicePrincipal } ?? false
            guard !viaOtherService, !event.flags.contains(.serviceEvent), !r.eventSource.isEmpty else { return }
            let serviceID: HashedString
            if let s = services_[event.action] {
                serviceID = s
            } else {
                serviceID = HashedString(CallClassifier.service(of: r.eventSource))
                services_[event.action] = serviceID
            }
            let service = serviceID.string
            if service == "sts" {
                if r.eventName == "GetCallerIdentity" { return }
                if r.eventName.hasPrefix("AssumeRole"), case .service = r.sourceAddress { return }
            }
            services[ServiceKey(role: role, service: serviceID), default: ActionTally()].add(event)
        }

        func merge(_ other: any DetectorAccumulator) {
            guard let o = other as? Accumulator else { return }
            ips.mergeActionTallies(o.ips)
            services.mergeActionTallies(o.services)
        }

        func findings(_ facts: RunFacts) -> [Finding] {
            let config = facts.context.config
            var out: [Finding] = []
            var isAgent: [HashedString: Bool] = [:]
            func agent(_ role: HashedString) -> Bool {
                if let v = isAgent[role] { return v }
                let v = facts.isAgentRole(role.string)
                isAgent[role] = v
                return v
            }
            for (k, stats) in ips where agent(k.role) {
                let role = k.role.string
                let trusted = config.trustedCIDRs + config.rules(for: role).flatMap(\.trustedCIDRs)
                    + (facts.context.policyInfo(for: role)?.trustedCIDRs ?? [])
                if trusted.contains(where: { $0.contains(k.ip) }) { continue }
                out.append(Finding(
                    detector: id, severity: .high,
                    title: "AgentCore execution role \(role) used from \(k.ip), outside the AgentCore runtime (\(stats.tally.count) calls)",
                    principal: role, subject: ["ip": k.ip.description], tally: stats.tally,
                    recommendation: "Execution-role credentials should only be used by the AgentCore runtime; investigate who obtained them, revoke active sessions and restrict the role's trust policy.",
                    details: ["actions": stats.actionSummary()]))
            }
            var expectedCache: [String: Set<String>] = [:]
            for (k, stats) in services where agent(k.role) {
                let role = k.role.string
                let expected: Set<String>
                if let e = expectedCache[role] { expected = e } else {
                    var e = Set(config.expectedAgentServices)
                    e.formUnion(config.rules(for: role).flatMap(\.expectedServices))
                    e.formUnion(facts.context.policyInfo(for: role)?.grantedServices ?? [])
                    for s in e { e.formUnion(AgentRoleOutsideRuntimeDetector.serviceAliases[s] ?? []) }
                    expectedCache[role] = e
                    expected = e
                }
                if expected.contains(k.service.string) { continue }
                out.append(Finding(
                    detector: id, severity: .high,
                    title: "AgentCore execution role \(role) called unexpected service \(k.service) (\(stats.tally.count) calls)",
                    principal: role, subject: ["service": k.service.string], tally: stats.tally,
                    recommendation: "Check whether the agent should call \(k.service); if so add it to expectedServices for this role, otherwise remove the permission and investigate the agent (prompt injection, stolen credentials).",
                    details: ["actions": stats.actionSummary()]))
            }
            return out
        }
    }
}

/// `unknown-source-ip`: a principal calls from an IP that is in none of (a) the configured trusted CIDRs
/// (global or per principal), (b) the `aws:SourceIp` CIDRs of its own policies, (c) its baseline.
///
/// - Only real IP calls count: `sourceIPAddress` values that are AWS service names or `AWS Internal` are skipped.
/// - Baseline: a stored one when given; otherwise the IPs the principal used before `RunFacts.baselineEnd`.
///   An IP in the same /24 (IPv4) or /48 (IPv6) as a known IP counts as known (NAT pools, cloud egress).
/// - With no trusted CIDRs, no policy CIDRs and no baseline for a principal (window too short, or the
///   principal first appears after the learning part) there is nothing to compare against: no finding.
/// - Role sessions calling from an AWS-owned address (`AWSAddressRanges`: the compute they run on — EC2, Lambda,
///   ECS, NAT gateways — egresses from AWS's published ranges, which rotate far beyond a /24) are not reported: this
///   detector is about credentials used outside AWS (GuardDuty's "InstanceCredentialExfiltration.OutsideAWS"
///   split). Users, Root and federated sessions are judged on every address; an AWS-owned one is named as such.
/// - Calls from a private address through a VPC endpoint of the principal's own account are inside its network
///   (`isOwnVPCEndpointCall`); through another account's endpoint they are judged like any address.
/// - AgentCore execution roles are left to `agent-role-outside-runtime`, which judges their addresses together with
///   the provenance of their credentials.
/// - One finding per principal and IP, covering all its events; medium, high when a successful
///   write/invoke call came from that IP. `details["comparedAgainst"]` says what the address was compared with.
public struct UnknownSourceIPDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "unknown-source-ip", defaultSeverity: .medium,
        summary: "calls from an IP outside trusted CIDRs, policy aws:SourceIp and the baseline", traits: [.principalScoped, .baselineDriven])
    public var descriptor: DetectorDescriptor { Self.descriptor }
    /// Baselines from a state store, when available.
    public var storedBaselines: (any StoredBaselines)?
    /// The AWS address snapshot.
    /// `AWSAddressRanges.shipped` unless one is given, read when a finding first asks, not when the detector is made
    /// (a nightly run over an unchanged archive makes its detectors and judges nothing; reading the file was a seventh
    /// of such a run).
    public var awsRanges: AWSAddressRanges {
        get { givenRanges ?? .shipped }
        set { givenRanges = newValue }
    }
    private var givenRanges: AWSAddressRanges?

    public init(storedBaselines: (any StoredBaselines)? = nil, awsRanges: AWSAddressRanges? = nil) {
        self.storedBaselines = storedBaselines
        self.givenRanges = awsRanges
    }

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        Accumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [.vpcEndpoint, .recipientAccountId] }

    /// A call from a private address through a VPC endpoint of the caller's own account (or of the account that
    /// received it) came from inside that account's network: CloudTrail records the caller's private address and the
    /// endpoint for calls through interface endpoints (AWS doc "CloudTrail record contents": `vpcEndpointId`,
    /// `vpcEndpointAccountId`). Its subnet says nothing about who the caller is, so it is not judged as an address.
    @inline(__always) static func isOwnVPCEndpointCall(_ r: CloudTrailRecord, ip: IPAddress) -> Bool {
        guard ip.isPrivateOrLocal, let endpoint = r.vpcEndpointId, !endpoint.isEmpty else { return false }
        guard let owner = r.vpcEndpointAccountId, !owner.isEmpty else { return true }
        return owner == r.principal.accountId || owner == r.recipientAccountId
    }

    struct Key: Hashable, Codable {
        var principal: HashedString
        var ip: IPAddress

        @inline(__always)
        func _rawHashValue(seed: Int) -> Int { PrehashedMix.mix(principal.hash, PrehashedMix.bits(ip), seed: seed) }

        /// The hash `PositionTable` is given.
        @inline(__always)
        var tableHash: Int { _rawHashValue(seed: 0) }
    }

    final class Accumulator: DetectorAccumulator {
        let detector: UnknownSourceIPDetector
        /// Calls per principal and address (by position: a principal's records repeat their addresses).
        var table = PositionTable<Key, ActionTally>()
        var byIP: [Key: ActionTally] {
            get { table.dictionary }
            set { table = PositionTable(newValue) }
        }
        var principalFirstSeen = FirstSeenMap<HashedString>()

        init(detector: UnknownSourceIPDetector) { self.detector = detector }

        func observe(_ event: ObservedRecord) {
            guard CallClassifier.isBaselinedPrincipal(event) else { return }
            let principal = event.hashedPrincipalKey
            principalFirstSeen.note(principal, event.record.eventTime)
            guard let ip = event.record.sourceAddress.ip else { return }
            if UnknownSourceIPDetector.isOwnVPCEndpointCall(event.record, ip: ip) { return }
            let key = Key(principal: principal, ip: ip)
            table.values[table.position(of: key, hash: key.tableHash) { ActionTally() }].add(event)
        }

        func merge(_ o: Accumulator) {
            table.merge(o.table, hash: \.tableHash, make: { ActionTally() }, combine: { $0.merge($1) })
            principalFirstSeen.merge(o.principalFirstSeen)
        }

        func findings(_ facts: RunFacts) -> [Finding] {
            let config = facts.context.config
            var byPrincipal: [HashedString: [(IPAddress, ActionTally)]] = [:]
            for (k, v) in zip(table.keys, table.values) { byPrincipal[k.principal, default: []].append((k.ip, v)) }
            var out: [Finding] = []
            for (hashedPrincipalKey, ips) in byPrincipal {
                let principal = hashedPrincipalKey.string
                if facts.isAgentRole(principal) { continue }
                let isRoleSession = ARN(principal)?.resource.hasPrefix("role/") == true
                let trusted = config.trustedCIDRs + config.rules(for: principal).flatMap(\.trustedCIDRs)
                    + (facts.context.policyInfo(for: principal)?.trustedCIDRs ?? [])
                let source = BaselineSource.resolve(principal: principal, stored: detector.storedBaselines,
                                                    principalFirstSeen: principalFirstSeen[hashedPrincipalKey],
                                                    baselineEnd: facts.baselineEnd)
                let baseline: PrincipalBaseline?
                switch source {
                case .stored(let b): baseline = b
                case .learned(let end):
                    baseline = PrincipalBaseline(ips: Set(ips.compactMap { ip, s in
                        s.tally.firstSeen.map { $0 < end } == true ? ip : nil
                    }))
                case .none: baseline = nil
                }
                if trusted.isEmpty && baseline == nil { continue }
                for (ip, stats) in ips {
                    if trusted.contains(where: { $0.contains(ip) }) { continue }
                    let owner = detector.awsRanges.prefix(containing: ip)
                    if isRoleSession, owner != nil { continue }
                    if let baseline {
                        if baseline.knows(ip) { continue }
                        // Learned: an IP whose events all lack a time cannot be placed before or after the cut.
                        if case .learned = source, stats.tally.firstSeen == nil, trusted.isEmpty { continue }
                    }
                    out.append(finding(principal: principal, ip: ip, stats: stats, trusted: trusted,
                                       baseline: source, owner: owner.map(detector.awsRanges.describe)))
                }
            }
            return out
        }

        private func finding(principal: String, ip: IPAddress, stats: ActionTally, trusted: [CIDR],
                             baseline: BaselineSource, owner: String?) -> Finding {
            let writes = stats.successfulWrites
            var reasons: [String] = []
            var compared: [String] = []
            if !trusted.isEmpty {
                reasons.append("outside the trusted CIDRs (config and policy aws:SourceIp)")
                compared.append("trusted CIDRs: " + EventSignals.list(trusted.map(\.description)))
            }
            switch baseline {
            case .stored(let b):
                reasons.append("not in the stored baseline (nor its /24 or /48)")
                compared.append("stored baseline: \(EventSignals.plural(b.ips.count, "IP")) in \(EventSignals.plural(b.networks.count, "network"))")
            case .learned(let end):
                reasons.append("first seen after the learning period ending \(end.iso8601) (no IP of its /24 or /48 seen before)")
                compared.append("addresses used before \(end.iso8601), with their /24 or /48")
            case .none: break
            }
            if let owner { reasons.append("the address belongs to \(owner)") }
            return Finding(
                detector: detector.id, severity: writes > 0 ? .high : .medium,
                principal: principal, subject: ["ip": ip.description], tally: stats.tally,
                message: .unknownSourceIP(ip, principal: principal, calls: stats.tally.count, successfulWrites: writes),
                details: ["actions": stats.actionSummary(), "reason": reasons, "comparedAgainst": compared])
        }
    }
}

fileprivate extension Finding.Message {
    /// `principal` made `calls` calls (`successfulWrites` of them successful writes or invocations) from `ip`, which
    /// is neither trusted nor in its baseline.
    static func unknownSourceIP(_ ip: IPAddress, principal: String, calls: Int, successfulWrites: Int) -> Self {
        let what = successfulWrites > 0 ? "\(calls) calls, \(successfulWrites) successful write/invoke" : "\(calls) calls"
        return Self(title: "\(principal) called from unknown IP \(ip) (\(what))",
                    recommendation: "Confirm who used this identity from \(ip); if expected, add the network to trustedCIDRs, otherwise rotate its credentials and restrict it with an aws:SourceIp condition.")
    }
}

extension UnknownSourceIPDetector.Accumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(byIP, "byIP")
        try c.put(principalFirstSeen, "principalFirstSeen")
    }

    func decodePartial(from decoder: any Decoder) throws {
        let c = try decoder.partialContainer()
        byIP = try c.get("byIP")
        principalFirstSeen = try c.get("principalFirstSeen")
    }
}

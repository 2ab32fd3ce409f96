/// `agent-role-outside-runtime`: an AgentCore execution role (`RunFacts.isAgentRole`) used with credentials the
/// runtime was not issued, with runtime credentials from a network the runtime cannot be in, or calling a service
/// outside its expected set. Subjects: `provenance` (+ `issuer`), `ip`, `service`.
///
/// **Credential provenance first** (`CredentialIssuance`): each session key of the role is traced to the
/// `sts:AssumeRole*` that issued it.
/// - Issued to anyone but `bedrock-agentcore.amazonaws.com` (a person, another role, another service): high, one
///   finding per (role, issuer), whatever the IP — the runtime did not obtain these credentials.
/// - Never issued by an AssumeRole seen in the window although the role's other sessions are traced (at least
///   `trackedMinimum` issued keys and half of its keys), and first used `sessionHours` (12, the longest role session)
///   after the window starts, so the issuance cannot lie before the window: high ("issued outside the observed
///   AssumeRoles").
/// - Otherwise the issuance may lie before the window: provenance unknown, judged by networks only.
///
/// **Networks, relative to the role's own history.** An IP address alone is not evidence: AgentCore Runtime in VPC
/// mode calls from private addresses in the customer's subnets through VPC endpoints, or from its NAT gateway's
/// public (AWS-owned) address; in public mode it egresses from AWS-owned addresses (AWS doc "Configure Amazon
/// Bedrock AgentCore Runtime and tools for VPC"). Nothing documented says its calls carry a service name as
/// `sourceIPAddress`. So an address of a runtime-issued or unknown-provenance key is known when it is private or
/// local, AWS-owned (`AWSAddressRanges`), trusted (global `trustedCIDRs`, the role's rules, its policies'
/// `aws:SourceIp`), or in the role's learned networks (its addresses, their /24 or /48, before the baseline cut or in
/// the stored baseline). Otherwise: runtime-issued credentials used from a public non-AWS address are exfiltrated
/// (high); unknown provenance from such an address: medium.
///
/// **Expected services** = `config.expectedAgentServices` ∪ the role's rules' `expectedServices` ∪ the services its
/// policies grant ∪ its learned services (successful calls before the baseline cut, or the stored baseline) —
/// Elastic's `new_terms` semantics. Calls made by another AWS service on the role's behalf (`invokedBy` other than
/// AgentCore), `sts:AssumeRole` by a service and `sts:GetCallerIdentity` (needs no permission) are not counted.
/// High.
///
/// Agent roles are only known at the end, so compact per-session aggregates are kept for every assumed role.
public struct AgentRoleOutsideRuntimeDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "agent-role-outside-runtime", defaultSeverity: .high,
        summary: "AgentCore execution role used with credentials not issued to the runtime, runtime credentials from outside AWS and its networks, or unexpected services",
        thresholds: [
            ThresholdSpec("sessionHours", default: 12, minimum: 1, summary: "longest role session: a key first used this long after the window starts must have its AssumeRole in the window"),
            ThresholdSpec("trackedMinimum", default: 2, minimum: 1, summary: "session keys traced to an AssumeRole before untraced keys are reported"),
        ])
    public var descriptor: DetectorDescriptor { Self.descriptor }
    /// Baselines from a state store, when available (learned networks and services).
    public var storedBaselines: (any StoredBaselines)?
    /// The AWS address snapshot used to recognise AWS-owned addresses.
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
        return Accumulator(detector: self, sessionHours: max(1, context.threshold("sessionHours", of: Self.descriptor)),
                           trackedMinimum: max(1, Int(context.threshold("trackedMinimum", of: Self.descriptor))))
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [.stsResponseElements] }

    struct IPKey: Hashable, Codable {
        var role: HashedString
        var ip: IPAddress

        @inline(__always)
        func _rawHashValue(seed: Int) -> Int { PrehashedMix.mix(role.hash, PrehashedMix.bits(ip), seed: seed) }
    }

    struct ServiceKey: Hashable, Sendable, Codable {
        var role: HashedString
        var service: HashedString

        @inline(__always)
        func _rawHashValue(seed: Int) -> Int {
            PrehashedMix.mix(role.hash, UInt64(truncatingIfNeeded: service.hash), seed: seed)
        }
    }

    struct SessionKey: Hashable, Codable {
        var role: HashedString
        /// (Hashed once per access key met in a row: the key is looked up per record. Coded as a string.)
        var accessKey: HashedString

        @inline(__always)
        func _rawHashValue(seed: Int) -> Int {
            PrehashedMix.mix(role.hash, UInt64(truncatingIfNeeded: accessKey.hash), seed: seed)
        }
    }

    /// An address as a dictionary key hashed by its bits (`PrehashedMix`), not through `Hasher`.
    struct AddressKey: Hashable {
        var ip: IPAddress

        @inline(__always)
        func _rawHashValue(seed: Int) -> Int { PrehashedMix.mix(0, PrehashedMix.bits(ip), seed: seed) }
    }

    /// A service's calls by one role, and when the role first called it successfully (its learned services).
    struct ServiceUse {
        var tally = ActionTally()
        var firstSuccess: Instant?
        /// False for an entry that only holds a first success (read from a partial result without the calls).
        var counted = false

        /// Counts a call; a successful one may move the first success earlier.
        mutating func add(_ event: ObservedRecord) {
            tally.add(event)
            counted = true
            if event.flags.contains(.succeeded) { noteSuccess(event.record.eventTime) }
        }

        mutating func noteSuccess(_ time: Instant?) {
            if let time, firstSuccess.map({ time < $0 }) ?? true { firstSuccess = time }
        }

        mutating func merge(_ o: ServiceUse) {
            if o.counted {
                tally.merge(o.tally)
                counted = true
            }
            noteSuccess(o.firstSuccess)
        }
    }

    /// What one assumed role did in a worker's records: when it was first seen, its calls per source address, per
    /// service and per session key. One lookup of the role per record, then small tables keyed by the address, the
    /// service and the session key alone (keys that repeated the role retained and hashed it three more times).
    /// Addresses and sessions are held in arrays in the order first met and found by an index (`ipSlot`,
    /// `sessionSlot`), so the accumulator's `SessionMemo` can hand back a record's entries by position.
    final class RoleUse {
        var firstSeen: Instant?
        /// Calls per service (by position: a role's records repeat their services).
        private(set) var serviceTable = PositionTable<HashedString, ServiceUse>()
        /// Each service and its use.
        var services: [HashedString: ServiceUse] { serviceTable.dictionary }
        private(set) var ipAddresses: [IPAddress] = []
        private(set) var ipTallies: [ActionTally] = []
        private var ipIndex: [AddressKey: Int] = [:]
        private(set) var sessionKeys: [HashedString] = []
        private(set) var sessionUses: [SessionUse] = []
        private var sessionIndex: [HashedString: Int] = [:]

        @inline(__always)
        func noteSeen(_ time: Instant?) {
            guard let time else { return }
            if let t = firstSeen, t <= time { return }
            firstSeen = time
        }

        /// The position of `ip`'s tally, made empty when first met.
        func ipSlot(_ ip: IPAddress) -> Int {
            if let i = ipIndex[AddressKey(ip: ip)] { return i }
            let i = ipTallies.count
            ipIndex[AddressKey(ip: ip)] = i
            ipAddresses.append(ip)
            ipTallies.append(ActionTally())
            return i
        }

        /// The position of the session `key`'s use, made empty when first met.
        func sessionSlot(_ key: HashedString) -> Int {
            if let i = sessionIndex[key] { return i }
            let i = sessionUses.count
            sessionIndex[key] = i
            sessionKeys.append(key)
            sessionUses.append(SessionUse())
            return i
        }

        @inline(__always)
        func addCall(_ event: ObservedRecord, ipSlot: Int) { ipTallies[ipSlot].add(event) }

        /// The position of `service`'s use, made empty when first met.
        @inline(__always)
        func serviceSlot(_ service: HashedString) -> Int {
            serviceTable.position(of: service, hash: service.hash) { ServiceUse() }
        }

        @inline(__always)
        func addCall(_ event: ObservedRecord, serviceSlot: Int) { serviceTable.values[serviceSlot].add(event) }

        /// Changes the use of `service` (made empty when first met).
        func updateService(_ service: HashedString, _ change: (inout ServiceUse) -> Void) {
            change(&serviceTable.values[serviceSlot(service)])
        }

        @inline(__always)
        func addCall(_ event: ObservedRecord, sessionSlot: Int, action: UInt32, ip: IPAddress?) {
            sessionUses[sessionSlot].add(event, action: action, ip: ip)
        }

        /// Each address and its calls.
        var ips: [(IPAddress, ActionTally)] { Array(zip(ipAddresses, ipTallies)) }
        /// Each session key and its use.
        var sessions: [(HashedString, SessionUse)] { Array(zip(sessionKeys, sessionUses)) }

        func mergeIP(_ ip: IPAddress, _ tally: ActionTally) { ipTallies[ipSlot(ip)].merge(tally) }

        func mergeSession(_ key: HashedString, _ use: SessionUse, renumber: (UInt32) -> UInt32 = { $0 }) {
            sessionUses[sessionSlot(key)].merge(use, renumber: renumber)
        }

        /// Merges `o`, whose session action numbers `renumber` maps to this accumulator's.
        func merge(_ o: RoleUse, renumber: (UInt32) -> UInt32) {
            noteSeen(o.firstSeen)
            for (ip, t) in zip(o.ipAddresses, o.ipTallies) { mergeIP(ip, t) }
            for (k, v) in zip(o.serviceTable.keys, o.serviceTable.values) { updateService(k) { $0.merge(v) } }
            for (k, v) in zip(o.sessionKeys, o.sessionUses) { mergeSession(k, v, renumber: renumber) }
        }
    }

    final class Accumulator: DetectorAccumulator {
        let detector: AgentRoleOutsideRuntimeDetector
        let sessionMs: Int64
        let trackedMinimum: Int
        /// Each assumed role's use (see `RoleUse`).
        var roles: [HashedString: RoleUse] = [:]
        /// The actions the sessions met (`SessionUse.actions` holds their numbers).
        var actionNumbers = ActionNumbers()
        var issued = ProvenanceTable()
        /// Recent principals' role use, session and address positions.
        private var memo = SessionMemo()
        /// The service of each action's eventSource, memoised by the worker's action number.
        private var serviceOfAction = ActionIDCache<HashedString>()

        init(detector: AgentRoleOutsideRuntimeDetector, sessionHours: Double, trackedMinimum: Int) {
            self.detector = detector
            self.sessionMs = Int64(sessionHours * 3_600_000)
            self.trackedMinimum = trackedMinimum
        }

        func observe(_ event: ObservedRecord) {
            let r = event.record
            // (Apart: it passes the whole record out of line, see `ObservedRecord`.)
            if r.knownSource == .sts { noteIssuance(event) }
            guard r.principal.isAssumedRole else { return }
            let role = event.hashedPrincipalKey
            let id = r.principal.fieldsID
            let accessKey = r.principal.accessKeyId
            let slot = SessionMemo.slot(id)
            let use: RoleUse
            let session: Int
            if let (u, s) = memo.find(slot, id: id, role: role, accessKey: accessKey) {
                use = u
                session = s
            } else {
                guard !StringBytes.equals(role.string, "unknown") else { return }
                if let known = roles[role] { use = known } else {
                    use = RoleUse()
                    roles[role] = use
                }
                session = Principal.kind(ofAccessKey: accessKey) == .temporary ? use.sessionSlot(HashedString(accessKey!)) : -1
                memo.set(slot, id: id, role: role, accessKey: accessKey, use: use, session: session)
            }
            use.noteSeen(r.eventTime)
            let ip = r.sourceAddress.ip
            if let ip {
                var ipSlot = memo.ipSlot(slot, ip)
                if ipSlot < 0 {
                    ipSlot = use.ipSlot(ip)
                    memo.noteIP(slot, ip, ipSlot)
                }
                use.addCall(event, ipSlot: ipSlot)
            }
            if session >= 0 {
                use.addCall(event, sessionSlot: session, action: actionNumbers.number(event), ip: ip)
            }
            let viaOtherService = r.principal.invokedBy.map { $0 != AgentRoleDiscovery.servicePrincipal } ?? false
            guard !viaOtherService, !event.flags.contains(.serviceEvent), !r.eventSource.isEmpty else { return }
            let serviceID = serviceOfAction.value(event) { HashedString(CloudTrailRecord.serviceName(of: r.eventSource)) }
            let service = serviceID.string
            if StringBytes.equals(service, "sts") {
                if StringBytes.equals(r.eventName, "GetCallerIdentity") { return }
                if StringBytes.hasPrefix(r.eventName, "AssumeRole"), case .service = r.sourceAddress { return }
            }
            use.addCall(event, serviceSlot: use.serviceSlot(serviceID))
        }

        /// The session key an `sts:AssumeRole*` issued, and to whom (`CredentialIssuance`).
        @inline(never) private func noteIssuance(_ event: ObservedRecord) {
            if let (key, issuance) = CredentialIssuance.from(event.record, file: event.file, index: event.index) {
                issued.add(key, issuance)
            }
        }

        func merge(_ o: Accumulator) {
            let renumbered = o.actionNumbers.actions.map { actionNumbers.number($0) }
            for (role, theirs) in o.roles {
                if let mine = roles[role] {
                    mine.merge(theirs, renumber: { renumbered[Int($0)] })
                } else {
                    let use = RoleUse()
                    use.merge(theirs, renumber: { renumbered[Int($0)] })
                    roles[role] = use
                }
            }
            memo.removeAll()
            issued.merge(o.issued)
        }

        /// How a session key of an agent role came to be.
        enum Provenance {
            case runtime(CredentialIssuance)
            case other(CredentialIssuance)
            /// Not issued by any AssumeRole seen although the role's sessions are traced.
            case untraced
            case unknown
        }

        func findings(_ facts: RunFacts) -> [Finding] {
            var out: [Finding] = []
            var isAgent: [HashedString: Bool] = [:]
            func agent(_ role: HashedString) -> Bool {
                if let v = isAgent[role] { return v }
                let v = facts.isAgentRole(role.string)
                isAgent[role] = v
                return v
            }
            for (role, use) in roles where (!use.sessionUses.isEmpty || !use.ipTallies.isEmpty) && agent(role) {
                out += roleFindings(role, sessions: use.sessions.map { ($0.0.string, $0.1) }, ips: use.ips, facts: facts)
            }
            out += serviceFindings(facts, agent: agent)
            return out
        }

        private func provenance(of key: String, _ use: SessionUse, tracked: Bool, facts: RunFacts) -> Provenance {
            if let i = issued[key] {
                if case .agentCore = i.issuer { return .runtime(i) }
                return .other(i)
            }
            if tracked, let first = use.firstSeen, let start = facts.firstEvent,
               first.millisecondsSince1970 - start.millisecondsSince1970 >= sessionMs {
                return .untraced
            }
            return .unknown
        }

        private func roleFindings(_ roleID: HashedString, sessions: [(String, SessionUse)], ips: [(IPAddress, ActionTally)],
                                  facts: RunFacts) -> [Finding] {
            let role = roleID.string
            let tracedKeys = sessions.filter { issued[$0.0] != nil }.count
            let tracked = tracedKeys >= trackedMinimum && 2 * tracedKeys >= sessions.count
            var byIssuer: [String: (CredentialIssuance, SessionUse, Int)] = [:]
            var untraced = SessionUse(), untracedKeys = 0
            var runtimeIPs = Set<IPAddress>(), unknownIPs = Set<IPAddress>(), otherIPs = Set<IPAddress>()
            var runtimeKeys = 0, unknownKeys = 0
            for (key, use) in sessions.sorted(by: { $0.0 < $1.0 }) {
                switch provenance(of: key, use, tracked: tracked, facts: facts) {
                case .runtime:
                    runtimeKeys += 1
                    runtimeIPs.formUnion(use.ips)
                case .other(let i):
                    let label = i.issuer.description
                    if var g = byIssuer[label] {
                        g.1.merge(use)
                        g.2 += 1
                        if i.evidence < g.0.evidence { g.0 = i }
                        byIssuer[label] = g
                    } else {
                        byIssuer[label] = (i, use, 1)
                    }
                    otherIPs.formUnion(use.ips)
                case .untraced:
                    untraced.merge(use)
                    untracedKeys += 1
                    unknownIPs.formUnion(use.ips)
                case .unknown:
                    unknownKeys += 1
                    unknownIPs.formUnion(use.ips)
                }
            }
            var out: [Finding] = []
            let traced = "\(tracedKeys) of \(sessions.count) session keys traced to their AssumeRole"
            for (label, (issuance, use, keys)) in byIssuer.sorted(by: { $0.key < $1.key }) {
                out.append(Finding(
                    detector: detector.id, severity: .high,
                    principal: role, subject: ["provenance": "other", "issuer": label],
                    firstSeen: use.firstSeen, lastSeen: use.lastSeen, count: use.count, evidence: use.evidence,
                    evidenceTotal: use.count,
                    message: .credentialsIssuedToOther(role: role, issuer: label, calls: use.count, sessions: keys, from: use.ips),
                    details: ["actions": Self.actionSummary(actionNumbers.actionCounts(use)), "issuedBy": [issuance.summary],
                              "comparedAgainst": ["the issuing AssumeRole of each session key (\(traced))"]]))
            }
            if untracedKeys > 0 {
                out.append(Finding(
                    detector: detector.id, severity: .high,
                    principal: role, subject: ["provenance": "untraced"],
                    firstSeen: untraced.firstSeen, lastSeen: untraced.lastSeen, count: untraced.count,
                    evidence: untraced.evidence, evidenceTotal: untraced.count,
                    message: .untracedSessionKeys(role: role, keys: untracedKeys, calls: untraced.count),
                    details: ["actions": Self.actionSummary(actionNumbers.actionCounts(untraced)),
                              "comparedAgainst": ["\(traced); these keys were first used at least \(sessionMs / 3_600_000) h after the window starts, so their AssumeRole would be in it"]]))
            }
            // Networks: addresses of runtime-issued or unknown-provenance keys (the other keys are reported above), and
            // addresses of calls without a session key or beyond a key's address cap (provenance unknown).
            let keyIPs = runtimeIPs.union(unknownIPs).union(otherIPs)
            let known = knownNetworks(role, ips: ips, facts: facts)
            for (ip, stats) in ips.sorted(by: { SessionUse.ipOrder($0.0, $1.0) }) {
                let judged = runtimeIPs.contains(ip) || unknownIPs.contains(ip) || !keyIPs.contains(ip)
                if !judged || known.reason(ip) != nil { continue }
                let fromRuntime = runtimeIPs.contains(ip)
                let severity: Severity = fromRuntime ? .high : .medium
                out.append(Finding(
                    detector: detector.id, severity: severity,
                    principal: role, subject: ["ip": ip.description], tally: stats.tally,
                    message: fromRuntime
                        ? .runtimeCredentialsUsedOutside(role: role, from: ip, calls: stats.tally.count)
                        : .usedFromUnknownAddress(role: role, ip: ip, calls: stats.tally.count),
                    details: ["actions": stats.actionSummary(),
                              "provenance": [fromRuntime ? "issued to the AgentCore runtime (\(runtimeKeys) session keys)" : "unknown: no issuing AssumeRole in the window for \(unknownKeys + untracedKeys) session keys"],
                              "comparedAgainst": known.description]))
            }
            return out
        }

        /// The networks an agent role is known to use.
        struct KnownNetworks {
            var trusted: [CIDR]
            var baseline: PrincipalBaseline?
            var baselineLabel: String
            var ranges: AWSAddressRanges

            func reason(_ ip: IPAddress) -> String? {
                if ip.isPrivateOrLocal { return "private" }
                if trusted.contains(where: { $0.contains(ip) }) { return "trusted" }
                if let b = baseline, b.knows(ip) { return "learned" }
                if ranges.prefix(containing: ip) != nil { return "aws" }
                return nil
            }

            var description: [String] {
                var out = ["private and local addresses (VPC endpoints)"]
                out.append(trusted.isEmpty ? "no trusted CIDRs configured" : "trusted CIDRs: " + EventSignals.list(trusted.map(\.description)))
                out.append(baselineLabel)
                out.append(ranges.isAvailable
                    ? "AWS-owned addresses (ip-ranges.json of \(ranges.createDate ?? "unknown date"), \(ranges.prefixCount) prefixes)"
                    : "AWS-owned addresses: no ip-ranges snapshot available")
                return out
            }
        }

        private func knownNetworks(_ role: String, ips: [(IPAddress, ActionTally)], facts: RunFacts) -> KnownNetworks {
            let trusted = facts.context.config.trustedCIDRs + facts.context.config.rules(for: role).flatMap(\.trustedCIDRs)
                + (facts.context.policyInfo(for: role)?.trustedCIDRs ?? [])
            var baseline: PrincipalBaseline?
            var label: String
            switch BaselineSource.resolve(principal: role, stored: detector.storedBaselines,
                                          principalFirstSeen: roles[HashedString(role)]?.firstSeen, baselineEnd: facts.baselineEnd) {
            case .stored(let b):
                baseline = b
                label = "the role's stored networks (\(b.networks.count) networks, /24 or /48)"
            case .learned(let end):
                let learned = Set(ips.compactMap { ip, s in s.tally.firstSeen.map { $0 < end } == true ? ip : nil })
                baseline = PrincipalBaseline(ips: learned)
                label = "the role's networks before \(end.iso8601) (\(EventSignals.plural(learned.count, "IP")), /24 or /48)"
            case .none:
                label = "no learned networks (window too short or role first seen after the learning period)"
            }
            return KnownNetworks(trusted: trusted, baseline: baseline, baselineLabel: label, ranges: detector.awsRanges)
        }

        private func serviceFindings(_ facts: RunFacts, agent: (HashedString) -> Bool) -> [Finding] {
            var out: [Finding] = []
            var expectedCache: [HashedString: (Set<String>, String)] = [:]
            for (roleID, use) in roles where use.serviceTable.values.contains(where: { $0.counted }) && agent(roleID) {
                let role = roleID.string
                for (service, entry) in zip(use.serviceTable.keys, use.serviceTable.values) where entry.counted {
                    let stats = entry.tally
                    let expected: Set<String>
                    if let e = expectedCache[roleID] { expected = e.0 } else {
                        let e = expectedServices(roleID, facts: facts)
                        expectedCache[roleID] = e
                        expected = e.0
                    }
                    if expected.contains(service.string) { continue }
                    out.append(Finding(
                        detector: detector.id, severity: .high,
                        principal: role, subject: ["service": service.string], tally: stats.tally,
                        message: .unexpectedService(service.string, role: role, calls: stats.tally.count),
                        details: ["actions": stats.actionSummary(), "comparedAgainst": [expectedCache[roleID]!.1]]))
                }
            }
            return out
        }

        /// configured ∪ rules ∪ granted ∪ learned, and a sentence saying so.
        private func expectedServices(_ roleID: HashedString, facts: RunFacts) -> (Set<String>, String) {
            let role = roleID.string
            let config = facts.context.config
            let configured = Set(config.expectedAgentServices).union(config.rules(for: role).flatMap(\.expectedServices))
            let granted = facts.context.policyInfo(for: role)?.grantedServices ?? []
            var learned = Set<String>()
            var learnedLabel = "no learned services"
            switch BaselineSource.resolve(principal: role, stored: detector.storedBaselines,
                                          principalFirstSeen: roles[roleID]?.firstSeen, baselineEnd: facts.baselineEnd) {
            case .stored(let b):
                learned = b.services
                learnedLabel = "stored baseline"
            case .learned(let end):
                for (service, entry) in roles[roleID]?.services ?? [:] {
                    if let first = entry.firstSuccess, first < end { learned.insert(service.string) }
                }
                learnedLabel = "successful calls before \(end.iso8601)"
            case .none:
                break
            }
            var e = configured.union(granted).union(learned)
            for s in e { e.formUnion(AgentRoleOutsideRuntimeDetector.serviceAliases[s] ?? []) }
            func list(_ s: Set<String>) -> String { s.isEmpty ? "none" : s.sorted().joined(separator: ", ") }
            let text = "expected services = configured (\(list(configured))) ∪ granted by its policies (\(facts.context.policyInfo(for: role) == nil ? "no policies given" : list(Set(granted)))) ∪ learned, \(learnedLabel) (\(list(learned)))"
            return (e, text)
        }

        static func actionSummary(_ actions: [ActionTally.Action: Int]) -> [String] {
            var t = ActionTally()
            t.actions = actions
            return t.actionSummary()
        }
    }

    /// IAM prefixes whose eventSource prefix differs.
    static let serviceAliases: [String: [String]] = ["cloudwatch": ["monitoring"], "monitoring": ["cloudwatch"]]
}

fileprivate extension Finding.Message {
    /// The execution role `role` used with `sessions` session keys that an AssumeRole issued to `issuer`, not to the
    /// AgentCore runtime: `calls` calls, from `ips` (the first addresses of those sessions).
    static func credentialsIssuedToOther(role: String, issuer: String, calls: Int, sessions: Int, from ips: [IPAddress]) -> Self {
        Self(title: "AgentCore execution role \(role) used with credentials issued to \(issuer), not to the AgentCore runtime (\(EventSignals.plural(calls, "call")), \(EventSignals.plural(sessions, "session"))\(ips.isEmpty ? "" : " from " + EventSignals.list(ips.map(\.description))))",
             recommendation: "Only the AgentCore runtime should assume this role: confirm who \(issuer) is and why it assumed the execution role, revoke its sessions, and restrict the role's trust policy to bedrock-agentcore.amazonaws.com.")
    }

    /// The execution role `role` used with `keys` session keys that no AssumeRole in the window issued (`calls` calls),
    /// while its other sessions were traced to the runtime.
    static func untracedSessionKeys(role: String, keys: Int, calls: Int) -> Self {
        Self(title: "AgentCore execution role \(role) used with \(EventSignals.plural(keys, "session key")) that no AssumeRole in the window issued (\(EventSignals.plural(calls, "call")))",
             recommendation: "The role's other sessions were issued to the AgentCore runtime; find where these credentials came from (an AssumeRole in a region or account not in this archive, or a stolen session) and revoke them if unexplained.")
    }

    /// Credentials the runtime got for `role` used from `ip`, a public address outside AWS and the role's networks.
    static func runtimeCredentialsUsedOutside(role: String, from ip: IPAddress, calls: Int) -> Self {
        Self(title: "AgentCore execution role \(role): credentials issued to the AgentCore runtime used from \(ip), a public address outside AWS and outside the role's networks (\(EventSignals.plural(calls, "call")))",
             recommendation: "The runtime runs inside AWS; its credentials used from elsewhere were exfiltrated (prompt injection, SSRF, leaked logs): revoke the role's active sessions and investigate the agent.")
    }

    /// `role` used from `ip`, a public address outside AWS and the role's networks, by credentials of unknown origin.
    static func usedFromUnknownAddress(role: String, ip: IPAddress, calls: Int) -> Self {
        Self(title: "AgentCore execution role \(role) used from \(ip), a public address outside AWS and outside the role's networks; credential provenance unknown (\(EventSignals.plural(calls, "call")))",
             recommendation: "Find who used the role from this address; if it is an expected network, add it to trustedCIDRs for the role, otherwise revoke the role's sessions.")
    }

    /// The execution role `role` made `calls` calls to `service`, not among its expected services.
    static func unexpectedService(_ service: String, role: String, calls: Int) -> Self {
        Self(title: "AgentCore execution role \(role) called unexpected service \(service) (\(calls) calls)",
             recommendation: "Check whether the agent should call \(service); if so grant it or add it to expectedServices for this role, otherwise remove the permission and investigate the agent (prompt injection, stolen credentials).")
    }
}

extension AgentRoleOutsideRuntimeDetector.Accumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        typealias D = AgentRoleOutsideRuntimeDetector
        var c = encoder.partialContainer()
        // (The same keys and shapes as when these were kept flat, keyed by role and address, service or session.)
        var ips: [D.IPKey: ActionTally] = [:], services: [D.ServiceKey: ActionTally] = [:]
        var sessions: [D.SessionKey: CodedSessionUse] = [:]
        var roleFirstSeen = FirstSeenMap<HashedString>(), serviceFirstSuccess = FirstSeenMap<D.ServiceKey>()
        for (role, use) in roles {
            roleFirstSeen.note(role, use.firstSeen)
            for (ip, v) in use.ips { ips[D.IPKey(role: role, ip: ip)] = v }
            for (service, entry) in use.services {
                let key = D.ServiceKey(role: role, service: service)
                if entry.counted { services[key] = entry.tally }
                serviceFirstSuccess.note(key, entry.firstSuccess)
            }
            for (key, s) in use.sessions {
                sessions[D.SessionKey(role: role, accessKey: key)] = CodedSessionUse(
                    count: s.count, firstSeen: s.firstSeen, lastSeen: s.lastSeen, evidence: s.evidence,
                    actions: actionNumbers.actionCounts(s), ips: s.ips, moreIPs: s.moreIPs)
            }
        }
        try c.put(ips, "ips")
        try c.put(services, "services")
        try c.put(sessions, "sessions")
        try c.put(issued, "issued")
        try c.put(roleFirstSeen, "roleFirstSeen")
        try c.put(serviceFirstSuccess, "serviceFirstSuccess")
    }

    func decodePartial(from decoder: any Decoder) throws {
        typealias D = AgentRoleOutsideRuntimeDetector
        let c = try decoder.partialContainer()
        let ips: [D.IPKey: ActionTally] = try c.get("ips")
        let services: [D.ServiceKey: ActionTally] = try c.get("services")
        let coded: [AgentRoleOutsideRuntimeDetector.SessionKey: CodedSessionUse] = try c.get("sessions")
        var numbers = AgentRoleOutsideRuntimeDetector.ActionNumbers()
        let sessions = coded.mapValues { stored in
            var use = AgentRoleOutsideRuntimeDetector.SessionUse()
            use.count = stored.count
            use.firstSeen = stored.firstSeen
            use.lastSeen = stored.lastSeen
            use.evidence = stored.evidence
            for (action, n) in stored.actions.sorted(by: { $0.key.label < $1.key.label }) {
                use.addAction(numbers.number(action), UInt64(clamping: n))
            }
            use.ips = stored.ips
            use.moreIPs = stored.moreIPs
            return use
        }
        actionNumbers = numbers
        issued = try c.get("issued")
        let roleFirstSeen: FirstSeenMap<HashedString> = try c.get("roleFirstSeen")
        let serviceFirstSuccess: FirstSeenMap<D.ServiceKey> = try c.get("serviceFirstSuccess")
        var roles: [HashedString: D.RoleUse] = [:]
        func use(_ role: HashedString) -> D.RoleUse {
            if let u = roles[role] { return u }
            let u = D.RoleUse()
            roles[role] = u
            return u
        }
        for (k, v) in ips { use(k.role).mergeIP(k.ip, v) }
        for (k, v) in services { use(k.role).updateService(k.service) { $0.tally = v; $0.counted = true } }
        for (k, v) in sessions { use(k.role).mergeSession(k.accessKey, v) }
        for (role, t) in roleFirstSeen.values { use(role).firstSeen = t }
        for (k, t) in serviceFirstSuccess.values { use(k.role).updateService(k.service) { $0.noteSuccess(t) } }
        self.roles = roles
        memo.removeAll()
    }
}

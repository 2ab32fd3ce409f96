/// One worker's byte-level view of records before decoding: the eventSource, the principal key and the
/// `AnalysisScope` decision, computed from the raw bytes of the peeked fields with per-worker memo tables
/// (`SpanTable`), so that the values repeated across records are decoded, classified and hashed into sets once.
///
/// Every answer equals what the `String`-based code gives (`AnalysisScope.wants`, `Principal.identityKey`,
/// `PeekedFields.eventSource`): each memo entry is computed by that code from the first occurrence of the exact
/// raw bytes. Not thread-safe; one per worker.
final class RecordTriage {
    /// An eventSource seen by this worker.
    struct Source {
        var name: String
        /// In `AnalysisScope.alwaysSources`.
        var always: Bool
        /// `name` classified once per distinct source.
        var known: KnownEventSource
        var isBedrockOrAgentCore: Bool { known.isBedrock || known == .agentCore }
        var isSTS: Bool { known == .sts }
    }

    /// Which memo table a principal key came from.
    enum PrincipalMemo: UInt8 {
        /// Not memoised (no issuer or ARN, or the table is full): every question about it is answered afresh.
        case none
        /// The session issuer table (`issuers`), by issuer ARN bytes.
        case issuer
        /// The principal ARN table (`arns`).
        case arn
        /// The whole-`userIdentity` table (`identities`), for identities with neither issuer nor ARN (AWS services).
        case identity
    }

    /// A principal key with where it is memoised.
    struct PrincipalRef {
        var key: String? { hashed?.string }
        /// The key with its hash (memoised with the key: hashed once per distinct principal and worker).
        var hashed: HashedString?
        var memo: PrincipalMemo
        var id: Int

        /// A number for the principal, one key per number for the worker's life (entries of the memo tables are
        /// never replaced); -1 when it is not memoised.
        var slot: Int { memo == .none || id < 0 ? -1 : Int(memo.rawValue) << 28 | id }
    }

    /// What is known of a session issuer ARN (per distinct raw bytes).
    struct Issuer {
        var key: HashedString
        var serviceLinked: Bool
        /// Whether the issuer matches a known principal pattern; nil when the value is not a string (the scope
        /// rule then reads the principal ARN).
        var matchesKnownPrincipal: Bool?
    }

    /// The sets a principal is recorded in once per worker (bits of `issuerSeen` / `arnSeen`).
    struct Seen: OptionSet {
        let rawValue: UInt8
        static let summary = Seen(rawValue: 1)
        static let bedrock = Seen(rawValue: 2)
    }

    /// What the decoded record's action is and what its name says, for `ObservedRecord` (per source and event name).
    struct ActionInfo {
        var action: ActionTally.Action
        var invokeName: Bool
        var writeName: Bool
        /// `CallClassifier.isInvocation`.
        var invocation: Bool
        /// The action's number in this worker's table (`ObservedRecord.actionID`); -1 when it has none.
        var id: Int32 = -1
    }

    let scope: AnalysisScope
    private(set) var sources = SpanTable<Source>()
    private var actions = SpanTable<ActionInfo>()
    /// Records counted per source id since the last `flush`.
    private var sourceCounts: [Int] = []
    private var issuers = SpanTable<Issuer>()
    private var arns = SpanTable<HashedString>()
    /// `userIdentity.type` as the scope rule reads it.
    private var types = SpanTable<AnalysisScope.IdentityKind>()
    /// invokedBy is nil or the AgentCore service principal.
    private var invokedByAllowed = SpanTable<Bool>()
    /// Per principal ARN bytes: matches a known principal pattern (the scope rule, when there is no issuer string).
    private var arnMatches = SpanTable<Bool>()
    /// Per memo entry: the principal sets it was already inserted into.
    private var issuerSeen: [Seen] = []
    private var arnSeen: [Seen] = []
    private var identitySeen: [Seen] = []
    /// Principal keys of identities without issuer or ARN, by the `userIdentity` object's bytes.
    private var identityKeys = SpanTable<HashedString?>()
    /// The decoder's memo of whole `userIdentity` objects (the worker's): each entry's tag says where its principal
    /// key is memoised here (`principalTag`), so a repeated identity costs two array reads.
    private let identityMemo: IdentityMemo?

    init(scope: AnalysisScope, identityMemo: IdentityMemo? = nil) {
        self.scope = scope
        self.identityMemo = identityMemo
    }

    /// The source entry of a record (its id, -1 when the memo is full).
    @inline(__always)
    func source(_ peek: PeekedFields) -> (id: Int, source: Source) {
        let span = peek.fields.eventSource
        guard span.isSet else { return (-1, RecordTriage.makeSource(peek.eventSource)) }
        let r = sources.lookup(peek.p, span.start, span.end) { RecordTriage.makeSource(peek.eventSource) }
        if r.isNew && r.id >= 0 { sourceCounts.append(0) }
        return (r.id, r.value)
    }

    /// The action of a record that will be decoded: memoised per (source id, raw eventName bytes).
    @inline(__always)
    func action(_ peek: PeekedFields, sourceID: Int, source: Source) -> ActionInfo {
        let span = peek.fields.eventName
        guard span.isSet, sourceID >= 0 else { return RecordTriage.actionInfo(source.name, peek.eventName) }
        // Keyed by the event name's bytes within its source: the source id is the table's tag.
        let found = actions.lookup(peek.p, span.start, span.end, tag: UInt64(sourceID) &+ 1) {
            RecordTriage.actionInfo(source.name, peek.eventName)
        }
        var info = found.value
        // (The table is never emptied, so an entry keeps its id for the worker's life; -1 when it was full.)
        info.id = Int32(truncatingIfNeeded: found.id)
        return info
    }

    /// What an action's source and event name say (the part of `ObservedRecord.flags` that depends on nothing else).
    static func actionInfo(_ source: String, _ name: String) -> ActionInfo {
        ActionInfo(action: ActionTally.Action(eventSource: source, eventName: name),
                   invokeName: CallClassifier.isInvokeName(name), writeName: CallClassifier.isWriteName(name),
                   invocation: CallClassifier.isInvocation(CloudTrailRecord(eventSource: source, eventName: name)))
    }

    private static func makeSource(_ name: String) -> Source {
        Source(name: name, always: AnalysisScope.alwaysSources.contains(name), known: KnownEventSource(name))
    }

    /// `Principal.identityKey` of the record's `userIdentity` (scanned into `identity`). When the decoder found the
    /// object in its `IdentityMemo`, the entry's tag leads to the answer memoised for those same bytes.
    @inline(__always)
    func principal(_ peek: PeekedFields, _ identity: IdentityFields) -> PrincipalRef {
        let memoID = peek.identityMemoID
        guard memoID >= 0, let identityMemo else { return computePrincipal(peek, identity) }
        let tag = identityMemo.tag(memoID)
        if tag >= 0 { return ref(fromTag: tag) }
        let ref = computePrincipal(peek, identity)
        if ref.memo != .none { identityMemo.setTag(memoID, Int32(ref.memo.rawValue) << 28 | Int32(ref.id)) }
        return ref
    }

    @inline(__always)
    private func ref(fromTag tag: Int32) -> PrincipalRef {
        let id = Int(tag & 0x0FFF_FFFF)
        switch PrincipalMemo(rawValue: UInt8(tag >> 28)) ?? .none {
        case .issuer: return PrincipalRef(hashed: issuers.values[id].key, memo: .issuer, id: id)
        case .arn: return PrincipalRef(hashed: arns.values[id], memo: .arn, id: id)
        case .identity: return PrincipalRef(hashed: identityKeys.values[id], memo: .identity, id: id)
        case .none: preconditionFailure("bad principal tag \(tag)")
        }
    }

    private func computePrincipal(_ peek: PeekedFields, _ identity: IdentityFields) -> PrincipalRef {
        let p = peek.p
        if SpanValue.isPresent(p, identity.issuerArn) {
            let s = identity.issuerArn
            let r = issuers.lookup(p, s.start, s.end) { makeIssuer(SpanValue.string(p, s)) }
            if r.id >= 0 && r.isNew { issuerSeen.append([]) }
            return PrincipalRef(hashed: r.value.key, memo: r.id >= 0 ? .issuer : .none, id: r.id)
        }
        if SpanValue.isPresent(p, identity.arn) {
            let s = identity.arn
            let r = arns.lookup(p, s.start, s.end) {
                let arn = SpanValue.string(p, s) ?? ""
                return HashedString(Principal(arn: arn).identityKey ?? arn)
            }
            if r.id >= 0 && r.isNew { arnSeen.append([]) }
            return PrincipalRef(hashed: r.value, memo: r.id >= 0 ? .arn : .none, id: r.id)
        }
        func key() -> HashedString? {
            let u = PeekedIdentity(p: p, fields: identity)
            return Principal(type: u.type, arn: u.arn, accountId: u.accountId, sessionIssuerArn: u.sessionIssuerArn,
                             invokedBy: u.invokedBy).identityKey.map(HashedString.init)
        }
        // (The key depends only on the object's bytes: memoised by them.)
        let s = peek.fields.userIdentity
        guard s.isSet else { return PrincipalRef(hashed: key(), memo: .none, id: -1) }
        let r = identityKeys.lookup(p, s.start, s.end, key)
        if r.id >= 0 && r.isNew { identitySeen.append([]) }
        return PrincipalRef(hashed: r.value, memo: r.id >= 0 ? .identity : .none, id: r.id)
    }

    /// (An issuer that is empty or not a string keys as "" and is never service-linked.)
    private func makeIssuer(_ text: String?) -> Issuer {
        let t = text ?? ""
        return Issuer(key: HashedString(t), serviceLinked: t.contains(":role/aws-service-role/"),
                      matchesKnownPrincipal: text.map { scope.matchesKnownPrincipal($0) })
    }

    /// `AnalysisScope.wants(peek)`, with the identity already scanned: the same rule over the raw bytes, every
    /// fact memoised per distinct value (principal patterns per issuer or ARN).
    @inline(__always)
    func wants(_ peek: PeekedFields, _ identity: IdentityFields, source: Source) -> Bool {
        var facts = ByteScopeFacts(triage: Unmanaged.passUnretained(self), peek: peek, identity: identity, source: source)
        let memoID = peek.identityMemoID
        guard memoID >= 0, let identityMemo else { return scope.wants(&facts) }
        // The same rule with its `userIdentity` facts kept per distinct object in the decoder's memo (`scopeBits`:
        // 1 known, 2 Root, 4 the identity part says decode), so a repeated identity costs an array read, not three or
        // four table lookups. wants = everything ∨ always-decoded source ∨ Root ∨ denied ∨ identity part.
        if scope.everything || source.always { return true }
        var bits = identityMemo.scopeBits(memoID)
        if bits == 0 {
            let kind = facts.identityKind()
            let root = kind == .root
            let part = !root && scope.identityPart(kind, &facts)
            bits = 1 | (root ? 2 : 0) | (part ? 4 : 0)
            identityMemo.setScopeBits(memoID, bits)
        }
        if bits & 6 != 0 { return true }
        return facts.isDenied()
    }

    /// The scope rule's facts from raw bytes (see `AnalysisScope.wants`).
    struct ByteScopeFacts: ScopeFacts {
        /// (Not counted: the facts live only inside `wants`, a method of `triage`. As `unowned`, each use took and
        /// dropped a strong reference, and the facts' destruction an unowned one: ~95 instructions a record; as
        /// `unowned(unsafe)`, each memo lookup still retained and released it, ~80 instructions a record. Used through
        /// `_withUnsafeGuaranteedRef`, nothing is counted.)
        let triage: Unmanaged<RecordTriage>
        let peek: PeekedFields
        let identity: IdentityFields
        let source: Source

        @inline(__always) func isAlwaysDecodedSource() -> Bool { source.always }

        @inline(__always) func identityKind() -> AnalysisScope.IdentityKind {
            guard identity.type.isSet else { return .other }
            let p = peek.p, s = identity.type
            return triage._withUnsafeGuaranteedRef { triage in
                triage.types.lookup(p, s.start, s.end) {
                    switch SpanValue.string(p, s) {
                    case "Root": return .root
                    case "AssumedRole": return .assumedRole
                    default: return .other
                    }
                }.value
            }
        }

        @inline(__always) func isDenied() -> Bool {
            guard peek.fields.errorCode.isSet, let code = peek.errorCode else { return false }
            return CloudTrailRecord.isDenialCode(code, message: peek.errorMessage)
        }

        @inline(__always) func issuerIsServiceLinked() -> Bool {
            let p = peek.p, s = identity.issuerArn
            guard s.isSet, SpanValue.isPresent(p, s) else { return false }
            return triage._withUnsafeGuaranteedRef { triage in
                triage.issuers.lookup(p, s.start, s.end, { triage.makeIssuer(SpanValue.string(p, s)) }).value.serviceLinked
            }
        }

        @inline(__always) func invokedByAllowsRoleCall() -> Bool {
            let p = peek.p, s = identity.invokedBy
            if !s.isSet { return true }
            return triage._withUnsafeGuaranteedRef { triage in
                triage.invokedByAllowed.lookup(p, s.start, s.end) {
                    let via = SpanValue.string(p, s)
                    return via == nil || via == AgentRoleDiscovery.servicePrincipal
                }.value
            }
        }

        func matchesKnownPrincipal() -> Bool {
            triage._withUnsafeGuaranteedRef { matchesKnownPrincipal($0) }
        }

        private func matchesKnownPrincipal(_ triage: RecordTriage) -> Bool {
            let p = peek.p
            let s = identity.issuerArn
            // (An empty issuer string is still the issuer: the rule reads `sessionIssuerArn ?? arn`.)
            if s.isSet, let known = triage.issuers.lookup(p, s.start, s.end, { triage.makeIssuer(SpanValue.string(p, s)) }).value.matchesKnownPrincipal {
                return known
            }
            let a = identity.arn
            guard a.isSet, SpanValue.isPresent(p, a) else { return false }
            return triage.arnMatches.lookup(p, a.start, a.end) {
                SpanValue.string(p, a).map { triage.scope.matchesKnownPrincipal($0) } ?? false
            }.value
        }
    }

    /// True the first time this principal reaches the summary's principal set (always true when not memoised).
    @inline(__always)
    func firstForSummary(_ ref: PrincipalRef) -> Bool { mark(ref, .summary) }

    /// True the first time this principal is seen calling Bedrock or AgentCore (always true when not memoised).
    @inline(__always)
    func firstForBedrock(_ ref: PrincipalRef) -> Bool { mark(ref, .bedrock) }

    @inline(__always)
    private func mark(_ ref: PrincipalRef, _ set: Seen) -> Bool {
        switch ref.memo {
        case .issuer:
            if issuerSeen[ref.id].contains(set) { return false }
            issuerSeen[ref.id].insert(set)
        case .arn:
            if arnSeen[ref.id].contains(set) { return false }
            arnSeen[ref.id].insert(set)
        case .identity:
            if identitySeen[ref.id].contains(set) { return false }
            identitySeen[ref.id].insert(set)
        case .none:
            break
        }
        return true
    }

    /// Counts a record under its source id (id -1: count straight into `summary`).
    @inline(__always)
    func countSource(_ id: Int, _ source: Source, into summary: inout ScanSummary) {
        if id >= 0 {
            sourceCounts[id] &+= 1
        } else {
            summary.byEventSource[source.name, default: 0] += 1
            summary.countBedrockOrAgentCore(source.known, 1)
        }
    }

    /// Moves the per-source counts into `summary` (`byEventSource`, `bedrock`, `agentcore`).
    func flush(into summary: inout ScanSummary) {
        let values = sources.values
        for id in sourceCounts.indices where sourceCounts[id] > 0 {
            let n = sourceCounts[id]
            let name = values[id].name
            summary.byEventSource[name, default: 0] += n
            summary.countBedrockOrAgentCore(values[id].known, n)
            sourceCounts[id] = 0
        }
    }
}

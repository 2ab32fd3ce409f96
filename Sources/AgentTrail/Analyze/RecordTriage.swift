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
        var isBedrockOrAgentCore: Bool
        var isSTS: Bool
    }

    /// A principal key with where it is memoised (`table` 0: none, 1: issuer ARN, 2: ARN).
    struct PrincipalRef {
        var key: String? { hashed?.string }
        /// The key with its hash (memoised with the key: hashed once per distinct principal and worker).
        var hashed: HashedString?
        var table: UInt8
        var id: Int
    }

    struct Issuer {
        var key: HashedString
        var serviceLinked: Bool
    }

    /// What the decoded record's action is and what its name says, for `ObservedRecord` (per source and event name).
    struct ActionInfo {
        var action: ActionTally.Action
        var invokeName: Bool
        var writeName: Bool
        /// `CallClassifier.isInvocation`.
        var invocation: Bool
    }

    let scope: AnalysisScope
    private(set) var sources = SpanTable<Source>()
    private var actions = SpanTable<ActionInfo>()
    /// Records counted per source id since the last `flush`.
    private var sourceCounts: [Int] = []
    private var issuers = SpanTable<Issuer>()
    private var arns = SpanTable<HashedString>()
    /// 1 Root, 2 AssumedRole, 0 anything else (or missing).
    private var types = SpanTable<UInt8>()
    /// invokedBy is nil or the AgentCore service principal.
    private var invokedByAllowed = SpanTable<Bool>()
    /// Per memo entry: already inserted into the summary's principal set / the Bedrock principal set.
    private var issuerSeen: [UInt8] = []
    private var arnSeen: [UInt8] = []

    init(scope: AnalysisScope) { self.scope = scope }

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
        return actions.lookup(peek.p, span.start, span.end, tag: UInt64(sourceID) &+ 1) {
            RecordTriage.actionInfo(source.name, peek.eventName)
        }.value
    }

    /// What an action's source and event name say (the part of `ObservedRecord.flags` that depends on nothing else).
    static func actionInfo(_ source: String, _ name: String) -> ActionInfo {
        ActionInfo(action: ActionTally.Action(eventSource: source, eventName: name),
                   invokeName: CallClassifier.isInvokeName(name), writeName: CallClassifier.isWriteName(name),
                   invocation: CallClassifier.isInvocation(CloudTrailRecord(eventSource: source, eventName: name)))
    }

    private static func makeSource(_ name: String) -> Source {
        Source(name: name, always: AnalysisScope.alwaysSources.contains(name),
               isBedrockOrAgentCore: CloudTrailRecord.isBedrockSource(name) || name == "bedrock-agentcore.amazonaws.com",
               isSTS: name == "sts.amazonaws.com")
    }

    /// Principal refs by `IdentityMemo` id, for the memo generation `memoGeneration` (see `principal`).
    private var memoRefs: [PrincipalRef?] = []
    private var memoGeneration = -1

    /// `Principal.identityKey` of the record's `userIdentity` (scanned into `identity`). When the decoder found the
    /// object in its `IdentityMemo`, the answer for those same bytes is reused.
    @inline(__always)
    func principal(_ peek: PeekedFields, _ identity: IdentityFields) -> PrincipalRef {
        let key = peek.identityMemoKey
        guard key.id >= 0 else { return computePrincipal(peek, identity) }
        if key.generation != memoGeneration {
            memoRefs.removeAll(keepingCapacity: true)
            memoGeneration = key.generation
        }
        if key.id < memoRefs.count, let known = memoRefs[key.id] { return known }
        let ref = computePrincipal(peek, identity)
        if key.id >= memoRefs.count { memoRefs.append(contentsOf: repeatElement(nil, count: key.id - memoRefs.count + 1)) }
        memoRefs[key.id] = ref
        return ref
    }

    private func computePrincipal(_ peek: PeekedFields, _ identity: IdentityFields) -> PrincipalRef {
        let p = peek.p
        if SpanValue.isPresent(p, identity.issuerArn) {
            let s = identity.issuerArn
            let r = issuers.lookup(p, s.start, s.end) { makeIssuer(SpanValue.string(p, s) ?? "") }
            if r.id >= 0 && r.isNew { issuerSeen.append(0) }
            return PrincipalRef(hashed: r.value.key, table: r.id >= 0 ? 1 : 0, id: r.id)
        }
        if SpanValue.isPresent(p, identity.arn) {
            let s = identity.arn
            let r = arns.lookup(p, s.start, s.end) {
                let arn = SpanValue.string(p, s) ?? ""
                return HashedString(Principal(arn: arn).identityKey ?? arn)
            }
            if r.id >= 0 && r.isNew { arnSeen.append(0) }
            return PrincipalRef(hashed: r.value, table: r.id >= 0 ? 2 : 0, id: r.id)
        }
        let u = PeekedIdentity(p: p, fields: identity)
        let key = Principal(type: u.type, arn: u.arn, accountId: u.accountId, sessionIssuerArn: u.sessionIssuerArn,
                            invokedBy: u.invokedBy).identityKey
        return PrincipalRef(hashed: key.map(HashedString.init), table: 0, id: -1)
    }

    private func makeIssuer(_ text: String) -> Issuer {
        Issuer(key: HashedString(text), serviceLinked: text.contains(":role/aws-service-role/"))
    }

    /// `AnalysisScope.wants(peek)`, with the identity already scanned.
    @inline(__always)
    func wants(_ peek: PeekedFields, _ identity: IdentityFields, source: Source) -> Bool {
        if scope.everything { return true }
        if !scope.knownPrincipalPatterns.isEmpty { return scope.wants(peek) }
        if source.always { return true }
        let p = peek.p
        var type: UInt8 = 0
        if identity.type.isSet {
            let s = identity.type
            type = types.lookup(p, s.start, s.end) {
                switch SpanValue.string(p, s) {
                case "Root": return 1
                case "AssumedRole": return 2
                default: return 0
                }
            }.value
        }
        if type == 1 { return true }
        if peek.fields.errorCode.isSet, let code = peek.errorCode,
           CloudTrailRecord.isDenialCode(code, message: peek.errorMessage) { return true }
        if type == 2 {
            if identity.issuerArn.isSet {
                let s = identity.issuerArn
                // (an empty or non-string issuer decodes to "" or nil: never service-linked)
                if SpanValue.isPresent(p, s),
                   issuers.lookup(p, s.start, s.end, { makeIssuer(SpanValue.string(p, s) ?? "") }).value.serviceLinked {
                    return false
                }
            }
            let s = identity.invokedBy
            if !s.isSet { return true }
            return invokedByAllowed.lookup(p, s.start, s.end) {
                let via = SpanValue.string(p, s)
                return via == nil || via == AgentRoleDiscovery.servicePrincipal
            }.value
        }
        return false
    }

    /// True the first time this principal reaches the summary's principal set (always true when not memoised).
    @inline(__always)
    func firstForSummary(_ ref: PrincipalRef) -> Bool { mark(ref, bit: 1) }

    /// True the first time this principal is seen calling Bedrock or AgentCore (always true when not memoised).
    @inline(__always)
    func firstForBedrock(_ ref: PrincipalRef) -> Bool { mark(ref, bit: 2) }

    @inline(__always)
    private func mark(_ ref: PrincipalRef, bit: UInt8) -> Bool {
        switch ref.table {
        case 1:
            if issuerSeen[ref.id] & bit != 0 { return false }
            issuerSeen[ref.id] |= bit
        case 2:
            if arnSeen[ref.id] & bit != 0 { return false }
            arnSeen[ref.id] |= bit
        default:
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
            if CloudTrailRecord.isBedrockSource(source.name) { summary.bedrock += 1 }
            else if source.name == "bedrock-agentcore.amazonaws.com" { summary.agentcore += 1 }
        }
    }

    /// Moves the per-source counts into `summary` (`byEventSource`, `bedrock`, `agentcore`).
    func flush(into summary: inout ScanSummary) {
        let values = sources.values
        for id in sourceCounts.indices where sourceCounts[id] > 0 {
            let n = sourceCounts[id]
            let name = values[id].name
            summary.byEventSource[name, default: 0] += n
            if CloudTrailRecord.isBedrockSource(name) { summary.bedrock += n }
            else if name == "bedrock-agentcore.amazonaws.com" { summary.agentcore += n }
            sourceCounts[id] = 0
        }
    }
}

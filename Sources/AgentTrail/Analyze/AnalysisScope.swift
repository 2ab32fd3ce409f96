/// Which records are decoded in full for analysis; everything else is only counted from its peeked fields.
///
/// Kept: every Bedrock and AgentCore call by anyone; the sources the account-level detectors need
/// (cloudtrail, signin, sts); anything by Root; access-denied calls; every call by a role session that is not
/// a service-linked role (AgentCore execution roles are only known once their `AssumeRole` by
/// `bedrock-agentcore.amazonaws.com` has been seen, possibly in another file, so role calls are kept and
/// detectors scope their findings with `RunFacts.isInScope`); and calls by principals named in the config or
/// the policies.
public struct AnalysisScope: Sendable {
    /// Event sources always decoded.
    public static let alwaysSources: Set<String> = [
        "bedrock.amazonaws.com", CloudTrailRecord.bedrockMantleSource, "bedrock-agentcore.amazonaws.com", "cloudtrail.amazonaws.com",
        "signin.amazonaws.com", "sts.amazonaws.com",
    ]

    /// Principal ARNs (or patterns) that are of interest from the start: policy principals and config rules.
    public var knownPrincipalPatterns: [String]
    /// When true every record is decoded (used by `events`, `review` and tests).
    public var everything: Bool

    public init(knownPrincipalPatterns: [String] = [], everything: Bool = false) {
        self.knownPrincipalPatterns = knownPrincipalPatterns
        self.everything = everything
    }

    /// The kinds of `userIdentity.type` the rule tells apart.
    enum IdentityKind: UInt8 {
        case other, root, assumedRole
    }

    /// The scope rule, written once: `wants(peek)` evaluates it over decoded strings, `RecordTriage` over the raw
    /// bytes with per-worker memo tables. Each fact is asked for only when the rule reaches it.
    @inline(__always)
    func wants<F: ScopeFacts>(_ facts: inout F) -> Bool {
        if everything { return true }
        if facts.isAlwaysDecodedSource() { return true }
        let kind = facts.identityKind()
        if kind == .root { return true }
        if facts.isDenied() { return true }
        return identityPart(kind, &facts)
    }

    /// The rule's last part, for a caller that is not Root and a call that was not denied: it reads only the
    /// `userIdentity` (so `wants` = always-decoded source ∨ Root ∨ denied ∨ this; `RecordTriage` keeps it per
    /// distinct `userIdentity`).
    @inline(__always)
    func identityPart<F: ScopeFacts>(_ kind: IdentityKind, _ facts: inout F) -> Bool {
        if kind == .assumedRole {
            // Service-linked roles act for AWS services, never for an agent or a person.
            if facts.issuerIsServiceLinked() { return false }
            // Calls a service made on the role's behalf (other than AgentCore's) are the service's.
            if facts.invokedByAllowsRoleCall() { return true }
        }
        return !knownPrincipalPatterns.isEmpty && facts.matchesKnownPrincipal()
    }

    /// True when the principal key `arn` (a session issuer or principal ARN) matches a known principal pattern.
    func matchesKnownPrincipal(_ arn: String) -> Bool {
        knownPrincipalPatterns.contains { PrincipalPattern.matches($0, arn) }
    }

    /// Decides from peeked fields whether a record is decoded (the rule over decoded strings).
    public func wants(_ peek: PeekedFields) -> Bool {
        var facts = StringScopeFacts(peek: peek, identity: peek.userIdentity, scope: self)
        return wants(&facts)
    }
}

/// What the scope rule reads about a record, in the order it reads it.
protocol ScopeFacts {
    /// The eventSource is one of `AnalysisScope.alwaysSources`.
    mutating func isAlwaysDecodedSource() -> Bool
    mutating func identityKind() -> AnalysisScope.IdentityKind
    /// The call was denied (`CloudTrailRecord.isDenialCode`).
    mutating func isDenied() -> Bool
    /// The session issuer is a service-linked role (`:role/aws-service-role/`).
    mutating func issuerIsServiceLinked() -> Bool
    /// `invokedBy` is absent or AgentCore's service principal.
    mutating func invokedByAllowsRoleCall() -> Bool
    /// The session issuer ARN, else the principal ARN, matches a known principal pattern.
    mutating func matchesKnownPrincipal() -> Bool
}

/// The rule's facts from decoded strings.
struct StringScopeFacts: ScopeFacts {
    let peek: PeekedFields
    let identity: PeekedIdentity
    let scope: AnalysisScope

    func isAlwaysDecodedSource() -> Bool { AnalysisScope.alwaysSources.contains { peek.eventSourceIs($0) } }
    func identityKind() -> AnalysisScope.IdentityKind {
        switch identity.type {
        case "Root": return .root
        case "AssumedRole": return .assumedRole
        default: return .other
        }
    }
    func isDenied() -> Bool {
        guard let code = peek.errorCode else { return false }
        return CloudTrailRecord.isDenialCode(code, message: peek.errorMessage)
    }
    func issuerIsServiceLinked() -> Bool { identity.sessionIssuerArn?.contains(":role/aws-service-role/") ?? false }
    func invokedByAllowsRoleCall() -> Bool {
        let via = identity.invokedBy
        return via == nil || via == AgentRoleDiscovery.servicePrincipal
    }
    func matchesKnownPrincipal() -> Bool {
        guard let arn = identity.sessionIssuerArn ?? identity.arn else { return false }
        return scope.matchesKnownPrincipal(arn)
    }
}

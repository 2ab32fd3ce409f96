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

    /// Decides from peeked fields whether a record is decoded.
    public func wants(_ peek: PeekedFields) -> Bool {
        if everything { return true }
        for s in AnalysisScope.alwaysSources where peek.eventSourceIs(s) { return true }
        let identity = peek.userIdentity
        let type = identity.type
        if type == "Root" { return true }
        if let code = peek.errorCode, CloudTrailRecord.isDenialCode(code, message: peek.errorMessage) { return true }
        if type == "AssumedRole" {
            if let issuer = identity.sessionIssuerArn, issuer.contains(":role/aws-service-role/") { return false }
            let via = identity.invokedBy
            if via == nil || via == AgentRoleDiscovery.servicePrincipal { return true }
        }
        if !knownPrincipalPatterns.isEmpty, let arn = identity.sessionIssuerArn ?? identity.arn {
            for p in knownPrincipalPatterns where PrincipalPattern.matches(p, arn) { return true }
        }
        return false
    }
}

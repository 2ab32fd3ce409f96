/// The policy documents that apply to one principal (inline + attached managed default versions;
/// for users also their groups' policies).
public struct PolicySet: Sendable {
    public var documents: [PolicyDocument]

    public init(_ documents: [PolicyDocument] = []) { self.documents = documents }

    /// Every (document, statement) pair, in order.
    public var statements: [(document: PolicyDocument, statement: Statement)] {
        documents.flatMap { doc in doc.statements.map { (doc, $0) } }
    }

    /// The same documents with each statement that repeats an earlier one (same effect, `Action`/`NotAction`,
    /// `Resource`/`NotResource`, conditions and principal presence, in any document) left out: what the statements
    /// grant and deny is unchanged, only which statements say it. A principal's set often holds a policy twice (a
    /// role file and the account's authorization details, a managed policy attached to a user and to its group), and
    /// a repeated `NotAction` statement made the effective grants walk the whole catalogue twice.
    public var withoutRepeatedStatements: PolicySet {
        var seen = Set<StatementContent>()
        var out = self
        for d in out.documents.indices {
            out.documents[d].statements.removeAll { !seen.insert(StatementContent($0)).inserted }
        }
        return out
    }

    /// What a statement says, without where it is.
    private struct StatementContent: Hashable {
        var effect: Effect
        var action: ActionSpec
        var resource: ResourceSpec
        var conditions: [ConditionClause]
        var hasPrincipal: Bool

        init(_ s: Statement) {
            (effect, action, resource, conditions, hasPrincipal) = (s.effect, s.action, s.resource, s.conditions, s.hasPrincipal)
        }
    }
}

/// A role, user or group and its policies.
public struct PrincipalPolicies: Sendable {
    public enum Kind: String, Sendable, Codable { case role, user, group }

    public var kind: Kind
    /// Name (`MyAgentRole`).
    public var name: String
    /// Full ARN with IAM path (`arn:aws:iam::123:role/service-role/MyAgentRole`); nil when only the name is known
    /// (plain policy files associated by file name).
    public var arn: String?
    /// IAM path (`/service-role/`); nil when unknown.
    public var path: String?
    public var policies: PolicySet
    /// The role's trust policy, when known.
    public var trustPolicy: PolicyDocument?

    public init(kind: Kind, name: String, arn: String? = nil, path: String? = nil, policies: PolicySet = PolicySet(),
                trustPolicy: PolicyDocument? = nil) {
        self.kind = kind
        self.name = name
        self.arn = arn
        self.path = path
        self.policies = policies
        self.trustPolicy = trustPolicy
    }

    /// True when this principal is the caller identified by `arn`: an IAM role/user ARN (with or without path),
    /// or an `assumed-role` session ARN. Names compare exactly (IAM names are case-insensitive for uniqueness but
    /// CloudTrail writes the real spelling); accounts must agree when both are known.
    public func matches(arn other: String) -> Bool {
        if let arn, arn == other { return true }
        let target = Principal.roleArn(fromAssumedRoleArn: other) ?? other
        guard let parsed = ARN(target), parsed.service == "iam" else { return false }
        let type = parsed.resourceType
        guard (type == "role" && kind == .role) || (type == "user" && kind == .user) || (type == "group" && kind == .group) else { return false }
        guard parsed.resourceName == name else { return false }
        if let arn, let mine = ARN(arn), mine.account != parsed.account { return false }
        return true
    }
}

/// The policy documents that apply to one principal (inline + attached managed default versions;
/// for users also their groups' policies).
public struct PolicySet: Sendable {
    public var documents: [PolicyDocument]

    public init(_ documents: [PolicyDocument] = []) { self.documents = documents }

    /// Every (document, statement) pair, in order.
    public var statements: [(document: PolicyDocument, statement: Statement)] {
        documents.flatMap { doc in doc.statements.map { (doc, $0) } }
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

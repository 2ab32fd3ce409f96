/// Who made a call: the decoded `userIdentity` of a record.
public struct Principal: Hashable, Sendable {
    /// `userIdentity.type` (`AssumedRole`, `IAMUser`, `Root`, `AWSService`, ...); nil when missing.
    public var type: String?
    /// `userIdentity.arn` (for assumed roles, the session ARN).
    public var arn: String?
    public var principalId: String?
    public var accountId: String?
    public var accessKeyId: String?
    public var userName: String?
    /// `sessionContext.sessionIssuer.arn`: the role (with its IAM path) behind an assumed-role session.
    public var sessionIssuerArn: String?
    /// `sessionContext.sessionIssuer.type` (`Role`, ...).
    public var sessionIssuerType: String?
    /// `sessionContext.sessionIssuer.userName`: the friendly name of the role (or user) that issued the session.
    public var sessionIssuerUserName: String?
    /// `sessionContext.attributes.mfaAuthenticated == "true"`.
    public var mfaAuthenticated: Bool?
    /// `invokedBy`: the AWS service that called on the principal's behalf.
    public var invokedBy: String?
    /// `sessionContext.sourceIdentity` or `userIdentity.sourceIdentity`.
    public var sourceIdentity: String?

    public init(type: String? = nil, arn: String? = nil, principalId: String? = nil, accountId: String? = nil,
                accessKeyId: String? = nil, userName: String? = nil, sessionIssuerArn: String? = nil,
                sessionIssuerType: String? = nil, mfaAuthenticated: Bool? = nil, invokedBy: String? = nil,
                sourceIdentity: String? = nil, sessionIssuerUserName: String? = nil) {
        self.type = type
        self.arn = arn
        self.principalId = principalId
        self.accountId = accountId
        self.accessKeyId = accessKeyId
        self.userName = userName
        self.sessionIssuerArn = sessionIssuerArn
        self.sessionIssuerType = sessionIssuerType
        self.mfaAuthenticated = mfaAuthenticated
        self.invokedBy = invokedBy
        self.sourceIdentity = sourceIdentity
        self.sessionIssuerUserName = sessionIssuerUserName
    }

    /// Kind of access key used.
    public enum AccessKeyKind: String, Sendable {
        /// `AKIA...`: a long-term IAM user (or root) key.
        case longTerm
        /// `ASIA...`: temporary credentials from STS.
        case temporary
        case none
    }

    /// (Inlined, on the key alone: an out-of-line getter made each detector reading it copy the whole principal.)
    @inline(__always) public var accessKeyKind: AccessKeyKind { Self.kind(ofAccessKey: accessKeyId) }

    /// `AKIA…` long-term, `ASIA…` temporary, else none.
    static func kind(ofAccessKey key: String?) -> AccessKeyKind {
        guard let key else { return .none }
        if StringBytes.hasPrefix(key, "AKIA") { return .longTerm }
        if StringBytes.hasPrefix(key, "ASIA") { return .temporary }
        return .none
    }

    /// The identity findings and baselines group by: the role ARN for assumed-role sessions
    /// (from `sessionIssuer`, or derived from the `assumed-role` ARN), otherwise `arn`,
    /// otherwise a synthetic `service:<name>` / `account:<id>`; nil when nothing identifies the caller.
    public var identityKey: String? {
        if let issuer = sessionIssuerArn, !issuer.isEmpty { return issuer }
        if let arn, !arn.isEmpty {
            if let role = Principal.roleArn(fromAssumedRoleArn: arn) { return role }
            return arn
        }
        if type == "AWSService", let invokedBy { return "service:" + invokedBy }
        if let accountId, !accountId.isEmpty { return "account:" + accountId }
        return nil
    }

    /// The session name of an assumed-role ARN (`.../RoleName/SessionName`).
    public var sessionName: String? {
        guard let arn, arn.contains(":assumed-role/") else { return nil }
        let parts = arn.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 3 ? String(parts[parts.count - 1]) : nil
    }

    /// `arn:aws:sts::123:assumed-role/Name/Session` → `arn:aws:iam::123:role/Name` (path unknown).
    public static func roleArn(fromAssumedRoleArn arn: String) -> String? {
        guard let a = ARN(arn), a.service == "sts", a.resource.hasPrefix("assumed-role/") else { return nil }
        let parts = a.resource.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        return "arn:\(a.partition):iam::\(a.account):role/\(parts[1])"
    }

    /// True for the account root user.
    public var isRoot: Bool { type == "Root" }
}

/// Who made a call: the decoded `userIdentity` of a record.
///
/// A value whose fields live in one immutable box shared by its copies: the scan copies a record's principal from its
/// memo of identities for every record, and with the twelve fields stored inline each copy retained eleven strings
/// and each record's end released them (~300 instructions a record); now one reference. Reading a field is one load
/// more; setting one makes a new box (principals are built whole, fields are rarely set). Equality and hashing are
/// the synthesized ones of the fields, in the same order as before.
public struct Principal: Hashable, Sendable {
    /// The fields, as `Principal` stored them before they were boxed (its synthesized `Hashable` is the principal's).
    private struct Values: Hashable, Sendable {
        var type: String?
        var arn: String?
        var principalId: String?
        var accountId: String?
        var accessKeyId: String?
        var userName: String?
        var sessionIssuerArn: String?
        var sessionIssuerType: String?
        var sessionIssuerUserName: String?
        var mfaAuthenticated: Bool?
        var invokedBy: String?
        var sourceIdentity: String?
    }

    private final class Box: Sendable {
        let values: Values
        /// `type` classified once per principal value (records share their principal's box): detectors ask per
        /// record, and comparing the field copied its string (a reference counted) each time.
        let isAssumedRole: Bool
        let isAWSService: Bool
        init(_ values: Values) {
            self.values = values
            isAssumedRole = values.type == "AssumedRole"
            isAWSService = values.type == "AWSService"
        }
    }

    private var box: Box

    /// `userIdentity.type` (`AssumedRole`, `IAMUser`, `Root`, `AWSService`, ...); nil when missing.
    public var type: String? {
        @inline(__always) get { box.values.type }
        set { var v = box.values; v.type = newValue; box = Box(v) }
    }
    /// `type == "AssumedRole"` (a role session), decided once per principal value.
    public var isAssumedRole: Bool { @inline(__always) get { box.isAssumedRole } }
    /// `type == "AWSService"` (a call an AWS service made), decided once per principal value.
    public var isAWSService: Bool { @inline(__always) get { box.isAWSService } }
    /// `userIdentity.arn` (for assumed roles, the session ARN).
    public var arn: String? {
        @inline(__always) get { box.values.arn }
        set { var v = box.values; v.arn = newValue; box = Box(v) }
    }
    /// `userIdentity.principalId`.
    public var principalId: String? {
        @inline(__always) get { box.values.principalId }
        set { var v = box.values; v.principalId = newValue; box = Box(v) }
    }
    /// `userIdentity.accountId`.
    public var accountId: String? {
        @inline(__always) get { box.values.accountId }
        set { var v = box.values; v.accountId = newValue; box = Box(v) }
    }
    /// `userIdentity.accessKeyId`.
    public var accessKeyId: String? {
        @inline(__always) get { box.values.accessKeyId }
        set { var v = box.values; v.accessKeyId = newValue; box = Box(v) }
    }
    /// `userIdentity.userName`.
    public var userName: String? {
        @inline(__always) get { box.values.userName }
        set { var v = box.values; v.userName = newValue; box = Box(v) }
    }
    /// `sessionContext.sessionIssuer.arn`: the role (with its IAM path) behind an assumed-role session.
    public var sessionIssuerArn: String? {
        @inline(__always) get { box.values.sessionIssuerArn }
        set { var v = box.values; v.sessionIssuerArn = newValue; box = Box(v) }
    }
    /// `sessionContext.sessionIssuer.type` (`Role`, ...).
    public var sessionIssuerType: String? {
        @inline(__always) get { box.values.sessionIssuerType }
        set { var v = box.values; v.sessionIssuerType = newValue; box = Box(v) }
    }
    /// `sessionContext.sessionIssuer.userName`: the friendly name of the role (or user) that issued the session.
    public var sessionIssuerUserName: String? {
        @inline(__always) get { box.values.sessionIssuerUserName }
        set { var v = box.values; v.sessionIssuerUserName = newValue; box = Box(v) }
    }
    /// `sessionContext.attributes.mfaAuthenticated == "true"`.
    public var mfaAuthenticated: Bool? {
        @inline(__always) get { box.values.mfaAuthenticated }
        set { var v = box.values; v.mfaAuthenticated = newValue; box = Box(v) }
    }
    /// `invokedBy`: the AWS service that called on the principal's behalf.
    public var invokedBy: String? {
        @inline(__always) get { box.values.invokedBy }
        set { var v = box.values; v.invokedBy = newValue; box = Box(v) }
    }
    /// `sessionContext.sourceIdentity` or `userIdentity.sourceIdentity`.
    public var sourceIdentity: String? {
        @inline(__always) get { box.values.sourceIdentity }
        set { var v = box.values; v.sourceIdentity = newValue; box = Box(v) }
    }

    public init(type: String? = nil, arn: String? = nil, principalId: String? = nil, accountId: String? = nil,
                accessKeyId: String? = nil, userName: String? = nil, sessionIssuerArn: String? = nil,
                sessionIssuerType: String? = nil, mfaAuthenticated: Bool? = nil, invokedBy: String? = nil,
                sourceIdentity: String? = nil, sessionIssuerUserName: String? = nil) {
        box = Box(Values(type: type, arn: arn, principalId: principalId, accountId: accountId, accessKeyId: accessKeyId, userName: userName, sessionIssuerArn: sessionIssuerArn, sessionIssuerType: sessionIssuerType, sessionIssuerUserName: sessionIssuerUserName, mfaAuthenticated: mfaAuthenticated, invokedBy: invokedBy, sourceIdentity: sourceIdentity))
    }

    /// The identity of the shared fields: the same for copies of one principal (whose fields are then all equal),
    /// different for principals made apart even when their fields are equal. Meaningful only while a copy is alive
    /// (the identity of freed fields may be reused: `PrincipalFieldCache` uses it only to find a slot).
    @inline(__always) var fieldsID: ObjectIdentifier { ObjectIdentifier(box) }

    public static func == (a: Principal, b: Principal) -> Bool {
        a.box === b.box || a.box.values == b.box.values
    }

    public func hash(into hasher: inout Hasher) { box.values.hash(into: &hasher) }

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
        guard let arn else { return nil }
        // (An ASCII ARN, as AWS writes them, on its bytes: a review asks this per record, and the search and the split
        // below cost a Foundation string search and a `Character` split each time. For ASCII text both give the same.)
        if let ascii = StringBytes.withUTF8(arn, { Principal.sessionNameASCII($0) }) { return ascii }
        guard arn.contains(":assumed-role/") else { return nil }
        let parts = arn.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 3 ? String(parts[parts.count - 1]) : nil
    }

    /// `sessionName` of an ASCII ARN's bytes: `.some(nil)` when it has no session name, nil when `b` is not ASCII.
    private static func sessionNameASCII(_ b: UnsafeRawBufferPointer) -> String?? {
        let marker: StaticString = ":assumed-role/"
        let m = marker.utf8CodeUnitCount
        var found = false, slashes = 0, lastSlash = -1
        for i in b.indices {
            let c = b[i]
            if c >= 0x80 { return nil }
            if c == UInt8(ascii: "/") { slashes += 1; lastSlash = i }
            if !found, c == UInt8(ascii: ":"), i + m <= b.count {
                var k = 1
                while k < m && b[i + k] == marker.utf8Start[k] { k += 1 }
                found = k == m
            }
        }
        guard found, slashes >= 2 else { return .some(nil) }
        return .some(String(decoding: UnsafeRawBufferPointer(rebasing: b[(lastSlash + 1)...]), as: UTF8.self))
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

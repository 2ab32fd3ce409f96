/// Credential provenance: which `sts:AssumeRole*` call issued a temporary access key, to whom.
///
/// Every successful `AssumeRole`, `AssumeRoleWithWebIdentity` and `AssumeRoleWithSAML` record names the role
/// (`requestParameters.roleArn`) and carries the issued key in `responseElements.credentials.accessKeyId`; every
/// later call made with that session carries the same key as `userIdentity.accessKeyId` (AWS doc "CloudTrail
/// userIdentity element": "accessKeyId — The access key ID that was used to sign the request. If the request was
/// made with temporary security credentials, this is the access key ID of the temporary credentials"; AWS doc
/// "AssumeRole" (STS API Reference): the response's `Credentials.AccessKeyId`). An AgentCore execution role is
/// assumed by the service principal `bedrock-agentcore.amazonaws.com` (AWS doc "IAM Permissions for AgentCore
/// Runtime": the execution role's trust policy names that principal), so its record has an `AWSService` identity
/// whose `invokedBy` (and `sourceIPAddress`) is that service.
public struct CredentialIssuance: Sendable, Hashable {
    /// Who obtained the credentials.
    public enum Issuer: Sendable, Hashable, CustomStringConvertible {
        /// The AgentCore service principal (the runtime itself).
        case agentCore
        /// Another AWS service principal (`ec2.amazonaws.com`, `lambda.amazonaws.com`, ...).
        case service(String)
        /// An identity: a user, another role's session, a federated or web identity (its identity key or name).
        case identity(String)

        public var description: String {
            switch self {
            case .agentCore: return AgentRoleDiscovery.servicePrincipal
            case .service(let s): return s
            case .identity(let i): return i
            }
        }
    }

    /// The role whose credentials were issued (`requestParameters.roleArn`).
    public var role: String
    public var issuer: Issuer
    /// `AssumeRole`, `AssumeRoleWithWebIdentity` or `AssumeRoleWithSAML`.
    public var eventName: String
    public var sessionName: String?
    public var sourceIdentity: String?
    /// The caller's `sourceIPAddress` as written.
    public var sourceIP: String?
    /// The issuing event.
    public var evidence: EvidenceRef

    /// The issuance in `record`, keyed by the issued access key id; nil for anything else (failed calls, other
    /// events, responses without credentials).
    public static func from(_ record: CloudTrailRecord, file: String, index: Int) -> (key: String, issuance: CredentialIssuance)? {
        guard record.knownSource == .sts, record.eventName.hasPrefix("AssumeRole"), record.succeeded,
              let key = record.responseElements?.string(atPath: "credentials", "accessKeyId"), !key.isEmpty,
              let role = record.requestParameters?.string(forKey: "roleArn"), !role.isEmpty
        else { return nil }
        let p = record.principal
        let issuer: Issuer
        if p.invokedBy == AgentRoleDiscovery.servicePrincipal || record.sourceIPText == AgentRoleDiscovery.servicePrincipal {
            issuer = .agentCore
        } else if p.type == "AWSService" {
            issuer = .service(p.invokedBy ?? record.sourceIPText ?? "AWS service")
        } else if let id = p.identityKey {
            issuer = .identity(id)
        } else {
            // Web identity and SAML callers have no IAM identity: name them by what the record says.
            issuer = .identity(p.userName ?? p.principalId ?? "\(p.type ?? "unknown") identity via \(record.eventName)")
        }
        let params = record.requestParameters
        return (key, CredentialIssuance(
            role: role, issuer: issuer, eventName: record.eventName, sessionName: params?.string(forKey: "roleSessionName"),
            sourceIdentity: params?.string(forKey: "sourceIdentity"), sourceIP: record.sourceIPText,
            evidence: EvidenceRef(compactEventID: record.compactEventID, file: file, index: index, time: record.eventTime)))
    }

    /// A one-line description for findings: `sts:AssumeRole by X (session s, sourceIdentity i) from ip at t, event e`.
    public var summary: String {
        var parts = ["sts:\(eventName) by \(issuer)"]
        var extra: [String] = []
        if let s = sessionName { extra.append("session \(s)") }
        if let s = sourceIdentity { extra.append("sourceIdentity \(s)") }
        if !extra.isEmpty { parts.append("(\(extra.joined(separator: ", ")))") }
        if let ip = sourceIP, ip != issuer.description { parts.append("from \(ip)") }
        if let t = evidence.time { parts.append("at \(t.iso8601)") }
        if let id = evidence.eventID { parts.append("event \(id)") }
        return parts.joined(separator: " ")
    }
}

/// The issuances seen in a scan, by access key id. Merging keeps, for a key issued twice (which AWS does not
/// do), the earliest issuing event, so the result is the same for any file order and job count.
public struct ProvenanceTable: Sendable {
    public private(set) var byKey: [String: CredentialIssuance] = [:]

    public init() {}

    public mutating func add(_ key: String, _ issuance: CredentialIssuance) {
        if let old = byKey[key], !(issuance.evidence < old.evidence) { return }
        byKey[key] = issuance
    }

    public mutating func merge(_ other: ProvenanceTable) {
        for (k, v) in other.byKey { add(k, v) }
    }

    public subscript(_ key: String) -> CredentialIssuance? { byKey[key] }
}

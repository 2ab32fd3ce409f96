/// Known global condition keys (IAM User Guide, "AWS global condition context keys"), lowercased.
/// Keys with a `/tag-key` suffix are listed by their prefix in `globalKeyPrefixes`.
public enum ConditionKeys {
    public static let global: Set<String> = Set([
        "aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:ChatbotSourceArn", "aws:CurrentTime",
        "aws:EpochTime", "aws:FederatedProvider", "aws:MultiFactorAuthAge", "aws:MultiFactorAuthPresent",
        "aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalIsAWSService", "aws:PrincipalOrgID",
        "aws:PrincipalOrgPaths", "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:PrincipalType",
        "aws:Referer", "aws:RequestedRegion", "aws:ResourceAccount", "aws:ResourceOrgID", "aws:ResourceOrgPaths",
        "aws:SecureTransport", "aws:SourceAccount", "aws:SourceArn", "aws:SourceIdentity", "aws:SourceIp",
        "aws:SourceOrgID", "aws:SourceOrgPaths", "aws:SourceVpc", "aws:SourceVpcArn", "aws:SourceVpce", "aws:TagKeys",
        "aws:TokenIssueTime", "aws:UserAgent", "aws:userid", "aws:username", "aws:ViaAWSService", "aws:VpcSourceIp",
        "aws:VpceAccount", "aws:VpceOrgID", "aws:VpceOrgPaths", "aws:Ec2InstanceSourceVpc",
        "aws:Ec2InstanceSourcePrivateIPv4", "aws:RoleSessionName", "aws:AssumedRoot",
    ].map { $0.lowercased() })

    /// Global keys that take a `/name` suffix.
    public static let globalKeyPrefixes: [String] = ["aws:principaltag/", "aws:requesttag/", "aws:resourcetag/"]

    /// Canonical spellings, for suggestions.
    static let globalCanonical: [String] = [
        "aws:SourceIp", "aws:SourceVpc", "aws:SourceVpce", "aws:SecureTransport", "aws:RequestedRegion",
        "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:CurrentTime", "aws:EpochTime",
        "aws:MultiFactorAuthPresent", "aws:MultiFactorAuthAge", "aws:ViaAWSService", "aws:CalledVia",
        "aws:SourceArn", "aws:SourceAccount", "aws:ResourceAccount", "aws:TagKeys", "aws:PrincipalType",
        "aws:userid", "aws:username", "aws:UserAgent", "aws:Referer", "aws:VpcSourceIp", "aws:PrincipalTag/",
        "aws:RequestTag/", "aws:ResourceTag/",
    ]

    /// Whether a key exists, as far as the catalogue can tell: `.known`, `.unknown` (with a suggestion),
    /// or `.unverifiable` (a service key of a known service; the catalogue has no per-service key lists).
    public enum Status: Hashable, Sendable { case known, unknown(suggestion: String?), unverifiable }

    public static func status(of key: String, catalogue: ActionCatalogue) -> Status {
        let k = key.lowercased()
        guard let colon = k.firstIndex(of: ":") else {
            return .unknown(suggestion: nil)
        }
        let prefix = String(k[..<colon])
        if prefix == "aws" {
            if global.contains(k) || globalKeyPrefixes.contains(where: { k.hasPrefix($0) && k.count > $0.count }) { return .known }
            let best = globalCanonical.min { editDistance($0.lowercased(), k) < editDistance($1.lowercased(), k) }
            if let best, editDistance(best.lowercased(), k) <= max(3, k.count / 3) { return .unknown(suggestion: best) }
            return .unknown(suggestion: nil)
        }
        // Identity-provider keys (`saml:aud`, `accounts.google.com:sub`, OIDC provider URLs).
        if ["saml", "cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com"].contains(prefix)
            || prefix.contains(".") { return .known }
        if catalogue.service(prefix: prefix) != nil { return .unverifiable }
        return .unknown(suggestion: nil)
    }
}

/// What is known about one request, for condition evaluation.
///
/// A key whose value is nil (and which is not in `absentKeys`) is *unknown*: conditions on it make the decision
/// `.conditional`. Put a key in `absentKeys` when the request is known not to carry it (IAM semantics then apply:
/// positive operators fail, negated operators, `...IfExists` and `ForAllValues:` pass).
public struct RequestContext: Sendable {
    /// `aws:SourceIp`.
    public var sourceIp: IPAddress?
    /// `aws:SourceVpce`.
    public var sourceVpce: String?
    /// `aws:SecureTransport`.
    public var secureTransport: Bool?
    /// `aws:RequestedRegion`.
    public var requestedRegion: String?
    /// `aws:PrincipalArn` (for roles, the role ARN, not the session ARN).
    public var principalArn: String?
    /// `aws:CurrentTime` / `aws:EpochTime`.
    public var currentTime: Instant?
    /// Any other key (lowercased) → values.
    public var other: [String: [String]]
    /// Lowercased keys known to be absent from the request.
    public var absentKeys: Set<String>

    public init(sourceIp: IPAddress? = nil, sourceVpce: String? = nil, secureTransport: Bool? = nil,
                requestedRegion: String? = nil, principalArn: String? = nil, currentTime: Instant? = nil,
                other: [String: [String]] = [:], absentKeys: Set<String> = []) {
        self.sourceIp = sourceIp
        self.sourceVpce = sourceVpce
        self.secureTransport = secureTransport
        self.requestedRegion = requestedRegion
        self.principalArn = principalArn
        self.currentTime = currentTime
        self.other = Dictionary(other.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
        self.absentKeys = Set(absentKeys.map { $0.lowercased() })
    }

    /// An empty context: every key unknown.
    public static let unknown = RequestContext()

    /// The context a CloudTrail record establishes: source IP (when the caller was an IP), VPC endpoint
    /// (absent when the record has none), TLS (`aws:SecureTransport` true when `tlsDetails` is present),
    /// region, principal ARN (role ARN for sessions) and event time.
    public init(record: CloudTrailRecord) {
        self.init(sourceIp: record.sourceAddress.ip, sourceVpce: record.vpcEndpointId,
                  secureTransport: record.tlsVersion != nil ? true : nil, requestedRegion: record.awsRegion,
                  principalArn: record.principal.identityKey.flatMap { $0.hasPrefix("arn:") ? $0 : nil },
                  currentTime: record.eventTime,
                  absentKeys: record.vpcEndpointId == nil ? ["aws:sourcevpce"] : [])
    }

    /// Values of a key: nil = unknown, [] = absent.
    public func values(for key: String) -> [String]? {
        let k = key.lowercased()
        if absentKeys.contains(k) { return [] }
        switch k {
        case "aws:sourceip": return sourceIp.map { [$0.description] }
        case "aws:sourcevpce": return sourceVpce.map { [$0] }
        case "aws:securetransport": return secureTransport.map { [$0 ? "true" : "false"] }
        case "aws:requestedregion": return requestedRegion.map { [$0] }
        case "aws:principalarn": return principalArn.map { [$0] }
        case "aws:currenttime": return currentTime.map { [$0.iso8601] }
        case "aws:epochtime": return currentTime.map { [String($0.millisecondsSince1970 / 1000)] }
        default: return other[k]
        }
    }
}

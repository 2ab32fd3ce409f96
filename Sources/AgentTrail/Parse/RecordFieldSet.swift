/// The optional parts of a `CloudTrailRecord` that a decoder fills: the rest are left at their defaults (nil or empty).
///
/// Always decoded, whatever the set: `eventSource`, `eventName`, `eventTime`, `errorCode`, `errorMessage`, `eventID`,
/// `readOnly`, `awsRegion`, `sourceIPAddress`, `eventType`, and the principal's `type`, `arn`, `accountId`,
/// `accessKeyId`, `userName`, `sessionContext.sessionIssuer.arn` and `invokedBy`. Detectors declare what else they
/// read (`Detector.recordFields(context:)`), so a scan decodes only the union of what its detectors use
/// ("decode only the keys asked for"); `.all` is the default everywhere else.
public struct RecordFieldSet: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let eventVersion = RecordFieldSet(rawValue: 1 << 0)
    public static let userAgent = RecordFieldSet(rawValue: 1 << 1)
    public static let requestID = RecordFieldSet(rawValue: 1 << 2)
    public static let managementEvent = RecordFieldSet(rawValue: 1 << 3)
    public static let eventCategory = RecordFieldSet(rawValue: 1 << 4)
    public static let recipientAccountId = RecordFieldSet(rawValue: 1 << 5)
    public static let sharedEventID = RecordFieldSet(rawValue: 1 << 6)
    /// `vpcEndpointId` and `vpcEndpointAccountId`.
    public static let vpcEndpoint = RecordFieldSet(rawValue: 1 << 7)
    /// `tlsDetails` (`tlsVersion`, `cipherSuite`, `clientProvidedHostHeader`).
    public static let tls = RecordFieldSet(rawValue: 1 << 8)
    public static let sessionCredentialFromConsole = RecordFieldSet(rawValue: 1 << 9)
    public static let resources = RecordFieldSet(rawValue: 1 << 10)
    public static let requestParameters = RecordFieldSet(rawValue: 1 << 11)
    public static let responseElements = RecordFieldSet(rawValue: 1 << 12)
    public static let additionalEventData = RecordFieldSet(rawValue: 1 << 13)
    /// The principal's `principalId`, `sessionIssuer.type`, `attributes.mfaAuthenticated` and `sourceIdentity`.
    public static let principalDetails = RecordFieldSet(rawValue: 1 << 14)

    /// `responseElements` of `sts.amazonaws.com` records only (the credentials an `AssumeRole*` issued: credential
    /// provenance), without paying for every other record's response.
    public static let stsResponseElements = RecordFieldSet(rawValue: 1 << 15)

    /// `requestParameters` of STS, Bedrock, bedrock-mantle, AgentCore and CloudTrail records only
    /// (`KnownEventSource.hasReadRequestParameters`): what the scan's detectors read, without a copy of the
    /// parameters of every other record (three quarters of a busy account's trail are role sessions calling EC2,
    /// KMS, Logs, S3, DynamoDB, whose parameters no scan detector reads).
    public static let agentAndAuditRequestParameters = RecordFieldSet(rawValue: 1 << 16)

    /// `responseElements` and `additionalEventData` of `ConsoleLogin` events only (the sign-in's outcome and whether
    /// MFA was used), without a copy of every other record's.
    public static let consoleLoginDetails = RecordFieldSet(rawValue: 1 << 17)

    /// `additionalEventData` of Bedrock, bedrock-mantle and AgentCore records only (`callWithBearerToken`: a call
    /// made with a Bedrock API key), without a copy of every other record's.
    public static let agentAdditionalEventData = RecordFieldSet(rawValue: 1 << 18)

    /// Every field.
    public static let all = RecordFieldSet(rawValue: (1 << 19) - 1)
}

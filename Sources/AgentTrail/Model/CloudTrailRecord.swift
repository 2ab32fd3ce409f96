/// One CloudTrail event, decoded into the fields AgentTrail uses. Unknown fields are ignored;
/// any field may be missing.
public struct CloudTrailRecord: Sendable {
    public var eventVersion: String?
    /// Parsed `eventTime`; nil when missing or unparseable (see `eventTimeText`).
    public var eventTime: Instant?
    /// `eventTime` as written, kept when it could not be parsed.
    public var eventTimeText: String?
    public var eventSource: String
    public var eventName: String
    public var awsRegion: String?
    public var sourceAddress: SourceAddress
    /// `sourceIPAddress` exactly as written.
    public var sourceIPText: String?
    public var userAgent: String?
    public var errorCode: String?
    public var errorMessage: String?
    public var requestID: String?
    public var eventID: String?
    /// `readOnly` (a bool, once seen as the string "true"/"false").
    public var readOnly: Bool?
    /// `eventType` (`AwsApiCall`, `AwsServiceEvent`, `AwsConsoleSignIn`, ...).
    public var eventType: String?
    public var managementEvent: Bool?
    /// `eventCategory` (`Management`, `Data`, `Insight`, `NetworkActivity`).
    public var eventCategory: String?
    public var recipientAccountId: String?
    public var sharedEventID: String?
    public var vpcEndpointId: String?
    public var vpcEndpointAccountId: String?
    public var tlsVersion: String?
    public var cipherSuite: String?
    public var clientProvidedHostHeader: String?
    public var sessionCredentialFromConsole: Bool?
    public var principal: Principal
    public var resources: [ResourceReference]
    public var requestParameters: RawJSON?
    public var responseElements: RawJSON?
    public var additionalEventData: RawJSON?
    /// `serviceEventDetails` / `responseElements` are not decoded further.
    /// The whole record's bytes, only when the decoder was asked to keep them (for `events` output).
    public var raw: RawJSON?

    public init(eventSource: String = "", eventName: String = "", principal: Principal = Principal()) {
        self.eventSource = eventSource
        self.eventName = eventName
        self.principal = principal
        self.sourceAddress = .none
        self.resources = []
    }

    /// True when `errorCode` says the call was refused for lack of permission
    /// (`AccessDenied`, `AccessDeniedException`, `UnauthorizedOperation`, ... or a "not authorized" message).
    public var isAccessDenied: Bool {
        guard let code = errorCode else { return false }
        return CloudTrailRecord.isDenialCode(code, message: errorMessage)
    }

    /// True when the call succeeded (no `errorCode`).
    public var succeeded: Bool { errorCode == nil || errorCode == "" }

    /// Error codes that mean "denied", from ../shared/reference/cloudtrail.md.
    public static let denialCodes: Set<String> = [
        "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "Client.UnauthorizedOperation",
        "UnauthorizedAccess", "VpceAccessDenied", "AuthorizationError", "Forbidden", "403",
    ]

    public static func isDenialCode(_ code: String, message: String?) -> Bool {
        if denialCodes.contains(code) { return true }
        if let message, message.contains("is not authorized to perform") { return true }
        return false
    }

    /// True for `bedrock.amazonaws.com`.
    public var isBedrock: Bool { eventSource == "bedrock.amazonaws.com" }
    /// True for `bedrock-agentcore.amazonaws.com`.
    public var isAgentCore: Bool { eventSource == "bedrock-agentcore.amazonaws.com" }
}

/// One entry of `resources[]`.
public struct ResourceReference: Hashable, Sendable {
    public var arn: String?
    public var accountId: String?
    public var type: String?

    public init(arn: String? = nil, accountId: String? = nil, type: String? = nil) {
        self.arn = arn
        self.accountId = accountId
        self.type = type
    }
}

/// One CloudTrail event, decoded into the fields AgentTrail uses. Unknown fields are ignored;
/// any field may be missing.
public struct CloudTrailRecord: Sendable {
    // No stored property has an initial value (optionals are spelled `Optional<T>`, which, unlike `T?`, gets no
    // implicit `= nil`): with one, every initializer first stores the defaults and then *reassigns* the fields, and
    // the optimizer can no longer turn the initializer's final `load [copy] self` + `destroy_addr self` into a move
    // (35 fields are too many for SROA), so `RecordDecoder.build` copied the whole record (outlined copy + destroy,
    // ~30 retains and releases) per record. Every initializer sets every field.
    public var eventVersion: Optional<String>
    /// Parsed `eventTime`; nil when missing or unparseable (see `eventTimeText`).
    public var eventTime: Optional<Instant>
    /// `eventTime` as written, kept when it could not be parsed.
    public var eventTimeText: Optional<String>
    public var eventSource: String { didSet { knownSource = KnownEventSource(eventSource) } }
    /// `eventSource` when it is one the detectors ask about (kept in step with it).
    public internal(set) var knownSource: KnownEventSource
    public var eventName: String
    public var awsRegion: Optional<String>
    public var sourceAddress: SourceAddress
    /// `sourceIPAddress` exactly as written.
    public var sourceIPText: Optional<String>
    public var userAgent: Optional<String>
    public var errorCode: Optional<String>
    public var errorMessage: Optional<String>
    public var requestID: Optional<String>
    /// The event's id. Held as `CompactEventID` (16 bytes, no string, when it is a lowercase UUID as CloudTrail
    /// writes them): the decoder makes it from the raw bytes, and evidence references share it.
    public var eventID: String? {
        get { compactEventID.text }
        set { compactEventID = CompactEventID(newValue) }
    }
    var compactEventID: CompactEventID
    /// `readOnly` (a bool, once seen as the string "true"/"false").
    public var readOnly: Optional<Bool>
    /// `eventType` (`AwsApiCall`, `AwsServiceEvent`, `AwsConsoleSignIn`, ...).
    public var eventType: Optional<String> { didSet { isServiceEvent = CloudTrailRecord.isServiceEvent(eventType) } }
    /// `eventType == "AwsServiceEvent"` (an event AWS logged on its own), decided when the type is set: asked of
    /// every record, the comparison copied the string out of the record each time (~250 instructions a record).
    public internal(set) var isServiceEvent: Bool
    public var managementEvent: Optional<Bool>
    /// `eventCategory` (`Management`, `Data`, `Insight`, `NetworkActivity`).
    public var eventCategory: Optional<String>
    public var recipientAccountId: Optional<String>
    public var sharedEventID: Optional<String>
    public var vpcEndpointId: Optional<String>
    public var vpcEndpointAccountId: Optional<String>
    public var tlsVersion: Optional<String>
    public var cipherSuite: Optional<String>
    public var clientProvidedHostHeader: Optional<String>
    public var sessionCredentialFromConsole: Optional<Bool>
    public var principal: Principal
    public var resources: [ResourceReference]
    public var requestParameters: Optional<RawJSON>
    public var responseElements: Optional<RawJSON>
    public var additionalEventData: Optional<RawJSON>
    /// HTTP status a data event reports in `responseElements.statusCode` (AgentCore Gateway; nil when absent).
    public var responseStatus: Optional<Int>
    /// JSON-RPC error code a data event reports in `responseElements.body.error.code` (nil when absent).
    public var responseErrorCode: Optional<Int>
    /// A sign-in event's outcome member that says `"Failure"` (`ConsoleLogin`, `PasswordUpdated`,
    /// `ExternalIdPDirectoryLogin`, ...): sign-in failures are logged that way, often without an `errorCode` (AWS doc
    /// "AWS Management Console sign-in events": `"responseElements": {"ConsoleLogin": "Failure"}`). Nil otherwise.
    public var signInFailure: Optional<String>
    /// `serviceEventDetails` / `responseElements` are not decoded further.
    /// The whole record's bytes, only when the decoder was asked to keep them (for `events` output).
    public var raw: Optional<RawJSON>

    public init(eventSource: String = "", eventName: String = "", principal: Principal = Principal()) {
        self.eventSource = eventSource
        self.knownSource = KnownEventSource(eventSource)
        self.eventName = eventName
        self.principal = principal
        self.sourceAddress = .none
        self.resources = []
        compactEventID = CompactEventID(nil)
        eventVersion = nil; eventTime = nil; eventTimeText = nil; awsRegion = nil
        sourceIPText = nil; userAgent = nil; errorCode = nil; errorMessage = nil
        requestID = nil; readOnly = nil; eventType = nil; isServiceEvent = false; managementEvent = nil
        eventCategory = nil; recipientAccountId = nil; sharedEventID = nil; vpcEndpointId = nil
        vpcEndpointAccountId = nil; tlsVersion = nil; cipherSuite = nil; clientProvidedHostHeader = nil
        sessionCredentialFromConsole = nil; requestParameters = nil; responseElements = nil; additionalEventData = nil
        responseStatus = nil; responseErrorCode = nil; signInFailure = nil; raw = nil
    }

    /// True when the call was refused: `errorCode` says so (`AccessDenied`, `AccessDeniedException`,
    /// `UnauthorizedOperation`, ... or a "not authorized" message), or a data event answered HTTP 401
    /// (authentication) or 403 (authorization) in its `responseElements`.
    @inline(__always) public var isAccessDenied: Bool {
        if let code = errorCode, !code.isEmpty { return CloudTrailRecord.isDenialCode(code, message: errorMessage) }
        return responseStatus == 401 || responseStatus == 403
    }

    /// True when the call succeeded: no `errorCode`, and no failure in a data event's response (HTTP status
    /// >= 400 or a JSON-RPC error; see `ResponseOutcome`).
    @inline(__always) public var succeeded: Bool {
        guard errorCode?.isEmpty ?? true else { return false }
        if let s = responseStatus, s >= 400 { return false }
        return responseErrorCode == nil && signInFailure == nil
    }

    /// What went wrong, for display and grouping: `errorCode`, else `HTTP 401` or `JSON-RPC -32001` from a data
    /// event's response, else `ConsoleLogin: Failure` from a sign-in event's; nil when the call succeeded.
    /// (Inlined, the rest out of line on the fields it reads: a whole record passed to an out-of-line function makes
    /// the calling detector copy the record, 664 bytes, at entry for every record; see the Architecture glossary.)
    @inline(__always)
    public var failureCode: String? {
        if let code = errorCode, !code.isEmpty { return code }
        if responseStatus == nil && responseErrorCode == nil && signInFailure == nil { return nil }
        return Self.failureCode(status: responseStatus, rpc: responseErrorCode, signIn: signInFailure)
    }

    private static func failureCode(status: Int?, rpc: Int?, signIn: String?) -> String? {
        if let s = status, s >= 400 { return "HTTP \(s)" }
        if let c = rpc { return "JSON-RPC \(c)" }
        if let f = signIn { return "\(f): Failure" }
        return nil
    }

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

    /// True for Bedrock activity: `bedrock.amazonaws.com` and `bedrock-mantle.amazonaws.com`, the
    /// OpenAI/Anthropic-compatible endpoint (`bedrock-mantle.<region>.api.aws`; AWS doc "Monitor bedrock-mantle API
    /// calls using CloudTrail", https://docs.aws.amazon.com/bedrock/latest/userguide/logging-cloudtrail-mantle.html).
    @inline(__always) public var isBedrock: Bool { knownSource.isBedrock }
    /// True for `bedrock-mantle.amazonaws.com` (its IAM prefix is `bedrock-mantle`, not `bedrock`).
    @inline(__always) public var isBedrockMantle: Bool { knownSource == .bedrockMantle }
    /// The eventSource of the bedrock-mantle endpoint.
    public static let bedrockMantleSource = "bedrock-mantle.amazonaws.com"
    /// True for the eventSources counted as Bedrock activity (`isBedrock`, the scan's "Bedrock: N records").
    public static func isBedrockSource(_ eventSource: String) -> Bool {
        KnownEventSource(eventSource).isBedrock
    }
    /// True for `bedrock-agentcore.amazonaws.com`.
    @inline(__always) public var isAgentCore: Bool { knownSource == .agentCore }
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

extension CloudTrailRecord {
    /// `type == "AwsServiceEvent"`.
    static func isServiceEvent(_ type: String?) -> Bool { StringBytes.equals(type, "AwsServiceEvent") }
}

/// Whether CloudTrail records an action's use, which decides if an unexercised grant is "unused"
/// (its events would have been seen) or "unknown" (they could not have been).
public enum Recording: String, Sendable, Codable, CaseIterable {
    /// Logged as a management event (every trail records these by default).
    case management
    /// Logged only as a data event (off by default; needs event selectors).
    case data
    /// No event of this name exists: a SAR "[permission only]" action (checked as part of another call).
    case notRecorded
}

/// The one table deciding management vs data vs not recorded.
///
/// Sources: ../shared/reference/cloudtrail.md ("Event categories"), the CloudTrail data-event resource types
/// (AWS::S3::Object, AWS::DynamoDB::Table, AWS::Lambda::Function, AWS::Bedrock::AgentAlias / KnowledgeBase /
/// FlowAlias / Guardrail / InlineAgent / PromptVersion / Session, AWS::BedrockAgentCore::Runtime / Gateway /
/// Memory / CodeInterpreter / Browser / WorkloadIdentity ...), and SAR's permission-only marks.
/// Anything not listed here as data is a management event, unless the catalogue marks it permission-only.
/// Bedrock `InvokeModel`/`InvokeModelWithResponseStream` (also used by `Converse*`) are management events.
public enum RecordingTable {
    /// Data-event actions by prefix (lowercased names).
    public static let dataActions: [String: Set<String>] = [
        // S3 object-level API (AWS::S3::Object). ListObjects/ListObjectsV2/HeadBucket (s3:ListBucket) are data events too.
        "s3": lowered([
            "GetObject", "GetObjectVersion", "GetObjectAcl", "GetObjectVersionAcl", "GetObjectAttributes",
            "GetObjectVersionAttributes", "GetObjectTagging", "GetObjectVersionTagging", "GetObjectRetention",
            "GetObjectLegalHold", "GetObjectTorrent", "GetObjectVersionTorrent",
            "PutObject", "PutObjectAcl", "PutObjectVersionAcl", "PutObjectTagging", "PutObjectVersionTagging",
            "PutObjectRetention", "PutObjectLegalHold", "DeleteObject", "DeleteObjectVersion", "DeleteObjectTagging",
            "DeleteObjectVersionTagging", "RestoreObject", "AbortMultipartUpload", "ListMultipartUploadParts",
            "ListBucket", "ListBucketVersions", "ListBucketMultipartUploads", "BypassGovernanceRetention",
        ]),
        "s3-object-lambda": lowered(["WriteGetObjectResponse", "GetObject", "PutObject", "DeleteObject", "ListBucket",
                                     "AbortMultipartUpload", "GetObjectAcl", "GetObjectTagging", "PutObjectAcl",
                                     "PutObjectTagging", "RestoreObject", "DeleteObjectTagging", "DeleteObjectVersion",
                                     "GetObjectVersion", "ListMultipartUploadParts", "ListBucketMultipartUploads"]),
        // DynamoDB item-level API (AWS::DynamoDB::Table), including transactions and PartiQL.
        "dynamodb": lowered([
            "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem",
            "ConditionCheckItem", "PartiQLSelect", "PartiQLInsert", "PartiQLUpdate", "PartiQLDelete",
            "GetRecords", "GetShardIterator", "DescribeStream", "ListStreams",
        ]),
        // Lambda Invoke (AWS::Lambda::Function).
        "lambda": lowered(["InvokeFunction", "InvokeAsync"]),
        // Bedrock agents, inline agents, knowledge bases, flows, guardrails, prompts, sessions (runtime calls).
        "bedrock": lowered([
            "InvokeAgent", "InvokeInlineAgent", "Retrieve", "RetrieveAndGenerate", "InvokeFlow", "ApplyGuardrail",
            "RenderPrompt", "GetAgentMemory", "DeleteAgentMemory",
            "CreateSession", "GetSession", "UpdateSession", "EndSession", "DeleteSession", "ListSessions",
            "CreateInvocation", "ListInvocations", "PutInvocationStep", "GetInvocationStep", "ListInvocationSteps",
        ]),
        // AgentCore data plane: runtime invocation (and its command shell), gateway MCP traffic, memory events,
        // records and ingestion, code interpreter and browser sessions, identity token operations, web search
        // (`InvokeWebSearch`, a data event on AWS::BedrockAgentCore::WebSearch).
        "bedrock-agentcore": lowered([
            "InvokeAgentRuntime", "InvokeAgentRuntimeForUser", "InvokeAgentRuntimeCommand", "InvokeAgentRuntimeCommandShell",
            "InvokeWebSearch", "IngestData",
            "InvokeAgentRuntimeWithWebSocketStream", "InvokeAgentRuntimeWithWebSocketStreamForUser", "StopRuntimeSession",
            "InvokeGateway",
            "CreateEvent", "GetEvent", "ListEvents", "DeleteEvent", "ListSessions", "ListActors",
            "RetrieveMemoryRecords", "ListMemoryRecords", "GetMemoryRecord", "DeleteMemoryRecord",
            "BatchCreateMemoryRecords", "BatchUpdateMemoryRecords", "BatchDeleteMemoryRecords",
            "StartMemoryExtractionJob", "ListMemoryExtractionJobs",
            "StartCodeInterpreterSession", "StopCodeInterpreterSession", "GetCodeInterpreterSession",
            "ListCodeInterpreterSessions", "InvokeCodeInterpreter",
            "StartBrowserSession", "StopBrowserSession", "GetBrowserSession", "ListBrowserSessions",
            "UpdateBrowserStream", "ConnectBrowserAutomationStream", "ConnectBrowserLiveViewStream",
            "SaveBrowserSessionProfile",
            "GetWorkloadAccessToken", "GetWorkloadAccessTokenForJWT", "GetWorkloadAccessTokenForUserId",
            "GetResourceOauth2Token", "GetResourceApiKey", "CompleteResourceTokenAuth",
        ]),
        // Agent Registry (own namespace since 2026-08-06): control-plane calls are management events, discovery
        // calls are data events (../shared/reference/cloudtrail.md "New event sources (2026)"; the discovery API is
        // botocore's `agent-registry` model). `GetDiscoverableRegistryRecord` is permission-only (checked by
        // `BatchGetDiscoverableRegistryRecord`), `InvokeRegistryMcp`'s event name is not documented: both stay
        // "not recorded" (unknown, never unused).
        "agent-registry": lowered(["ListDiscoverableRegistryRecords", "SearchDiscoverableRegistryRecords"]),
        // bedrock-mantle: AWS doc "Monitor bedrock-mantle API calls using CloudTrail" lists models, fine-tuning,
        // projects ... as management events; inference (`CreateInference` for the Responses, Chat Completions and
        // Messages routes) and file calls are data events (uncertain: as trail configurations quote the doc's
        // data-event section; treating them as data is the cautious side: unknown rather than unused).
        "bedrock-mantle": lowered([
            "CreateInference", "GetInference", "DeleteInference", "CancelInference", "CountTokens",
            "CreateFile", "GetFile", "DeleteFile", "ListFiles",
        ]),
    ]

    /// Actions that are not permission-only but whose calls CloudTrail never logs (by prefix, lowercased names): they
    /// are "not recorded" like permission-only actions, so an unexercised grant of one is unknown, never unused.
    /// - `logs:PutLogEvents`: AWS "Logging Amazon CloudWatch Logs API Calls in AWS CloudTrail" lists the CloudWatch Logs
    ///   actions CloudTrail logs (the log-group, stream, filter, destination and export calls); log ingestion is not one.
    public static let notLogged: [String: Set<String>] = [
        "logs": lowered(["PutLogEvents"]),
    ]

    /// Permission-only actions that are nevertheless logged under their own name
    /// (`InvokeGateway`: the Gateway MCP data event, `eventCategory` `Data`).
    public static let recordedPermissionOnly: Set<String> = ["bedrock-agentcore:invokegateway"]

    static func lowered(_ names: [String]) -> Set<String> { Set(names.map { $0.lowercased() }) }
}

extension EventActionMap {
    /// How CloudTrail records uses of `action`: data actions from `RecordingTable`, permission-only actions
    /// (catalogue) as `.notRecorded`, everything else `.management`.
    public func recording(of action: IAMAction) -> Recording {
        let prefix = action.prefix.lowercased()
        let name = action.name.lowercased()
        if RecordingTable.dataActions[prefix]?.contains(name) == true { return .data }
        if RecordingTable.recordedPermissionOnly.contains(action.normalized) { return .data }
        if catalogue.action(named: action)?.permissionOnly == true { return .notRecorded }
        if RecordingTable.notLogged[prefix]?.contains(name) == true { return .notRecorded }
        return .management
    }

    /// Why a `.notRecorded` action leaves no event: it is permission-only, or CloudTrail does not log its calls
    /// (`RecordingTable.notLogged`).
    public func notRecordedReason(_ action: IAMAction) -> String {
        RecordingTable.notLogged[action.prefix.lowercased()]?.contains(action.name.lowercased()) == true
            ? "not logged by CloudTrail" : "permission-only"
    }

    /// `shared.actions(for:)`.
    public static func actions(for record: CloudTrailRecord) -> EventActions { shared.actions(for: record) }
    /// `shared.actions(eventSource:eventName:)`.
    public static func actions(eventSource: String, eventName: String) -> EventActions {
        shared.actions(eventSource: eventSource, eventName: eventName)
    }
    /// `shared.recording(of:)`.
    public static func recording(of action: IAMAction) -> Recording { shared.recording(of: action) }
}

/// Memoizes event → action resolution for one pass over logs and collects events whose action is not in the
/// catalogue, once per derived name (with a count), so callers can report them instead of guessing.
public struct EventActionResolver {
    public let map: EventActionMap
    private var cache: [String: EventActions] = [:]
    /// Derived `prefix:Name` → number of events, for actions the catalogue does not know.
    public private(set) var unknownEvents: [String: Int] = [:]

    public init(map: EventActionMap = .shared) { self.map = map }

    /// Resolves a record; `isNewUnknown` is true the first time an unknown name is seen.
    public mutating func resolve(_ record: CloudTrailRecord) -> (actions: EventActions, isNewUnknown: Bool) {
        let key = (record.eventType ?? "") + "\u{1}" + (record.eventCategory ?? "") + "\u{1}" + record.eventSource + "\u{1}" + record.eventName
        let result: EventActions
        if let cached = cache[key] { result = cached } else {
            result = map.actions(for: record)
            cache[key] = result
        }
        guard case .unknown(let name) = result else { return (result, false) }
        let previous = unknownEvents[name, default: 0]
        unknownEvents[name] = previous + 1
        return (result, previous == 0)
    }
}

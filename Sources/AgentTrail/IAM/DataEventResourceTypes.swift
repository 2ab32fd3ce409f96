/// CloudTrail data-event resource types (the `resources.type` value of an advanced event selector) for the IAM
/// resource types of the services whose data-plane actions `RecordingTable` lists: what to enable so that a trail
/// records the use of a granted data-plane action.
///
/// Sources:
/// - AWS doc "Logging data events" (AWS CloudTrail User Guide, `logging-data-events-with-cloudtrail.html`): the
///   "Data events" table of resource types for trails and event data stores. The stored copy of the page holds its
///   introduction but not the table rows, so each name below is also checked against a second source:
/// - AgentCore: AWS doc "Enable CloudTrail data event logging for Amazon Bedrock AgentCore Gateway resources"
///   (`"resources.type", "Equals": ["AWS::BedrockAgentCore::Gateway"]`, and the `resources[].type` of AWS's
///   `InvokeGateway` sample records); the other 13 `AWS::BedrockAgentCore::*` names as Prowler's
///   `cloudtrail_agentcore_data_events_enabled` lists "the AWS::BedrockAgentCore::* resource types supported by
///   CloudTrail data events" (Memory also in its `cloudtrail_agentcore_memory_data_events_enabled`, which links the
///   AWS page);
/// - Agent Registry: AWS doc "AWS CloudTrail integration" (Agent Registry): data events need "data event logging for
///   the `AWS::AgentRegistry::Registry` resource type";
/// - Bedrock: Datadog's rule "CloudTrail should capture data events for Bedrock resources in use":
///   `AWS::Bedrock::AgentAlias`, `KnowledgeBase`, `FlowAlias`, `Guardrail`, and `AWS::Bedrock::PromptVersion`, "the
///   name in the CloudTrail data-event table";
/// - S3, DynamoDB, Lambda: ../shared/reference/cloudtrail.md and `RecordingTable` (`AWS::S3::Object`,
///   `AWS::DynamoDB::Table`, `AWS::Lambda::Function`).
/// Not listed because no source could be read: `AWS::BedrockAgentCore::WebSearch` (named only in this project's notes),
/// Bedrock sessions and inline agents, and any `bedrock-mantle` type; their services get the generic advice instead.
public enum DataEventResourceTypes {
    /// IAM prefix → IAM resource-type name (catalogue) → CloudTrail `resources.type`.
    public static let byIAMType: [String: [String: String]] = [
        "bedrock-agentcore": [
            "runtime": "AWS::BedrockAgentCore::Runtime",
            "runtime-endpoint": "AWS::BedrockAgentCore::RuntimeEndpoint",
            "memory": "AWS::BedrockAgentCore::Memory",
            "gateway": "AWS::BedrockAgentCore::Gateway",
            "code-interpreter": "AWS::BedrockAgentCore::CodeInterpreter",
            "code-interpreter-custom": "AWS::BedrockAgentCore::CodeInterpreterCustom",
            "browser": "AWS::BedrockAgentCore::Browser",
            "browser-custom": "AWS::BedrockAgentCore::BrowserCustom",
            "workload-identity": "AWS::BedrockAgentCore::WorkloadIdentity",
            "workload-identity-directory": "AWS::BedrockAgentCore::WorkloadIdentityDirectory",
            "token-vault": "AWS::BedrockAgentCore::TokenVault",
            "oauth2credentialprovider": "AWS::BedrockAgentCore::OAuth2CredentialProvider",
            "apikeycredentialprovider": "AWS::BedrockAgentCore::APIKeyCredentialProvider",
            "evaluator": "AWS::BedrockAgentCore::Evaluator",
        ],
        "agent-registry": ["registry": "AWS::AgentRegistry::Registry", "registry-record": "AWS::AgentRegistry::Registry"],
        "bedrock": [
            "agent-alias": "AWS::Bedrock::AgentAlias",
            "knowledge-base": "AWS::Bedrock::KnowledgeBase",
            "flow-alias": "AWS::Bedrock::FlowAlias",
            "guardrail": "AWS::Bedrock::Guardrail",
            "prompt-version": "AWS::Bedrock::PromptVersion",
        ],
        "s3": ["object": "AWS::S3::Object"],
        "dynamodb": ["table": "AWS::DynamoDB::Table"],
        "lambda": ["function": "AWS::Lambda::Function"],
    ]

    /// The CloudTrail resource types whose data events would record `action` (from the catalogue's resource types of
    /// the action), sorted; empty when none is known.
    public static func selectorTypes(for action: IAMAction, catalogue: ActionCatalogue = .shared) -> [String] {
        guard let table = byIAMType[action.prefix.lowercased()] else { return [] }
        let types = (catalogue.action(named: action)?.resourceTypes ?? []).compactMap { table[$0.name] }
        return Array(Set(types)).sorted()
    }
}

/// A service whose data-plane actions are granted but whose data events are nowhere in the logs: the trail cannot
/// show whether those grants are used. One per service.
public struct TrailBlindSpot: Sendable, Hashable {
    /// IAM prefix (`bedrock-agentcore`).
    public var service: String
    /// Principals (ARN, or `role/Name` when only the name is known) granted at least one of `actions`, sorted.
    public var principals: [String]
    /// The granted data-plane actions, sorted.
    public var actions: [IAMAction]
    /// CloudTrail `resources.type` values to select (sorted); empty when no verified name is known.
    public var selectorTypes: [String]

    /// One sentence for reports and findings.
    public var summary: String {
        let names = actions.prefix(4).map(\.name).joined(separator: ", ") + (actions.count > 4 ? ", ..." : "")
        return "The trail cannot see \(service) data events: \(principals.count) principal(s) are granted "
            + "\(actions.count) data-plane action(s) (\(names)) and no \(service) data event is in these logs, so their use cannot be judged."
    }

    /// What to enable.
    public var advice: String {
        if selectorTypes.isEmpty {
            return "Log the data events of \(service) (AWS doc \"Logging data events\" lists its resource type)."
        }
        return "Add an advanced event selector with eventCategory = Data and resources.type = "
            + selectorTypes.joined(separator: ", ") + " (one selector per type; AWS doc \"Logging data events\")."
    }

    /// Groups per-principal grants into blind spots: for each principal, the granted actions whose events are data
    /// events that `isRecorded` says these logs do not have.
    public static func compute(_ grants: [(principal: String, actions: [IAMAction])],
                               isBlind: (IAMAction) -> Bool, catalogue: ActionCatalogue = .shared) -> [TrailBlindSpot] {
        var principals: [String: Set<String>] = [:]
        var actions: [String: Set<IAMAction>] = [:]
        for (principal, granted) in grants {
            for a in granted where isBlind(a) {
                let canonical = catalogue.action(named: a)?.action ?? a
                principals[canonical.prefix, default: []].insert(principal)
                actions[canonical.prefix, default: []].insert(canonical)
            }
        }
        return principals.keys.sorted().map { service in
            let acts = actions[service]!.sorted()
            let types = Set(acts.flatMap { DataEventResourceTypes.selectorTypes(for: $0, catalogue: catalogue) })
            return TrailBlindSpot(service: service, principals: principals[service]!.sorted(), actions: acts, selectorTypes: types.sorted())
        }
    }
}

/// An IAM action AWS has retired, and the action that replaces it.
public struct DeprecatedAction: Sendable, Hashable {
    /// The retired action, catalogue spelling (`bedrock-agentcore:CreateRegistry`).
    public let action: IAMAction
    /// What to grant instead (`agent-registry:CreateRegistry`).
    public let replacement: IAMAction
    /// When AWS stopped honouring it, `YYYY-MM`.
    public let since: String
    /// The AWS page that says so.
    public let source: String
}

/// Retired IAM actions that the catalogue still lists (AWS's IAM data keeps them), so `lint` knows them and can say
/// "deprecated since …, use …" instead of accepting them silently.
///
/// Agent Registry left the `bedrock-agentcore` namespace for `agent-registry` on 2026-08-06:
/// - AWS doc "IAM Permissions" (AgentCore developer guide, page `registry-iam-permissions`): "Support for the public
///   preview `bedrock-agentcore` namespace will be discontinued on September 17, 2026" (China regions: October 30,
///   2026); every table lists the `agent-registry:` action and the same action under "Amazon Bedrock AgentCore
///   namespace (to be deprecated)": Create/Get/Update/Delete/ListRegistries, Create/Get/Update/Delete/List
///   RegistryRecord(s), SubmitRegistryRecordForApproval, UpdateRegistryRecordStatus, and the data plane
///   SearchRegistryRecords and InvokeRegistryMcp.
/// - AWS doc "Comprehensive registry migration guide" (`registry-faq`): the namespace change "affects every surface
///   that references the service: endpoints, IAM policies, … resource ARNs".
/// The 14 `bedrock-agentcore:*Registr*` actions of the catalogue are exactly that list. 13 keep their name in
/// `agent-registry`; `SearchRegistryRecords` has no namespace twin: search in `agent-registry` is
/// `SearchDiscoverableRegistryRecords` (AWS doc "Search for registry records" names it where the preview page named
/// `SearchRegistryRecords`; the migration guide's own mapping table was not in the docs corpus, so this pairing is
/// read from those two pages).
public enum DeprecatedActions {
    static let registrySource = "AWS docs \"IAM Permissions\" (Agent Registry) and \"Comprehensive registry migration guide\""

    /// Every retired action, sorted.
    public static let all: [DeprecatedAction] = {
        let sameName = ["CreateRegistry", "GetRegistry", "UpdateRegistry", "DeleteRegistry", "ListRegistries",
                        "CreateRegistryRecord", "GetRegistryRecord", "UpdateRegistryRecord", "DeleteRegistryRecord",
                        "ListRegistryRecords", "SubmitRegistryRecordForApproval", "UpdateRegistryRecordStatus",
                        "InvokeRegistryMcp"]
        var out = sameName.map { name in
            DeprecatedAction(action: IAMAction(prefix: "bedrock-agentcore", name: name),
                             replacement: IAMAction(prefix: "agent-registry", name: name), since: "2026-09", source: registrySource)
        }
        out.append(DeprecatedAction(action: IAMAction(prefix: "bedrock-agentcore", name: "SearchRegistryRecords"),
                                    replacement: IAMAction(prefix: "agent-registry", name: "SearchDiscoverableRegistryRecords"),
                                    since: "2026-09", source: registrySource))
        return out.sorted { $0.action < $1.action }
    }()

    static let byAction: [IAMAction: DeprecatedAction] = Dictionary(uniqueKeysWithValues: all.map { ($0.action, $0) })

    /// The key prefixes (`ActionPattern.keyPrefix(ofService:)`) of the services with a retired action.
    static let servicePrefixes = Set(all.compactMap { ActionPattern.keyPrefix(ofService: $0.action.prefix.utf8) })

    /// The entry for `action` (any case), nil when it is not retired.
    public static func entry(for action: IAMAction) -> DeprecatedAction? { byAction[action] }

    /// True for a `bedrock-agentcore` registry ARN (`arn:aws:bedrock-agentcore:us-east-1:123:registry/abc[/record/def]`),
    /// which moves to `arn:aws:agent-registry:…` with the actions.
    static func isRetiredRegistryArn(_ pattern: String) -> Bool {
        let fields = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return fields.count == 6 && fields[2] == "bedrock-agentcore" && fields[5].hasPrefix("registry")
    }
}

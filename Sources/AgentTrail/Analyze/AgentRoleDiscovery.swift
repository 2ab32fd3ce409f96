/// Finds AgentCore execution roles: the `sts:AssumeRole` calls made by `bedrock-agentcore.amazonaws.com`.
///
/// Role assumptions by the Agent Registry principal `agent-registry.amazonaws.com` are deliberately **not** execution
/// roles. What AWS documents that principal assuming:
/// - its service-linked role `AWSServiceRoleForAgentRegistry` (AWS doc "Using service-linked roles for AWS Agent
///   Registry": the role "trusts the following services to assume the role: agent-registry.amazonaws.com", for
///   auto-detection across the organisation, managing records, AWS Config recorders and CloudWatch metrics);
/// - the role a record names for synchronisation (AWS doc "RegistryRecordIamCredentialProvider - Amazon Bedrock
///   AgentCore Control Plane": `roleArn`, "The Amazon Resource Name (ARN) of the IAM role to assume for SigV4
///   signing", "IAM credential provider configuration for authenticating with an external source using SigV4 signing
///   during synchronization"; the Service Authorization Reference's "Actions, resources, and condition keys for AWS
///   Agent Registry" lists `iam:PassRole` with `iam:PassedToService` = `agent-registry.amazonaws.com` for
///   `CreateRegistryRecord`).
/// Neither runs agent code: the registry signs requests to fetch a record's MCP server or agent card. Nothing in
/// AWS's docs says Agent Registry hosts or runs agents, so these roles get none of the execution-role treatment
/// (automatic review subject, `agent-role-outside-runtime`, the AgentCore credential issuer); they stay ordinary
/// principals, and their AssumeRole issuer is the service `agent-registry.amazonaws.com` (`CredentialIssuance`).
public enum AgentRoleDiscovery {
    public static let servicePrincipal = "bedrock-agentcore.amazonaws.com"
    /// Agent Registry's service principal (assumes its service-linked role and record-synchronisation roles; not
    /// execution roles — see the type's documentation).
    public static let registryServicePrincipal = "agent-registry.amazonaws.com"

    /// The role ARN assumed, when `record` is an `AssumeRole` by the AgentCore service principal (successful).
    public static func assumedAgentRole(_ record: CloudTrailRecord) -> String? {
        guard record.knownSource == .sts, record.eventName == "AssumeRole", record.succeeded else { return nil }
        let p = record.principal
        let byAgentCore = p.invokedBy == servicePrincipal || record.sourceIPText == servicePrincipal
            || (p.type == "AWSService" && p.invokedBy == servicePrincipal)
        guard byAgentCore else { return nil }
        return record.requestParameters?.string(forKey: "roleArn")
    }
}

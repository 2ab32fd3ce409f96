/// Finds AgentCore execution roles: the `sts:AssumeRole` calls made by `bedrock-agentcore.amazonaws.com`.
public enum AgentRoleDiscovery {
    public static let servicePrincipal = "bedrock-agentcore.amazonaws.com"

    /// The role ARN assumed, when `record` is an `AssumeRole` by the AgentCore service principal (successful).
    public static func assumedAgentRole(_ record: CloudTrailRecord) -> String? {
        guard record.eventSource == "sts.amazonaws.com", record.eventName == "AssumeRole", record.succeeded else { return nil }
        let p = record.principal
        let byAgentCore = p.invokedBy == servicePrincipal || record.sourceIPText == servicePrincipal
            || (p.type == "AWSService" && p.invokedBy == servicePrincipal)
        guard byAgentCore else { return nil }
        return record.requestParameters?.string(forKey: "roleArn")
    }
}

import Foundation
import Testing
@testable import AgentTrail

/// Which `sts:AssumeRole` records make a role an AgentCore execution role (issue 14, point 2: the Agent Registry
/// principal assumes its service-linked role and record-synchronisation roles, which run no agent code).
@Suite struct AgentRoleDiscoveryTests {
    static let role = "arn:aws:iam::111122223333:role/SomeRole"

    static func assume(invokedBy: String?, ip: String?, type: String? = "AWSService", error: String? = nil) -> CloudTrailRecord {
        var r = CloudTrailRecord(eventSource: "sts.amazonaws.com", eventName: "AssumeRole",
                                 principal: Principal(type: type, invokedBy: invokedBy))
        r.sourceIPText = ip
        r.errorCode = error
        r.requestParameters = RawJSON(#"{"roleArn":"\#(role)","roleSessionName":"s"}"#)
        r.responseElements = RawJSON(#"{"credentials":{"accessKeyId":"ASIAEXAMPLE1"}}"#)
        return r
    }

    @Test(arguments: [
        ("bedrock-agentcore.amazonaws.com", "bedrock-agentcore.amazonaws.com", nil, true, "bedrock-agentcore.amazonaws.com"),
        (nil, "bedrock-agentcore.amazonaws.com", nil, true, "bedrock-agentcore.amazonaws.com"),
        ("bedrock-agentcore.amazonaws.com", "bedrock-agentcore.amazonaws.com", "AccessDenied", false, nil),
        // Agent Registry: service-linked role and record-synchronisation (SigV4) roles are not execution roles.
        ("agent-registry.amazonaws.com", "agent-registry.amazonaws.com", nil, false, "agent-registry.amazonaws.com"),
        (nil, "agent-registry.amazonaws.com", nil, false, "agent-registry.amazonaws.com"),
        ("lambda.amazonaws.com", "lambda.amazonaws.com", nil, false, "lambda.amazonaws.com"),
    ] as [(String?, String?, String?, Bool, String?)])
    func executionRoleDiscovery(_ t: (String?, String?, String?, Bool, String?)) {
        let r = Self.assume(invokedBy: t.0, ip: t.1, error: t.2)
        #expect((AgentRoleDiscovery.assumedAgentRole(r) == Self.role) == t.3)
        #expect(CredentialIssuance.from(r, file: "f", index: 0)?.issuance.issuer.description == t.4)
    }
}

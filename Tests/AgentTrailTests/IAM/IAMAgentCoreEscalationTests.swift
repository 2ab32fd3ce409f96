import Foundation
import Testing
@testable import AgentTrail

/// Lint rules for the AgentCore privilege-escalation paths (issue 14, point 4).
@Suite("IAM AgentCore escalation lint")
struct IAMAgentCoreEscalationTests {
    static let dir = "agentcore-escalation/"

    static func agentCore(_ findings: [LintFinding]) -> [String] {
        findings.filter { $0.rule.hasPrefix("agentcore-") }.map { "\($0.rule) \($0.severity.name) \($0.jsonPath)" }
    }

    /// What each fixture reports (AgentCore rules only), including the near misses that must stay silent.
    static let fixtures: [(String, [String])] = [
        ("passrole-any-code-interpreter.json", ["agentcore-passrole-escalation high Statement[0]"]),
        ("passrole-wildcard-runtime-command.json", ["agentcore-passrole-escalation high Statement[0]"]),
        ("passrole-admin-update-runtime.json", ["agentcore-passrole-escalation critical Statement[0]"]),
        ("passrole-any-browser.json", ["agentcore-passrole-escalation high Statement[0]"]),
        ("near-miss-passrole-one-role-to-agentcore.json", []),
        ("near-miss-passrole-other-service.json", []),
        ("near-miss-invoke-existing-runtime-only.json", []),
        ("near-miss-passrole-denied.json", []),
        // The starter toolkit's execution-role template before and after "Scoping down policy statements" (2025-12-09).
        ("role-AmazonBedrockAgentCoreSDKRuntime-us-east-1-7f393841fb.json",
         ["agentcore-userid-token medium Statement[17].Action[1]", "agentcore-starter-toolkit-role high Statement[0]",
          "agentcore-starter-toolkit-role high Statement[8]", "agentcore-starter-toolkit-role high Statement[10]",
          "agentcore-starter-toolkit-role high Statement[16]"]),
        ("AmazonBedrockAgentCoreSDKRuntime-us-east-1-scoped.json", ["agentcore-userid-token medium Statement[15].Action[1]"]),
    ]

    @Test(arguments: fixtures)
    func fixture(_ t: (String, [String])) {
        let report = PolicyLinter().lint(paths: [IAMFixtures.policy(Self.dir + t.0)])
        #expect(Self.agentCore(report.findings) == t.1, "\(t.0)")
    }

    /// The seed guide's policies grant `bedrock-agentcore:*` but no `iam:PassRole`: no path.
    @Test func seedGuideIsSilent() {
        #expect(Self.agentCore(PolicyLinter().lint(paths: [IAMFixtures.seed.path]).findings).isEmpty)
        #expect(Self.agentCore(PolicyLinter().lint(paths: [IAMFixtures.policy("2026/agent-platform-2026.json")]).findings).isEmpty)
    }

    /// (statements, expected `agentcore-passrole-escalation` severities, one per resource kind).
    static let combinations: [(String, [Severity])] = [
        (#"{"Effect":"Allow","Action":["iam:PassRole","bedrock-agentcore:CreateCodeInterpreter","bedrock-agentcore:InvokeCodeInterpreter"],"Resource":"*"}"#, [.high]),
        (#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/*"},{"Effect":"Allow","Action":["bedrock-agentcore:CreateCodeInterpreter","bedrock-agentcore:InvokeCodeInterpreter"],"Resource":"*"}"#, [.high]),
        (#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/AgentCoreRuntime-x"},{"Effect":"Allow","Action":["bedrock-agentcore:CreateCodeInterpreter","bedrock-agentcore:InvokeCodeInterpreter"],"Resource":"*"}"#, []),
        (#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"arn:aws:iam::111122223333:role/TeamAdministrator"},{"Effect":"Allow","Action":["bedrock-agentcore:CreateCodeInterpreter","bedrock-agentcore:InvokeCodeInterpreter"],"Resource":"*"}"#, [.critical]),
        (#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringEquals":{"iam:PassedToService":"bedrock-agentcore.amazonaws.com"}}},{"Effect":"Allow","Action":["bedrock-agentcore:CreateCodeInterpreter","bedrock-agentcore:InvokeCodeInterpreter"],"Resource":"*"}"#, [.high]),
        (#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringLike":{"iam:PassedToService":"bedrock*"}}},{"Effect":"Allow","Action":["bedrock-agentcore:CreateCodeInterpreter","bedrock-agentcore:InvokeCodeInterpreter"],"Resource":"*"}"#, [.high]),
        (#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*","Condition":{"StringNotEquals":{"iam:PassedToService":"bedrock-agentcore.amazonaws.com"}}},{"Effect":"Allow","Action":["bedrock-agentcore:CreateCodeInterpreter","bedrock-agentcore:InvokeCodeInterpreter"],"Resource":"*"}"#, []),
        (#"{"Effect":"Allow","Action":"iam:PassRole","NotResource":"arn:aws:iam::111122223333:role/Admin"},{"Effect":"Allow","Action":["bedrock-agentcore:CreateCodeInterpreter","bedrock-agentcore:InvokeCodeInterpreter"],"Resource":"*"}"#, [.high]),
        (#"{"Effect":"Allow","NotAction":"iam:CreateUser","Resource":"*"}"#, [.high, .high, .high]),
        (#"{"Effect":"Allow","Action":"*","Resource":"*"}"#, []),
        (#"{"Effect":"Allow","Action":["iam:PassRole","bedrock-agentcore:*"],"Resource":"*"}"#, [.high, .high, .high]),
        (#"{"Effect":"Allow","Action":["iam:PassRole","bedrock-agentcore:*"],"Resource":"*"},{"Effect":"Deny","Action":"iam:Pass*","Resource":"*"}"#, []),
        // Runtimes: a new runtime needs a wildcard in the invoke grant's id; an update needs the same runtime.
        (#"{"Effect":"Allow","Action":["iam:PassRole","bedrock-agentcore:CreateAgentRuntime"],"Resource":"*"},{"Effect":"Allow","Action":"bedrock-agentcore:InvokeAgentRuntime","Resource":"arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/a-1"}"#, []),
        (#"{"Effect":"Allow","Action":["iam:PassRole","bedrock-agentcore:CreateAgentRuntime"],"Resource":"*"},{"Effect":"Allow","Action":"bedrock-agentcore:InvokeAgentRuntimeCommandShell","Resource":"arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/*"}"#, [.high]),
        (#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"},{"Effect":"Allow","Action":["bedrock-agentcore:UpdateAgentRuntime","bedrock-agentcore:InvokeAgentRuntime"],"Resource":"arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/a-1"}"#, [.high]),
        (#"{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"},{"Effect":"Allow","Action":"bedrock-agentcore:UpdateAgentRuntime","Resource":"arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/a-1"},{"Effect":"Allow","Action":"bedrock-agentcore:InvokeAgentRuntime","Resource":"arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/b-2"}"#, []),
        // Code interpreters: only AWS's built-in one (no custom role) is not a path.
        (#"{"Effect":"Allow","Action":["iam:PassRole","bedrock-agentcore:CreateCodeInterpreter"],"Resource":"*"},{"Effect":"Allow","Action":"bedrock-agentcore:InvokeCodeInterpreter","Resource":"arn:aws:bedrock-agentcore:us-east-1:aws:code-interpreter/aws.codeinterpreter.v1"}"#, []),
        // Browsers need a session and the automation stream.
        (#"{"Effect":"Allow","Action":["iam:PassRole","bedrock-agentcore:CreateBrowser","bedrock-agentcore:StartBrowserSession"],"Resource":"*"}"#, []),
    ]

    @Test(arguments: combinations)
    func combination(_ t: (String, [Severity])) throws {
        let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[\#(t.0)]}"#)
        let found = PolicyLinter().lint(doc).filter { $0.rule == "agentcore-passrole-escalation" }
        #expect(found.map(\.severity) == t.1, "\(t.0)")
    }

    /// The finding names every statement that combines and the smallest change that breaks the path.
    @Test func findingNamesStatementsAndFix() throws {
        let report = PolicyLinter().lint(paths: [IAMFixtures.policy(Self.dir + "passrole-wildcard-runtime-command.json")])
        let f = try #require(report.findings.first { $0.rule == "agentcore-passrole-escalation" })
        #expect(f.statements == ["passrole-wildcard-runtime-command.json Statement[0] (Sid PassAgentRoles)",
                                 "passrole-wildcard-runtime-command.json Statement[1] (Sid Deploy)",
                                 "passrole-wildcard-runtime-command.json Statement[2] (Sid Shell)"])
        #expect(f.message.hasPrefix("privilege escalation through an AgentCore agent runtime: iam:PassRole on arn:aws:iam::111122223333:role/AgentCore* [Statement[0] (Sid PassAgentRoles)] + bedrock-agentcore:CreateAgentRuntime [Statement[1] (Sid Deploy)] + bedrock-agentcore:InvokeAgentRuntimeCommand [Statement[2] (Sid Shell)]: can deploy a runtime"))
        #expect(f.suggestion == #"smallest change that breaks it: in Statement[0] (Sid PassAgentRoles) limit iam:PassRole to the execution role(s) this principal deploys (not an administrator role) with "Condition": {"StringEquals": {"iam:PassedToService": "bedrock-agentcore.amazonaws.com"}}; or remove bedrock-agentcore:InvokeAgentRuntimeCommand from Statement[2] (Sid Shell)"#)
    }

    /// Authorization details: a path split over two inline policies is reported once for the role; a role whose
    /// own policies allow `*` is an administrator role to pass; the near miss and the administrator stay silent.
    @Test func authorizationDetails() throws {
        let report = PolicyLinter().lint(paths: [IAMFixtures.policy(Self.dir + "authorization-details.json")])
        let found = report.findings.filter { $0.rule == "agentcore-passrole-escalation" }
        #expect(found.map { "\($0.document) \($0.severity.name)" } == ["role/Deployer inline:deploy critical", "role/AgentBuilder high"])
        let builder = try #require(found.last)
        #expect(builder.statements == [
            "role/AgentBuilder inline:pass-roles RoleDetailList[0].RolePolicyList[0].PolicyDocument.Statement[0] (Sid PassAny)",
            "role/AgentBuilder inline:code-interpreters RoleDetailList[0].RolePolicyList[1].PolicyDocument.Statement[0] (Sid Interpreters)"])
        #expect(builder.message.hasPrefix("role/AgentBuilder: privilege escalation through an AgentCore code interpreter"))
        #expect(found.first?.message.contains("arn:aws:iam::111122223333:role/OpsAutomation (looks like an administrator role)") == true)
    }

    @Test(arguments: [
        (#"{"Effect":"Allow","Action":"bedrock-agentcore:GetWorkloadAccessTokenForUserId","Resource":"*"}"#, "Statement[0].Action"),
        (#"{"Effect":"Allow","Action":["bedrock-agentcore:GetWorkloadAccessToken*"],"Resource":"*"}"#, "Statement[0].Action[0]"),
        (#"{"Effect":"Allow","Action":"bedrock-agentcore:GetWorkloadAccessTokenForUserId","Resource":"*","Condition":{"StringEquals":{"bedrock-agentcore:userid":"alice"}}}"#, nil),
        (#"{"Effect":"Allow","Action":"bedrock-agentcore:*","Resource":"*"}"#, nil),
        (#"{"Effect":"Allow","Action":"bedrock-agentcore:GetWorkloadAccessTokenForJWT","Resource":"*"}"#, nil),
        (#"{"Effect":"Deny","Action":"bedrock-agentcore:GetWorkloadAccessTokenForUserId","Resource":"*"}"#, nil),
    ] as [(String, String?)])
    func userIdToken(_ t: (String, String?)) throws {
        let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[\#(t.0)]}"#)
        let f = PolicyLinter().lint(doc).filter { $0.rule == "agentcore-userid-token" }
        #expect(f.map(\.jsonPath) == (t.1.map { [$0] } ?? []), "\(t.0)")
        #expect(f.allSatisfy { $0.severity == .medium })
    }

    @Test func userIdTokenMentionsJWTWhenGranted() throws {
        let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock-agentcore:GetWorkloadAccessTokenForJWT","bedrock-agentcore:GetWorkloadAccessTokenForUserId"],"Resource":"*"}]}"#)
        let f = try #require(PolicyLinter().lint(doc).first { $0.rule == "agentcore-userid-token" })
        #expect(f.message.hasSuffix("; GetWorkloadAccessTokenForJWT is granted here too and serves callers that have the user's JWT"))
    }

    /// The toolkit rule needs the toolkit's role name: the same statements under another name are not reported.
    @Test func starterToolkitRuleNeedsTheToolkitName() throws {
        let doc = try PolicyLoader.loadDocument(file: IAMFixtures.policy(Self.dir + "role-AmazonBedrockAgentCoreSDKRuntime-us-east-1-7f393841fb.json"))
        let other = PrincipalPolicies(kind: .role, name: "SupportBotRole", policies: PolicySet([doc]))
        #expect(AgentCoreEscalation.starterToolkitRole(other, catalogue: .shared).isEmpty)
        let toolkit = PrincipalPolicies(kind: .role, name: "AmazonBedrockAgentCoreSDKRuntime-eu-west-1-0123456789", policies: PolicySet([doc]))
        let found = AgentCoreEscalation.starterToolkitRole(toolkit, catalogue: .shared)
        #expect(found.count == 4)
        #expect(found.first { $0.jsonPath == "Statement[16]" }?.message.contains("aws:code-interpreter/*") == false)
    }
}

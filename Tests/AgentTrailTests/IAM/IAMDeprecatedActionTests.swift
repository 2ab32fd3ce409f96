import Foundation
import Testing
@testable import AgentTrail

/// `deprecated-action`: the `bedrock-agentcore` registry actions retired in 2026-09 for `agent-registry:` (issue 14, point 2).
@Suite("IAM deprecated actions")
struct IAMDeprecatedActionTests {
    let catalogue = ActionCatalogue.shared

    /// Every retired action and its replacement exist in the catalogue, and the table is exactly the catalogue's
    /// `bedrock-agentcore:*Registr*` actions (the list on AWS's "IAM Permissions" page).
    @Test func tableMatchesTheCatalogue() {
        for entry in DeprecatedActions.all {
            #expect(catalogue.contains(entry.action), "\(entry.action)")
            #expect(catalogue.contains(entry.replacement), "\(entry.replacement)")
            #expect(entry.since == "2026-09")
        }
        let registry = catalogue.expand(pattern: "bedrock-agentcore:*Registr*")
        #expect(registry.count == 14)
        #expect(Set(registry) == Set(DeprecatedActions.all.map(\.action)))
    }

    @Test(arguments: [
        ("bedrock-agentcore:CreateRegistry", "agent-registry:CreateRegistry"),
        ("bedrock-agentcore:ListRegistries", "agent-registry:ListRegistries"),
        ("bedrock-agentcore:UpdateRegistryRecordStatus", "agent-registry:UpdateRegistryRecordStatus"),
        ("bedrock-agentcore:InvokeRegistryMcp", "agent-registry:InvokeRegistryMcp"),
        ("bedrock-agentcore:SearchRegistryRecords", "agent-registry:SearchDiscoverableRegistryRecords"),
        ("BEDROCK-AGENTCORE:createregistry", "agent-registry:CreateRegistry"),
    ])
    func literalRetiredActionIsReported(_ t: (String, String)) throws {
        let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"\#(t.0)","Resource":"*"}]}"#)
        let findings = PolicyLinter().lint(doc).filter { $0.rule == "deprecated-action" }
        #expect(findings.count == 1)
        let f = try #require(findings.first)
        #expect(f.severity == .medium)
        #expect(f.jsonPath == "Statement[0].Action")
        #expect(f.message.hasSuffix("is deprecated since 2026-09, use \(t.1)"), "\(f.message)")
        #expect(f.suggestion == "replace it with \(t.1)")
    }

    /// Severity and wording by effect and by whether the document already names the replacement.
    @Test(arguments: [
        // (statements, expected severity, message suffix)
        (#"{"Effect":"Allow","Action":["bedrock-agentcore:GetRegistry","agent-registry:GetRegistry"],"Resource":"*"}"#,
         Severity.low, "(already granted here: remove the old name)"),
        (#"{"Effect":"Allow","Action":"bedrock-agentcore:GetRegistry","Resource":"*"},{"Effect":"Allow","Action":"agent-registry:*","Resource":"*"}"#,
         Severity.low, "(already granted here: remove the old name)"),
        (#"{"Effect":"Deny","Action":"bedrock-agentcore:DeleteRegistry","Resource":"*"}"#,
         Severity.medium, "(this Deny no longer blocks the registry: deny the replacement too)"),
        (#"{"Effect":"Deny","Action":["bedrock-agentcore:DeleteRegistry","agent-registry:DeleteRegistry"],"Resource":"*"}"#,
         Severity.low, "use agent-registry:DeleteRegistry"),
    ])
    func severityFollowsTheReplacement(_ t: (String, Severity, String)) throws {
        let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[\#(t.0)]}"#)
        let f = try #require(PolicyLinter().lint(doc).first { $0.rule == "deprecated-action" })
        #expect(f.severity == t.1)
        #expect(f.message.hasSuffix(t.2), "\(f.message)")
    }

    /// Wildcards: reported only when every action they match is retired; service-wide ones are `service-wildcard`'s.
    @Test(arguments: [
        ("bedrock-agentcore:*Registry*", true),
        ("bedrock-agentcore:Get*Registry", true),
        ("bedrock-agentcore:Get*", false),
        ("bedrock-agentcore:*", false),
        ("*", false),
        ("agent-registry:*Registry*", false),
        ("BEDROCK-AgentCore:*Registry*", true),  // (the service in any case: still the retired ones)
        ("bedrock-agentcor?:*Registry*", true),  // (a wildcard in the service part: expanded)
        ("s3:*Registry*", false),  // (another service: not expanded)
    ])
    func wildcards(_ t: (String, Bool)) throws {
        let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"\#(t.0)","Resource":"*"}]}"#)
        let f = PolicyLinter().lint(doc).first { $0.rule == "deprecated-action" }
        #expect((f != nil) == t.1, "\(t.0)")
        if let f { #expect(f.message.hasPrefix("\"\(t.0)\" matches only actions that are deprecated since 2026-09, use agent-registry:")) }
    }

    /// The old registry ARNs move with the actions: the suggestion says so.
    @Test func retiredRegistryArnsAreMentioned() throws {
        let report = PolicyLinter().lint(paths: [IAMFixtures.policy("2026/registry-preview-namespace.json")])
        let deprecated = report.findings.filter { $0.rule == "deprecated-action" }
        #expect(deprecated.map(\.jsonPath) == ["Statement[0].Action[0]", "Statement[0].Action[1]", "Statement[0].Action[2]",
                                              "Statement[1].Action[0]", "Statement[2].Action", "Statement[3].Action"])
        #expect(deprecated.map(\.severity) == [.medium, .medium, .medium, .low, .medium, .medium])
        #expect(deprecated[0].suggestion?.hasSuffix("with arn:...:agent-registry:...:registry/...") == true)
        #expect(deprecated[3].suggestion == "remove it")
        // The correct 2026 policy and the seed guide (whose `bedrock-agentcore:*` covers the old actions) stay silent.
        #expect(PolicyLinter().lint(paths: [IAMFixtures.policy("2026/agent-platform-2026.json")]).findings.isEmpty)
        #expect(!PolicyLinter().lint(paths: [IAMFixtures.seed.path]).findings.contains { $0.rule == "deprecated-action" })
    }
}

import Foundation
import Testing
@testable import AgentTrail

@Suite("IAM policy loading")
struct IAMPolicyLoaderTests {
    @Test func statementObjectAndStringForms() throws {
        let doc = try PolicyLoader.loadDocument(file: IAMFixtures.policy("forms/statement-object.json"))
        #expect(doc.statementIsObject)
        #expect(doc.statements.count == 1)
        let st = doc.statements[0]
        #expect(st.sid == "One")
        #expect(st.path == "Statement")
        #expect(st.action == .actions(["s3:GetObject"]))
        #expect(st.actionPath(0) == "Statement.Action")
        #expect(st.resource == .resources(["arn:aws:s3:::b/*"]))
    }

    @Test func arraysNotActionNotResource() throws {
        let doc = try PolicyLoader.loadDocument(file: IAMFixtures.policy("forms/strings-and-arrays.json"))
        #expect(doc.statements[0].actionPath(1) == "Statement[0].Action[1]")
        #expect(doc.statements[1].action == .notActions(["iam:*"]))
        #expect(doc.statements[1].resource == .notResources(["arn:aws:s3:::secret/*"]))
        #expect(doc.statements[1].resourcePath(0) == "Statement[1].NotResource")
    }

    @Test func conditionBlocks() throws {
        let doc = try PolicyLoader.loadDocument(file: IAMFixtures.policy("forms/conditions.json"))
        let c = doc.statements[0].conditions
        #expect(c.count == 3)
        let ip = try #require(c.first { $0.op.base == .ipAddress })
        #expect(ip.values == ["10.0.0.0/8", "2001:db8::/32"])
        #expect(c.first { $0.op.base == .bool }?.values == ["true"])
        #expect(c.first { $0.op.base == .numericLessThan }?.values == ["3600"])
    }

    @Test(arguments: [
        ("forms/bad-effect.json", PolicyLoadError.Code.invalidDocument, "Statement[1].Effect"),
        ("forms/bad-action-type.json", .invalidDocument, "Statement[0].Action[1]"),
        ("forms/not-json.json", .invalidJSON, ""),
        ("seed/09-agent-role-secrets-statement.json", .invalidDocument, ""),
    ])
    func badDocumentsGiveFileAndPath(_ t: (String, PolicyLoadError.Code, String)) {
        let file = IAMFixtures.policy(t.0)
        #expect {
            try PolicyLoader.loadDocument(file: file)
        } throws: { error in
            guard let e = error as? PolicyLoadError else { return false }
            return e.code == t.1 && e.jsonPath == t.2 && e.file == file
        }
    }

    @Test func folderLoadKeepsGoodDocumentsAndReportsBadOnes() {
        let result = PolicyLoader().load(paths: [IAMFixtures.policies.appendingPathComponent("forms").path])
        #expect(result.documents.count == 3)
        #expect(result.errors.count == 3)
        #expect(Set(result.errors.map { ($0.file! as NSString).lastPathComponent })
                == ["bad-effect.json", "bad-action-type.json", "not-json.json"])
        // File-name convention: each plain file becomes a role named after it.
        #expect(result.principals.map(\.name).sorted() == ["conditions", "statement-object", "strings-and-arrays"])
    }

    @Test(arguments: [
        ("role-AgentRole.json", PrincipalPolicies.Kind.role, "AgentRole"), ("user-bob.json", .user, "bob"),
        ("/x/y/MyRole.json", .role, "MyRole"),
    ])
    func fileNameConvention(_ t: (String, PrincipalPolicies.Kind, String)) {
        let (kind, name) = PolicyLoader.principalName(forFile: t.0)
        #expect(kind == t.1 && name == t.2)
    }

    @Test func explicitMappingAssociatesFiles() {
        let loader = PolicyLoader(mapping: ["arn:aws:iam::111122223333:role/agents/Runner": ["strings-*.json", "conditions.json"]])
        let result = loader.load(paths: [IAMFixtures.policy("forms/strings-and-arrays.json"), IAMFixtures.policy("forms/conditions.json")])
        #expect(result.principals.count == 1)
        let p = result.principals[0]
        #expect(p.name == "Runner" && p.arn == "arn:aws:iam::111122223333:role/agents/Runner")
        #expect(p.policies.documents.count == 2)
        #expect(p.matches(arn: "arn:aws:sts::111122223333:assumed-role/Runner/session-1"))
    }

    @Test func authorizationDetails() throws {
        let file = IAMFixtures.policy("authdetails/account-authorization-details.json")
        let result = PolicyLoader().load(paths: [file])
        // The AWS managed policy is attached but not exported: reported, the rest still loads.
        #expect(result.errors.map(\.code) == [.missingManagedPolicy])
        #expect(result.errors.first?.jsonPath == "RoleDetailList[0].AttachedManagedPolicies[1]")

        let role = try #require(result.principals.first { $0.kind == .role })
        #expect(role.arn == "arn:aws:iam::111122223333:role/service-role/agents/AgentRuntimeRole")
        #expect(role.path == "/service-role/agents/")
        #expect(role.matches(arn: "arn:aws:sts::111122223333:assumed-role/AgentRuntimeRole/s"))
        #expect(role.matches(arn: "arn:aws:iam::111122223333:role/service-role/agents/AgentRuntimeRole"))
        #expect(!role.matches(arn: "arn:aws:sts::999999999999:assumed-role/AgentRuntimeRole/s"))
        #expect(role.policies.documents.map(\.name) == ["role/AgentRuntimeRole inline:invoke-runtime",
                                                        "arn:aws:iam::111122223333:policy/ModelAccess (v2)"])
        #expect(role.trustPolicy?.statements.first?.hasPrincipal == true)
        // The default version (v2), not v1's Action "*".
        let grants = Evaluator.grantedActions(role.policies)
        #expect(grants.actions.map(\.description) == ["bedrock-agentcore:InvokeAgentRuntime", "bedrock:InvokeModel",
                                                      "bedrock:InvokeModelWithResponseStream"])

        let user = try #require(result.principals.first { $0.kind == .user })
        #expect(user.name == "alice")
        // Own inline + group inline (URL-encoded) + group managed (URL-encoded, default v3).
        #expect(user.policies.documents.count == 3)
        let userGrants = Evaluator.grantedActions(user.policies)
        #expect(userGrants.actions.map(\.description) == ["s3:GetObject", "secretsmanager:GetSecretValue", "sts:GetCallerIdentity"])
        #expect(userGrants[IAMAction("secretsmanager:GetSecretValue")!]?.partialDenies.count == 1)
        #expect(Evaluator.trustedSourceCIDRs(user.policies).map(\.description) == ["203.0.113.0/24", "2001:db8::/32"])
        let managedDoc = try #require(user.policies.documents.last)
        #expect(managedDoc.jsonPath == "Policies[1].PolicyVersionList[1].Document")
    }
}

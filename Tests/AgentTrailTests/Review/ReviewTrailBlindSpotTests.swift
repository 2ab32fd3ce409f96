import Foundation
import Testing
@testable import AgentTrail

/// "The trail cannot see this" (issue 14, point 5): granted data-plane actions of a service with no data event of it
/// in the window, said once per service with the event-selector resource types to enable.
@Suite struct ReviewTrailBlindSpotTests {
    @Test(arguments: [
        ("bedrock-agentcore:InvokeAgentRuntime", ["AWS::BedrockAgentCore::Runtime", "AWS::BedrockAgentCore::RuntimeEndpoint"]),
        ("bedrock-agentcore:InvokeGateway", ["AWS::BedrockAgentCore::Gateway"]),
        ("bedrock-agentcore:CreateEvent", ["AWS::BedrockAgentCore::Memory"]),
        ("bedrock-agentcore:StartCodeInterpreterSession", ["AWS::BedrockAgentCore::CodeInterpreter", "AWS::BedrockAgentCore::CodeInterpreterCustom"]),
        ("bedrock-agentcore:GetResourceOauth2Token", ["AWS::BedrockAgentCore::OAuth2CredentialProvider", "AWS::BedrockAgentCore::TokenVault",
                                                      "AWS::BedrockAgentCore::WorkloadIdentity", "AWS::BedrockAgentCore::WorkloadIdentityDirectory"]),
        ("bedrock-agentcore:InvokeWebSearch", []),
        ("agent-registry:SearchDiscoverableRegistryRecords", ["AWS::AgentRegistry::Registry"]),
        ("bedrock:InvokeAgent", ["AWS::Bedrock::AgentAlias"]),
        ("bedrock:RenderPrompt", ["AWS::Bedrock::PromptVersion"]),
        ("s3:GetObject", ["AWS::S3::Object"]),
        ("dynamodb:GetItem", ["AWS::DynamoDB::Table"]),
        ("lambda:InvokeFunction", ["AWS::Lambda::Function"]),
        ("bedrock-mantle:CreateInference", []),
    ])
    func selectorTypes(_ t: (String, [String])) throws {
        #expect(DataEventResourceTypes.selectorTypes(for: try #require(IAMAction(t.0))) == t.1, "\(t.0)")
    }

    @Test func groupedOncePerService() {
        let a = { (s: String) in IAMAction(s)! }
        let spots = TrailBlindSpot.compute([
            ("arn:aws:iam::111122223333:role/A", [a("bedrock-agentcore:InvokeAgentRuntime"), a("bedrock-agentcore:GetAgentRuntime"), a("s3:GetObject")]),
            ("arn:aws:iam::111122223333:role/B", [a("bedrock-agentcore:CreateEvent"), a("bedrock-agentcore:InvokeAgentRuntime")]),
        ], isBlind: { EventActionMap.shared.recording(of: $0) == .data && $0.prefix == "bedrock-agentcore" })
        #expect(spots.count == 1)
        let s = spots[0]
        #expect(s.service == "bedrock-agentcore")
        #expect(s.principals == ["arn:aws:iam::111122223333:role/A", "arn:aws:iam::111122223333:role/B"])
        #expect(s.actions.map(\.description) == ["bedrock-agentcore:CreateEvent", "bedrock-agentcore:InvokeAgentRuntime"])
        #expect(s.selectorTypes == ["AWS::BedrockAgentCore::Memory", "AWS::BedrockAgentCore::Runtime", "AWS::BedrockAgentCore::RuntimeEndpoint"])
        #expect(s.advice == "Add an advanced event selector with eventCategory = Data and resources.type = AWS::BedrockAgentCore::Memory, AWS::BedrockAgentCore::Runtime, AWS::BedrockAgentCore::RuntimeEndpoint (one selector per type; AWS doc \"Logging data events\").")
    }

    // MARK: - End to end: a small trail, two roles with policies

    static func record(_ role: String, _ name: String, category: String, minute: Int) -> String {
        """
        {"eventVersion":"1.11","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:s","arn":"arn:aws:sts::111122223333:assumed-role/\(role)/s","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/\(role)","accountId":"111122223333","userName":"\(role)"}}},"eventTime":"2026-10-20T10:\(String(format: "%02d", minute)):00Z","eventSource":"bedrock-agentcore.amazonaws.com","eventName":"\(name)","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"boto3/1.40","requestParameters":{"agentRuntimeId":"bot-AbCdEf1234"},"responseElements":null,"requestID":"r\(minute)","eventID":"e\(minute)","readOnly":true,"eventType":"AwsApiCall","managementEvent":\(category == "Management"),"recipientAccountId":"111122223333","eventCategory":"\(category)"}
        """
    }

    static let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock-agentcore:GetAgentRuntime","bedrock-agentcore:InvokeAgentRuntime","bedrock-agentcore:CreateEvent"],"Resource":"*"}]}"#

    /// (records, dataEvents config, expected services with blind spots)
    static let cases: [(String, [(String, String, String)], [String: Bool], [String])] = [
        ("management events only: the AgentCore data plane is invisible",
         [("AgentA", "GetAgentRuntime", "Management"), ("AgentB", "GetAgentRuntime", "Management")], [:], ["bedrock-agentcore"]),
        ("one AgentCore data event anywhere: the trail records them",
         [("AgentA", "GetAgentRuntime", "Management"), ("AgentB", "InvokeAgentRuntime", "Data")], [:], []),
        ("config says the trail records them",
         [("AgentA", "GetAgentRuntime", "Management")], ["bedrock-agentcore": true], []),
    ]

    @Test(arguments: cases)
    func reviewAndScan(_ t: (String, [(String, String, String)], [String: Bool], [String])) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("blind-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let records = t.1.enumerated().map { Self.record($0.element.0, $0.element.1, category: $0.element.2, minute: $0.offset + 1) }
        try Data(#"{"Records":[\#(records.joined(separator: ","))]}"#.utf8)
            .write(to: dir.appendingPathComponent("111122223333_CloudTrail_us-east-1_20261020T1005Z_blind.json"))
        let policies = dir.appendingPathComponent("policies")
        try FileManager.default.createDirectory(at: policies, withIntermediateDirectories: true)
        for role in ["AgentA", "AgentB"] { try Data(Self.policy.utf8).write(to: policies.appendingPathComponent("role-\(role).json")) }
        var config = AgentTrailConfig()
        config.dataEvents = t.2
        let loaded = try PolicyContextLoader.load(paths: [policies.path], config: config)
        var options = ScanOptions(paths: [dir.appendingPathComponent("111122223333_CloudTrail_us-east-1_20261020T1005Z_blind.json").path], jobs: 1)
        options.context = AnalysisContext(config: config, policies: loaded.info)

        let report = AccessReview.run(options, loaded: loaded)
        #expect(report.blindSpots.map(\.service) == t.3, "\(t.0)")
        var scan = options
        scan.detectors = DetectorRegistry.all() + DetectorRegistry.policyDetectors(loaded)
        let findings = ScanRun.run(scan).findings.filter { $0.subject["status"] == "not-recorded" }
        #expect(findings.map { $0.subject["service"] ?? "" } == t.3, "\(t.0)")
        if let spot = report.blindSpots.first, let f = findings.first {
            // The review names the principals by the ARN the logs give; the scan by its policy key.
            #expect(spot.principals == ["arn:aws:iam::111122223333:role/AgentA", "arn:aws:iam::111122223333:role/AgentB"])
            #expect(f.details["principals"] == ["role/AgentA", "role/AgentB"])
            #expect(spot.selectorTypes == ["AWS::BedrockAgentCore::Memory", "AWS::BedrockAgentCore::Runtime", "AWS::BedrockAgentCore::RuntimeEndpoint"])
            #expect(f.title == spot.summary && f.recommendation == spot.advice && f.severity == .low)
            #expect(f.details["selectorTypes"] == spot.selectorTypes)
            #expect(report.markdown.contains("## What the trail cannot see\n\n- **bedrock-agentcore**: The trail cannot see bedrock-agentcore data events: 2 principal(s)"))
            #expect(report.html.contains("<h2>What the trail cannot see</h2>"))
            #expect(report.json.serialized(pretty: false).contains(#""selectorTypes":["AWS::BedrockAgentCore::Memory","AWS::BedrockAgentCore::Runtime","AWS::BedrockAgentCore::RuntimeEndpoint"]"#))
        }
    }

    /// Untrusted principal names are escaped in the Markdown and HTML.
    @Test func escapesPrincipals() {
        let spot = TrailBlindSpot(service: "bedrock-agentcore", principals: ["role/<script>x</script>|`"],
                                  actions: [IAMAction("bedrock-agentcore:InvokeAgentRuntime")!], selectorTypes: ["AWS::BedrockAgentCore::Runtime"])
        let report = AccessReport(window: EvidenceWindow(activity: [:], files: [], minimumDays: 1), principals: [], catalogue: "c",
                                  blindSpots: [spot])
        #expect(!report.html.contains("<script>x"))
        #expect(!report.markdown.contains("|`."))
    }
}

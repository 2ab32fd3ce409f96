import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// A scan decodes only the record fields its detectors declare (`Detector.recordFields(context:)`); these tests
/// check each declaration against decoding everything: same findings, same summary, on SampleLogs (with its
/// config and policies), the edge-case archive and the vendored public samples.
@Suite(.serialized) struct ScanFieldSetTests {
    struct Input: CustomStringConvertible, Sendable {
        var name: String
        var path: String
        var sampleConfig: Bool
        var description: String { name }
    }

    static let inputs: [Input] = [
        Input(name: "SampleLogs", path: TestPaths.sampleLogs, sampleConfig: true),
        Input(name: "archive-edge", path: TestPaths.edgeArchive, sampleConfig: false),
        Input(name: "reallogs", path: TestPaths.vendoredReallogs, sampleConfig: false),
    ]

    static func options(_ input: Input) throws -> (ScanOptions, [any Detector]) {
        let config = input.sampleConfig
            ? try AgentTrailConfig.load(path: TestPaths.sampleLogs + "/agenttrail.yml") : AgentTrailConfig()
        let policies = input.sampleConfig
            ? try PolicyContextLoader.load(paths: [TestPaths.sampleLogs + "/policies"], config: config) : nil
        var options = ScanOptions(paths: [input.path], jobs: 2, decompressor: .auto,
                                  now: Instant(year: 2025, month: 7, day: 1)!)
        options.context = AnalysisContext(config: config, policies: policies?.info ?? [:])
        let detectors = DetectorRegistry.all() + (policies.map { DetectorRegistry.policyDetectors($0) } ?? [])
        return (options, detectors)
    }

    /// Findings and summary as text, without timings.
    static func rendered(_ r: ScanResult) -> String {
        var summary = r.summary
        summary.seconds = 0
        return summary.json.serialized() + "\n" + r.findings.map { $0.json.serialized() }.joined(separator: "\n")
    }

    static func compare(_ options: ScanOptions) -> (declared: String, all: String, fields: RecordFieldSet) {
        var all = options
        all.recordFieldsOverride = .all
        return (rendered(ScanRun.run(options)), rendered(ScanRun.run(all)), options.recordFields)
    }

    @Test(arguments: inputs)
    func everyDetectorTogetherMatchesDecodingEverything(_ input: Input) throws {
        var (options, detectors) = try Self.options(input)
        options.detectors = detectors
        let r = Self.compare(options)
        #expect(r.declared == r.all)
        // The default scan really decodes less than everything (otherwise this test would compare nothing).
        #expect(r.fields != .all)
        if !input.sampleConfig { #expect(!r.fields.contains(.resources)) }  // (no policies: usage is not tracked)
        #expect(!r.fields.contains(.userAgent))
        #expect(!r.fields.contains(.requestID))
    }

    @Test(arguments: inputs)
    func eachDetectorAloneMatchesDecodingEverything(_ input: Input) throws {
        var (options, detectors) = try Self.options(input)
        var findings = 0
        for d in detectors {
            options.detectors = [d]
            let r = Self.compare(options)
            #expect(r.declared == r.all, "detector \(d.id) on \(input.name)")
            findings += r.all.split(separator: "\n").count - 1
        }
        if input.name == "SampleLogs" { #expect(findings > 0) }
    }

    @Test func undeclaredFieldsAreLeftEmpty() throws {
        let json = """
            {"eventVersion":"1.09","eventTime":"2025-06-02T10:00:00Z","eventSource":"bedrock.amazonaws.com",
             "eventName":"InvokeModel","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9",
             "userAgent":"Boto3/1.34","requestID":"9f0c3c5e-3a52-4d55-8a59-6d2f8b1c7e11",
             "eventID":"0b6f5d1e-1111-2222-3333-444455556666","readOnly":true,"eventType":"AwsApiCall",
             "managementEvent":false,"eventCategory":"Data","recipientAccountId":"111122223333",
             "userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:s1","accountId":"111122223333",
               "arn":"arn:aws:sts::111122223333:assumed-role/Agent/s1",
               "sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/Agent"},
                                 "attributes":{"mfaAuthenticated":"false"}}},
             "requestParameters":{"modelId":"anthropic.claude-3"},"responseElements":null,
             "additionalEventData":{"x":1},"tlsDetails":{"tlsVersion":"TLSv1.3"},
             "resources":[{"ARN":"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3"}],
             "vpcEndpointId":"vpce-1"}
            """
        var decoder = RecordDecoder()
        let full = try #require(try decoder.decode(Array(json.utf8)))
        decoder.fields = []
        let core = try #require(try decoder.decode(Array(json.utf8)))
        // Always decoded.
        #expect(core.eventSource == full.eventSource && core.eventName == full.eventName)
        #expect(core.eventTime == full.eventTime && core.eventID == full.eventID && core.readOnly == true)
        #expect(core.awsRegion == "us-east-1" && core.sourceIPText == "203.0.113.9" && core.eventType == "AwsApiCall")
        #expect(core.principal.identityKey == full.principal.identityKey)
        #expect(core.principal.type == "AssumedRole" && core.principal.accountId == "111122223333")
        // Left empty.
        #expect(full.userAgent != nil && core.userAgent == nil)
        #expect(full.requestID != nil && core.requestID == nil)
        #expect(full.eventVersion != nil && core.eventVersion == nil)
        #expect(full.managementEvent != nil && core.managementEvent == nil)
        #expect(full.eventCategory != nil && core.eventCategory == nil)
        #expect(full.recipientAccountId != nil && core.recipientAccountId == nil)
        #expect(full.vpcEndpointId != nil && core.vpcEndpointId == nil)
        #expect(full.tlsVersion != nil && core.tlsVersion == nil)
        #expect(!full.resources.isEmpty && core.resources.isEmpty)
        #expect(full.requestParameters != nil && core.requestParameters == nil)
        #expect(full.additionalEventData != nil && core.additionalEventData == nil)
        #expect(full.principal.principalId != nil && core.principal.principalId == nil)
        #expect(full.principal.mfaAuthenticated != nil && core.principal.mfaAuthenticated == nil)
        // One field asked for: only that one more.
        decoder.fields = [.requestParameters]
        let one = try #require(try decoder.decode(Array(json.utf8)))
        #expect(one.requestParameters == full.requestParameters && one.userAgent == nil)
    }

    /// `agentAndAuditRequestParameters`: the parameters of STS, Bedrock, bedrock-mantle, AgentCore and CloudTrail
    /// records (escaped source names included), not those of other sources.
    @Test(arguments: [("sts.amazonaws.com", true), ("bedrock.amazonaws.com", true), ("bedrock-mantle.amazonaws.com", true),
                      ("bedrock-agentcore.amazonaws.com", true), ("cloudtrail.amazonaws.com", true),
                      (#"sts.amazonaws\u002ecom"#, true), ("ec2.amazonaws.com", false), ("s3.amazonaws.com", false),
                      ("kms.amazonaws.com", false), ("STS.amazonaws.com", false)])
    func agentAndAuditRequestParametersBySource(source: String, decoded: Bool) throws {
        let json = #"{"eventSource":"\#(source)","eventName":"X","requestParameters":{"roleArn":"arn:aws:iam::1:role/R"}}"#
        var decoder = RecordDecoder()
        decoder.fields = [.agentAndAuditRequestParameters]
        let r = try #require(try decoder.decode(Array(json.utf8)))
        #expect((r.requestParameters != nil) == decoded, "\(source)")
        if decoded { #expect(r.requestParameters?.string(forKey: "roleArn") == "arn:aws:iam::1:role/R") }
    }

    /// `consoleLoginDetails` (responseElements and additionalEventData of ConsoleLogin events) and
    /// `agentAdditionalEventData` (additionalEventData of Bedrock, bedrock-mantle and AgentCore records).
    @Test(arguments: [("signin.amazonaws.com", "ConsoleLogin", true, true), ("iam.amazonaws.com", "ConsoleLogin", true, true),
                      ("signin.amazonaws.com", "CheckMfa", false, false), ("bedrock.amazonaws.com", "InvokeModel", false, true),
                      ("bedrock-mantle.amazonaws.com", "CreateInference", false, true),
                      ("bedrock-agentcore.amazonaws.com", "InvokeAgentRuntime", false, true),
                      ("ec2.amazonaws.com", "DescribeInstances", false, false), ("sts.amazonaws.com", "AssumeRole", false, false)])
    func conditionalDetailsBySourceAndName(source: String, name: String, response: Bool, additional: Bool) throws {
        let json = #"{"eventSource":"\#(source)","eventName":"\#(name)","responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"No"}}"#
        var decoder = RecordDecoder()
        decoder.fields = [.consoleLoginDetails, .agentAdditionalEventData]
        let r = try #require(try decoder.decode(Array(json.utf8)))
        #expect((r.responseElements != nil) == response, "\(source) \(name)")
        #expect((r.additionalEventData != nil) == additional, "\(source) \(name)")
    }

    @Test func undeclaredNestedValuesStillMakeARecordMalformed() throws {
        // tlsDetails/resources are checked for syntax whatever the field set (the record is malformed either way).
        let bad = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","tlsDetails":{"tlsVersion" "x"}}"#
        var decoder = RecordDecoder()
        #expect(throws: DecodeError.self) { _ = try decoder.decode(Array(bad.utf8)) }
        decoder.fields = []
        #expect(throws: DecodeError.self) { _ = try decoder.decode(Array(bad.utf8)) }
        let badResources = #"{"eventSource":"s3.amazonaws.com","eventName":"GetObject","resources":[{"ARN" 1}]}"#
        #expect(throws: DecodeError.self) { _ = try decoder.decode(Array(badResources.utf8)) }
    }
}

import Foundation
import Testing
@testable import AgentTrail

@Suite struct ModelAccessChangeDetectorTests {
    typealias F = TrailFixture

    @Test(arguments: ["PutUseCaseForModelAccess", "PutFoundationModelEntitlement", "CreateFoundationModelAgreement"])
    func firesOnSuccessAndDenied(name: String) throws {
        let findings = F.run(ModelAccessChangeDetector(), [
            F.bedrock(name, role: "Admin", time: F.at(0)),
            F.bedrock(name, role: "Admin", time: F.at(1), error: "AccessDeniedException"),
        ])
        let f = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(f.subject == ["action": "bedrock:" + name])
        #expect(f.count == 2)
        #expect(f.severity == .medium)
        #expect(f.details["outcome"] == ["1 succeeded", "1 denied"])
    }

    @Test(arguments: [
        ("bedrock.amazonaws.com", "GetUseCaseForModelAccess", nil),
        ("bedrock.amazonaws.com", "PutUseCaseForModelAccess", "ValidationException"),
        ("sagemaker.amazonaws.com", "PutUseCaseForModelAccess", nil),
    ] as [(String, String, String?)])
    func nearMisses(source: String, name: String, error: String?) {
        #expect(F.run(ModelAccessChangeDetector(), [F.rec(source, name, role: "Admin", error: error)]).isEmpty)
    }
}

@Suite struct BedrockGuardrailOrLoggingChangeDetectorTests {
    typealias F = TrailFixture

    @Test(arguments: [
        ("DeleteModelInvocationLoggingConfiguration", Severity.high), ("PutModelInvocationLoggingConfiguration", .medium),
        ("DeleteGuardrail", .high), ("UpdateGuardrail", .medium),
        ("DeleteEnforcedGuardrailConfiguration", .high), ("PutEnforcedGuardrailConfiguration", .medium),
    ])
    func fires(name: String, severity: Severity) throws {
        let ok = try #require(F.run(BedrockGuardrailOrLoggingChangeDetector(), [F.bedrock(name, role: "Admin")]).first)
        #expect(ok.severity == severity)
        #expect(ok.subject == ["action": "bedrock:" + name, "region": "us-east-1"])
        #expect(ok.principal == F.roleArn("Admin"))
        let denied = try #require(F.run(BedrockGuardrailOrLoggingChangeDetector(),
                                        [F.bedrock(name, role: "Admin", error: "AccessDeniedException")]).first)
        #expect(denied.severity == EventSignals.lowered(severity))
    }

    @Test(arguments: [
        ("bedrock.amazonaws.com", "ListGuardrails", nil), ("bedrock.amazonaws.com", "GetGuardrail", nil),
        ("bedrock.amazonaws.com", "GetModelInvocationLoggingConfiguration", nil),
        ("bedrock.amazonaws.com", "DeleteGuardrail", "ResourceNotFoundException"),
        ("bedrock-agentcore.amazonaws.com", "DeleteGuardrail", nil),
    ] as [(String, String, String?)])
    func nearMisses(source: String, name: String, error: String?) {
        #expect(F.run(BedrockGuardrailOrLoggingChangeDetector(), [F.rec(source, name, role: "Admin", error: error)]).isEmpty)
    }

    /// Panther's Bedrock test records (vendored in Fixtures/reallogs, Apache-2.0): Delete logging, Update and
    /// Delete guardrail fire; ListGuardrails does not.
    @Test func pantherSample() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/reallogs/panther-bedrock-tests.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let records = try #require(json["Records"] as? [[String: Any]]).map { d -> CloudTrailRecord in
            let u = d["userIdentity"] as? [String: Any] ?? [:]
            let issuer = (u["sessionContext"] as? [String: Any])?["sessionIssuer"] as? [String: Any]
            let p = Principal(type: u["type"] as? String, arn: u["arn"] as? String, accountId: u["accountId"] as? String,
                              sessionIssuerArn: issuer?["arn"] as? String)
            var r = F.rec(d["eventSource"] as? String ?? "", d["eventName"] as? String ?? "", principal: p,
                          time: nil, error: d["errorCode"] as? String, region: d["awsRegion"] as? String)
            r.eventID = d["eventID"] as? String
            return r
        }
        let findings = F.run(BedrockGuardrailOrLoggingChangeDetector(), records)
        #expect(findings.compactMap { $0.subject["action"] }.sorted() == [
            "bedrock:DeleteGuardrail", "bedrock:DeleteModelInvocationLoggingConfiguration", "bedrock:UpdateGuardrail",
        ])
        #expect(findings.allSatisfy { $0.principal?.contains(":role/") == true || $0.principal?.contains(":user/") == true })
    }
}

@Suite struct AuditTamperingDetectorTests {
    typealias F = TrailFixture

    static func rec(_ name: String, _ request: String? = nil, error: String? = nil) -> CloudTrailRecord {
        var r = F.rec("cloudtrail.amazonaws.com", name, role: "Admin", error: error)
        r.requestParameters = request.map { RawJSON($0) }
        return r
    }

    /// (event, request, error, severity, change): request shapes as CloudTrail logs them (Panther's and Elastic's
    /// public test records, and the CloudTrail API Reference's EventSelector / AdvancedEventSelector / UpdateTrail).
    @Test(arguments: [
        ("StopLogging", #"{"name":"t"}"#, nil, Severity.critical, "stops"),
        ("DeleteTrail", #"{"name":"t"}"#, nil, .critical, "stops"),
        ("DeleteEventDataStore", nil, nil, .critical, "stops"),
        ("StopEventDataStoreIngestion", nil, nil, .critical, "stops"),
        // Panther "CloudTrail event selectors disabled": management events off, read-only.
        ("PutEventSelectors", #"{"eventSelectors":[{"dataResources":[{"type":"AWS::S3::Object","values":[]}],"excludeManagementEventSources":[],"includeManagementEvents":false,"readWriteType":"ReadOnly"}],"trailName":"t"}"#, nil, .high, "reduces"),
        ("PutEventSelectors", #"{"eventSelectors":[{"includeManagementEvents":true,"readWriteType":"WriteOnly"}]}"#, nil, .high, "reduces"),
        ("PutEventSelectors", #"{"eventSelectors":[{"includeManagementEvents":true,"readWriteType":"All","excludeManagementEventSources":["kms.amazonaws.com"]}]}"#, nil, .high, "reduces"),
        ("PutEventSelectors", #"{"eventSelectors":[]}"#, nil, .high, "reduces"),
        // Panther's near-miss: a selector that logs all management events (adds coverage).
        ("PutEventSelectors", #"{"eventSelectors":[{"dataResources":[],"excludeManagementEventSources":[],"includeManagementEvents":true,"readWriteType":"All"}],"trailName":"t"}"#, nil, .info, "adds or keeps"),
        ("PutEventSelectors", #"{"eventSelectors":[{"readWriteType":"All","dataResources":[{"type":"AWS::S3::Object","values":["arn:aws:s3"]}]}]}"#, nil, .info, "adds or keeps"),
        ("PutAdvancedEventSelectors", #"{"advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Data"]},{"field":"resources.type","equals":["AWS::S3::Object"]}]}]}"#, nil, .high, "reduces"),
        ("PutAdvancedEventSelectors", #"{"advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"readOnly","equals":["false"]}]}]}"#, nil, .high, "reduces"),
        ("PutAdvancedEventSelectors", #"{"advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Management"]}]},{"fieldSelectors":[{"field":"eventCategory","equals":["Data"]},{"field":"resources.type","equals":["AWS::Lambda::Function"]}]}]}"#, nil, .info, "adds or keeps"),
        // PutEventSelectors carrying advanced selectors (there is no separate PutAdvancedEventSelectors API).
        ("PutEventSelectors", #"{"trailName":"t","advancedEventSelectors":[{"name":"Management events","fieldSelectors":[{"field":"eventCategory","equals":["Management"]}]},{"name":"S3 data","fieldSelectors":[{"field":"eventCategory","equals":["Data"]},{"field":"resources.type","equals":["AWS::S3::Object"]}]}]}"#, nil, .info, "adds or keeps"),
        ("PutEventSelectors", #"{"trailName":"t","advancedEventSelectors":[{"fieldSelectors":[{"field":"eventCategory","equals":["Data"]},{"field":"resources.type","equals":["AWS::S3::Object"]}]}]}"#, nil, .high, "reduces"),
        // KMS: a key of the trail's own account adds encryption; another account's key or none reduces.
        ("UpdateTrail", #"{"name":"t","kmsKeyId":"arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#, nil, .info, "adds or keeps"),
        ("UpdateTrail", #"{"name":"t","kmsKeyId":"alias/trail-key"}"#, nil, .info, "adds or keeps"),
        ("UpdateTrail", #"{"name":"t","kmsKeyId":"arn:aws:kms:us-east-1:999999999999:key/1234abcd-12ab-34cd-56ef-1234567890ab"}"#, nil, .high, "reduces"),
        ("UpdateTrail", #"{"name":"t","kmsKeyId":""}"#, nil, .high, "reduces"),
        // Panther "UpdateTrail" sample: multi-region off.
        ("UpdateTrail", #"{"name":"management-events","isMultiRegionTrail":false}"#, nil, .high, "reduces"),
        ("UpdateTrail", #"{"name":"t","s3BucketName":"other-bucket","isMultiRegionTrail":true}"#, nil, .high, "reduces"),
        ("UpdateTrail", #"{"name":"t","isMultiRegionTrail":true,"includeGlobalServiceEvents":true}"#, nil, .info, "adds or keeps"),
        ("PutInsightSelectors", #"{"trailName":"t","insightSelectors":[]}"#, nil, .medium, "reduces"),
        ("PutInsightSelectors", #"{"trailName":"t","insightSelectors":[{"insightType":"ApiCallRateInsight"}]}"#, nil, .info, "adds or keeps"),
        // Failed attempts of any error: one lower, with the error.
        ("StopLogging", #"{"name":"t"}"#, "AccessDenied", .high, "stops"),
        ("StopLogging", #"{"name":"t"}"#, "InvalidTrailNameException", .high, "stops"),
        ("DeleteTrail", #"{"name":"t"}"#, "TrailNotFoundException", .high, "stops"),
        ("UpdateTrail", #"{"name":"myTrail2","isMultiRegionTrail":false}"#, "TrailNotFoundException", .medium, "reduces"),
        ("UpdateTrail", #"{"name":"t","isMultiRegionTrail":false}"#, "AccessDenied", .medium, "reduces"),
    ] as [(String, String?, String?, Severity, String)])
    func direction(name: String, request: String?, error: String?, severity: Severity, change: String) throws {
        let f = try #require(F.run(AuditTamperingDetector(), [Self.rec(name, request, error: error)]).first)
        #expect(f.severity == severity)
        #expect(f.subject == ["action": "cloudtrail:" + name, "region": "us-east-1", "change": change])
        #expect(f.title.contains(name))
        if let error { #expect(f.details["errors"] == [error]) }
        if change == "reduces" { #expect(!(f.details["reasons"] ?? []).isEmpty) }
    }

    @Test func enablingAndDisablingAreSeparateFindings() throws {
        let findings = F.run(AuditTamperingDetector(), [
            Self.rec("PutEventSelectors", #"{"eventSelectors":[{"includeManagementEvents":false}]}"#),
            Self.rec("PutEventSelectors", #"{"eventSelectors":[{"includeManagementEvents":true}]}"#),
        ])
        #expect(findings.map(\.severity).sorted() == [.info, .high])
    }

    @Test func successAndDenialTogetherUseTheSuccessSeverity() throws {
        let f = try #require(F.run(AuditTamperingDetector(), [
            Self.rec("StopLogging", error: "AccessDenied"),
            Self.rec("StopLogging"),
        ]).first)
        #expect(f.severity == .critical)
        #expect(f.count == 2)
        #expect(f.details["outcome"] == ["1 succeeded", "1 failed (AccessDenied)"])
    }

    @Test(arguments: [
        ("cloudtrail.amazonaws.com", "StartLogging", nil), ("cloudtrail.amazonaws.com", "DescribeTrails", nil),
        ("cloudtrail.amazonaws.com", "GetEventSelectors", nil), ("logs.amazonaws.com", "DeleteTrail", nil),
    ] as [(String, String, String?)])
    func nearMisses(source: String, name: String, error: String?) {
        #expect(F.run(AuditTamperingDetector(), [F.rec(source, name, role: "Admin", error: error)]).isEmpty)
    }
}

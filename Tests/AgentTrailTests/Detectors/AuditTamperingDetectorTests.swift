import Foundation
import Testing
@testable import AgentTrail

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

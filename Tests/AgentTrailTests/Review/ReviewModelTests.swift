import Foundation
import Testing
@testable import AgentTrail

@Suite struct ReviewModelTests {
    static func grants(_ json: String) throws -> EffectiveGrants {
        EffectiveGrants(PolicySet([try IAMFixtures.document(json)]))
    }

    @Test func notActionOnABucketGrantsOnlyS3BucketAndObjectActions() throws {
        let g = try Self.grants("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","NotAction":["s3:DeleteBucket"],
          "Resource":["arn:aws:s3:::kb","arn:aws:s3:::kb/*"],"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}
        """)
        #expect(g.actions[IAMAction("s3:GetObject")!] != nil)
        #expect(g.actions[IAMAction("s3:ListBucket")!] != nil)
        #expect(g.actions[IAMAction("s3:DeleteBucket")!] == nil)
        #expect(g.actions[IAMAction("ec2:RunInstances")!] == nil)
        #expect(g.actions[IAMAction("s3:ListAllMyBuckets")!] == nil)  // supports only Resource "*"
        // Only actions with a resource type whose ARN is an S3 ARN (ssm:SendCommand writes output to a bucket: granted).
        let s3Typed = g.actions.keys.filter { a in
            let names = Set(ActionCatalogue.shared.action(named: a)?.resourceTypes.map(\.name) ?? [])
            return ActionCatalogue.shared.resourceTypes(prefix: a.prefix).contains { names.contains($0.name) && $0.arnService == "s3" }
        }
        #expect(s3Typed.count == g.actions.count)
        #expect(g.actions[IAMAction("ssm:SendCommand")!] != nil)
    }

    @Test func denyCoveringEveryAllowedResourceRemovesTheAction() throws {
        let g = try Self.grants("""
        {"Version":"2012-10-17","Statement":[
          {"Effect":"Allow","Action":"dynamodb:*","Resource":"arn:aws:dynamodb:us-east-1:1:table/T"},
          {"Effect":"Deny","Action":"dynamodb:Scan","Resource":"arn:aws:dynamodb:*:*:table/*"},
          {"Effect":"Deny","Action":"dynamodb:Query","Resource":"arn:aws:dynamodb:us-east-1:1:table/Other"},
          {"Effect":"Deny","Action":"dynamodb:GetItem","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}
        """)
        #expect(g.actions[IAMAction("dynamodb:Scan")!] == nil && g.denied.contains(IAMAction("dynamodb:Scan")!))
        #expect(g.actions[IAMAction("dynamodb:Query")!] != nil)
        #expect(g.actions[IAMAction("dynamodb:GetItem")!] != nil)  // conditional Deny: still granted
        #expect(g.actions[IAMAction("dynamodb:ListTables")!] == nil)  // star-only action, specific Resource
    }

    @Test func wildcardActionOnStarGrantsStarOnlyActions() throws {
        let g = try Self.grants("""
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock-agentcore:Create*","Resource":"*"}]}
        """)
        #expect(g.actions[IAMAction("bedrock-agentcore:CreateAgentRuntime")!] == ["*"])
    }

    @Test func resourceScopeMergesOrderIndependently() {
        let prefix = "dynamodb"
        let arns = (0..<(ResourceScope.cap + 5)).map { "arn:aws:dynamodb:us-east-1:1:table/T\($0)" }
        var a = ResourceScope(), b = ResourceScope(), whole = ResourceScope()
        for (i, x) in arns.enumerated() {
            if i % 2 == 0 { a.add(resources: [x], region: "us-east-1", prefix: prefix) } else { b.add(resources: [x], region: "us-east-1", prefix: prefix) }
            whole.add(resources: [x], region: "us-east-1", prefix: prefix)
        }
        var ab = a; ab.merge(b, prefix: prefix)
        var ba = b; ba.merge(a, prefix: prefix)
        #expect(ab == ba && ab == whole)
        #expect(ab.overflowed && ab.patterns == ["arn:aws:dynamodb:us-east-1:1:table/*"])
    }

    @Test(arguments: [
        (["docs/a/1.md", "docs/a/2.md"], "arn:aws:s3:::b/docs/a/*"),
        (["docs/a/1.md", "docs/b/2.md"], "arn:aws:s3:::b/docs/*"),
        (["report-1.csv", "report-2.csv"], "arn:aws:s3:::b/report-*"),
        (["x/1", "y/2"], "arn:aws:s3:::b/*"),
    ])
    func s3ObjectsScopeToTheirCommonPrefix(keys: [String], expected: String) {
        var s = ResourceScope()
        for k in keys { s.add(resources: ["arn:aws:s3:::b/" + k], region: "us-east-1", prefix: "s3") }
        #expect(PolicyGenerator.make([IAMAction("s3:GetObject")!: s]).resourcesByAction[IAMAction("s3:GetObject")!] == [expected])
    }

    @Test func starOnlyAndUnresolvedActions() {
        var listed = ResourceScope()
        listed.add(resources: [], region: "us-east-1", prefix: "bedrock")
        var query = ResourceScope()
        query.add(resources: [], region: "eu-west-1", prefix: "dynamodb")
        let p = PolicyGenerator.make([IAMAction("bedrock:ListFoundationModels")!: listed, IAMAction("dynamodb:Query")!: query])
        #expect(p.resourcesByAction[IAMAction("bedrock:ListFoundationModels")!] == ["*"])
        #expect(p.resourcesByAction[IAMAction("dynamodb:Query")!] == ["arn:aws:dynamodb:eu-west-1:*:*"])
        #expect(p.problems.isEmpty)
    }

    @Test func gapsAreHoursWithoutFiles() {
        let files = ["20250602T0000Z", "20250602T0055Z", "20250602T0400Z", "20250602T0500Z"].map {
            LogFile(path: "AWSLogs/111122223333/CloudTrail/us-east-1/2025/06/02/111122223333_CloudTrail_us-east-1_\($0)_abc.json.gz")
        }
        var act = RegionActivity()
        act.add(Instant(year: 2025, month: 6, day: 2)!)
        let w = EvidenceWindow(activity: ["111122223333|us-east-1": act], files: files, minimumDays: 30)
        let slice = w.slices[0]
        #expect(slice.files == 4)
        #expect(slice.gaps.map(\.hours) == [3])
        #expect(slice.gaps[0].start == Instant(year: 2025, month: 6, day: 2, hour: 1)!)
        #expect(w.isShort && w.days == 1)
    }

    /// `ResourceScope.s3Object` as it was: the ARN parsed into its parts, the slash found by `Character`.
    static func referenceS3Object(_ arn: String) -> (String, String, String)? {
        guard let a = ARN(arn), a.service == "s3", a.region.isEmpty, a.account.isEmpty,
              let slash = a.resource.firstIndex(of: "/") else { return nil }
        return (a.partition, String(a.resource[..<slash]), String(a.resource[a.resource.index(after: slash)...]))
    }

    /// S3 objects are told from other ARNs on the bytes of ASCII ARNs as they were by parsing them; any other goes the
    /// old way (a slash with a combining mark is one `Character`, not a slash).
    @Test(arguments: [
        "arn:aws:s3:::bucket/key", "arn:aws:s3:::bucket/a/b/c.txt", "arn:aws:s3:::bucket", "arn:aws:s3:::bucket/",
        "arn:aws-cn:s3:::b/k", "arn:aws:s3:us-east-1::b/k", "arn:aws:s3::111122223333:b/k", "arn:aws:s3x:::b/k",
        "arn:aws:S3:::b/k", "arn:aws:s:::b/k", "arn:aws:s3:::", "arn:aws:s3::", "aws:s3:::b/k", "xarn:aws:s3:::b/k",
        "arn:aws:s3:::b:c/k", "arn:aws:s3:::b/k:with:colons", "arn:aws:s3:::bücket/key", "arn:aws:s3:::b/\u{301}k",
        "arn:aws:s3:::b\u{301}/k", "arn:aws:dynamodb:us-east-1:1:table/T", "", "arn:aws:s3:::/k",
    ])
    func s3ObjectsAsBefore(arn: String) {
        let got = ResourceScope.s3Object(arn), want = Self.referenceS3Object(arn)
        #expect(got?.0 == want?.0 && got?.1 == want?.1 && got?.2 == want?.2 && (got == nil) == (want == nil), "\(arn)")
    }
}

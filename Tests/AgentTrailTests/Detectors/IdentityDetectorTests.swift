import Testing
@testable import AgentTrail

@Suite struct LongTermCredentialsDetectorTests {
    typealias F = TrailFixture

    @Test(arguments: [
        (F.rec("bedrock.amazonaws.com", "InvokeModel", user: "alice"), "access-key", Severity.medium),
        (F.rec("bedrock-agentcore.amazonaws.com", "InvokeAgentRuntime", user: "alice"), "access-key", .medium),
        (F.rec("bedrock.amazonaws.com", "InvokeModel", root: true, key: "AKIAROOTKEY"), "root", .high),
        (F.rec("bedrock.amazonaws.com", "Converse", role: "App", additional: #"{"callWithBearerToken": true}"#), "bedrock-api-key", .medium),
        (F.rec("bedrock.amazonaws.com", "Converse", role: "App", additional: "{\n \"x\":1,\"callWithBearerToken\" :\ttrue}"), "bedrock-api-key", .medium),
        (F.rec("bedrock.amazonaws.com", "InvokeModel", user: "BedrockAPIKey-ab12"), "bedrock-api-key", .medium),
    ])
    func fires(record: CloudTrailRecord, credential: String, severity: Severity) throws {
        let f = try #require(F.run(LongTermCredentialsDetector(), [record]).first)
        #expect(f.subject == ["credential": credential])
        #expect(f.severity == severity)
        #expect(f.count == 1)
    }

    @Test(arguments: [
        F.rec("bedrock.amazonaws.com", "InvokeModel", role: "App"),
        F.rec("bedrock.amazonaws.com", "InvokeModel", role: "App", additional: #"{"callWithBearerToken":false}"#),
        F.rec("bedrock.amazonaws.com", "InvokeModel", role: "App", additional: #"{"callWithBearerTokenX":true}"#),
        F.rec("bedrock.amazonaws.com", "InvokeModel", role: "App", additional: #"{"callWithBearerToken":"trueish"}"#),
        F.rec("s3.amazonaws.com", "GetObject", user: "alice"),
        F.rec("iam.amazonaws.com", "ListUsers", root: true),
    ])
    func nearMisses(record: CloudTrailRecord) {
        #expect(F.run(LongTermCredentialsDetector(), [record]).isEmpty)
    }

    @Test func listsActionsAndKeys() throws {
        let f = try #require(F.run(LongTermCredentialsDetector(), [
            F.bedrock("InvokeModel", user: "alice", time: nil), F.bedrock("ListFoundationModels", user: "alice"),
        ]).first)
        #expect(f.details["actions"] == ["bedrock:InvokeModel", "bedrock:ListFoundationModels"])
        #expect(f.details["accessKeys"] == ["AKIAEXAMPLE0000000001"])
        #expect(f.count == 2)
    }
}

@Suite struct WeakTLSDetectorTests {
    typealias F = TrailFixture

    @Test(arguments: [
        ("TLSv1", true), ("TLSv1.0", true), ("TLSv1.1", true), ("SSLv3", true), ("tlsv1.1", true),
        ("TLSv1.2", false), ("TLSv1.3", false),
    ])
    func parses(text: String, weak: Bool) {
        #expect(WeakTLSDetector.isWeak(text) == weak)
    }

    @Test(arguments: ["", "TLS", "TLSv", "TLSv9", "TLSv1.x", "QUIC", "TLSv2.0", "SSLv4"])
    func unknownTextIsNotJudged(text: String) {
        #expect(WeakTLSDetector.isWeak(text) == nil)
        #expect(F.run(WeakTLSDetector(), [F.rec("bedrock.amazonaws.com", "InvokeModel", role: "A", tls: text)]).isEmpty)
    }

    @Test func firesPerPrincipalAndVersion() throws {
        let findings = F.run(WeakTLSDetector(), [
            F.rec("bedrock.amazonaws.com", "InvokeModel", role: "A", tls: "TLSv1.1", host: "bedrock-runtime.us-east-1.amazonaws.com"),
            F.rec("bedrock.amazonaws.com", "Converse", role: "A", tls: "TLSv1.1"),
            F.rec("bedrock.amazonaws.com", "Converse", role: "A", tls: "TLSv1.2"),
            F.rec("bedrock.amazonaws.com", "Converse", role: "A", tls: nil),
        ])
        let f = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(f.subject == ["tlsVersion": "TLSv1.1"])
        #expect(f.count == 2)
        #expect(f.severity == .medium)
        #expect(f.details["hosts"] == ["bedrock-runtime.us-east-1.amazonaws.com"])
    }
}

@Suite struct CrossAccountAccessDetectorTests {
    typealias F = TrailFixture

    @Test func firesForForeignCaller() throws {
        let f = try #require(F.run(CrossAccountAccessDetector(), [
            F.rec("bedrock.amazonaws.com", "InvokeModel", role: "Partner", account: "444455556666", recipient: "111122223333"),
            F.rec("bedrock-agentcore.amazonaws.com", "InvokeAgentRuntime", role: "Partner", account: "444455556666", recipient: "111122223333"),
        ]).first)
        #expect(f.subject == ["account": "111122223333"])
        #expect(f.principal == "arn:aws:iam::444455556666:role/Partner")
        #expect(f.count == 2)
        #expect(f.severity == .medium)
        #expect(f.details["callerAccounts"] == ["444455556666"])
    }

    @Test(arguments: [
        F.rec("bedrock.amazonaws.com", "InvokeModel", role: "Local"),
        F.rec("s3.amazonaws.com", "GetObject", role: "Partner", account: "444455556666", recipient: "111122223333"),
        F.rec("bedrock-agentcore.amazonaws.com", "InvokeGateway", principal: Principal(type: "AWSAccount", accountId: "anonymous"),
              recipient: "111122223333"),
        F.rec("bedrock.amazonaws.com", "InvokeModel", principal: Principal(type: "AWSService", accountId: "999999999999",
              invokedBy: "bedrock.amazonaws.com"), recipient: "111122223333"),
        F.rec("bedrock.amazonaws.com", "InvokeModel", principal: Principal(type: "IAMUser", arn: "[REDACTED]", accountId: "[REDACTED]"),
              recipient: "[REDACTED]"),
    ])
    func nearMisses(record: CloudTrailRecord) {
        #expect(F.run(CrossAccountAccessDetector(), [record]).isEmpty)
    }
}

@Suite struct RootActivityDetectorTests {
    typealias F = TrailFixture
    static let rootArn = "arn:aws:iam::111122223333:root"

    @Test func apiCallsGroupedPerServiceKindAndOutcome() throws {
        let findings = F.run(RootActivityDetector(), [
            F.rec("iam.amazonaws.com", "CreateAccessKey", root: true, time: F.at(1)),
            F.rec("iam.amazonaws.com", "ListUsers", root: true, time: F.at(2)),
            F.rec("iam.amazonaws.com", "GetUser", root: true, time: F.at(3)),
            F.rec("bedrock.amazonaws.com", "InvokeModel", root: true, time: nil),
            F.rec("iam.amazonaws.com", "ListUsers", user: "alice"),
        ])
        #expect(findings.count == 3)
        #expect(findings.allSatisfy { $0.principal == Self.rootArn })
        let read = try #require(findings.first { $0.subject["kind"] == "read" })
        #expect(read.subject == ["action": "iam:*", "kind": "read", "outcome": "succeeded"])
        #expect(read.severity == .medium)
        #expect(read.details["actions"] == ["GetUser", "ListUsers"])
        #expect(read.count == 2)
        let creds = try #require(findings.first { $0.subject["kind"] == "credentials" })
        #expect(creds.severity == .critical)
        #expect(creds.details["actions"] == ["CreateAccessKey"])
    }

    /// Each kind of Root call and its severity; failures one level lower, with their error codes.
    @Test(arguments: [
        ("iam.amazonaws.com", "CreateAccessKey", nil, "credentials", Severity.critical),
        ("iam.amazonaws.com", "UpdateLoginProfile", nil, "credentials", .critical),
        ("iam.amazonaws.com", "ListAccessKeys", nil, "read", .medium),
        ("iam.amazonaws.com", "DeactivateMFADevice", nil, "mfa", .high),
        ("iam.amazonaws.com", "AttachUserPolicy", nil, "policy", .high),
        ("s3.amazonaws.com", "PutBucketPolicy", nil, "policy", .high),
        ("organizations.amazonaws.com", "LeaveOrganization", nil, "account", .high),
        ("cloudtrail.amazonaws.com", "StopLogging", nil, "trail", .high),
        ("ec2.amazonaws.com", "RunInstances", nil, "write", .high),
        ("ec2.amazonaws.com", "DescribeInstances", nil, "read", .medium),
        ("iam.amazonaws.com", "CreateAccessKey", "AccessDenied", "credentials", .high),
        ("ec2.amazonaws.com", "RunInstances", "UnauthorizedOperation", "write", .medium),
        ("ec2.amazonaws.com", "DescribeInstances", "RequestLimitExceeded", "read", .low),
    ] as [(String, String, String?, String, Severity)])
    func callKinds(source: String, name: String, error: String?, kind: String, severity: Severity) throws {
        let findings = F.run(RootActivityDetector(), [F.rec(source, name, root: true, error: error)])
        let f = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(f.subject["kind"] == kind)
        #expect(f.subject["outcome"] == (error == nil ? "succeeded" : "failed"))
        #expect(f.severity == severity)
        if let error {
            #expect(f.details["errors"] == [error])
            #expect(f.title.contains("failed (\(error))"))
        }
    }

    @Test func signInWithoutUsableAddressIsNotCalledUntrusted() throws {
        for ip in ["AWS Internal", "34.XXX.XXX.206", nil] as [String?] {
            let f = try #require(F.run(RootActivityDetector(), [
                F.rec("signin.amazonaws.com", "ConsoleLogin", root: true, ip: ip, additional: #"{"MFAUsed":"No"}"#),
            ]).first)
            #expect(f.severity == .high, "\(ip ?? "nil")")
            #expect(!f.title.contains("untrusted"))
            #expect(f.title.contains("no usable source address"))
        }
    }

    @Test func onlyFailedSignInsAreMedium() throws {
        let f = try #require(F.run(RootActivityDetector(), [
            F.rec("signin.amazonaws.com", "ConsoleLogin", root: true, ip: "203.0.113.5", additional: #"{"MFAUsed":"No"}"#,
                  response: #"{"ConsoleLogin":"Failure"}"#),
        ]).first)
        #expect(f.severity == .medium)
        #expect(f.title.contains("1 failed"))
    }

    @Test(arguments: [
        ("203.0.113.5", #"{"MFAUsed":"No"}"#, [String](), Severity.critical),
        ("203.0.113.5", #"{"MFAUsed":"No"}"#, ["203.0.113.0/24"], .high),  // trusted IP
        ("203.0.113.5", #"{"MFAUsed":"Yes"}"#, [], .high),
        ("2001:db8::7", #"{"LoginTo":"x", "MFAUsed" : "No"}"#, [], .critical),
    ])
    func consoleSignIn(ip: String, additional: String, trusted: [String], severity: Severity) throws {
        let ctx = F.context("root-activity", trusted: trusted)
        let findings = F.run(RootActivityDetector(), [
            F.rec("signin.amazonaws.com", "ConsoleLogin", root: true, ip: ip, additional: additional),
        ], context: ctx)
        let f = try #require(findings.first)
        #expect(findings.count == 1)
        #expect(f.severity == severity)
        #expect(f.principal == Self.rootArn)
        #expect(f.subject == ["action": "signin:ConsoleLogin", "ip": IPAddress(ip)!.description])
        #expect(f.title.contains(IPAddress(ip)!.description))
    }

    @Test func trustFromPrincipalRule() throws {
        var ctx = F.context("root-activity")
        ctx.config.principals = [PrincipalRule(pattern: "arn:aws:iam::*:root", trustedCIDRs: [CIDR("198.51.100.0/24")!])]
        let f = try #require(F.run(RootActivityDetector(), [
            F.rec("signin.amazonaws.com", "ConsoleLogin", root: true, ip: "198.51.100.9", additional: #"{"MFAUsed":"No"}"#),
        ], context: ctx).first)
        #expect(f.severity == .high)
    }

    @Test func nonRootSignInDoesNotFire() {
        #expect(F.run(RootActivityDetector(), [
            F.rec("signin.amazonaws.com", "ConsoleLogin", user: "alice", additional: #"{"MFAUsed":"No"}"#),
        ]).isEmpty)
    }

    @Test func rootArnFromAccountWhenArnMissing() throws {
        let f = try #require(F.run(RootActivityDetector(), [
            F.rec("iam.amazonaws.com", "ListUsers", principal: Principal(type: "Root", accountId: "999988887777")),
        ]).first)
        #expect(f.principal == "arn:aws:iam::999988887777:root")
    }
}

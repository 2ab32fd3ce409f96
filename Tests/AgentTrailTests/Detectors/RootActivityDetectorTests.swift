import Testing
@testable import AgentTrail

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

import Foundation
import Testing
import AgentTrail

/// One detector scenario: records, config, and the findings expected as `"<subject k=v> <severity>"`.
struct BaselineCase: Sendable, CustomTestStringConvertible {
    let name: String
    let detector: @Sendable () -> any Detector
    let records: @Sendable () -> [CloudTrailRecord]
    var context: @Sendable () -> AnalysisContext = { AnalysisContext() }
    var agentRoles: Set<String> = []
    let expected: [String]

    var testDescription: String { name }

    /// Findings reduced to `"k=v[,k=v] severity"`, sorted.
    static func summary(_ findings: [Finding]) -> [String] {
        findings.map { f in
            f.subject.keys.sorted().map { "\($0)=\(f.subject[$0]!)" }.joined(separator: ",") + " " + f.severity.name
        }.sorted()
    }
}

typealias F = BaselineRecordFactory

/// A small AWS address snapshot for the tests (3.80.0.0/12 EC2 in us-east-1), in AWS's ip-ranges.json format.
let awsRanges = try! AWSAddressRanges(jsonData: Data(#"{"createDate":"2026-11-20-00-00-00","prefixes":[{"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"AMAZON"},{"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"EC2"}],"ipv6_prefixes":[]}"#.utf8))

private func config(_ edit: (inout AgentTrailConfig) -> Void) -> AnalysisContext {
    var c = AgentTrailConfig()
    edit(&c)
    return AnalysisContext(config: c)
}

/// A 2-hour window: too short to learn a baseline (no `baselineEnd`).
private func shortWindow(_ extra: [CloudTrailRecord]) -> [CloudTrailRecord] {
    [F.rec(day: 0, hour: 0, ip: "203.0.113.5"), F.rec(day: 0, hour: 2, ip: "203.0.113.5")] + extra
}

enum BaselineCases {
    static let unknownIP: [BaselineCase] = [
        BaselineCase(name: "new IP after the learning part, invoke → high", detector: { UnknownSourceIPDetector() },
                     records: { F.routine() + [F.rec(day: 5, ip: "198.51.100.7")] },
                     expected: ["ip=198.51.100.7 high"]),
        BaselineCase(name: "new IP after the learning part, read only → medium", detector: { UnknownSourceIPDetector() },
                     records: { F.routine() + [F.rec(day: 5, name: "ListFoundationModels", ip: "198.51.100.7", readOnly: true)] },
                     expected: ["ip=198.51.100.7 medium"]),
        BaselineCase(name: "new IP but denied write → medium", detector: { UnknownSourceIPDetector() },
                     records: { F.routine() + [F.rec(day: 5, name: "CreateGuardrail", ip: "198.51.100.7", error: "AccessDenied")] },
                     expected: ["ip=198.51.100.7 medium"]),
        BaselineCase(name: "same IP first seen in the learning part → none", detector: { UnknownSourceIPDetector() },
                     records: { F.routine() + [F.rec(day: 1, ip: "198.51.100.7"), F.rec(day: 5, ip: "198.51.100.7")] },
                     expected: []),
        BaselineCase(name: "neighbour in the same /24 as a known IP → none", detector: { UnknownSourceIPDetector() },
                     records: { F.routine() + [F.rec(day: 5, ip: "203.0.113.99")] },
                     expected: []),
        BaselineCase(name: "IPv6 in the same /48 → none; other /48 → finding", detector: { UnknownSourceIPDetector() },
                     records: { F.routine(ip: "2001:db8:1:2::5") + [F.rec(day: 5, ip: "2001:db8:1:ff::9"), F.rec(day: 6, ip: "2001:db8:2::9")] },
                     expected: ["ip=2001:db8:2::9 high"]),
        BaselineCase(name: "service-name and AWS Internal sources are not IP calls", detector: { UnknownSourceIPDetector() },
                     records: { F.routine() + [F.rec(day: 5, ip: "bedrock-agentcore.amazonaws.com"), F.rec(day: 5, ip: "AWS Internal")] },
                     expected: []),
        BaselineCase(name: "principal first seen after the learning part → no baseline, none", detector: { UnknownSourceIPDetector() },
                     records: { F.routine() + [F.rec(F.user, day: 5, ip: "198.51.100.7")] },
                     expected: []),
        BaselineCase(name: "short window, no trusted CIDRs → none", detector: { UnknownSourceIPDetector() },
                     records: { shortWindow([F.rec(day: 0, hour: 1, ip: "198.51.100.7")]) },
                     expected: []),
        BaselineCase(name: "short window, global trusted CIDR → outside fires", detector: { UnknownSourceIPDetector() },
                     records: { shortWindow([F.rec(day: 0, hour: 1, ip: "198.51.100.7"), F.rec(day: 0, hour: 1, ip: "10.1.2.3")]) },
                     context: { config { $0.trustedCIDRs = [CIDR("10.0.0.0/8")!, CIDR("203.0.113.0/24")!] } },
                     expected: ["ip=198.51.100.7 high"]),
        BaselineCase(name: "per-principal trusted CIDR covers the IP → none", detector: { UnknownSourceIPDetector() },
                     records: { shortWindow([F.rec(day: 0, hour: 1, ip: "198.51.100.7")]) },
                     context: { config { $0.principals = [PrincipalRule(pattern: "arn:aws:iam::*:role/App*", trustedCIDRs: [CIDR("198.51.100.0/24")!, CIDR("203.0.113.0/24")!])] } },
                     expected: []),
        BaselineCase(name: "policy aws:SourceIp CIDR covers the IP → none", detector: { UnknownSourceIPDetector() },
                     records: { shortWindow([F.rec(day: 0, hour: 1, ip: "198.51.100.7")]) },
                     context: { AnalysisContext(policies: [F.role: PrincipalPolicyInfo(principalArn: F.role, trustedCIDRs: [CIDR("198.51.100.0/24")!, CIDR("203.0.113.5")!])]) },
                     expected: []),
        BaselineCase(name: "new private subnet through the account's own VPC endpoint → none", detector: { UnknownSourceIPDetector() },
                     records: { F.routine(ip: "10.0.1.5", vpce: "vpce-1") + [F.rec(day: 5, ip: "10.0.9.5", vpce: "vpce-1")] },
                     expected: []),
        BaselineCase(name: "new private subnet without a VPC endpoint → finding", detector: { UnknownSourceIPDetector() },
                     records: { F.routine(ip: "10.0.1.5", vpce: "vpce-1") + [F.rec(day: 5, ip: "10.0.9.5")] },
                     expected: ["ip=10.0.9.5 high"]),
        BaselineCase(name: "stored baseline knows the new IP → none", detector: {
                         UnknownSourceIPDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline(ips: [IPAddress("198.51.100.7")!, IPAddress("203.0.113.5")!])]))
                     },
                     records: { F.routine() + [F.rec(day: 5, ip: "198.51.100.7")] },
                     expected: []),
        BaselineCase(name: "stored baseline without the window's IPs → all fire, whole window", detector: {
                         UnknownSourceIPDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline(ips: [IPAddress("192.0.2.1")!])]))
                     },
                     records: { F.routine() + [F.rec(day: 5, ip: "198.51.100.7")] },
                     expected: ["ip=198.51.100.7 high", "ip=203.0.113.5 high"]),
    ]

    static let agentRole: [BaselineCase] = [
        BaselineCase(name: "agent role from a public non-AWS IP, provenance unknown, no history → medium", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.rec(F.agentRole, ip: "198.51.100.7")] }, agentRoles: [F.agentRole],
                     expected: ["ip=198.51.100.7 medium"]),
        BaselineCase(name: "agent role from the runtime (service name / AWS Internal) → none", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.rec(F.agentRole, ip: "bedrock-agentcore.amazonaws.com"), F.rec(F.agentRole, source: "logs", name: "PutLogEvents", ip: "AWS Internal")] },
                     agentRoles: [F.agentRole], expected: []),
        BaselineCase(name: "configured agent-role pattern is honoured", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.rec(F.agentRole, ip: "198.51.100.7")] },
                     context: { config { $0.agentRolePatterns = ["arn:aws:iam::*:role/AgentCore*"] } },
                     expected: ["ip=198.51.100.7 medium"]),
        BaselineCase(name: "same calls by a non-agent role → none", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.rec(F.role, ip: "198.51.100.7")] },
                     agentRoles: [F.agentRole], expected: []),
        BaselineCase(name: "agent role IP in a trusted CIDR for that role → none", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.rec(F.agentRole, ip: "198.51.100.4")] },
                     context: { config { $0.principals = [PrincipalRule(pattern: F.agentRole, trustedCIDRs: [CIDR("198.51.100.0/24")!])] } },
                     agentRoles: [F.agentRole], expected: []),
        // VPC mode: private addresses in the customer's subnets, through VPC endpoints (documented benign).
        BaselineCase(name: "runtime-issued key from private VPC addresses → none", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.assume(key: "ASIARUNTIME1", day: 6), F.rec(F.agentRole, day: 6, hour: 0.1, ip: "10.0.3.4", vpce: "vpce-1", key: "ASIARUNTIME1"),
                                 F.rec(F.agentRole, day: 6, hour: 0.2, ip: "172.31.9.20", key: "ASIARUNTIME1")] },
                     agentRoles: [F.agentRole], expected: []),
        // VPC mode through a NAT gateway, or public mode: AWS-owned egress addresses.
        BaselineCase(name: "runtime-issued key from an AWS-owned address (NAT / public mode) → none", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.assume(key: "ASIARUNTIME1", day: 6), F.rec(F.agentRole, day: 6, hour: 0.1, ip: "3.80.12.34", key: "ASIARUNTIME1")] },
                     agentRoles: [F.agentRole], expected: []),
        BaselineCase(name: "unknown provenance from an AWS-owned address → none", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.rec(F.agentRole, ip: "3.80.12.34")] }, agentRoles: [F.agentRole], expected: []),
        BaselineCase(name: "runtime-issued key used from a public non-AWS address → high (exfiltrated)", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.assume(key: "ASIARUNTIME1", day: 6), F.rec(F.agentRole, day: 6, hour: 0.1, ip: "10.0.3.4", key: "ASIARUNTIME1"),
                                 F.rec(F.agentRole, day: 6, hour: 0.5, ip: "198.51.100.7", key: "ASIARUNTIME1")] },
                     agentRoles: [F.agentRole], expected: ["ip=198.51.100.7 high"]),
        BaselineCase(name: "public non-AWS address in the role's learned networks → none", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { F.routine(F.agentRole, ip: "198.51.100.7") + [F.rec(F.agentRole, day: 9, ip: "198.51.100.8")] },
                     agentRoles: [F.agentRole], expected: []),
        // The key was issued to a person, not to the runtime: reported whatever the address (even private or AWS-owned).
        BaselineCase(name: "key issued to a user by AssumeRole → high, whatever the IP", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.assume(key: "ASIARUNTIME1", day: 6), F.rec(F.agentRole, day: 6, hour: 0.1, ip: "10.0.3.4", key: "ASIARUNTIME1"),
                                 F.assume(key: "ASIAHUMAN1", by: F.user, day: 6, hour: 2),
                                 F.rec(F.agentRole, day: 6, hour: 2.1, ip: "3.80.12.34", key: "ASIAHUMAN1")] },
                     agentRoles: [F.agentRole], expected: ["issuer=\(F.user),provenance=other high"]),
        // Other sessions are traced to the runtime; this key has no AssumeRole although it is first used > 12 h in.
        BaselineCase(name: "untraced key while the role's sessions are traced → high", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.assume(key: "ASIAR1", day: 0), F.rec(F.agentRole, day: 0, hour: 0.1, ip: "10.0.3.4", key: "ASIAR1"),
                                 F.assume(key: "ASIAR2", day: 1), F.rec(F.agentRole, day: 1, hour: 0.1, ip: "10.0.3.4", key: "ASIAR2"),
                                 F.rec(F.agentRole, day: 2, ip: "10.0.3.4", key: "ASIASTRAY")] },
                     agentRoles: [F.agentRole], expected: ["provenance=untraced high"]),
        BaselineCase(name: "untraced key near the window start (its AssumeRole may precede it) → none", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.rec(F.agentRole, day: 0, ip: "10.0.3.4", key: "ASIAEARLY"),
                                 F.assume(key: "ASIAR1", day: 0, hour: 1), F.rec(F.agentRole, day: 0, hour: 1.1, ip: "10.0.3.4", key: "ASIAR1"),
                                 F.assume(key: "ASIAR2", day: 1), F.rec(F.agentRole, day: 1, hour: 0.1, ip: "10.0.3.4", key: "ASIAR2")] },
                     agentRoles: [F.agentRole], expected: []),
        BaselineCase(name: "no session traced (no AssumeRole in the archive) → provenance unknown, none from private IPs", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { [F.rec(F.agentRole, day: 0, ip: "10.0.3.4", key: "ASIAA"), F.rec(F.agentRole, day: 3, ip: "10.0.3.4", key: "ASIAB")] },
                     agentRoles: [F.agentRole], expected: []),
        BaselineCase(name: "agent role calls unexpected service → high", detector: { AgentRoleOutsideRuntimeDetector() },
                     records: { [F.rec(F.agentRole, source: "iam", name: "CreateUser", ip: "bedrock-agentcore.amazonaws.com")] },
                     agentRoles: [F.agentRole], expected: ["service=iam high"]),
        BaselineCase(name: "service granted by the role's policies → none", detector: { AgentRoleOutsideRuntimeDetector() },
                     records: { [F.rec(F.agentRole, source: "s3", name: "GetObject", ip: "bedrock-agentcore.amazonaws.com")] },
                     context: { AnalysisContext(policies: [F.agentRole: PrincipalPolicyInfo(principalArn: F.agentRole, grantedServices: ["s3"])]) },
                     agentRoles: [F.agentRole], expected: []),
        BaselineCase(name: "service in the role's expectedServices rule → none", detector: { AgentRoleOutsideRuntimeDetector() },
                     records: { [F.rec(F.agentRole, source: "dynamodb", name: "GetItem", ip: "AWS Internal")] },
                     context: { config { $0.principals = [PrincipalRule(pattern: "*AgentCore*", expectedServices: ["dynamodb"])] } },
                     agentRoles: [F.agentRole], expected: []),
        BaselineCase(name: "service first used successfully in the learning part → none (learned)", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { F.routine(F.agentRole, ip: "AWS Internal") + [F.rec(F.agentRole, day: 1, source: "dynamodb", name: "GetItem", ip: "AWS Internal"),
                                                                           F.rec(F.agentRole, day: 8, source: "dynamodb", name: "PutItem", ip: "AWS Internal")] },
                     agentRoles: [F.agentRole], expected: []),
        BaselineCase(name: "service first used after the learning part → high", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { F.routine(F.agentRole, ip: "AWS Internal") + [F.rec(F.agentRole, day: 8, source: "dynamodb", name: "GetItem", ip: "AWS Internal")] },
                     agentRoles: [F.agentRole], expected: ["service=dynamodb high"]),
        BaselineCase(name: "service only denied in the learning part is not learned → high", detector: { AgentRoleOutsideRuntimeDetector(awsRanges: awsRanges) },
                     records: { F.routine(F.agentRole, ip: "AWS Internal") + [F.rec(F.agentRole, day: 1, source: "iam", name: "ListRoles", ip: "AWS Internal", error: "AccessDenied"),
                                                                           F.rec(F.agentRole, day: 8, source: "iam", name: "CreateUser", ip: "AWS Internal")] },
                     agentRoles: [F.agentRole], expected: ["service=iam high"]),
        BaselineCase(name: "stored baseline services → none", detector: {
                         var b = PrincipalBaseline()
                         b.services = ["bedrock", "dynamodb"]
                         return AgentRoleOutsideRuntimeDetector(storedBaselines: StaticBaselines([F.agentRole: b]), awsRanges: awsRanges)
                     },
                     records: { [F.rec(F.agentRole, day: 8, source: "dynamodb", name: "GetItem", ip: "AWS Internal")] },
                     agentRoles: [F.agentRole], expected: []),
        BaselineCase(name: "GetCallerIdentity, calls invoked by a service, default services → none", detector: { AgentRoleOutsideRuntimeDetector() },
                     records: { [
                         F.rec(F.agentRole, source: "sts", name: "GetCallerIdentity", ip: "AWS Internal"),
                         F.rec(F.agentRole, source: "kms", name: "Decrypt", ip: "s3.amazonaws.com", invokedBy: "s3.amazonaws.com"),
                         F.rec(F.agentRole, source: "xray", name: "PutTraceSegments", ip: "AWS Internal"),
                         F.rec(F.agentRole, source: "monitoring", name: "PutMetricData", ip: "AWS Internal"),
                     ] },
                     agentRoles: [F.agentRole], expected: []),
    ]

    static let vpcEndpoint: [BaselineCase] = [
        BaselineCase(name: "learned endpoint habit, direct call after the cut → medium", detector: { VPCEndpointBypassDetector() },
                     records: { F.routine(ip: "10.0.0.5", vpce: "vpce-1") + [F.rec(day: 5, ip: "198.51.100.7")] },
                     expected: ["vpcEndpoint=none medium"]),
        BaselineCase(name: "a direct call in the learning part → habit not learned, none", detector: { VPCEndpointBypassDetector() },
                     records: { F.routine(ip: "10.0.0.5", vpce: "vpce-1") + [F.rec(day: 1, ip: "198.51.100.7"), F.rec(day: 5, ip: "198.51.100.7")] },
                     expected: []),
        BaselineCase(name: "fewer than minBaselineCalls endpoint calls before the cut → none", detector: { VPCEndpointBypassDetector() },
                     records: { [F.rec(day: 0, ip: "10.0.0.5", vpce: "vpce-1"), F.rec(day: 1, ip: "10.0.0.5", vpce: "vpce-1"),
                                 F.rec(day: 8, ip: "10.0.0.5", vpce: "vpce-1"), F.rec(day: 9, ip: "198.51.100.7"), F.rec(day: 10, ip: "10.0.0.5", vpce: "vpce-1")] },
                     expected: []),
        BaselineCase(name: "minBaselineCalls lowered to 2 → fires", detector: { VPCEndpointBypassDetector() },
                     records: { [F.rec(day: 0, ip: "10.0.0.5", vpce: "vpce-1"), F.rec(day: 1, ip: "10.0.0.5", vpce: "vpce-1"),
                                 F.rec(day: 8, ip: "10.0.0.5", vpce: "vpce-1"), F.rec(day: 9, ip: "198.51.100.7"), F.rec(day: 10, ip: "10.0.0.5", vpce: "vpce-1")] },
                     context: { config { $0.detectors["vpc-endpoint-bypass"] = DetectorSettings(thresholds: ["minBaselineCalls": 2]) } },
                     expected: ["vpcEndpoint=none medium"]),
        BaselineCase(name: "configured endpoint: direct and other-endpoint calls fire any time", detector: { VPCEndpointBypassDetector() },
                     records: { shortWindow([F.rec(day: 0, hour: 1, ip: "10.0.0.5", vpce: "vpce-1"), F.rec(day: 0, hour: 1, ip: "10.0.0.6", vpce: "vpce-2")]) },
                     context: { config { $0.principals = [PrincipalRule(pattern: F.role, vpcEndpoints: ["vpce-1"])] } },
                     expected: ["vpcEndpoint=none medium", "vpcEndpoint=vpce-2 medium"]),
        BaselineCase(name: "configured endpoint, all calls through it → none", detector: { VPCEndpointBypassDetector() },
                     records: { [F.rec(day: 0, ip: "10.0.0.5", vpce: "vpce-1"), F.rec(day: 3, ip: "10.0.0.5", vpce: "vpce-1")] },
                     context: { config { $0.principals = [PrincipalRule(pattern: F.role, vpcEndpoints: ["vpce-1"])] } },
                     expected: []),
        BaselineCase(name: "calls made by a service on the principal's behalf → none", detector: { VPCEndpointBypassDetector() },
                     records: { [F.rec(day: 0, ip: "bedrock-agentcore.amazonaws.com", invokedBy: "bedrock-agentcore.amazonaws.com")] },
                     context: { config { $0.principals = [PrincipalRule(pattern: F.role, vpcEndpoints: ["vpce-1"])] } },
                     expected: []),
        BaselineCase(name: "stored baseline says always via endpoint → direct call fires", detector: {
                         VPCEndpointBypassDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline(alwaysUsesVPCEndpoint: true)]))
                     },
                     records: { shortWindow([]).map { var r = $0; r.vpcEndpointId = "vpce-1"; return r } + [F.rec(day: 0, hour: 1, ip: "198.51.100.7")] },
                     expected: ["vpcEndpoint=none medium"]),
    ]

    static let newRegion: [BaselineCase] = [
        BaselineCase(name: "new region with invokes → medium", detector: { NewRegionDetector() },
                     records: { F.routine() + [F.rec(day: 5, region: "eu-west-1")] },
                     expected: ["region=eu-west-1 medium"]),
        BaselineCase(name: "new region, read only → low", detector: { NewRegionDetector() },
                     records: { F.routine() + [F.rec(day: 5, name: "ListFoundationModels", region: "eu-west-1", readOnly: true)] },
                     expected: ["region=eu-west-1 low"]),
        BaselineCase(name: "region first used in the learning part → none", detector: { NewRegionDetector() },
                     records: { F.routine() + [F.rec(day: 1, region: "eu-west-1"), F.rec(day: 5, region: "eu-west-1")] },
                     expected: []),
        BaselineCase(name: "global service logged in us-east-1 is not a region choice", detector: { NewRegionDetector() },
                     records: { F.routine(region: "eu-west-1") + [F.rec(day: 5, source: "iam", name: "GetRole", region: "us-east-1")] },
                     expected: []),
        BaselineCase(name: "principal first seen after the learning part → none", detector: { NewRegionDetector() },
                     records: { F.routine() + [F.rec(F.user, day: 5, region: "eu-west-1")] },
                     expected: []),
        BaselineCase(name: "stored baseline: a region absent from it fires", detector: {
                         NewRegionDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline(regions: ["us-east-1"])]))
                     },
                     records: { shortWindow([F.rec(day: 0, hour: 1, region: "ap-southeast-2")]) },
                     expected: ["region=ap-southeast-2 medium"]),
    ]

    static let newModel: [BaselineCase] = [
        BaselineCase(name: "new model after the learning part → low", detector: { NewModelDetector() },
                     records: { F.routine() + [F.rec(day: 5, model: "meta.llama3-70b-instruct-v1:0")] },
                     expected: ["model=meta.llama3-70b-instruct-v1:0 low"]),
        BaselineCase(name: "model first used in the learning part → none", detector: { NewModelDetector() },
                     records: { F.routine() + [F.rec(day: 2, model: "meta.llama3-70b-instruct-v1:0"), F.rec(day: 5, model: "meta.llama3-70b-instruct-v1:0")] },
                     expected: []),
        BaselineCase(name: "foundation-model ARN of a known model → none", detector: { NewModelDetector() },
                     records: { F.routine() + [F.rec(day: 5, name: "Converse", model: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0")] },
                     expected: []),
        BaselineCase(name: "modelId of a non-invoke call is ignored", detector: { NewModelDetector() },
                     records: { F.routine() + [F.rec(day: 5, name: "GetFoundationModel", model: "meta.llama3-70b-instruct-v1:0")] },
                     expected: []),
        BaselineCase(name: "stored baseline: model absent from it fires", detector: {
                         NewModelDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline(models: ["amazon.titan-text-express-v1"])]))
                     },
                     records: { shortWindow([F.rec(day: 0, hour: 1, model: "anthropic.claude-3-haiku-20240307-v1:0"),
                                             F.rec(day: 0, hour: 1.5, model: "amazon.titan-text-express-v1")]) },
                     expected: ["model=anthropic.claude-3-haiku-20240307-v1:0 low"]),
    ]

    /// 30 days: 2 invocations per hour 08–17 UTC every day (baseline = first 9 days, p95 = 2, active hours 8–17).
    static func office(days: Int = 30) -> [CloudTrailRecord] {
        var out: [CloudTrailRecord] = []
        for d in 0..<days { for h in 8...17 { for k in 0..<2 { out.append(F.rec(day: d, hour: Double(h) + Double(k) * 0.25, id: "o-\(d)-\(h)-\(k)")) } } }
        return out
    }

    /// A stored profile of 14 days in June 2025 with `perHour` invocations in every hour.
    static func flat(_ perHour: Int) -> HourOfDayProfile {
        let start = Instant(year: 2025, month: 6, day: 1)!.millisecondsSince1970 / 3_600_000
        return HourOfDayProfile(firstHour: start, endHour: start + 14 * 24) { _ in perHour }
    }

    static func burst(day: Int, hour: Int, count: Int, name: String = "InvokeModel") -> [CloudTrailRecord] {
        (0..<count).map { F.rec(day: day, hour: Double(hour) + Double($0) / Double(count + 1), name: name, id: "b-\(day)-\(hour)-\($0)") }
    }

    static let spike: [BaselineCase] = [
        BaselineCase(name: "200 invokes in a working hour after the cut → volume", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 12, count: 200) },
                     expected: ["kind=volume medium"]),
        BaselineCase(name: "90 invokes (below floor) → none", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 12, count: 90) },
                     expected: []),
        BaselineCase(name: "same burst inside the learning part → none", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 2, hour: 12, count: 200) },
                     expected: []),
        BaselineCase(name: "40 Converse calls in an hour: below the default floor of 50 per 30 min → none", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 12, count: 40, name: "Converse") },
                     expected: []),
        BaselineCase(name: "lowered floor and multiplier fire on 40 Converse calls", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 12, count: 40, name: "Converse") },
                     context: { config { $0.detectors["invocation-spike"] = DetectorSettings(thresholds: ["floor": 15, "multiplier": 10]) } },
                     expected: ["kind=volume medium"]),
        BaselineCase(name: "30 InvokeAgentRuntime calls at 03:00, never active then → off-hours", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 3, count: 30, name: "InvokeAgentRuntime").map { var r = $0; r.eventSource = "bedrock-agentcore.amazonaws.com"; return r } },
                     expected: ["kind=off-hours medium"]),
        BaselineCase(name: "15 calls at 03:00 (below offHoursMinimum) → none", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 3, count: 15) },
                     expected: []),
        BaselineCase(name: "baseline shorter than 7 days: no learned off-hours", detector: { InvocationSpikeDetector() },
                     records: { office(days: 12) + burst(day: 10, hour: 3, count: 30) },
                     expected: []),
        BaselineCase(name: "workingHoursUTC set, short window → off-hours", detector: { InvocationSpikeDetector() },
                     records: { burst(day: 0, hour: 9, count: 5) + burst(day: 0, hour: 3, count: 25) },
                     context: { config { $0.workingHoursUTC = Array(8...17) } },
                     expected: ["kind=off-hours medium"]),
        BaselineCase(name: "stored profile, usually 100 an hour at 09:00: 300 calls in the hour is below 5× → none", detector: {
                         InvocationSpikeDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline(invocationProfile: flat(100))]))
                     },
                     records: { burst(day: 0, hour: 9, count: 300) + burst(day: 0, hour: 11, count: 1) },
                     expected: []),
        BaselineCase(name: "stored profile, usually 10 an hour: 300 calls → volume", detector: {
                         InvocationSpikeDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline(invocationProfile: flat(10))]))
                     },
                     records: { burst(day: 0, hour: 9, count: 300) + burst(day: 0, hour: 11, count: 1) },
                     expected: ["kind=volume medium"]),
        BaselineCase(name: "stored baseline without a profile (history shorter than a day) → none", detector: {
                         InvocationSpikeDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline()]))
                     },
                     records: { burst(day: 0, hour: 9, count: 300) + burst(day: 0, hour: 11, count: 1) },
                     expected: []),
    ]

    static let all: [BaselineCase] = unknownIP + agentRole + vpcEndpoint + newRegion + newModel + spike
}

import Foundation
import Testing
import AgentTrail

@Suite struct AgentRoleOutsideRuntimeDetectorTests {
    @Test(arguments: BaselineCases.agentRole)
    func scenario(_ c: BaselineCase) { c.check() }
}

extension BaselineCases {
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
}

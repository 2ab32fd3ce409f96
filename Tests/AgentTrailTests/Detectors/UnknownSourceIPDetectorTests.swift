import Foundation
import Testing
import AgentTrail

@Suite struct UnknownSourceIPDetectorTests {
    @Test(arguments: BaselineCases.unknownIP)
    func scenario(_ c: BaselineCase) { c.check() }

    @Test func unknownIPFindingCarriesActionsAndCounts() throws {
        let records = F.routine() + [
            F.rec(day: 5, ip: "198.51.100.7"), F.rec(day: 5, hour: 1, ip: "198.51.100.7"),
            F.rec(day: 6, name: "ListFoundationModels", ip: "198.51.100.7", readOnly: true),
        ]
        let f = try #require(F.run(UnknownSourceIPDetector(), records).first)
        #expect(f.principal == F.role)
        #expect(f.count == 3)
        #expect(f.firstSeen == F.at(day: 5) && f.lastSeen == F.at(day: 6))
        #expect(f.details["actions"] == ["bedrock:InvokeModel ×2", "bedrock:ListFoundationModels ×1"])
    }
}

extension BaselineCases {
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
}

import Foundation
import Testing
import AgentTrail

@Suite struct VPCEndpointBypassDetectorTests {
    @Test(arguments: BaselineCases.vpcEndpoint)
    func scenario(_ c: BaselineCase) { c.check() }
}

extension BaselineCases {
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
}

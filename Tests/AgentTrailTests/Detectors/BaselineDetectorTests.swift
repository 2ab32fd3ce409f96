import Testing
import AgentTrail

@Suite struct BaselineDetectorTests {
    @Test(arguments: BaselineCases.unknownIP)
    func unknownSourceIP(_ c: BaselineCase) { check(c) }

    @Test(arguments: BaselineCases.agentRole)
    func agentRoleOutsideRuntime(_ c: BaselineCase) { check(c) }

    @Test(arguments: BaselineCases.vpcEndpoint)
    func vpcEndpointBypass(_ c: BaselineCase) { check(c) }

    @Test(arguments: BaselineCases.newRegion)
    func newRegion(_ c: BaselineCase) { check(c) }

    @Test(arguments: BaselineCases.newModel)
    func newModel(_ c: BaselineCase) { check(c) }

    @Test(arguments: BaselineCases.spike)
    func invocationSpike(_ c: BaselineCase) { check(c) }

    private func check(_ c: BaselineCase) {
        let findings = F.run(c.detector(), c.records(), context: c.context(), agentRoles: c.agentRoles)
        #expect(BaselineCase.summary(findings) == c.expected)
        let id = c.detector().id.rawValue
        for f in findings {
            #expect(f.detector == id)
            #expect(f.count > 0 && f.evidenceTotal == f.count)
            #expect(!f.evidence.isEmpty && f.firstSeen != nil)
            #expect(DetectorRegistry.descriptor(for: id) != nil)
        }
    }

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

    @Test func spikeFindingListsTheWindowAndWhatItWasComparedAgainst() throws {
        let f = try #require(F.run(InvocationSpikeDetector(), BaselineCases.office() + BaselineCases.burst(day: 20, hour: 12, count: 200)).first)
        // The firing windows run from 11:45 to 13:10: the burst plus the routine calls at 12:00, 12:15 and 13:00.
        #expect(f.count == 203)
        #expect(f.evidenceTotal == 203)
        #expect(f.firstSeen == F.at(day: 20, hour: 12) && f.lastSeen == F.at(day: 20, hour: 13))
        // Office profile: 2 calls an hour 08–17 every day → 1.0 per 30 min at 12:00.
        // The peak (earliest of the busiest windows): 101 burst calls and the 2 routine ones in 12:00–12:30.
        #expect(f.details["windows"] == ["2025-07-21T12:00:00Z: 103 calls in 30 min, 103× the usual 1.0 per 30 min at 12:00 UTC "
                                         + "(burst 2025-07-21T11:45:00Z..2025-07-21T13:10:00Z: 203 calls)"])
        #expect(f.details["comparedAgainst"] == ["usual rate at 12:00 UTC: 1.0 calls per 30 min (busiest of 11:00–13:00 UTC, all days; "
                                                 + "learned 2025-07-01..2025-07-10, 8.8 days); busiest two hours then: 4 calls"])
        #expect(f.title == "\(F.role) invocation volume spike: 103 calls in 30 min from 2025-07-21T12:00:00Z, 103× the usual 1.0 per 30 min at 12:00 UTC")
    }

    @Test(arguments: [
        ("InvokeModel", nil as Bool?, true), ("ConverseStream", true, true), ("ListFoundationModels", true, false),
        ("GetFoundationModel", nil, false), ("CreateAgentRuntime", nil, true), ("Settings", nil, false),
        ("DescribeThing", false, true),
    ])
    func writeOrInvoke(name: String, readOnly: Bool?, expected: Bool) {
        #expect(CallClassifier.isWriteOrInvoke(F.rec(name: name, readOnly: readOnly)) == expected)
    }
}

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
        let id = c.detector().id
        for f in findings {
            #expect(f.detector == id)
            #expect(f.count > 0 && f.evidenceTotal == f.count)
            #expect(!f.evidence.isEmpty && f.firstSeen != nil)
            #expect(DetectorCatalog.descriptor(for: id) != nil)
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

    @Test func spikeFindingListsTheHour() throws {
        let f = try #require(F.run(InvocationSpikeDetector(), BaselineCases.office() + BaselineCases.burst(day: 20, hour: 12, count: 200)).first)
        // The spike hour holds the 2 routine calls plus the burst.
        #expect(f.count == 202)
        #expect(f.details["hours"] == ["2025-07-21T12:00:00Z: 202 calls (baseline p95 2)"])
    }

    @Test(arguments: [([Int](), 0.0), ([0, 0, 0, 5], 5), (Array(repeating: 0, count: 19) + [7], 0), (Array(1...100), 95)] as [([Int], Double)])
    func percentile(values: [Int], expected: Double) {
        #expect(InvocationSpikeDetector.percentile(values, 0.95) == expected)
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

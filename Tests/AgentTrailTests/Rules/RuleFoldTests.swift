import Testing
@testable import AgentTrail

/// A pack rule that names a built-in detector is folded into that detector's finding for the same events.
@Suite struct RuleFoldTests {
    static func at(_ s: Int64) -> Instant { Instant(millisecondsSince1970: 1_700_000_000_000 + s * 1000) }

    static func finding(_ detector: String, _ principal: String, _ times: [Int64], builtin: String? = nil) -> Finding {
        var tally = Tally()
        for (i, t) in times.enumerated() {
            tally.count += 1
            if tally.firstSeen.map({ at(t) < $0 }) ?? true { tally.firstSeen = at(t) }
            if tally.lastSeen.map({ at(t) > $0 }) ?? true { tally.lastSeen = at(t) }
            tally.evidence.add(EvidenceRef(eventID: "e\(i)", file: "f", index: i, time: at(t)))
        }
        var details: [String: [String]] = [:]
        if let builtin { details[SigmaRuleAccumulator.builtinKey] = [builtin] }
        return Finding(detector: detector, severity: .high, principal: principal, tally: tally,
                       message: Finding.Message(title: "t", recommendation: "r"), details: details)
    }

    @Test func foldedWhenTheBuiltinReportedEveryEventOfThePrincipal() {
        let rule = Self.finding("sigma:x", "p", [10, 20], builtin: "audit-tampering")
        let builtin = Self.finding("audit-tampering", "p", [5, 25])
        #expect(FindingPipeline.groupIncidents([rule, builtin]).map(\.detector) == ["audit-tampering"])
    }

    @Test(arguments: [
        ("audit-tampering", "q", [Int64(5), 25]),  // another principal
        ("audit-tampering", "p", [Int64(15), 25]),  // does not cover the event at 10
        ("model-access-change", "p", [Int64(5), 25]),  // another detector
    ])
    func keptOtherwise(detector: String, principal: String, times: [Int64]) {
        let rule = Self.finding("sigma:x", "p", [10, 20], builtin: "audit-tampering")
        let other = Self.finding(detector, principal, times)
        #expect(FindingPipeline.groupIncidents([rule, other]).count == 2)
    }
}

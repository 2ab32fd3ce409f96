/// The Sigma rules' state in a partial result: the match tallies per (rule, principal) and the correlation
/// events (the windows are evaluated from these once everything is merged). Rules are named by their index in the
/// `RuleSet`: the partial's fingerprint guarantees the same rules in the same order.
extension SigmaRuleAccumulator: PartialCoding {
    public func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(tallies, "tallies")
        try c.put(events, "events")
        try c.put(untimed, "untimed")
        try c.put(dropped, "dropped")
        try c.put(evaluated, "evaluated")
    }

    public func decodePartial(from decoder: any Decoder) throws {
        let c = try decoder.partialContainer()
        let tallies: [TallyKey: Tally] = try c.get("tallies")
        let events: [[SigmaCorrelationEvent]] = try c.get("events")
        let untimed: [Int] = try c.get("untimed"), dropped: [Int] = try c.get("dropped")
        let n = rules.correlations.count
        guard events.count == n, untimed.count == n, dropped.count == n,
              tallies.keys.allSatisfy({ $0.rule >= 0 && Int($0.rule) < rules.rules.count }),
              events.indices.allSatisfy({ c in events[c].allSatisfy { $0.slot >= 0 && $0.slot < rules.correlations[c].rules.count } })
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "rule or correlation numbers beyond the rules loaded"))
        }
        restore(tallies: tallies, events: events, untimed: untimed, dropped: dropped, evaluated: try c.get("evaluated"))
    }
}

extension SigmaRuleAccumulator.TallyKey: Codable {
    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(rule: try c.decode(Int32.self), principal: try c.decode(HashedString.self))
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(rule)
        try c.encode(principal)
    }
}

extension SigmaCorrelationEvent: Codable {
    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(time: try c.decode(Int64.self), group: try c.decode([String].self), value: try c.decode(String?.self),
                  slot: try c.decode(Int.self), ref: try c.decode(EvidenceRef.self))
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(time)
        try c.encode(group)
        try c.encode(value)
        try c.encode(slot)
        try c.encode(ref)
    }
}

import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// The agent-role detector's per-session state holds numbered actions with packed counts (`SessionUse`,
/// `ActionNumbers`): the numbers are the accumulator's own, so merging, partial files and findings must map them back
/// to the same actions whatever order each accumulator met them in.
@Suite struct AgentRoleSessionUseTests {
    typealias D = AgentRoleOutsideRuntimeDetector
    static let calls: [(String, String)] = [("s3", "GetObject"), ("kms", "Decrypt"), ("s3", "GetObject"), ("logs", "PutLogEvents"),
                                            ("bedrock", "InvokeModel"), ("kms", "Decrypt"), ("s3", "PutObject"), ("s3", "GetObject")]

    /// The role's key issued to a person, then used for `calls`: one "provenance=other" finding whose details list the
    /// actions with their counts.
    static func records(_ calls: [(String, String)]) -> [CloudTrailRecord] {
        [F.assume(key: "ASIAHUMAN1", by: F.user, day: 6, hour: 2)]
            + calls.enumerated().map { i, c in
                F.rec(F.agentRole, day: 6, hour: 2.1 + Double(i) / 100, source: c.0, name: c.1, ip: "10.0.3.4", key: "ASIAHUMAN1")
            }
    }

    static func actionDetails(_ findings: [Finding]) -> [String] {
        findings.filter { $0.key.contains("provenance=other") }.flatMap { $0.details["actions"] ?? [] }
    }

    @Test func numbersAreGivenInOrderAndKept() {
        var n = D.ActionNumbers()
        let a = ActionTally.Action(eventSource: "s3.amazonaws.com", eventName: "GetObject")
        let b = ActionTally.Action(eventSource: "kms.amazonaws.com", eventName: "Decrypt")
        #expect(n.number(a) == 0)
        #expect(n.number(a) == 0)
        #expect(n.number(b) == 1)
        #expect(n.number(a) == 0)
        #expect(n.number(ActionTally.Action(eventSource: "s3.amazonaws.com", eventName: "GetObject")) == 0)
        #expect(n.actions == [a, b])
    }

    @Test func countsStayApartAndSaturate() {
        var use = D.SessionUse()
        use.addAction(7, 3)
        use.addAction(2, 1)
        use.addAction(7, 2)
        var seen: [UInt32: Int] = [:]
        use.forEachAction { seen[$0] = $1 }
        #expect(seen == [7: 5, 2: 1])
        use.addAction(2, D.SessionUse.countMask - 1)
        use.addAction(2, 10)
        seen = [:]
        use.forEachAction { seen[$0] = $1 }
        #expect(seen == [7: 5, 2: Int(D.SessionUse.countMask)])
        #expect(use.actions.count == 2)
    }

    /// Beyond the inline actions, counts go to the overflow table: every action keeps its own count, saturating alike,
    /// and a session with many distinct actions costs a lookup per call, not a search of all of them.
    @Test func manyDistinctActionsKeepTheirCounts() {
        var use = D.SessionUse()
        let distinct = 5_000
        for round in 0..<3 {
            for number in 0..<distinct where round == 0 || number % 7 == 0 { use.addAction(UInt32(number), 1) }
        }
        use.addAction(UInt32(distinct - 1), D.SessionUse.countMask)
        var seen: [UInt32: Int] = [:]
        use.forEachAction { seen[$0, default: 0] += $1 }
        #expect(seen.count == distinct)
        #expect(use.actions.count == D.SessionUse.inlineActions)
        for number in 0..<distinct - 1 { #expect(seen[UInt32(number)] == (number % 7 == 0 ? 3 : 1)) }
        #expect(seen[UInt32(distinct - 1)] == Int(D.SessionUse.countMask))
        var merged = D.SessionUse()
        merged.merge(use, renumber: { $0 + 1 })
        merged.merge(use, renumber: { $0 + 1 })
        var twice: [UInt32: Int] = [:]
        merged.forEachAction { twice[$0, default: 0] += $1 }
        #expect(twice.count == distinct)
        #expect(twice[1] == 6 && twice[2] == 2 && twice[UInt32(distinct)] == Int(D.SessionUse.countMask))
    }

    /// Two accumulators meeting the same actions in different orders (so with different numbers), merged either way:
    /// the same action counts as one accumulator that saw everything.
    @Test(arguments: [[0, 1], [1, 0]])
    func mergedAccumulatorsRenumber(order: [Int]) {
        let records = Self.records(Self.calls)
        let whole = F.run(D(awsRanges: awsRanges), records, agentRoles: [F.agentRole])
        let expected = Self.actionDetails(whole)
        #expect(expected == ["s3:GetObject ×3", "kms:Decrypt ×2", "bedrock:InvokeModel ×1", "logs:PutLogEvents ×1", "s3:PutObject ×1"])
        let observed = F.observed(records)
        // Part 0: the assume and the calls from the end; part 1: the rest, so each part numbers them differently.
        let parts = [[observed[0]] + Array(observed[5...]), Array(observed[1..<5])]
        let merged = F.runMerged(D(awsRanges: awsRanges), parts: parts, order: order, allRecords: records, agentRoles: [F.agentRole])
        #expect(Self.actionDetails(merged) == expected)
    }

    /// A partial file's accumulator state written and read back (actions by name in the file, numbered again when
    /// read) gives the same findings, also merged with a live accumulator that numbered the actions otherwise.
    @Test func partialStateKeepsActions() throws {
        let records = Self.records(Self.calls)
        let observed = F.observed(records)
        let detector = D(awsRanges: awsRanges)
        let context = AnalysisContext()
        let first = detector.makeAccumulator(context: context) as! D.Accumulator
        for e in observed[1..<5] { first.observe(e) }   // s3:GetObject ×2, kms:Decrypt, logs:PutLogEvents
        let data = try JSONEncoder().encode(Written(accumulator: first))
        let read = detector.makeAccumulator(context: context) as! D.Accumulator
        try read.decodePartial(from: JSONDecoder().decode(Reader.self, from: data).decoder)
        #expect(read.actionNumbers.actions.count == first.actionNumbers.actions.count)
        let live = detector.makeAccumulator(context: context) as! D.Accumulator
        for e in [observed[0]] + observed[5...] { live.observe(e) }   // numbers the actions in another order
        live.merge(read)
        let facts = F.facts(records, context: context, agentRoles: [F.agentRole])
        let expected = Self.actionDetails(F.run(detector, records, agentRoles: [F.agentRole]))
        #expect(Self.actionDetails(live.findings(facts)) == expected)
        #expect(!expected.isEmpty)
    }

    /// Every agent-role scenario with its records dealt alternately to two accumulators (so each role's records,
    /// and runs of one role, are split), one of them written to a partial file and read back, then merged either
    /// way: the same findings, field for field, as one accumulator that saw everything. The state is kept per role
    /// (`RoleUse`), the partial file flat by role and address, service or session: both must round-trip.
    @Test(arguments: BaselineCases.agentRole)
    func splitWrittenAndMergedScenarios(_ c: BaselineCase) throws {
        let records = c.records()
        let context = c.context()
        let detector = c.detector()
        let whole = F.run(detector, records, context: context, agentRoles: c.agentRoles)
        let observed = F.observed(records)
        for readFirst in [true, false] {
            let written = detector.makeAccumulator(context: context) as! D.Accumulator
            let live = detector.makeAccumulator(context: context) as! D.Accumulator
            for (i, e) in observed.enumerated() { (i % 2 == 0 ? written : live).observe(e) }
            let data = try JSONEncoder().encode(Written(accumulator: written))
            let read = detector.makeAccumulator(context: context) as! D.Accumulator
            try read.decodePartial(from: JSONDecoder().decode(Reader.self, from: data).decoder)
            let (target, other) = readFirst ? (read, live) : (live, read)
            target.merge(other)
            let merged = target.findings(F.facts(records, context: context, agentRoles: c.agentRoles)).sorted { $0.key < $1.key }
            #expect(merged == whole, "\(c.name), read first: \(readFirst)")
        }
    }

    /// A session keeps the `ipCap` smallest addresses it met, in order, and says when there were more: seeded runs of
    /// IPv4 and IPv6 addresses with repeats, added one by one and merged in halves, against the sorted distinct set.
    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func addressesKeepTheSmallestInOrder(_ seed: Int) {
        var rng = SplitMix(UInt64(seed))
        let pool: [IPAddress] = (0..<(2 + seed * 2)).map { k in
            k % 3 == 2 ? IPAddress("2001:db8::\(k)")! : IPAddress("10.0.\(Int.random(in: 0...3, using: &rng)).\(k)")!
        }
        let calls = (0..<(5 + seed * 7)).map { _ in pool[Int.random(in: 0..<pool.count, using: &rng)] }
        let event = F.observed([F.rec(F.agentRole, ip: "10.0.0.1")])[0]
        var whole = D.SessionUse(), first = D.SessionUse(), second = D.SessionUse()
        for (i, ip) in calls.enumerated() {
            whole.add(event, action: 0, ip: ip)
            if i % 2 == 0 { first.add(event, action: 0, ip: ip) } else { second.add(event, action: 0, ip: ip) }
        }
        first.merge(second)
        var distinct: [IPAddress] = []
        for ip in calls where !distinct.contains(ip) { distinct.append(ip) }
        distinct.sort(by: D.SessionUse.ipOrder)
        for use in [whole, first] {
            #expect(use.ips == Array(distinct.prefix(D.SessionUse.ipCap)), "seed \(seed)")
            #expect(use.moreIPs == (distinct.count > D.SessionUse.ipCap), "seed \(seed)")
            #expect(use.count == calls.count)
        }
    }

    /// The accumulator finds a record's role, session and address through a memo picked by the decoded principal's
    /// identity (an address, reused once a principal is freed): its state must equal what the records say whatever
    /// the identities. Principals are made afresh for each record (so freed ones' addresses come back for others) and
    /// shared by runs of records; roles, session keys (temporary and long-term) and addresses are drawn at random.
    @Test(arguments: [11, 12, 13])
    func roleStateIsExactWhateverThePrincipalsIdentity(_ seed: Int) {
        var rng = SplitMix(UInt64(seed))
        let detector = D(awsRanges: awsRanges)
        let acc = detector.makeAccumulator(context: AnalysisContext()) as! D.Accumulator
        var sessions: [String: [String: Int]] = [:], ips: [String: [IPAddress: Int]] = [:], calls: [String: Int] = [:]
        var shared: ObservedRecord?
        for i in 0..<3_000 {
            let event: ObservedRecord
            if let s = shared, Int.random(in: 0..<3, using: &rng) > 0 {
                event = s
            } else {
                let role = "arn:aws:iam::111122223333:role/role-\(Int.random(in: 0..<6, using: &rng))"
                let key = Int.random(in: 0..<10, using: &rng) == 0 ? "AKIALONGTERM\(Int.random(in: 0..<3, using: &rng))"
                    : "ASIASESSION\(Int.random(in: 0..<40, using: &rng))"
                let ip = "198.51.100.\(Int.random(in: 0..<12, using: &rng))"
                event = ObservedRecord(record: F.rec(role, source: "s3", name: "GetObject", ip: ip, key: key), file: "f", index: i)
            }
            shared = Int.random(in: 0..<4, using: &rng) == 0 ? nil : event
            acc.observe(event)
            let role = event.principalKey, key = event.record.principal.accessKeyId!
            calls[role, default: 0] += 1
            if key.hasPrefix("ASIA") { sessions[role, default: [:]][key, default: 0] += 1 }
            ips[role, default: [:]][event.record.sourceAddress.ip!, default: 0] += 1
        }
        #expect(Set(acc.roles.keys.map(\.string)) == Set(calls.keys))
        for (role, use) in acc.roles {
            let got = Dictionary(uniqueKeysWithValues: use.sessions.map { ($0.0.string, $0.1.count) })
            #expect(got == sessions[role.string] ?? [:], "\(role.string)")
            let gotIPs = Dictionary(uniqueKeysWithValues: use.ips.map { ($0.0, $0.1.tally.count) })
            #expect(gotIPs == ips[role.string], "\(role.string)")
            #expect(use.services.values.reduce(0) { $0 + $1.tally.tally.count } == calls[role.string])
        }
    }

    struct Written: Encodable {
        let accumulator: D.Accumulator
        func encode(to encoder: any Encoder) throws { try accumulator.encodePartial(to: encoder) }
    }

    struct Reader: Decodable {
        let decoder: any Decoder
        init(from decoder: any Decoder) throws { self.decoder = decoder }
    }
}

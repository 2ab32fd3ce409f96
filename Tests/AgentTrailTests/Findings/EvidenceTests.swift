import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// `Evidence`: the earliest `cap` references and the total, the same however the events are split into parts and
/// in whatever order the parts merge (a scan's workers each keep their own, then merge).
@Suite struct EvidenceTests {
    @Test(arguments: [(1, 3), (5, 2), (19, 2), (20, 3), (21, 2), (60, 4), (400, 7)])
    func mergedPartsEqualOneWhole(events: Int, parts: Int) {
        var rng = SplitMix(UInt64(events * 31 + parts))
        // (Few distinct times and files: ties are decided by file, then index.)
        let refs = (0..<events).map { i in
            EvidenceRef(eventID: nil, file: "f\(Int.random(in: 0..<3, using: &rng))", index: i,
                        time: Bool.random(using: &rng) ? nil : Instant(millisecondsSince1970: Int64.random(in: 0..<5, using: &rng)))
        }
        var whole = Evidence()
        for r in refs { whole.add(r) }
        #expect(whole.items == Array(refs.sorted().prefix(Evidence.cap)))
        #expect(whole.total == events)
        for _ in 0..<5 {
            var split = [Evidence](repeating: Evidence(), count: parts)
            for r in refs.shuffled(using: &rng) { split[Int.random(in: 0..<parts, using: &rng)].add(r) }
            var merged = Evidence()
            for p in split.shuffled(using: &rng) { merged.merge(p) }
            #expect(merged == whole)
            // (Merged pairwise the other way round: associative too.)
            var left = split[0]
            for p in split.dropFirst().reversed() { var q = p; q.merge(left); left = q }
            #expect(left == whole)
        }
    }
}

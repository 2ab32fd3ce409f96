import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// `ActionUsage.insertCapped` keeps the smallest `cap` distinct values whatever the order and repetition of what it
/// is offered (it skips a value offered twice in a row without hashing it again).
@Suite struct UsageCapTests {
    @Test(arguments: [1, 7, 42, 2026])
    func keepsTheSmallestDistinctValues(seed: UInt64) {
        var rng = SplitMix(seed)
        for cap in [1, 3, 20] {
            var set = Set<String>(), ceiling: String?, last: String?
            var offered = Set<String>()
            var previous = "v0"
            for _ in 0..<2_000 {
                // Runs of one value, some values coming back later, as a principal's calls do.
                let v = rng.next() % 3 == 0 ? previous : "v\(rng.next() % 60)"
                previous = v
                offered.insert(v)
                ActionUsage.insertCapped(v, into: &set, ceiling: &ceiling, last: &last, cap)
                #expect(set == Set(offered.sorted().prefix(cap)))
            }
        }
    }
}

import Testing
@testable import AgentTrail

/// `BurstWindows` keeps only bucket extremes; check it answers "≥ K distinct names in a window" exactly like a
/// brute force over every event, on deterministic pseudo-random data.
@Suite struct BurstWindowsTests {
    /// Deterministic linear congruential generator.
    struct LCG {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
    }

    /// Brute force: does any window [t - W, t] ending at an event hold ≥ k distinct names?
    static func bruteForce(_ events: [(Int64, Int)], windowMs: Int64, k: Int) -> Bool {
        for (t, _) in events {
            let names = Set(events.filter { $0.0 >= t - windowMs && $0.0 <= t }.map(\.1))
            if names.count >= k { return true }
        }
        return false
    }

    @Test(arguments: 1...40)
    func matchesBruteForce(seed: Int) {
        var rng = LCG(state: UInt64(seed))
        let windowMs: Int64 = 600_000
        let k = 2 + rng.next(4)
        let n = 5 + rng.next(40)
        let spread = 300_000 + rng.next(6_000_000)
        var events: [(Int64, Int)] = []
        for _ in 0..<n { events.append((Int64(rng.next(spread) / 1000 * 1000), rng.next(8))) }
        var w = BurstWindows<Int>(windowMs: windowMs)
        for (i, e) in events.enumerated() {
            w.add(e.1, EvidenceRef(eventID: "e\(i)", file: "f", index: i, time: Instant(millisecondsSince1970: e.0)))
        }
        let bursts = w.bursts(minDistinct: k)
        #expect(!bursts.isEmpty == Self.bruteForce(events, windowMs: windowMs, k: k))
        // Bursts never share events, and never count more events than exist.
        #expect(bursts.reduce(0) { $0 + $1.count } <= n)
        for b in bursts { #expect(b.counts.count >= k) }
    }
}

import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// `PositionTable` answers a key met again from a small cache picked by the caller's hash: the positions and values
/// must be a dictionary's whatever the hashes, including hashes that collide in the cache or entirely.
@Suite struct PositionTableTests {
    /// Seeded keys drawn from pools of 3 to 500, with a hash that is good, collides in the cache's slots only, or is
    /// the same for every key: each key keeps the position it was first given, values equal a dictionary's, and a
    /// merge equals adding the other table's entries.
    @Test(arguments: [(3, 0), (40, 0), (500, 0), (40, 1), (500, 1), (40, 2), (500, 2)])
    func positionsAndValuesAreADictionarys(_ pool: Int, _ hashing: Int) {
        var rng = SplitMix(UInt64(pool * 10 + hashing))
        func hash(_ k: String) -> Int {
            switch hashing {
            case 0: return k.hashValue
            case 1: return (k.hashValue & ~63) | 7   // every key in one cache slot
            default: return 42                       // every key the same hash
            }
        }
        var table = PositionTable<String, Int>(), other = PositionTable<String, Int>()
        var expected: [String: Int] = [:], firstPosition: [String: Int] = [:], order: [String] = []
        for i in 0..<5_000 {
            let k = "key-\(Int.random(in: 0..<pool, using: &rng))"
            let n = Int.random(in: 1...9, using: &rng)
            if i % 4 == 3 {
                other.values[other.position(of: k, hash: hash(k)) { 0 }] += n
            } else {
                let p = table.position(of: k, hash: hash(k)) { 0 }
                if let first = firstPosition[k] { #expect(p == first) } else {
                    firstPosition[k] = p
                    order.append(k)
                }
                table.values[p] += n
            }
            expected[k, default: 0] += n
        }
        #expect(table.keys == order)
        table.merge(other, hash: hash, make: { 0 }, combine: { $0 += $1 })
        #expect(table.dictionary == expected)
        #expect(table.count == expected.count)
        for (k, v) in expected { #expect(table[k] == v) }
        #expect(PositionTable(expected).dictionary == expected)
    }
}

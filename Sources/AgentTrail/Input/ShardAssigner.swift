/// Assigns weighted units (files, days, ...) to `shardCount` shards: balanced by weight and stable when units are
/// added.
///
/// Rendezvous (highest-random-weight) hashing with bounded loads: every unit ranks the shards by a hash of its key
/// and the shard number, and goes to the first shard in its ranking whose load stays within the capacity
/// (`(1 + slack)` times the mean load, at least the largest unit); when none has room, to the least-loaded shard.
/// Units are placed largest first (ties by key). The hash is FNV-1a of the key mixed with the shard number
/// (SplitMix64), not Swift's per-process seeded `Hasher`, so every machine computes the same plan.
///
/// Why this and not a plain hash or a greedy bin packing: `hash(key) % N` keeps a unit in place when others are
/// added but can leave one shard far heavier than the rest; largest-first packing into the lightest shard balances
/// well but moves most units when one file is added. Bounded-load rendezvous keeps most units on their first-choice
/// shard (so a re-plan after a day of new files moves few old ones) while no shard exceeds the capacity by more than
/// one unit.
public enum ShardAssigner {
    /// A unit to place: its key and weight (compressed bytes; at least 1).
    public struct Unit: Sendable, Hashable {
        public var key: String
        public var weight: Int64
        public init(key: String, weight: Int64) {
            self.key = key
            self.weight = max(1, weight)
        }
    }

    /// How far above the mean load a shard may go before a unit spills to its next-ranked shard.
    public static let slack = 0.10

    /// The shard of each unit (`result[i]` for `units[i]`), in `0..<shardCount`.
    public static func assign(_ units: [Unit], shardCount: Int) -> [Int] {
        let n = max(1, shardCount)
        var result = [Int](repeating: 0, count: units.count)
        if n == 1 || units.isEmpty { return result }
        let total = units.reduce(Int64(0)) { $0 + $1.weight }
        let largest = units.map(\.weight).max() ?? 1
        let capacity = max(largest, Int64((Double(total) / Double(n) * (1 + slack)).rounded(.up)))
        let order = units.indices.sorted { a, b in
            units[a].weight != units[b].weight ? units[a].weight > units[b].weight : units[a].key < units[b].key
        }
        var load = [Int64](repeating: 0, count: n)
        for i in order {
            let unit = units[i]
            let h = fnv1a(unit.key)
            let scores = (0..<n).map { score(h, $0) }
            // The first choice (one pass); the whole ranking only when it is full.
            var best = 0
            for k in 1..<n where scores[k] > scores[best] { best = k }
            let chosen: Int
            if load[best] + unit.weight <= capacity {
                chosen = best
            } else {
                let ranking = (0..<n).sorted { a, b in scores[a] != scores[b] ? scores[a] > scores[b] : a < b }
                chosen = ranking.first { load[$0] + unit.weight <= capacity }
                    ?? load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            }
            load[chosen] += unit.weight
            result[i] = chosen
        }
        return result
    }

    /// The shard of a unit by plain rendezvous hashing: the first shard in the unit's ranking, with no load cap. A
    /// pure function of (`key`, `shardCount`): adding or removing other units never moves it (the price: shards
    /// balance only on average). Nightly shards (`ShardUnit.account`) are placed this way.
    public static func stableShard(ofKey key: String, shardCount: Int) -> Int {
        let n = max(1, shardCount)
        if n == 1 { return 0 }
        let h = fnv1a(key)
        var best = 0, bestScore = score(h, 0)
        for k in 1..<n {
            let s = score(h, k)
            if s > bestScore { best = k; bestScore = s }
        }
        return best
    }

    /// The rendezvous score of shard `shard` for a unit whose key hashes to `keyHash`.
    static func score(_ keyHash: UInt64, _ shard: Int) -> UInt64 {
        splitMix(keyHash ^ splitMix(UInt64(shard) &+ 0x9E37_79B9_7F4A_7C15))
    }

    /// FNV-1a, 64 bits, over the UTF-8 bytes: the same on every machine and run.
    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    /// SplitMix64's finaliser.
    static func splitMix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

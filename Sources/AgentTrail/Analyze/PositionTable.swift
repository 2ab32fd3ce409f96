/// Values by key, held in an array in the order their keys were first met (a value's position never changes), found
/// through a dictionary of positions, with the positions of the keys used lately in a small direct-mapped cache picked
/// by the caller's hash of the key. A key met again (most of a detector's per-record lookups: a principal's records
/// repeat its region, service or address) is answered by one comparison of keys instead of a dictionary lookup, which
/// retained, hashed and released the key's strings.
///
/// Exact: a cached position is used only when the caller's hash matches the one stored with it and the key stored at
/// that position equals the key asked for; anything else goes to the dictionary. The caller's hash must be a function
/// of the key alone (equal keys, equal hashes), as any hash.
struct PositionTable<Key: Hashable, Value> {
    /// The keys, in the order first met.
    private(set) var keys: [Key] = []
    /// The value of each key, at its key's position.
    var values: [Value] = []
    private var positions: [Key: Int] = [:]
    private var recentHashes: [Int] = []
    private var recentPositions: [Int] = []
    private static var recentSize: Int { 64 }

    init() {}

    /// The table of `dictionary`'s entries (in the dictionary's order).
    init(_ dictionary: [Key: Value]) {
        for (k, v) in dictionary {
            positions[k] = keys.count
            keys.append(k)
            values.append(v)
        }
    }

    var count: Int { keys.count }
    var isEmpty: Bool { keys.isEmpty }

    /// The entries as a dictionary.
    var dictionary: [Key: Value] { Dictionary(uniqueKeysWithValues: zip(keys, values)) }

    /// The position of `key`'s value, made by `make()` when the key is new; `hash` is the caller's hash of `key`.
    @inline(__always)
    mutating func position(of key: Key, hash: Int, make: () -> Value) -> Int {
        let slot = hash & (Self.recentSize &- 1)
        if !recentHashes.isEmpty, recentHashes[slot] == hash {
            let p = recentPositions[slot]
            if p >= 0, keys[p] == key { return p }
        }
        return lookUp(key, hash: hash, slot: slot, make: make)
    }

    @inline(never)
    private mutating func lookUp(_ key: Key, hash: Int, slot: Int, make: () -> Value) -> Int {
        if recentHashes.isEmpty {
            recentHashes = Array(repeating: 0, count: Self.recentSize)
            recentPositions = Array(repeating: -1, count: Self.recentSize)
        }
        let p: Int
        if let known = positions[key] {
            p = known
        } else {
            p = keys.count
            positions[key] = p
            keys.append(key)
            values.append(make())
        }
        recentHashes[slot] = hash
        recentPositions[slot] = p
        return p
    }

    /// Merges `other`'s entries: each into the value at its key (made by `make()` when new) by `combine`.
    mutating func merge(_ other: PositionTable, hash: (Key) -> Int, make: () -> Value,
                        combine: (inout Value, Value) -> Void) {
        for (k, v) in zip(other.keys, other.values) { combine(&values[position(of: k, hash: hash(k), make: make)], v) }
    }

    /// The value of `key`, if any (a dictionary lookup).
    subscript(_ key: Key) -> Value? { positions[key].map { values[$0] } }
}

extension PositionTable: Sendable where Key: Sendable, Value: Sendable {}

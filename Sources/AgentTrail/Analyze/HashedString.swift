/// A string with its hash computed once, for dictionary keys built per record: hashing the key hashes one `Int`
/// instead of every byte of an ARN. Equal strings always have equal `hash` (it is `String.hashValue`, seeded once
/// per process), so values made by different workers compare and merge as plain strings would.
public struct HashedString: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let string: String
    /// `string.hashValue`.
    public let hash: Int

    public init(_ string: String) {
        self.string = string
        self.hash = string.hashValue
    }

    @inline(__always)
    public static func == (a: HashedString, b: HashedString) -> Bool {
        a.hash == b.hash && a.string == b.string
    }

    @inline(__always)
    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// Dictionaries and sets keyed by a `HashedString` use the stored hash (already well mixed) with their seed,
    /// instead of running it through `Hasher` again on every lookup.
    @inline(__always)
    public func _rawHashValue(seed: Int) -> Int { hash ^ seed }

    public static func < (a: HashedString, b: HashedString) -> Bool { a.string < b.string }

    public var description: String { string }
}

/// Cheap mixing of values that are already hashes (or small integers) into a dictionary's raw hash, for composite
/// keys of pre-hashed parts (`_rawHashValue(seed:)`): equal parts give equal results, as `Hashable` requires.
enum PrehashedMix {
    @inline(__always)
    static func mix(_ a: Int, _ b: UInt64, seed: Int) -> Int {
        var h = UInt64(truncatingIfNeeded: a) ^ (b &* 0xFF51_AFD7_ED55_8CCD) ^ UInt64(truncatingIfNeeded: seed)
        h = (h ^ (h >> 33)) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return Int(truncatingIfNeeded: h)
    }

    /// The bits of an IP address folded into one word (v4 and v6 kept apart).
    @inline(__always)
    static func bits(_ ip: IPAddress) -> UInt64 {
        switch ip {
        case .v4(let a): return UInt64(a) | (1 << 40)
        case .v6(let hi, let lo): return hi ^ (lo &* 0x9E37_79B9_7F4A_7C15) ^ 2
        }
    }
}

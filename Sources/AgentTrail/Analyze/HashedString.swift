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

/// A value computed from a principal, remembered for the principals met recently: the scan copies each distinct
/// `userIdentity`'s decoded principal into all its records, and copies share their fields (`Principal.fieldsID`), so
/// the records of one session find the value by that identity — a comparison of two addresses — instead of
/// computing it again (e.g. hashing the session's access key, ~300 instructions).
///
/// Exact: a hit means the same fields, so the same value (`compute` must depend on the fields only). The cache keeps
/// each principal it remembers alive, so the identity of its fields cannot be reused by another principal while it
/// is in the cache. Direct-mapped, `size` entries; a miss only costs `compute`.
struct PrincipalKeyCache<Value> {
    static var size: Int { 512 }
    private var ids = [ObjectIdentifier?](repeating: nil, count: PrincipalKeyCache.size)
    private var values = [Value?](repeating: nil, count: PrincipalKeyCache.size)
    /// The principals of `ids`, held only to keep their fields alive.
    private var held = [Principal?](repeating: nil, count: PrincipalKeyCache.size)

    /// `compute(principal)`, or the value remembered for a copy of `principal`.
    @inline(__always)
    mutating func value(_ principal: Principal, _ compute: (Principal) -> Value) -> Value {
        let id = principal.fieldsID
        // (The address's bits, not `hashValue`, which runs SipHash: fields are 16-byte aligned heap blocks.)
        let bits = UInt(bitPattern: id)
        let slot = Int(truncatingIfNeeded: (bits &>> 4) ^ (bits &>> 13)) & (PrincipalKeyCache.size &- 1)
        if ids[slot] == id, let v = values[slot] { return v }
        let v = compute(principal)
        ids[slot] = id
        values[slot] = v
        held[slot] = principal
        return v
    }
}

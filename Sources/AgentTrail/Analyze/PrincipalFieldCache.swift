/// A value computed from one string field of a principal (its access key, say), remembered for the principals met
/// recently without hashing the field: the scan copies each distinct `userIdentity`'s decoded principal into all its
/// records, and copies share their fields (`Principal.fieldsID`) and so the field's string storage. The slot is found
/// by the fields' identity (an address), and the entry is used only when its field equals the one asked for — for a
/// copy, the same storage, one comparison of two words.
///
/// Exact: a value is used only for an equal field, and `compute` depends on the field alone. The identity only picks
/// the slot: a freed principal's identity reused by another costs a comparison and a miss, never a wrong value, so
/// the cache holds no principal (holding them kept ~1 MB of old principals' strings alive per worker). Direct-mapped,
/// `size` entries.
struct PrincipalFieldCache<Value> {
    static var size: Int { 512 }
    private var ids = [ObjectIdentifier?](repeating: nil, count: PrincipalFieldCache.size)
    private var fields = [String?](repeating: nil, count: PrincipalFieldCache.size)
    private var values = [Value?](repeating: nil, count: PrincipalFieldCache.size)

    /// `compute(field)`, or the value remembered for an equal `field` of a copy of the principal whose `fieldsID` is
    /// `id` (the identity, not the principal: passing the principal copied it, a retain and a release per record).
    @inline(__always)
    mutating func value(_ id: ObjectIdentifier, field: String?, _ compute: (String?) -> Value) -> Value {
        // (The address's bits, not `hashValue`, which runs SipHash: fields are 16-byte aligned heap blocks.)
        let bits = UInt(bitPattern: id)
        let slot = Int(truncatingIfNeeded: (bits &>> 4) ^ (bits &>> 13)) & (PrincipalFieldCache.size &- 1)
        if ids[slot] == id, fields[slot] == field, let v = values[slot] { return v }
        let v = compute(field)
        ids[slot] = id
        fields[slot] = field
        values[slot] = v
        return v
    }
}

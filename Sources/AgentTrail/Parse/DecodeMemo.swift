/// The decoder's per-worker memo: decoded values keyed by their raw JSON bytes, used by `RecordDecoder` for the fields whose
/// values repeat across records (eventSource, eventName, region, user agent, account ids, ARNs, ...): a repeated
/// value costs a hash lookup and a retain instead of a new `String`. Exact: each entry is what `SpanValue` decodes
/// from the first occurrence of exactly those bytes. Not thread-safe: one per worker, never shared.
final class DecodeMemo: @unchecked Sendable {
    /// Values longer than this (raw bytes) are decoded without caching.
    static let maxLength = 256
    /// Entries in the string and address tables before they are emptied and refilled. A table that only stopped
    /// growing when full kept the first values met for good, and the values that repeat are few: but an archive's
    /// unique ones (object ARNs, request ids) filled it, 16 MB per worker at 65,536 strings. Emptied when full, a
    /// table holds at most this many (≤ 256 bytes each, ~2–4 MB per worker) and learns again what repeats now.
    static let stringLimit = 1 << 12
    static let addressLimit = 1 << 11
    // Held through pointers, not as stored properties, so lookups skip the runtime's exclusivity checks
    // (the decodeMemo is only ever used by one thread).
    private let strings: UnsafeMutablePointer<SpanTable<String?>>
    /// Per `Field`, the `strings` id of the value it had in the last record (-1: none).
    private let lastStringIDs: UnsafeMutablePointer<Int>
    private let addresses: UnsafeMutablePointer<SpanTable<SourceAddressValue>>
    /// Whole `userIdentity` objects seen by this worker (see `IdentityMemo`).
    let identities = IdentityMemo()
    /// `identities` without reference counting, for the per-record paths (the top-level pass, the rules): read out of
    /// the memo, the identity memo was retained and released per use. Valid while this memo lives.
    var unretainedIdentities: Unmanaged<IdentityMemo> { Unmanaged.passUnretained(identities) }
    /// Decoded `tlsDetails` objects, and nested values known to be well-formed, by their bytes (bounded: at most 1,024
    /// entries each, of at most 256 and 512 bytes, so well under 1 MiB per worker).
    private let tlsDetails: UnsafeMutablePointer<SpanTable<TLSValues>>
    private let wellFormed: UnsafeMutablePointer<SpanTable<Bool>>
    /// Decoded `resources` arrays by their bytes (a role's calls name the same key, table or topic again and again;
    /// decoding one cost ~3,600 instructions). At most `resourceListLimit` lists of at most 512 bytes, emptied when
    /// full (≤ 256 KiB of bytes per worker; their strings come from `strings`).
    private let resourceLists: UnsafeMutablePointer<SpanTable<[ResourceReference]>>
    static let resourceListLimit = 1 << 9
    static let wellFormedLimit = 1 << 10

    /// The fields of a `tlsDetails` object.
    struct TLSValues {
        var tlsVersion: String?
        var cipherSuite: String?
        var clientProvidedHostHeader: String?
    }

    struct SourceAddressValue {
        var text: String?
        var address: SourceAddress
    }

    init() {
        strings = .allocate(capacity: 1)
        strings.initialize(to: SpanTable(limit: DecodeMemo.stringLimit))
        lastStringIDs = .allocate(capacity: Field.allCases.count)
        lastStringIDs.initialize(repeating: -1, count: Field.allCases.count)
        addresses = .allocate(capacity: 1)
        addresses.initialize(to: SpanTable(limit: DecodeMemo.addressLimit))
        tlsDetails = .allocate(capacity: 1)
        tlsDetails.initialize(to: SpanTable(limit: 1 << 10))
        wellFormed = .allocate(capacity: 1)
        wellFormed.initialize(to: SpanTable(limit: DecodeMemo.wellFormedLimit))
        resourceLists = .allocate(capacity: 1)
        resourceLists.initialize(to: SpanTable(limit: DecodeMemo.resourceListLimit))
    }

    /// Frees every table's storage (the pass is over: nothing decodes with this memo again). The memo stays usable.
    func release() {
        strings.pointee = SpanTable(limit: DecodeMemo.stringLimit)
        lastStringIDs.update(repeating: -1, count: Field.allCases.count)
        addresses.pointee = SpanTable(limit: DecodeMemo.addressLimit)
        tlsDetails.pointee = SpanTable(limit: 1 << 10)
        wellFormed.pointee = SpanTable(limit: DecodeMemo.wellFormedLimit)
        resourceLists.pointee = SpanTable(limit: DecodeMemo.resourceListLimit)
        identities.release()
    }

    deinit {
        strings.deinitialize(count: 1)
        strings.deallocate()
        lastStringIDs.deallocate()
        addresses.deinitialize(count: 1)
        addresses.deallocate()
        tlsDetails.deinitialize(count: 1)
        tlsDetails.deallocate()
        wellFormed.deinitialize(count: 1)
        wellFormed.deallocate()
        resourceLists.deinitialize(count: 1)
        resourceLists.deallocate()
    }

    /// `SpanValue.string(p, s)`, cached.
    @inline(__always)
    func string(_ p: UnsafePointer<UInt8>, _ s: ByteSpan) -> String? {
        guard s.isSet else { return nil }
        guard s.end &- s.start <= DecodeMemo.maxLength else { return SpanValue.string(p, s) }
        return storedString(p, s).value
    }

    /// The `strings` entry for the bytes at `s` (made on first sight; the table emptied first when full).
    @inline(__always)
    private func storedString(_ p: UnsafePointer<UInt8>, _ s: ByteSpan) -> (id: Int, value: String?) {
        if strings.pointee.count >= DecodeMemo.stringLimit { strings.pointee.removeAll() }
        let found = strings.pointee.lookup(p, s.start, s.end) { SpanValue.string(p, s) }
        return (found.id, found.value)
    }

    /// Fields whose value `string(_:_:field:)` remembers from one record to the next.
    enum Field: Int, CaseIterable {
        case eventSource, eventName, awsRegion, userAgent, errorCode, eventType, eventVersion, eventCategory,
             recipientAccountId, vpcEndpointId, vpcEndpointAccountId
    }

    /// `string(p, s)` for one of the record's top-level fields: first compared with the value this field had in the
    /// last record (a trail's records mostly repeat their region, event type, version, account, agent), which
    /// skips hashing the bytes and probing the table (~110 of a lookup's ~150 instructions). The entry is checked
    /// by its bytes, so the answer is exactly the table's.
    @inline(__always)
    func string(_ p: UnsafePointer<UInt8>, _ s: ByteSpan, field: Field) -> String? {
        guard s.isSet else { return nil }
        guard s.end &- s.start <= DecodeMemo.maxLength else { return SpanValue.string(p, s) }
        let slot = lastStringIDs + field.rawValue
        if let same = strings.pointee.value(ifStoredAt: slot.pointee, p, s.start, s.end) { return same }
        let found = storedString(p, s)
        slot.pointee = found.id
        return found.value
    }

    /// The `tlsDetails` object at `s` as `decode` reads it, cached when it succeeds (a value that throws is not
    /// stored, so its error is thrown again where it occurs).
    @inline(__always)
    func tlsDetails(_ p: UnsafePointer<UInt8>, _ s: ByteSpan, _ decode: () throws -> TLSValues) rethrows -> TLSValues {
        guard s.end &- s.start <= 256 else { return try decode() }
        return try tlsDetails.pointee.lookup(p, s.start, s.end, decode).value
    }

    /// The `resources` array at `s` as `decode` reads it, cached when it succeeds (a list that throws is not stored).
    @inline(__always)
    func resources(_ p: UnsafePointer<UInt8>, _ s: ByteSpan, _ decode: () throws -> [ResourceReference]) rethrows -> [ResourceReference] {
        guard s.end &- s.start <= 512 else { return try decode() }
        if resourceLists.pointee.count >= DecodeMemo.resourceListLimit { resourceLists.pointee.removeAll() }
        return try resourceLists.pointee.lookup(p, s.start, s.end, decode).value
    }

    /// Runs `check` (a syntax check that throws) unless the same bytes passed it before.
    @inline(__always)
    func checkWellFormed(_ p: UnsafePointer<UInt8>, _ s: ByteSpan, tag: UInt64, _ check: () throws -> Void) rethrows {
        guard s.end &- s.start <= 512 else { return try check() }
        // (Emptied when full, as the string table: frozen, it kept the first lists met and checked every later one.)
        if wellFormed.pointee.count >= DecodeMemo.wellFormedLimit { wellFormed.pointee.removeAll() }
        _ = try wellFormed.pointee.lookup(p, s.start, s.end, tag: tag) { try check(); return true }
    }

    /// `sourceIPAddress` as written and as parsed (the decoder's rule), cached.
    @inline(__always)
    func sourceAddress(_ p: UnsafePointer<UInt8>, _ s: ByteSpan) -> SourceAddressValue {
        guard s.end &- s.start <= DecodeMemo.maxLength else { return DecodeMemo.parseAddress(p, s) }
        if addresses.pointee.count >= DecodeMemo.addressLimit { addresses.pointee.removeAll() }
        return addresses.pointee.lookup(p, s.start, s.end) { DecodeMemo.parseAddress(p, s) }.value
    }

    /// How `RecordDecoder` reads `sourceIPAddress` (span must be set).
    static func parseAddress(_ p: UnsafePointer<UInt8>, _ s: ByteSpan) -> SourceAddressValue {
        let text = SpanValue.string(p, s)
        if let bytes = SpanValue.plainBytes(p, s), let ip = IPAddress.parse(bytes) {
            return SourceAddressValue(text: text, address: .ip(ip))
        }
        return SourceAddressValue(text: text, address: SourceAddress(text))
    }
}

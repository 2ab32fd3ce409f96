/// A per-worker cache of decoded values keyed by their raw JSON bytes, used by `RecordDecoder` for the fields whose
/// values repeat across records (eventSource, eventName, region, user agent, account ids, ARNs, ...): a repeated
/// value costs a hash lookup and a retain instead of a new `String`. Exact: each entry is what `SpanValue` decodes
/// from the first occurrence of exactly those bytes. Not thread-safe: one per worker, never shared.
final class StringInterner: @unchecked Sendable {
    /// Values longer than this (raw bytes) are decoded without caching.
    static let maxLength = 256
    // Held through pointers, not as stored properties, so lookups skip the runtime's exclusivity checks
    // (the interner is only ever used by one thread).
    private let strings: UnsafeMutablePointer<SpanTable<String?>>
    private let addresses: UnsafeMutablePointer<SpanTable<SourceAddressValue>>
    /// Whole `userIdentity` objects seen by this worker (see `IdentityMemo`).
    let identities = IdentityMemo()

    struct SourceAddressValue {
        var text: String?
        var address: SourceAddress
    }

    init() {
        strings = .allocate(capacity: 1)
        strings.initialize(to: SpanTable(limit: 1 << 16))
        addresses = .allocate(capacity: 1)
        addresses.initialize(to: SpanTable(limit: 1 << 15))
    }

    deinit {
        strings.deinitialize(count: 1)
        strings.deallocate()
        addresses.deinitialize(count: 1)
        addresses.deallocate()
    }

    /// `SpanValue.string(p, s)`, cached.
    @inline(__always)
    func string(_ p: UnsafePointer<UInt8>, _ s: Span) -> String? {
        guard s.isSet else { return nil }
        guard s.end &- s.start <= StringInterner.maxLength else { return SpanValue.string(p, s) }
        return strings.pointee.lookup(p, s.start, s.end) { SpanValue.string(p, s) }.value
    }

    /// `sourceIPAddress` as written and as parsed (the decoder's rule), cached.
    @inline(__always)
    func sourceAddress(_ p: UnsafePointer<UInt8>, _ s: Span) -> SourceAddressValue {
        guard s.end &- s.start <= StringInterner.maxLength else { return StringInterner.parseAddress(p, s) }
        return addresses.pointee.lookup(p, s.start, s.end) { StringInterner.parseAddress(p, s) }.value
    }

    /// How `RecordDecoder` reads `sourceIPAddress` (span must be set).
    static func parseAddress(_ p: UnsafePointer<UInt8>, _ s: Span) -> SourceAddressValue {
        let text = SpanValue.string(p, s)
        if let bytes = SpanValue.plainBytes(p, s), let ip = IPAddress.parse(bytes) {
            return SourceAddressValue(text: text, address: .ip(ip))
        }
        return SourceAddressValue(text: text, address: SourceAddress(text))
    }
}

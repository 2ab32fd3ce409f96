/// A cheap view of a record for `RecordDecoder`'s prefilter: the top-level keys have been located but nothing
/// has been decoded. Each property decodes its value on access. Valid only during the prefilter call (it points
/// into the record's bytes); do not store it.
public struct PeekedFields {
    let p: UnsafePointer<UInt8>
    /// The decoder's top-level pass (held by pointer: a view must not copy it per record).
    /// (Mutable only for the memos it keeps for `build`, e.g. `plainEventTime`.)
    private let top: UnsafeMutablePointer<RecordDecoder.TopLevel>
    private let identityFirst: Bool
    /// The record's length in bytes (`p[..<count]` is the whole record object).
    let count: Int
    /// The record's index in its input (-1 when not known).
    let index: Int

    init(_ p: UnsafePointer<UInt8>, _ top: UnsafeMutablePointer<RecordDecoder.TopLevel>, identityFirst: Bool, count: Int = 0,
         index: Int = -1) {
        self.p = p
        self.top = top
        self.identityFirst = identityFirst
        self.count = count
        self.index = index
    }

    /// The decoder's top-level pass, valid during the prefilter call.
    var topLevel: UnsafePointer<RecordDecoder.TopLevel> { UnsafePointer(top) }

    /// The decoder's top-level pass, for its memos.
    var mutableTopLevel: UnsafeMutablePointer<RecordDecoder.TopLevel> { top }

    /// The value spans of the record's top-level keys.
    var fields: RecordFields {
        @inline(__always) _read { yield top.pointee.fields }
    }

    /// The `IdentityMemo` id and generation of the `userIdentity` object (id -1: none): equal ids of one generation
    /// mean byte-identical objects.
    /// The id of this record's `userIdentity` in the worker's `IdentityMemo` (valid for this record; -1: none).
    var identityMemoID: Int { identityFirst ? top.pointee.identityID : -1 }

    /// `userIdentity` already scanned by the decoder (when it was asked to scan it before the prefilter).
    var identity: IdentityScan? {
        @inline(__always) _read { yield identityFirst ? top.pointee.inlineIdentity : nil }
    }

    /// `eventSource` (empty when missing).
    public var eventSource: String { SpanValue.string(p, fields.eventSource) ?? "" }
    /// `eventName` (empty when missing).
    public var eventName: String { SpanValue.string(p, fields.eventName) ?? "" }

    /// True when `eventSource` is exactly `text`, compared on the raw bytes without building a String.
    public func eventSourceIs(_ text: String) -> Bool { rawStringEquals(fields.eventSource, text) }
    /// True when `eventName` is exactly `text`, compared on the raw bytes when it has no escapes.
    public func eventNameIs(_ text: String) -> Bool { rawStringEquals(fields.eventName, text) }

    private func rawStringEquals(_ span: ByteSpan, _ text: String) -> Bool {
        if let inner = SpanValue.plainBytes(p, span) {
            return JSONScan.equals(p, span.start + 1, span.start + 1 + inner.count, text)
        }
        return SpanValue.string(p, span) == text
    }

    /// `userIdentity`, scanned on access (empty when missing or malformed).
    public var userIdentity: PeekedIdentity {
        if let identity { return PeekedIdentity(p: p, fields: !identity.failed ? identity.fields : IdentityFields()) }
        return PeekedIdentity(p: p, fields: (try? IdentityFields(p, fields.userIdentity)) ?? IdentityFields())
    }

    /// `userIdentity.arn`.
    public var userArn: String? { userIdentity.arn }
    /// `userIdentity.type`.
    public var userType: String? { userIdentity.type }
    /// `userIdentity.sessionContext.sessionIssuer.arn`.
    public var sessionIssuerArn: String? { userIdentity.sessionIssuerArn }
    /// `userIdentity.invokedBy`.
    public var invokedBy: String? { userIdentity.invokedBy }
    /// `userIdentity.accessKeyId`.
    public var accessKeyId: String? { userIdentity.accessKeyId }

    /// The raw bytes of `requestParameters` (nil when missing); valid only during the prefilter call.
    public var requestParametersBytes: UnsafeRawBufferPointer? {
        guard fields.requestParameters.isSet else { return nil }
        return UnsafeRawBufferPointer(start: p + fields.requestParameters.start,
                                      count: fields.requestParameters.end - fields.requestParameters.start)
    }

    /// `requestParameters` copied out as `RawJSON` (nil when missing or null).
    public var requestParameters: RawJSON? { SpanValue.raw(p, fields.requestParameters) }
}

/// `userIdentity` fields of a `PeekedFields`, decoded on access.
public struct PeekedIdentity {
    let p: UnsafePointer<UInt8>
    let fields: IdentityFields

    public var type: String? { SpanValue.string(p, fields.type) }
    public var arn: String? { SpanValue.string(p, fields.arn) }
    public var sessionIssuerArn: String? { SpanValue.string(p, fields.issuerArn) }
    public var invokedBy: String? { SpanValue.string(p, fields.invokedBy) }
    public var accessKeyId: String? { SpanValue.string(p, fields.accessKeyId) }
    public var accountId: String? { SpanValue.string(p, fields.accountId) }
}

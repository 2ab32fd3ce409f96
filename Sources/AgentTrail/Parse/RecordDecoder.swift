/// Decodes one record's bytes (as produced by `RecordSplitter`) into a `CloudTrailRecord`.
///
/// One pass over the record's top-level keys records where each wanted value lies (nested unknown values are
/// skipped without decoding); the optional prefilter looks at that view; then only the wanted values are decoded.
///
/// **Malformed rule.** A record is malformed (`DecodeError`) when it is not a JSON object, has bad JSON syntax at
/// its top level or inside `userIdentity`/`tlsDetails`/`resources`, has bytes after its closing brace, or lacks a
/// usable `eventSource` **or** `eventName` (absent, `null`, empty string or not a string/scalar). Such stubs —
/// e.g. `{"errorCode": ...}` or Athena-style lowercase `eventsource` keys, as in Panther's partial test logs — are
/// not usable API-call records, so the caller counts them as malformed. Key names are matched case-sensitively.
/// Inside nested values that are only kept raw (`requestParameters`, unknown keys) syntax is checked only for
/// balanced brackets and terminated strings.
public struct RecordDecoder: Sendable {
    /// Keep the whole record's bytes in `CloudTrailRecord.raw`.
    public var keepRaw: Bool
    /// The optional fields to decode (see `RecordFieldSet`; the others stay nil or empty).
    public var fields: RecordFieldSet = .all
    /// Called before building a record; returning false skips it (`decode` returns nil, not an error).
    public var prefilter: (@Sendable (PeekedFields) -> Bool)?
    /// Scan `userIdentity` before calling the prefilter and hand it over in `PeekedFields` (and reuse it when
    /// building), for prefilters that always look at the identity: it is then scanned once per record, not twice.
    var scansIdentityFirst = false
    /// Records are judged on their peeked fields by a verdict function handed to `finish`/`decode` (a scan's
    /// triage), not by `prefilter`.
    var judged = false
    /// Something looks at each record's peeked fields before it is built.
    var peeks: Bool { prefilter != nil || judged }
    /// A per-worker cache for the decoded values that repeat across records (see `DecodeMemo`).
    var decodeMemo: DecodeMemo?
    /// The spans of the record's top-level containers, filled by the `RecordSplitter` that delivers the record
    /// (set by `RecordStream`; used only by `scanTopLevel`, and only while `usable`).
    /// Not retained (no reference counting per record): the `RecordStream` that sets it keeps it alive.
    unowned(unsafe) var containerSpans: ContainerSpans?

    public init(keepRaw: Bool = false, prefilter: (@Sendable (PeekedFields) -> Bool)? = nil) {
        self.keepRaw = keepRaw
        self.prefilter = prefilter
    }

    /// Decodes a record. Returns nil when the prefilter rejected it; throws `DecodeError` when it is malformed.
    public func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> CloudTrailRecord? {
        var out: CloudTrailRecord?
        do {
            try decode(bytes, judge: prefilter.map { f in { f($0) ? () : nil } }, unjudged: ()) { record, _ in out = record }
        } catch let e as DecodeError {
            throw e
        } catch {
            throw DecodeError(code: .syntax, reason: "\(error)", byteOffset: 0)  // (`deliver` above throws nothing)
        }
        return out
    }

    /// `decode` with a verdict: `judge` sees the peeked fields (when given) and returns the value the caller wants
    /// handed on with the record, or nil to skip it; without `judge` every record is kept with `unjudged` (which
    /// must then be given). The record and its verdict go to `deliver`; returns false when the record was skipped.
    /// Throws `DecodeError` when the record is malformed, and what `deliver` throws.
    @inline(__always)
    func decode<Verdict>(_ bytes: UnsafeRawBufferPointer, judge: ((PeekedFields) -> Verdict?)?,
                         unjudged: Verdict?, index: Int = -1,
                         deliver: (consuming CloudTrailRecord, Verdict) throws -> Void) throws -> Bool {
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            throw DecodeError(code: .notAnObject, reason: "empty record", byteOffset: 0)
        }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = bytes.count
        let start = JSONScan.skipSpace(p, 0, n)
        guard start < n, p[start] == 0x7B else {
            throw DecodeError(code: .notAnObject, reason: "record is not a JSON object", byteOffset: start)
        }
        var top = TopLevel()
        do {
            let end = try topLevel(p, start, n, &top, spans: containerSpans)
            let after = JSONScan.skipSpace(p, end, n)
            if after != n {
                throw JSONScan.Failure(offset: after, reason: "unexpected bytes after the record object")
            }
        } catch let e as JSONScan.Failure {
            throw DecodeError(code: .syntax, reason: e.reason, byteOffset: e.offset)
        } catch {
            throw DecodeError(code: .syntax, reason: "\(error)", byteOffset: 0)
        }
        return try finish(p, n, start, &top, judge: judge, unjudged: unjudged, index: index, deliver: deliver)
    }

    /// What the top-level pass found: the value spans, and `userIdentity` when it was scanned on the way.
    struct TopLevel {
        var fields = RecordFields()
        /// With `scansIdentityFirst`, `userIdentity` is scanned during the top-level pass instead of being skipped
        /// and scanned again (nil when it is absent, not an object, or malformed: it is then scanned from its span
        /// in `finish`, which reports errors exactly as before).
        var inlineIdentity: IdentityScan?
        /// `inlineIdentity`'s id in the worker's `IdentityMemo` (-1: none).
        var identityID = -1
        /// `eventTime` as parsed from its raw bytes when it has no escape (nil inside: unparseable), once the
        /// verdict asked for it (`PeekedFields.eventTime`), so that `build` does not parse it again; nil: not parsed.
        var plainEventTime: Instant?? = nil
    }

    /// The top-level pass over the object at `p[start]` (`{`), bounded by `n`; returns the index after its `}`.
    /// Throws `JSONScan.Failure`.
    @inline(__always)
    private func topLevel(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ top: inout TopLevel,
                          spans: ContainerSpans?) throws -> Int {
        if scansIdentityFirst && peeks {
            defer { spans?.usable = false }  // they describe this record only
            // (Unretained: the decode memo, which `self` holds, keeps it.)
            let memo = decodeMemo?.unretainedIdentities
            return try RecordDecoder.scanTopLevel(p, start, n, &top.fields, &top.inlineIdentity, spans,
                                                  memo: memo, memoID: &top.identityID)
        }
        var f = RecordFields()
        defer { top.fields = f }
        return try JSONScan.forEachMember(p, start, n) { ks, ke, escaped, vs, ve in
            if escaped { f.hasEscapedKey = true }
            f.assign(p, ks, ke, vs, ve)
            return true
        } ?? n
    }

    /// The top-level pass of a record that starts at `p[0]` (`{`) in input that may go on past its end (`n` is
    /// the end of the input, not of the record): the record's length and what the pass found, or nil when the pass
    /// fails (malformed, or the record does not end within `n`). Lets `RecordStream` decode records straight from
    /// a buffer without the splitter scanning them first: when this succeeds, the record ends exactly where the
    /// splitter would end it (every string and bracket in it was matched, kinds checked), and decoding goes on
    /// with `finish` as `decode` would; when it fails, the caller falls back to the splitter and `decode`, so
    /// errors are reported exactly as before.
    func topLevelDirect(_ p: UnsafePointer<UInt8>, _ n: Int, into top: inout TopLevel) -> Int? {
        guard n > 0, p[0] == 0x7B else { return nil }
        return try? topLevel(p, 0, n, &top, spans: nil)
    }

    /// The rest of `decode` after the top-level pass, for the record `p[..<n]` whose object starts at `start`.
    /// (`top` is taken `inout` and handed on by pointer: it is large, and copies of it showed in profiles. The record
    /// goes to `deliver` as `build` made it: returned in an optional tuple, it was copied, 664 bytes, three times
    /// more on its way to the caller.)
    @inline(__always)
    func finish<Verdict>(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int, _ top: inout TopLevel,
                         judge: ((PeekedFields) -> Verdict?)?,
                         unjudged: Verdict?, index: Int = -1,
                         deliver: (consuming CloudTrailRecord, Verdict) throws -> Void) throws -> Bool {
        let hasSource = SpanValue.isPresent(p, top.fields.eventSource)
        let hasName = SpanValue.isPresent(p, top.fields.eventName)
        guard hasSource && hasName else {
            let missing = !hasSource && !hasName ? "eventSource and eventName" : (hasSource ? "eventName" : "eventSource")
            throw DecodeError(code: hasSource || hasName ? .missingEventIdentity : .notAnEvent,
                              reason: "record has no \(missing)", byteOffset: start)
        }
        // The identity scanned before the verdict is reused by `build` (only then: otherwise `build` scans it).
        let identityFirst = judge != nil && scansIdentityFirst
        if identityFirst && top.inlineIdentity == nil { top.inlineIdentity = IdentityScan(p, top.fields.userIdentity) }
        let verdict: Verdict
        if let judge {
            guard let v = withUnsafeMutablePointer(to: &top, { tp in judge(PeekedFields(p, tp, identityFirst: scansIdentityFirst, count: n, index: index)) })
            else { return false }
            verdict = v
        } else {
            verdict = unjudged!  // (given by every caller that passes no judge)
        }
        let record: CloudTrailRecord
        do {
            record = try withUnsafePointer(to: &top) { tp in try build(p, n, tp, identityFirst: identityFirst) }
        } catch let e as JSONScan.Failure {
            throw DecodeError(code: .syntax, reason: e.reason, byteOffset: e.offset)
        } catch {
            throw DecodeError(code: .syntax, reason: "\(error)", byteOffset: 0)
        }
        try deliver(consume record, verdict)
        return true
    }

    /// Decodes a record from an array of bytes.
    public func decode(_ bytes: [UInt8]) throws(DecodeError) -> CloudTrailRecord? {
        do {
            return try bytes.withUnsafeBytes { try decode($0) }
        } catch let e as DecodeError {
            throw e
        } catch {
            throw DecodeError(code: .syntax, reason: "\(error)", byteOffset: 0)
        }
    }

    /// True when `build` would not throw on `tlsDetails` and `resources` (the nested values it scans besides
    /// `userIdentity`): the same scans, without building anything. Lets a prefilter that only counts a record
    /// (and returns false) know that decoding it would have succeeded.
    static func nestedValuesAreValid(_ p: UnsafePointer<UInt8>, _ f: RecordFields) -> Bool {
        do {
            if f.tlsDetails.isSet && p[f.tlsDetails.start] == 0x7B {
                try JSONScan.forEachMember(p, f.tlsDetails.start, f.tlsDetails.end) { _, _, _, _, _ in true }
            }
            if f.resources.isSet && p[f.resources.start] == 0x5B && !resourcesAreWellFormed(p, f.resources) {
                try resourcesCheckedInTwoPasses(p, f.resources)
            }
            return true
        } catch {
            return false
        }
    }

    /// Whether `build` accepts the `resources` array at `s` (its `[`): its object elements' members scanned in one
    /// pass (`JSONScan.objectElementsInOnePass`). False: `resourcesCheckedInTwoPasses` throws the error (or, should
    /// the two ever disagree, accepts).
    static func resourcesAreWellFormed(_ p: UnsafePointer<UInt8>, _ s: ByteSpan) -> Bool {
        JSONScan.objectElementsInOnePass(p, s.start, s.end) { es in
            try JSONScan.forEachMember(p, es, s.end) { _, _, _, _, _ in true }
        }
    }

    /// The `resources` syntax check as it reports errors: each element skipped, then an object's members scanned.
    static func resourcesCheckedInTwoPasses(_ p: UnsafePointer<UInt8>, _ s: ByteSpan) throws {
        try JSONScan.forEachElement(p, s.start, s.end) { es, ee in
            guard p[es] == 0x7B else { return true }
            try JSONScan.forEachMember(p, es, ee) { _, _, _, _, _ in true }
            return true
        }
    }

    private func build(_ p: UnsafePointer<UInt8>, _ n: Int, _ tp: UnsafePointer<TopLevel>,
                       identityFirst: Bool) throws -> CloudTrailRecord {
        @inline(__always) var f: RecordFields { tp.pointee.fields }
        @inline(__always) func str(_ s: ByteSpan) -> String? { SpanValue.string(p, s) }
        let decodeMemo = self.decodeMemo
        // (The memo reached without a retain and a release per use: `self` holds it through the call, and binding the
        // optional in the two helpers below retained and released it on each of ~7 calls a record, 40 instructions
        // each time.)
        let memo = decodeMemo.map { Unmanaged.passUnretained($0) }
        /// For values that repeat across records: cached per worker when there is an decodeMemo.
        @inline(__always) func istr(_ s: ByteSpan) -> String? {
            if let memo { return memo._withUnsafeGuaranteedRef { $0.string(p, s) } }
            return SpanValue.string(p, s)
        }
        /// `istr` for a top-level field, checked first against that field's value in the last record.
        @inline(__always) func istr(_ s: ByteSpan, _ field: DecodeMemo.Field) -> String? {
            if let memo { return memo._withUnsafeGuaranteedRef { $0.string(p, s, field: field) } }
            return SpanValue.string(p, s)
        }
        /// Runs a syntax check of a nested value that is not decoded, skipped when the same bytes passed it before.
        @inline(__always) func checkWellFormed(_ s: ByteSpan, tag: UInt64, _ check: () throws -> Void) throws {
            if let memo { try memo._withUnsafeGuaranteedRef { try $0.checkWellFormed(p, s, tag: tag, check) } } else { try check() }
        }
        let wanted = fields
        var eventTime: Instant?, eventTimeText: String?
        if f.eventTime.isSet {
            if case .some(.some(let t)) = tp.pointee.plainEventTime {
                eventTime = t
            } else if tp.pointee.plainEventTime == nil, let bytes = SpanValue.plainBytes(p, f.eventTime),
                      let t = Instant.parseCloudTrail(bytes) {
                eventTime = t
            } else {
                eventTimeText = str(f.eventTime)
                if let text = eventTimeText, let t = Instant.parseCloudTrail(text) {
                    eventTime = t
                    eventTimeText = nil
                }
            }
        }
        var sourceIPText: String?, sourceAddress = SourceAddress.none
        if f.sourceIPAddress.isSet {
            let a = decodeMemo?.sourceAddress(p, f.sourceIPAddress) ?? DecodeMemo.parseAddress(p, f.sourceIPAddress)
            sourceIPText = a.text
            sourceAddress = a.address
        }
        // (`tlsDetails` and `resources` are scanned even when not wanted: a syntax error in them makes the record
        // malformed whatever the field set, see `nestedValuesAreValid`.)
        var tlsVersion: String?, cipherSuite: String?, hostHeader: String?
        // (Repeated `tlsDetails` objects and checked nested values are looked up by their bytes in the worker's
        // decodeMemo; a value is stored only once it decoded without error, so errors are thrown as before.)
        if f.tlsDetails.isSet && p[f.tlsDetails.start] == 0x7B && !wanted.contains(.tls) {
            let span = f.tlsDetails
            let check = { try JSONScan.forEachMember(p, span.start, span.end) { _, _, _, _, _ in true } }
            try checkWellFormed(span, tag: 1) { _ = try check() }
        } else if f.tlsDetails.isSet && p[f.tlsDetails.start] == 0x7B {
            let span = f.tlsDetails
            let decode = { () throws -> DecodeMemo.TLSValues in
                var v = DecodeMemo.TLSValues()
                try JSONScan.forEachMember(p, span.start, span.end) { ks, ke, _, vs, ve in
                    let s = ByteSpan(start: vs, end: ve)
                    if JSONScan.equals(p, ks, ke, "tlsVersion" as StaticString) { v.tlsVersion = istr(s) }
                    else if JSONScan.equals(p, ks, ke, "cipherSuite" as StaticString) { v.cipherSuite = istr(s) }
                    else if JSONScan.equals(p, ks, ke, "clientProvidedHostHeader" as StaticString) { v.clientProvidedHostHeader = istr(s) }
                    return true
                }
                return v
            }
            let v = try decodeMemo?.tlsDetails(p, span, decode) ?? decode()
            tlsVersion = v.tlsVersion
            cipherSuite = v.cipherSuite
            hostHeader = v.clientProvidedHostHeader
        }
        var principal: Principal?
        let detailed = wanted.contains(.principalDetails)
        let memoID = identityFirst && tp.pointee.inlineIdentity != nil ? tp.pointee.identityID : -1
        if memoID >= 0, let memo = decodeMemo?.identities, let known = memo.principal(memoID, detailed: detailed) {
            principal = known  // (the same bytes decode to the same principal)
        } else if f.userIdentity.isSet {
            let u: IdentityFields
            if identityFirst, tp.pointee.inlineIdentity != nil, !tp.pointee.inlineIdentity!.failed {
                u = tp.pointee.inlineIdentity!.fields
            } else {  // (a failed scan of the span throws its error again here)
                u = try IdentityFields(p, f.userIdentity)
            }
            if detailed {
                principal = Principal(
                    type: istr(u.type), arn: istr(u.arn), principalId: istr(u.principalId), accountId: istr(u.accountId),
                    accessKeyId: istr(u.accessKeyId), userName: istr(u.userName), sessionIssuerArn: istr(u.issuerArn),
                    sessionIssuerType: istr(u.issuerType), mfaAuthenticated: SpanValue.bool(p, u.mfaAuthenticated),
                    invokedBy: istr(u.invokedBy), sourceIdentity: istr(u.sessionSourceIdentity) ?? istr(u.sourceIdentity),
                    sessionIssuerUserName: istr(u.issuerUserName))
            } else {
                principal = Principal(
                    type: istr(u.type), arn: istr(u.arn), accountId: istr(u.accountId), accessKeyId: istr(u.accessKeyId),
                    userName: istr(u.userName), sessionIssuerArn: istr(u.issuerArn), invokedBy: istr(u.invokedBy),
                    sessionIssuerUserName: istr(u.issuerUserName))
            }
            if memoID >= 0, let memo = decodeMemo?.identities, let principal { memo.setPrincipal(memoID, detailed: detailed, principal) }
        }
        var resources: [ResourceReference] = []
        if f.resources.isSet && p[f.resources.start] == 0x5B && !wanted.contains(.resources) {
            let span = f.resources
            try checkWellFormed(span, tag: 2) {
                if !Self.resourcesAreWellFormed(p, span) { try Self.resourcesCheckedInTwoPasses(p, span) }
            }
        } else if f.resources.isSet && p[f.resources.start] == 0x5B {
            let span = f.resources
            let decode = { () throws -> [ResourceReference] in
                var list: [ResourceReference] = []
                @inline(__always) func reference(_ es: Int, _ bound: Int) throws -> Int? {
                    var ref = ResourceReference()
                    let end = try JSONScan.forEachMember(p, es, bound) { ks, ke, _, vs, ve in
                        let s = ByteSpan(start: vs, end: ve)
                        if JSONScan.equals(p, ks, ke, "ARN" as StaticString) || JSONScan.equals(p, ks, ke, "arn" as StaticString) { ref.arn = istr(s) }
                        else if JSONScan.equals(p, ks, ke, "accountId" as StaticString) { ref.accountId = istr(s) }
                        else if JSONScan.equals(p, ks, ke, "type" as StaticString) { ref.type = istr(s) }
                        return true
                    }
                    list.append(ref)
                    return end
                }
                // (Each object read where it is met; when that fails, read again in two passes for the error.)
                if JSONScan.objectElementsInOnePass(p, span.start, span.end, { try reference($0, span.end) }) { return list }
                list = []
                try JSONScan.forEachElement(p, span.start, span.end) { es, ee in
                    if p[es] == 0x7B { _ = try reference(es, ee) }
                    return true
                }
                return list
            }
            // (Repeated lists are looked up by their bytes; a list that throws is not stored, so its error is thrown
            // again where it occurs.)
            resources = try decodeMemo?.resources(p, span, decode) ?? decode()
        }
        // Built with one initializer from the values above (assigning them one by one to a record made first
        // copied the whole record once more on the way out, retains and releases included).
        // A data event's failure may be in its response only (`ResponseOutcome`), and so may a sign-in event's
        // (`{"ConsoleLogin": "Failure"}`): read whatever fields were asked.
        var outcome: (status: Int?, rpcError: Int?)?
        var signInFailure: String?
        if f.responseElements.isSet, f.eventCategory.isSet, JSONScan.equals(p, f.eventCategory.start, f.eventCategory.end, "\"Data\"" as StaticString) {
            outcome = ResponseOutcome.scan(p, f.responseElements)
        } else if f.responseElements.isSet, f.eventSource.isSet,
                  JSONScan.equals(p, f.eventSource.start, f.eventSource.end, "\"signin.amazonaws.com\"" as StaticString) {
            signInFailure = ResponseOutcome.signInFailure(p, f.responseElements)
        }
        let eventSource = istr(f.eventSource, .eventSource) ?? ""
        let knownSource = f.eventSource.isSet
            ? KnownEventSource(raw: p, f.eventSource.start, f.eventSource.end, decoded: eventSource) : .other
        let eventName = istr(f.eventName, .eventName) ?? ""
        // (Bytes decide as `==` would: no other string is canonically equivalent to "ConsoleLogin" — the only
        // non-ASCII character that decomposes to an ASCII letter is the Kelvin sign, K.)
        let consoleLogin = wanted.contains(.consoleLoginDetails) && StringBytes.equals(eventName, "ConsoleLogin")
        let record = CloudTrailRecord(
            eventVersion: wanted.contains(.eventVersion) ? istr(f.eventVersion, .eventVersion) : nil,
            eventTime: eventTime, eventTimeText: eventTimeText,
            eventSource: eventSource, knownSource: knownSource, eventName: eventName,
            awsRegion: istr(f.awsRegion, .awsRegion), sourceAddress: sourceAddress, sourceIPText: sourceIPText,
            userAgent: wanted.contains(.userAgent) ? istr(f.userAgent, .userAgent) : nil,
            errorCode: istr(f.errorCode, .errorCode), errorMessage: str(f.errorMessage),
            requestID: wanted.contains(.requestID) ? str(f.requestID) : nil,
            eventID: CompactEventID(uuidIn: p, f.eventID) ?? CompactEventID(str(f.eventID)), readOnly: SpanValue.bool(p, f.readOnly), eventType: istr(f.eventType, .eventType),
            managementEvent: wanted.contains(.managementEvent) ? SpanValue.bool(p, f.managementEvent) : nil,
            eventCategory: wanted.contains(.eventCategory) ? istr(f.eventCategory, .eventCategory) : nil,
            recipientAccountId: wanted.contains(.recipientAccountId) ? istr(f.recipientAccountId, .recipientAccountId) : nil,
            sharedEventID: wanted.contains(.sharedEventID) ? str(f.sharedEventID) : nil,
            vpcEndpointId: wanted.contains(.vpcEndpoint) ? istr(f.vpcEndpointId, .vpcEndpointId) : nil,
            vpcEndpointAccountId: wanted.contains(.vpcEndpoint) ? istr(f.vpcEndpointAccountId, .vpcEndpointAccountId) : nil,
            tlsVersion: tlsVersion, cipherSuite: cipherSuite, clientProvidedHostHeader: hostHeader,
            sessionCredentialFromConsole: wanted.contains(.sessionCredentialFromConsole)
                ? SpanValue.bool(p, f.sessionCredentialFromConsole) : nil,
            principal: (consume principal) ?? Principal(), resources: resources,
            requestParameters: wanted.contains(.requestParameters)
                || (wanted.contains(.agentAndAuditRequestParameters) && knownSource.hasReadRequestParameters)
                ? SpanValue.raw(p, f.requestParameters) : nil,
            responseElements: wanted.contains(.responseElements) || consoleLogin
                || (wanted.contains(.stsResponseElements) && f.eventSource.isSet
                    && JSONScan.equals(p, f.eventSource.start, f.eventSource.end, "\"sts.amazonaws.com\"" as StaticString))
                ? SpanValue.raw(p, f.responseElements) : nil,
            additionalEventData: wanted.contains(.additionalEventData) || consoleLogin
                || (wanted.contains(.agentAdditionalEventData) && (knownSource.isBedrock || knownSource == .agentCore))
                ? SpanValue.raw(p, f.additionalEventData) : nil,
            raw: keepRaw ? RawJSON(bytes: Array(UnsafeBufferPointer(start: p, count: n))) : nil,
            responseStatus: outcome?.status, responseErrorCode: outcome?.rpcError, signInFailure: signInFailure)
        return consume record
    }
}

extension CloudTrailRecord {
    /// Every field at once (for the decoder).
    init(eventVersion: String?, eventTime: Instant?, eventTimeText: String?, eventSource: String,
         knownSource: KnownEventSource, eventName: String,
         awsRegion: String?, sourceAddress: SourceAddress, sourceIPText: String?, userAgent: String?,
         errorCode: String?, errorMessage: String?, requestID: String?, eventID: CompactEventID, readOnly: Bool?,
         eventType: String?, managementEvent: Bool?, eventCategory: String?, recipientAccountId: String?,
         sharedEventID: String?, vpcEndpointId: String?, vpcEndpointAccountId: String?, tlsVersion: String?,
         cipherSuite: String?, clientProvidedHostHeader: String?, sessionCredentialFromConsole: Bool?,
         principal: Principal, resources: [ResourceReference], requestParameters: RawJSON?,
         responseElements: RawJSON?, additionalEventData: RawJSON?, raw: RawJSON?,
         responseStatus: Int?, responseErrorCode: Int?, signInFailure: String?) {
        self.eventVersion = eventVersion
        self.eventTime = eventTime
        self.eventTimeText = eventTimeText
        self.eventSource = eventSource
        self.knownSource = knownSource
        self.eventName = eventName
        self.awsRegion = awsRegion
        self.sourceAddress = sourceAddress
        self.sourceIPText = sourceIPText
        self.userAgent = userAgent
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.requestID = requestID
        self.compactEventID = eventID
        self.readOnly = readOnly
        self.eventType = eventType
        self.isServiceEvent = CloudTrailRecord.isServiceEvent(eventType)
        self.managementEvent = managementEvent
        self.eventCategory = eventCategory
        self.recipientAccountId = recipientAccountId
        self.sharedEventID = sharedEventID
        self.vpcEndpointId = vpcEndpointId
        self.vpcEndpointAccountId = vpcEndpointAccountId
        self.tlsVersion = tlsVersion
        self.cipherSuite = cipherSuite
        self.clientProvidedHostHeader = clientProvidedHostHeader
        self.sessionCredentialFromConsole = sessionCredentialFromConsole
        self.principal = principal
        self.resources = resources
        self.requestParameters = requestParameters
        self.responseElements = responseElements
        self.additionalEventData = additionalEventData
        self.raw = raw
        self.responseStatus = responseStatus
        self.responseErrorCode = responseErrorCode
        self.signInFailure = signInFailure
    }
}

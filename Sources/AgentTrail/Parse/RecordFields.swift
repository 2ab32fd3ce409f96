import Foundation

/// Byte range of one JSON value inside a record; `0..<0` when the key was absent (a value never starts at 0, where
/// its enclosing object's `{` is, so a set span always ends after 0). Absent is all zero bits, so the per-record
/// field tables start zeroed instead of being copied from a template.
struct ByteSpan {
    var start = 0
    var end = 0

    @inline(__always) var isSet: Bool { end > 0 }
}

/// Value ranges of the top-level keys AgentTrail decodes, found in one pass without decoding anything.
struct RecordFields {
    var eventVersion = ByteSpan(), eventTime = ByteSpan(), eventSource = ByteSpan(), eventName = ByteSpan()
    var awsRegion = ByteSpan(), sourceIPAddress = ByteSpan(), userAgent = ByteSpan(), errorCode = ByteSpan()
    var errorMessage = ByteSpan(), requestID = ByteSpan(), eventID = ByteSpan(), readOnly = ByteSpan()
    var eventType = ByteSpan(), managementEvent = ByteSpan(), eventCategory = ByteSpan(), recipientAccountId = ByteSpan()
    var sharedEventID = ByteSpan(), vpcEndpointId = ByteSpan(), vpcEndpointAccountId = ByteSpan(), tlsDetails = ByteSpan()
    var sessionCredentialFromConsole = ByteSpan(), userIdentity = ByteSpan(), resources = ByteSpan()
    var requestParameters = ByteSpan(), responseElements = ByteSpan(), additionalEventData = ByteSpan()
    /// Some top-level key was written with an escape (`assign` ignores such keys; readers that need every key, such
    /// as the Sigma rules, then scan the record themselves).
    var hasEscapedKey = false

    /// Records the value range for key `p[ks..<ke]` (unescaped keys only; escaped keys are ignored).
    @inline(__always)
    mutating func assign(_ p: UnsafePointer<UInt8>, _ ks: Int, _ ke: Int, _ vs: Int, _ ve: Int) {
        let span = ByteSpan(start: vs, end: ve)
        @inline(__always) func eq(_ lit: StaticString) -> Bool { JSONScan.equals(p, ks, ke, lit) }
        switch ke &- ks {
        case 7:
            if eq("eventID") { eventID = span }
        case 8:
            if eq("readOnly") { readOnly = span }
        case 9:
            switch p[ks] {
            case 0x65:  // e
                if eq("eventTime") { eventTime = span } else if eq("eventName") { eventName = span }
                else if eq("eventType") { eventType = span } else if eq("errorCode") { errorCode = span }
            case 0x61: if eq("awsRegion") { awsRegion = span }
            case 0x75: if eq("userAgent") { userAgent = span }
            case 0x72: if eq("requestID") { requestID = span } else if eq("resources") { resources = span }
            default: break
            }
        case 10:
            if eq("tlsDetails") { tlsDetails = span }
        case 11:
            if eq("eventSource") { eventSource = span }
        case 12:
            if eq("eventVersion") { eventVersion = span } else if eq("userIdentity") { userIdentity = span }
            else if eq("errorMessage") { errorMessage = span }
        case 13:
            if eq("eventCategory") { eventCategory = span } else if eq("sharedEventID") { sharedEventID = span }
            else if eq("vpcEndpointId") { vpcEndpointId = span }
        case 15:
            if eq("sourceIPAddress") { sourceIPAddress = span } else if eq("managementEvent") { managementEvent = span }
        case 16:
            if eq("responseElements") { responseElements = span }
        case 17:
            if eq("requestParameters") { requestParameters = span }
        case 18:
            if eq("recipientAccountId") { recipientAccountId = span }
        case 19:
            if eq("additionalEventData") { additionalEventData = span }
        case 20:
            if eq("vpcEndpointAccountId") { vpcEndpointAccountId = span }
        case 28:
            if eq("sessionCredentialFromConsole") { sessionCredentialFromConsole = span }
        default:
            break
        }
    }
}

extension RecordFields {
    /// The top-level keys `assign` records, in the order of `span(at:)`.
    static let names = ["eventVersion", "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress",
                        "userAgent", "errorCode", "errorMessage", "requestID", "eventID", "readOnly", "eventType",
                        "managementEvent", "eventCategory", "recipientAccountId", "sharedEventID", "vpcEndpointId",
                        "vpcEndpointAccountId", "tlsDetails", "sessionCredentialFromConsole", "userIdentity", "resources",
                        "requestParameters", "responseElements", "additionalEventData"]

    /// The span of the key `names[index]` (unset when the record has no such key).
    @inline(__always)
    func span(at index: Int) -> ByteSpan {
        switch index {
        case 0: return eventVersion
        case 1: return eventTime
        case 2: return eventSource
        case 3: return eventName
        case 4: return awsRegion
        case 5: return sourceIPAddress
        case 6: return userAgent
        case 7: return errorCode
        case 8: return errorMessage
        case 9: return requestID
        case 10: return eventID
        case 11: return readOnly
        case 12: return eventType
        case 13: return managementEvent
        case 14: return eventCategory
        case 15: return recipientAccountId
        case 16: return sharedEventID
        case 17: return vpcEndpointId
        case 18: return vpcEndpointAccountId
        case 19: return tlsDetails
        case 20: return sessionCredentialFromConsole
        case 21: return userIdentity
        case 22: return resources
        case 23: return requestParameters
        case 24: return responseElements
        default: return additionalEventData
        }
    }
}

/// The result of scanning `userIdentity` once: its fields, or the syntax error the scan threw (rethrown by
/// `RecordDecoder.build` at the point where it would have scanned it itself, so errors are reported identically).
struct IdentityScan {
    var fields = IdentityFields()
    /// The scan failed: `fields` are empty, and scanning the same span again (`IdentityFields(p, span)`) throws the
    /// error. (A flag, not the error: with an error inside, every copy and destruction of a scan — two per record —
    /// went through the runtime's generic value witnesses, ~45 instructions each; a scan is now plain data.)
    var failed = false

    init(_ p: UnsafePointer<UInt8>, _ span: ByteSpan) {
        do { fields = try IdentityFields(p, span) } catch { failed = true }
    }

    init(fields: IdentityFields) { self.fields = fields }
}

/// Value ranges inside `userIdentity`.
struct IdentityFields {
    var type = ByteSpan(), arn = ByteSpan(), principalId = ByteSpan(), accountId = ByteSpan(), accessKeyId = ByteSpan()
    var userName = ByteSpan(), invokedBy = ByteSpan(), sourceIdentity = ByteSpan()
    var issuerArn = ByteSpan(), issuerType = ByteSpan(), issuerUserName = ByteSpan(), mfaAuthenticated = ByteSpan(), sessionSourceIdentity = ByteSpan()

    /// Scans the `userIdentity` object at `span` (and its `sessionContext`). Throws `JSONScan.Failure`.
    init(_ p: UnsafePointer<UInt8>, _ span: ByteSpan) throws {
        self.init()
        guard span.isSet, p[span.start] == 0x7B else { return }
        var end = 0
        try scan(p, span.start, span.end, end: &end)
    }

    /// Fills these fields from the object at `p[start]` (which must be `{`), reading within `p[..<n]`; `end` is
    /// set to the index after the object. Throws `JSONScan.Failure` (the fields are then partly filled).
    ///
    /// `sessionContext` (and inside it `sessionIssuer` and `attributes`) is scanned in place, in the same pass,
    /// instead of being skipped and scanned again: when that scan succeeds it ends where skipping would have and
    /// reads no byte past it; when it fails, the value is skipped and scanned from its span as before, so errors
    /// are the same.
    @inline(__always)
    mutating func scan(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, end: inout Int) throws {
        var f = self
        end = try JSONScan.forEachMember(p, start, n, inline: { ks, ke, vs in
            guard ke &- ks == 14, vs < n, p[vs] == 0x7B,
                  JSONScan.equals(p, ks, ke, "sessionContext" as StaticString) else { return nil }
            var g = f
            guard let e = try? g.scanSessionContext(p, vs, n) else { return nil }
            f = g
            return e
        }) { ks, ke, vs, ve in
            let s = ByteSpan(start: vs, end: ve)
            @inline(__always) func eq(_ lit: StaticString) -> Bool { JSONScan.equals(p, ks, ke, lit) }
            switch ke &- ks {  // dispatch on the key's length first: most keys then need one comparison
            case 3: if eq("arn") { f.arn = s }
            case 4: if eq("type") { f.type = s }
            case 8: if eq("userName") { f.userName = s }
            case 9: if eq("accountId") { f.accountId = s } else if eq("invokedBy") { f.invokedBy = s }
            case 11: if eq("principalId") { f.principalId = s } else if eq("accessKeyId") { f.accessKeyId = s }
            case 14:
                if eq("sourceIdentity") { f.sourceIdentity = s }
                else if eq("sessionContext") && p[vs] == 0x7B { try f.scanSessionContext(p, vs, ve) }
            default: break
            }
        }
        self = f
    }

    init() {}

    /// Scans the `sessionContext` object at `p[start]` within `p[..<n]`; returns the index after it.
    @discardableResult
    private mutating func scanSessionContext(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) throws -> Int {
        var f = self
        let end = try JSONScan.forEachMember(p, start, n, inline: { ks, ke, vs in
            guard vs < n, p[vs] == 0x7B else { return nil }
            var g = f
            let e: Int?
            if JSONScan.equals(p, ks, ke, "sessionIssuer" as StaticString) {
                e = try? g.scanIssuer(p, vs, n)
            } else if JSONScan.equals(p, ks, ke, "attributes" as StaticString) {
                e = try? g.scanAttributes(p, vs, n)
            } else {
                return nil
            }
            if e != nil { f = g }
            return e
        }) { ks, ke, vs, ve in
            let s = ByteSpan(start: vs, end: ve)
            if JSONScan.equals(p, ks, ke, "sessionIssuer" as StaticString) && p[vs] == 0x7B {
                try f.scanIssuer(p, vs, ve)
            } else if JSONScan.equals(p, ks, ke, "attributes" as StaticString) && p[vs] == 0x7B {
                try f.scanAttributes(p, vs, ve)
            } else if JSONScan.equals(p, ks, ke, "sourceIdentity" as StaticString) {
                f.sessionSourceIdentity = s
            }
        }
        self = f
        return end
    }

    @discardableResult
    private mutating func scanIssuer(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) throws -> Int {
        var f = self
        let end = try JSONScan.forEachMember(p, start, n) { ks2, ke2, _, vs2, ve2 in
            if JSONScan.equals(p, ks2, ke2, "arn" as StaticString) { f.issuerArn = ByteSpan(start: vs2, end: ve2) }
            else if JSONScan.equals(p, ks2, ke2, "type" as StaticString) { f.issuerType = ByteSpan(start: vs2, end: ve2) }
            else if JSONScan.equals(p, ks2, ke2, "userName" as StaticString) { f.issuerUserName = ByteSpan(start: vs2, end: ve2) }
            return true
        }
        self = f
        return end ?? n  // (the body never stops early)
    }

    @discardableResult
    private mutating func scanAttributes(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) throws -> Int {
        var f = self
        let end = try JSONScan.forEachMember(p, start, n) { ks2, ke2, _, vs2, ve2 in
            if JSONScan.equals(p, ks2, ke2, "mfaAuthenticated" as StaticString) { f.mfaAuthenticated = ByteSpan(start: vs2, end: ve2) }
            return true
        }
        self = f
        return end ?? n  // (the body never stops early)
    }
}

/// Decoding of single values from their spans.
enum SpanValue {
    /// A string value unescaped; a number or literal as its text; nil for `null`, absent, objects and arrays.
    static func string(_ p: UnsafePointer<UInt8>, _ s: ByteSpan) -> String? {
        guard s.isSet else { return nil }
        switch p[s.start] {
        case JSONScan.quote:
            return JSONUnescape.string(from: UnsafeRawBufferPointer(start: p + s.start + 1, count: s.end - s.start - 2))
        case 0x6E, 0x7B, 0x5B:  // null, object, array
            return nil
        default:
            return String(decoding: UnsafeBufferPointer(start: p + s.start, count: s.end - s.start), as: UTF8.self)
        }
    }

    /// `true`/`false`, or the strings `"true"`/`"false"` in any case; nil otherwise.
    static func bool(_ p: UnsafePointer<UInt8>, _ s: ByteSpan) -> Bool? {
        guard s.isSet else { return nil }
        var a = s.start, b = s.end
        if p[a] == JSONScan.quote { a += 1; b -= 1 }
        let len = b - a
        guard len == 4 || len == 5 else { return nil }
        var lowered: UInt64 = 0
        for k in a..<b { lowered = lowered << 8 | UInt64(p[k] | 0x20) }
        if len == 4 && lowered == 0x7472_7565 { return true }  // "true"
        if len == 5 && lowered == 0x66_616C_7365 { return false }  // "false"
        return nil
    }

    /// Inner bytes of a string value without escapes (for byte-level parsing); nil otherwise.
    static func plainBytes(_ p: UnsafePointer<UInt8>, _ s: ByteSpan) -> UnsafeRawBufferPointer? {
        guard s.isSet, p[s.start] == JSONScan.quote else { return nil }
        let inner = UnsafeRawBufferPointer(start: p + s.start + 1, count: s.end - s.start - 2)
        if inner.count > 0, memchr(inner.baseAddress!, Int32(JSONScan.backslash), inner.count) != nil { return nil }
        return inner
    }

    /// The value's raw bytes copied; nil when absent or `null`.
    static func raw(_ p: UnsafePointer<UInt8>, _ s: ByteSpan) -> RawJSON? {
        guard s.isSet, p[s.start] != 0x6E else { return nil }
        return RawJSON(bytes: Array(UnsafeBufferPointer(start: p + s.start, count: s.end - s.start)))
    }

    /// True when the value is a non-empty string (or other non-null scalar).
    static func isPresent(_ p: UnsafePointer<UInt8>, _ s: ByteSpan) -> Bool {
        guard s.isSet else { return false }
        switch p[s.start] {
        case JSONScan.quote: return s.end - s.start > 2
        case 0x6E, 0x7B, 0x5B: return false
        default: return true
        }
    }
}

/// The failure a data event reports in its `responseElements` when it has no `errorCode`.
///
/// AWS documents this shape for AgentCore Gateway data events ("Understanding Amazon Bedrock AgentCore Gateway
/// CloudTrail events", InvokeGateway data event with authentication error): `responseElements` carries the HTTP
/// `statusCode` (401) and the JSON-RPC response `body`, whose `error.code` is -32001 ("Invalid Bearer token"), while
/// the record has no `errorCode`. Only records whose `eventCategory` is `Data` are read this way.
enum ResponseOutcome {
    /// `(statusCode, body.error.code)` of a `responseElements` object; nil when neither is there. A scan of the
    /// object's top-level members (and of `body`'s), no allocation; malformed values are ignored (the decoder has
    /// already checked the record's syntax where it is asked to).
    static func scan(_ p: UnsafePointer<UInt8>, _ span: ByteSpan) -> (status: Int?, rpcError: Int?)? {
        guard span.isSet, p[span.start] == 0x7B else { return nil }
        var status: Int?
        var rpcError: Int?
        _ = try? JSONScan.forEachMember(p, span.start, span.end) { ks, ke, _, vs, ve in
            if JSONScan.equals(p, ks, ke, "statusCode" as StaticString) {
                status = integer(p, vs, ve)
            } else if JSONScan.equals(p, ks, ke, "body" as StaticString), p[vs] == 0x7B {
                _ = try? JSONScan.forEachMember(p, vs, ve) { bks, bke, _, bvs, bve in
                    guard JSONScan.equals(p, bks, bke, "error" as StaticString), p[bvs] == 0x7B else { return true }
                    _ = try? JSONScan.forEachMember(p, bvs, bve) { cks, cke, _, cvs, cve in
                        if JSONScan.equals(p, cks, cke, "code" as StaticString) { rpcError = integer(p, cvs, cve) ?? rpcError ?? 0 }
                        return true
                    }
                    if rpcError == nil { rpcError = 0 }  // an `error` object without a numeric code is still an error
                    return false
                }
            }
            return true
        }
        if status == nil && rpcError == nil { return nil }
        return (status, rpcError)
    }

    /// A JSON integer (optionally quoted, optionally negative) of at most 9 digits; nil otherwise.
    private static func integer(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        var a = start, b = end
        if p[a] == JSONScan.quote { a += 1; b -= 1 }
        var negative = false
        if a < b, p[a] == UInt8(ascii: "-") { negative = true; a += 1 }
        guard a < b, b - a <= 9 else { return nil }
        var v = 0
        for i in a..<b {
            let d = Int(p[i]) - 48
            guard d >= 0 && d <= 9 else { return nil }
            v = v * 10 + d
        }
        return negative ? -v : v
    }

    /// The name of the first top-level member of a sign-in event's `responseElements` whose value is the string
    /// `"Failure"` (`{"ConsoleLogin": "Failure"}`), as raw bytes without quotes; nil when there is none.
    static func signInFailure(_ p: UnsafePointer<UInt8>, _ span: ByteSpan) -> String? {
        guard span.isSet, p[span.start] == 0x7B else { return nil }
        var name: String?
        _ = try? JSONScan.forEachMember(p, span.start, span.end) { ks, ke, _, vs, ve in
            guard JSONScan.equals(p, vs, ve, "\"Failure\"" as StaticString) else { return true }
            name = String(decoding: UnsafeBufferPointer(start: p + ks, count: ke - ks), as: UTF8.self)
            return false
        }
        return name
    }
}

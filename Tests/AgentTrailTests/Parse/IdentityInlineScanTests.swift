import Testing
@testable import AgentTrail

/// `IdentityFields` scans `sessionContext`, `sessionIssuer` and `attributes` in place instead of skipping them and
/// scanning them again; fields and errors must equal the two-pass scan (kept here as the reference).
struct IdentityInlineScanTests {
    static let identities: [String] = [
        #"{"type":"AssumedRole","arn":"a","sessionContext":{"sessionIssuer":{"type":"Role","arn":"r"},"attributes":{"mfaAuthenticated":"true"},"sourceIdentity":"si"}}"#,
        #"{ "sessionContext" : { "attributes" : { "mfaAuthenticated" : false } , "sessionIssuer" : { "arn" : "r" } } , "type" : "X" }"#,
        #"{"sessionContext":{"sessionIssuer":{"arn" "r"}},"type":"X"}"#,
        #"{"sessionContext":{"sessionIssuer":{"arn":"r",}},"type":"X"}"#,
        #"{"sessionContext":{"sessionIssuer":{"arn":"r"]},"type":"X"}"#,
        #"{"sessionContext":{"attributes":{"mfaAuthenticated":tru}},"type":"X"}"#,
        #"{"sessionContext":{"attributes":{"a":[1,}]}},"type":"X"}"#,
        #"{"sessionContext":{"sessionIssuer":"r","attributes":null},"type":"X"}"#,
        #"{"sessionContext":{"sessionIssuer":{"arn":"r1"},"sessionIssuer":{"arn":"r2"}},"type":"X"}"#,
        #"{"sessionContext":{"sessionIssuer":{"arn":"r1"}},"sessionContext":{"attributes":{"mfaAuthenticated":"x"}}}"#,
        #"{"sessionContext":{"x":1 "y":2},"type":"X"}"#,
        #"{"sessionContext":{"sessionIssuer":{"arn":"r"}}"#,
        #"{"sessionContext":{"sessionIssuer":{"arn":"r\"}}}"}}}"#,
        #"{"sessionContext":"text","arn":"a"}"#,
        #"{"sessionContext":{},"arn":"a"}x"#,
    ]

    /// The two-pass scan: every member skipped first, nested objects then scanned within their spans.
    static func reference(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        var f = IdentityFields()
        do {
            try JSONScan.forEachMember(p, 0, n) { ks, ke, _, vs, ve in
                let s = ByteSpan(start: vs, end: ve)
                if JSONScan.equals(p, ks, ke, "arn" as StaticString) { f.arn = s }
                else if JSONScan.equals(p, ks, ke, "type" as StaticString) { f.type = s }
                else if JSONScan.equals(p, ks, ke, "sessionContext" as StaticString) && p[vs] == 0x7B {
                    try JSONScan.forEachMember(p, vs, ve) { ks, ke, _, vs, ve in
                        if JSONScan.equals(p, ks, ke, "sessionIssuer" as StaticString) && p[vs] == 0x7B {
                            try JSONScan.forEachMember(p, vs, ve) { ks, ke, _, vs, ve in
                                if JSONScan.equals(p, ks, ke, "arn" as StaticString) { f.issuerArn = ByteSpan(start: vs, end: ve) }
                                else if JSONScan.equals(p, ks, ke, "type" as StaticString) { f.issuerType = ByteSpan(start: vs, end: ve) }
                                return true
                            }
                        } else if JSONScan.equals(p, ks, ke, "attributes" as StaticString) && p[vs] == 0x7B {
                            try JSONScan.forEachMember(p, vs, ve) { ks, ke, _, vs, ve in
                                if JSONScan.equals(p, ks, ke, "mfaAuthenticated" as StaticString) { f.mfaAuthenticated = ByteSpan(start: vs, end: ve) }
                                return true
                            }
                        } else if JSONScan.equals(p, ks, ke, "sourceIdentity" as StaticString) {
                            f.sessionSourceIdentity = ByteSpan(start: vs, end: ve)
                        }
                        return true
                    }
                }
                return true
            }
        } catch let e as JSONScan.Failure {
            return "error \(e.offset) \(e.reason)"
        } catch {
            return "error \(error)"
        }
        return "\(f)"
    }

    static func inline(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        var f = IdentityFields()
        var end = 0
        do {
            try f.scan(p, 0, n, end: &end)
        } catch let e as JSONScan.Failure {
            return "error \(e.offset) \(e.reason)"
        } catch {
            return "error \(error)"
        }
        return "\(f)"
    }

    @Test(arguments: identities)
    func sameFieldsOrErrorAsTheTwoPassScan(_ text: String) {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { b in
            #expect(Self.inline(b.baseAddress!, b.count) == Self.reference(b.baseAddress!, b.count))
        }
    }
}

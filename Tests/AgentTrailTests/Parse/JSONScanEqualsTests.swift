import Testing
@testable import AgentTrail

/// `JSONScan.equals` against a literal (8 bytes at a time from 8 bytes on, the last word overlapping) agrees with a
/// byte comparison: for literals of every length from 0 to 28, on the bytes themselves, on every one-byte change at
/// every position, on shorter and longer spans, and at every alignment of the bytes.
@Suite struct JSONScanEqualsTests {
    static let literals: [StaticString] = [
        "", "a", "ab", "arn", "type", "eventI", "eventID", "readOnly", "eventTime", "tlsDetails", "eventSource",
        "userIdentity", "eventCategory", "sessionContext", "sourceIPAddress", "responseElements", "requestParameters",
        "recipientAccountId", "additionalEventData", "vpcEndpointAccountId", "abcdefghijklmnopqrstu",
        "abcdefghijklmnopqrstuv", "abcdefghijklmnopqrstuvw", "abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwxy",
        "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz0", "sessionCredentialFromConsole",
    ]

    @Test(arguments: 0..<28)
    func agreesWithABytewiseComparison(index: Int) {
        let literal = Self.literals[index]
        let bytes = Array(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        func check(_ candidate: [UInt8]) {
            for pad in 0..<8 {
                let buffer = [UInt8](repeating: 0x20, count: pad) + candidate + [UInt8](repeating: 0x20, count: 3)
                buffer.withUnsafeBufferPointer { b in
                    let got = JSONScan.equals(b.baseAddress!, pad, pad + candidate.count, literal)
                    #expect(got == (candidate == bytes), "\(literal) vs \(candidate), offset \(pad)")
                }
            }
        }
        check(bytes)
        for i in bytes.indices {
            for delta: UInt8 in [1, 0x20, 0x80] {
                var changed = bytes
                changed[i] ^= delta
                check(changed)
            }
        }
        check(Array(bytes.dropLast()))
        check(bytes + [0x61])
        check([0x61] + bytes)
    }
}

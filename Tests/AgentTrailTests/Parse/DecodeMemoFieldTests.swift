import Testing
@testable import AgentTrail

/// `DecodeMemo.string(_:_:field:)` compares a field's value with the one it had last before looking it up: it must
/// answer exactly as `SpanValue.string` for any sequence of values, across the table's emptying when full (the
/// remembered id then names another value or none), for values in different buffers, escaped or not.
@Suite struct DecodeMemoFieldTests {
    @Test func answersAsTheDecoderAcrossRepeatsAndRefills() {
        let memo = DecodeMemo()
        var state: UInt64 = 99
        func next(_ n: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(n))
        }
        let common = [#""us-east-1""#, #""AwsApiCall""#, #""1.08""#, #""ec2.amazonaws.com""#, #""\u0041BC""#, #""a\"b""#,
                      "null", "12", #""""#, #""ec2.amazonaws.co""#, #""us-east-2""#]
        let fields = DecodeMemo.Field.allCases
        var hits = 0, checked = 0
        // Enough distinct values to empty the string table (`stringLimit`) several times.
        for i in 0..<(DecodeMemo.stringLimit * 3) {
            let text = next(3) == 0 ? "\"unique-\(i)-\(next(1_000_000))\"" : common[next(common.count)]
            let field = fields[next(fields.count)]
            // Each value in a buffer of its own, at an offset, as records are.
            let bytes = Array("xx".utf8) + Array(text.utf8) + Array("yy".utf8)
            bytes.withUnsafeBufferPointer { b in
                let s = ByteSpan(start: 2, end: 2 + text.utf8.count)
                let expected = SpanValue.string(b.baseAddress!, s)
                let got = memo.string(b.baseAddress!, s, field: field)
                #expect(got == expected, "\(text) as \(field)")
                if got != nil { hits += 1 }
                checked += 1
            }
        }
        #expect(checked > 12_000 && hits > 10_000)
        // An unset span is nil, as `string(_:_:)` gives it.
        let empty: [UInt8] = [0]
        empty.withUnsafeBufferPointer { b in
            #expect(memo.string(b.baseAddress!, ByteSpan(), field: .awsRegion) == nil)
        }
    }
}

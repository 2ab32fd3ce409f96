import Testing
@testable import AgentTrail

/// The decoder's byte-keyed tables: emptied when full (`removeAll`), they still return exactly the value made from
/// each key's bytes, and hold no more than their limit.
@Suite struct SpanTableTests {
    @Test(arguments: [8, 64, 1000])
    func emptiedWhenFullStaysExact(limit: Int) {
        var table = SpanTable<String>(limit: limit)
        var made = 0
        for round in 0..<3 {
            for i in 0..<(limit * 2 + 7) {
                let key = Array("value-\(i % (limit + 3))".utf8)
                if table.count >= limit { table.removeAll() }
                let got = key.withUnsafeBufferPointer { b in
                    table.lookup(b.baseAddress!, 0, b.count) { made += 1; return String(decoding: b, as: UTF8.self) }.value
                }
                #expect(got == "value-\(i % (limit + 3))", "round \(round)")
                #expect(table.count <= limit)
            }
        }
        #expect(made > limit)  // (it was emptied and refilled)
    }
}

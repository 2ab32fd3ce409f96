import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// The plain buffers the rules' per-record loop reads: the same values as the arrays they stand for.
@Suite struct OwnedBuffersTests {
    @Test(arguments: [0, 1, 15, 16, 17, 100])
    func frozenBufferHoldsTheArray(count: Int) {
        let values = (0..<count).map { "v\($0)" }  // (references: initialised and released once each)
        let frozen = FrozenBuffer(values)
        defer { frozen.free() }
        #expect(frozen.count == count)
        #expect(Array(frozen.buffer) == values)
        #expect(frozen.withBuffer { Array($0) } == values)
    }

    /// Appends and trims in random order, past several growths, against an array doing the same.
    @Test(arguments: [1, 2, 3])
    func growableBufferFollowsAnArray(seed: UInt64) {
        var rng = SplitMix(seed)
        var buffer = GrowableBuffer<Int32>(capacity: 2)
        defer { buffer.free() }
        var model: [Int32] = []
        for step in 0..<400 {
            if rng.next() % 3 == 0, !model.isEmpty {
                let n = Int(rng.next() % UInt64(model.count + 1))
                buffer.removeLast(n)
                model.removeLast(n)
            } else {
                let list = (0..<Int(rng.next() % 9)).map { _ in Int32(truncatingIfNeeded: rng.next()) }
                buffer.append(contentsOf: list)
                model += list
            }
            #expect(buffer.count == model.count, "step \(step)")
            #expect(buffer.withSlice(0, buffer.count) { Array($0) } == model, "step \(step)")
            if model.count >= 3 {
                #expect(buffer.withSlice(1, 2) { Array($0) } == Array(model[1..<3]))
            }
            if step == 200 {
                buffer.removeAll(freeing: true)
                model.removeAll()
                #expect(buffer.count == 0)
            }
        }
    }
}

/// A worker's accumulators as the scan calls them for each record: each held with its dynamic type and without a
/// reference count, so `observe` reaches an accumulator through its type's static
/// `DetectorAccumulator.observe(unretained:_:)`.
///
/// A loop over `[any DetectorAccumulator]` retains and releases each element around the call (an existential taken
/// out of an array is a +1 copy, whatever the loop's form: checked with `swiftc -O -emit-assembly` on a reduction),
/// ~40 instructions an accumulator a record, 2 % of a real-shaped scan with twenty accumulators. The accumulators
/// must outlive this value: the worker holds them strongly in `WorkerState.accumulators`, which never changes.
struct AccumulatorObservers {
    private struct Entry {
        let object: Unmanaged<AnyObject>
        let type: any DetectorAccumulator.Type
    }

    private let entries: [Entry]
    /// Per action (the worker's action number): bit `i` set when entry `i` observes records of that action
    /// (`DetectorAccumulator.observesAction`). Most of a real-shaped archive's records are not Bedrock or AgentCore
    /// calls, which about half of the accumulators turn away on their first line; not calling them saves the call
    /// and the check, ~25 instructions each. With more than 64 accumulators every one is called.
    private var interest = ActionIDCache<UInt64>()

    /// For `accumulators`, in their order; the caller keeps them alive.
    init(_ accumulators: [any DetectorAccumulator]) {
        entries = accumulators.map { Entry(object: .passUnretained($0 as AnyObject), type: type(of: $0)) }
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Each accumulator's `observe(event)`, in order, but for those that do nothing with records of its action.
    @inline(__always)
    mutating func observe(_ event: ObservedRecord) {
        guard entries.count <= 64 else {
            entries.withUnsafeBufferPointer { list in
                for entry in list { entry.object._withUnsafeGuaranteedRef { entry.type.observe(unretained: $0, event) } }
            }
            return
        }
        let entries = self.entries
        var mask = interest.value(event) { Self.observing(entries, event.record) }
        entries.withUnsafeBufferPointer { list in
            while mask != 0 {
                let entry = list[mask.trailingZeroBitCount]
                mask &= mask &- 1
                entry.object._withUnsafeGuaranteedRef { entry.type.observe(unretained: $0, event) }
            }
        }
    }

    /// The entries that observe records of `record`'s action, as bits.
    private static func observing(_ entries: [Entry], _ record: CloudTrailRecord) -> UInt64 {
        var mask: UInt64 = 0
        for (i, entry) in entries.enumerated()
        where entry.object._withUnsafeGuaranteedRef({ entry.type.observesAction(unretained: $0, of: record) }) {
            mask |= 1 << UInt64(i)
        }
        return mask
    }
}

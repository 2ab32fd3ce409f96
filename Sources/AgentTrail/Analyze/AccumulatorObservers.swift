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

    /// For `accumulators`, in their order; the caller keeps them alive.
    init(_ accumulators: [any DetectorAccumulator]) {
        entries = accumulators.map { Entry(object: .passUnretained($0 as AnyObject), type: type(of: $0)) }
    }

    var isEmpty: Bool { entries.isEmpty }

    /// Each accumulator's `observe(event)`, in order.
    @inline(__always)
    func observe(_ event: ObservedRecord) {
        entries.withUnsafeBufferPointer { list in
            for entry in list {
                entry.object._withUnsafeGuaranteedRef { entry.type.observe(unretained: $0, event) }
            }
        }
    }
}

/// Values an accumulator memoises per action, found by the worker's number for the action
/// (`ObservedRecord.actionID`) with an array lookup instead of hashing the action into a dictionary.
///
/// Exact because a scan worker numbers each action once for its life and hands its records to its own accumulators
/// only; each entry also keeps its action's 64-bit hash and is used only when the record's action has the same, so a
/// number that is not this worker's (or none, -1) is a miss, not a wrong value. (The actions themselves are not
/// kept and compared: copying an action out of the array to compare it retained and released its two strings, which
/// cost more than the dictionary lookup it replaces.) On a miss the caller computes the value and `set`s it. Numbers
/// beyond `limit` are not cached.
struct ActionIDCache<Value> {
    static var limit: Int { 1 << 16 }
    private var hashes: [Int] = []
    private var values: [Value?] = []

    /// The value cached for `event`'s action, if any.
    @inline(__always)
    func value(_ event: ObservedRecord) -> Value? {
        let i = Int(event.actionID)
        guard i >= 0, i < values.count, hashes[i] == event.action.storedHash else { return nil }
        return values[i]
    }

    /// Caches `value` for `event`'s action (nothing when it has no number, or one beyond `limit`).
    mutating func set(_ event: ObservedRecord, _ value: Value) {
        let i = Int(event.actionID)
        guard i >= 0, i < Self.limit else { return }
        if i >= values.count {
            hashes.append(contentsOf: repeatElement(0, count: i + 1 - values.count))
            values.append(contentsOf: repeatElement(nil, count: i + 1 - values.count))
        }
        hashes[i] = event.action.storedHash
        values[i] = value
    }
}

/// Values an accumulator memoises per action, found by the worker's number for the action
/// (`ObservedRecord.actionID`) with an array lookup instead of hashing the action into a dictionary.
///
/// Exact because a scan worker numbers each action once for its life and hands its records to its own accumulators
/// only; each entry also keeps its action's 64-bit hash and is used only when the record's action has the same, so a
/// number that is not this worker's (or none, -1) is a miss, not a wrong value. (The actions themselves are not
/// kept and compared: copying an action out of the array to compare it retained and released its two strings, which
/// cost more than the dictionary lookup it replaces.) `value(_:_:)` computes and caches a missing value; records
/// without a number (outside a scan worker, or beyond `limit`) are cached by their action in a dictionary of at most
/// `fallbackLimit` entries, as the dictionaries this replaced did.
struct ActionIDCache<Value> {
    static var limit: Int { 1 << 16 }
    static var fallbackLimit: Int { 1 << 14 }
    private var hashes: [Int] = []
    private var values: [Value?] = []
    private var byAction: [ActionTally.Action: Value] = [:]

    /// The value for `event`'s action: cached, or `compute()` (called once per action) and cached.
    @inline(__always)
    mutating func value(_ event: ObservedRecord, _ compute: () -> Value) -> Value {
        if let v = value(event) { return v }
        let i = Int(event.actionID)
        if i >= 0 && i < Self.limit {
            let v = compute()
            set(event, v)
            return v
        }
        if let v = byAction[event.action] { return v }
        let v = compute()
        if byAction.count < Self.fallbackLimit { byAction[event.action] = v }
        return v
    }

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

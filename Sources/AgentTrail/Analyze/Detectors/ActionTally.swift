/// A `Tally` plus which actions the events were and how many succeeded as writes/invokes: the per-key
/// state of several baseline detectors. Merging is associative and order-independent.
public struct ActionTally: Sendable, Hashable {
    public var tally = Tally()
    /// An action as eventSource + eventName (kept apart so observing does not build strings).
    public struct Action: Hashable, Sendable {
        /// Both names in one shared object: an action is copied per record into the triage's result, the observed
        /// record and several tallies, and with two strings inline each copy retained and released two objects.
        /// The scan's triage makes one per distinct action per worker, so copies of it share the object.
        private final class Names: Sendable {
            let eventSource: String
            let eventName: String
            init(_ eventSource: String, _ eventName: String) {
                self.eventSource = eventSource
                self.eventName = eventName
            }
        }

        private let names: Names
        /// Hash of both names, computed once (an action is built once per record and hashed by several tallies).
        private let hash: Int
        /// `hash`, for memos that check an entry by it (`ActionIDCache`).
        @inline(__always) var storedHash: Int { hash }

        public var eventSource: String { names.eventSource }
        public var eventName: String { names.eventName }

        public init(eventSource: String, eventName: String) {
            self.names = Names(eventSource, eventName)
            var h = Hasher()
            h.combine(eventSource)
            h.combine(eventName)
            self.hash = h.finalize()
        }

        /// `bedrock:InvokeModel`.
        public var label: String { CloudTrailRecord.serviceName(of: eventSource) + ":" + eventName }

        @inline(__always)
        public static func == (a: Action, b: Action) -> Bool {
            a.hash == b.hash && (a.names === b.names || (a.eventName == b.eventName && a.eventSource == b.eventSource))
        }

        @inline(__always)
        public func hash(into hasher: inout Hasher) { hasher.combine(hash) }

        /// Dictionaries keyed by an action use the stored hash with their seed (see `HashedString`).
        @inline(__always)
        public func _rawHashValue(seed: Int) -> Int { hash ^ seed }
    }

    /// Event count per action.
    public var actions: [Action: Int] {
        get {
            var out = overflow ?? [:]
            for e in counted { out[e.action] = e.count }
            return out
        }
        set {
            counted = []
            overflow = nil
            for (a, n) in newValue { add(a, n) }
        }
    }
    /// An action met and its count.
    private struct Counted: Sendable {
        var action: Action
        var hash: Int
        var count: Int
    }
    /// The first `inlineActions` actions met, with their counts, searched in order by their stored hash (a key's
    /// calls repeat a few actions: a dictionary lookup per call cost more than the search); any further actions in
    /// `overflow`. The two never hold the same action.
    private var counted: [Counted] = []
    private var overflow: [Action: Int]?
    private static var inlineActions: Int { 8 }
    /// Successful calls that `CallClassifier.isWriteOrInvoke`.
    public var successfulWrites = 0
    /// Successful invocations (`CallClassifier.isInvocation`).
    public var successfulInvocations = 0

    public init() {}

    public mutating func add(_ event: ObservedRecord) {
        tally.add(event)
        add(event.action, 1)
        let flags = event.flags
        if flags.contains(.succeeded) {
            if flags.contains(.writeOrInvoke) { successfulWrites += 1 }
            if flags.contains(.invocation) { successfulInvocations += 1 }
        }
    }

    /// Adds `n` calls of `action`.
    @inline(__always)
    private mutating func add(_ action: Action, _ n: Int) {
        let h = action.storedHash
        var i = 0
        while i < counted.count {
            if counted[i].hash == h && counted[i].action == action {
                counted[i].count += n
                return
            }
            i += 1
        }
        if counted.count < Self.inlineActions {
            counted.append(Counted(action: action, hash: h, count: n))
        } else {
            overflow = overflow ?? [:]
            overflow![action, default: 0] += n
        }
    }

    public mutating func merge(_ other: ActionTally) {
        tally.merge(other.tally)
        for e in other.counted { add(e.action, e.count) }
        for (k, v) in other.overflow ?? [:] { add(k, v) }
        successfulWrites += other.successfulWrites
        successfulInvocations += other.successfulInvocations
    }

    /// Equal counts, times, evidence and action counts (whatever order the actions were met in).
    public static func == (a: ActionTally, b: ActionTally) -> Bool {
        a.tally == b.tally && a.successfulWrites == b.successfulWrites
            && a.successfulInvocations == b.successfulInvocations && a.actions == b.actions
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(tally)
        hasher.combine(actions)
        hasher.combine(successfulWrites)
        hasher.combine(successfulInvocations)
    }

    /// `["bedrock:InvokeModel ×12", ...]`, most frequent first (ties by name), at most `limit` entries plus a
    /// `… N more` line.
    public func actionSummary(limit: Int = 25) -> [String] {
        var labelled: [String: Int] = [:]
        for (a, n) in actions { labelled[a.label, default: 0] += n }
        let sorted = labelled.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var out = sorted.prefix(limit).map { "\($0.key) ×\($0.value)" }
        if sorted.count > limit { out.append("… \(sorted.count - limit) more") }
        return out
    }
}

extension Dictionary where Value == ActionTally {
    /// Merges another keyed action tally into this one.
    mutating func mergeActionTallies(_ other: [Key: ActionTally]) {
        for (k, v) in other { self[k, default: ActionTally()].merge(v) }
    }
}

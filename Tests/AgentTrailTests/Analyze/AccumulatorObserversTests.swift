import Testing
@testable import AgentTrail

/// `AccumulatorObservers` calls what a loop over `[any DetectorAccumulator]` calls: each accumulator's own
/// `observe`, in order, once per event, whatever its type (a final class, a generic one, a subclass).
@Suite struct AccumulatorObserversTests {
    final class Log { var entries: [String] = [] }

    class Plain: DetectorAccumulator {
        let log: Log, name: String
        init(_ log: Log, _ name: String) { self.log = log; self.name = name }
        func observe(_ event: ObservedRecord) { log.entries.append("\(name):\(event.index):\(event.record.eventName)") }
        func merge(_ other: Plain) {}
        func findings(_ facts: RunFacts) -> [Finding] { [] }
    }

    /// Inherits the conformance: its dynamic type is the subclass, and its override must be the one called.
    final class Derived: Plain {
        override func observe(_ event: ObservedRecord) { log.entries.append("derived \(name):\(event.index)") }
    }

    final class Generic<T>: DetectorAccumulator {
        let log: Log, tag: T
        init(_ log: Log, _ tag: T) { self.log = log; self.tag = tag }
        func observe(_ event: ObservedRecord) { log.entries.append("generic \(tag):\(event.index)") }
        func merge(_ other: Generic<T>) {}
        func findings(_ facts: RunFacts) -> [Finding] { [] }
    }

    static func accumulators(_ log: Log) -> [any DetectorAccumulator] {
        [Plain(log, "a"), Generic(log, 7), Derived(log, "b"), Generic(log, "s"), Plain(log, "c")]
    }

    static var events: [ObservedRecord] { (0..<5).map { i in
        ObservedRecord(record: CloudTrailRecord(eventSource: "s3.amazonaws.com", eventName: "GetObject\(i)"),
                       file: "f.json", index: i)
    } }

    @Test func callsWhatTheLoopCalls() {
        let expected = Log(), observed = Log()
        let plain = Self.accumulators(expected)
        let accumulators = Self.accumulators(observed)
        var observers = AccumulatorObservers(accumulators)
        for event in Self.events {
            for a in plain { a.observe(event) }
            observers.observe(event)
        }
        #expect(observed.entries == expected.entries)
        #expect(observed.entries.count == 25)
        #expect(observed.entries.contains("derived b:3"))
        #expect(observed.entries.contains("generic 7:4"))
        #expect(!observed.entries.contains { $0.hasPrefix("b:") })  // the subclass's override, not the base's
        withExtendedLifetime(accumulators) {}
    }

    @Test func noAccumulators() {
        var observers = AccumulatorObservers([])
        #expect(observers.isEmpty)
        observers.observe(Self.events[0])
    }

    /// Turns away every action whose name does not start with its prefix (`observesAction`), and logs each call.
    final class Picky: DetectorAccumulator {
        let log: Log, prefix: String
        init(_ log: Log, _ prefix: String) { self.log = log; self.prefix = prefix }
        func observesAction(of record: CloudTrailRecord) -> Bool { record.eventName.hasPrefix(prefix) }
        func observe(_ event: ObservedRecord) {
            if event.record.eventName.hasPrefix(prefix) { log.entries.append("\(prefix):\(event.index)") }
        }
        func merge(_ other: Picky) {}
        func findings(_ facts: RunFacts) -> [Finding] { [] }
    }

    /// Events of a few actions, with the worker's action numbers (`id`) as a scan gives them, or without (-1).
    static func numberedEvents(withNumbers: Bool) -> [ObservedRecord] {
        let names = ["GetObject", "PutObject", "GetBucketAcl", "ListBuckets", "PutObject", "GetObject", "Decrypt"]
        var ids: [String: Int32] = [:]
        return names.enumerated().map { index, name in
            let record = CloudTrailRecord(eventSource: "s3.amazonaws.com", eventName: name)
            var info = RecordTriage.actionInfo(record.eventSource, record.eventName)
            if withNumbers { info.id = ids[name] ?? { ids[name] = Int32(ids.count); return Int32(ids.count - 1) }() }
            return ObservedRecord(record: record, file: "f.json", index: index, hashedPrincipalKey: HashedString("p"),
                                  action: info)
        }
    }

    /// An accumulator that turns an action away is not called for its records; the others are, in order; an
    /// accumulator whose `observe` would have ignored them sees the same records either way. Past 64 accumulators,
    /// every one is called.
    @Test(arguments: [(true, 5), (false, 5), (true, 70), (false, 70)])
    func actionsTurnedAwayAreNotObserved(_ t: (withNumbers: Bool, count: Int)) {
        let prefixes = ["Get", "Put", "", "List", "Nothing"]
        let viaLoop = Log(), viaObservers = Log()
        let plain: [any DetectorAccumulator] = (0..<t.count).map { Picky(viaLoop, prefixes[$0 % prefixes.count]) }
        let picky: [any DetectorAccumulator] = (0..<t.count).map { Picky(viaObservers, prefixes[$0 % prefixes.count]) }
        var observers = AccumulatorObservers(picky)
        for event in Self.numberedEvents(withNumbers: t.withNumbers) + Self.numberedEvents(withNumbers: t.withNumbers) {
            for a in plain { a.observe(event) }
            observers.observe(event)
        }
        #expect(viaObservers.entries == viaLoop.entries)
        #expect(viaObservers.entries.contains("Get:0") && viaObservers.entries.contains(":6"))
        #expect(!viaObservers.entries.contains { $0.hasPrefix("Nothing") })
        withExtendedLifetime(picky) {}
    }

    /// Calls made: an accumulator that turns every action away is never called (counted by a class that would log
    /// any call).
    @Test func anAccumulatorThatObservesNothingIsNeverCalled() {
        final class Never: DetectorAccumulator {
            var calls = 0
            func observesAction(of record: CloudTrailRecord) -> Bool { false }
            func observe(_ event: ObservedRecord) { calls += 1 }
            func merge(_ other: Never) {}
            func findings(_ facts: RunFacts) -> [Finding] { [] }
        }
        let never = Never(), other = Plain(Log(), "a")
        var observers = AccumulatorObservers([never, other])  // (unretained: both kept alive below)
        for event in Self.numberedEvents(withNumbers: true) { observers.observe(event) }
        #expect(never.calls == 0)
        #expect(other.log.entries.count == 7)
        withExtendedLifetime((never, other)) {}
    }
}

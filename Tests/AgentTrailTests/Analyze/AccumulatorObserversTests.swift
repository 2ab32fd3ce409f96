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
        let observers = AccumulatorObservers(accumulators)
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
        let observers = AccumulatorObservers([])
        #expect(observers.isEmpty)
        observers.observe(Self.events[0])
    }
}

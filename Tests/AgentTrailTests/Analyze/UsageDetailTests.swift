import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// `UsageAccumulator.Detail.counts` (what `unused-granted-action` keeps) agrees with `full` (the access review's) on
/// everything it keeps: per principal and action the successes, denials and other errors; the data-event prefixes;
/// the unknown events. Its records are decoded with only the fields it declares (`recordFields(.counts)`), the full
/// accumulator's with all of them, so a field `counts` reads without declaring it shows up as a difference. Inputs:
/// SampleLogs, the edge archive and the vendored public samples (shapes this project did not write).
@Suite struct UsageDetailTests {
    static func records(_ path: String, fields: RecordFieldSet) -> [CloudTrailRecord] {
        var bytes: [UInt8] = []
        _ = try? InputReader(decompressor: .zlib).forEachChunk(path: path) { bytes.append(contentsOf: $0) }
        var options = RecordStream.Options()
        options.fields = fields
        var stream = RecordStream(options)
        var out: [CloudTrailRecord] = []
        stream.feed(bytes) { record, _ in out.append(record) }
        stream.finish()
        return out
    }

    static var inputs: [String] {
        var out: [String] = []
        let fm = FileManager.default
        for dir in [TestPaths.sampleLogs, TestPaths.edgeArchive, TestPaths.vendoredReallogs] {
            guard let e = fm.enumerator(atPath: dir) else { continue }
            for case let rel as String in e where rel.hasSuffix(".json") || rel.hasSuffix(".gz") { out.append(dir + "/" + rel) }
        }
        return out.sorted()
    }

    struct Counts: Equatable {
        var successes = 0, denied = 0, otherErrors = 0
    }

    static func counts(_ acc: UsageAccumulator) -> [String: [IAMAction: Counts]] {
        acc.usage.mapValues { $0.mapValues { Counts(successes: $0.successes, denied: $0.denied, otherErrors: $0.otherErrors) } }
    }

    /// The actions an accumulator counts are its own copies of the event-action map's (`IAMAction.unshared`: each
    /// worker retains its own objects per record), one copy per action whatever event names lead to it.
    @Test(arguments: [UsageAccumulator.Detail.counts, .full])
    func countedActionsAreTheAccumulatorsOwnCopies(detail: UsageAccumulator.Detail) throws {
        let acc = UsageAccumulator(detail: detail)
        var mapped: [IAMAction] = []
        for path in Self.inputs {
            for (j, r) in Self.records(path, fields: .all).enumerated() {
                acc.observe(ObservedRecord(record: r, file: path, index: j))
                if case .actions(let list) = EventActionMap.shared.actions(eventSource: r.eventSource, eventName: r.eventName) {
                    mapped += list
                }
            }
        }
        #expect(mapped.count > 100)
        var byKey: [String: IAMAction] = [:]
        var checked = 0
        for (_, actions) in acc.usage {
            for action in actions.keys {
                #expect(mapped.contains(action))
                #expect(!mapped.contains { $0.sharesStorage(with: action) }, "\(action) is the map's object")
                if let first = byKey[action.normalized] {
                    #expect(first.sharesStorage(with: action), "two copies of \(action)")
                } else {
                    byKey[action.normalized] = action
                }
                checked += 1
            }
        }
        #expect(checked > 10)
    }

    @Test func countsAgreeWithFull() {
        let files = Self.inputs
        #expect(files.count > 10)
        // Two workers' halves merged, as a scan at two jobs does.
        let full = UsageAccumulator(), counts = [UsageAccumulator(detail: .counts), UsageAccumulator(detail: .counts)]
        var observed = 0
        for (i, path) in files.enumerated() {
            let all = Self.records(path, fields: .all)
            let few = Self.records(path, fields: UsageAccumulator.recordFields(.counts))
            #expect(all.count == few.count, "\(path)")
            for (j, r) in all.enumerated() { full.observe(ObservedRecord(record: r, file: path, index: j)) }
            for (j, r) in few.enumerated() { counts[i % 2].observe(ObservedRecord(record: r, file: path, index: j)) }
            observed += all.count
        }
        counts[0].merge(counts[1])
        let c = counts[0]
        #expect(observed > 1_000)
        let mine = Self.counts(c), reference = Self.counts(full)
        let differing = Set(mine.keys).union(reference.keys).filter { mine[$0] != reference[$0] }.sorted()
        #expect(differing.isEmpty, "principals whose counts differ: \(differing.prefix(5))")
        #expect(reference.count > 50)
        #expect(c.dataEventPrefixes == full.dataEventPrefixes)
        #expect(c.unknownEvents == full.unknownEvents)
        // The inputs have successes, denials and other errors, unknown events and data events to compare.
        let all = Self.counts(full).values.flatMap(\.values)
        #expect(all.contains { $0.successes > 0 } && all.contains { $0.denied > 0 } && all.contains { $0.otherErrors > 0 })
        #expect(!full.unknownEvents.isEmpty && !full.dataEventPrefixes.isEmpty)
        // What `counts` does not keep.
        #expect(c.usage.values.allSatisfy { $0.values.allSatisfy { $0.resources.isEmpty && $0.sourceIPs.isEmpty && $0.firstUsed == nil } })
        #expect(c.principalWindow.isEmpty && c.dailyCalls.isEmpty)
    }
}

import Foundation
import Synchronization
import Testing
@testable import AgentTrail

/// `FindingPipeline.make` at several jobs: the detectors' findings made on several threads, the heaviest
/// (`DetectorAccumulator.findingsCost`) first, and the result the same as at one job.
@Suite struct FindingPipelineTests {
    /// Which accumulators have started making their findings.
    final class Arrivals: Sendable {
        let started = Mutex<Set<String>>([])
        func arrive(_ name: String) { started.withLock { _ = $0.insert(name) } }
        /// True once `name` has started, false after 5 s without it.
        func wait(for name: String) -> Bool {
            let deadline = Date().addingTimeInterval(5)
            while !started.withLock({ $0.contains(name) }) {
                if Date() > deadline { return false }
                usleep(200)
            }
            return true
        }
    }

    struct Fake: Detector {
        let name: String, cost: Int, waitsFor: String?, arrivals: Arrivals?
        var descriptor: DetectorDescriptor { DetectorDescriptor(id: name, defaultSeverity: .medium, summary: name) }
        func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator { Accumulator(self) }

        final class Accumulator: DetectorAccumulator {
            let fake: Fake
            init(_ fake: Fake) { self.fake = fake }
            func observe(_ event: ObservedRecord) {}
            func merge(_ other: Accumulator) {}
            var findingsCost: Int { fake.cost }
            func findings(_ facts: RunFacts) -> [Finding] {
                fake.arrivals?.arrive(fake.name)
                let met = fake.waitsFor.map { fake.arrivals!.wait(for: $0) } ?? true
                // Several findings per detector, some tied in report order, to see that their order is kept.
                return (0..<3).map { i in
                    Finding(detector: fake.name, severity: i == 0 ? .high : .medium, principal: "p\(i % 2)",
                            subject: ["met": met ? "yes" : "no"], tally: Tally(),
                            message: Finding.Message(title: "\(fake.name) \(i)", recommendation: "r"))
                }
            }
        }
    }

    static func run(_ detectors: [Fake], jobs: Int) -> [Finding] {
        let context = AnalysisContext()
        let accumulators = detectors.map { $0.makeAccumulator(context: context) }
        let facts = RunFacts(firstEvent: nil, lastEvent: nil, agentRoles: [], baselineEnd: nil, context: context)
        return FindingPipeline.make(accumulators: accumulators, detectors: detectors, facts: facts,
                                    now: Instant(millisecondsSince1970: 0), jobs: jobs).findings
    }

    @Test(arguments: 1...4)
    func sameFindingsAtAnyJobCount(jobs: Int) {
        let detectors = (0..<7).map { Fake(name: "fake-\($0)", cost: [1, 5, 1, 9, 2, 1, 3][$0], waitsFor: nil, arrivals: nil) }
        let one = Self.run(detectors, jobs: 1)
        #expect(one.count == 21)
        #expect(Self.run(detectors, jobs: jobs) == one)
    }

    /// At two jobs the heaviest accumulator's findings are made first, beside the next one's: the two light ones
    /// each wait for the heavy one to start and it for the first light one (each up to 5 s). Taken in detector order,
    /// the two light ones would start together and wait for the heavy one, which no thread is left to start.
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount > 1, "needs two cores"))
    func heaviestFirstBesideTheOthers() {
        let arrivals = Arrivals()
        let detectors = [Fake(name: "light-a", cost: 1, waitsFor: "heavy", arrivals: arrivals),
                         Fake(name: "light-b", cost: 1, waitsFor: "heavy", arrivals: arrivals),
                         Fake(name: "heavy", cost: 9, waitsFor: "light-a", arrivals: arrivals)]
        let findings = Self.run(detectors, jobs: 2)
        #expect(findings.count == 9)
        #expect(findings.allSatisfy { $0.subject["met"] == "yes" }, "findings not made at the same time, heaviest first")
    }
}

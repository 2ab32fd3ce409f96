import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// Each detector is described once (its `descriptor`), and everything that lists detectors reads those descriptors.
@Suite struct DetectorDescriptorTests {
    static let docs = TestPaths.url("Docs/Detectors.md")

    /// The record detectors and the policy detectors, as a scan with policies runs them.
    static var running: [any Detector] {
        DetectorRegistry.all() + [UnusedGrantedActionDetector(), OverBroadGrantDetector(lint: [:]),
                                  SigmaRulesDetector(rules: RuleSet())]
    }

    @Test func theRegistryListsExactlyTheDetectorsThatRun() {
        let listed = DetectorRegistry.descriptors.map(\.id)
        #expect(Set(listed).count == listed.count, "duplicate ids")
        #expect(Set(Self.running.map(\.id)) == Set(listed))
        for d in Self.running { #expect(d.descriptor == DetectorRegistry.descriptor(for: d.id.rawValue), "\(d.id)") }
        #expect(!DetectorRegistry.descriptors.contains { $0.traits.contains(.internal) })
        #expect(BaselineCollector.descriptor.traits.contains(.internal))
    }

    @Test func idsAreKebabCase() {
        for id in DetectorRegistry.ids {
            #expect(id.rawValue.allSatisfy { ("a"..."z").contains($0) || $0 == "-" }, "\(id)")
        }
    }

    /// Every detector reads its thresholds through its descriptor (an undeclared name stops the process), so a
    /// config value set for each declared threshold reaches it: making the accumulators with every threshold set
    /// exercises every read.
    @Test func everyDetectorMakesItsAccumulatorWithEveryThresholdConfigured() throws {
        var config = AgentTrailConfig()
        for d in DetectorRegistry.descriptors {
            var s = DetectorSettings()
            for t in d.thresholds { s.thresholds[t.name] = t.defaultValue }
            config.detectors[d.id.rawValue] = s
        }
        let context = AnalysisContext(config: config)
        for d in Self.running { _ = d.makeAccumulator(context: context) }
    }

    @Test func nightlyTraitsAreWhereTheyBelong() {
        let baseline = Set(DetectorRegistry.descriptors.filter { $0.traits.contains(.baselineDriven) }.map(\.id.rawValue))
        #expect(baseline == ["unknown-source-ip", "new-region", "new-model", "invocation-spike", "vpc-endpoint-bypass"])
        let whole = DetectorRegistry.descriptors.filter { $0.traits.contains(.needsWholeWindow) }.map(\.id.rawValue)
        #expect(whole == ["unused-granted-action"])
    }

    @Test func docsDetectorsMdIsTheGeneratedReference() throws {
        let expected = DetectorReference.render(DetectorRegistry.descriptors, format: .markdown)
        let actual = try String(contentsOf: Self.docs, encoding: .utf8)
        #expect(actual == expected, "Docs/Detectors.md is stale: run `swift run agenttrail detectors --format markdown > Docs/Detectors.md`")
    }

    @Test(arguments: DetectorReference.Format.allCases)
    func everyFormatListsEveryDetector(_ format: DetectorReference.Format) {
        let out = DetectorReference.render(DetectorRegistry.descriptors, format: format)
        for d in DetectorRegistry.descriptors {
            #expect(out.contains(d.id.rawValue))
            for t in d.thresholds { #expect(out.contains(t.name), "\(d.id).\(t.name) in \(format)") }
        }
    }
}

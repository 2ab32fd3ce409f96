import Foundation
import Testing
import AgentTrailTestSupport
@testable import AgentTrail

/// AgentTrail's own rule pack (Sources/AgentTrail/Resources/rules): every rule loads, has its references, tags and
/// level, and matches its positive records and none of its negative ones (Tests/AgentTrailTests/Fixtures/rules).
@Suite struct RulePackTests {
    static let packFolder = TestPaths.path("Sources/AgentTrail/Resources/rules")
    static let fixtures = TestPaths.fixtures + "/rules"

    static let pack: RuleSet = {
        let (set, errors) = SigmaRuleLoader.load(paths: [packFolder])
        precondition(errors.isEmpty, "\(errors)")
        return set
    }()

    static var slugs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: packFolder)) ?? []).filter { $0.hasSuffix(".yml") }
            .map { String($0.dropLast(4)) }.sorted()
    }

    @Test func everyRuleLoadsWithItsMetadata() {
        #expect(Self.pack.rules.count >= 70)
        #expect(Self.pack.correlations.count >= 4)
        for r in Self.pack.rules {
            #expect(!r.references.isEmpty, "\(r.file) has no references")
            #expect(!r.tags.isEmpty, "\(r.file) has no tags")
        }
        #expect(Set(Self.pack.rules.map(\.id)).count == Self.pack.rules.count)
    }

    @Test(arguments: slugs)
    func positivesMatchAndNegativesDoNot(slug: String) throws {
        let rules = Self.pack.rules.filter { $0.file.hasSuffix("/" + slug + ".yml") }
        #expect(!rules.isEmpty, "no rule from \(slug).yml")
        let folder = Self.fixtures + "/" + slug
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        let positives = files.filter { $0.hasPrefix("positive") }, negatives = files.filter { $0.hasPrefix("negative") }
        #expect(!positives.isEmpty && !negatives.isEmpty, "\(slug) needs a positive and a negative record")
        // What the file's rules report: its rules' own findings, and its correlations' (a base rule that only
        // feeds a correlation reports through it, so its negatives are records below the correlation's threshold).
        let correlations = Self.pack.correlations.filter { $0.file.hasSuffix("/" + slug + ".yml") }
        let reported = Set(rules.filter(\.generates).map { "sigma:" + $0.id } + correlations.map { "sigma:" + $0.id })
        for file in positives + negatives {
            var options = ScanOptions(paths: [folder + "/" + file], jobs: 1)
            options.detectors = [SigmaRulesDetector(rules: Self.pack)]
            let result = ScanRun.run(options)
            #expect(result.summary.failed.isEmpty && result.summary.recordsTotal > 0, "\(slug)/\(file) did not read")
            let hit = result.findings.contains { reported.contains($0.detector) }
            #expect(hit == file.hasPrefix("positive"), "\(slug)/\(file): reported \(hit)")
        }
    }

    /// The pack's correlations fire on their positive records in a scan (the windows are crossed).
    @Test func correlationsFireOnTheirPositives() throws {
        for c in Self.pack.correlations {
            let slug = ((c.file as NSString).lastPathComponent as NSString).deletingPathExtension
            let folder = Self.fixtures + "/" + slug
            let positives = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("positive") }
            var fired = false
            for p in positives {
                var options = ScanOptions(paths: [folder + "/" + p], jobs: 1)
                options.detectors = [SigmaRulesDetector(rules: Self.pack)]
                if ScanRun.run(options).findings.contains(where: { $0.detector == "sigma:" + c.id }) { fired = true }
            }
            if !fired { Issue.record("correlation \(c.id) (\(slug)) fires on none of its positives") }
        }
    }
}

import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// End-to-end: the scan pipeline over the committed SampleLogs archive, checked against the generator's manifest.
@Suite(.serialized) struct SampleLogsScanTests {
    static func scan(jobs: Int, decompressor: Decompressor = .auto, sampleConfig: Bool = true) throws -> ScanResult {
        let config = sampleConfig ? try AgentTrailConfig.load(path: TestPaths.sampleLogs + "/agenttrail.yml") : AgentTrailConfig()
        let policies = try PolicyContextLoader.load(paths: [TestPaths.sampleLogs + "/policies"], config: config)
        var options = ScanOptions(paths: [TestPaths.sampleLogs], jobs: jobs, decompressor: decompressor,
                                  now: Instant(year: 2025, month: 7, day: 1)!)
        options.context = AnalysisContext(config: config, policies: policies.info)
        options.detectors = DetectorRegistry.all() + DetectorRegistry.policyDetectors(policies)
            + [DetectorRegistry.ruleDetector(RulePack.shipped ?? RuleSet())].compactMap { $0 }  // as `scan` runs
        return ScanRun.run(options)
    }

    /// The scans with the sample config the tests share (and `ScanGoldenTests`): each takes seconds in a debug build,
    /// and a `ScanResult` is a value, so one run serves every reader.
    static let atTwoJobs: Result<ScanResult, Error> = Result { try scan(jobs: 2) }
    static let atOneJobZlib: Result<ScanResult, Error> = Result { try scan(jobs: 1, decompressor: .zlib) }

    static var manifest: [String: Any] { (try? TestPaths.json(TestPaths.sampleLogs + "/manifest.json")) ?? [:] }

    @Test func summaryMatchesManifest() throws {
        let r = try Self.atTwoJobs.get()
        let m = Self.manifest
        let s = r.summary
        #expect(s.recordsTotal == m["records"] as? Int)
        #expect(s.recordsMalformed == 0)
        #expect(s.failed.isEmpty)
        #expect(s.filesRead == m["files"] as? Int)
        #expect(s.bedrock == m["bedrockRecords"] as? Int)
        #expect(s.agentcore == m["agentcoreRecords"] as? Int)
        #expect(s.byEventSource == (m["recordsPerEventSource"] as? [String: Int] ?? [:]))
        #expect(s.principals == Set(m["principals"] as? [String] ?? []))
        #expect(s.firstEvent?.iso8601 == m["firstEventTime"] as? String)
        #expect(s.lastEvent?.iso8601 == m["lastEventTime"] as? String)
        #expect(s.uncompressedBytes == Int64(m["uncompressedBytes"] as? Int ?? -1))
        // manifest.json, README.md is not JSON; the policies folder holds 6 JSON documents.
        #expect(s.skippedNotCloudTrail.count == 7)
    }

    @Test func everyInjectedIncidentIsFound() throws {
        let r = try Self.atTwoJobs.get()
        let incidents = (Self.manifest["incidents"] as? [[String: Any]] ?? []) + (Self.manifest["policyIncidents"] as? [[String: Any]] ?? [])
        #expect(incidents.count >= 25)
        for inc in incidents {
            let detector = inc["detector"] as! String
            let principal = inc["principal"] as! String
            let found = r.findings.contains { $0.detector == detector && $0.principal == principal }
            #expect(found, "missing \(detector) for \(principal): \(inc["subject"] ?? "")")
        }
        // Every detector of the reference fires at least once on SampleLogs.
        // (Sigma rules report as `sigma:<rule id>`.)
        let ids = Set(r.findings.map { $0.detector.hasPrefix("sigma:") ? "sigma" : $0.detector })
        for d in DetectorRegistry.ids { #expect(ids.contains(d.rawValue), "no finding of \(d)") }
    }

    @Test func nearMissesDoNotFire() throws {
        let r = try Self.atTwoJobs.get()
        let incidents = Self.manifest["incidents"] as? [[String: Any]] ?? []
        for miss in Self.manifest["nearMisses"] as? [[String: Any]] ?? [] {
            let detector = miss["mustNotFire"] as! String
            let principal = miss["principal"] as! String
            let ids = Set(miss["eventIDs"] as? [String] ?? [])
            let offending = r.findings.filter { f in
                f.detector == detector && (principal == "*" || f.principal == principal)
                    && (ids.isEmpty ? !incidents.contains { ($0["detector"] as? String) == detector && ($0["principal"] as? String) == f.principal }
                                    : f.evidence.contains { ids.contains($0.eventID ?? "") })
            }
            #expect(offending.isEmpty, "\(detector) fired on near miss \(miss["subject"] ?? ""): \(offending.map(\.title))")
        }
    }

    @Test func precisionOnSampleLogs() throws {
        // With the default config (no trusted networks), log-based findings not explained by an injected incident
        // (or listed as possibly co-firing) must stay under 5%. Policy findings are facts of the policies.
        let r = try Self.scan(jobs: 2, sampleConfig: false)
        let incidents = (Self.manifest["incidents"] as? [[String: Any]] ?? []) + (Self.manifest["policyIncidents"] as? [[String: Any]] ?? [])
        var explained = Set<String>()
        for inc in incidents {
            let p = inc["principal"] as! String
            explained.insert((inc["detector"] as! String) + "|" + p)
            for also in inc["mayAlsoFire"] as? [String] ?? [] { explained.insert(also + "|" + p) }
        }
        // Rule findings below medium are audit records by design (their rules say every legitimate change matches),
        // so they are left out like policy findings; one at medium or above is explained by an injected incident of
        // the same principal (a rule names the technique a detector's incident is an instance of).
        let logFindings = r.findings.filter {
            !["unused-granted-action", "over-broad-grant"].contains($0.detector)
                && !($0.detector.hasPrefix("sigma:") && $0.severity < .medium)
        }
        let incidentPrincipals = Set(incidents.map { $0["principal"] as! String })
        let unexplained = logFindings.filter { f in
            if f.detector.hasPrefix("sigma:") { return !incidentPrincipals.contains(f.principal ?? "") }
            return !explained.contains(f.detector + "|" + (f.principal ?? ""))
        }
        #expect(Double(unexplained.count) <= 0.05 * Double(logFindings.count),
                "unexplained findings: \(unexplained.map { "\($0.detector) \($0.principal ?? "-")" })")
    }

    @Test func identicalForAnyJobCountAndDecompressor() throws {
        let a = try Self.atOneJobZlib.get()
        let b = try Self.atTwoJobs.get()
        #expect(a.findings == b.findings)
        var sa = a.summary, sb = b.summary
        for s in [\ScanSummary.seconds] { sa[keyPath: s] = 0; sb[keyPath: s] = 0 }
        sa.jobs = 0; sb.jobs = 0; sa.decompressor = ""; sb.decompressor = ""
        #expect(sa.json == sb.json)
    }
}

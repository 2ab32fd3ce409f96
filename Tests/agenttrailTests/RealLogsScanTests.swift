import Foundation
import Testing
@testable import AgentTrail

/// Detectors on the public samples in ../shared/reallogs.
@Suite struct RealLogsScanTests {
    static func scan() -> ScanResult? {
        guard TestPaths.sharedAvailable else { return nil }
        var o = ScanOptions(paths: [TestPaths.reallogs], jobs: 2)
        o.detectors = DetectorRegistry.all()
        return ScanRun.run(o)
    }

    @Test func countsEveryRecord() throws {
        guard let r = Self.scan() else { Issue.record("../shared/reallogs missing: skipped"); return }
        // SOURCES.md: 519 records, of which the 62 partial stubs lack eventSource/eventName.
        #expect(r.summary.recordsTotal == 519 - 62)
        #expect(r.summary.recordsMalformed == 62)
        #expect(r.summary.bedrock == 8)
        #expect(r.summary.agentcore == 6)
        #expect(r.summary.failed.isEmpty)
    }

    @Test(arguments: [
        ("bedrock-guardrail-or-logging-change", "bedrock:DeleteModelInvocationLoggingConfiguration"),
        ("bedrock-guardrail-or-logging-change", "bedrock:UpdateGuardrail"),
        ("bedrock-guardrail-or-logging-change", "bedrock:DeleteGuardrail"),
        ("audit-tampering", "cloudtrail:StopLogging"),
        ("audit-tampering", "cloudtrail:DeleteTrail"),
    ])
    func findsKnownIncidents(detector: String, action: String) throws {
        guard let r = Self.scan() else { Issue.record("../shared/reallogs missing: skipped"); return }
        #expect(r.findings.contains { $0.detector == detector && $0.subject["action"] == action })
    }

    @Test func findsLLMjackingProbeNotListGuardrails() throws {
        guard let r = Self.scan() else { Issue.record("../shared/reallogs missing: skipped"); return }
        #expect(r.findings.contains { $0.detector == "bedrock-recon" && $0.subject["pattern"] == "validation-probe" })
        #expect(!r.findings.contains { $0.subject["action"] == "bedrock:ListGuardrails" })
        #expect(!r.findings.contains { $0.title.contains("ListGuardrails") })
    }

    @Test func severitiesFollowTheReference() throws {
        guard let r = Self.scan() else { Issue.record("../shared/reallogs missing: skipped"); return }
        let stop = r.findings.first { $0.subject["action"] == "cloudtrail:StopLogging" }
        #expect(stop?.severity == .critical)
        let del = r.findings.first { $0.subject["action"] == "bedrock:DeleteGuardrail" }
        #expect(del?.severity == .high)
    }
}

import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// Detectors on public samples written by others: the vendored set in `Fixtures/reallogs` (always), and the full
/// shared set beside the clone (`../shared/reallogs`) for the samples whose licences keep them out of the repo.
@Suite struct RealLogsScanTests {
    static func scan(_ path: String) -> ScanResult {
        var o = ScanOptions(paths: [path], jobs: 2)
        o.detectors = DetectorRegistry.all()
        return ScanRun.run(o)
    }

    static let vendored = scan(TestPaths.vendoredReallogs)

    @Test func countsEveryRecord() throws {
        let r = Self.vendored
        // Fixtures/reallogs/SOURCES.md: 504 records, of which the 62 partial stubs lack eventSource/eventName.
        #expect(r.summary.recordsTotal == 504 - 62)
        #expect(r.summary.recordsMalformed == 62)
        #expect(r.summary.bedrock == 5)
        #expect(r.summary.agentcore == 4)
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
        #expect(Self.vendored.findings.contains { $0.detector == detector && $0.subject["action"] == action })
    }

    @Test func listGuardrailsIsNotReported() throws {
        let r = Self.vendored
        #expect(!r.findings.contains { $0.subject["action"] == "bedrock:ListGuardrails" })
        #expect(!r.findings.contains { $0.title.contains("ListGuardrails") })
    }

    @Test func severitiesFollowTheReference() throws {
        let r = Self.vendored
        let stop = r.findings.first { $0.subject["action"] == "cloudtrail:StopLogging" }
        #expect(stop?.severity == .critical)
        let del = r.findings.first { $0.subject["action"] == "bedrock:DeleteGuardrail" }
        #expect(del?.severity == .high)
    }

    /// The Sysdig LLMjacking excerpt is only in the shared set (its licence is not stated, so it is not vendored).
    @Test(.enabled(if: TestPaths.sharedAvailable, "../shared/reallogs is not beside the clone: the Sysdig sample is not vendored"))
    func sharedSetFindsTheLLMjackingProbe() throws {
        let r = Self.scan(TestPaths.sharedReallogs)
        // ../shared/reallogs/SOURCES.md: 519 records, 62 partial stubs, 8 Bedrock and 6 AgentCore.
        #expect(r.summary.recordsTotal == 519 - 62)
        #expect(r.summary.recordsMalformed == 62)
        #expect(r.summary.bedrock == 8)
        #expect(r.summary.agentcore == 6)
        #expect(r.findings.contains { $0.detector == "bedrock-recon" && $0.subject["pattern"] == "validation-probe" })
        #expect(!r.findings.contains { $0.subject["action"] == "bedrock:ListGuardrails" })
    }
}

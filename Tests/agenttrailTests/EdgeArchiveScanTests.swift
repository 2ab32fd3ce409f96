import Foundation
import Testing
@testable import AgentTrail

/// The edge-case archive (truncated, multi-member, empty, plain, JSONL, digest, insight, malformed, unicode)
/// scanned end to end, against its manifest, on every decompressor and job count.
@Suite struct EdgeArchiveScanTests {
    static let cases: [(Decompressor, Int)] = [(.zlib, 1), (.zlib, 2), (.auto, 1), (.auto, 2)]

    @Test(arguments: cases)
    func totalsMatchManifest(decompressor: Decompressor, jobs: Int) throws {
        let m = try TestPaths.json(TestPaths.edgeArchive + "/manifest.json")
        let r = ScanRun.run(ScanOptions(paths: [TestPaths.edgeArchive], jobs: jobs, decompressor: decompressor))
        let s = r.summary
        #expect(s.recordsTotal == m["records"] as? Int)
        #expect(s.recordsMalformed == m["malformed"] as? Int)
        #expect(s.byEventSource == (m["perEventSource"] as? [String: Int] ?? [:]))
        #expect(s.skippedDigest == 1)
        #expect(s.skippedInsight == 1)
        #expect(s.failed.count == 1)
        #expect(s.failed.first?.path.contains("TrUnCaTeD") == true)
        #expect(s.failed.first?.offset == 3517)
        #expect(s.filesRead == 8)
        #expect(s.filesEmpty == 2)
        #expect(s.skippedNotCloudTrail == [TestPaths.edgeArchive + "/manifest.json"])
        #expect(s.malformed.first?.index == 2)
        #expect(s.malformed.first?.path.contains("MaLfOrMeD") == true)
    }

    @Test func stdinReadsOneFile() throws {
        guard let exe = TestPaths.executable else { Issue.record("agenttrail binary not built"); return }
        let file = TestPaths.edgeArchive + "/AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/14/111122223333_CloudTrail_us-east-1_20250714T0315Z_MuLtIMeMbEr00003.json.gz"
        let out = try CLIRunner.run(exe, ["scan", "-", "--format", "json", "--summary-only"], stdin: file)
        let json = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        #expect((json?["records"] as? [String: Any])?["total"] as? Int == 9)
        #expect(out.status == 0)
    }
}

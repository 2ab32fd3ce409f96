import AgentTrailTestSupport
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

    /// Through the binary, whose standard input is the file (in process it would be the test runner's).
    @Test func stdinReadsOneFile() throws {
        guard let exe = TestPaths.executable else { Issue.record("agenttrail binary not built"); return }
        let file = TestPaths.edgeArchive + "/AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/14/111122223333_CloudTrail_us-east-1_20250714T0315Z_MuLtIMeMbEr00003.json.gz"
        let out = try CLIRunner.run(exe, ["scan", "-", "--format", "json", "--summary-only"], stdin: file)
        let json = try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any]
        #expect((json?["records"] as? [String: Any])?["total"] as? Int == 9)
        #expect(out.status == 0)
    }
}

/// Hostile inputs through the whole pipeline: the run finishes, names the file, and keeps the good ones.
@Suite struct HostileInputScanTests {
    @Test func garbageFilesAreReportedAndTheRunGoesOn() throws {
        let dir = try TestPaths.temporaryFolder("hostile")
        defer { TestPaths.remove(dir) }
        // Fixed-seed noise (SplitMix64) whose first byte cannot start JSON or gzip: the same input on every run.
        var state: UInt64 = 0x5EED_CAFE
        var noise = (0..<100_000).map { _ -> UInt8 in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
        noise[0] = 0x01
        try Data(noise).write(to: dir.appendingPathComponent("random.json"))
        try Data([0x1f, 0x8b, 0x08, 0x00] + noise.prefix(5000)).write(to: dir.appendingPathComponent("fake.json.gz"))
        try Data("{\"Records\":[{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"eventTime\":\"2025-01-01T00:00:00Z\"}, 42, {\"eventSource\":".utf8)
            .write(to: dir.appendingPathComponent("cut.json"))
        try Data("{\"Records\":[{\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"InvokeModel\",\"eventTime\":\"2025-01-01T00:00:00Z\"}]}".utf8)
            .write(to: dir.appendingPathComponent("good.json"))
        try Data(String(repeating: "[", count: 200_000).utf8).write(to: dir.appendingPathComponent("deep.json"))
        var o = ScanOptions(paths: [dir.path], jobs: 2)
        o.detectors = DetectorRegistry.all()
        let r = ScanRun.run(o)
        #expect(r.summary.recordsTotal == 2)
        #expect(r.summary.byEventSource["bedrock.amazonaws.com"] == 1)
        #expect(r.summary.failed.contains { $0.path.hasSuffix("random.json") && $0.reason.contains("not JSON") })
        #expect(r.summary.failed.contains { $0.path.hasSuffix("fake.json.gz") })
        #expect(r.summary.recordsMalformed >= 1)
        #expect(r.summary.malformed.allSatisfy { !$0.path.hasSuffix("random.json") })
    }
}

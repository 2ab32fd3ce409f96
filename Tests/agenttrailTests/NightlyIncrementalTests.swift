import Foundation
import Testing

/// End-to-end nightly behaviour from the CLI: only new files are read, late files for earlier days are read,
/// a run over unchanged files reports nothing, `--learn` silences only baseline detectors, OCSF lines.
@Suite(.serialized) struct NightlyIncrementalTests {
    static let source = CLI.packageRoot.appendingPathComponent("SampleLogs/AWSLogs")

    /// Every `.json.gz` under the sample archive, relative to it.
    static func files() throws -> [String] {
        let e = try #require(FileManager.default.enumerator(atPath: source.path))
        return e.compactMap { $0 as? String }.filter { $0.hasSuffix(".json.gz") }.sorted()
    }

    static func copy(_ rel: [String], to dir: URL) throws {
        for r in rel {
            let dst = dir.appendingPathComponent(r)
            try FileManager.default.createDirectory(at: dst.deletingLastPathComponent(), withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: source.appendingPathComponent(r), to: dst)
        }
    }

    static func stateBlock(_ json: String) throws -> [String: Any] {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        return try #require(o["state"] as? [String: Any])
    }

    @Test func nightsReadOnlyNewFilesAndLateFiles() throws {
        try #require(FileManager.default.fileExists(atPath: Self.source.path), "SampleLogs is part of the repository")
        let all = try Self.files()
        let dir = try CLI.tempDir("nightly")
        let logs = dir.appendingPathComponent("AWSLogs")
        let db = dir.appendingPathComponent("s.sqlite").path
        let early = all.filter { $0.contains("/2025/06/0") || $0.contains("/2025/06/10/") }
        let late = early.filter { $0.contains("/2025/06/03/") }.prefix(2)
        let first = early.filter { !late.contains($0) }
        try Self.copy(first, to: logs)
        let args = ["scan", logs.path, "--state", db, "--format", "json"]
        let n1 = CLI.runInProcess(args)
        #expect(n1.status == 0, "\(n1.stderr)")
        #expect(try Self.stateBlock(n1.stdout)["filesRead"] as? Int == first.count)

        let rest = all.filter { !early.contains($0) }
        try Self.copy(rest + Array(late), to: logs)
        let n2 = CLI.runInProcess(args)
        let s2 = try Self.stateBlock(n2.stdout)
        #expect(s2["filesRead"] as? Int == rest.count + late.count)
        #expect(s2["filesUnchanged"] as? Int == first.count)

        let n3 = CLI.runInProcess(args + ["--summary-json", dir.appendingPathComponent("sum.json").path])
        let s3 = try Self.stateBlock(n3.stdout)
        #expect(s3["filesRead"] as? Int == 0)
        let o3 = try #require(try JSONSerialization.jsonObject(with: Data(n3.stdout.utf8)) as? [String: Any])
        #expect((o3["findings"] as? [Any])?.isEmpty == true)
        let summary = try String(contentsOf: dir.appendingPathComponent("sum.json"), encoding: .utf8)
        #expect(summary.contains("\"findingsReported\": 0"))

        let all3 = CLI.runInProcess(args + ["--all-findings"])
        let o4 = try #require(try JSONSerialization.jsonObject(with: Data(all3.stdout.utf8)) as? [String: Any])
        #expect(((o4["findings"] as? [Any])?.count ?? 0) > 0)
    }

    @Test func learnSilencesOnlyBaselineDetectors() throws {
        try #require(FileManager.default.fileExists(atPath: Self.source.path), "SampleLogs is part of the repository")
        let dir = try CLI.tempDir("learn")
        let db = dir.appendingPathComponent("s.sqlite").path
        let o = CLI.runInProcess(["scan", Self.source.path, "--state", db, "--learn", "--format", "jsonl"])
        #expect(o.status == 0)
        let detectors = Set(o.stdout.split(separator: "\n").compactMap { line -> String? in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["detector"] as? String
        })
        #expect(detectors.contains("audit-tampering"))
        #expect(detectors.isDisjoint(with: ["unknown-source-ip", "new-region", "new-model", "invocation-spike", "vpc-endpoint-bypass"]))
    }

    @Test func ocsfLinesAreDetectionFindings() throws {
        try #require(FileManager.default.fileExists(atPath: Self.source.path), "SampleLogs is part of the repository")
        let dir = try CLI.tempDir("ocsf")
        let o = CLI.runInProcess(["scan", Self.source.path, "--state", dir.appendingPathComponent("s.sqlite").path, "--format", "ocsf"])
        #expect(o.status == 0)
        let lines = o.stdout.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let e = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(e["class_uid"] as? Int == 2004)
            #expect(e["category_uid"] as? Int == 2)
            #expect(e["activity_id"] as? Int == 1)
            #expect(e["type_uid"] as? Int == 200401)
            #expect((1...5).contains(e["severity_id"] as? Int ?? 0))
            let info = try #require(e["finding_info"] as? [String: Any])
            #expect((info["uid"] as? String)?.hasPrefix("at-") == true)
            #expect((info["types"] as? [String])?.count == 1)
            let meta = try #require(e["metadata"] as? [String: Any])
            #expect(meta["version"] as? String == "1.1.0")
        }
    }

    @Test func stateShowAndPrune() throws {
        try #require(FileManager.default.fileExists(atPath: Self.source.path), "SampleLogs is part of the repository")
        let dir = try CLI.tempDir("show")
        let db = dir.appendingPathComponent("s.sqlite").path
        _ = CLI.runInProcess(["scan", Self.source.path, "--state", db, "--format", "jsonl"])
        let show = CLI.runInProcess(["state", "show", "--state", db, "--format", "json"])
        let o = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect((o["files"] as? [String: Any])?["processed"] as? Int == (try Self.files()).count)
        let prune = CLI.runInProcess(["state", "prune", "--state", db, "--older-than", "3"])
        #expect(prune.status == 0)
        #expect(prune.stdout.hasPrefix("Pruned "))
        let export = CLI.runInProcess(["state", "export", "--state", db])
        #expect(!export.stdout.contains("2025-06-10T"), "terms last seen before the cutoff are gone")
        let missing = CLI.runInProcess(["state", "show", "--state", dir.appendingPathComponent("none.sqlite").path])
        #expect(missing.status == 1)
    }
}

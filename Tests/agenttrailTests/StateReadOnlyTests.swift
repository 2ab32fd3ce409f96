import AgentTrailTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `state show` and `state export` read a state file its user cannot write (a WAL-mode SQLite file in a folder that
/// is not writable, e.g. one a root cron job keeps, read by an auditor).
@Suite struct StateReadOnlyTests {
    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Root cannot be denied a write: then the command runs as `nobody` through setpriv, from a copy of the binary
    /// and its resource bundles in a folder `nobody` can reach (the checkout may sit in a private folder, and a
    /// container may forbid changing user). `nil` when the test can run; otherwise why not.
    static let unavailable: String? = {
        if getuid() != 0 { return nil }
        guard let setpriv else { return "running as root without setpriv to become another user" }
        guard let exe = TestPaths.executable else { return "agenttrail binary not built" }
        guard let dir = try? HostileFiles.folder("readonly-probe") else { return "no temporary folder" }
        defer { HostileFiles.remove(dir) }
        chmod(dir.path, 0o755)
        guard let runner = try? copyForNobody(exe, into: dir),
              let probe = try? CLIRunner.run(setpriv, nobody + [runner, "state", "--help"]) else {
            return "could not copy the binary for user nobody"
        }
        return probe.status == 0 ? nil : "user nobody cannot run agenttrail here (setpriv: \(probe.stderr.prefix(200)))"
    }()

    static let nobody = ["--reuid=65534", "--regid=65534", "--clear-groups"]

    /// Copies the executable and the `*.resources` bundles beside it (found next to the executable first).
    static func copyForNobody(_ exe: String, into dir: URL) throws -> String {
        let fm = FileManager.default
        let from = URL(fileURLWithPath: exe).deletingLastPathComponent()
        let runner = dir.appendingPathComponent("agenttrail").path
        try fm.copyItem(atPath: exe, toPath: runner)
        chmod(runner, 0o755)
        for item in try fm.contentsOfDirectory(atPath: from.path) where item.hasSuffix(".resources") {
            let target = dir.appendingPathComponent(item).path
            try fm.copyItem(atPath: from.appendingPathComponent(item).path, toPath: target)
            _ = try? Process.run(URL(fileURLWithPath: "/bin/chmod"), arguments: ["-R", "a+rX", target]).waitUntilExit()
        }
        return runner
    }

    @Test(.enabled(if: unavailable == nil, "needs a non-root user, or root able to run the binary as nobody"))
    func showAndExportWorkOnAReadOnlyStateFile() throws {
        guard let exe = TestPaths.executable else { Issue.record("agenttrail binary not built"); return }
        let dir = try HostileFiles.folder("readonly-state")
        defer {
            chmod(dir.path, 0o755)
            HostileFiles.remove(dir)
        }
        chmod(dir.path, 0o755)
        let logs = dir.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try HostileFiles.log([HostileFiles.record("ListBuckets", source: "s3.amazonaws.com")])
            .write(to: logs.appendingPathComponent("111122223333_CloudTrail_us-east-1_20250714T0310Z_x.json"))
        let stateDir = dir.appendingPathComponent("state")
        let state = stateDir.appendingPathComponent("state.sqlite").path
        let first = try CLIRunner.run(exe, ["scan", "--state", state, logs.path, "--summary-only"])
        #expect(first.status == 0, "\(first.stderr)")

        // The state folder and file are read-only, and (as after any finished run) there is no -wal/-shm file.
        var runner = exe
        var prefix: [String] = []
        if getuid() == 0, let setpriv = Self.setpriv {
            prefix = Self.nobody + [try Self.copyForNobody(exe, into: dir)]
            runner = setpriv
        }
        for extra in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: state + extra) }
        chmod(state, 0o444)
        chmod(stateDir.path, 0o555)
        defer { chmod(stateDir.path, 0o755) }

        let show = try CLIRunner.run(runner, prefix + ["state", "show", "--state", state])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("Ledger:     1 files"))
        let export = try CLIRunner.run(runner, prefix + ["state", "export", "--state", state, "--ledger"])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("\"ledger\""))
        // Nothing was written beside it, and the file is unchanged.
        #expect(try FileManager.default.contentsOfDirectory(atPath: stateDir.path).sorted() == ["state.sqlite", "state.sqlite.lock"])
    }
}

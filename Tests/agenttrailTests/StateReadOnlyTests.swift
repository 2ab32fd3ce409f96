import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `state show` and `state export` read a state file its user cannot write (a WAL-mode SQLite file in a folder that
/// is not writable, e.g. one a root cron job keeps, read by an auditor).
@Suite struct StateReadOnlyTests {
    static let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].first { FileManager.default.isExecutableFile(atPath: $0) }
    /// Root cannot be denied a write: then the command runs as `nobody` through setpriv.
    static var possible: Bool { getuid() != 0 || setpriv != nil }

    @Test(.enabled(if: possible, "needs a non-root user, or setpriv to become one"))
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
            runner = dir.appendingPathComponent("agenttrail").path  // a copy `nobody` may run
            try FileManager.default.copyItem(atPath: exe, toPath: runner)
            chmod(runner, 0o755)
            prefix = ["--reuid=65534", "--regid=65534", "--clear-groups", runner]
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

import AgentTrailTestSupport
import Foundation
import Synchronization
import Testing
import AgentTrail
#if canImport(Glibc)
import Glibc
#endif

/// The one precedence of exit statuses (`CommandStatus`): findings at or above --fail-on → 2, else damaged input → 3
/// unless --allow-damaged, else 0; usage errors → 1.
@Suite struct CommandStatusTests {
    static let damage = [DamagedInput(path: "a.json.gz", offset: 384, reason: "compressed data ends inside a gzip member")]

    @Test func precedence() {
        func status(_ findings: [Severity], _ failOn: Severity?, _ damaged: [DamagedInput], allow: Bool = false) -> CommandStatus {
            CommandStatus.decide(findings: findings, failOn: failOn, damaged: damaged, allowDamaged: allow).status
        }
        #expect(status([], nil, []) == .success)
        #expect(status([.critical], nil, []) == .success)
        #expect(status([.critical], .high, []) == .findings)
        #expect(status([.medium], .high, []) == .success)
        #expect(status([.critical], .high, Self.damage) == .findings)
        #expect(status([.critical], .high, Self.damage, allow: true) == .findings)
        #expect(status([.medium], .high, Self.damage) == .damagedInput)
        #expect(status([.medium], .high, Self.damage, allow: true) == .success)
        #expect(status([], nil, Self.damage) == .damagedInput)
        #expect(CommandStatus.allCases.map(\.rawValue) == [0, 1, 2, 3])
    }

    @Test func noteNamesWhatWasDamaged() throws {
        let d = CommandStatus.decide(findings: [Severity](), failOn: nil, damaged: Self.damage, allowDamaged: false)
        let note = try #require(d.note)
        #expect(note.contains("a.json.gz (byte 384): compressed data ends inside a gzip member"))
        #expect(note.contains("exit 3"))
        #expect(CommandStatus.decide(findings: [Severity](), failOn: nil, damaged: [], allowDamaged: false).note == nil)
        let hostile = [DamagedInput(path: "x\u{1B}]0;pwned\u{7}.json", offset: nil, reason: "r")]
        let escaped = try #require(CommandStatus.decide(findings: [Severity](), failOn: nil, damaged: hostile, allowDamaged: true).note)
        #expect(!escaped.contains("\u{1B}") && escaped.contains("accepted"))
    }
}

/// Every command on the same damaged input: the same status by the same precedence (commands run in process).
@Suite(.serialized) struct CommandStatusCLITests {
    static func run(_ args: [String]) -> CLIRunner.Output {
        CLIRunner.inProcess(args, env: ["NO_COLOR": "1"])
    }

    @Test func scanFindingsWinOverDamage() throws {
        let dir = try HostileFiles.damagedArchive()
        defer { HostileFiles.remove(dir) }
        let hit = Self.run(["scan", dir.path, "--fail-on", "high"])
        #expect(hit.stdout.contains("CRITICAL"))
        #expect(hit.status == 2, "a CRITICAL finding at --fail-on high exits 2 even with a damaged file")
        #expect(hit.stderr.contains(HostileFiles.logName) && hit.stderr.contains("ends inside a gzip member"))
        #expect(Self.run(["scan", dir.path, "--fail-on", "high", "--allow-damaged"]).status == 2)
        let damaged = Self.run(["scan", dir.path])
        #expect(damaged.status == 3)
        #expect(damaged.stderr.contains("1 damaged or unreadable input"))
        #expect(Self.run(["scan", dir.path, "--allow-damaged"]).status == 0)
        #expect(Self.run(["scan", dir.path, "--format", "json"]).status == 3)
        #expect(Self.run(["scan", dir.path, "--summary-only"]).status == 3)
        #expect(Self.run(["scan", dir.path, "--count-only"]).status == 3)
        #expect(Self.run(["scan", dir.path, "--count-only", "--allow-damaged"]).status == 0)
    }

    @Test func stateScanFollowsTheSamePrecedence() throws {
        let dir = try HostileFiles.damagedArchive()
        defer { HostileFiles.remove(dir) }
        for (extra, expected) in [(["--fail-on", "high"], Int32(2)), ([], 3), (["--allow-damaged"], 0)] {
            let state = dir.appendingPathComponent("state-\(expected).sqlite").path
            let out = Self.run(["scan", "--state", state, dir.path] + extra)
            #expect(out.status == expected, "scan --state \(extra): \(out.stderr)")
        }
    }

    @Test func queryReviewAndPolicyCommands() throws {
        let dir = try HostileFiles.damagedArchive()
        defer { HostileFiles.remove(dir) }
        for args in [["events", dir.path], ["events", dir.path, "--count"], ["timeline", "R", dir.path], ["review", dir.path],
                     ["policy", "--principal", "R", dir.path]] {
            let out = Self.run(args)
            #expect(out.status == 3, "\(args.first!): \(out.stderr)")
            #expect(out.stderr.contains(HostileFiles.logName))
            #expect(Self.run(args + ["--allow-damaged"]).status == 0, "\(args.first!) --allow-damaged")
        }
        // The cut record is part of the file's failure, as in `scan`, not a malformed record.
        #expect(!(Self.run(["events", dir.path])).stderr.contains("malformed"))
    }

    @Test func lintDamagedPolicyFiles() throws {
        let dir = try HostileFiles.folder("lint")
        defer { HostileFiles.remove(dir) }
        let bad = dir.appendingPathComponent("broken.json")
        try Data("{\"Version\":\"2012-10-17\",\"Statement\":[".utf8).write(to: bad)
        let good = dir.appendingPathComponent("good.json")
        try Data(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}"#.utf8)
            .write(to: good)
        let damaged = Self.run(["lint", good.path, bad.path, "--fail-on", "critical"])
        #expect(damaged.status == 3, "\(damaged.stderr)")
        #expect(damaged.stderr.contains("broken.json"))
        #expect(Self.run(["lint", good.path, bad.path, "--fail-on", "critical", "--allow-damaged"]).status == 0)
        // The unreadable file is also a high `invalid-document` finding: at --fail-on high, findings win.
        #expect(Self.run(["lint", good.path, bad.path, "--fail-on", "high"]).status == 2)
        #expect(Self.run(["lint", good.path, "--fail-on", "critical"]).status == 0)
        // Policies given to `scan` count as inputs too.
        let logs = try HostileFiles.folder("lint-logs")
        defer { HostileFiles.remove(logs) }
        try HostileFiles.log([HostileFiles.record("ListBuckets", source: "s3.amazonaws.com")])
            .write(to: logs.appendingPathComponent("log.json"))
        #expect(Self.run(["scan", logs.path, "--policies", bad.path]).status == 3)
        #expect(Self.run(["scan", logs.path, "--policies", good.path]).status == 0)
    }

    @Test func usageErrorsExitOneEverywhere() throws {
        let commands: [[String]] = [["scan", "SampleLogs"], ["events", "SampleLogs"], ["timeline", "R", "SampleLogs"],
                                    ["review", "SampleLogs"], ["policy", "--principal", "R", "SampleLogs"],
                                    ["lint", "SampleLogs/policies"], ["state", "show"]]
        for c in commands {
            let out = Self.run(c + ["--no-such-option"])
            #expect(out.status == 1, "\(c.first!) with an unknown option: \(out.status)")
        }
        for c in [["scan", "/nonexistent/agenttrail"], ["events", "/nonexistent/agenttrail"], ["lint", "/nonexistent/x.json"],
                  ["timeline", "R", "/nonexistent/agenttrail"], ["scan", "SampleLogs", "--policies", "/nonexistent/p.json"]] {
            let out = Self.run(c)
            #expect(out.status == 1, "\(c): a path that does not exist is a usage error")
            #expect(out.stderr.contains("no such file or directory"))
        }
        #expect(Self.run(["state", "show", "--state", "/nonexistent/agenttrail/state.sqlite"]).status == 1)
    }
}

/// FIFOs named on the command line (logs, --config, --policies, lint) are refused at once, never waited on. Through the
/// binary: a run that wrongly blocks opening the FIFO must be a process of its own.
@Suite struct FIFOArgumentTests {
    @Test func fifosNamedOnTheCommandLineNeverBlock() throws {
        guard let exe = TestPaths.executable else { Issue.record("agenttrail binary not built"); return }
        let dir = try HostileFiles.folder("fifo")
        defer { HostileFiles.remove(dir) }
        let fifo = dir.appendingPathComponent("pipe.json").path
        try #require(mkfifo(fifo, 0o600) == 0)
        // A non-blocking open for writing succeeds only while someone has the FIFO open for reading: it records any
        // such open, and lets a run blocked opening it (the bug) go on, so that the test fails instead of hanging.
        let stop = Mutex(false), opened = Mutex(false)
        Thread {
            while !stop.withLock({ $0 }) {
                let fd = open(fifo, O_WRONLY | O_NONBLOCK)
                if fd >= 0 { opened.withLock { $0 = true }; close(fd) }
                Thread.sleep(forTimeInterval: 0.02)
            }
        }.start()
        defer { stop.withLock { $0 = true } }
        let logs = dir.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try HostileFiles.log([HostileFiles.record("ListBuckets", source: "s3.amazonaws.com")]).write(to: logs.appendingPathComponent("a.json"))
        let scan = try CLIRunner.run(exe, ["scan", fifo, logs.path])
        #expect(scan.status == 3)
        #expect(scan.stderr.contains("not a regular file"))
        #expect(try CLIRunner.run(exe, ["events", fifo, "--count"]).status == 3)
        let config = try CLIRunner.run(exe, ["scan", logs.path, "--config", fifo])
        #expect(config.status == 1 && config.stderr.contains("not a regular file"))
        #expect(try CLIRunner.run(exe, ["scan", logs.path, "--policies", fifo]).status == 3)
        #expect(try CLIRunner.run(exe, ["lint", fifo, "--fail-on", "critical"]).status == 3)
        Thread.sleep(forTimeInterval: 0.1)
        #expect(!opened.withLock { $0 }, "the FIFO was opened for reading")
    }
}

import AgentTrailTestSupport
import Foundation
import Testing

/// Runs the built `agenttrail` binary for the nightly-mode tests: without the caller's `AGENTTRAIL_*` variables, with
/// `NO_COLOR`, and able to watch a running process (the kill tests). One-shot runs from the package root with the
/// caller's environment are `CLIRunner`'s.
enum CLI {
    static var packageRoot: URL { TestPaths.packageRootURL }

    struct Outcome {
        var status: Int32
        var killedBySignal: Int32?
        var stdout: String
        var stderr: String
    }

    /// Runs `agenttrail args` with extra environment; waits for it to end.
    static func run(_ args: [String], env: [String: String] = [:]) throws -> Outcome {
        let p = try start(args, env: env)
        let out = p.stdout.fileHandleForReading.readDataToEndOfFile()
        let err = p.stderr.fileHandleForReading.readDataToEndOfFile()
        p.process.waitUntilExit()
        return outcome(p.process, out, err)
    }

    struct Running {
        var process: Process
        var stdout: Pipe
        var stderr: Pipe
    }

    static func start(_ args: [String], env: [String: String] = [:]) throws -> Running {
        let bin = try #require(TestPaths.executable, "agenttrail binary not found next to the tests or in .build/debug")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: bin)
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        for k in e.keys where k.hasPrefix("AGENTTRAIL_") { e[k] = nil }
        for (k, v) in env { e[k] = v }
        e["NO_COLOR"] = "1"
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return Running(process: p, stdout: out, stderr: err)
    }

    static func outcome(_ p: Process, _ out: Data, _ err: Data) -> Outcome {
        Outcome(status: p.terminationReason == .exit ? p.terminationStatus : -1,
                killedBySignal: p.terminationReason == .uncaughtSignal ? p.terminationStatus : nil,
                stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    /// Reads stderr of a running process until a line containing `marker` arrives (no timing).
    static func waitForStderr(_ r: Running, containing marker: String) -> Bool {
        var seen = ""
        while true {
            let d = r.stderr.fileHandleForReading.availableData
            if d.isEmpty { return false }
            seen += String(decoding: d, as: UTF8.self)
            if seen.contains(marker) { return true }
        }
    }

    static func tempDir(_ name: String) throws -> URL { try TestPaths.temporaryFolder(name) }
}

import AgentTrailTestSupport
import Foundation
import Testing

/// Runs `agenttrail` for the nightly-mode tests, without the caller's `AGENTTRAIL_*` variables and with `NO_COLOR`:
/// in process (`runInProcess`), or as the built binary, which the kill tests watch and kill (`run`, `start`).
/// One-shot runs from the package root with the caller's environment are `CLIRunner`'s.
enum CLI {
    static var packageRoot: URL { TestPaths.packageRootURL }

    struct Outcome {
        var status: Int32
        var killedBySignal: Int32?
        var stdout: String
        var stderr: String
    }

    /// Runs `agenttrail args` in this process (`CLIRunner.inProcess`) with the environment the binary gets here.
    static func runInProcess(_ args: [String]) -> Outcome {
        let out = CLIRunner.inProcess(args, environment: environment())
        return Outcome(status: out.status, killedBySignal: nil, stdout: out.stdout, stderr: out.stderr)
    }

    /// The caller's environment without its `AGENTTRAIL_*` variables, plus `env`, with `NO_COLOR`.
    static func environment(_ env: [String: String] = [:]) -> [String: String] {
        var e = ProcessInfo.processInfo.environment
        for k in e.keys where k.hasPrefix("AGENTTRAIL_") { e[k] = nil }
        for (k, v) in env { e[k] = v }
        e["NO_COLOR"] = "1"
        return e
    }

    /// Runs the binary: `agenttrail args` with extra environment; waits for it to end.
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
        p.environment = environment(env)
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

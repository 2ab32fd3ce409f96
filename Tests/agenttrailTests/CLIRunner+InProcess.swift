import AgentTrailTestSupport
import Foundation
@testable import agenttrail

extension CLIRunner {
    /// Runs `agenttrail args` in this process, as the binary would from the package root with the test's environment
    /// plus `env`: through `AgentTrailCommand.execute`, the function the binary's `main` exits with, its stdout and
    /// stderr captured for this run only (`CommandIO.captured`; neither is a terminal, as with the binary's pipes).
    ///
    /// The environment is the command's own for what the CLI reads (`NO_COLOR`, `AGENTTRAIL_STATE`,
    /// `AGENTTRAIL_WHOLE_FILE_BUDGET_MB`, ...), without the `AGENTTRAIL_TEST_*` hooks, which kill the process they
    /// run in; what the library reads once per process (`AGENTTRAIL_RESOURCES`, `AGENTTRAIL_NO_LIBDEFLATE`) is this
    /// process's. Standard input is this process's: tests reading `-` run the binary.
    static func inProcess(_ args: [String], env: [String: String] = [:]) -> Output {
        var environment = ProcessInfo.processInfo.environment
        for k in environment.keys where k.hasPrefix("AGENTTRAIL_TEST_") { environment[k] = nil }
        for (k, v) in env { environment[k] = v }
        return inProcess(args, environment: environment)
    }

    /// Runs `agenttrail args` in this process with exactly `environment` (see `inProcess(_:env:)`).
    static func inProcess(_ args: [String], environment: [String: String]) -> Output {
        inPackageRoot()
        let captured = CapturedOutput(environment: environment)
        let status = CommandIO.$current.withValue(.captured(captured)) { AgentTrailCommand.execute(args) }
        return Output(status: status, stdout: String(decoding: captured.stdout, as: UTF8.self),
                      stderr: String(decoding: captured.stderr, as: UTF8.self))
    }

    /// Relative paths in the tests' command lines are from the package root, where `swift test` runs (and where
    /// `run` starts the binary); the working directory is the process's, so it is set there once if it is not.
    private static func inPackageRoot() { _ = packageRootAsWorkingDirectory }

    private static let packageRootAsWorkingDirectory: Bool = {
        let fm = FileManager.default
        if URL(fileURLWithPath: fm.currentDirectoryPath).resolvingSymlinksInPath().path
            == URL(fileURLWithPath: TestPaths.packageRoot).resolvingSymlinksInPath().path { return true }
        return fm.changeCurrentDirectoryPath(TestPaths.packageRoot)
    }()
}

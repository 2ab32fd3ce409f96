import AgentTrail
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

@main
struct AgentTrailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenttrail",
        abstract: "Audit what AI agents did in AWS, offline, from CloudTrail archives.",
        discussion: """
            Exit codes, by precedence: 2 a finding at or above --fail-on; else 3 a damaged or unreadable input \
            (unless --allow-damaged); else 0. 1: usage error or fatal error (bad config, missing path, state file in use).
            """,
        // (Only the version here: ArgumentParser builds this for every command line, and the full `--version` text
        // reads the catalogue's head and finds the data files. `execute` prints `versionText` instead.)
        version: AgentTrailVersion.string,
        subcommands: [ScanCommand.self, PlanCommand.self, MergeCommand.self, EventsCommand.self, TimelineCommand.self, ReviewCommand.self, PolicyCommand.self, LintCommand.self, StateCommand.self, DetectorsCommand.self, RulesCommand.self]
    )

    /// What `--version` prints: the version, the decompressor in use, the IAM catalogue's version and where the data
    /// files are.
    static var versionText: String {
        AgentTrailVersion.string + " (" + Decompressor.auto.inUseDescription + ")\n"
            + "IAM catalogue: " + ActionCatalogue.bundledVersionDescription() + "\n"
            + "Data files: " + (BundledResources.folder.map { Escaping.terminal($0.path) } ?? "not found (see AGENTTRAIL_RESOURCES)")
    }

    /// Runs the command line and exits with its status (`execute`).
    static func main() {
        EarlyStart.begin(CommandLine.arguments)
        Glibc.exit(execute())
    }

    /// Parses `arguments` (nil: the process's), runs the command and returns its exit status; everything it prints
    /// goes through `Terminal`, so to `CommandIO.current`. Usage errors are status 1 (not ArgumentParser's 64), so
    /// scripts see only the codes of `CommandStatus` (0 / 1 / 2 / 3). `main` exits with it; tests run commands in
    /// process with it.
    static func execute(_ arguments: [String]? = nil) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return CommandStatus.success.rawValue
        } catch {
            let code = exitCode(for: error)
            var message = fullMessage(for: error)
            if code == .success && message == configuration.version { message = versionText }  // (`--version`)
            if code == .success {
                if !message.isEmpty { Terminal.writeStdout(message + "\n") }
                return CommandStatus.success.rawValue
            }
            if !message.isEmpty { Terminal.writeStderr(message + "\n") }
            let raw = code.rawValue
            let passed = error is ExitCode ? CommandStatus(rawValue: raw) : nil
            return passed?.rawValue ?? CommandStatus.usage.rawValue
        }
    }
}

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
        discussion: "Exit codes: 0 fine, 1 usage or fatal input error, 2 a finding at or above --fail-on.",
        version: AgentTrailVersion.string + " (" + Decompressor.auto.inUseDescription + ")",
        subcommands: [ScanCommand.self, EventsCommand.self, TimelineCommand.self, ReviewCommand.self, PolicyCommand.self, LintCommand.self, StateCommand.self]
    )

    /// Runs the command; usage errors exit 1 (not ArgumentParser's 64), so scripts see 0 / 1 / 2 only.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Terminal.writeStdout(message + "\n") }
                Glibc.exit(0)
            }
            if !message.isEmpty { Terminal.writeStderr(message + "\n") }
            let raw = code.rawValue
            Glibc.exit(raw == 2 && error is ExitCode ? 2 : (raw == 0 ? 0 : 1))
        }
    }
}

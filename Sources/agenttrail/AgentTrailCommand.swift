import AgentTrail
import ArgumentParser

@main
struct AgentTrailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenttrail",
        abstract: "Audit what AI agents did in AWS, offline, from CloudTrail archives.",
        version: AgentTrailVersion.string,
        subcommands: [ScanCommand.self, LintCommand.self, EventsCommand.self, TimelineCommand.self]
    )
}

import ArgumentParser
import Testing
@testable import agenttrail

/// Every command names itself in its configuration. Without a `commandName`, swift-argument-parser derives the name
/// from the type's name (`String(describing:)` and a case conversion) for every subcommand of the tree on every run,
/// ~1.2 M instructions each, before the command runs; the names are the ones the derivation gave.
@Suite struct CommandNamesTests {
    @Test func everyCommandInTheTreeDeclaresItsName() {
        var paths: [String] = []
        func walk(_ command: any ParsableCommand.Type, _ path: String) {
            let name = command.configuration.commandName
            #expect(name != nil, "\(path) \(command) declares no commandName")
            let here = path.isEmpty ? (name ?? "?") : path + " " + (name ?? "?")
            paths.append(here)
            for sub in command.configuration.subcommands { walk(sub, here) }
        }
        walk(AgentTrailCommand.self, "")
        for expected in ["agenttrail scan", "agenttrail rules check", "agenttrail rules match", "agenttrail state show",
                         "agenttrail state prune", "agenttrail state export"] {
            #expect(paths.contains(expected), "\(expected) not in \(paths)")
        }
    }
}

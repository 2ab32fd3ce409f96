import AgentTrail
import ArgumentParser
import Foundation

/// `agenttrail plan`: which files each of N shards reads, as a JSON plan for `scan --plan P --shard K`.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Split the input into N shards balanced by compressed bytes (a JSON plan for scan --plan P --shard K).")

    @OptionGroup var input: InputOptions

    @Option(help: "Number of shards.")
    var shards: Int

    @Option(help: "What a shard keeps together: file | day | account-region-day | account (nightly shards: placed by account alone, never moved by other accounts' sizes).")
    var by: ShardUnit = .file

    @Option(name: [.customShort("o"), .long], help: "Write the plan to this file instead of standard output.")
    var output: String?

    func validate() throws {
        if shards < 1 { throw ValidationError("--shards must be at least 1") }
    }

    func run() throws {
        let options = try input.scanOptions(now: Instant.now)
        let walk = ArchiveWalker(filter: options.filter).walk(options.paths)
        let plan: ShardPlan
        do {
            plan = try ShardPlan(walk: walk, roots: options.paths, filter: options.filter, shardCount: shards, by: by)
        } catch let e as ShardPlanError {
            throw CLIError.fatal(e.description)
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: plan.json) else { throw CLIError.fatal("cannot write \(output)") }
        } else {
            Terminal.writeStdout(String(decoding: plan.json, as: UTF8.self))
        }
        Terminal.writeStderr(plan.overview)
    }
}

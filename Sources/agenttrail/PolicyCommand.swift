import AgentTrail
import ArgumentParser

/// `agenttrail policy`: the least-privilege policy of one principal from its successful calls.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Print the least-privilege IAM policy of a principal from its successful calls.")

    @OptionGroup var input: InputOptions

    @Option(help: "The principal: role or user ARN (IAM path optional), a session ARN, or a name.")
    var principal: String

    func run() throws {
        try CLIError.requireBundledData()
        let options = try input.scanOptions(now: Instant.now)
        var damaged: [DamagedInput] = []
        guard let (keys, policy) = AccessReview.policy(options, principal: principal, damaged: &damaged) else {
            if let note = CommandStatus.decide(findings: [], failOn: nil, damaged: damaged, allowDamaged: input.allowDamaged).note {
                Terminal.writeStderr(note)
            }
            throw CLIError.fatal("no successful call of \(principal) in these logs")
        }
        if !policy.problems.isEmpty {
            let lines = policy.problems.map { "  \($0.rule): \($0.message)" }.joined(separator: "\n")
            throw CLIError.fatal("the generated policy does not validate:\n\(lines)")
        }
        if keys.count > 1 { Terminal.writeStderr("note: merged the calls of \(keys.joined(separator: ", "))\n") }
        for note in policy.dependencyNotes { Terminal.writeStderr("note: \(note)\n") }
        Terminal.writeStdout(policy.json + "\n")
        try Exit.finish(damaged: damaged, allowDamaged: input.allowDamaged)
    }
}

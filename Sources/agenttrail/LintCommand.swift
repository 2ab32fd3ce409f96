import AgentTrail
import ArgumentParser
import Foundation

/// `agenttrail lint POLICY...`: checks IAM policy files, folders and authorization-details exports.
/// Exit codes are those of every command (`CommandStatus`): 2 a finding at or above --fail-on, else 3 a policy file that
/// could not be read or is not JSON (unless --allow-damaged), else 0; 1 usage or fatal error.
struct LintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check IAM policies (files, folders, `aws iam get-account-authorization-details` output).",
        discussion: """
            Exits 2 when a finding is at or above --fail-on (default: high); else 3 when a file could not be read or \
            is not JSON (unless --allow-damaged); 1 on usage or fatal errors.
            """
    )

    @Argument(help: "Policy JSON files, folders of them, or authorization-details files.")
    var paths: [String]

    @Option(help: "Output format: text or json.")
    var format: LintReport.Format = .text

    @Option(name: .customLong("fail-on"), help: "Lowest severity that makes the exit code 2: info, low, medium, high, critical.")
    var failOn: SeverityArgument = SeverityArgument(.high)

    func validate() throws {
        guard !paths.isEmpty else { throw ValidationError("give at least one policy file or folder") }
    }

    @Flag(help: "Instead of lint findings, print (as JSON) the actions each principal or document grants: expanded, effective (resource-aware), denied, unknown, conditional.")
    var grants = false

    @Flag(help: "Print the IAM catalogue's size and load time to stderr (for benchmarks).")
    var catalogueStats = false

    @Flag(help: "Exit 0, not 3, when a policy file cannot be read or is not JSON (it is still reported).")
    var allowDamaged = false

    func run() throws {
        try CLIError.requireBundledData()
        if let error = ActionCatalogue.shared.loadError { throw CLIError.fatal("IAM catalogue unavailable: \(error)") }
        try requireExisting(paths)
        if grants {
            let listing = GrantListing.make(paths: paths)
            for e in listing.errors { Terminal.writeStderr("warning: \(e)\n") }
            Terminal.writeStdout(GrantListing.json(listing.entries).serialized(pretty: true) + "\n")
            return try Exit.finish(damaged: listing.errors.filter(\.isDamagedInput).map(\.damagedInput), allowDamaged: allowDamaged)
        }
        let report = PolicyLinter().lint(paths: paths)
        if catalogueStats {
            let c = ActionCatalogue.shared
            let line = "catalogue: \(c.prefixes.count) prefixes, \(c.actionCount) actions, \(c.sourceByteCount) bytes, "
                + "loaded in \(Int((c.loadDuration * 1000).rounded())) ms, ~\(c.estimatedMemoryBytes / 1_000_000) MB\n"
            Terminal.writeStderrRaw(line)
        }
        Terminal.writeStdout(try report.render(format))
        try Exit.finish(findings: report.findings.map(\.severity), failOn: failOn.value, damaged: report.damaged,
                        allowDamaged: allowDamaged)
    }
}

extension LintReport.Format: ExpressibleByArgument {}

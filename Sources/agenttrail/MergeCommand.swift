import AgentTrail
import ArgumentParser
import Foundation

/// `agenttrail merge`: one report from the partial results of `scan --partial-out` (one per shard), exactly as one
/// scan over all the shards' files reports it; or, with `--partial-out`, one partial of them all (a merge of merges).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the partial results of scan --partial-out into the report of one scan over all of them.")

    @Argument(help: "Partial results (scan --partial-out, or merge --partial-out).")
    var parts: [String] = []

    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var output: FindingOutputOptions
    @OptionGroup(title: "Sigma rules") var rules: RuleOptions

    @Option(help: "text | json | jsonl (one finding per line) | ocsf (OCSF Detection Finding per line).")
    var format: FindingsFormat = .text

    @Flag(help: "The partials were made with --summary-only.")
    var summaryOnly = false

    @Flag(help: "Exit 0, not 3, when some input of the scans was damaged or unreadable (it is still reported).")
    var allowDamaged = false

    @Option(name: .customLong("partial-out"),
            help: ArgumentHelp("Write the merged partial result to FILE instead of a report (to merge it again later).", valueName: "file"))
    var partialOut: String?

    @Option(help: "Also write the JSON summary to this file (for monitoring).")
    var summaryJson: String?

    func validate() throws {
        if parts.isEmpty { throw ValidationError("give at least one partial result") }
    }

    func run() throws {
        let now = Instant.now
        let start = MonotonicClock.seconds
        try requireExisting(parts)
        var options = ScanOptions(paths: [], now: now)
        let policies = try analysis.loadContext(into: &options)
        let detectors = try ScanDetectors.make(summaryOnly: summaryOnly, policies: policies, rules: rules,
                                               config: options.context.config)
        options.detectors = detectors.all
        let merged: ScanState, fingerprint: PartialFingerprint
        do {
            (merged, fingerprint) = try PartialMerge.merge(paths: parts, detectors: detectors.all, context: options.context,
                                                           expected: detectors.fingerprint(analysis: analysis, options: options))
            if let partialOut {
                try PartialFile.write(merged, detectors: detectors.all, fingerprint: fingerprint, to: partialOut)
            }
        } catch let e as PartialFileError {
            throw CLIError.fatal(e.description)
        }
        for w in policies.warnings { Terminal.writeStderr("warning: \(w)\n") }
        if let partialOut {
            Terminal.writeStderr("merged \(parts.count) partial results → \(partialOut)\n")
            return
        }
        var result = ScanRun.findings(merged, options)
        result.summary = merged.summary
        result.summary.finalize()
        result.summary.seconds = MonotonicClock.seconds - start
        Terminal.writeStdout(result.render(format, minimum: output.minSeverity.value, colors: Terminal.colors, now: now))
        if let summaryJson {
            guard FileManager.default.createFile(atPath: summaryJson, contents: Data((result.summary.json.serialized(pretty: true) + "\n").utf8))
            else { throw CLIError.fatal("cannot write --summary-json \(summaryJson)") }
        }
        try Exit.finish(findings: result.findings.map(\.severity), failOn: output.failOn?.value,
                        damaged: policies.damaged + result.summary.failed, allowDamaged: allowDamaged)
    }
}

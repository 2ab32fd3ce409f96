import AgentTrail
import AgentTrailStore
import ArgumentParser
import Foundation

/// `agenttrail merge`: one report from the partial results of `scan --partial-out` (one per shard), exactly as one
/// scan over all the shards' files reports it — or, with `--review`, of `review --partial-out`, as one review; with
/// `--partial-out`, one partial of them all (a merge of merges).
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge the partial results of scan (or review) --partial-out into the report of one run over all of them.")

    @Argument(help: "Partial results (scan --partial-out, review --partial-out, or merge --partial-out).")
    var parts: [String] = []

    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var output: FindingOutputOptions
    @OptionGroup(title: "Sigma rules") var rules: RuleOptions

    @Option(help: "text | json | jsonl | ocsf (default text); with --review: markdown | html | json | csv (default markdown).")
    var format: String?

    @Flag(help: "The partials were made with --summary-only.")
    var summaryOnly = false

    @Flag(help: "The partials were made by `review --partial-out`: print the access review.")
    var review = false

    @Option(help: "With --review: only principals matching this ARN or name (repeatable).")
    var principal: [String] = []

    @Option(name: [.customShort("o"), .long], help: "With --review: write the report to this file instead of standard output.")
    var reportFile: String?

    @Flag(help: "Exit 0, not 3, when some input of the scans was damaged or unreadable (it is still reported).")
    var allowDamaged = false

    @Option(name: .customLong("partial-out"),
            help: ArgumentHelp("Write the merged partial result to FILE instead of a report (to merge it again later).", valueName: "file"))
    var partialOut: String?

    @Option(help: "Also write the JSON summary to this file (for monitoring).")
    var summaryJson: String?

    @Option(help: "Partials read at once (default: all cores).")
    var jobs: Int = ScanOptions.defaultJobs

    @Flag(help: "Nightly partials: report even when some of the N shards' partials are missing (they are listed in the state block).")
    var allowMissingShards = false

    func validate() throws {
        if parts.isEmpty { throw ValidationError("give at least one partial result") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if let format {
            if review && ReviewFormat(rawValue: format) == nil { throw ValidationError("--format with --review: markdown, html, json or csv") }
            if !review && FindingsFormat(rawValue: format) == nil { throw ValidationError("--format: text, json, jsonl or ocsf") }
        }
        if !review && (!principal.isEmpty || reportFile != nil) { throw ValidationError("--principal and -o need --review") }
        if review && summaryOnly { throw ValidationError("--summary-only: not with --review") }
    }

    func run() throws {
        let now = Instant.now
        let start = MonotonicClock.seconds
        try requireExisting(parts)
        let kinds: [PartialFile.Kind]
        do { kinds = try parts.map { try PartialFile.kind(ofFileAt: $0) } } catch let e as PartialFileError {
            throw CLIError.fatal(e.description)
        }
        if kinds.contains(.nightly) {
            if let i = kinds.firstIndex(of: .scan) {
                throw CLIError.fatal("\(parts[i]): a scan's partial (scan --partial-out without --state) among nightly partials "
                                     + "(scan --state … --shard K/N --partial-out): they do not merge together")
            }
            return try mergeNightly(now: now, start: start)
        }
        if allowMissingShards { throw CLIError.fatal("--allow-missing-shards: only for nightly partials (scan --state … --partial-out)") }
        var options = ScanOptions(paths: [], now: now)
        let policies = try analysis.loadContext(into: &options)
        let sink = ReviewUsageDetector.Sink()
        var ruleSet: RuleSet?
        if review {
            options = AccessReview.passOptions(options, loaded: policies, sink: sink)
        } else {
            let detectors = try ScanDetectors.make(summaryOnly: summaryOnly, policies: policies, rules: rules,
                                                   config: options.context.config)
            options.detectors = detectors.all
            ruleSet = detectors.rules
        }
        let merged: PartialFile.Contents
        do {
            merged = try PartialMerge.merge(paths: parts, detectors: options.detectors, context: options.context,
                                            expected: analysis.fingerprint(options: options, rules: ruleSet), jobs: jobs)
            if let partialOut {
                try PartialFile.write(merged.state, detectors: options.detectors, fingerprint: merged.fingerprint,
                                      evidenceFiles: merged.evidenceFiles, to: partialOut)
            }
        } catch let e as PartialFileError {
            throw CLIError.fatal(e.description)
        }
        if let partialOut {
            for w in policies.warnings { Terminal.writeStderr("warning: \(w)\n") }
            Terminal.writeStderr("merged \(parts.count) partial results → \(partialOut)\n")
            return
        }
        var result = ScanRun.findings(merged.state, options)
        result.summary = merged.state.summary
        result.summary.finalize()
        result.summary.seconds = MonotonicClock.seconds - start
        if review {
            let report = AccessReview.report(result, sink: sink, files: merged.evidenceFiles ?? EvidenceFiles(),
                                             context: options.context, loaded: policies)
            let shown = try ReviewCommand.only(principal, of: report)
            for w in policies.warnings { Terminal.writeStderr("warning: \(w)\n") }
            try ReviewCommand.write(shown, format: format.flatMap(ReviewFormat.init(rawValue:)) ?? .markdown, output: reportFile)
            return try Exit.finish(damaged: policies.damaged + report.damaged, allowDamaged: allowDamaged)
        }
        for w in policies.warnings { Terminal.writeStderr("warning: \(w)\n") }
        let shown = format.flatMap(FindingsFormat.init(rawValue:)) ?? .text
        Terminal.writeStdout(result.render(shown, minimum: output.minSeverity.value, colors: Terminal.colors, now: now))
        if let summaryJson {
            guard FileManager.default.createFile(atPath: summaryJson, contents: Data((result.summary.json.serialized(pretty: true) + "\n").utf8))
            else { throw CLIError.fatal("cannot write --summary-json \(summaryJson)") }
        }
        try Exit.finish(findings: result.findings.map(\.severity), failOn: output.failOn?.value,
                        damaged: policies.damaged + result.summary.failed, allowDamaged: allowDamaged)
    }

    /// The nightly partials of N shards (`scan --state S --shard K/N --partial-out P`) as one nightly report, in the
    /// formats and with the exit codes of `scan --state`.
    private func mergeNightly(now: Instant, start: Double) throws {
        if review || partialOut != nil { throw CLIError.fatal("--review and --partial-out: not with nightly partials") }
        var options = ScanOptions(paths: [], now: now)
        let policies = try analysis.loadContext(into: &options)
        let detectors = try ScanDetectors.make(summaryOnly: summaryOnly, policies: policies, rules: rules,
                                               config: options.context.config)
        let merged: NightlyMerge
        do {
            merged = try NightlyMerge.merge(paths: parts, expected: detectors.fingerprint(analysis: analysis, options: options),
                                            allowMissingShards: allowMissingShards)
        } catch let e as PartialFileError {
            throw CLIError.fatal(e.description)
        }
        for w in policies.warnings { Terminal.writeStderr("warning: \(w)\n") }
        if !merged.missing.isEmpty {
            Terminal.writeStderr("warning: nightly shard(s) \(merged.missing.map(String.init).joined(separator: ", ")) of \(merged.shardCount) missing: their accounts are not in this report\n")
        }
        let report = NightlyReport(merged: merged, minimum: output.minSeverity.value,
                                   seconds: MonotonicClock.seconds - start, jobs: jobs)
        let shown = format.flatMap(FindingsFormat.init(rawValue:)) ?? .text
        Terminal.writeStdout(report.render(shown, colors: Terminal.colors, now: now))
        if let summaryJson {
            guard FileManager.default.createFile(atPath: summaryJson, contents: Data((report.summaryJSON.serialized(pretty: true) + "\n").utf8))
            else { throw CLIError.fatal("cannot write --summary-json \(summaryJson)") }
        }
        try Exit.finish(findings: report.shown.map(\.finding.severity), failOn: output.failOn?.value,
                        damaged: policies.damaged + merged.summary.failed, allowDamaged: allowDamaged)
    }
}

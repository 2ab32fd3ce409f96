import Foundation
import AgentTrail
import AgentTrailStore
import ArgumentParser

/// `agenttrail scan`: summary and findings over an archive.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Summarise an archive and run every detector over it.")

    @OptionGroup var input: InputOptions
    @OptionGroup var analysis: AnalysisOptions
    @OptionGroup var output: FindingOutputOptions
    @OptionGroup(title: "Sigma rules") var rules: RuleOptions

    @Option(help: "text | json | jsonl (one finding per line) | ocsf (OCSF Detection Finding per line).")
    var format: FindingsFormat = .text

    @Flag(help: "Only the summary: run no detectors.")
    var summaryOnly = false

    @Flag(help: "Diagnostic: only decompress and split the records and count them (no decoding, no detectors); prints record count, bytes, and the splitter's own throughput.")
    var countOnly = false

    @OptionGroup(title: "Incremental runs and machine output") var state: StateScanOptions
    @OptionGroup(title: "Shards and partial results") var sharding: ShardOptions

    func run() throws {
        let now = Instant.now
        var options = try input.scanOptions(now: now)
        if (sharding.enabled || sharding.partialOut != nil) && countOnly {
            throw CLIError.fatal("--shard and --partial-out: not with --count-only")
        }
        if state.enabled {
            if sharding.partialOut != nil && !sharding.enabled {
                throw CLIError.fatal("--partial-out with a state file needs --shard K/N: a nightly partial is one shard's report (--shard 0/1 for one shard)")
            }
            if sharding.enabled, let by = sharding.shardBy, by != .account { throw CLIError.fatal(Self.nightlyUnitReason(by)) }
        }
        let applied = try sharding.applyShard(to: &options, input: input, defaultUnit: state.enabled ? .account : .file)
        let shardIndex = applied?.index
        if state.enabled, let applied, applied.unit != .account {
            throw CLIError.fatal("\(sharding.plan ?? "--plan"): " + Self.nightlyUnitReason(applied.unit))
        }
        if countOnly {
            let c = ScanRun.countRecords(options)
            Terminal.writeStdout(c.render(format))
            return try Exit.finish(damaged: c.failed, allowDamaged: input.allowDamaged)
        }
        // (At several jobs the walk starts now, on a thread of its own: its first batch is listed while the
        // policies and rules load. A nightly run needs every file listed before it selects the new ones against
        // its ledger: its walk runs whole, ahead, and the run takes it.)
        if state.enabled { options.startWalkingAheadWhole() } else { options.startWalkingAhead() }
        // (`fixed` below: the detectors that do not read stored baselines, the policy detectors and the Sigma rules.)
        // (A nightly run that writes a report loads its rules only when it reads a file, or when they changed since
        // they last loaded: `DeferredRules`. A shard's partial carries the rules' fingerprint, so it loads them now.)
        let deferringRules = state.enabled && sharding.partialPath(shard: shardIndex) == nil
        let loaded: (policies: PolicyContextLoader.Loaded, detectors: ScanDetectors, deferred: DeferredRules?)
        do {
            loaded = try ScanDetectors.load(analysis: analysis, summaryOnly: summaryOnly, rules: rules,
                                            deferringRules: deferringRules, into: &options)
        } catch {
            options.stopWalkingAhead()
            throw error
        }
        let (policies, detectors, deferred) = loaded
        let fixed = detectors.fixed
        options.detectors = detectors.all
        if !state.enabled, let out = sharding.partialPath(shard: shardIndex) {
            for w in policies.warnings { Terminal.writeStderr("warning: \(w)\n") }
            return try sharding.writePartial(options: options, rules: detectors.rules, analysis: analysis, to: out,
                                             damaged: policies.damaged, allowDamaged: input.allowDamaged)
        }
        if state.enabled {
            for w in policies.warnings { Terminal.writeStderr("warning: \(w)\n") }
            var scan = StateScan(state: state, format: format, output: output, allowDamaged: input.allowDamaged)
            if let applied {
                scan.shard = StateShardSpec(index: applied.index, count: applied.count, unit: applied.unit.rawValue)
                scan.partialOut = sharding.partialPath(shard: applied.index)
                scan.fingerprint = detectors.fingerprint(analysis: analysis, options: options)
            }
            return try scan.run(options: options, policyDetectors: fixed, deferredRules: deferred, summaryOnly: summaryOnly,
                                damagedPolicies: policies.damaged)
        }
        let bar = ProgressBar.makeIfTTY()
        var report: (@Sendable (ScanProgress) -> Void)? = nil
        if let bar { report = { bar.update($0) } }
        let result = ScanRun.run(options, progress: report)
        bar?.finish()
        for w in policies.warnings { Terminal.writeStderr("warning: \(w)\n") }
        Terminal.writeStdout(result.render(format, minimum: output.minSeverity.value, colors: Terminal.colors, now: now))
        try state.writeSummary(result.summary.json)
        try Exit.finish(findings: result.findings.map(\.severity), failOn: output.failOn?.value,
                        damaged: policies.damaged + result.summary.failed, allowDamaged: input.allowDamaged)
    }
}

extension ScanCommand {
    /// Why a nightly shard keeps whole accounts.
    static func nightlyUnitReason(_ unit: ShardUnit) -> String {
        "a nightly run (--state) shards by account, not by \(unit.rawValue): baselines are per principal and principals "
            + "per account, so an account's files must always be read against the same state file (--shard-by account)"
    }
}

extension FindingsFormat: ExpressibleByArgument {}

/// A fatal error with a message for the user (exit 1).
struct CLIError: Error, CustomStringConvertible {
    let description: String
    static func fatal(_ message: String) -> CLIError { CLIError(description: message) }
    /// Fails (exit 1) when the shipped data files cannot be found: the analysis would be wrong without them.
    static func requireBundledData() throws {
        if let problem = BundledResources.problem { throw fatal(problem) }
    }
}

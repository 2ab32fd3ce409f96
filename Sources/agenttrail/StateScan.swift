import AgentTrail
import AgentTrailStore
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// `scan --state`: an incremental run against a state file, and its report.
struct StateScan {
    let state: StateScanOptions
    let format: FindingsFormat
    let output: FindingOutputOptions
    let allowDamaged: Bool
    /// The shard this run is (`--shard K/N`, by account); nil: unsharded.
    var shard: StateShardSpec?
    /// With a shard: write its nightly partial here instead of a report (for `agenttrail merge`).
    var partialOut: String?
    /// The fingerprint of the nightly partial (the analysis, as `merge` recomputes it).
    var fingerprint: PartialFingerprint?

    init(state: StateScanOptions, format: FindingsFormat, output: FindingOutputOptions, allowDamaged: Bool) {
        self.state = state
        self.format = format
        self.output = output
        self.allowDamaged = allowDamaged
    }

    /// `policyDetectors`: the detectors besides the registry's (policy detectors, Sigma rules), which read no baselines;
    /// `deferredRules`: rules loaded when the run asks for them (`DeferredRules`), whose detector joins those.
    func run(options: ScanOptions, policyDetectors: [any Detector], deferredRules: DeferredRules? = nil, summaryOnly: Bool,
             damagedPolicies: [DamagedInput] = []) throws {
        // `{shard}` in the state path (or $AGENTTRAIL_STATE) is the shard's index, as in --partial-out.
        let path = ShardOptions.expand(state.statePath, shard: shard?.index)
        let io = CommandIO.current
        let lock: StateLock
        let store: StateStore
        do {
            lock = try StateLock(statePath: path, waitSeconds: state.waitLock) { Terminal.writeStderr("agenttrail: \($0)\n", to: io) }
            store = try StateStore(path: path)
        } catch let e as StateError { throw CLIError.fatal(e.message) }
        defer { withExtendedLifetime(lock) {} }

        var nightly = NightlyOptions(scan: options) { baselines in
            summaryOnly ? [] : DetectorRegistry.all(storedBaselines: baselines) + policyDetectors + (deferredRules?.detectors ?? [])
        }
        if let deferredRules {
            nightly.prepare = { reading in try deferredRules.prepare(reading: reading, store: store) }
        }
        nightly.learn = state.learn
        nightly.shard = shard
        nightly.batchSize = state.batchSize
        nightly.installTestHooks(environment: Environment.all) { Terminal.writeStderr($0, to: io) }
        let result: NightlyResult
        do { result = try NightlyRun.run(store: store, options: nightly) } catch let e as StateError {
            // (The rules' own error, as any scan reports it, not as the state file's.)
            if let failure = deferredRules?.failure.withLock({ $0 }) { throw failure }
            throw CLIError.fatal(e.message)
        }
        if let partialOut, let shard, let fingerprint {
            // The shard's report at every severity (merge applies --min-severity), written instead of printed.
            let all = try NightlyReport(result: result, store: store, statePath: path, allFindings: state.allFindings, minimum: .info)
            do {
                try NightlyPartial(result: result, reported: all.shown, shard: shard, statePath: path, fingerprint: fingerprint)
                    .write(to: partialOut)
            } catch let e as PartialFileError { throw CLIError.fatal(e.description) }
            try state.writeSummary(all.summaryJSON)
            try store.named { try store.completeRun(result.runId, now: Double(Instant.now.millisecondsSince1970) / 1000) }
            Terminal.writeStderr("nightly partial: \(shard), \(result.filesRead) files read, \(all.shown.count) findings reported → \(partialOut)\n", to: io)
            return try Exit.finish(damaged: damagedPolicies + result.summary.failed, allowDamaged: allowDamaged)
        }
        let report = try NightlyReport(result: result, store: store, statePath: path, allFindings: state.allFindings,
                                       minimum: output.minSeverity.value)
        Terminal.writeStdout(report.render(format, colors: Terminal.colors, now: options.now))
        try state.writeSummary(report.summaryJSON)
        try store.named { try store.completeRun(result.runId, now: Double(Instant.now.millisecondsSince1970) / 1000) }
        // (A damaged file is reported by the run that reads it; later runs skip it until it changes.)
        try Exit.finish(findings: report.shown.map(\.finding.severity), failOn: output.failOn?.value,
                        damaged: damagedPolicies + result.summary.failed, allowDamaged: allowDamaged)
    }
}

import AgentTrail
import AgentTrailStore
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// `scan --state`: an incremental run against a state file, and its report.
struct StateScan {
    let state: StateScanOptions
    let format: ScanFormat
    let output: FindingOutputOptions
    let allowDamaged: Bool

    func run(options: ScanOptions, policyDetectors: [any Detector], summaryOnly: Bool, damagedPolicies: [DamagedInput] = []) throws {
        let path = state.statePath
        let lock: StateLock
        let store: StateStore
        do {
            lock = try StateLock(statePath: path, waitSeconds: state.waitLock) { Terminal.writeStderr("agenttrail: \($0)\n") }
            store = try StateStore(path: path)
        } catch let e as StateError { throw CLIError.fatal(e.message) }
        defer { withExtendedLifetime(lock) {} }

        var nightly = NightlyOptions(scan: options) { baselines in
            summaryOnly ? [] : DetectorRegistry.all(storedBaselines: baselines) + policyDetectors
        }
        nightly.learn = state.learn
        nightly.batchSize = state.batchSize
        if let n = Environment.int("AGENTTRAIL_TEST_CRASH_AFTER_BATCHES") {
            nightly.afterCommit = { done in if done >= n { kill(getpid(), SIGKILL) } }
        }
        if let n = Environment.int("AGENTTRAIL_TEST_PAUSE_AFTER_BATCHES") {
            nightly.afterCommit = { done in
                if done >= n {
                    Terminal.writeStderr("agenttrail-test: paused after \(done) batch(es)\n")
                    while true { sleep(60) }
                }
            }
        }
        if let n = Environment.int("AGENTTRAIL_TEST_CRASH_IN_BATCH") {
            nightly.beforeCommit = { batch in if batch >= n { kill(getpid(), SIGKILL) } }
        }
        let result: NightlyResult
        do { result = try NightlyRun.run(store: store, options: nightly) } catch let e as StateError {
            throw CLIError.fatal(e.message)
        }
        var shown = result.reported
        if state.allFindings {
            let pending = Dictionary(result.reported.map { ($0.finding.key, $0.activity) }, uniquingKeysWith: { a, _ in a })
            shown = try store.named { try store.historyFindings(status: .open) }.map { r in
                var r = r
                r.activity = pending[r.finding.key] ?? .update
                return r
            }
        }
        shown = shown.filter { $0.finding.severity >= output.minSeverity.value }
        let stateJSON = stateBlock(result, path: path)
        switch format {
        case .text:
            Terminal.writeStdout(text(result, shown: shown, path: path))
        case .json:
            guard case .object(var pairs) = result.summary.json else { break }
            pairs.append(("state", stateJSON))
            pairs.append(("findings", .array(shown.map { Self.json($0) })))
            pairs.append(("findingsBySeverity", .object(Severity.allCases.reversed().map { s in
                (s.name, .int(shown.filter { $0.finding.severity == s }.count))
            })))
            Terminal.writeStdout(JSONValue.object(pairs).serialized(pretty: true) + "\n")
        case .jsonl:
            for r in shown { Terminal.writeStdout(Self.json(r).serialized() + "\n") }
        case .ocsf:
            for r in shown {
                Terminal.writeStdout(r.finding.ocsf(activity: r.activity == .create ? .create : .update, time: options.now).serialized() + "\n")
            }
        }
        if case .object(var pairs) = result.summary.json {
            pairs.append(("state", stateJSON))
            pairs.append(("findingsReported", .int(shown.count)))
            try state.writeSummary(.object(pairs))
        }
        try store.named { try store.completeRun(result.runId, now: Double(Instant.now.millisecondsSince1970) / 1000) }
        // (A damaged file is reported by the run that reads it; later runs skip it until it changes.)
        try Exit.finish(findings: shown.map(\.finding.severity), failOn: output.failOn?.value,
                        damaged: damagedPolicies + result.summary.failed, allowDamaged: allowDamaged)
    }

    static func json(_ r: ReportedFinding) -> JSONValue {
        guard case .object(var pairs) = r.finding.json else { return r.finding.json }
        pairs.append(("activity", .string(r.activity.rawValue)))
        return .object(pairs)
    }

    func stateBlock(_ r: NightlyResult, path: String) -> JSONValue {
        .object([
            ("path", .string(path)), ("run", .int(Int(r.runId))), ("resumed", .bool(r.resumed)),
            ("filesSeen", .int(r.filesSeen)), ("filesUnchanged", .int(r.filesUnchanged)), ("filesRead", .int(r.filesRead)),
            ("learningFiles", .int(r.learningFiles)), ("batches", .int(r.batches)), ("learningEnd", .time(r.learningEnd)),
        ])
    }

    func text(_ r: NightlyResult, shown: [ReportedFinding], path: String) -> String {
        let style = TextStyle(colors: Terminal.colors)
        var o = r.summary.text(style: style)
        o += "State:     \(Escaping.terminal(path)), run \(r.runId)\(r.resumed ? " (resumed an interrupted run)" : "")\n"
        o += "           \(r.filesSeen) files found, \(r.filesUnchanged) unchanged, \(r.filesRead) new or changed read in \(r.batches) batch(es)"
        o += r.learningFiles > 0 ? ", \(r.learningFiles) as learning\n" : "\n"
        if let end = r.learningEnd { o += "           learning period ends \(end.iso8601)\n" }
        let created = shown.filter { $0.activity == .create }.count
        o += "\nFindings: \(shown.count) (\(created) new, \(shown.count - created) updated)\n"
        for sev in Severity.allCases.reversed() {
            let group = shown.filter { $0.finding.severity == sev }
            if group.isEmpty { continue }
            o += "\n" + sev.name.uppercased() + " (\(group.count))\n"
            for f in group {
                var block = f.finding.text(style: style)
                if f.activity == .update, block.hasPrefix("  [") { block = "  (updated) [" + block.dropFirst(3) }
                o += block
            }
        }
        return o
    }
}

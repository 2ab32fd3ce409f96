import AgentTrail

/// What a nightly run shows: its new or changed findings (or, with `allFindings`, every open finding of the
/// history, marked new or updated by this run) at or above a severity, rendered like a one-shot scan plus the
/// state block.
public struct NightlyReport: Sendable {
    public var result: NightlyResult
    /// The findings shown, report order.
    public var shown: [ReportedFinding]
    /// The state file's path (shown as given, escaped for terminals in text).
    public var statePath: String
    /// When the report is the merge of N nightly shards' partials (`agenttrail merge`): their state blocks.
    public var merged: NightlyMerge?

    /// The report of `result`: with `allFindings`, the history's open findings, each marked `create` when this run
    /// created it and `update` otherwise; only those at or above `minimum`.
    public init(result: NightlyResult, store: StateStore, statePath: String, allFindings: Bool, minimum: Severity) throws {
        var shown = result.reported
        if allFindings {
            let pending = Dictionary(result.reported.map { ($0.finding.key, $0.activity) }, uniquingKeysWith: { a, _ in a })
            shown = try store.named { try store.historyFindings(status: .open) }.map { r in
                var r = r
                r.activity = pending[r.finding.key] ?? .update
                return r
            }
        }
        self.result = result
        self.shown = shown.filter { $0.finding.severity >= minimum }
        self.statePath = statePath
    }

    /// The report of N nightly shards merged (`agenttrail merge` of their nightly partials): the shards' findings at
    /// or above `minimum`, in report order, their merged summary, and a state block listing the shards. `seconds`:
    /// the merge's own time (the `performance` block is the merge's, as for a scan's partials).
    public init(merged: NightlyMerge, minimum: Severity, seconds: Double, jobs: Int) {
        var summary = merged.summary
        summary.seconds = seconds
        summary.jobs = jobs
        let s = merged.shards
        result = NightlyResult(runId: 0, resumed: s.contains(where: \.resumed), summary: summary, reported: merged.reported,
                               filesSeen: s.reduce(0) { $0 + $1.filesSeen }, filesUnchanged: s.reduce(0) { $0 + $1.filesUnchanged },
                               filesRead: s.reduce(0) { $0 + $1.filesRead }, learningFiles: s.reduce(0) { $0 + $1.learningFiles },
                               batches: s.reduce(0) { $0 + $1.batches },
                               learningEnd: s.compactMap(\.learningEnd).min().map(Instant.init(millisecondsSince1970:)))
        shown = merged.reported.filter { $0.finding.severity >= minimum }
        statePath = ""
        self.merged = merged
    }

    /// The state block of the JSON outputs: which files this run read and why (merged: the sums and every shard's).
    public var stateJSON: JSONValue {
        let r = result
        if let merged {
            return .object([
                ("shards", .int(merged.shardCount)), ("by", .string(merged.shards.first?.shard.unit ?? "account")),
                ("missingShards", .array(merged.missing.map { .int($0) })),
                ("filesSeen", .int(r.filesSeen)), ("filesUnchanged", .int(r.filesUnchanged)), ("filesRead", .int(r.filesRead)),
                ("learningFiles", .int(r.learningFiles)), ("batches", .int(r.batches)),
                ("perShard", .array(merged.shards.map(\.json))),
            ])
        }
        return .object([
            ("path", .string(statePath)), ("run", .int(Int(r.runId))), ("resumed", .bool(r.resumed)),
            ("filesSeen", .int(r.filesSeen)), ("filesUnchanged", .int(r.filesUnchanged)), ("filesRead", .int(r.filesRead)),
            ("learningFiles", .int(r.learningFiles)), ("batches", .int(r.batches)), ("learningEnd", .time(r.learningEnd)),
        ])
    }

    /// The summary with the state block and the number of findings reported (`--summary-json`).
    public var summaryJSON: JSONValue {
        guard case .object(var pairs) = result.summary.json else { return result.summary.json }
        pairs.append(("state", stateJSON))
        pairs.append(("findingsReported", .int(shown.count)))
        return .object(pairs)
    }

    /// A finding with its `activity` (`create` or `update`).
    public static func json(_ r: ReportedFinding) -> JSONValue {
        guard case .object(var pairs) = r.finding.json else { return r.finding.json }
        pairs.append(("activity", .string(r.activity.rawValue)))
        return .object(pairs)
    }

    /// The report in `format`; `now` stamps OCSF records.
    public func render(_ format: FindingsFormat, colors: Bool, now: Instant) -> String {
        switch format {
        case .text:
            return text(colors: colors)
        case .json:
            guard case .object(var pairs) = result.summary.json else { return "" }
            pairs.append(("state", stateJSON))
            pairs.append(("findings", .array(shown.map { Self.json($0) })))
            pairs.append(("findingsBySeverity", .object(Severity.allCases.reversed().map { s in
                (s.name, .int(shown.filter { $0.finding.severity == s }.count))
            })))
            return JSONValue.object(pairs).serialized(pretty: true) + "\n"
        case .jsonl:
            return shown.map { Self.json($0).serialized() + "\n" }.joined()
        case .ocsf:
            return shown.map {
                $0.finding.ocsf(activity: $0.activity == .create ? .create : .update, time: now).serialized() + "\n"
            }.joined()
        }
    }

    func text(colors: Bool) -> String {
        let r = result
        let style = TextStyle(colors: colors)
        var o = r.summary.text(style: style)
        if let merged {
            o += "State:     \(merged.shards.count) of \(merged.shardCount) nightly shards merged"
            o += merged.missing.isEmpty ? "\n" : " (missing: \(merged.missing.map(String.init).joined(separator: ", ")))\n"
            for s in merged.shards {
                o += "           shard \(s.shard.index): \(Escaping.terminal(s.statePath)), run \(s.run)\(s.resumed ? " (resumed)" : "")\n"
            }
        } else {
            o += "State:     \(Escaping.terminal(statePath)), run \(r.runId)\(r.resumed ? " (resumed an interrupted run)" : "")\n"
        }
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

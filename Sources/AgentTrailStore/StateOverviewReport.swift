import AgentTrail

/// `agenttrail state show`: the state file's overview (ledger, baselines, findings, runs), optionally with every
/// processed file and every principal's baseline, as text (escaped for terminals: paths and principals come from
/// logs) or JSON.
public struct StateOverviewReport: Sendable {
    public let overview: StateStore.Overview
    /// `exportJSON(ledger: files, findings: true)`.
    public let export: JSONValue
    public let files: Bool
    public let baselines: Bool

    public init(store: StateStore, files: Bool, baselines: Bool) throws {
        overview = try store.overview()
        export = try store.exportJSON(ledger: files, findings: true)
        self.files = files
        self.baselines = baselines
    }

    public var json: JSONValue {
        let o = overview
        var pairs: [(String, JSONValue)] = [
            ("path", .string(o.path)), ("schemaVersion", .int(o.schemaVersion)), ("learningEnd", .time(o.learningEnd)),
            ("historyStart", .time(o.historyStart)), ("historyEnd", .time(o.historyEnd)),
            ("files", .object([("processed", .int(o.files)), ("failed", .int(o.failedFiles)), ("learning", .int(o.learningFiles)),
                               ("records", .int(o.records)),
                               ("lastProcessedAt", o.lastProcessedAt.map { .string(Instant(millisecondsSince1970: Int64($0 * 1000)).iso8601) } ?? .null)])),
            ("principals", .int(o.principals)),
            ("terms", .object(o.terms.keys.sorted().map { ($0, .int(o.terms[$0]!)) })),
            ("findings", .object(o.findingsByStatus.keys.sorted().map { ($0, .int(o.findingsByStatus[$0]!)) })),
            ("runs", .object([("total", .int(o.runs)), ("unfinished", .int(o.unfinishedRuns))])),
        ]
        if let shard = o.shard {
            pairs.append(("shard", .object([("index", .int(shard.index)), ("count", .int(shard.count)), ("by", .string(shard.unit))])))
        }
        if case .object(let e) = export {
            for (k, v) in e where (k == "baselines" && baselines) || k == "ledger" || k == "findings" { pairs.append(("\(k)List", v)) }
        }
        return .object(pairs)
    }

    public var text: String {
        let o = overview
        var t = "State file: \(o.path) (schema \(o.schemaVersion))\n"
        t += "History:    \(o.historyStart?.iso8601 ?? "-") → \(o.historyEnd?.iso8601 ?? "-"); learning ends \(o.learningEnd?.iso8601 ?? "-")\n"
        t += "Ledger:     \(o.files) files (\(o.failedFiles) failed, \(o.learningFiles) learning), \(o.records) analysed records"
        t += o.lastProcessedAt.map { ", last at \(Instant(millisecondsSince1970: Int64($0 * 1000)).iso8601)\n" } ?? "\n"
        t += "Baselines:  \(o.principals) principals; " + o.terms.keys.sorted().map { "\(o.terms[$0]!) \($0)" }.joined(separator: ", ") + "\n"
        t += "Findings:   " + (o.findingsByStatus.isEmpty ? "none" : o.findingsByStatus.keys.sorted().map { "\(o.findingsByStatus[$0]!) \($0)" }.joined(separator: ", ")) + "\n"
        t += "Runs:       \(o.runs)" + (o.unfinishedRuns > 0 ? " (\(o.unfinishedRuns) interrupted; the next scan resumes it)" : "") + "\n"
        if let shard = o.shard { t += "Shard:      \(shard) (nightly shards: Docs/Scale.md)\n" }
        if baselines, case .object(let e) = export, let b = e.first(where: { $0.0 == "baselines" })?.1, case .array(let list) = b {
            t += "\n"
            for case .object(let p) in list { t += Self.baselineLine(p) }
        }
        if files, case .object(let e) = export, let l = e.first(where: { $0.0 == "ledger" })?.1, case .array(let list) = l {
            t += "\n"
            for case .object(let f) in list {
                let v = Dictionary(f, uniquingKeysWith: { a, _ in a })
                t += "  \(v["path"]!.serialized()) \(v["size"]!.serialized()) bytes, \(v["records"]!.serialized()) records"
                    + (v["failed"] == .bool(true) ? ", FAILED" : "") + (v["learning"] == .bool(true) ? ", learning" : "") + "\n"
            }
        }
        return Escaping.terminal(t, keepNewlines: true)  // paths and principals are untrusted
    }

    static func baselineLine(_ p: [(String, JSONValue)]) -> String {
        let v = Dictionary(p, uniquingKeysWith: { a, _ in a })
        var line = "  \(v["principal"]!.serialized()): \(v["records"]!.serialized()) records"
        if case .object(let terms)? = v["terms"] {
            for (kind, list) in terms { if case .array(let a) = list, !a.isEmpty { line += ", \(a.count) \(kind)" } }
        }
        return line + "\n"
    }
}

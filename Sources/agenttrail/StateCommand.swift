import AgentTrail
import AgentTrailStore
import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// `agenttrail state`: inspect, prune and export the nightly-mode state file.
struct StateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Inspect, prune or export the state file of incremental (nightly) scans.",
        subcommands: [Show.self, Prune.self, Export.self])

    /// The state file choice shared by the subcommands.
    struct Location: ParsableArguments {
        @Option(help: "State file (default: $AGENTTRAIL_STATE, else ~/.local/state/agenttrail/state.sqlite).")
        var state: String?

        var path: String { StateStore.resolvePath(state, environment: Environment.all) }

        func open(readOnly: Bool) throws -> StateStore {
            do { return try StateStore(path: path, readOnly: readOnly) } catch let e as StateError { throw CLIError.fatal(e.message) }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the ledger, baselines and findings history.")
        @OptionGroup var location: Location
        @Option(help: "text | json") var format: ShowFormat = .text
        @Flag(help: "List every processed file.") var files = false
        @Flag(help: "List every principal's baseline.") var baselines = false

        enum ShowFormat: String, ExpressibleByArgument { case text, json }

        func run() throws {
            let store = try location.open(readOnly: true)
            let o = try store.named { try store.overview() }
            let export = try store.named { try store.exportJSON(ledger: files, findings: true) }
            if format == .json {
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
                if case .object(let e) = export {
                    for (k, v) in e where (k == "baselines" && baselines) || k == "ledger" || k == "findings" { pairs.append(("\(k)List", v)) }
                }
                Terminal.writeStdout(JSONValue.object(pairs).serialized(pretty: true) + "\n")
                return
            }
            var t = "State file: \(o.path) (schema \(o.schemaVersion))\n"
            t += "History:    \(o.historyStart?.iso8601 ?? "-") → \(o.historyEnd?.iso8601 ?? "-"); learning ends \(o.learningEnd?.iso8601 ?? "-")\n"
            t += "Ledger:     \(o.files) files (\(o.failedFiles) failed, \(o.learningFiles) learning), \(o.records) analysed records"
            t += o.lastProcessedAt.map { ", last at \(Instant(millisecondsSince1970: Int64($0 * 1000)).iso8601)\n" } ?? "\n"
            t += "Baselines:  \(o.principals) principals; " + o.terms.keys.sorted().map { "\(o.terms[$0]!) \($0)" }.joined(separator: ", ") + "\n"
            t += "Findings:   " + (o.findingsByStatus.isEmpty ? "none" : o.findingsByStatus.keys.sorted().map { "\(o.findingsByStatus[$0]!) \($0)" }.joined(separator: ", ")) + "\n"
            t += "Runs:       \(o.runs)" + (o.unfinishedRuns > 0 ? " (\(o.unfinishedRuns) interrupted; the next scan resumes it)" : "") + "\n"
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
            Terminal.writeStdout(Escaping.terminal(t, keepNewlines: true))  // paths and principals are untrusted
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

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove history older than DAYS before the latest stored event.")
        @OptionGroup var location: Location
        @Option(help: "Days of history to keep.") var olderThan: Int
        @Option(help: "When another run holds the state file, wait up to this many seconds.") var waitLock: Double = 0

        func validate() throws { if olderThan < 1 { throw ValidationError("--older-than must be at least 1") } }

        func run() throws {
            let lock: StateLock
            do { lock = try StateLock(statePath: location.path, waitSeconds: waitLock) { Terminal.writeStderr("agenttrail: \($0)\n") } } catch let e as StateError {
                throw CLIError.fatal(e.message)
            }
            defer { withExtendedLifetime(lock) {} }
            let store = try location.open(readOnly: false)
            let r = try store.named { try store.prune(olderThanDays: olderThan) { access($0, F_OK) == 0 } }
            Terminal.writeStdout("Pruned \(r.principals) principals, \(r.terms) baseline terms, \(r.hours) histogram hours, \(r.findings) findings, \(r.runs) runs, \(r.ledgerEntries) ledger entries of missing files\n")
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the baselines (and optionally ledger and findings) as JSON.")
        @OptionGroup var location: Location
        @Flag(help: "Include the processed-file ledger.") var ledger = false
        @Flag(help: "Include the findings history.") var findings = false

        func run() throws {
            let store = try location.open(readOnly: true)
            Terminal.writeStdout(try store.named { try store.exportJSON(ledger: ledger, findings: findings) }.serialized(pretty: true) + "\n")
        }
    }
}

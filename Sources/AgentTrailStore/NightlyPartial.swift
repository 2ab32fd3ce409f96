import AgentTrail
import Foundation

/// One nightly shard's state block: which state file it ran against, and which files it read.
public struct NightlyShardState: Codable, Sendable, Hashable {
    public var shard: StateShardSpec
    /// The state file's path, as given to the shard.
    public var statePath: String
    public var run: Int64
    public var resumed: Bool
    public var filesSeen: Int
    public var filesUnchanged: Int
    public var filesRead: Int
    public var learningFiles: Int
    public var batches: Int
    /// End of the shard's learning period (milliseconds since 1970; nil: none).
    public var learningEnd: Int64?

    public init(shard: StateShardSpec, result r: NightlyResult, statePath: String) {
        self.shard = shard
        self.statePath = statePath
        run = r.runId
        resumed = r.resumed
        filesSeen = r.filesSeen
        filesUnchanged = r.filesUnchanged
        filesRead = r.filesRead
        learningFiles = r.learningFiles
        batches = r.batches
        learningEnd = r.learningEnd?.millisecondsSince1970
    }

    /// The state block of the JSON outputs, with the shard.
    var json: JSONValue {
        .object([
            ("shard", .string("\(shard.index)/\(shard.count)")), ("by", .string(shard.unit)),
            ("path", .string(statePath)), ("run", .int(Int(run))), ("resumed", .bool(resumed)),
            ("filesSeen", .int(filesSeen)), ("filesUnchanged", .int(filesUnchanged)), ("filesRead", .int(filesRead)),
            ("learningFiles", .int(learningFiles)), ("batches", .int(batches)),
            ("learningEnd", .time(learningEnd.map(Instant.init(millisecondsSince1970:)))),
        ])
    }
}

/// A nightly shard's result on disk (`scan --state S --shard K/N --partial-out P`), in the partial-result format
/// (`PartialFile`: header, length, SHA-256), its body marked `{"kind":"nightly",…}`: the findings the shard reports
/// (with their activity, at every severity), its summary, its state block, its shard spec and the fingerprint of the
/// analysis. `agenttrail merge` renders the nightly partials of the N shards as one nightly report (`NightlyMerge`).
public struct NightlyPartial: Codable, Sendable {
    public var fingerprint: PartialFingerprint
    public var agenttrail: String
    public var state: NightlyShardState
    public var summary: ScanSummary
    var findings: [Entry]

    struct Entry: Codable {
        var activity: String
        var finding: StoredFinding
    }

    /// The shard's nightly result: `reported` (every severity) of `result`, run as `shard` against `statePath`.
    public init(result: NightlyResult, reported: [ReportedFinding], shard: StateShardSpec, statePath: String,
                fingerprint: PartialFingerprint) {
        self.fingerprint = fingerprint
        agenttrail = AgentTrailVersion.string
        state = NightlyShardState(shard: shard, result: result, statePath: statePath)
        summary = result.summary
        findings = reported.map { Entry(activity: $0.activity.rawValue, finding: StoredFinding($0.finding)) }
    }

    /// The findings with their activity, in report order.
    public var reported: [ReportedFinding] {
        findings.map { ReportedFinding(finding: $0.finding.finding, activity: FindingActivity(rawValue: $0.activity) ?? .create, status: .open) }
            .sorted { Finding.reportOrder($0.finding, $1.finding) }
    }

    private struct Wrapper: Codable {
        var kind: String
        var nightly: NightlyPartial
    }

    /// The partial's bytes: header, then `{"kind":"nightly","nightly":{…}}` (keys sorted inside).
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let inner = [UInt8](try encoder.encode(self))
        return PartialFile.frame(Array(PartialFile.nightlyMarker.utf8) + Array(#""nightly":"#.utf8) + inner + [UInt8(ascii: "}")])
    }

    /// Writes the partial to `path`.
    public func write(to path: String) throws {
        let bytes: [UInt8]
        do { bytes = try encoded() } catch {
            throw PartialFileError(.corrupt, path: path, "cannot encode the nightly partial (\(error))")
        }
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw PartialFileError(.unreadable, path: path, "cannot write the partial result")
        }
    }

    /// Reads the nightly partial at `path`: header and checksum checked, then the body; a scan's partial is refused.
    public static func read(path: String) throws -> NightlyPartial {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PartialFileError(.unreadable, path: path, "cannot read the file")
        }
        let body = try PartialFile.body(of: [UInt8](data), path: path)
        guard body.starts(with: Array(PartialFile.nightlyMarker.utf8)) else {
            throw PartialFileError(.mismatched, path: path, "a scan's partial (scan --partial-out without --state), not a nightly "
                                   + "shard's: nightly and scan partials do not merge together")
        }
        do {
            return try JSONDecoder().decode(Wrapper.self, from: Data(body)).nightly
        } catch {
            throw PartialFileError(.corrupt, path: path, "the body does not decode (\(error))")
        }
    }
}

/// The nightly partials of N shards folded into one nightly report: summaries merged, findings (with their activity)
/// gathered in report order, each shard's state block kept. Refused, naming the file: a scan's partial among them,
/// another analysis (fingerprint: build, config, policies, rules, detectors) or other input filters than the first,
/// another N or unit, a shard given twice, and — unless `allowMissingShards` — fewer than N shards.
public struct NightlyMerge: Sendable {
    /// N.
    public var shardCount: Int
    /// The shards' state blocks, by shard index.
    public var shards: [NightlyShardState]
    /// Shard indices of `0..<N` that no partial holds (only with `allowMissingShards`).
    public var missing: [Int]
    public var summary: ScanSummary
    public var reported: [ReportedFinding]

    /// Merges the nightly partials at `paths`; every one must carry `expected`'s analysis fingerprint and the first's
    /// input filters.
    public static func merge(paths: [String], expected: PartialFingerprint, allowMissingShards: Bool) throws -> NightlyMerge {
        guard !paths.isEmpty else { throw PartialFileError(.unreadable, path: "-", "no partial results to merge") }
        var first: (path: String, part: NightlyPartial)?
        var byShard: [Int: String] = [:]
        var shards: [NightlyShardState] = []
        var summary = ScanSummary()
        var byIndex: [(Int, [ReportedFinding])] = []
        for path in paths {
            let part = try NightlyPartial.read(path: path)
            if let field = part.fingerprint.firstDifference(expected, input: false) {
                throw PartialFileError(.mismatched, path: path, mismatch(field, made: part.agenttrail))
            }
            let spec = part.state.shard
            if let (firstPath, f) = first {
                if part.fingerprint.input != f.fingerprint.input { throw PartialFileError(.mismatched, path: path, mismatch("input", made: part.agenttrail)) }
                if spec.count != f.state.shard.count || spec.unit != f.state.shard.unit {
                    throw PartialFileError(.mismatched, path: path, "is \(spec) but \(firstPath) is \(f.state.shard): "
                                           + "the partials of one nightly merge come from the same N shards")
                }
            } else {
                first = (path, part)
            }
            if let other = byShard[spec.index] {
                throw PartialFileError(.incomplete, path: path, "is shard \(spec.index)/\(spec.count), as \(other) is: give each shard's partial once")
            }
            byShard[spec.index] = path
            shards.append(part.state)
            summary.merge(part.summary)
            byIndex.append((spec.index, part.reported))
        }
        let n = first!.part.state.shard.count
        let missing = (0..<n).filter { byShard[$0] == nil }
        if !missing.isEmpty && !allowMissingShards {
            throw PartialFileError(.incomplete, path: first!.path, "shard(s) \(missing.map(String.init).joined(separator: ", ")) of \(n) "
                                   + "missing: merge every shard's partial, or give --allow-missing-shards to report without them")
        }
        summary.finalize()
        shards.sort { $0.shard.index < $1.shard.index }
        let reported = fold(byIndex.sorted { $0.0 < $1.0 }.flatMap(\.1)).sorted { Finding.reportOrder($0.finding, $1.finding) }
        return NightlyMerge(shardCount: n, shards: shards, missing: missing, summary: summary, reported: reported)
    }

    /// Findings of the same key from several shards (a principal whose calls are in the trails of accounts on two
    /// shards) folded into one, as the findings history folds a recurring finding (`Finding.merged(with:)`: counts
    /// summed, span widened, the higher severity, title and details of the higher shard); `update` when any shard had
    /// reported the key before (one state file would have known it), else `create`. `findings`: in shard order.
    static func fold(_ findings: [ReportedFinding]) -> [ReportedFinding] {
        var order: [String] = []
        var byKey: [String: ReportedFinding] = [:]
        for r in findings {
            let key = r.finding.key
            guard var seen = byKey[key] else {
                order.append(key)
                byKey[key] = r
                continue
            }
            seen.finding = seen.finding.merged(with: r.finding)
            if r.activity == .update { seen.activity = .update }
            byKey[key] = seen
        }
        return order.map { byKey[$0]! }
    }

    static func mismatch(_ field: String, made: String) -> String {
        switch field {
        case "build": return "made by another build of agenttrail (\(made)) than this one (\(AgentTrailVersion.string))"
        case "input": return "made with other input filters (--account, --region, --since, --until) than the other partials"
        case "detectors": return "made with other detectors than this merge (--summary-only, rules or --policies differ)"
        default: return "made with other \(field) than this merge (give merge the same --config, --policies and rules as the nightly shards)"
        }
    }
}

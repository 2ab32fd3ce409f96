import AgentTrailTestSupport
import Foundation
import Testing

/// `scan --shard K/N --partial-out` over every shard, then `merge`: the same report as one `scan` over everything,
/// byte for byte (JSON without its `performance` block, text without its `Speed:` line), for 1 to 13 shards, in
/// several orders and groupings (merges of merges); and damaged or foreign partials rejected naming the file.
@Suite struct ShardMergeCLITests {
    /// One archive and the analysis options its scans and merges are given.
    struct Corpus: Sendable, CustomTestStringConvertible {
        let name: String
        let paths: [String]
        let analysis: [String]
        var testDescription: String { name }

        /// (Without policies: expanding them against the IAM catalogue takes seconds per run in a debug build;
        /// `samplePolicies` has them, for fewer runs.)
        static let sample = Corpus(name: "SampleLogs", paths: ["SampleLogs"], analysis: ["--config", "SampleLogs/agenttrail.yml"])
        static let samplePolicies = Corpus(name: "SampleLogs with policies", paths: ["SampleLogs"],
                                           analysis: ["--config", "SampleLogs/agenttrail.yml", "--policies", "SampleLogs/policies"])
        /// Damaged files on purpose: the scans and the merge accept them (and list them).
        static let edge = Corpus(name: "archive-edge", paths: ["Tests/AgentTrailTests/Fixtures/archive-edge"], analysis: ["--allow-damaged"])
        static let reallogs = Corpus(name: "reallogs", paths: ["Tests/AgentTrailTests/Fixtures/reallogs"], analysis: [])
    }

    /// The JSON report without what depends on timing (`performance`).
    static func comparable(_ json: String) throws -> String {
        guard let range = json.range(of: "  \"performance\": {") else { throw Failure("no performance block in:\n\(json.prefix(300))") }
        let end = try #require(json[range.upperBound...].range(of: "\n  },\n"))
        return String(json[..<range.lowerBound] + json[end.upperBound...])
    }

    struct Failure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    static func run(_ args: [String]) throws -> String {
        let out = CLIRunner.inProcess(args)
        guard out.status == 0 else { throw Failure("agenttrail \(args.joined(separator: " ")) → \(out.status)\n\(out.stderr)") }
        return out.stdout
    }

    /// Writes the partials of `shards` shards of `corpus` into `dir` and returns their paths in shard order.
    static func partials(_ corpus: Corpus, shards: Int, in dir: URL, by: String = "file") throws -> [String] {
        try (0..<shards).map { k in
            let path = dir.appendingPathComponent("shard-\(k).part").path
            _ = try run(["scan"] + corpus.paths + corpus.analysis
                        + ["--shard", "\(k)/\(shards)", "--shard-by", by, "--partial-out", path, "--jobs", "2"])
            return path
        }
    }

    static func merged(_ corpus: Corpus, _ parts: [String], format: String = "json") throws -> String {
        try run(["merge"] + parts + corpus.analysis + ["--format", format])
    }

    static func single(_ corpus: Corpus, format: String = "json") throws -> String {
        try run(["scan"] + corpus.paths + corpus.analysis + ["--format", format])
    }

    @Test(arguments: [(Corpus.sample, 1), (.sample, 2), (.sample, 4), (.sample, 8), (.sample, 13), (.samplePolicies, 3),
                      (.edge, 13), (.reallogs, 13)])
    func mergeEqualsOneScan(corpus: Corpus, shards: Int) throws {
        let dir = try TestPaths.temporaryFolder("shard-merge")
        defer { TestPaths.remove(dir) }
        let expected = try Self.comparable(try Self.single(corpus))
        let parts = try Self.partials(corpus, shards: shards, in: dir)
        // Reversed and shuffled (a fixed permutation; the shard order is one of the groupings below).
        var shuffled = parts
        var rng = SplitMix(UInt64(shards) &* 7919)
        shuffled.shuffle(using: &rng)
        // (With policies each run takes seconds in a debug build: one order, and the grouping below.)
        let orders = corpus.analysis.contains("--policies") ? [shuffled] : [parts.reversed(), shuffled]
        for order in orders {
            let got = try Self.comparable(try Self.merged(corpus, Array(order)))
            #expect(got == expected, "\(corpus.name), \(shards) shards: \(Golden.firstDifference(expected, got) ?? "")")
        }
        // Merges of merges: the shards in two groups (odd and even), each merged into a partial, then both merged.
        if shards > 1 {
            let groups = [parts.enumerated().filter { $0.offset % 2 == 0 }.map(\.element),
                          parts.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)]
            let inner = try groups.enumerated().map { i, group in
                let out = dir.appendingPathComponent("group-\(i).part").path
                _ = try Self.run(["merge"] + group + corpus.analysis + ["--partial-out", out])
                return out
            }
            let got = try Self.comparable(try Self.merged(corpus, inner.reversed()))
            #expect(got == expected, "\(corpus.name), \(shards) shards grouped: \(Golden.firstDifference(expected, got) ?? "")")
        }
    }

    @Test(arguments: ["day", "account-region-day"])
    func shardsByDayMergeToo(by: String) throws {
        let dir = try TestPaths.temporaryFolder("shard-merge-day")
        defer { TestPaths.remove(dir) }
        let corpus = Corpus.sample
        let parts = try Self.partials(corpus, shards: 3, in: dir, by: by)
        #expect(try Self.comparable(try Self.merged(corpus, parts)) == (try Self.comparable(try Self.single(corpus))))
    }

    /// The text report too (without its Speed line), and a plan file read back by every shard.
    @Test func planFileShardsGiveTheTextReport() throws {
        let dir = try TestPaths.temporaryFolder("shard-merge-plan")
        defer { TestPaths.remove(dir) }
        let corpus = Corpus.sample
        let plan = dir.appendingPathComponent("plan.json").path
        _ = try Self.run(["plan", "SampleLogs", "--shards", "3", "--by", "day", "-o", plan])
        let parts = try (0..<3).map { k in
            let path = dir.appendingPathComponent("p\(k).part").path
            _ = try Self.run(["scan", "SampleLogs", "--plan", plan, "--shard", "\(k)", "--partial-out", path] + corpus.analysis)
            return path
        }
        func noSpeed(_ s: String) -> String { s.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("Speed:") }.joined(separator: "\n") }
        #expect(noSpeed(try Self.merged(corpus, parts, format: "text")) == noSpeed(try Self.single(corpus, format: "text")))
        #expect(try Self.merged(corpus, parts, format: "jsonl") == (try Self.single(corpus, format: "jsonl")))
    }

    /// `review --shard K/N --partial-out` and `merge --review`: the access review of one run, byte for byte.
    @Test(arguments: ["json", "markdown"])
    func reviewMergeEqualsOneReview(format: String) throws {
        let dir = try TestPaths.temporaryFolder("shard-merge-review")
        defer { TestPaths.remove(dir) }
        let analysis = Corpus.samplePolicies.analysis
        let parts = try (0..<3).map { k in
            let path = dir.appendingPathComponent("r\(k).part").path
            _ = try Self.run(["review", "SampleLogs", "--shard", "\(k)/3", "--partial-out", path] + analysis)
            return path
        }
        let merged = try Self.run(["merge", "--review"] + parts.reversed() + analysis + ["--format", format])
        #expect(merged == (try Self.run(["review", "SampleLogs", "--format", format] + analysis)))
        // A review's partials are not a scan's.
        let asScan = CLIRunner.inProcess(["merge"] + parts + analysis)
        #expect(asScan.status == 1 && asScan.stderr.contains(parts[0]) && asScan.stderr.contains("--review"))
    }

    /// `--shard auto` reads the index from the engine's environment.
    @Test func autoShardFromTheEnvironment() throws {
        let fromK8s = CLIRunner.inProcess(["scan", "SampleLogs", "--shard", "auto", "--shards", "4", "--summary-only", "--format", "json"],
                                         env: ["JOB_COMPLETION_INDEX": "2"])
        let fromBatch = CLIRunner.inProcess(["scan", "SampleLogs", "--shard", "auto", "--summary-only", "--format", "json"],
                                           env: ["AWS_BATCH_JOB_ARRAY_INDEX": "2", "AWS_BATCH_JOB_ARRAY_SIZE": "4"])
        let explicit = CLIRunner.inProcess(["scan", "SampleLogs", "--shard", "2/4", "--summary-only", "--format", "json"])
        #expect(fromK8s.status == 0 && fromBatch.status == 0 && explicit.status == 0)
        #expect(try Self.comparable(fromK8s.stdout) == (try Self.comparable(explicit.stdout)))
        #expect(try Self.comparable(fromBatch.stdout) == (try Self.comparable(explicit.stdout)))
        let none = CLIRunner.inProcess(["scan", "SampleLogs", "--shard", "auto", "--summary-only"], env: [:])
        #expect(none.status == 1 && none.stderr.contains("JOB_COMPLETION_INDEX"))
        let noCount = CLIRunner.inProcess(["scan", "SampleLogs", "--shard", "auto", "--summary-only"], env: ["JOB_COMPLETION_INDEX": "1"])
        #expect(noCount.status == 1 && noCount.stderr.contains("--shards"))
    }

    /// The merged state is one scan's state, not the sum of the partials: a merge of 13 partials writes a partial of
    /// (about) the size of one process's partial over everything.
    @Test func mergedStateIsBoundedByTheAccumulators() throws {
        let dir = try TestPaths.temporaryFolder("shard-merge-bound")
        defer { TestPaths.remove(dir) }
        let corpus = Corpus.sample
        let parts = try Self.partials(corpus, shards: 13, in: dir)
        let whole = dir.appendingPathComponent("whole.part").path, merged = dir.appendingPathComponent("merged.part").path
        _ = try Self.run(["scan"] + corpus.paths + corpus.analysis + ["--partial-out", whole])
        _ = try Self.run(["merge"] + parts + corpus.analysis + ["--partial-out", merged])
        func size(_ p: String) throws -> Int { (try FileManager.default.attributesOfItem(atPath: p)[.size] as? Int) ?? 0 }
        let sum = try parts.map(size).reduce(0, +)
        let (m, w) = (try size(merged), try size(whole))
        #expect(Double(m) < 1.02 * Double(w), "merged \(m), one scan \(w)")
        #expect(sum > 2 * w, "the partials hold the shards' evidence apart (\(sum) bytes)")
    }

    // MARK: - Rejected partials

    /// Partials are read several at once (`--jobs`), but the file reported is the first bad one in argument order.
    @Test func theFirstBadPartialInArgumentOrderIsReported() throws {
        let dir = try TestPaths.temporaryFolder("shard-merge-order")
        defer { TestPaths.remove(dir) }
        let parts = try Self.partials(.sample, shards: 5, in: dir)
        for bad in parts[2...] {
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: bad)))
            bytes.removeLast(10)
            try Data(bytes).write(to: URL(fileURLWithPath: bad))
        }
        for jobs in ["1", "4"] {
            let out = CLIRunner.inProcess(["merge"] + parts + Corpus.sample.analysis + ["--jobs", jobs])
            #expect(out.status == 1 && out.stdout.isEmpty)
            #expect(out.stderr.contains(parts[2] + ": truncated"), "--jobs \(jobs): \(out.stderr)")
        }
    }

    enum Damage: String, CaseIterable, Sendable {
        case corrupt, truncated, foreignVersion, notPartial, otherConfig, otherInput, otherRules, otherDetectors
    }

    @Test(arguments: Damage.allCases)
    func damagedOrForeignPartialsAreRejectedNamingTheFile(damage: Damage) throws {
        let dir = try TestPaths.temporaryFolder("shard-merge-damage")
        defer { TestPaths.remove(dir) }
        let corpus = Corpus.sample
        let parts = try Self.partials(corpus, shards: 2, in: dir)
        let bad = parts[1]
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: bad)))
        var analysis = corpus.analysis
        var expected = ""
        switch damage {
        case .corrupt:
            bytes[bytes.count / 2] ^= 0x20
            expected = "SHA-256"
        case .truncated:
            bytes.removeLast(bytes.count / 3)
            expected = "truncated"
        case .foreignVersion:
            let header = Array("agenttrail-partial 1 ".utf8)
            #expect(Array(bytes.prefix(header.count)) == header)
            bytes.replaceSubrange(0..<header.count, with: Array("agenttrail-partial 7 ".utf8))
            expected = "version 7"
        case .notPartial:
            bytes = Array("{\"Records\":[]}\n".utf8)
            expected = "not an agenttrail partial"
        case .otherConfig:
            analysis = []  // (no config: another fingerprint than the scans')
            expected = "other config"
        case .otherInput:
            _ = try Self.run(["scan", "SampleLogs", "--shard", "1/2", "--since", "2025-06-03", "--partial-out", bad] + corpus.analysis)
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: bad)))
            expected = "input filters"
        case .otherDetectors:
            analysis += ["--no-default-rules"]  // (no rules at all: no sigma detector)
            expected = "other detectors"
        case .otherRules:
            analysis += ["--rules", "Tests/AgentTrailTests/Fixtures/sigma/SigmaHQ-cloudtrail/aws_sso_idp_change.yml"]
            expected = "other rules"
        }
        try Data(bytes).write(to: URL(fileURLWithPath: bad))
        let out = CLIRunner.inProcess(["merge"] + parts + analysis + ["--format", "json"])
        #expect(out.status == 1)
        #expect(out.stdout.isEmpty, "nothing is merged silently")
        let named = [.otherConfig, .otherRules, .otherDetectors].contains(damage) ? parts[0] : bad
        #expect(out.stderr.contains(named) && out.stderr.contains(expected), "\(out.stderr)")
    }
}

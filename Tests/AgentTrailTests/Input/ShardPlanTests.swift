import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// `ShardPlan` and `ShardAssigner`: every file in exactly one shard, balanced, stable when files are added,
/// deterministic, and the walk's counts in shard 0 only.
@Suite struct ShardPlanTests {
    static let walk = ArchiveWalker().walk([TestPaths.sampleLogs])

    @Test(arguments: [1, 2, 4, 8, 13], ShardUnit.allCases)
    func everyFileInExactlyOneShard(shards: Int, by: ShardUnit) throws {
        let plan = try ShardPlan(walk: Self.walk, roots: [TestPaths.sampleLogs], filter: .all, shardCount: shards, by: by)
        var seen: [String] = []
        for k in 0..<shards { seen += try plan.walk(forShard: k).files.map(\.path) }
        #expect(seen.sorted() == Self.walk.files.map(\.path).sorted())
        #expect(plan.shards.map(\.bytes).reduce(0, +) == Self.walk.totalBytes)
    }

    @Test(arguments: [2, 4, 8, 13])
    func filesAreBalancedByCompressedBytes(shards: Int) throws {
        let plan = try ShardPlan(walk: Self.walk, roots: [TestPaths.sampleLogs], filter: .all, shardCount: shards, by: .file)
        let mean = Double(Self.walk.totalBytes) / Double(shards)
        let largest = Double(Self.walk.files.map(\.size).max() ?? 0)
        for s in plan.shards {
            #expect(Double(s.bytes) <= mean * (1 + ShardAssigner.slack) + largest, "shard \(s.index): \(s.bytes) bytes, mean \(mean)")
        }
        #expect(plan.shards.allSatisfy { !$0.files.isEmpty })
    }

    @Test func daysStayTogether() throws {
        let plan = try ShardPlan(walk: Self.walk, roots: [TestPaths.sampleLogs], filter: .all, shardCount: 4, by: .accountRegionDay)
        var shardOf: [String: Int] = [:]
        for s in plan.shards {
            for f in try plan.walk(forShard: s.index).files where f.account != nil {
                let key = ShardUnit.accountRegionDay.key(of: f, relativePath: f.path)
                #expect(shardOf[key, default: s.index] == s.index, "\(key) split over shards")
                shardOf[key] = s.index
            }
        }
        #expect(shardOf.count > 4)
    }

    @Test func theSameWalkGivesTheSameBytes() throws {
        let a = try ShardPlan(walk: Self.walk, roots: [TestPaths.sampleLogs], filter: .all, shardCount: 8, by: .file)
        let b = try ShardPlan(walk: ArchiveWalker().walk([TestPaths.sampleLogs]), roots: [TestPaths.sampleLogs], filter: .all,
                              shardCount: 8, by: .file)
        #expect(a.json == b.json)
        let decoded = try JSONDecoder().decode(ShardPlan.self, from: a.json)
        #expect(decoded == a)
    }

    /// A tenth more files (the newest days, as a nightly sync adds them) moves few of the files planned before.
    @Test func addingFilesMovesFewOldOnes() throws {
        let sorted = Self.walk.files.sorted { $0.path < $1.path }
        var before = WalkResult()
        before.files = Array(sorted.prefix(sorted.count * 9 / 10))
        let old = try ShardPlan(walk: before, roots: [TestPaths.sampleLogs], filter: .all, shardCount: 8, by: .file)
        let new = try ShardPlan(walk: Self.walk, roots: [TestPaths.sampleLogs], filter: .all, shardCount: 8, by: .file)
        func shardOf(_ p: ShardPlan) -> [String: Int] {
            var m: [String: Int] = [:]
            for s in p.shards { for f in s.files { m[f.path] = s.index } }
            return m
        }
        let (a, b) = (shardOf(old), shardOf(new))
        let moved = a.keys.filter { a[$0] != b[$0] }.count
        #expect(Double(moved) < 0.25 * Double(a.count), "\(moved) of \(a.count) files moved")
        // (A plain largest-first packing would move most of them; check the baseline is meaningful.)
        #expect(a.count > 1000)
    }

    @Test func walkCountsBelongToShardZero() throws {
        var walk = Self.walk
        walk.skippedDigest = 3
        walk.failures = [InputError(.unreadable, "cannot list directory", path: "x/y")]
        let plan = try ShardPlan(walk: walk, roots: [TestPaths.sampleLogs], filter: .all, shardCount: 3, by: .day)
        let zero = try plan.walk(forShard: 0), one = try plan.walk(forShard: 1)
        #expect(zero.skippedDigest == 3 && zero.failures.count == 1 && zero.failures[0].path == "x/y")
        #expect(one.skippedDigest == 0 && one.failures.isEmpty)
    }

    @Test func rootsAreRenamed() throws {
        let plan = try ShardPlan(walk: Self.walk, roots: [TestPaths.sampleLogs], filter: .all, shardCount: 2, by: .file)
        let moved = try plan.walk(forShard: 1, roots: ["/elsewhere/logs/"])
        #expect(moved.files.allSatisfy { $0.path.hasPrefix("/elsewhere/logs/AWSLogs/") || $0.path.hasPrefix("/elsewhere/logs/") })
        #expect(moved.files.count == plan.shards[1].files.count)
        #expect(throws: ShardPlanError.self) { try plan.walk(forShard: 1, roots: ["a", "b"]) }
        #expect(throws: ShardPlanError.self) { try plan.walk(forShard: 2) }
    }

    @Test(arguments: [
        ("3/8", [String: String](), 3, 8),
        ("0/1", [:], 0, 1),
        ("auto", ["JOB_COMPLETION_INDEX": "5"], 5, nil),
        ("auto", ["AWS_BATCH_JOB_ARRAY_INDEX": "2", "AWS_BATCH_JOB_ARRAY_SIZE": "4"], 2, 4),
        ("7", [:], 7, nil),
    ] as [(String, [String: String], Int, Int?)])
    func shardSpecs(text: String, env: [String: String], index: Int, count: Int?) throws {
        let spec = try ShardSpec.parse(text, environment: env)
        #expect(spec.index == index && spec.count == count)
    }

    @Test(arguments: ["8/8", "x/2", "-1/4", "auto", "1/0"])
    func badShardSpecs(text: String) {
        #expect(throws: ShardPlanError.self) { try ShardSpec.parse(text, environment: [:]) }
    }

    @Test func standardInputCannotBeSharded() {
        var walk = WalkResult()
        walk.files = [.standardInput]
        #expect(throws: ShardPlanError.self) { try ShardPlan(walk: walk, roots: ["-"], filter: .all, shardCount: 2, by: .file) }
    }

    @Test func readRejectsOtherFilesAndVersions() throws {
        let dir = try TestPaths.temporaryFolder("shard-plan-read")
        defer { TestPaths.remove(dir) }
        let plan = try ShardPlan(walk: Self.walk, roots: [TestPaths.sampleLogs], filter: .all, shardCount: 2, by: .file)
        let good = dir.appendingPathComponent("good.json").path
        try plan.json.write(to: URL(fileURLWithPath: good))
        #expect(try ShardPlan.read(path: good) == plan)
        let text = String(decoding: plan.json, as: UTF8.self)
        for (name, body) in [("other.json", "{\"Records\":[]}"), ("v9.json", text.replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : 9")),
                             ("cut.json", String(text.prefix(text.count / 2)))] {
            let path = dir.appendingPathComponent(name).path
            try Data(body.utf8).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: ShardPlanError.self) { try ShardPlan.read(path: path) }
            #expect(error?.description.hasPrefix(path) == true)
        }
    }
}

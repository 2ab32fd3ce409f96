import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// Nightly shards (`--shard-by account`): an account's shard is a pure function of (account, N) — plain rendezvous
/// hashing, no load cap — so adding files or accounts never moves an existing account (its baselines stay in the same
/// state file night after night); files outside the `AWSLogs/<account>/CloudTrail/` layout are kept by folder.
@Suite struct AccountShardTests {
    static func file(_ account: String, day: Int, region: String = "us-east-1", org: Bool = false, size: Int64 = 1000) -> LogFile {
        let d = String(format: "%02d", day)
        let prefix = org ? "AWSLogs/o-a1b2c3d4e5/\(account)" : "AWSLogs/\(account)"
        return LogFile(path: "/arch/\(prefix)/CloudTrail/\(region)/2025/06/\(d)/\(account)_CloudTrail_\(region)_202506\(d)T0100Z_abc.json.gz",
                       size: size)
    }

    static func plan(_ files: [LogFile], shards: Int) throws -> [String: Int] {
        var walk = WalkResult()
        walk.files = files
        let p = try ShardPlan(walk: walk, roots: ["/arch"], filter: .all, shardCount: shards, by: .account)
        var shardOf: [String: Int] = [:]
        for s in p.shards {
            for f in try p.walk(forShard: s.index).files {
                let key = ShardUnit.account(of: f, relativePath: String(f.path.dropFirst("/arch/".count)))
                #expect(shardOf[key, default: s.index] == s.index, "\(key) split over shards")
                shardOf[key] = s.index
            }
        }
        return shardOf
    }

    static let accounts = (0..<40).map { String(format: "1000000000%02d", $0) }

    @Test(arguments: [2, 3, 5, 8])
    func addingFilesAndAccountsNeverMovesAnAccount(shards: Int) throws {
        // Night 1: 40 accounts, 3 days each, one account much heavier than the others (a load cap would push others away).
        let night1 = Self.accounts.enumerated().flatMap { i, a in
            (1...3).map { Self.file(a, day: $0, org: i % 2 == 0, size: i == 0 ? 5_000_000 : 1000 + Int64(i)) }
        }
        let before = try Self.plan(night1, shards: shards)
        // Night 2: two more days for every account, 20 new accounts, and the heavy account ten times heavier.
        let newAccounts = (0..<20).map { String(format: "2000000000%02d", $0) }
        let night2 = night1 + (Self.accounts + newAccounts).enumerated().flatMap { i, a in
            (4...5).map { Self.file(a, day: $0, region: i % 3 == 0 ? "eu-west-1" : "us-east-1", size: i == 0 ? 50_000_000 : 700) }
        }
        let after = try Self.plan(night2, shards: shards)
        for a in Self.accounts {
            #expect(before[a] == after[a], "account \(a) moved from shard \(before[a] ?? -1) to \(after[a] ?? -1)")
            #expect(after[a] == ShardAssigner.stableShard(ofKey: a, shardCount: shards))
        }
        for a in newAccounts { #expect(after[a] == ShardAssigner.stableShard(ofKey: a, shardCount: shards)) }
        // Every shard gets some of the 60 accounts (plain hashing balances on average).
        #expect(Set(after.values).count == shards)
    }

    @Test func anAccountsShardDependsOnlyOnItsIdAndN() {
        // Pinned values: the hash must be the same on every machine and in every version (state files depend on it).
        #expect(ShardAssigner.stableShard(ofKey: "111122223333", shardCount: 1) == 0)
        let twice = (2...9).map { n in ShardAssigner.stableShard(ofKey: "111122223333", shardCount: n) }
        #expect(twice == (2...9).map { n in ShardAssigner.stableShard(ofKey: "111122223333", shardCount: n) })
        #expect(twice.enumerated().allSatisfy { $0.element < $0.offset + 2 })
    }

    @Test func filesOutsideTheLayoutAreKeptByFolder() {
        let org = Self.file("444455556666", day: 2, org: true)
        #expect(ShardUnit.account.key(of: org, relativePath: String(org.path.dropFirst(6))) == "444455556666")
        let loose = LogFile(path: "/arch/exports/june/events.json")
        #expect(ShardUnit.account.key(of: loose, relativePath: "exports/june/events.json") == "dir:exports/june")
        let top = LogFile(path: "/arch/events.json")
        #expect(ShardUnit.account.key(of: top, relativePath: "events.json") == "dir:.")
        // A CloudTrail file name carries its account even outside the layout.
        let named = LogFile(path: "/arch/dump/111122223333_CloudTrail_us-east-1_20250602T0100Z_abc.json.gz")
        #expect(ShardUnit.account.key(of: named, relativePath: "dump/111122223333_CloudTrail_us-east-1_20250602T0100Z_abc.json.gz") == "111122223333")
    }
}

import Foundation

/// Which files each of N shards reads (`agenttrail plan`): a deterministic JSON document made from one walk of the
/// inputs, balanced by compressed bytes and stable when files are added (`ShardAssigner`).
///
/// Files are stored by the index of the root they were found under (a PATH given to `plan`) and their path below
/// it, so a worker that has the archive somewhere else names its own roots (`scan --plan P --shard K ROOT...`).
/// The walk's own counts (digest, Insight and out-of-range files skipped, links leaving a root, paths that could
/// not be visited) belong to shard 0 only, so that merging every shard counts them once.
public struct ShardPlan: Codable, Sendable, Hashable {
    /// `"agenttrail-plan"`.
    public var format = ShardPlan.formatName
    /// The plan format's version (`ShardPlan.currentVersion`).
    public var version = ShardPlan.currentVersion
    /// The number of shards (N).
    public var shardCount: Int
    /// What each shard keeps together.
    public var by: ShardUnit
    /// The paths given to `plan`, in order.
    public var roots: [String]
    /// The input filters the plan was made with (a scan of the plan applies them to records too).
    public var filter: Filter
    /// What the walk skipped (reported by shard 0).
    public var walk: WalkCounts
    /// The shards, by index.
    public var shards: [Shard]

    public static let formatName = "agenttrail-plan"
    public static let currentVersion = 1

    /// `--account`, `--region`, `--since`, `--until` (milliseconds since 1970).
    public struct Filter: Codable, Sendable, Hashable {
        public var accounts: [String]
        public var regions: [String]
        public var since: Int64?
        public var until: Int64?

        public init(_ filter: PathFilter) {
            accounts = filter.accounts.sorted()
            regions = filter.regions.sorted()
            since = filter.since?.millisecondsSince1970
            until = filter.until?.millisecondsSince1970
        }

        /// The path filter (and record time range) these values make.
        public var pathFilter: PathFilter {
            PathFilter(accounts: Set(accounts), regions: Set(regions),
                       since: since.map(Instant.init(millisecondsSince1970:)),
                       until: until.map(Instant.init(millisecondsSince1970:)))
        }
    }

    /// The walk's counts and problems, as `WalkResult` has them.
    public struct WalkCounts: Codable, Sendable, Hashable {
        public var skippedDigest = 0
        public var skippedInsight = 0
        public var skippedOutOfRange = 0
        public var skippedOutsideRoot: [String] = []
        public var failures: [Failure] = []

        /// A path the walk could not visit.
        public struct Failure: Codable, Sendable, Hashable {
            /// `InputError.Code`'s raw value.
            public var code: String
            public var message: String
            public var path: String
            /// Compressed byte offset, when known.
            public var offset: Int64?
        }
    }

    /// One shard: its files and their compressed bytes.
    public struct Shard: Codable, Sendable, Hashable {
        /// K, from 0.
        public var index: Int
        /// The compressed bytes of its files.
        public var bytes: Int64
        /// Its files, sorted by root and path.
        public var files: [File]
    }

    /// A file of a shard: the root it was found under (index into `roots`) and its path below it ("" when the root
    /// is the file itself), with its size at planning time.
    public struct File: Codable, Sendable, Hashable {
        /// Index into `roots` (-1: found below none of them; `path` is then the whole path).
        public var root: Int
        /// The path below the root ("" when the root is the file).
        public var path: String
        /// Size in bytes when planned.
        public var size: Int64
    }

    /// Plans `walk` (of `roots`, with `filter`) into `shardCount` shards of units `by`.
    public init(walk: WalkResult, roots: [String], filter: PathFilter, shardCount: Int, by: ShardUnit) throws {
        guard shardCount >= 1 else { throw ShardPlanError(.badShard, "--shards must be at least 1, not \(shardCount)") }
        if walk.files.contains(where: \.isStandardInput) || roots.contains("-") {
            throw ShardPlanError(.standardInput, "standard input (-) cannot be split into shards; save it to a file first")
        }
        self.shardCount = shardCount
        self.by = by
        self.roots = roots
        self.filter = Filter(filter)
        self.walk = WalkCounts(skippedDigest: walk.skippedDigest, skippedInsight: walk.skippedInsight,
                               skippedOutOfRange: walk.skippedOutOfRange, skippedOutsideRoot: walk.skippedOutsideRoot,
                               failures: walk.failures.map {
                                   WalkCounts.Failure(code: $0.code.rawValue, message: $0.message, path: $0.path, offset: $0.offset)
                               })
        let placed = walk.files.map { file -> (File, String) in
            let (root, relative) = ShardPlan.locate(file.path, roots: roots)
            let key = by.key(of: file, relativePath: relative.isEmpty ? file.path : relative)
            return (File(root: root, path: relative, size: file.size), key)
        }
        var weights: [String: Int64] = [:]
        for (file, key) in placed { weights[key, default: 0] += max(1, file.size) }
        let units = weights.keys.sorted().map { ShardAssigner.Unit(key: $0, weight: weights[$0]!) }
        let assigned = by.isStable ? units.map { ShardAssigner.stableShard(ofKey: $0.key, shardCount: shardCount) }
            : ShardAssigner.assign(units, shardCount: shardCount)
        var shardOf: [String: Int] = [:]
        for (unit, shard) in zip(units, assigned) { shardOf[unit.key] = shard }
        var shards = (0..<shardCount).map { Shard(index: $0, bytes: 0, files: []) }
        for (file, key) in placed {
            let s = shardOf[key]!
            shards[s].files.append(file)
            shards[s].bytes += file.size
        }
        for i in shards.indices { shards[i].files.sort { ($0.root, $0.path) < ($1.root, $1.path) } }
        self.shards = shards
    }

    /// The root `path` was found under (the first that holds it) and its path below it.
    static func locate(_ path: String, roots: [String]) -> (Int, String) {
        for (i, root) in roots.enumerated() {
            if path == root { return (i, "") }
            let prefix = root.hasSuffix("/") ? root : root + "/"
            if path.hasPrefix(prefix) { return (i, String(path.dropFirst(prefix.count))) }
        }
        return (-1, path)  // (not below any root: kept as found)
    }

    /// The walk of shard `index`: its files (under `roots`, default the plan's own) and, for shard 0, the walk's
    /// counts and problems.
    public func walk(forShard index: Int, roots given: [String]? = nil) throws -> WalkResult {
        guard index >= 0, index < shardCount else {
            throw ShardPlanError(.badShard, "shard \(index) does not exist: the plan has shards 0 to \(shardCount - 1)")
        }
        let here = given ?? roots
        guard here.count == roots.count else {
            throw ShardPlanError(.rootsMismatch, "the plan was made of \(roots.count) path(s) (\(roots.joined(separator: ", "))); "
                                 + "give as many, in the same order, naming where they are on this machine (\(here.count) given)")
        }
        var result = WalkResult()
        result.files = shards[index].files.map { f in
            let path: String
            if f.root < 0 { path = f.path } else if f.path.isEmpty { path = here[f.root] } else {
                let root = here[f.root]
                path = (root.hasSuffix("/") ? root : root + "/") + f.path
            }
            return LogFile(path: path, size: f.size)
        }
        result.filesListed = result.files.count
        if index == 0 {
            result.skippedDigest = walk.skippedDigest
            result.skippedInsight = walk.skippedInsight
            result.skippedOutOfRange = walk.skippedOutOfRange
            result.skippedOutsideRoot = walk.skippedOutsideRoot
            result.failures = walk.failures.map {
                InputError(InputError.Code(rawValue: $0.code) ?? .unreadable, $0.message, path: $0.path, offset: $0.offset)
            }
        }
        return result
    }

    /// The plan as pretty, key-sorted JSON (the same bytes for the same walk).
    public var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { $0 + Data("\n".utf8) } ?? Data()
    }

    /// Reads a plan file; an unreadable file, another format or version is an error naming it.
    public static func read(path: String) throws -> ShardPlan {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShardPlanError(.badPlan, "cannot read the plan file", path: path)
        }
        struct Head: Decodable { var format: String?; var version: Int? }
        guard let head = try? JSONDecoder().decode(Head.self, from: data), head.format == formatName else {
            throw ShardPlanError(.badPlan, "not an agenttrail plan (made by `agenttrail plan`)", path: path)
        }
        guard head.version == currentVersion else {
            throw ShardPlanError(.badPlan, "plan format version \(head.version.map(String.init) ?? "?"); "
                                 + "this agenttrail reads version \(currentVersion)", path: path)
        }
        do {
            let plan = try JSONDecoder().decode(ShardPlan.self, from: data)
            guard plan.shards.count == plan.shardCount, plan.shards.indices.allSatisfy({ plan.shards[$0].index == $0 }),
                  plan.shards.allSatisfy({ $0.files.allSatisfy { $0.root < plan.roots.count } }) else {
                throw ShardPlanError(.badPlan, "inconsistent plan (shard list or roots do not match)", path: path)
            }
            return plan
        } catch let e as ShardPlanError {
            throw e
        } catch {
            throw ShardPlanError(.badPlan, "damaged plan: \(error)", path: path)
        }
    }
}

extension ShardPlan {
    /// A one-line summary per shard (`plan`'s report on standard error).
    public var overview: String {
        let total = shards.reduce(Int64(0)) { $0 + $1.bytes }
        var out = "\(shards.reduce(0) { $0 + $1.files.count }) files, \(total) bytes in \(shardCount) shard(s) by \(by.rawValue)\n"
        for s in shards { out += "  shard \(s.index): \(s.files.count) files, \(s.bytes) bytes\n" }
        return out
    }
}

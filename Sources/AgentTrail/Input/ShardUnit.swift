/// What a shard plan keeps together (`agenttrail plan --by`): one file, every file of a UTC day, or every file of
/// an account, region and day (an S3 prefix `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`, which a worker can
/// sync on its own), or every file of an account (`AWSLogs/[o-xxxx/]<account>/`: the unit of nightly shards, whose
/// state files hold per-principal baselines, and principals belong to accounts).
public enum ShardUnit: String, Sendable, Hashable, CaseIterable, Codable {
    case file
    case day
    case accountRegionDay = "account-region-day"
    case account

    /// Whether units are placed by plain rendezvous hashing (`ShardAssigner.stableShard`): a unit's shard is a pure
    /// function of its key and N, whatever else is in the input (no load cap). True for `account`, the unit of
    /// nightly shards: an account's baselines must stay in the same state file night after night.
    public var isStable: Bool { self == .account }

    /// The key of the unit `file` belongs to; `relativePath` is its path below the root it was found under. Keys are
    /// made from the path alone, so they are the same on every machine and in every walk.
    public func key(of file: LogFile, relativePath: String) -> String {
        switch self {
        case .file:
            return relativePath
        case .day:
            return ShardUnit.day(of: file)
        case .accountRegionDay:
            return (file.account ?? "-") + "/" + (file.region ?? "-") + "/" + ShardUnit.day(of: file)
        case .account:
            return ShardUnit.account(of: file, relativePath: relativePath)
        }
    }

    /// The account key of a file: its account id (from the `AWSLogs/[o-xxxx/]<account>/CloudTrail/...` layout or the
    /// CloudTrail file name), else `dir:` and the folder of its path below its root (`dir:.` for a file directly in
    /// the root), so files outside the layout stay together by folder and keep their shard when files are added.
    public static func account(of file: LogFile, relativePath: String) -> String {
        if let account = file.account { return account }
        guard let slash = relativePath.lastIndex(of: "/") else { return "dir:." }
        return "dir:" + relativePath[..<slash]
    }

    /// `YYYY-MM-DD` of the file's folder day, else of its name's time stamp; `undated` when it has neither.
    static func day(of file: LogFile) -> String {
        let name = file.name
        guard let day = name.folderDay ?? name.nameTime else { return "undated" }
        return String(day.iso8601.prefix(10))
    }
}

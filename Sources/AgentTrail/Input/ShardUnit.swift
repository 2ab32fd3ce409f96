/// What a shard plan keeps together (`agenttrail plan --by`): one file, every file of a UTC day, or every file of
/// an account, region and day (an S3 prefix `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/`, which a worker can
/// sync on its own).
public enum ShardUnit: String, Sendable, Hashable, CaseIterable, Codable {
    case file
    case day
    case accountRegionDay = "account-region-day"

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
        }
    }

    /// `YYYY-MM-DD` of the file's folder day, else of its name's time stamp; `undated` when it has neither.
    static func day(of file: LogFile) -> String {
        let name = file.name
        guard let day = name.folderDay ?? name.nameTime else { return "undated" }
        return String(day.iso8601.prefix(10))
    }
}

/// Which files a walk keeps, decided from paths alone (before any file is opened).
///
/// Records carry `eventTime <= delivery time`, and CloudTrail delivers a file within minutes of its
/// last event. So a file stamped before `since` (a stamp has minute precision, so `stamp + 1 min <= since`)
/// cannot hold a record at or after `since`, and a file delivered later than `until + deliveryMargin`
/// is assumed to hold nothing up to `until`. Callers still filter records by `eventTime`.
/// Directories are pruned by layout: account, region, and `YYYY[/MM[/DD]]` folders whose dates lie
/// wholly outside `[since - 1 day, until + deliveryMargin]`. Files without layout or name
/// information are never pruned.
public struct PathFilter: Sendable, Hashable {
    /// Accounts to keep (empty: all).
    public var accounts: Set<String>
    /// Regions to keep (empty: all).
    public var regions: Set<String>
    /// Keep files that may hold records at or after this time.
    public var since: Instant?
    /// Keep files that may hold records at or before this time.
    public var until: Instant?
    /// How long after `until` a file may be delivered and still hold records up to `until`, in seconds.
    public var deliveryMarginSeconds: Int64

    public init(accounts: Set<String> = [], regions: Set<String> = [], since: Instant? = nil, until: Instant? = nil,
                deliveryMarginSeconds: Int64 = 3600) {
        self.accounts = accounts
        self.regions = regions
        self.since = since
        self.until = until
        self.deliveryMarginSeconds = deliveryMarginSeconds
    }

    /// Keeps everything.
    public static let all = PathFilter()

    /// True when the filter can reject anything.
    public var isRestrictive: Bool { !accounts.isEmpty || !regions.isEmpty || since != nil || until != nil }

    /// True when `file` may hold wanted records (standard input and files without layout info always do).
    public func admits(_ file: LogFile) -> Bool {
        if file.isStandardInput { return true }
        guard admits(account: file.account, region: file.region) else { return false }
        if since == nil && until == nil { return true }
        let name = LogFileName(path: file.path)
        if let stamp = name.nameTime {
            if let since, stamp.adding(seconds: 60) <= since { return false }
            if let latest { return stamp <= latest }
            return true
        }
        if let day = name.folderDay { return overlaps(start: day, end: day.adding(seconds: 86_400)) }
        return true
    }

    /// True when a directory at this layout position may contain wanted files.
    func admits(directory layout: ArchiveLayout) -> Bool {
        guard admits(account: layout.account, region: layout.region) else { return false }
        if let interval = layout.dateInterval { return overlaps(start: interval.start, end: interval.end) }
        return true
    }

    private func admits(account: String?, region: String?) -> Bool {
        if let account, !accounts.isEmpty, !accounts.contains(account) { return false }
        if let region, !regions.isEmpty, !regions.contains(region) { return false }
        return true
    }

    private var latest: Instant? { until?.adding(seconds: deliveryMarginSeconds) }

    /// Whether folder dates `[start, end)` meet `[since - 1 day, until + margin]`.
    private func overlaps(start: Instant, end: Instant) -> Bool {
        if let since, end <= since.adding(seconds: -86_400) { return false }
        if let latest, start > latest { return false }
        return true
    }
}

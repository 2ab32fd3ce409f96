/// The time span the logs cover: overall and per account and region, with the hours for which no log file exists.
public struct EvidenceWindow: Sendable, Hashable {
    /// One account and region.
    public struct Slice: Sendable, Hashable {
        public var account: String
        public var region: String
        public var first: Instant?
        public var last: Instant?
        public var records: Int
        /// Log files of this account and region (from the archive layout).
        public var files: Int
        /// Periods of an hour or more between delivered files with no file at all, longest first.
        public var gaps: [Gap]
        public var days: Int { EvidenceWindow.days(first, last) }
    }

    /// Hours `[start, end)` without any log file.
    public struct Gap: Sendable, Hashable {
        public var start: Instant
        public var end: Instant
        public var hours: Int { Int((end.millisecondsSince1970 - start.millisecondsSince1970) / 3_600_000) }
    }

    public var first: Instant?
    public var last: Instant?
    /// Per account and region, sorted.
    public var slices: [Slice]
    /// The configured minimum (`minimumEvidenceDays`).
    public var minimumDays: Int

    /// Whole or started days from first to last event (0 when there are none).
    public var days: Int { EvidenceWindow.days(first, last) }
    /// True when the window is shorter than `minimumDays`.
    public var isShort: Bool { days < minimumDays }

    /// `floor((last - first) / 1 day) + 1`, the convention of `unused-granted-action`.
    public static func days(_ first: Instant?, _ last: Instant?) -> Int {
        guard let first, let last else { return 0 }
        return Int((last.millisecondsSince1970 - first.millisecondsSince1970) / 86_400_000) + 1
    }

    /// Builds the window from per-region activity (`account|region` keys) and the walked log files.
    public init(activity: [String: RegionActivity], files: [LogFile], minimumDays: Int) {
        let delivered = EvidenceFiles(files)
        self.init(activity: activity, files: delivered, minimumDays: minimumDays)
    }

    /// Builds the window from per-region activity and the delivery hours and counts of the log files.
    public init(activity: [String: RegionActivity], files delivered: EvidenceFiles, minimumDays: Int) {
        let hoursByKey = delivered.hours, fileCount = delivered.counts
        var slices: [Slice] = []
        for key in Set(activity.keys).union(hoursByKey.keys).sorted() {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let act = activity[key] ?? RegionActivity()
            slices.append(Slice(account: parts[0], region: parts.count > 1 ? parts[1] : "-", first: act.first, last: act.last,
                                records: act.records, files: fileCount[key] ?? 0,
                                gaps: EvidenceWindow.gaps(hoursByKey[key] ?? [])))
        }
        self.slices = slices
        self.first = activity.values.compactMap(\.first).min()
        self.last = activity.values.compactMap(\.last).max()
        self.minimumDays = minimumDays
    }

    /// Runs of hours without a file between the first and last hour that has one, longest first then earliest.
    static func gaps(_ hours: Set<Int64>) -> [Gap] {
        let sorted = hours.sorted()
        var out: [Gap] = []
        for (a, b) in zip(sorted, sorted.dropFirst()) where b - a > 1 {
            out.append(Gap(start: Instant(millisecondsSince1970: (a + 1) * 3_600_000),
                           end: Instant(millisecondsSince1970: b * 3_600_000)))
        }
        return out.sorted { $0.hours != $1.hours ? $0.hours > $1.hours : $0.start < $1.start }
    }

    /// The slices of the given accounts (all when empty).
    public func slices(accounts: Set<String>) -> [Slice] {
        accounts.isEmpty ? slices : slices.filter { accounts.contains($0.account) }
    }
}

/// Per `account|region`: the hours in which log files were delivered and how many files: what `EvidenceWindow` needs
/// of the walked files. Mergeable (union, sum), so shards of a review each give theirs (`PartialFile`).
public struct EvidenceFiles: Sendable, Hashable, Codable {
    /// Hour indexes (hours since 1970) with at least one file.
    public var hours: [String: Set<Int64>] = [:]
    public var counts: [String: Int] = [:]

    public init() {}

    /// The records files among `files` that name their account, region and delivery time.
    public init(_ files: [LogFile]) {
        for f in files where f.kind == .records {
            guard let a = f.account, let r = f.region, let t = f.deliveryTime else { continue }
            let key = a + "|" + r
            hours[key, default: []].insert(t.hourFloor.millisecondsSince1970 / 3_600_000)
            counts[key, default: 0] += 1
        }
    }

    public mutating func merge(_ o: EvidenceFiles) {
        for (k, v) in o.hours { hours[k, default: []].formUnion(v) }
        for (k, v) in o.counts { counts[k, default: 0] += v }
    }
}

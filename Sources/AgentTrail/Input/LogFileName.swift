/// What a path says about a CloudTrail file, parsed from text only.
///
/// Understands the S3 layout
/// `[prefix/]AWSLogs/[o-xxxxxxxxxx/]<account>/CloudTrail[-Digest|-Insight]/<region>/YYYY/MM/DD/<file>`
/// and file names `<account>_CloudTrail[-Digest|-Insight]_<region>_..._<YYYYMMDDTHHMM[SS]Z>[_<unique>].json.gz`,
/// inside or outside that layout (a prefix before the account id, as in `fixture-<account>_CloudTrail_...`,
/// is tolerated).
public struct LogFileName: Sendable, Hashable {
    /// Digest or Insight when the folder or the name says so, otherwise records.
    public var kind: LogFile.Kind = .records
    public var account: String?
    public var region: String?
    public var orgId: String?
    /// The time stamp in the file name.
    public var nameTime: Instant?
    /// The `YYYY/MM/DD` folder date (start of that UTC day).
    public var folderDay: Instant?
    /// True when the path runs through `AWSLogs/<account>/CloudTrail*/`.
    public var isInLayout: Bool = false
    /// True when the file name has the CloudTrail `<account>_CloudTrail..._<region>_` form.
    public var hasCloudTrailName: Bool = false

    /// The best delivery time known: the file-name stamp, else the folder day.
    public var deliveryTime: Instant? { nameTime ?? folderDay }

    /// Parses `path` (never touches the file system).
    public init(path: String) {
        let components = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map { Substring($0) }
        // (No components: nothing to learn; an empty folder and name give the defaults.)
        self.init(folder: ArchiveLayout(components: components.dropLast()), fileName: components.last ?? "")
    }

    /// A file named `fileName` in a folder whose layout is known (the walker parses each folder once, not once per
    /// file); the same result as `init(path:)` for that folder's path plus the name.
    init(folder layout: ArchiveLayout, fileName: Substring) {
        if layout.account != nil, layout.kind != nil {
            isInLayout = true
            orgId = layout.orgId
            account = layout.account
            region = layout.region
            kind = layout.kind ?? .records
            folderDay = layout.day
        }
        if let parsed = CloudTrailFileName(fileName) {
            hasCloudTrailName = true
            account = account ?? parsed.account
            region = region ?? parsed.region
            if kind == .records { kind = parsed.kind }
            nameTime = parsed.time
        }
    }
}

/// A CloudTrail file name: `<account>_CloudTrail[-Digest|-Insight]_<region>_<tokens...>`.
struct CloudTrailFileName {
    var account: String
    var kind: LogFile.Kind
    var region: String
    var time: Instant?

    private static let markers: [(StaticString, LogFile.Kind)] = [
        ("_CloudTrail_", .records), ("_CloudTrail-Digest_", .digest), ("_CloudTrail-Insight_", .insight),
    ]
    private static let extensions: [StaticString] = [".json.gz", ".jsonl.gz", ".ndjson.gz", ".json", ".jsonl", ".ndjson", ".gz"]

    init?<S: StringProtocol>(_ name: S) {
        // (On the name's bytes in place: splitting into substrings and arrays cost ~14 k instructions a file, paid
        // for every file of an archive of tiny files.)
        let parsed = name.utf8.withContiguousStorageIfAvailable { CloudTrailFileName.parse($0) }
            ?? Array(name.utf8).withUnsafeBufferPointer { CloudTrailFileName.parse($0) }
        guard let parsed else { return nil }
        self = parsed
    }

    private init(account: String, kind: LogFile.Kind, region: String, time: Instant?) {
        self.account = account
        self.kind = kind
        self.region = region
        self.time = time
    }

    /// The name's parts: the first known extension removed once; the first marker found decides (the 12 digits
    /// before it, not preceded by another digit, are the account); the first `_`-separated token after it must be
    /// a region; the first later token that is a time stamp is the time.
    private static func parse(_ u: UnsafeBufferPointer<UInt8>) -> CloudTrailFileName? {
        guard let p = u.baseAddress else { return nil }
        var end = u.count
        for ext in extensions {
            let n = ext.utf8CodeUnitCount
            guard end >= n, JSONScan.equals(p, end - n, end, ext) else { continue }
            end -= n
            break
        }
        for (marker, kind) in markers {
            guard let at = firstIndex(of: marker, in: p, end) else { continue }
            guard at >= 12, (at - 12..<at).allSatisfy({ isDigitByte(p[$0]) }), at == 12 || !isDigitByte(p[at - 13])
            else { return nil }
            var i = at + marker.utf8CodeUnitCount
            var tokenEnd = i
            while tokenEnd < end && p[tokenEnd] != UInt8(ascii: "_") { tokenEnd += 1 }
            let region = UnsafeBufferPointer(start: p + i, count: tokenEnd - i)
            guard ArchiveLayout.isRegion(bytes: region) else { return nil }
            var time: Instant?
            while time == nil && tokenEnd < end {
                i = tokenEnd + 1
                tokenEnd = i
                while tokenEnd < end && p[tokenEnd] != UInt8(ascii: "_") { tokenEnd += 1 }
                time = parseStamp(UnsafeBufferPointer(start: p + i, count: tokenEnd - i))
            }
            return CloudTrailFileName(account: String(decoding: UnsafeBufferPointer(start: p + (at - 12), count: 12), as: UTF8.self),
                                      kind: kind, region: String(decoding: region, as: UTF8.self), time: time)
        }
        return nil
    }

    /// Where `marker` first occurs in `p[..<n]`.
    private static func firstIndex(of marker: StaticString, in p: UnsafePointer<UInt8>, _ n: Int) -> Int? {
        let m = marker.utf8CodeUnitCount
        guard m > 0, n >= m else { return nil }
        let first = marker.utf8Start[0]
        for i in 0...(n - m) where p[i] == first && JSONScan.equals(p, i, i + m, marker) { return i }
        return nil
    }

    /// `YYYYMMDDTHHMMZ` or `YYYYMMDDTHHMMSSZ`.
    static func parseStamp(_ u: UnsafeBufferPointer<UInt8>) -> Instant? {
        guard u.count == 14 || u.count == 16, u[8] == UInt8(ascii: "T"), u[u.count - 1] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let d = Int(u[i]) - 48
                guard (0...9).contains(d) else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let y = number(0..<4), let mo = number(4..<6), let d = number(6..<8),
              let h = number(9..<11), let mi = number(11..<13) else { return nil }
        let s = u.count == 16 ? number(13..<15) : 0
        guard let s else { return nil }
        return Instant(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }
}

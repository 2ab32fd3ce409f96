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
    private static let extensions = [".json.gz", ".jsonl.gz", ".ndjson.gz", ".json", ".jsonl", ".ndjson", ".gz"]

    init?<S: StringProtocol>(_ name: S) {
        var stem = Substring(name)
        // (Compared on bytes: `hasSuffix` on characters cost more than the rest of the parse.)
        for ext in CloudTrailFileName.extensions {
            let n = ext.utf8.count
            guard stem.utf8.count >= n, stem.utf8.suffix(n).elementsEqual(ext.utf8) else { continue }
            stem = stem[..<stem.utf8.index(stem.endIndex, offsetBy: -n)]
            break
        }
        for (marker, kind) in CloudTrailFileName.markers {
            guard let range = stem.utf8Range(of: marker) else { continue }
            let before = stem[..<range.lowerBound].utf8
            let account = before.suffix(12)
            guard account.count == 12, account.allSatisfy(isDigitByte),
                  before.dropLast(12).last.map({ !isDigitByte($0) }) ?? true
            else { return nil }
            let tokens = stem[range.upperBound...].utf8.split(separator: UInt8(ascii: "_"), omittingEmptySubsequences: false)
                .map { Substring($0) }
            guard let region = tokens.first, ArchiveLayout.isRegion(region) else { return nil }
            self.account = String(Substring(account))
            self.kind = kind
            self.region = String(region)
            self.time = tokens.dropFirst().lazy.compactMap(CloudTrailFileName.parseStamp).first
            return
        }
        return nil
    }

    /// `YYYYMMDDTHHMMZ` or `YYYYMMDDTHHMMSSZ`.
    static func parseStamp(_ token: Substring) -> Instant? {
        let u = Array(token.utf8)
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

extension Character {
    /// `0`–`9` only (cheap: no Unicode property lookup).
    var isASCIIDigit: Bool {
        guard let v = asciiValue else { return false }
        return v >= 48 && v <= 57
    }
}

extension Substring {
    /// Byte-wise search for an ASCII marker (no Foundation, no grapheme breaking).
    func utf8Range(of marker: StaticString) -> Range<Substring.Index>? {
        let m = UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount)
        let u = self.utf8
        guard m.count > 0, u.count >= m.count else { return nil }
        var i = u.startIndex
        let last = u.index(u.endIndex, offsetBy: -m.count)
        while true {
            if u[i] == m[0] {
                var j = u.index(after: i)
                var k = 1
                while k < m.count && u[j] == m[k] { j = u.index(after: j); k += 1 }
                if k == m.count { return i..<j }
            }
            if i == last { return nil }
            i = u.index(after: i)
        }
    }
}

/// The position of a directory (or a file's folder) inside the CloudTrail S3 layout
/// `AWSLogs/[o-xxxxxxxxxx/]<account>/CloudTrail[-Digest|-Insight]/<region>/YYYY/MM/DD`.
///
/// Fields are filled as far as the path goes and stop at the first component that does not fit.
struct ArchiveLayout: Hashable {
    var orgId: String?
    var account: String?
    var kind: LogFile.Kind?
    var region: String?
    var year: Int?
    var month: Int?
    /// Start of the `YYYY/MM/DD` day.
    var day: Instant?

    init<C: Collection>(components: C) where C.Element: StringProtocol {
        let parts = Array(components)
        guard let root = parts.lastIndex(where: { $0 == "AWSLogs" }) else { return }
        var i = root + 1
        func next() -> C.Element? { i < parts.count ? parts[i] : nil }
        if let org = next(), ArchiveLayout.isOrgId(org) { orgId = String(org); i += 1 }
        guard let acct = next(), acct.utf8.count == 12, acct.utf8.allSatisfy(isDigitByte) else { orgId = nil; return }
        account = String(acct); i += 1
        guard let service = next() else { return }
        switch service {
        case "CloudTrail": kind = .records
        case "CloudTrail-Digest": kind = .digest
        case "CloudTrail-Insight": kind = .insight
        default: return
        }
        i += 1
        guard let reg = next(), ArchiveLayout.isRegion(bytes: reg.utf8) else { return }
        region = String(reg); i += 1
        guard let y = next().flatMap({ ArchiveLayout.digits($0, count: 4) }) else { return }
        year = y; i += 1
        guard let m = next().flatMap({ ArchiveLayout.digits($0, count: 2) }), (1...12).contains(m) else { return }
        month = m; i += 1
        guard let d = next().flatMap({ ArchiveLayout.digits($0, count: 2) }),
              let dayStart = Instant(year: y, month: m, day: d) else { return }
        day = dayStart
    }

    /// The UTC interval `[start, end)` the folder covers by date, when it is at least a year folder.
    var dateInterval: (start: Instant, end: Instant)? {
        guard let year else { return nil }
        if let day { return (day, day.adding(seconds: 86_400)) }
        if let month, let start = Instant(year: year, month: month, day: 1),
           let end = month == 12 ? Instant(year: year + 1, month: 1, day: 1) : Instant(year: year, month: month + 1, day: 1) {
            return (start, end)
        }
        guard let start = Instant(year: year, month: 1, day: 1), let end = Instant(year: year + 1, month: 1, day: 1)
        else { return nil }
        return (start, end)
    }

    /// `o-` followed by 10 to 32 lowercase letters or digits.
    static func isOrgId<S: StringProtocol>(_ s: S) -> Bool {
        let u = s.utf8
        guard u.count >= 12, u.count <= 34, u.first == UInt8(ascii: "o"), u.dropFirst().first == UInt8(ascii: "-") else { return false }
        return u.dropFirst(2).allSatisfy { isLowerByte($0) || isDigitByte($0) }
    }

    /// An AWS region name such as `us-east-1`, `eu-central-2`, `us-gov-west-1`, given as its UTF-8 bytes.
    static func isRegion<C: Sequence<UInt8>>(bytes: C) -> Bool {
        // Three or more `-`-separated parts, each non-empty: lowercase letters, and digits in the last one
        // (`us-east-1`, `us-gov-west-1`). One pass over the bytes: splitting made an array per call, and this runs
        // for every file and folder.
        var completed = 0, length = 0, allLower = true, allDigits = true
        for b in bytes {
            if b == UInt8(ascii: "-") {
                guard length > 0, allLower else { return false }
                completed += 1
                length = 0
                allLower = true
                allDigits = true
            } else {
                length += 1
                if !isLowerByte(b) { allLower = false }
                if !isDigitByte(b) { allDigits = false }
                if !allLower && !allDigits { return false }
            }
        }
        return completed >= 2 && length > 0 && allDigits
    }

    static func digits<S: StringProtocol>(_ s: S, count: Int) -> Int? {
        guard s.utf8.count == count else { return nil }
        var v = 0
        for b in s.utf8 {
            guard isDigitByte(b) else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }
}

@inline(__always) func isDigitByte(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
@inline(__always) func isLowerByte(_ b: UInt8) -> Bool { b >= 97 && b <= 122 }

extension ArchiveLayout {
}

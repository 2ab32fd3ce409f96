import Testing
@testable import AgentTrail

private func at(_ text: String) -> Instant {
    let c = text.split { !$0.isNumber }.map { Int($0)! }
    return Instant(year: c[0], month: c[1], day: c[2], hour: c[3], minute: c[4])!
}

private func path(account: String = "111122223333", region: String = "us-east-1", stamp: String) -> String {
    // stamp "2025-07-14 18:05"
    let c = stamp.split { !$0.isNumber }
    let s = "\(c[0])\(c[1])\(c[2])T\(c[3])\(c[4])Z"
    return "AWSLogs/\(account)/CloudTrail/\(region)/\(c[0])/\(c[1])/\(c[2])/\(account)_CloudTrail_\(region)_\(s)_u.json.gz"
}

struct FilterCase: CustomTestStringConvertible, Sendable {
    var name: String
    var filter: PathFilter
    var path: String
    var admitted: Bool
    var testDescription: String { name }
}

@Suite struct PathFilterTests {
    static let window = PathFilter(since: at("2025-07-14 10:00"), until: at("2025-07-14 12:00"))

    static let cases: [FilterCase] = [
        FilterCase(name: "no filter keeps all", filter: .all, path: path(stamp: "2001-01-01 00:00"), admitted: true),
        FilterCase(name: "account kept", filter: PathFilter(accounts: ["111122223333"]), path: path(stamp: "2025-07-14 10:00"), admitted: true),
        FilterCase(name: "account dropped", filter: PathFilter(accounts: ["999988887777"]), path: path(stamp: "2025-07-14 10:00"), admitted: false),
        FilterCase(name: "region kept", filter: PathFilter(regions: ["us-east-1", "eu-west-1"]), path: path(stamp: "2025-07-14 10:00"), admitted: true),
        FilterCase(name: "region dropped", filter: PathFilter(regions: ["eu-west-1"]), path: path(stamp: "2025-07-14 10:00"), admitted: false),
        FilterCase(name: "inside window", filter: window, path: path(stamp: "2025-07-14 11:00"), admitted: true),
        FilterCase(name: "delivered well before since", filter: window, path: path(stamp: "2025-07-14 09:30"), admitted: false),
        FilterCase(name: "stamp one minute before since", filter: window, path: path(stamp: "2025-07-14 09:59"), admitted: false),
        FilterCase(name: "stamp equal to since (delivered within the minute)", filter: window, path: path(stamp: "2025-07-14 10:00"), admitted: true),
        FilterCase(name: "delivered within margin after until", filter: window, path: path(stamp: "2025-07-14 12:55"), admitted: true),
        FilterCase(name: "delivered exactly at until+margin", filter: window, path: path(stamp: "2025-07-14 13:00"), admitted: true),
        FilterCase(name: "delivered after until+margin", filter: window, path: path(stamp: "2025-07-14 13:01"), admitted: false),
        FilterCase(name: "zero margin", filter: PathFilter(until: at("2025-07-14 12:00"), deliveryMarginSeconds: 0),
                   path: path(stamp: "2025-07-14 12:05"), admitted: false),
        FilterCase(name: "since only", filter: PathFilter(since: at("2025-07-14 10:00")), path: path(stamp: "2030-01-01 00:00"), admitted: true),
        FilterCase(name: "until only", filter: PathFilter(until: at("2025-07-14 10:00")), path: path(stamp: "2001-01-01 00:00"), admitted: true),
        FilterCase(name: "no layout info never pruned", filter: PathFilter(accounts: ["999988887777"], since: at("2030-01-01 00:00")),
                   path: "downloads/export.json.gz", admitted: true),
        FilterCase(name: "bare name pruned by account", filter: PathFilter(accounts: ["999988887777"]),
                   path: "x/111122223333_CloudTrail_us-east-1_20250714T1805Z_abc.json.gz", admitted: false),
        FilterCase(name: "folder day only, day of since kept", filter: window,
                   path: "AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/14/renamed.json.gz", admitted: true),
        FilterCase(name: "folder day only, day before since kept (one day slack)", filter: window,
                   path: "AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/13/renamed.json.gz", admitted: true),
        FilterCase(name: "folder day only, two days before since dropped", filter: window,
                   path: "AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/12/renamed.json.gz", admitted: false),
        FilterCase(name: "folder day only, day after until dropped", filter: window,
                   path: "AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/15/renamed.json.gz", admitted: false),
    ]

    @Test(arguments: cases)
    func admitsFile(row: FilterCase) {
        #expect(row.filter.admits(LogFile(path: row.path)) == row.admitted)
    }

    static let directoryCases: [(String, Bool)] = [
        ("AWSLogs", true),
        ("AWSLogs/111122223333", true),
        ("AWSLogs/999988887777", false),
        ("AWSLogs/o-abc123def4/999988887777/CloudTrail", false),
        ("AWSLogs/111122223333/CloudTrail/us-east-1", true),
        ("AWSLogs/111122223333/CloudTrail/eu-west-1", false),
        ("AWSLogs/111122223333/CloudTrail/us-east-1/2025", true),
        ("AWSLogs/111122223333/CloudTrail/us-east-1/2024", false),
        ("AWSLogs/111122223333/CloudTrail/us-east-1/2025/06", false),
        ("AWSLogs/111122223333/CloudTrail/us-east-1/2025/07", true),
        ("AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/12", false),
        ("AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/13", true),
        ("AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/14", true),
        ("AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/15", false),
        ("somewhere/else/2019", true),
    ]

    @Test(arguments: directoryCases)
    func admitsDirectory(path: String, admitted: Bool) {
        var filter = Self.window
        filter.accounts = ["111122223333"]
        filter.regions = ["us-east-1"]
        #expect(filter.admits(directory: ArchiveLayout(components: path.split(separator: "/"))) == admitted)
    }

    @Test func restrictiveness() {
        #expect(!PathFilter.all.isRestrictive)
        #expect(Self.window.isRestrictive)
        #expect(PathFilter.all.admits(.standardInput) && Self.window.admits(.standardInput))
    }
}

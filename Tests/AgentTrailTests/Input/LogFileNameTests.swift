import Testing
@testable import AgentTrail

/// One row of the layout table.
struct LayoutCase: CustomTestStringConvertible, Sendable {
    var path: String
    var kind: LogFile.Kind = .records
    var account: String?
    var region: String?
    var orgId: String?
    var delivery: String?  // ISO 8601
    var inLayout = false
    var testDescription: String { path }
}

@Suite struct LogFileNameTests {
    static let cases: [LayoutCase] = [
        LayoutCase(path: "AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/14/111122223333_CloudTrail_us-east-1_20250714T1805Z_Ab12Cd34Ef56Gh78.json.gz",
                   account: "111122223333", region: "us-east-1", delivery: "2025-07-14T18:05:00Z", inLayout: true),
        LayoutCase(path: "/data/my-prefix/deep/AWSLogs/111122223333/CloudTrail/eu-central-1/2024/02/29/111122223333_CloudTrail_eu-central-1_20240229T2359Z_x.json.gz",
                   account: "111122223333", region: "eu-central-1", delivery: "2024-02-29T23:59:00Z", inLayout: true),
        LayoutCase(path: "bucket/AWSLogs/o-abc123def4/444455556666/CloudTrail/us-gov-west-1/2025/01/02/444455556666_CloudTrail_us-gov-west-1_20250102T0000Z_q.json.gz",
                   account: "444455556666", region: "us-gov-west-1", orgId: "o-abc123def4", delivery: "2025-01-02T00:00:00Z", inLayout: true),
        LayoutCase(path: "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2017/11/06/111122223333_CloudTrail-Digest_us-east-2_my_trail_us-east-2_20171106T012345Z.json.gz",
                   kind: .digest, account: "111122223333", region: "us-east-2", delivery: "2017-11-06T01:23:45Z", inLayout: true),
        LayoutCase(path: "AWSLogs/111122223333/CloudTrail-Insight/ap-southeast-2/2023/03/04/111122223333_CloudTrail-Insight_ap-southeast-2_20230304T1015Z_zz.json.gz",
                   kind: .insight, account: "111122223333", region: "ap-southeast-2", delivery: "2023-03-04T10:15:00Z", inLayout: true),
        // Folder date only (file renamed): delivery falls back to the folder day.
        LayoutCase(path: "AWSLogs/111122223333/CloudTrail/us-west-2/2025/12/31/renamed.json.gz",
                   account: "111122223333", region: "us-west-2", delivery: "2025-12-31T00:00:00Z", inLayout: true),
        // Bare file names outside the layout.
        LayoutCase(path: "downloads/111122223333_CloudTrail_us-east-1_20250714T1805Z_abc.json.gz",
                   account: "111122223333", region: "us-east-1", delivery: "2025-07-14T18:05:00Z"),
        LayoutCase(path: "trailscraper-fixture-111111111111_CloudTrail_eu-central-1_20171211T1505Z.json.gz",
                   account: "111111111111", region: "eu-central-1", delivery: "2017-12-11T15:05:00Z"),
        LayoutCase(path: "111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20250101T000000Z.json.gz",
                   kind: .digest, account: "111122223333", region: "us-east-1", delivery: "2025-01-01T00:00:00Z"),
        // Non-matching names.
        LayoutCase(path: "events.json"),
        LayoutCase(path: "logs/export.jsonl.gz"),
        LayoutCase(path: "12345_CloudTrail_us-east-1_20250714T1805Z_abc.json.gz"),  // account too short
        LayoutCase(path: "1111222233334_CloudTrail_us-east-1_20250714T1805Z_abc.json.gz"),  // 13 digits
        LayoutCase(path: "111122223333_CloudTrail_notaregion_20250714T1805Z_abc.json.gz"),
        LayoutCase(path: "111122223333_CloudTrail_us-east-1_20251340T1805Z_abc.json.gz",
                   account: "111122223333", region: "us-east-1"),  // impossible stamp: no time
        LayoutCase(path: "AWSLogs/notanaccount/CloudTrail/us-east-1/2025/07/14/file.json.gz"),
        LayoutCase(path: "AWSLogs/111122223333/Config/us-east-1/2025/07/14/file.json.gz"),
    ]

    @Test(arguments: cases)
    func parsesLayout(row: LayoutCase) {
        let file = LogFile(path: row.path, size: 10)
        #expect(file.kind == row.kind)
        #expect(file.account == row.account)
        #expect(file.region == row.region)
        #expect(file.orgId == row.orgId)
        #expect(file.deliveryTime?.iso8601 == row.delivery)
        #expect(file.name.isInLayout == row.inLayout)
        #expect(!file.isStandardInput)
        #expect(file.size == 10)
    }

    @Test func partialLayoutFolders() {
        let month = ArchiveLayout(components: "x/AWSLogs/111122223333/CloudTrail/us-east-1/2025/02".split(separator: "/"))
        #expect(month.account == "111122223333")
        #expect(month.region == "us-east-1")
        #expect(month.year == 2025 && month.month == 2 && month.day == nil)
        #expect(month.dateInterval?.start.iso8601 == "2025-02-01T00:00:00Z")
        #expect(month.dateInterval?.end.iso8601 == "2025-03-01T00:00:00Z")
        let december = ArchiveLayout(components: "AWSLogs/111122223333/CloudTrail/us-east-1/2025/12".split(separator: "/"))
        #expect(december.dateInterval?.end.iso8601 == "2026-01-01T00:00:00Z")
        let bad = ArchiveLayout(components: "AWSLogs/111122223333/CloudTrail/us-east-1/2025/13".split(separator: "/"))
        #expect(bad.year == 2025 && bad.month == nil)
        #expect(bad.dateInterval?.start.iso8601 == "2025-01-01T00:00:00Z")
    }

    @Test func standardInput() {
        let file = LogFile.standardInput
        #expect(file.isStandardInput && file.path == "-" && file.kind == .records && file.account == nil)
    }
}

/// `ArchiveLayout.isRegion` (one pass over the bytes) against the rule it implements, written the obvious way.
@Suite struct RegionNameTests {
    static func reference(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let last = parts.last, !last.isEmpty, last.allSatisfy({ $0 >= "0" && $0 <= "9" }) else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= "a" && $0 <= "z" } }
    }

    @Test(arguments: ["us-east-1", "us-gov-west-1", "ap-southeast-2", "eu-central-12", "us-east", "us-east-", "-us-east-1",
                      "us--east-1", "us-East-1", "us-east-1a", "us1-east-1", "us-east-1-", "", "-", "--1", "a-b-1", "a-b-c",
                      "1-2-3", "us-east-١", "üs-east-1", "me-central-1", "us-iso-east-1", "a-b-c-d-9"])
    func matchesTheReference(text: String) {
        #expect(ArchiveLayout.isRegion(text) == Self.reference(text), "\(text)")
        #expect(ArchiveLayout.isRegion(Substring(text)) == Self.reference(text))
    }
}


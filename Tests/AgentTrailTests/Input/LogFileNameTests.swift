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
        #expect(ArchiveLayout.isRegion(bytes: text.utf8) == Self.reference(text), "\(text)")
        #expect(ArchiveLayout.isRegion(bytes: Array(text.utf8)) == Self.reference(text))
    }
}


/// `CloudTrailFileName` (parsed on the name's bytes in place) against its rule written the obvious way — arrays,
/// slices and `split` — on the layout table's names and on seeded mutations of them (bytes replaced, removed,
/// inserted: underscores, dashes, digits, `T`/`Z`, dots, non-ASCII).
@Suite struct CloudTrailFileNameTests {
    static func reference(_ name: String) -> String? {
        func digit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        var b = Array(name.utf8)
        for ext in [".json.gz", ".jsonl.gz", ".ndjson.gz", ".json", ".jsonl", ".ndjson", ".gz"] {
            let e = Array(ext.utf8)
            if b.count >= e.count && Array(b.suffix(e.count)) == e { b.removeLast(e.count); break }
        }
        for (marker, kind) in [("_CloudTrail_", "records"), ("_CloudTrail-Digest_", "digest"), ("_CloudTrail-Insight_", "insight")] {
            let m = Array(marker.utf8)
            guard b.count >= m.count, let at = (0...(b.count - m.count)).first(where: { Array(b[$0..<($0 + m.count)]) == m })
            else { continue }
            let before = Array(b[..<at])
            let account = before.suffix(12)
            guard account.count == 12, account.allSatisfy(digit), before.dropLast(12).last.map({ !digit($0) }) ?? true else { return nil }
            let tokens = b[(at + m.count)...].split(separator: UInt8(ascii: "_"), omittingEmptySubsequences: false)
            guard let region = tokens.first, RegionNameTests.reference(String(decoding: region, as: UTF8.self)) else { return nil }
            func stamp(_ t: ArraySlice<UInt8>) -> Instant? {
                let u = Array(t)
                guard u.count == 14 || u.count == 16, u[8] == UInt8(ascii: "T"), u.last == UInt8(ascii: "Z") else { return nil }
                let digits = Array(u[0..<8]) + Array(u[9..<(u.count - 1)])
                guard digits.allSatisfy(digit) else { return nil }
                func n(_ r: Range<Int>) -> Int { Int(String(decoding: u[r], as: UTF8.self))! }
                return Instant(year: n(0..<4), month: n(4..<6), day: n(6..<8), hour: n(9..<11), minute: n(11..<13),
                               second: u.count == 16 ? n(13..<15) : 0)
            }
            let time = tokens.dropFirst().lazy.compactMap(stamp).first
            return "\(String(decoding: account, as: UTF8.self))|\(kind)|\(String(decoding: region, as: UTF8.self))|\(time?.iso8601 ?? "-")"
        }
        return nil
    }

    static func parsed(_ name: String) -> String? {
        guard let n = CloudTrailFileName(name) else { return nil }
        return "\(n.account)|\(n.kind.rawValue)|\(n.region)|\(n.time?.iso8601 ?? "-")"
    }

    static let names: [String] = LogFileNameTests.cases.map { String($0.path.split(separator: "/").last ?? "") } + [
        "111122223333_CloudTrail_us-east-1_20250714T180559Z.json", "111122223333_CloudTrail_us-east-1__20250714T1805Z",
        "111122223333_CloudTrail_us-east-1", "111122223333_CloudTrail_", "111122223333_CloudTrail_us-east-1_x_y_20250714T1805Z_z.gz",
        "111122223333_CloudTrail_us-east-1_20250714T1805Z.json.gz.json.gz", "x111122223333_CloudTrail-Insight_eu-west-3_20250714T1805Z",
        "111122223333_CloudTrail_us-east-1_20250714T1805Z_111122223333_CloudTrail-Digest_us-east-2_20250101T0000Z",
    ]

    @Test(arguments: names)
    func matchesTheReference(name: String) {
        #expect(Self.parsed(name) == Self.reference(name))
        #expect(CloudTrailFileName(Substring(name)).map { _ in true } == Self.reference(name).map { _ in true })
    }

    @Test func mutatedNamesMatchTheReference() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let pieces: [[UInt8]] = ["_", "-", "1", "0", "T", "Z", "a", ".", "é", "/", "_CloudTrail_", ".gz"].map { Array($0.utf8) }
        var parsedCount = 0
        for base in Self.names where !base.isEmpty {
            for _ in 0..<300 {
                var b = Array(base.utf8)
                for _ in 0..<(1 + next(3)) {
                    let at = next(b.count + 1)
                    switch next(3) {
                    case 0 where at < b.count: b.replaceSubrange(at..<(at + 1), with: pieces[next(pieces.count)])
                    case 1 where at < b.count: b.remove(at: at)
                    default: b.insert(contentsOf: pieces[next(pieces.count)], at: at)
                    }
                }
                let name = String(decoding: b, as: UTF8.self)
                let expected = Self.reference(name)
                #expect(Self.parsed(name) == expected, "\(name)")
                if expected != nil { parsedCount += 1 }
            }
        }
        // (The mutations keep many names parseable, so both paths are exercised, not only refusals.)
        #expect(parsedCount > 1_000)
    }
}

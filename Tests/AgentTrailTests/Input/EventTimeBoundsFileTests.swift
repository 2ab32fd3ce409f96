import Testing
@testable import AgentTrail

/// `EventTimeBounds(file:)` reads what the walk parsed into the `LogFile` (it parsed the path again per file); the
/// bounds must be those the path gives, for files described from a whole path and from a folder plus a name.
@Suite struct EventTimeBoundsFileTests {
    static let now = Instant(millisecondsSince1970: 1_764_720_000_000)

    /// The rule as it was written against the parsed path.
    static func reference(_ path: String) -> EventTimeBounds {
        let name = LogFileName(path: path)
        let day: Int64 = 86_400_000
        if let t = name.nameTime {
            return EventTimeBounds(lower: Instant(millisecondsSince1970: t.millisecondsSince1970 - day),
                                   upper: Instant(millisecondsSince1970: t.millisecondsSince1970 + day))
        }
        if let d = name.folderDay {
            return EventTimeBounds(lower: Instant(millisecondsSince1970: d.millisecondsSince1970 - day),
                                   upper: Instant(millisecondsSince1970: d.millisecondsSince1970 + 2 * day))
        }
        return EventTimeBounds(lower: EventTimeBounds.cloudTrailLaunch,
                               upper: Instant(millisecondsSince1970: now.millisecondsSince1970 + day))
    }

    @Test(arguments: [
        "AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/14/111122223333_CloudTrail_us-east-1_20250714T1805Z_Ab12.json.gz",
        "AWSLogs/111122223333/CloudTrail/us-west-2/2025/12/31/renamed.json.gz",
        "x/111122223333_CloudTrail_eu-west-1_20240229T235959Z_q.json.gz",
        "loose/file.json",
        "AWSLogs/o-abc123def4/444455556666/CloudTrail/us-gov-west-1/2025/01/02/444455556666_CloudTrail_us-gov-west-1_20250102T0000Z_q.json.gz",
        "AWSLogs/111122223333/CloudTrail/us-east-1/2025/13/40/bad-day.json.gz",
    ])
    func boundsEqualThePathsRule(path: String) {
        let expected = Self.reference(path)
        let whole = EventTimeBounds(file: LogFile(path: path), now: Self.now)
        #expect(whole.lower == expected.lower && whole.upper == expected.upper)
        var parts = path.split(separator: "/").map(Substring.init)
        let name = parts.removeLast()
        let walked = LogFile(path: path, folder: ArchiveLayout(components: parts[...]), fileName: name)
        let fromWalk = EventTimeBounds(file: walked, now: Self.now)
        #expect(fromWalk.lower == expected.lower && fromWalk.upper == expected.upper)
    }
}

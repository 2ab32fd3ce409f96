import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// `Instant.parseCloudTrail`'s fast path for the canonical `YYYY-MM-DDTHH:MM:SSZ` form: the same answer as the
/// general parser on that form and on every near miss, and the time Foundation's calendar gives.
@Suite struct InstantParseTests {
    static func parse(_ text: String) -> Instant? {
        var t = text
        return t.withUTF8 { Instant.parseCloudTrail(UnsafeRawBufferPointer($0)) }
    }

    static func general(_ text: String) -> Instant? {
        var t = text
        return t.withUTF8 { Instant.parseCloudTrailGeneral(UnsafeRawBufferPointer($0)) }
    }

    /// Milliseconds since 1970 from Foundation's Gregorian calendar in UTC (an independent reference).
    static func foundation(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Int64? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = DateComponents(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
        guard parts.isValidDate(in: calendar), let date = calendar.date(from: parts) else { return nil }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    @Test(arguments: [
        ("2025-07-14T18:22:09Z", (2025, 7, 14, 18, 22, 9)),
        ("1970-01-01T00:00:00Z", (1970, 1, 1, 0, 0, 0)),
        ("2024-02-29T23:59:59Z", (2024, 2, 29, 23, 59, 59)),
        ("2000-02-29T12:00:00Z", (2000, 2, 29, 12, 0, 0)),
        ("1969-12-31T23:59:59Z", (1969, 12, 31, 23, 59, 59)),
        ("1600-02-29T06:07:08Z", (1600, 2, 29, 6, 7, 8)),  // (Foundation's calendar is Julian before 1582)
        ("9999-12-31T23:59:59Z", (9999, 12, 31, 23, 59, 59)),
    ])
    func canonicalTimesAreFoundationsTimes(text: String, parts: (Int, Int, Int, Int, Int, Int)) {
        let expected = Self.foundation(parts.0, parts.1, parts.2, parts.3, parts.4, parts.5)
        #expect(expected != nil)
        #expect(Self.parse(text)?.millisecondsSince1970 == expected)
        #expect(Self.general(text)?.millisecondsSince1970 == expected)
    }

    @Test(arguments: [
        "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2025-04-31T00:00:00Z", "2025-13-01T00:00:00Z",
        "2025-00-10T00:00:00Z", "2025-01-00T00:00:00Z", "2025-01-32T00:00:00Z", "2025-01-01T24:00:00Z",
        "2025-01-01T00:60:00Z", "2025-01-01T00:00:60Z", "2025-01-01T00:00:61Z", "2025-01-01t00:00:00Z",
        "2025-01-01 00:00:00Z", "2025-01-01T00:00:00z", "2025-01-01T00:00:00+", "2025/01/01T00:00:00Z",
        "2025-01-01T00-00:00Z", "20a5-01-01T00:00:00Z", "2025-01-01T00:00:0:Z", "2025-01-01T00:00:00 ",
        "[REDACTED]__________", "2025-01-01T00:00:00.1",
    ])
    func nearMissesGoTheGeneralWay(text: String) {
        #expect(Self.parse(text) == Self.general(text), "\(text)")
    }

    /// Seeded mutations of canonical times: one to three bytes replaced (by digits, separators, or any byte), fields
    /// pushed out of range; the fast path's answer equals the general parser's every time.
    @Test(arguments: [1, 2, 3, 4])
    func mutationsAgreeWithTheGeneralParser(seed: UInt64) {
        var rng = SplitMix(seed &* 0x9E37_79B9_7F4A_7C15)  // (IAMSuggestionTests.swift)
        func next() -> UInt64 { rng.next() }
        let alphabet = Array("0123456789-:TZtz .+/\u{0}9".utf8)
        var agreed = 0, parsed = 0
        for _ in 0..<5_000 {
            let text = String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(next() % 10_000), Int(next() % 14),
                              Int(next() % 33), Int(next() % 26), Int(next() % 62), Int(next() % 62))
            var bytes = Array(text.utf8)
            for _ in 0..<Int(next() % 4) {
                let i = Int(next() % UInt64(bytes.count))
                bytes[i] = next() % 2 == 0 ? alphabet[Int(next() % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: next())
            }
            let fast = bytes.withUnsafeBytes { Instant.parseCloudTrail($0) }
            let slow = bytes.withUnsafeBytes { Instant.parseCloudTrailGeneral($0) }
            #expect(fast == slow, "\(bytes)")
            if fast == slow { agreed += 1 }
            if slow != nil { parsed += 1 }
        }
        #expect(agreed == 5_000)
        #expect(parsed > 1_000)  // (the table reaches valid times, not only rejections)
    }
}

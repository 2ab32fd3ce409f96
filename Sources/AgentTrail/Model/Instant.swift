/// A point in time in UTC, with millisecond precision, cheap to compare and hash.
///
/// CloudTrail times are UTC; AgentTrail never needs time zones, so this avoids
/// `Foundation.Date` formatting on the hot path.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public var millisecondsSince1970: Int64

    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// Builds an instant from UTC civil fields; returns nil when a field is out of range.
    public init?(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...60).contains(second), (0...999).contains(millisecond),
              day <= Instant.daysInMonth(year: year, month: month)
        else { return nil }
        let days = Instant.daysFromCivil(year: year, month: month, day: day)
        let secs = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.millisecondsSince1970 = secs * 1000 + Int64(millisecond)
    }

    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }

    /// Seconds since 1970 as a Double.
    public var secondsSince1970: Double { Double(millisecondsSince1970) / 1000 }

    /// Adds seconds.
    public func adding(seconds: Int64) -> Instant {
        Instant(millisecondsSince1970: millisecondsSince1970 + seconds * 1000)
    }

    /// UTC civil components.
    public var components: (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int) {
        var ms = millisecondsSince1970
        var days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        ms -= days * 86_400_000
        let (y, m, d) = Instant.civilFromDays(Int(days))
        days = 0
        let secOfDay = Int(ms / 1000)
        return (y, m, d, secOfDay / 3600, (secOfDay / 60) % 60, secOfDay % 60, Int(ms % 1000))
    }

    /// The start of the UTC hour containing this instant.
    public var hourFloor: Instant {
        let h: Int64 = 3_600_000
        let m = millisecondsSince1970
        return Instant(millisecondsSince1970: (m >= 0 ? m / h : (m - h + 1) / h) * h)
    }

    /// The start of the UTC day containing this instant.
    public var dayFloor: Instant {
        let d: Int64 = 86_400_000
        let m = millisecondsSince1970
        return Instant(millisecondsSince1970: (m >= 0 ? m / d : (m - d + 1) / d) * d)
    }

    /// ISO 8601, `2025-07-14T18:22:09Z`, with `.mmm` only when milliseconds are non-zero.
    public var iso8601: String {
        let c = components
        var s = "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))"
        if c.millisecond != 0 { s += "." + pad(c.millisecond, 3) }
        return s + "Z"
    }

    public var description: String { iso8601 }

    // MARK: - Civil calendar (Howard Hinnant's algorithms)

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

@inline(__always)
private func pad(_ value: Int, _ width: Int) -> String {
    let s = String(value)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

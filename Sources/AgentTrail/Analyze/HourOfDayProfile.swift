/// A principal's usual invocations per hour of day (UTC), learned from its hourly counts over a span of history
/// (`invocation-spike`). The usual count of an hour of day is the mean over the days of the span (idle hours
/// count as zero). Weekdays and weekends are kept apart once the span holds at least `splitMinimumDays` of
/// each at every hour of day (about two weeks); shorter spans use one profile for every day.
///
/// What a time of day is compared against (`expectedHourly`) is smoothed over the neighbouring hours: the
/// busiest usual count of the hour before, the hour itself and the hour after. A recurring job that starts a
/// little earlier or later, straddles an hour boundary or moves with daylight saving time stays inside its
/// own expectation, and an hour with few samples gets the level of its neighbours.
public struct HourOfDayProfile: Sendable, Hashable {
    /// Invocations summed per hour of day: indexes 0–23 for weekdays, 24–47 for weekends.
    public private(set) var totals: [Int]
    /// How many hours of the span fall on each hour of day (same layout): the days sampled.
    public private(set) var samples: [Int]
    /// The largest count of any two consecutive hours of the span, per hour of day of the first (same layout): what
    /// the principal has already done at that time of day (a weekly or monthly job is far above its mean, but not
    /// above its own last run). Two hours, because a window of up to an hour spans at most two clock hours, so a job
    /// that straddled an hour boundary is not split in two.
    public private(set) var peaks: [Int]
    /// The span: its first hour and its end hour (exclusive), in hours since 1970-01-01T00Z.
    public let firstHour: Int64
    public let endHour: Int64

    /// Days of each kind needed at every hour of day before weekdays and weekends are kept apart.
    public static let splitMinimumDays = 4

    /// Learns from `count(hour)` for every hour in `firstHour..<endHour` (hours since 1970).
    public init(firstHour: Int64, endHour: Int64, count: (Int64) -> Int) {
        self.firstHour = firstHour
        self.endHour = max(firstHour, endHour)
        var totals = [Int](repeating: 0, count: 48)
        var samples = [Int](repeating: 0, count: 48)
        var peaks = [Int](repeating: 0, count: 48)
        var h = firstHour
        var previous = 0  // count of hour h - 1
        while h < self.endHour {
            let i = Self.slot(hour: h)
            let c = count(h)
            totals[i] += c
            samples[i] += 1
            peaks[i] = max(peaks[i], c)
            if h > firstHour {
                let j = Self.slot(hour: h - 1)
                peaks[j] = max(peaks[j], previous + c)
            }
            previous = c
            h += 1
        }
        self.totals = totals
        self.samples = samples
        self.peaks = peaks
    }

    /// Days in the span.
    public var days: Double { Double(endHour - firstHour) / 24 }

    /// True when every hour of day was sampled at least once (the span covers a day).
    public var isComplete: Bool { (0..<24).allSatisfy { samples[$0] + samples[24 + $0] > 0 } }

    /// True when weekdays and weekends have profiles of their own.
    public var splitsWeekends: Bool { samples.allSatisfy { $0 >= Self.splitMinimumDays } }

    /// Hours of day (0–23) with at least one invocation in the span.
    public var activeHours: Set<Int> { Set((0..<24).filter { totals[$0] + totals[24 + $0] > 0 }) }

    /// The usual (mean) count in hour of day `hour` on weekend days or weekdays (the same when not split);
    /// nil when that hour was never sampled.
    public func usual(hourOfDay hour: Int, weekend: Bool) -> Double? {
        let h = ((hour % 24) + 24) % 24
        let (t, n): (Int, Int)
        if splitsWeekends {
            let i = weekend ? 24 + h : h
            (t, n) = (totals[i], samples[i])
        } else {
            (t, n) = (totals[h] + totals[24 + h], samples[h] + samples[24 + h])
        }
        return n > 0 ? Double(t) / Double(n) : nil
    }

    /// What an hour of day is compared against: the busiest usual count of `hour - 1`, `hour` and `hour + 1`,
    /// with the hour of day it comes from; nil when none of them was sampled.
    public func expectedHourly(hourOfDay hour: Int, weekend: Bool) -> (count: Double, fromHour: Int)? {
        var best: (count: Double, fromHour: Int)?
        for d in [0, -1, 1] {
            let h = ((hour + d) % 24 + 24) % 24
            guard let u = usual(hourOfDay: h, weekend: weekend) else { continue }
            if best == nil || u > best!.count { best = (u, h) }
        }
        return best
    }

    /// The busiest two consecutive hours seen starting at `hour - 1`, `hour` or `hour + 1` (weekends apart when
    /// split): a window of up to an hour holding no more calls than that is something the principal has already done
    /// at this time of day.
    public func peakHourly(hourOfDay hour: Int, weekend: Bool) -> Int {
        var best = 0
        for d in [-1, 0, 1] {
            let h = ((hour + d) % 24 + 24) % 24
            best = max(best, splitsWeekends ? peaks[weekend ? 24 + h : h] : max(peaks[h], peaks[24 + h]))
        }
        return best
    }

    /// Index of an hour (since 1970) in `totals`/`samples`.
    static func slot(hour: Int64) -> Int {
        hourOfDay(hour) + (isWeekend(hour: hour) ? 24 : 0)
    }

    /// Hour of day (0–23, UTC) of an hour index.
    public static func hourOfDay(_ hour: Int64) -> Int { Int(((hour % 24) + 24) % 24) }

    /// True when an hour (since 1970) falls on a Saturday or Sunday (UTC). 1970-01-01 was a Thursday.
    public static func isWeekend(hour: Int64) -> Bool {
        let day = hour >= 0 ? hour / 24 : (hour - 23) / 24
        let weekday = Int(((day + 3) % 7 + 7) % 7)  // Monday = 0
        return weekday >= 5
    }

    /// "2025-06-02..2025-06-06, 4.5 days", for finding details.
    public var spanDescription: String {
        let first = Instant(millisecondsSince1970: firstHour * 3_600_000).iso8601.prefix(10)
        let last = Instant(millisecondsSince1970: (endHour - 1) * 3_600_000).iso8601.prefix(10)
        let d = (days * 10).rounded() / 10
        let shown = d == d.rounded() ? String(Int(d)) : String(d)
        return "\(first)..\(last), \(shown) day\(d == 1 ? "" : "s")"
    }
}

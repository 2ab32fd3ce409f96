/// The eventTimes a log file can plausibly hold. A record outside them is a *time outlier*: counted and listed
/// (`ScanSummary.timeOutliers`), analysed without its time (windowed and baseline detectors skip it, the window
/// bounds and the baseline cut-off ignore it), so one absurd `eventTime` (year 9999 or 0001) cannot move
/// `baselineEnd` and silence everyone else's baseline findings.
///
/// - A file with CloudTrail's name (`…_CloudTrail_<region>_YYYYMMDDTHHMMZ_…`) holds events up to about its
///   delivery time: CloudTrail "typically delivers logs within an average of about 5 minutes of an API call. This
///   time is not guaranteed." (AWS doc "Getting and viewing your CloudTrail log files"); the tolerance is one day
///   either side.
/// - A file only in the dated folder layout (`…/YYYY/MM/DD/`): that day, one day either side.
/// - Any other file: from 2013-11-01 (CloudTrail launched in November 2013) to one day after the scan's `now`.
public struct EventTimeBounds: Sendable {
    public var lower: Instant
    public var upper: Instant

    static let day: Int64 = 86_400_000
    /// 2013-11-01T00:00:00Z.
    static let cloudTrailLaunch = Instant(millisecondsSince1970: 1_383_264_000_000)

    public init(lower: Instant, upper: Instant) {
        self.lower = lower
        self.upper = upper
    }

    /// The bounds for `file` (see the type's documentation).
    /// (From what the walk parsed into `file`: `nameTime`, and `deliveryTime` which is the folder day without it.)
    public init(file: LogFile, now: Instant) {
        if let t = file.nameTime {
            self.init(lower: Instant(millisecondsSince1970: t.millisecondsSince1970 - Self.day),
                      upper: Instant(millisecondsSince1970: t.millisecondsSince1970 + Self.day))
        } else if let d = file.deliveryTime {
            self.init(lower: Instant(millisecondsSince1970: d.millisecondsSince1970 - Self.day),
                      upper: Instant(millisecondsSince1970: d.millisecondsSince1970 + 2 * Self.day))
        } else {
            self.init(lower: Self.cloudTrailLaunch, upper: Instant(millisecondsSince1970: now.millisecondsSince1970 + Self.day))
        }
    }

    @inline(__always)
    public func contains(_ t: Instant) -> Bool { t >= lower && t <= upper }
}

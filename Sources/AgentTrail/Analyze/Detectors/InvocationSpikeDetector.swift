/// `invocation-spike`: a principal's invocations (`InvokeModel`, `InvokeModelWithResponseStream`, `Converse`,
/// `ConverseStream`, `InvokeAgentRuntime`), counted per 5-minute bucket,
/// - "volume": in a sliding window of `windowMinutes` (default 30, rounded up to whole buckets) exceed both
///   `floor` (default 100 per hour's worth: 50 for 30 minutes) and `multiplier` (default 5) × the count expected
///   for that time of day from the principal's own history (`HourOfDayProfile`: the usual count of the window's
///   hour of day, the busiest of it and its two neighbouring hours, weekdays and weekends apart once two weeks are
///   known); where that history itself has bursts at that time of day (its busiest two consecutive hours, ±1 h,
///   more than twice the usual two hours), the window must also exceed `peakMultiplier` (default 2) × that burst — a
///   weekly or monthly job is far above its daily mean but not far above its own last run; or
/// - "off-hours": reach `offHoursMinimum` (default 20) in an hour of day it was never active in.
///
/// Why 30 minutes: the profile is hourly, so where a recurring job sits inside its hour is unknown. A job whose
/// whole usual volume J lands in one window that straddles an hour boundary has an expectation of at least
/// J/2 per hour (the busier of the two hours); it stays silent only if `multiplier` × J/2 × window/60 ≥ J, i.e.
/// a window of at least 120/`multiplier` = 24 minutes. 30 minutes (6 buckets, CloudTrail delivers about every
/// 5 minutes) keeps that margin while a 20-minute burst at more than 7× the usual rate still exceeds 5× over the
/// window ((20·7 + 10)/30 = 5).
///
/// Learned baseline: the hours from the hour of the principal's first activity (any call) up to the hour
/// containing `RunFacts.baselineEnd` (exclusive), zero hours included; at least a day of it is needed for the
/// profile. Windows starting at or after that hour are judged. Never-active hours of day are only learned when
/// the span is ≥ 7 days. With `workingHoursUTC` configured, hours outside them are off-hours for the whole window
/// (no learning needed). A stored baseline supplies the profile, the active hours and the counts of the last two
/// days read by earlier runs (context for windows that straddle runs; only this window's calls are counted),
/// and then the whole window is judged. Principals without any baseline are only judged against `workingHoursUTC`.
///
/// One finding per principal and kind (`subject["kind"]` = `volume` or `off-hours`); `details["comparedAgainst"]`
/// says what the counts were compared against. Evidence: the first and last call of each 5-minute bucket of the
/// finding, earliest first. Medium.
public struct InvocationSpikeDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "invocation-spike", defaultSeverity: .medium,
        summary: "invocations in a sliding window above a floor and N× the principal's usual count for that hour of day, or in never-active hours",
        thresholds: [
            ThresholdSpec("windowMinutes", default: 30, minimum: 5, maximum: 240,
                          summary: "length of the sliding window in minutes (rounded up to 5-minute buckets)"),
            ThresholdSpec("floor", default: 50, minimum: 0, integer: false,
                          summary: "minimum invocations in a window for a volume spike (default: 100 per hour of window)"),
            ThresholdSpec("multiplier", default: 5, minimum: 0, minimumExclusive: true, integer: false,
                          summary: "multiple of the usual count for the window's hour of day"),
            ThresholdSpec("peakMultiplier", default: 2, minimum: 1, integer: false,
                          summary: "multiple of the busiest two hours at that time of day in the history"),
            ThresholdSpec("offHoursMinimum", default: 20, minimum: 1, summary: "minimum invocations in an off hour"),
        ],
        traits: [.principalScoped, .baselineDriven])
    public var descriptor: DetectorDescriptor { Self.descriptor }
    public var storedBaselines: (any StoredBaselines)?

    public init(storedBaselines: (any StoredBaselines)? = nil) {
        self.storedBaselines = storedBaselines
    }

    /// Width of a count bucket: 5 minutes.
    public static let bucketMs: Int64 = 300_000
    static let bucketsPerHour: Int64 = 12
    static let hourMs: Int64 = 3_600_000
    /// The default floor, per hour's worth of window.
    static let floorPerHour = 100.0

    /// Window length in buckets for a configured `windowMinutes` (rounded up to whole buckets, 1...48).
    public static func windowBuckets(minutes: Double) -> Int {
        max(1, min(48, Int((minutes / 5 - 1e-9).rounded(.up))))
    }

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        let s = context.settings(for: id)
        let buckets = Self.windowBuckets(minutes: context.threshold("windowMinutes", of: Self.descriptor))
        let minutes = Double(buckets * 5)
        return Accumulator(detector: self, windowBuckets: buckets,
                           floor: s.number("floor", default: Self.floorPerHour * minutes / 60),
                           multiplier: context.threshold("multiplier", of: Self.descriptor),
                           peakMultiplier: context.threshold("peakMultiplier", of: Self.descriptor),
                           offHoursMinimum: context.threshold("offHoursMinimum", of: Self.descriptor))
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }

    /// Hour index (hours since 1970) of an instant.
    static func hourIndex(_ t: Instant) -> Int64 { t.hourFloor.millisecondsSince1970 / hourMs }

    /// 5-minute bucket index (buckets since 1970) of an instant.
    public static func bucketIndex(_ t: Instant) -> Int64 {
        let m = t.millisecondsSince1970
        return m >= 0 ? m / bucketMs : (m - bucketMs + 1) / bucketMs
    }

    /// Hour index of a bucket index.
    static func hourOf(bucket: Int64) -> Int64 {
        bucket >= 0 ? bucket / bucketsPerHour : (bucket - bucketsPerHour + 1) / bucketsPerHour
    }

    struct Key: Hashable, Codable {
        var principal: HashedString
        var bucket: Int64

        @inline(__always)
        func _rawHashValue(seed: Int) -> Int {
            PrehashedMix.mix(principal.hash, UInt64(truncatingIfNeeded: bucket), seed: seed)
        }
    }

    /// Where a principal's expectation comes from, for finding details.
    enum Origin {
        case learned, stored

        var word: String { self == .learned ? "learned" : "stored history" }
    }

    final class Accumulator: DetectorAccumulator {
        let detector: InvocationSpikeDetector
        let windowBuckets: Int
        let floor: Double, multiplier: Double, peakMultiplier: Double, offHoursMinimum: Double
        /// Per principal and 5-minute bucket: the count and the first and last call.
        var buckets: [Key: BucketExtremes] = [:]
        var principalFirstSeen = FirstSeenMap<HashedString>()

        init(detector: InvocationSpikeDetector, windowBuckets: Int, floor: Double, multiplier: Double, peakMultiplier: Double,
             offHoursMinimum: Double) {
            self.detector = detector
            self.windowBuckets = windowBuckets
            self.floor = floor
            self.multiplier = multiplier
            self.peakMultiplier = peakMultiplier
            self.offHoursMinimum = offHoursMinimum
        }

        var windowMinutes: Int { windowBuckets * 5 }

        func observe(_ event: ObservedRecord) {
            guard CallClassifier.isBaselinedPrincipal(event) else { return }
            principalFirstSeen.note(event.hashedPrincipalKey, event.record.eventTime)
            guard event.flags.contains(.invocation), let t = event.record.eventTime else { return }
            let key = Key(principal: event.hashedPrincipalKey, bucket: InvocationSpikeDetector.bucketIndex(t))
            if let i = buckets.index(forKey: key) { buckets.values[i].add(event) } else { buckets[key] = BucketExtremes(event.evidenceRef) }
        }

        func merge(_ o: Accumulator) {
            for (k, e) in o.buckets {
                if let i = buckets.index(forKey: k) { buckets.values[i].merge(e) } else { buckets[k] = e }
            }
            principalFirstSeen.merge(o.principalFirstSeen)
        }

        func findings(_ facts: RunFacts) -> [Finding] {
            var byPrincipal: [HashedString: [Int64: BucketExtremes]] = [:]
            for (k, v) in buckets { byPrincipal[k.principal, default: [:]][k.bucket] = v }
            var out: [Finding] = []
            for (hashedPrincipalKey, counts) in byPrincipal {
                out += judge(hashedPrincipalKey.string, counts, firstSeen: principalFirstSeen[hashedPrincipalKey], facts: facts)
            }
            return out
        }

        /// The findings of one principal.
        private func judge(_ principal: String, _ counts: [Int64: BucketExtremes], firstSeen: Instant?, facts: RunFacts) -> [Finding] {
            var profile: HourOfDayProfile?
            var activeHours: Set<Int>?
            var activeOrigin = ""
            var judgeFromHour = Int64.max
            var prior: [Int64: Int] = [:]
            var origin = Origin.learned
            switch BaselineSource.resolve(principal: principal, stored: detector.storedBaselines,
                                          principalFirstSeen: firstSeen, baselineEnd: facts.baselineEnd) {
            case .stored(let b):
                profile = b.invocationProfile
                activeHours = b.activeHoursOfDay
                activeOrigin = b.invocationProfile.map { "stored history \($0.spanDescription)" } ?? "stored history"
                prior = b.recentInvocations
                origin = .stored
                judgeFromHour = Int64.min
            case .learned(let end):
                let cut = InvocationSpikeDetector.hourIndex(end)
                let start = firstSeen.map(InvocationSpikeDetector.hourIndex) ?? cut
                if start < cut {
                    var hourly: [Int64: Int] = [:]
                    for (b, e) in counts {
                        let h = InvocationSpikeDetector.hourOf(bucket: b)
                        if h >= start && h < cut { hourly[h, default: 0] += e.count }
                    }
                    let learned = HourOfDayProfile(firstHour: start, endHour: cut) { hourly[$0] ?? 0 }
                    if cut - start >= 24 { profile = learned }
                    if cut - start >= 7 * 24 {
                        activeHours = learned.activeHours
                        activeOrigin = "learned \(learned.spanDescription)"
                    }
                }
                judgeFromHour = cut
            case .none:
                break
            }
            var out: [Finding] = []
            if let profile, profile.isComplete,
               let f = volume(principal, counts, prior: prior, profile: profile, origin: origin,
                              judgeFrom: judgeFromHour == Int64.min ? Int64.min : judgeFromHour * InvocationSpikeDetector.bucketsPerHour) {
                out.append(f)
            }
            if let f = offHours(principal, counts, prior: prior, activeHours: activeHours, activeOrigin: activeOrigin,
                                judgeFromHour: judgeFromHour, working: Set(facts.context.config.workingHoursUTC)) {
                out.append(f)
            }
            return out
        }

        /// One sliding window that exceeded its expectation.
        struct Window {
            var start: Int64
            var count: Int
            /// Calls from earlier runs in it (stored context).
            var prior: Int
            var expected: Double
            var hourOfDay: Int
            var weekend: Bool
        }

        private func volume(_ principal: String, _ counts: [Int64: BucketExtremes], prior: [Int64: Int],
                            profile: HourOfDayProfile, origin: Origin, judgeFrom: Int64) -> Finding? {
            let k = Int64(windowBuckets)
            let windowHours = Double(windowMinutes) / 60
            var starts = Set<Int64>()
            for b in counts.keys where b >= judgeFrom {
                var s = max(b - k + 1, judgeFrom)
                while s <= b { starts.insert(s); s += 1 }
            }
            var firing: [Window] = []
            for s in starts.sorted() {
                var total = 0, fromPrior = 0
                for b in s..<(s + k) {
                    total += counts[b]?.count ?? 0
                    fromPrior += prior[b] ?? 0
                }
                total += fromPrior
                guard Double(total) > floor else { continue }
                // The window's time of day: the hour holding its middle.
                let midMs = s * InvocationSpikeDetector.bucketMs + k * InvocationSpikeDetector.bucketMs / 2
                let hour = midMs >= 0 ? midMs / InvocationSpikeDetector.hourMs : (midMs - InvocationSpikeDetector.hourMs + 1) / InvocationSpikeDetector.hourMs
                let hod = HourOfDayProfile.hourOfDay(hour)
                let weekend = HourOfDayProfile.isWeekend(hour: hour)
                guard let hourly = profile.expectedHourly(hourOfDay: hod, weekend: weekend) else { continue }
                let expected = hourly.count * windowHours
                guard Double(total) > multiplier * expected else { continue }
                // A history with bursts at this time of day (its busiest two hours more than twice the usual two
                // hours: a weekly or monthly job) is not a spike while the window stays within `peakMultiplier` × that
                // burst (jobs vary in size from run to run). A steady history has no such allowance.
                let peak = Double(profile.peakHourly(hourOfDay: hod, weekend: weekend))
                if peak > 4 * hourly.count, Double(total) <= peakMultiplier * peak { continue }
                firing.append(Window(start: s, count: total, prior: fromPrior, expected: expected, hourOfDay: hod, weekend: weekend))
            }
            guard !firing.isEmpty else { return nil }

            // Bursts: runs of firing windows that overlap or touch. Each is shown by its peak window.
            var bursts: [[Window]] = []
            for w in firing {
                if let last = bursts.last?.last, w.start <= last.start + k { bursts[bursts.count - 1].append(w) } else { bursts.append([w]) }
            }
            var count = 0
            var refs: [EvidenceRef] = []
            var first: Instant?, last: Instant?
            var lines: [String] = []
            var compared: [String] = []
            var peaks: [Window] = []
            var priorCalls = 0
            for burst in bursts {
                let peak = burst.max { a, b in a.count != b.count ? a.count < b.count : a.start > b.start }!
                peaks.append(peak)
                var calls = 0
                var burstPrior = 0
                for b in burst.first!.start..<(burst.last!.start + k) {
                    burstPrior += prior[b] ?? 0
                    guard let e = counts[b] else { continue }
                    calls += e.count
                    refs.append(e.first)
                    if e.last != e.first { refs.append(e.last) }
                    if let t = e.first.time, first == nil || t < first! { first = t }
                    if let t = e.last.time, last == nil || t > last! { last = t }
                }
                count += calls
                priorCalls += burstPrior
                let from = Self.stamp(burst.first!.start)
                let to = Self.stamp(burst.last!.start + k)
                lines.append("\(Self.stamp(peak.start)): \(peak.count) calls in \(windowMinutes) min, \(versusUsual(peak)) "
                             + "(burst \(from)..\(to): \(calls) calls)")
                let line = compareLine(peak, profile: profile, origin: origin)
                if !compared.contains(line) { compared.append(line) }
            }
            refs.sort()
            var evidence: [EvidenceRef] = []
            for r in refs where evidence.last != r {
                evidence.append(r)
                if evidence.count == Evidence.cap { break }
            }
            let top = peaks.max { a, b in a.count != b.count ? a.count < b.count : a.start > b.start }!
            var details: [String: [String]] = [
                "windows": Array(lines.prefix(48)) + (lines.count > 48 ? ["… \(lines.count - 48) more bursts"] : []),
                "comparedAgainst": Array(compared.prefix(24)),
                "thresholds": ["a \(windowMinutes)-min window above \(Self.format(floor)) calls and \(Self.format(multiplier))× "
                               + "the usual count for its time of day (and \(Self.format(peakMultiplier))× its busiest two hours then, where those were a burst)"],
            ]
            if priorCalls > 0 {
                details["context"] = ["\(priorCalls) calls in these windows were read by earlier runs (counted in the windows, not in this finding)"]
            }
            return Finding(
                detector: detector.id, severity: .medium, principal: principal,
                subject: ["kind": "volume"], firstSeen: first, lastSeen: last, count: count, evidence: evidence,
                evidenceTotal: count,
                message: .invocationVolumeSpike(principal: principal, bursts: bursts.count, calls: count, peakCalls: top.count,
                                                windowMinutes: windowMinutes, peakStart: Self.stamp(top.start),
                                                versusUsual: versusUsual(top)),
                details: details)
        }

        /// "usual rate at 03:00 UTC: 4.0 calls per 30 min (busiest of 02:00–04:00 UTC, all days; learned 2025-06-02..2025-06-06, 5 days)".
        private func compareLine(_ w: Window, profile: HourOfDayProfile, origin: Origin) -> String {
            let days = profile.splitsWeekends ? (w.weekend ? "weekends" : "weekdays") : "all days"
            return "usual rate at \(Self.hh(w.hourOfDay)) UTC: \(Self.oneDecimal(w.expected)) calls per \(windowMinutes) min "
                + "(busiest of \(Self.hh(w.hourOfDay + 23))–\(Self.hh(w.hourOfDay + 1)) UTC, \(days); \(origin.word) \(profile.spanDescription)); "
                + "busiest two hours then: \(profile.peakHourly(hourOfDay: w.hourOfDay, weekend: w.weekend)) calls"
        }

        private func offHours(_ principal: String, _ counts: [Int64: BucketExtremes], prior: [Int64: Int],
                              activeHours: Set<Int>?, activeOrigin: String, judgeFromHour: Int64, working: Set<Int>) -> Finding? {
            var hours: [Int64: [Int64]] = [:]
            for b in counts.keys { hours[InvocationSpikeDetector.hourOf(bucket: b), default: []].append(b) }
            var count = 0
            var refs: [EvidenceRef] = []
            var first: Instant?, last: Instant?
            var lines: [(Int64, String)] = []
            var reasons = Set<String>()
            for (h, bs) in hours {
                let calls = bs.reduce(0) { $0 + counts[$1]!.count }
                var total = calls
                for j in 0..<InvocationSpikeDetector.bucketsPerHour { total += prior[h * InvocationSpikeDetector.bucketsPerHour + j] ?? 0 }
                guard Double(total) >= offHoursMinimum else { continue }
                let hod = HourOfDayProfile.hourOfDay(h)
                var why: String?
                if !working.isEmpty && !working.contains(hod) {
                    why = "outside workingHoursUTC"
                    reasons.insert("workingHoursUTC: \(Self.hourRanges(working)) UTC")
                } else if let activeHours, h >= judgeFromHour, !activeHours.contains(hod) {
                    why = "hour \(hod) UTC never active in the baseline"
                    reasons.insert("hours of day active in the baseline: \(activeHours.isEmpty ? "none" : Self.hourRanges(activeHours)) UTC (\(activeOrigin))")
                }
                guard let why else { continue }
                count += calls
                for b in bs {
                    let e = counts[b]!
                    refs.append(e.first)
                    if e.last != e.first { refs.append(e.last) }
                    if let t = e.first.time, first == nil || t < first! { first = t }
                    if let t = e.last.time, last == nil || t > last! { last = t }
                }
                lines.append((h, "\(Self.stamp(h * InvocationSpikeDetector.bucketsPerHour)): \(total) calls (\(why))"))
            }
            guard count > 0 else { return nil }
            refs.sort()
            let sorted = lines.sorted { $0.0 < $1.0 }.map(\.1)
            var shown = Array(sorted.prefix(48))
            if sorted.count > 48 { shown.append("… \(sorted.count - 48) more hours") }
            return Finding(
                detector: detector.id, severity: .medium,
                principal: principal, subject: ["kind": "off-hours"], firstSeen: first, lastSeen: last, count: count,
                evidence: Array(refs.prefix(Evidence.cap)), evidenceTotal: count,
                message: .offHoursInvocations(principal: principal, hours: lines.count, calls: count),
                details: ["hours": shown, "comparedAgainst": reasons.sorted()])
        }

        /// ISO 8601 start of a bucket.
        static func stamp(_ bucket: Int64) -> String {
            Instant(millisecondsSince1970: bucket * InvocationSpikeDetector.bucketMs).iso8601
        }

        /// "03:00" for hour of day 3 (taken modulo 24).
        static func hh(_ hourOfDay: Int) -> String {
            let h = ((hourOfDay % 24) + 24) % 24
            return (h < 10 ? "0" : "") + "\(h):00"
        }

        /// "22× the usual 6.0 per 30 min at 03:00 UTC", "5.7× ...", or "usually none at 03:00 UTC".
        func versusUsual(_ w: Window) -> String {
            guard w.expected > 0 else { return "usually none at \(Self.hh(w.hourOfDay)) UTC" }
            let r = Double(w.count) / w.expected
            let shown = r >= 10 ? "\(Int(r.rounded()))" : Self.oneDecimal(r)
            return "\(shown)× the usual \(Self.oneDecimal(w.expected)) per \(windowMinutes) min at \(Self.hh(w.hourOfDay)) UTC"
        }

        /// One decimal: "4.0", "12.5".
        static func oneDecimal(_ v: Double) -> String {
            let tenths = Int((v * 10).rounded())
            return "\(tenths / 10).\(abs(tenths % 10))"
        }

        /// "08–17, 21" for a set of hours of day.
        static func hourRanges(_ hours: Set<Int>) -> String {
            let sorted = hours.sorted()
            var parts: [String] = []
            var i = 0
            while i < sorted.count {
                var j = i
                while j + 1 < sorted.count && sorted[j + 1] == sorted[j] + 1 { j += 1 }
                parts.append(j > i ? "\(pad(sorted[i]))–\(pad(sorted[j]))" : pad(sorted[i]))
                i = j + 1
            }
            return parts.joined(separator: ", ")
        }

        private static func pad(_ h: Int) -> String { (h < 10 ? "0" : "") + "\(h)" }

        /// "50", "16.7", "2.5".
        static func format(_ v: Double) -> String {
            v == v.rounded() ? String(Int(v)) : oneDecimal(v)
        }
    }
}

extension BucketExtremes {
    /// Adds one event without building its reference unless it becomes the bucket's first or last.
    @inline(__always)
    mutating func add(_ event: ObservedRecord) {
        count += 1
        let t = event.record.eventTime
        if EvidenceRef.sorts(time: t, file: event.file, index: event.index, before: first) {
            first = event.evidenceRef
        } else if !EvidenceRef.sorts(time: t, file: event.file, index: event.index, before: last) {
            // (Events are distinct, so "not before `last`" means after it.)
            last = event.evidenceRef
        }
    }
}

fileprivate extension Finding.Message {
    /// `principal`'s invocations spiked: `bursts` bursts of `calls` calls in all, the peak one `peakCalls` calls in
    /// `windowMinutes` from `peakStart` (ISO 8601), `versusUsual` ("22× the usual 6.0 per 30 min at 03:00 UTC").
    static func invocationVolumeSpike(principal: String, bursts: Int, calls: Int, peakCalls: Int, windowMinutes: Int,
                                      peakStart: String, versusUsual: String) -> Self {
        var title = "\(principal) invocation volume spike: "
        if bursts > 1 { title += "\(bursts) bursts (\(calls) calls), peak " }
        title += "\(peakCalls) calls in \(windowMinutes) min from \(peakStart), \(versusUsual)"
        return Self(title: title, recommendation: invocationSpikeAdvice)
    }

    /// `principal` made `calls` invocations in `hours` hours outside its working or usual hours.
    static func offHoursInvocations(principal: String, hours: Int, calls: Int) -> Self {
        Self(title: "\(principal) invoked models in \(hours) never-active/off hour(s) (\(calls) calls)",
             recommendation: invocationSpikeAdvice)
    }

    private static let invocationSpikeAdvice = "Check whether this usage is expected (batch job, release); unexplained bursts suggest stolen credentials used for LLMjacking — review the callers' IPs and set Bedrock quotas and budgets."
}

extension InvocationSpikeDetector.Accumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(buckets, "buckets")
        try c.put(principalFirstSeen, "principalFirstSeen")
    }

    func decodePartial(from decoder: any Decoder) throws {
        let c = try decoder.partialContainer()
        buckets = try c.get("buckets")
        principalFirstSeen = try c.get("principalFirstSeen")
    }
}

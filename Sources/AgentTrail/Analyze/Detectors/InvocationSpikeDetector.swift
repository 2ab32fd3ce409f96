/// `invocation-spike`: a principal's invocations (`InvokeModel`, `InvokeModelWithResponseStream`, `Converse`,
/// `ConverseStream`, `InvokeAgentRuntime`) in one UTC hour
/// - exceed both `floor` (default 100) and `multiplier` (default 5) × its baseline hourly p95 ("volume"), or
/// - reach `offHoursMinimum` (default 20) in an hour of day it was never active in ("off-hours").
///
/// Learned baseline: the hours from the hour of the principal's first activity (any call) up to the hour
/// containing `RunFacts.baselineEnd` (exclusive), zero hours included, so a mostly idle principal has a low
/// p95; later hours are judged. Never-active hours of day are only learned when that span is ≥ 7 days.
/// With `workingHoursUTC` configured, hours outside them are off-hours for the whole window (no learning
/// needed). A stored baseline supplies p95 and active hours, and then the whole window is judged.
/// Principals without any baseline are only judged against `workingHoursUTC`.
/// One finding per principal and kind (`subject["kind"]` = `volume` or `off-hours`) listing the hours. Medium.
public struct InvocationSpikeDetector: Detector {
    public let id = "invocation-spike"
    public let defaultSeverity = Severity.medium
    public var storedBaselines: (any StoredBaselines)?

    public init(storedBaselines: (any StoredBaselines)? = nil) {
        self.storedBaselines = storedBaselines
    }

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        let s = context.settings(for: id)
        return Accumulator(detector: self, floor: s.number("floor", default: 100),
                           multiplier: s.number("multiplier", default: 5),
                           offHoursMinimum: s.number("offHoursMinimum", default: 20))
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }

    static let hourMs: Int64 = 3_600_000

    /// Hour index (hours since 1970) of an instant.
    static func hourIndex(_ t: Instant) -> Int64 { t.hourFloor.millisecondsSince1970 / hourMs }

    /// Nearest-rank percentile of `values` (`p` in 0...1); 0 for an empty list.
    public static func percentile(_ values: [Int], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p * Double(sorted.count)).rounded(.up))
        return Double(sorted[max(0, min(sorted.count - 1, rank - 1))])
    }

    struct Key: Hashable {
        var principal: HashedString
        var hour: Int64

        @inline(__always)
        func _rawHashValue(seed: Int) -> Int {
            PrehashedMix.mix(principal.hash, UInt64(truncatingIfNeeded: hour), seed: seed)
        }
    }

    final class Accumulator: DetectorAccumulator {
        let detector: InvocationSpikeDetector
        let floor: Double, multiplier: Double, offHoursMinimum: Double
        var hours: [Key: Tally] = [:]
        var principalFirstSeen = FirstSeenMap<HashedString>()

        init(detector: InvocationSpikeDetector, floor: Double, multiplier: Double, offHoursMinimum: Double) {
            self.detector = detector
            self.floor = floor
            self.multiplier = multiplier
            self.offHoursMinimum = offHoursMinimum
        }

        func observe(_ event: ObservedRecord) {
            guard CallClassifier.isBaselinedPrincipal(event) else { return }
            principalFirstSeen.note(event.principalID, event.record.eventTime)
            guard event.flags.contains(.invocation), let t = event.record.eventTime else { return }
            hours.add(event, at: Key(principal: event.principalID, hour: InvocationSpikeDetector.hourIndex(t)))
        }

        func merge(_ other: any DetectorAccumulator) {
            guard let o = other as? Accumulator else { return }
            hours.mergeTallies(o.hours)
            principalFirstSeen.merge(o.principalFirstSeen)
        }

        func findings(_ facts: RunFacts) -> [Finding] {
            var byPrincipal: [HashedString: [Int64: Tally]] = [:]
            for (k, v) in hours { byPrincipal[k.principal, default: [:]][k.hour] = v }
            let working = Set(facts.context.config.workingHoursUTC)
            var out: [Finding] = []
            for (principalID, counts) in byPrincipal {
                let principal = principalID.string
                var p95: Double?
                var activeHours: Set<Int>?
                var judgeFrom = Int64.max
                switch BaselineSource.resolve(principal: principal, stored: detector.storedBaselines,
                                              principalFirstSeen: principalFirstSeen[principalID],
                                              baselineEnd: facts.baselineEnd) {
                case .stored(let b):
                    p95 = b.hourlyInvocationP95
                    activeHours = b.activeHoursOfDay
                    judgeFrom = Int64.min
                case .learned(let end):
                    let cut = InvocationSpikeDetector.hourIndex(end)
                    let start = principalFirstSeen[principalID].map(InvocationSpikeDetector.hourIndex) ?? cut
                    var values: [Int] = []
                    var active = Set<Int>()
                    if start < cut {
                        for h in start..<cut {
                            let c = counts[h]?.count ?? 0
                            values.append(c)
                            if c > 0 { active.insert(Self.hourOfDay(h)) }
                        }
                    }
                    p95 = InvocationSpikeDetector.percentile(values, 0.95)
                    if cut - start >= 7 * 24 { activeHours = active }
                    judgeFrom = cut
                case .none:
                    break
                }
                var volume = Tally(), offHours = Tally()
                var volumeLines: [(Int64, String)] = [], offLines: [(Int64, String)] = []
                for (h, tally) in counts {
                    let c = Double(tally.count)
                    let hod = Self.hourOfDay(h)
                    let stamp = Instant(millisecondsSince1970: h * InvocationSpikeDetector.hourMs).iso8601
                    if let p95, h >= judgeFrom, c > floor, c > multiplier * p95 {
                        volume.merge(tally)
                        volumeLines.append((h, "\(stamp): \(tally.count) calls (baseline p95 \(Self.format(p95)))"))
                    }
                    if c >= offHoursMinimum {
                        var why: String?
                        if !working.isEmpty && !working.contains(hod) {
                            why = "outside workingHoursUTC"
                        } else if let activeHours, h >= judgeFrom, !activeHours.contains(hod) {
                            why = "hour \(hod) UTC never active in the baseline"
                        }
                        if let why {
                            offHours.merge(tally)
                            offLines.append((h, "\(stamp): \(tally.count) calls (\(why))"))
                        }
                    }
                }
                if volume.count > 0 {
                    out.append(finding(principal, kind: "volume", volume, lines: volumeLines,
                                       title: "\(principal) invocation volume spike: \(volumeLines.count) hour(s) above \(Self.format(floor)) calls and \(Self.format(multiplier))× baseline p95 \(Self.format(p95 ?? 0))"))
                }
                if offHours.count > 0 {
                    out.append(finding(principal, kind: "off-hours", offHours, lines: offLines,
                                       title: "\(principal) invoked models in \(offLines.count) never-active/off hour(s) (\(offHours.count) calls)"))
                }
            }
            return out
        }

        private func finding(_ principal: String, kind: String, _ tally: Tally, lines: [(Int64, String)], title: String) -> Finding {
            let sorted = lines.sorted { $0.0 < $1.0 }.map(\.1)
            var shown = Array(sorted.prefix(48))
            if sorted.count > 48 { shown.append("… \(sorted.count - 48) more hours") }
            return Finding(
                detector: detector.id, severity: .medium, title: title, principal: principal,
                subject: ["kind": kind], tally: tally,
                recommendation: "Check whether this usage is expected (batch job, release); unexplained bursts suggest stolen credentials used for LLMjacking — review the callers' IPs and set Bedrock quotas and budgets.",
                details: ["hours": shown])
        }

        static func hourOfDay(_ hourIndex: Int64) -> Int {
            Int(((hourIndex % 24) + 24) % 24)
        }

        static func format(_ v: Double) -> String {
            v == v.rounded() ? String(Int(v)) : String(v)
        }
    }
}

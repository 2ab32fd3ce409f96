import Testing
import AgentTrail

/// `invocation-spike` against the hour-of-day profile: a night burst of a role that is much busier by day fires;
/// its ordinary day traffic, recurring night jobs and bursts below the multiplier stay silent.
@Suite struct InvocationSpikeDetectorTests {
    typealias F = BaselineRecordFactory

    /// Deterministic pseudo-random numbers in 0..<n.
    struct Dice {
        var state: UInt64
        mutating func roll(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
    }

    /// A role busy by day and quiet at night, over `days` days: about `day` invocations an hour (±50%, fixed seed)
    /// from `dayStart(d)` to 18:00, `night` an hour otherwise; evenly spread inside each hour.
    static func dayBusy(days: Int, day: Int = 40, night: Int = 6, dayStart: (Int) -> Int = { _ in 8 }) -> [CloudTrailRecord] {
        var dice = Dice(state: 42)
        var out: [CloudTrailRecord] = []
        for d in 0..<days {
            for h in 0..<24 {
                let busy = h >= dayStart(d) && h < 18
                let n = busy ? day / 2 + dice.roll(day + 1) : night
                for k in 0..<n {
                    out.append(F.rec(day: d, hour: Double(h) + (Double(k) + 0.5) / Double(n), id: "t-\(d)-\(h)-\(k)"))
                }
            }
        }
        return out
    }

    /// `count` AgentCore invocations spread evenly over `minutes` from `hour` of `day`.
    static func agentBurst(day: Int, hour: Double, count: Int, minutes: Double = 20, tag: String = "b") -> [CloudTrailRecord] {
        (0..<count).map { k in
            F.rec(day: day, hour: hour + minutes / 60 * Double(k) / Double(count), source: "bedrock-agentcore",
                  name: "InvokeAgentRuntime", id: "\(tag)-\(day)-\(k)")
        }
    }

    static func settings(_ t: [String: Double]) -> AnalysisContext {
        var c = AgentTrailConfig()
        c.detectors["invocation-spike"] = DetectorSettings(thresholds: t)
        return AnalysisContext(config: c)
    }

    @Test func nightBurstOfADayBusyRoleFires() throws {
        let base = Self.dayBusy(days: 10)
        let records = base + Self.agentBurst(day: 8, hour: 3 + 10.0 / 60, count: 130)
        let findings = F.run(InvocationSpikeDetector(), records)
        #expect(findings.map(\.subject) == [["kind": "volume"]])
        let f = try #require(findings.first)
        #expect(f.count >= 130 && f.count <= 136)
        // The firing windows run from 02:50 to 03:50: the burst and the night's usual calls in that hour.
        #expect(f.firstSeen! >= F.at(day: 8, hour: 2.75) && f.lastSeen! < F.at(day: 8, hour: 4))
        // 6 calls an hour at night, every night: 3.0 per 30 min.
        let compared = try #require(f.details["comparedAgainst"]?.first)
        #expect(compared.hasPrefix("usual rate at 03:00 UTC: 3.0 calls per 30 min (busiest of 02:00–04:00 UTC, all days; learned 2025-07-01.."))
        #expect(f.title.contains("the usual 3.0 per 30 min at 03:00 UTC"))
        // The role's busiest learned hours hide the burst from a rule on its overall hourly p95 (what was missed).
        let cut = try #require(F.facts(records, context: AnalysisContext()).baselineEnd)
        var hourly: [Int64: Int] = [:]
        for r in base where r.eventTime! < cut { hourly[r.eventTime!.hourFloor.millisecondsSince1970, default: 0] += 1 }
        let sorted = hourly.values.sorted()
        let p95 = sorted[Int((0.95 * Double(sorted.count)).rounded(.up)) - 1]
        #expect(5 * p95 > 136)
    }

    @Test func burstAtEightTimesTheNightRateFires() {
        // 45 an hour at night = 15 per 20 min; 105 more in 20 minutes make 120 in 20 minutes, 8× the rate.
        let records = Self.dayBusy(days: 10, night: 45) + Self.agentBurst(day: 8, hour: 2 + 35.0 / 60, count: 105)
        #expect(F.run(InvocationSpikeDetector(), records).map(\.subject) == [["kind": "volume"]])
    }

    @Test func burstAtFourTimesTheNightRateStaysSilent() {
        // 45 more in 20 minutes: 60 in 20 minutes, above the floor but only 4× the rate.
        let records = Self.dayBusy(days: 10, night: 45) + Self.agentBurst(day: 8, hour: 2 + 35.0 / 60, count: 45)
        #expect(F.run(InvocationSpikeDetector(), records).isEmpty)
    }

    /// A batch job of `size` calls in `minutes` at `hour` every night from `firstNight`.
    static func nightlyJob(hour: Double, minutes: Double, size: (Int) -> Int, firstNight: Int = 0, days: Int = 10) -> [CloudTrailRecord] {
        (firstNight..<days).flatMap { d in Self.agentBurst(day: d, hour: hour, count: size(d), minutes: minutes, tag: "job") }
    }

    @Test(arguments: [
        ("inside its hour: 02:10–02:25", 2 + 10.0 / 60, 15.0),
        ("straddling the hour: 02:50–03:10", 2 + 50.0 / 60, 20.0),
        ("in 5 minutes at 03:55", 3 + 55.0 / 60, 5.0),
    ] as [(String, Double, Double)])
    func nightlyBatchJobStaysSilent(_ name: String, hour: Double, minutes: Double) {
        // 200 calls every night, 20% more on the judged nights: in the profile of its hours, so not a spike.
        let job = Self.nightlyJob(hour: hour, minutes: minutes, size: { $0 < 3 ? 200 : 240 })
        #expect(F.run(InvocationSpikeDetector(), Self.dayBusy(days: 10) + job).isEmpty, "\(name)")
    }

    @Test func aNewNightlyJobFires() {
        // Control for the near miss above: the same job, first run after the learning part, is unusual for 02:00.
        let job = Self.nightlyJob(hour: 2 + 10.0 / 60, minutes: 15, size: { _ in 200 }, firstNight: 5)
        #expect(F.run(InvocationSpikeDetector(), Self.dayBusy(days: 10) + job).map(\.subject) == [["kind": "volume"]])
    }

    @Test func dayTrafficStaysSilentAlsoWhenItStartsAnHourEarlier() {
        // Busy 08–18 while learning, 07–18 afterwards (daylight saving time): 07:00 is next to the busy 08:00.
        let records = Self.dayBusy(days: 10, day: 120, dayStart: { $0 < 3 ? 8 : 7 })
        #expect(F.run(InvocationSpikeDetector(), records).isEmpty)
    }

    /// A weekly job (Thursdays 06:00) learned in the first week is far above its daily mean at 06:00, but within twice
    /// its own last run: silent the next week even 30 % bigger. More than twice its size fires.
    @Test func weeklyJobIsJudgedAgainstItsOwnPeak() throws {
        // Last week's run straddled 06:00 (05:50–06:20), so no single clock hour holds all of it.
        func week(_ day: Int, calls: Int, from start: Double = 6) -> [CloudTrailRecord] {
            (0..<calls).map { F.rec(day: day, hour: start + Double($0) / Double(calls) * 0.5, id: "job-\(day)-\($0)") }
        }
        // Days 2 and 9 are Thursdays (2025-07-03, 2025-07-10); the learning part is the first 6 of 20 days.
        let routine = F.routine(days: 20)
        let silent = F.run(InvocationSpikeDetector(), routine + week(2, calls: 300, from: 5 + 50.0 / 60) + week(9, calls: 390))
        #expect(silent.filter { $0.subject["kind"] == "volume" }.isEmpty)
        let loud = F.run(InvocationSpikeDetector(), routine + week(2, calls: 300, from: 5 + 50.0 / 60) + week(9, calls: 700))
        #expect(loud.filter { $0.subject["kind"] == "volume" }.count == 1)
    }

    @Test func windowMinutesAndFloorAreConfigurable() throws {
        let records = Self.dayBusy(days: 10) + Self.agentBurst(day: 8, hour: 3 + 10.0 / 60, count: 40, minutes: 10)
        // 40 calls in 10 minutes: below the default floor of 50 per 30 minutes…
        #expect(F.run(InvocationSpikeDetector(), records).isEmpty)
        // …above the floor of a 10-minute window (100 an hour: 16.7), and ≥ 5× the usual 1.0 per 10 min.
        let f = try #require(F.run(InvocationSpikeDetector(), records, context: Self.settings(["windowMinutes": 10])).first)
        #expect(f.title.contains("calls in 10 min"))
        #expect(f.details["thresholds"] == ["a 10-min window above 16.7 calls and 5× the usual count for its time of day (and 2× its busiest two hours then, where those were a burst)"])
        // 12 minutes is rounded up to 3 buckets (15 minutes).
        let g = try #require(F.run(InvocationSpikeDetector(), records, context: Self.settings(["windowMinutes": 12, "floor": 30])).first)
        #expect(g.title.contains("calls in 15 min"))
    }

    /// A stored profile of `days` days from Monday 2025-06-02 with `count(hourIndex)` calls per hour.
    static func profile(days: Int, _ count: @escaping (Int64) -> Int) -> HourOfDayProfile {
        let start = Instant(year: 2025, month: 6, day: 2)!.millisecondsSince1970 / 3_600_000
        return HourOfDayProfile(firstHour: start, endHour: start + Int64(days) * 24, count: count)
    }

    static func stored(_ b: PrincipalBaseline) -> InvocationSpikeDetector {
        InvocationSpikeDetector(storedBaselines: StaticBaselines([F.role: b]))
    }

    @Test func callsReadByAnEarlierRunCountInTheWindowButNotInTheFinding() throws {
        let night = Self.profile(days: 7) { HourOfDayProfile.hourOfDay($0) < 8 ? 2 : 40 }
        // This window: 40 calls at 03:15–03:25 (2025-07-01 = F.at(day: 0)); an earlier run read 60 at 03:00–03:15.
        let records = Self.agentBurst(day: 0, hour: 3.25, count: 40, minutes: 10)
        let first = InvocationSpikeDetector.bucketIndex(F.at(day: 0, hour: 3))
        let prior = [first: 20, first + 1: 20, first + 2: 20]
        #expect(F.run(Self.stored(PrincipalBaseline(invocationProfile: night)), records).isEmpty, "40 alone stay below the floor")
        let f = try #require(F.run(Self.stored(PrincipalBaseline(invocationProfile: night, recentInvocations: prior)), records).first)
        #expect(f.count == 40 && f.evidenceTotal == 40)
        #expect(f.details["context"] == ["60 calls in these windows were read by earlier runs (counted in the windows, not in this finding)"])
        #expect(f.details["comparedAgainst"]?.first?.contains("stored history 2025-06-02..2025-06-08, 7 days") == true)
    }

    @Test func weekendsHaveTheirOwnProfileOnceTwoWeeksAreKnown() throws {
        // Busy 08–18 on weekdays only (200 an hour), 2 an hour otherwise.
        func officeDays(_ h: Int64) -> Int {
            !HourOfDayProfile.isWeekend(hour: h) && (8..<18).contains(HourOfDayProfile.hourOfDay(h)) ? 200 : 2
        }
        let saturday = Self.agentBurst(day: 4, hour: 10, count: 300, minutes: 30)    // 2025-07-05
        let wednesday = Self.agentBurst(day: 1, hour: 10, count: 300, minutes: 30)   // 2025-07-02
        let long = Self.stored(PrincipalBaseline(invocationProfile: Self.profile(days: 28, officeDays)))
        let f = try #require(F.run(long, saturday).first)
        #expect(f.details["comparedAgainst"]?.first?.hasPrefix("usual rate at 10:00 UTC: 1.0 calls per 30 min (busiest of 09:00–11:00 UTC, weekends;") == true)
        #expect(F.run(long, wednesday).isEmpty)
        // Ten days are too few for a weekend profile: the same Saturday is compared with all days, and is silent.
        let short = Self.stored(PrincipalBaseline(invocationProfile: Self.profile(days: 10, officeDays)))
        #expect(Self.profile(days: 10, officeDays).splitsWeekends == false)
        #expect(F.run(short, saturday).isEmpty)
    }

    @Test func offHoursSaysWhatItComparedAgainst() throws {
        let records = BaselineCases.office() + BaselineCases.burst(day: 20, hour: 3, count: 30)
        let f = try #require(F.run(InvocationSpikeDetector(), records).first)
        #expect(f.subject == ["kind": "off-hours"])
        #expect(f.details["hours"] == ["2025-07-21T03:00:00Z: 30 calls (hour 3 UTC never active in the baseline)"])
        #expect(f.details["comparedAgainst"]?.first?.hasPrefix("hours of day active in the baseline: 08–17 UTC (learned 2025-07-01..") == true)
    }

    @Test func profileSmoothsOverNeighbouringHours() {
        // 7 days, 30 calls at 02:00 every day, nothing else.
        let p = Self.profile(days: 7) { HourOfDayProfile.hourOfDay($0) == 2 ? 30 : 0 }
        #expect(p.isComplete && !p.splitsWeekends && p.days == 7)
        #expect(p.usual(hourOfDay: 2, weekend: false) == 30 && p.usual(hourOfDay: 3, weekend: true) == 0)
        #expect(p.expectedHourly(hourOfDay: 3, weekend: false)?.count == 30)
        #expect(p.expectedHourly(hourOfDay: 3, weekend: false)?.fromHour == 2)
        #expect(p.expectedHourly(hourOfDay: 4, weekend: false)?.count == 0)
        #expect(p.activeHours == [2])
        #expect(HourOfDayProfile.isWeekend(hour: F.at(day: 4).millisecondsSince1970 / 3_600_000))    // Saturday
        #expect(!HourOfDayProfile.isWeekend(hour: F.at(day: 6).millisecondsSince1970 / 3_600_000))   // Monday
        #expect(!Self.profile(days: 0) { _ in 1 }.isComplete)
    }

    @Test(arguments: BaselineCases.spike)
    func scenario(_ c: BaselineCase) { c.check() }

    @Test func spikeFindingListsTheWindowAndWhatItWasComparedAgainst() throws {
        let f = try #require(F.run(InvocationSpikeDetector(), BaselineCases.office() + BaselineCases.burst(day: 20, hour: 12, count: 200)).first)
        // The firing windows run from 11:45 to 13:10: the burst plus the routine calls at 12:00, 12:15 and 13:00.
        #expect(f.count == 203)
        #expect(f.evidenceTotal == 203)
        #expect(f.firstSeen == F.at(day: 20, hour: 12) && f.lastSeen == F.at(day: 20, hour: 13))
        // Office profile: 2 calls an hour 08–17 every day → 1.0 per 30 min at 12:00.
        // The peak (earliest of the busiest windows): 101 burst calls and the 2 routine ones in 12:00–12:30.
        #expect(f.details["windows"] == ["2025-07-21T12:00:00Z: 103 calls in 30 min, 103× the usual 1.0 per 30 min at 12:00 UTC "
                                         + "(burst 2025-07-21T11:45:00Z..2025-07-21T13:10:00Z: 203 calls)"])
        #expect(f.details["comparedAgainst"] == ["usual rate at 12:00 UTC: 1.0 calls per 30 min (busiest of 11:00–13:00 UTC, all days; "
                                                 + "learned 2025-07-01..2025-07-10, 8.8 days); busiest two hours then: 4 calls"])
        #expect(f.title == "\(F.role) invocation volume spike: 103 calls in 30 min from 2025-07-21T12:00:00Z, 103× the usual 1.0 per 30 min at 12:00 UTC")
    }
}

extension BaselineCases {
    /// 30 days: 2 invocations per hour 08–17 UTC every day (baseline = first 9 days, p95 = 2, active hours 8–17).
    static func office(days: Int = 30) -> [CloudTrailRecord] {
        var out: [CloudTrailRecord] = []
        for d in 0..<days { for h in 8...17 { for k in 0..<2 { out.append(F.rec(day: d, hour: Double(h) + Double(k) * 0.25, id: "o-\(d)-\(h)-\(k)")) } } }
        return out
    }

    /// A stored profile of 14 days in June 2025 with `perHour` invocations in every hour.
    static func flat(_ perHour: Int) -> HourOfDayProfile {
        let start = Instant(year: 2025, month: 6, day: 1)!.millisecondsSince1970 / 3_600_000
        return HourOfDayProfile(firstHour: start, endHour: start + 14 * 24) { _ in perHour }
    }

    static func burst(day: Int, hour: Int, count: Int, name: String = "InvokeModel") -> [CloudTrailRecord] {
        (0..<count).map { F.rec(day: day, hour: Double(hour) + Double($0) / Double(count + 1), name: name, id: "b-\(day)-\(hour)-\($0)") }
    }

    static let spike: [BaselineCase] = [
        BaselineCase(name: "200 invokes in a working hour after the cut → volume", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 12, count: 200) },
                     expected: ["kind=volume medium"]),
        BaselineCase(name: "90 invokes (below floor) → none", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 12, count: 90) },
                     expected: []),
        BaselineCase(name: "same burst inside the learning part → none", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 2, hour: 12, count: 200) },
                     expected: []),
        BaselineCase(name: "40 Converse calls in an hour: below the default floor of 50 per 30 min → none", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 12, count: 40, name: "Converse") },
                     expected: []),
        BaselineCase(name: "lowered floor and multiplier fire on 40 Converse calls", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 12, count: 40, name: "Converse") },
                     context: { config { $0.detectors["invocation-spike"] = DetectorSettings(thresholds: ["floor": 15, "multiplier": 10]) } },
                     expected: ["kind=volume medium"]),
        BaselineCase(name: "30 InvokeAgentRuntime calls at 03:00, never active then → off-hours", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 3, count: 30, name: "InvokeAgentRuntime").map { var r = $0; r.eventSource = "bedrock-agentcore.amazonaws.com"; return r } },
                     expected: ["kind=off-hours medium"]),
        BaselineCase(name: "15 calls at 03:00 (below offHoursMinimum) → none", detector: { InvocationSpikeDetector() },
                     records: { office() + burst(day: 20, hour: 3, count: 15) },
                     expected: []),
        BaselineCase(name: "baseline shorter than 7 days: no learned off-hours", detector: { InvocationSpikeDetector() },
                     records: { office(days: 12) + burst(day: 10, hour: 3, count: 30) },
                     expected: []),
        BaselineCase(name: "workingHoursUTC set, short window → off-hours", detector: { InvocationSpikeDetector() },
                     records: { burst(day: 0, hour: 9, count: 5) + burst(day: 0, hour: 3, count: 25) },
                     context: { config { $0.workingHoursUTC = Array(8...17) } },
                     expected: ["kind=off-hours medium"]),
        BaselineCase(name: "stored profile, usually 100 an hour at 09:00: 300 calls in the hour is below 5× → none", detector: {
                         InvocationSpikeDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline(invocationProfile: flat(100))]))
                     },
                     records: { burst(day: 0, hour: 9, count: 300) + burst(day: 0, hour: 11, count: 1) },
                     expected: []),
        BaselineCase(name: "stored profile, usually 10 an hour: 300 calls → volume", detector: {
                         InvocationSpikeDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline(invocationProfile: flat(10))]))
                     },
                     records: { burst(day: 0, hour: 9, count: 300) + burst(day: 0, hour: 11, count: 1) },
                     expected: ["kind=volume medium"]),
        BaselineCase(name: "stored baseline without a profile (history shorter than a day) → none", detector: {
                         InvocationSpikeDetector(storedBaselines: StaticBaselines([F.role: PrincipalBaseline()]))
                     },
                     records: { burst(day: 0, hour: 9, count: 300) + burst(day: 0, hour: 11, count: 1) },
                     expected: []),
    ]
}

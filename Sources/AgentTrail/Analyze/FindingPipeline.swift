/// Turns merged detector state into the final findings: applies enable/disable, scoping to principals of
/// interest, severity overrides and suppressions, and sorts into report order.
public enum FindingPipeline {
    /// With `jobs` above 1 the detectors' findings are made on up to `jobs` threads, the heaviest first
    /// (`DetectorAccumulator.findingsCost`; at two jobs a scan's findings were a serial tail after its pass), and
    /// taken in detector order as before.
    public static func make(accumulators: [any DetectorAccumulator], detectors: [any Detector], facts: RunFacts,
                            now: Instant, jobs: Int = 1) -> ScanResult {
        let config = facts.context.config
        var findings: [Finding] = []
        let enabled = zip(detectors, accumulators).filter { config.isEnabled($0.0.id.rawValue) }.map(DetectorJob.init)
        let made = ParallelMap.map(enabled, jobs: jobs, cost: { $0.accumulator.findingsCost }) {
            $0.accumulator.findings(facts)
        }
        for (job, made) in zip(enabled, made) {
            let detector = job.detector
            var produced = made
            if detector.descriptor.traits.contains(.principalScoped) {
                produced = produced.filter { facts.isInScope($0.principal) }
            }
            if let sev = config.detectors[detector.id.rawValue]?.severity {
                for i in produced.indices { produced[i].severity = sev }
            }
            // Findings named for a part of their detector (`sigma:<rule id>`) take that name's settings too.
            if produced.contains(where: { $0.detector != detector.id.rawValue }) {
                produced = produced.filter { $0.detector == detector.id.rawValue || config.isEnabled($0.detector) }
                for i in produced.indices where produced[i].detector != detector.id.rawValue {
                    if let sev = config.detectors[produced[i].detector]?.severity { produced[i].severity = sev }
                }
            }
            findings += produced
        }
        findings = groupIncidents(findings)
        let active = config.suppressions.filter { !$0.isExpired(at: now) }
        var kept: [Finding] = []
        var suppressed: [(finding: Finding, reason: String)] = []
        for f in findings {
            if let s = active.first(where: { $0.matches(f) }) { suppressed.append((f, s.reason)) } else { kept.append(f) }
        }
        kept.sort(by: Finding.reportOrder)
        suppressed.sort { Finding.reportOrder($0.finding, $1.finding) }
        return ScanResult(summary: ScanSummary(), findings: kept, suppressed: suppressed,
                          expiredSuppressions: config.suppressions.filter { $0.isExpired(at: now) }, facts: facts)
    }

    /// One incident, one finding: `denied-calls` findings whose denials all fall inside a `denied-burst` of the
    /// same principal are folded into the burst (whose details list the actions).
    static func groupIncidents(_ findings: [Finding]) -> [Finding] {
        foldRulesIntoBuiltins(denialsIntoBursts(findings))
    }

    /// A rule finding that names a built-in detector (`SigmaRule.builtin`) is dropped when that detector reported
    /// each of its events (all known: no more than the evidence cap) for the same principal, in a finding whose time
    /// range covers it.
    static func foldRulesIntoBuiltins(_ findings: [Finding]) -> [Finding] {
        let key = SigmaRuleAccumulator.builtinKey
        guard findings.contains(where: { $0.details[key] != nil }) else { return findings }
        var ranges: [String: [(Instant, Instant)]] = [:]
        for f in findings where f.details[key] == nil {
            if let a = f.firstSeen, let b = f.lastSeen { ranges[f.detector + "|" + (f.principal ?? ""), default: []].append((a, b)) }
        }
        return findings.filter { f in
            guard let builtin = f.details[key]?.first, f.evidenceTotal == f.evidence.count, !f.evidence.isEmpty,
                  let covering = ranges[builtin + "|" + (f.principal ?? "")] else { return true }
            let covered = f.evidence.allSatisfy { e in
                guard let t = e.time else { return false }
                return covering.contains { $0.0 <= t && t <= $0.1 }
            }
            return !covered
        }
    }

    static func denialsIntoBursts(_ findings: [Finding]) -> [Finding] {
        let burst = DeniedBurstDetector.descriptor.id.rawValue, calls = DeniedCallsDetector.descriptor.id.rawValue
        let bursts = findings.filter { $0.detector == burst }
        guard !bursts.isEmpty else { return findings }
        return findings.filter { f in
            guard f.detector == calls, let first = f.firstSeen, let last = f.lastSeen else { return true }
            return !bursts.contains { b in
                b.principal == f.principal && b.firstSeen.map { $0 <= first } == true && b.lastSeen.map { last <= $0 } == true
            }
        }
    }
}

/// A detector and its merged accumulator, handed to the thread that makes its findings (one thread per accumulator).
private struct DetectorJob: @unchecked Sendable {
    let detector: any Detector
    let accumulator: any DetectorAccumulator
    init(_ pair: (any Detector, any DetectorAccumulator)) { (detector, accumulator) = pair }
}

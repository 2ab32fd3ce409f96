/// `denied-burst`: one principal denied on many distinct actions within a short window (permission
/// enumeration). One finding per burst, listing its actions in `details["actions"]`.
///
/// Thresholds: `distinctActions` (default 10), `windowMinutes` (default 10). Denials without a parseable
/// `eventTime` cannot be placed in a window and are ignored here (`denied-calls` still counts them).
/// The finding's subject carries `start` (the burst's first denial, ISO 8601) so that several bursts of one
/// principal have distinct keys.
public struct DeniedBurstDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "denied-burst", defaultSeverity: .high,
        summary: "one principal denied on many distinct actions in a short window",
        thresholds: [
            ThresholdSpec("distinctActions", default: 10, minimum: 1, summary: "distinct denied actions that make a burst"),
            ThresholdSpec("windowMinutes", default: 10, minimum: 1, summary: "length of the window in minutes"),
        ])
    public var descriptor: DetectorDescriptor { Self.descriptor }

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        let minutes = max(1, context.threshold("windowMinutes", of: Self.descriptor))
        let distinct = max(2, Int(context.threshold("distinctActions", of: Self.descriptor).rounded(.up)))
        return DeniedBurstAccumulator(detector: self, windowMs: Int64(minutes * 60_000), distinctActions: distinct)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }
}

/// Per principal: denials by action in `BurstWindows` (bucketed extremes, exact for window questions).
final class DeniedBurstAccumulator: DetectorAccumulator {
    private let detector: DeniedBurstDetector
    private let windowMs: Int64
    private let distinctActions: Int
    private var perPrincipal: [String: BurstWindows<String>] = [:]
    private var codes: [String: Set<String>] = [:]

    init(detector: DeniedBurstDetector, windowMs: Int64, distinctActions: Int) {
        self.detector = detector
        self.windowMs = windowMs
        self.distinctActions = distinctActions
    }

    func observe(_ event: ObservedRecord) {
        let r = event.record
        guard r.isAccessDenied, r.eventTime != nil, !CallClassifier.isMadeByServiceOnBehalf(r) else { return }
        let p = event.principalKey
        if perPrincipal[p] == nil { perPrincipal[p] = BurstWindows(windowMs: windowMs) }
        perPrincipal[p]!.add(r.actionLabel, event.evidenceRef)
        if let code = r.failureCode { codes[p, default: []].insert(code) }
    }

    func merge(_ o: DeniedBurstAccumulator) {
        for (p, w) in o.perPrincipal {
            if perPrincipal[p] == nil { perPrincipal[p] = w } else { perPrincipal[p]!.merge(w) }
        }
        for (p, c) in o.codes { codes[p, default: []].formUnion(c) }
    }

    func findings(_ facts: RunFacts) -> [Finding] {
        let minutes = windowMs / 60_000
        var out: [Finding] = []
        for (principal, windows) in perPrincipal {
            for burst in windows.bursts(minDistinct: distinctActions) {
                let actions = burst.counts.keys.sorted()
                let services = Set(actions.map { $0.split(separator: ":").first.map(String.init) ?? $0 }).sorted()
                out.append(Finding(
                    detector: detector.id, severity: detector.defaultSeverity,
                    principal: principal, subject: ["start": burst.first.iso8601],
                    firstSeen: burst.first, lastSeen: burst.last, count: burst.count,
                    evidence: burst.evidence, evidenceTotal: burst.count,
                    message: .deniedBurst(actions: actions, denials: burst.count, windowMinutes: minutes),
                    details: ["actions": actions, "services": services,
                              "errorCodes": (codes[principal] ?? []).sorted()]))
            }
        }
        return EventSignals.sorted(out)
    }
}

fileprivate extension Finding.Message {
    /// One principal denied on `actions` (sorted), `denials` times, within windows of `windowMinutes`.
    static func deniedBurst(actions: [String], denials: Int, windowMinutes: Int64) -> Self {
        Self(title: "Denied on \(actions.count) distinct actions (\(EventSignals.plural(denials, "denial"))) "
                + "within \(windowMinutes) min windows: \(EventSignals.list(actions))",
             recommendation: "Looks like permission enumeration: confirm who holds these credentials and rotate them if it was not expected.")
    }
}

extension DeniedBurstAccumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(perPrincipal.mapValues(\.buckets), "perPrincipal")
        try c.put(codes, "codes")
    }

    func decodePartial(from decoder: any Decoder) throws {
        let c = try decoder.partialContainer()
        perPrincipal = try c.get("perPrincipal", as: [String: [String: [Int64: BucketExtremes]]].self)
            .mapValues { BurstWindows(windowMs: windowMs, buckets: $0) }
        codes = try c.get("codes")
    }
}

/// `denied-calls`: calls refused for lack of permission, one finding per principal and action. A denial of a call another
/// AWS service made on the principal's behalf (`CallClassifier.isMadeByServiceOnBehalf`) is the service's, not counted.
public struct DeniedCallsDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "denied-calls", defaultSeverity: .low,
        summary: "access-denied calls per principal and action", traits: [.principalScoped])
    public var descriptor: DetectorDescriptor { Self.descriptor }

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        DeniedCallsAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }
}

/// Per (principal, action): a tally of denied calls and the error codes seen.
final class DeniedCallsAccumulator: DetectorAccumulator {
    private struct Key: Hashable, Codable {
        var principal: String
        var action: String
    }

    private let detector: DeniedCallsDetector
    private var tallies: [Key: Tally] = [:]
    private var codes: [Key: Set<String>] = [:]

    init(detector: DeniedCallsDetector) { self.detector = detector }

    func observe(_ event: ObservedRecord) {
        let r = event.record
        guard r.isAccessDenied, !CallClassifier.isMadeByServiceOnBehalf(r) else { return }
        let key = Key(principal: event.principalKey, action: r.actionLabel)
        tallies.add(event, at: key)
        if let code = r.failureCode { codes[key, default: []].insert(code) }
    }

    func merge(_ o: DeniedCallsAccumulator) {
        tallies.mergeTallies(o.tallies)
        for (k, v) in o.codes { codes[k, default: []].formUnion(v) }
    }

    func findings(_ facts: RunFacts) -> [Finding] {
        EventSignals.sorted(tallies.map { key, tally in
            let errorCodes = (codes[key] ?? []).sorted()
            return Finding(
                detector: detector.id, severity: detector.defaultSeverity,
                principal: key.principal, subject: ["action": key.action], tally: tally,
                message: .deniedCalls(tally.count, to: key.action, errorCodes: errorCodes),
                details: ["errorCodes": errorCodes])
        })
    }
}

fileprivate extension Finding.Message {
    /// `calls` denied calls of one principal to `action`, answered with `errorCodes` (sorted).
    static func deniedCalls(_ calls: Int, to action: String, errorCodes: [String]) -> Self {
        Self(title: "\(EventSignals.plural(calls, "denied call")) to \(action)"
                + (errorCodes.isEmpty ? "" : " (\(errorCodes.joined(separator: ", ")))"),
             recommendation: "Check whether \(action) is needed: grant it narrowly if so, otherwise find and stop the caller trying it.")
    }
}

extension DeniedCallsAccumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(tallies, "tallies")
        try c.put(codes, "codes")
    }

    func decodePartial(from decoder: any Decoder) throws {
        let c = try decoder.partialContainer()
        tallies = try c.get("tallies")
        codes = try c.get("codes")
    }
}

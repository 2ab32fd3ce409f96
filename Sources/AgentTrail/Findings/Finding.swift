/// One thing a detector wants a human to look at, with its evidence.
public struct Finding: Sendable, Hashable {
    /// Detector id, e.g. `denied-burst`.
    public var detector: String
    public var severity: Severity
    /// One line saying what happened (from the finding's `Message`).
    public var title: String
    /// The principal (role ARN, not session ARN; user ARN; `root:<account>`), when the finding is about one.
    public var principal: String?
    /// What the finding is about besides the principal (`ip`, `action`, `region`, `model`, ...). Part of the key.
    public var subject: [String: String]
    public var firstSeen: Instant?
    public var lastSeen: Instant?
    /// How many events the finding covers.
    public var count: Int
    /// Up to `Evidence.cap` events (earliest first) with their files.
    public var evidence: [EvidenceRef]
    /// The true number of events behind the finding (≥ `evidence.count`).
    public var evidenceTotal: Int
    /// One-line advice (from the finding's `Message`).
    public var recommendation: String
    /// Extra facts shown with the finding (e.g. the 35 actions of an enumeration burst), not part of the key.
    public var details: [String: [String]]

    /// A finding saying `message` (its title and recommendation).
    public init(detector: String, severity: Severity, principal: String?, subject: [String: String] = [:],
                firstSeen: Instant? = nil, lastSeen: Instant? = nil, count: Int = 0, evidence: [EvidenceRef] = [],
                evidenceTotal: Int = 0, message: Message, details: [String: [String]] = [:]) {
        self.detector = detector
        self.severity = severity
        self.title = message.title
        self.principal = principal
        self.subject = subject
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
        self.evidence = evidence
        self.evidenceTotal = max(evidenceTotal, evidence.count)
        self.recommendation = message.recommendation
        self.details = details
    }

    /// Builds a finding from a tally (count, first/last seen, evidence).
    public init(detector: String, severity: Severity, principal: String?, subject: [String: String] = [:],
                tally: Tally, message: Message, details: [String: [String]] = [:]) {
        self.init(detector: detector, severity: severity, principal: principal, subject: subject,
                  firstSeen: tally.firstSeen, lastSeen: tally.lastSeen, count: tally.count,
                  evidence: tally.evidence.items, evidenceTotal: tally.evidence.total, message: message, details: details)
    }

    /// A finding of the detector `detector` (its id is the finding's `detector`).
    public init(detector: DetectorID, severity: Severity, principal: String?, subject: [String: String] = [:],
                firstSeen: Instant? = nil, lastSeen: Instant? = nil, count: Int = 0, evidence: [EvidenceRef] = [],
                evidenceTotal: Int = 0, message: Message, details: [String: [String]] = [:]) {
        self.init(detector: detector.rawValue, severity: severity, principal: principal, subject: subject,
                  firstSeen: firstSeen, lastSeen: lastSeen, count: count, evidence: evidence,
                  evidenceTotal: evidenceTotal, message: message, details: details)
    }

    /// A finding of `detector` from a tally.
    public init(detector: DetectorID, severity: Severity, principal: String?, subject: [String: String] = [:],
                tally: Tally, message: Message, details: [String: [String]] = [:]) {
        self.init(detector: detector.rawValue, severity: severity, principal: principal, subject: subject,
                  tally: tally, message: message, details: details)
    }

    /// Stable identity for dedupe across runs: detector + principal + subject (sorted keys).
    public var key: String {
        var s = detector + "|" + (principal ?? "-")
        for k in subject.keys.sorted() { s += "|" + k + "=" + (subject[k] ?? "") }
        return s
    }

    /// Deterministic report order: severity (high first), detector, principal, key.
    public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
        if a.severity != b.severity { return a.severity > b.severity }
        if a.detector != b.detector { return a.detector < b.detector }
        if (a.principal ?? "") != (b.principal ?? "") { return (a.principal ?? "") < (b.principal ?? "") }
        return a.key < b.key
    }
}

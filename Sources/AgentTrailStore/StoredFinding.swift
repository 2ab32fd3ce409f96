import AgentTrail
import Foundation

/// The JSON body a finding is kept in (findings history and a run's pending findings). Not on the record
/// hot path: one per finding.
struct StoredFinding: Codable {
    struct Ref: Codable {
        var eventID: String?
        var file: String
        var index: Int
        var time: Int64?
    }

    var detector: String
    var severity: String
    var title: String
    var principal: String?
    var subject: [String: String]
    var firstSeen: Int64?
    var lastSeen: Int64?
    var count: Int
    var evidence: [Ref]
    var evidenceTotal: Int
    var recommendation: String
    var details: [String: [String]]

    init(_ f: Finding) {
        detector = f.detector
        severity = f.severity.name
        title = f.title
        principal = f.principal
        subject = f.subject
        firstSeen = f.firstSeen?.millisecondsSince1970
        lastSeen = f.lastSeen?.millisecondsSince1970
        count = f.count
        evidence = f.evidence.map { Ref(eventID: $0.eventID, file: $0.file, index: $0.index, time: $0.time?.millisecondsSince1970) }
        evidenceTotal = f.evidenceTotal
        recommendation = f.recommendation
        details = f.details
    }

    var finding: Finding {
        let refs: [EvidenceRef] = evidence.map { r in
            EvidenceRef(eventID: r.eventID, file: r.file, index: r.index, time: r.time.map { Instant(millisecondsSince1970: $0) })
        }
        let first: Instant? = firstSeen.map { Instant(millisecondsSince1970: $0) }
        let last: Instant? = lastSeen.map { Instant(millisecondsSince1970: $0) }
        return Finding(detector: detector, severity: Severity(name: severity) ?? .info, principal: principal,
                       subject: subject, firstSeen: first, lastSeen: last, count: count, evidence: refs,
                       evidenceTotal: evidenceTotal, message: Finding.Message(title: title, recommendation: recommendation),
                       details: details)
    }

    static func encode(_ f: Finding) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try enc.encode(StoredFinding(f)), as: UTF8.self)
    }

    static func decode(_ s: String) throws -> Finding {
        try JSONDecoder().decode(StoredFinding.self, from: Data(s.utf8)).finding
    }
}

extension Finding {
    /// Folds a later occurrence of the same finding in: summed counts, widened first/last seen, earliest
    /// evidence (capped), the higher severity; title, details and advice of the later one.
    func merged(with later: Finding) -> Finding {
        var m = later
        m.severity = max(severity, later.severity)
        m.count = count + later.count
        if let f = firstSeen, m.firstSeen == nil || f < m.firstSeen! { m.firstSeen = f }
        if let l = lastSeen, m.lastSeen == nil || l > m.lastSeen! { m.lastSeen = l }
        m.evidence = Array(Set(evidence + later.evidence).sorted().prefix(Evidence.cap))
        m.evidenceTotal = evidenceTotal + later.evidenceTotal
        return m
    }
}

/// `weak-tls`: calls negotiated with a TLS version below 1.2 (`TLSv1`, `TLSv1.0`, `TLSv1.1`, `SSLv3`, ...),
/// per principal and version. Version text that cannot be parsed never fires. Subject `tlsVersion`.
public struct WeakTLSDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "weak-tls", defaultSeverity: .medium,
        summary: "TLS below 1.2", traits: [.principalScoped])
    public var descriptor: DetectorDescriptor { Self.descriptor }

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        WeakTLSAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [.tls] }

    /// True when `text` names a protocol version below TLS 1.2; false for 1.2+, nil when not understood.
    public static func isWeak(_ text: String) -> Bool? {
        if text == "TLSv1.2" || text == "TLSv1.3" { return false }  // the usual case, without allocating
        let t = text.lowercased()
        let isSSL = t.hasPrefix("sslv")
        guard isSSL || t.hasPrefix("tlsv") else { return nil }
        let version = t.dropFirst(4)
        let parts = version.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let major = Int(parts[0]) else { return nil }
        let minor: Int
        if parts.count == 2 {
            guard let m = Int(parts[1]) else { return nil }
            minor = m
        } else {
            minor = 0
        }
        if isSSL { return (2...3).contains(major) && minor == 0 ? true : nil }
        guard major == 1, (0...3).contains(minor) else { return nil }
        return minor < 2
    }
}

/// Per (principal, TLS version): calls, actions and the host names the client asked for.
final class WeakTLSAccumulator: DetectorAccumulator {
    private struct Key: Hashable, Codable {
        var principal: String
        var version: String
    }

    private let detector: WeakTLSDetector
    private var tallies: [Key: Tally] = [:]
    private var actions: [Key: Set<String>] = [:]
    private var hosts: [Key: Set<String>] = [:]

    init(detector: WeakTLSDetector) { self.detector = detector }

    func observe(_ event: ObservedRecord) {
        let r = event.record
        guard let v = r.tlsVersion, WeakTLSDetector.isWeak(v) == true else { return }
        let key = Key(principal: event.principalKey, version: v)
        tallies.add(event, at: key)
        actions[key, default: []].insert(r.actionLabel)
        if let h = r.clientProvidedHostHeader, !h.isEmpty { hosts[key, default: []].insert(h) }
    }

    func merge(_ o: WeakTLSAccumulator) {
        tallies.mergeTallies(o.tallies)
        for (k, v) in o.actions { actions[k, default: []].formUnion(v) }
        for (k, v) in o.hosts { hosts[k, default: []].formUnion(v) }
    }

    func findings(_ facts: RunFacts) -> [Finding] {
        EventSignals.sorted(tallies.map { key, tally in
            let acts = (actions[key] ?? []).sorted()
            return Finding(
                detector: detector.id, severity: detector.defaultSeverity,
                principal: key.principal, subject: ["tlsVersion": key.version], tally: tally,
                message: .weakTLS(calls: tally.count, version: key.version, actions: acts),
                details: ["actions": acts, "hosts": (hosts[key] ?? []).sorted()])
        })
    }
}

fileprivate extension Finding.Message {
    /// `calls` calls (`actions`, sorted) over the outdated TLS `version`.
    static func weakTLS(calls: Int, version: String, actions: [String]) -> Self {
        Self(title: "\(EventSignals.plural(calls, "call")) over \(version): \(EventSignals.list(actions))",
             recommendation: "Upgrade the client's SDK/runtime to TLS 1.2 or later, and enforce it with an aws:SecureTransport/TLS policy.")
    }
}

extension WeakTLSAccumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(tallies, "tallies")
        try c.put(actions, "actions")
        try c.put(hosts, "hosts")
    }

    func decodePartial(from decoder: any Decoder) throws {
        let c = try decoder.partialContainer()
        tallies = try c.get("tallies")
        actions = try c.get("actions")
        hosts = try c.get("hosts")
    }
}

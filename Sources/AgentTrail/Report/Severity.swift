/// How serious a finding is, ordered from `info` (lowest) to `critical` (highest).
public enum Severity: Int, Comparable, Codable, CaseIterable, Sendable {
    case info, low, medium, high, critical

    /// Parses a severity name case-insensitively (`"High"`, `"critical"`); nil for anything else.
    public init?(name: String) {
        guard let match = Severity.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = match
    }

    /// The lowercase name (`info`, `low`, `medium`, `high`, `critical`).
    public var name: String {
        switch self {
        case .info: return "info"
        case .low: return "low"
        case .medium: return "medium"
        case .high: return "high"
        case .critical: return "critical"
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
}

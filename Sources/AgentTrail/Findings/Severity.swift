/// How serious a finding is: info < low < medium < high < critical.
public enum Severity: Int, Comparable, Codable, CaseIterable, Sendable, CustomStringConvertible {
    case info, low, medium, high, critical

    /// Parses a name case-insensitively (`high`, `HIGH`).
    public init?(name: String) {
        guard let s = Severity.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = s
    }

    /// Lowercase name: `info`, `low`, `medium`, `high`, `critical`.
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
    public var description: String { name }
}

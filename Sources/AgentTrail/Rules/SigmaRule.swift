/// A Sigma detection rule compiled for CloudTrail records (`logsource: product aws, service cloudtrail`).
public struct SigmaRule: Sendable {
    /// The rule's `id`, lower-cased (findings are `sigma:<id>`).
    public let id: String
    /// The optional `name` (correlation rules may refer to a rule by it).
    public let name: String?
    public let title: String
    public let description: String?
    /// `level` as a severity (`informational` is `info`; no level: `medium`).
    public let severity: Severity
    public let status: String?
    public let tags: [String]
    public let references: [String]
    public let falsePositives: [String]
    /// The file and 1-based line of the rule's document.
    public let file: String
    public let line: Int
    /// The record fields the detection reads (dotted paths), sorted.
    public let fields: [String]
    /// The eventNames and eventSources every match must have (case-folded; nil: any). What `rules check` shows and
    /// what the byte-level prefilter uses.
    public let eventNames: Set<String>?
    public let eventSources: Set<String>?
    /// False when a correlation rule uses this rule without `generate: true`: its matches feed the correlation and
    /// make no finding of their own (Sigma specification v2, "Correlation rules").
    public internal(set) var generates = true
    /// `agenttrail: {builtin: <detector id>}`: a built-in detector that reports the same events (with more context);
    /// when it reports them, this rule's finding is folded into its (`FindingPipeline.groupIncidents`).
    public let builtin: String?
    let detection: SigmaDetection
}

/// A Sigma correlation rule (`event_count`, `value_count`, `temporal`, `temporal_ordered`) over base rules.
public struct SigmaCorrelation: Sendable {
    public enum Kind: String, Sendable {
        case eventCount = "event_count"
        case valueCount = "value_count"
        case temporal
        case temporalOrdered = "temporal_ordered"
    }

    public let id: String
    public let name: String?
    public let title: String
    public let description: String?
    public let severity: Severity
    public let tags: [String]
    public let references: [String]
    public let falsePositives: [String]
    public let file: String
    public let line: Int
    public let kind: Kind
    /// Indices into `RuleSet.rules`, in the order the correlation lists them.
    public let rules: [Int]
    public let groupBy: [String]
    /// The window, in seconds.
    public let timespan: Int64
    /// Predicates on the group's peak count (event_count, value_count): all must hold.
    public let condition: [(SigmaComparisonOperator, Int)]
    /// value_count: the field whose distinct values are counted.
    public let valueField: String?

    let groupPaths: [SigmaFieldPath]
    let valuePath: SigmaFieldPath?
}

/// A comparison: the `gt`/`gte`/`lt`/`lte` value modifiers, and correlation conditions (which add `eq` and `neq`).
public enum SigmaComparisonOperator: String, Sendable, CaseIterable {
    case gt, gte, lt, lte, eq, neq

    func holds<T: Comparable>(_ value: T, _ bound: T) -> Bool {
        switch self {
        case .gt: return value > bound
        case .gte: return value >= bound
        case .lt: return value < bound
        case .lte: return value <= bound
        case .eq: return value == bound
        case .neq: return value != bound
        }
    }
}

/// A rules file or document that was not loaded, and why (not an error: e.g. another log source).
public struct RuleNote: Sendable, Hashable {
    public var file: String
    public var line: Int?
    public var message: String
}

/// A problem that stops a rule from loading: the file, line and what is wrong or unsupported.
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unreadable, tooLarge, syntax, missingKey, wrongType, invalidValue
        /// A feature of Sigma the engine does not implement (a modifier, a correlation type, ...).
        case unsupported
        case badCondition
        /// A correlation names a rule that is not loaded.
        case unknownRule
    }

    public var code: Code
    public var file: String
    public var line: Int?
    public var message: String

    public var description: String {
        let at = line.map { "\(file):\($0)" } ?? file
        return "\(at): \(message)"
    }
}

/// The rules of a run: compiled, deduplicated by id, with what was skipped.
public struct RuleSet: Sendable {
    public internal(set) var rules: [SigmaRule] = []
    public internal(set) var correlations: [SigmaCorrelation] = []
    /// Documents not loaded on purpose (another log source, a rule id loaded before), with the reason.
    public internal(set) var notes: [RuleNote] = []
    /// Documents for another log source than CloudTrail (counted in `notes` too).
    public internal(set) var otherLogSources = 0
    /// Rules whose id was already loaded from an earlier file (the first one is kept).
    public internal(set) var duplicates = 0

    public init() {}

    public var isEmpty: Bool { rules.isEmpty && correlations.isEmpty }
}

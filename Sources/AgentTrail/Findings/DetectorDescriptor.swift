/// A numeric setting a detector reads from `detectors.<id>.<name>` in the config.
public struct ThresholdSpec: Sendable, Hashable {
    public var name: String
    public var defaultValue: Double
    /// Smallest allowed value; exclusive when `minimumExclusive`.
    public var minimum: Double
    public var minimumExclusive: Bool
    /// Largest allowed value (inclusive), if any.
    public var maximum: Double?
    /// True when only whole numbers make sense (counts, minutes).
    public var integer: Bool
    public var summary: String

    public init(_ name: String, default defaultValue: Double, minimum: Double = 0, minimumExclusive: Bool = false,
                maximum: Double? = nil, integer: Bool = true, summary: String) {
        self.name = name
        self.defaultValue = defaultValue
        self.minimum = minimum
        self.minimumExclusive = minimumExclusive
        self.maximum = maximum
        self.integer = integer
        self.summary = summary
    }

    /// True when `value` is allowed.
    public func accepts(_ value: Double) -> Bool {
        guard value.isFinite else { return false }
        if minimumExclusive ? value <= minimum : value < minimum { return false }
        if let maximum, value > maximum { return false }
        if integer && value != value.rounded() { return false }
        return true
    }

    /// `> 0`, `>= 1`, `in (0, 1]`, plus "whole number" for messages.
    public var rangeDescription: String {
        let low = minimumExclusive ? "\(format(minimum)) (exclusive)" : format(minimum)
        var s = maximum.map { "between \(low) and \(format($0))" } ?? "at least \(low)"
        if integer { s += ", a whole number" }
        return s
    }

    private func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
}

/// The stable kebab-case name of a detector (`denied-burst`): what findings, config keys (`detectors.<id>`) and
/// suppressions name. Each detector states its id once, in its `descriptor`.
public struct DetectorID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }
    public static func < (a: DetectorID, b: DetectorID) -> Bool { a.rawValue < b.rawValue }
}

/// Everything the rest of AgentTrail needs to know about a detector, said once, by the detector
/// (`static let descriptor`): id, default severity, one-line summary, configurable thresholds and how its
/// findings are treated. The registry, config validation, the finding pipeline, nightly mode and
/// `agenttrail detectors` (Docs/Detectors.md) all read the descriptors.
public struct DetectorDescriptor: Sendable, Hashable {
    /// How the run treats a detector's findings.
    public struct Traits: OptionSet, Sendable, Hashable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// Findings are kept only for principals of interest (`RunFacts.isInScope`).
        public static let principalScoped = Traits(rawValue: 1)
        /// Judges against a learned baseline: silent while a nightly state is still learning.
        public static let baselineDriven = Traits(rawValue: 2)
        /// Judges the whole evidence window at once (not meaningful per nightly batch, so not run in nightly mode).
        public static let needsWholeWindow = Traits(rawValue: 4)
        /// Runs only when IAM policies are given (`--policies`).
        public static let needsPolicies = Traits(rawValue: 8)
        /// Internal machinery that uses the detector interface (baseline collection, review usage): never
        /// listed, configured or reported.
        public static let `internal` = Traits(rawValue: 16)
    }

    public var id: DetectorID
    public var defaultSeverity: Severity
    public var summary: String
    public var thresholds: [ThresholdSpec]
    public var traits: Traits

    public init(id: String, defaultSeverity: Severity, summary: String, thresholds: [ThresholdSpec] = [],
                traits: Traits = []) {
        self.id = DetectorID(id)
        self.defaultSeverity = defaultSeverity
        self.summary = summary
        self.thresholds = thresholds
        self.traits = traits
    }

    public func threshold(_ name: String) -> ThresholdSpec? { thresholds.first { $0.name == name } }
}

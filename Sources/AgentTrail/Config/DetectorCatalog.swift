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

/// One detector id the tool offers, with its default severity and the thresholds it reads.
public struct DetectorDescriptor: Sendable, Hashable {
    public var id: String
    public var defaultSeverity: Severity
    public var summary: String
    public var thresholds: [ThresholdSpec]

    public init(id: String, defaultSeverity: Severity, summary: String, thresholds: [ThresholdSpec] = []) {
        self.id = id
        self.defaultSeverity = defaultSeverity
        self.summary = summary
        self.thresholds = thresholds
    }

    public func threshold(_ name: String) -> ThresholdSpec? { thresholds.first { $0.name == name } }
}

/// Every detector id of the detection reference (detections.md), so the config can be validated before any
/// detector runs. Detectors must read exactly the threshold names listed here.
public enum DetectorCatalog {
    public static let all: [DetectorDescriptor] = [
        DetectorDescriptor(id: "unknown-source-ip", defaultSeverity: .medium,
                           summary: "calls from an IP outside trusted CIDRs, policy aws:SourceIp and the baseline"),
        DetectorDescriptor(id: "denied-calls", defaultSeverity: .low,
                           summary: "access-denied calls per principal and action"),
        DetectorDescriptor(id: "denied-burst", defaultSeverity: .high,
                           summary: "one principal denied on many distinct actions in a short window",
                           thresholds: [
                               ThresholdSpec("distinctActions", default: 10, minimum: 1, summary: "distinct denied actions that make a burst"),
                               ThresholdSpec("windowMinutes", default: 10, minimum: 1, summary: "length of the window in minutes"),
                           ]),
        DetectorDescriptor(id: "unused-granted-action", defaultSeverity: .low,
                           summary: "granted actions without successful use in the evidence window"),
        DetectorDescriptor(id: "over-broad-grant", defaultSeverity: .medium,
                           summary: "wildcard, NotAction, Resource \"*\", non-existent actions, wrong resource types"),
        DetectorDescriptor(id: "bedrock-recon", defaultSeverity: .high,
                           summary: "LLMjacking reconnaissance: recon set coverage, AKIA listing then invoke, ValidationException probing",
                           thresholds: [
                               ThresholdSpec("reconFraction", default: 0.4, minimum: 0, minimumExclusive: true, maximum: 1,
                                             integer: false, summary: "fraction of the recon set called within the window"),
                               ThresholdSpec("windowHours", default: 24, minimum: 1, summary: "recon window in hours"),
                               ThresholdSpec("followUpMinutes", default: 15, minimum: 1, summary: "minutes from ListFoundationModels to an invoke"),
                               ThresholdSpec("probeModels", default: 3, minimum: 2, summary: "models with ValidationException within probeMinutes that make a probe whatever the history"),
                               ThresholdSpec("probeMinutes", default: 60, minimum: 1, summary: "window of the multi-model probe rule in minutes"),
                           ]),
        DetectorDescriptor(id: "model-access-change", defaultSeverity: .medium,
                           summary: "model access enabled or requested"),
        DetectorDescriptor(id: "bedrock-guardrail-or-logging-change", defaultSeverity: .medium,
                           summary: "guardrail or invocation-logging changes (high for deletes)"),
        DetectorDescriptor(id: "audit-tampering", defaultSeverity: .high,
                           summary: "CloudTrail stopped, deleted or reconfigured (critical for stop/delete)"),
        DetectorDescriptor(id: "long-term-credentials", defaultSeverity: .medium,
                           summary: "Bedrock/AgentCore calls with AKIA keys, root or Bedrock API keys"),
        DetectorDescriptor(id: "agent-role-outside-runtime", defaultSeverity: .high,
                           summary: "AgentCore execution role used with credentials not issued to the runtime, runtime credentials from outside AWS and its networks, or unexpected services",
                           thresholds: [
                               ThresholdSpec("sessionHours", default: 12, minimum: 1, summary: "longest role session: a key first used this long after the window starts must have its AssumeRole in the window"),
                               ThresholdSpec("trackedMinimum", default: 2, minimum: 1, summary: "session keys traced to an AssumeRole before untraced keys are reported"),
                           ]),
        DetectorDescriptor(id: "root-activity", defaultSeverity: .high,
                           summary: "root user API calls and console sign-ins"),
        DetectorDescriptor(id: "weak-tls", defaultSeverity: .medium,
                           summary: "TLS below 1.2"),
        DetectorDescriptor(id: "vpc-endpoint-bypass", defaultSeverity: .medium,
                           summary: "Bedrock/AgentCore calls without the configured or learned VPC endpoint",
                           thresholds: [
                               ThresholdSpec("minBaselineCalls", default: 5, minimum: 1,
                                             summary: "endpoint calls needed in the learning period to learn the habit"),
                           ]),
        DetectorDescriptor(id: "new-region", defaultSeverity: .low,
                           summary: "a region not in the principal's baseline"),
        DetectorDescriptor(id: "new-model", defaultSeverity: .low,
                           summary: "a model id not in the principal's baseline"),
        DetectorDescriptor(id: "invocation-spike", defaultSeverity: .medium,
                           summary: "invocations in a sliding window above a floor and N× the principal's usual count for that hour of day, or in never-active hours",
                           thresholds: [
                               ThresholdSpec("windowMinutes", default: 30, minimum: 5, maximum: 240,
                                             summary: "length of the sliding window in minutes (rounded up to 5-minute buckets)"),
                               ThresholdSpec("floor", default: 50, minimum: 0, integer: false,
                                             summary: "minimum invocations in a window for a volume spike (default: 100 per hour of window)"),
                               ThresholdSpec("multiplier", default: 5, minimum: 0, minimumExclusive: true, integer: false,
                                             summary: "multiple of the usual count for the window's hour of day"),
                               ThresholdSpec("peakMultiplier", default: 2, minimum: 1, integer: false,
                                             summary: "multiple of the busiest two hours at that time of day in the history"),
                               ThresholdSpec("offHoursMinimum", default: 20, minimum: 1, summary: "minimum invocations in an off hour"),
                           ]),
        DetectorDescriptor(id: "cross-account-access", defaultSeverity: .medium,
                           summary: "Bedrock/AgentCore calls whose caller account differs from the recipient account"),
    ]

    private static let byId: [String: DetectorDescriptor] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// The descriptor of `id`, or nil for an unknown id.
    public static func descriptor(for id: String) -> DetectorDescriptor? { byId[id] }

    /// All ids, in reference order.
    public static var ids: [String] { all.map(\.id) }
}

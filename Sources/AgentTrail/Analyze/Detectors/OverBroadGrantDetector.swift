/// `over-broad-grant`: policy statements that grant more than they should — `Action: "*"`, `<service>:*`,
/// Allow with `NotAction`, `Resource: "*"` on actions with resource-level permissions, actions that do not exist,
/// and ARNs with a resource type the service does not have. Findings come from the policy linter, one per
/// principal and rule, with every location in `details["locations"]`.
public struct OverBroadGrantDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "over-broad-grant", defaultSeverity: .medium,
        summary: "wildcard, NotAction, Resource \"*\", non-existent actions, wrong resource types", traits: [.needsPolicies])
    public var descriptor: DetectorDescriptor { Self.descriptor }
    /// Lint rules that make a grant over-broad (others, like a missing Version, are only lint).
    public static let rules: Set<String> = [
        "action-wildcard", "service-wildcard", "allow-not-action", "resource-wildcard", "unknown-action",
        "unknown-resource-type", "wildcard-matches-nothing",
    ]
    let lint: [String: [LintFinding]]

    public init(lint: [String: [LintFinding]]) { self.lint = lint }

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator { Accumulator(detector: self) }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [] }

    final class Accumulator: DetectorAccumulator {
        let detector: OverBroadGrantDetector
        init(detector: OverBroadGrantDetector) { self.detector = detector }
        func observe(_ event: ObservedRecord) {}
        func observesAction(of record: CloudTrailRecord) -> Bool { false }
        func merge(_ other: Accumulator) {}

        func findings(_ facts: RunFacts) -> [Finding] {
            var out: [Finding] = []
            for principal in detector.lint.keys.sorted() {
                let byRule = Dictionary(grouping: detector.lint[principal]!.filter { OverBroadGrantDetector.rules.contains($0.rule) }, by: \.rule)
                for rule in byRule.keys.sorted() {
                    let items = byRule[rule]!
                    let severity: Severity = rule == "action-wildcard" ? .high : detector.defaultSeverity
                    let locations = items.map { "\($0.file) \($0.jsonPath): \($0.message)" + ($0.suggestion.map { " (did you mean \($0)?)" } ?? "") }
                    out.append(Finding(
                        detector: detector.id, severity: severity,
                        principal: principal, subject: ["rule": rule], count: items.count,
                        message: .overBroadGrant(rule: rule, places: items.count, principal: principal),
                        details: ["locations": locations]))
                }
            }
            return out
        }
    }

    static func describe(_ rule: String) -> String {
        switch rule {
        case "action-wildcard": return "Allow with Action \"*\""
        case "service-wildcard": return "Service-wide wildcard action"
        case "allow-not-action": return "Allow with NotAction"
        case "resource-wildcard": return "Resource \"*\" on actions that support resource-level permissions"
        case "unknown-action": return "Action that does not exist"
        case "unknown-resource-type": return "ARN with a resource type the service does not have"
        case "wildcard-matches-nothing": return "Wildcard that matches no action"
        default: return rule
        }
    }
}

fileprivate extension Finding.Message {
    /// The lint rule `rule` (`OverBroadGrantDetector.describe`) matched in `places` places of `principal`'s policies.
    static func overBroadGrant(rule: String, places: Int, principal: String) -> Self {
        Self(title: "\(OverBroadGrantDetector.describe(rule)) in \(places) place(s) of the policies of \(ARN(principal)?.resourceName ?? principal)",
             recommendation: "Replace with the right-sized policy from `agenttrail policy` / `agenttrail review`.")
    }
}

extension OverBroadGrantDetector.Accumulator: PartialCoding {
    /// No state: the findings come from the policies alone.
    func encodePartial(to encoder: any Encoder) throws { _ = encoder.partialContainer() }
    func decodePartial(from decoder: any Decoder) throws {}
}

/// Everything a `scan` produces: the summary, the findings (after severity overrides and
/// suppressions), what was suppressed, and config warnings.
public struct ScanResult: Sendable {
    public var summary: ScanSummary
    /// Findings in report order.
    public var findings: [Finding]
    /// Findings silenced by a suppression, with its reason.
    public var suppressed: [(finding: Finding, reason: String)]
    /// Suppressions whose expiry date has passed (they no longer apply).
    public var expiredSuppressions: [Suppression]
    /// Facts about the window (baseline cut-off, agent roles).
    public var facts: RunFacts?

    public init(summary: ScanSummary, findings: [Finding] = [], suppressed: [(finding: Finding, reason: String)] = [],
                expiredSuppressions: [Suppression] = [], facts: RunFacts? = nil) {
        self.summary = summary
        self.findings = findings
        self.suppressed = suppressed
        self.expiredSuppressions = expiredSuppressions
        self.facts = facts
    }

    /// Findings at or above `severity`.
    public func findings(atLeast severity: Severity) -> [Finding] { findings.filter { $0.severity >= severity } }
}

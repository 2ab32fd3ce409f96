/// `audit-tampering`: CloudTrail logging stopped, deleted, or reconfigured so that it records less.
///
/// The direction of a change is read from its request (AWS CloudTrail API Reference: "EventSelector",
/// "AdvancedEventSelector", "UpdateTrail", "PutInsightSelectors"):
/// - `StopLogging`, `DeleteTrail`, `DeleteEventDataStore`, `StopEventDataStoreIngestion`: coverage stopped, critical.
/// - `PutEventSelectors`: reduced when no selector includes management events (`includeManagementEvents` defaults
///   to true), when every selector logs only `ReadOnly` or `WriteOnly` (default `All`), when management event
///   sources are excluded (`excludeManagementEventSources`), or when the selector list is empty. High.
/// - `PutAdvancedEventSelectors`: reduced when no selector selects `eventCategory` = `Management`, when the
///   management selector filters `readOnly`, or when one excludes sources (`NotEquals`/`NotStartsWith` on
///   `eventSource`). High.
/// - `UpdateTrail`: reduced when it turns multi-region, global service events, log file validation or the
///   organization trail off, moves the logs (`s3BucketName`, `s3KeyPrefix`), removes the KMS key or sets one of
///   another account, or changes or removes the CloudWatch Logs delivery. Setting a key of the trail's own account
///   adds encryption. High.
/// - `PutInsightSelectors` with an empty list: Insights turned off, medium.
/// - Any other change of these calls adds or keeps coverage (enabling management events, turning multi-region
///   on): reported as info, so a reviewer sees it without an alert.
/// A failed attempt, whatever its error (denied, `InvalidTrailNameException`, `TrailNotFoundException`), is
/// reported one severity lower with its error codes: it shows intent. Subject: `action`, `region`, `change`
/// (`stops`, `reduces`, `adds or keeps`).
public struct AuditTamperingDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "audit-tampering", defaultSeverity: .high,
        summary: "CloudTrail stopped, deleted or reconfigured (critical for stop/delete)")
    public var descriptor: DetectorDescriptor { Self.descriptor }

    /// CloudTrail event names that can weaken auditing.
    public static let actions: Set<String> = [
        "StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutAdvancedEventSelectors",
        "PutInsightSelectors", "DeleteEventDataStore", "StopEventDataStoreIngestion",
    ]

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        ChangeAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [.agentAndAuditRequestParameters, .recipientAccountId] }

    /// What a change does to CloudTrail's coverage.
    enum Direction: String, Sendable {
        case stops
        case reduces
        case addsOrKeeps = "adds or keeps"
    }

    /// The direction of `record`'s change and why (the reasons name what was turned off).
    static func assess(_ record: CloudTrailRecord) -> (Direction, [String]) {
        let name = record.eventName
        if name.hasPrefix("Stop") || name.hasPrefix("Delete") { return (.stops, []) }
        let req = record.requestParameters
        var reasons: [String] = []
        func bool(_ key: String) -> Bool? {
            switch req?.value(forKey: key)?.stringValue { case "true": true; case "false": false; default: nil }
        }
        // `PutEventSelectors` takes either `EventSelectors` or `AdvancedEventSelectors` (AWS CloudTrail API Reference
        // "PutEventSelectors": "You can use either AdvancedEventSelectors or EventSelectors, but not both"); with the
        // latter its request is read like the advanced form.
        let advanced = name == "PutAdvancedEventSelectors"
            || (name == "PutEventSelectors" && req?.value(forKey: "eventSelectors") == nil && req?.value(forKey: "advancedEventSelectors") != nil)
        switch advanced ? "PutAdvancedEventSelectors" : name {
        case "PutEventSelectors":
            let selectors = req?.value(forKey: "eventSelectors")?.arrayElements ?? []
            if selectors.isEmpty { reasons.append("no event selectors") }
            var management = false, allReadWrite = false
            for s in selectors {
                let include = s.value(forKey: "includeManagementEvents")?.stringValue != "false"
                let rw = s.string(forKey: "readWriteType") ?? "All"
                if include { management = true }
                if include && rw == "All" { allReadWrite = true }
                if include, !(s.value(forKey: "excludeManagementEventSources")?.arrayElements.isEmpty ?? true) {
                    let excluded = s.value(forKey: "excludeManagementEventSources")!.arrayElements.compactMap(\.stringValue)
                    reasons.append("management events of \(excluded.joined(separator: ", ")) excluded")
                }
            }
            if !selectors.isEmpty && !management { reasons.append("management events off") }
            else if management && !allReadWrite { reasons.append("only read-only or write-only management events") }
        case "PutAdvancedEventSelectors":
            let selectors = req?.value(forKey: "advancedEventSelectors")?.arrayElements ?? []
            if selectors.isEmpty { reasons.append("no event selectors") }
            var management = false
            for s in selectors {
                var isManagement = false, filtersReadOnly = false, excludes = false
                for f in s.value(forKey: "fieldSelectors")?.arrayElements ?? [] {
                    let field = f.string(forKey: "field") ?? ""
                    if field == "eventCategory", (f.value(forKey: "equals")?.arrayElements ?? []).contains(where: { $0.stringValue == "Management" }) {
                        isManagement = true
                    }
                    if field == "readOnly" { filtersReadOnly = true }
                    if field == "eventSource", f.value(forKey: "notEquals") != nil || f.value(forKey: "notStartsWith") != nil { excludes = true }
                }
                if isManagement {
                    management = true
                    if filtersReadOnly { reasons.append("only read-only or write-only management events") }
                    if excludes { reasons.append("management event sources excluded") }
                }
            }
            if !selectors.isEmpty && !management { reasons.append("management events off") }
        case "UpdateTrail":
            if bool("isMultiRegionTrail") == false { reasons.append("multi-region off") }
            if bool("includeGlobalServiceEvents") == false { reasons.append("global service events off") }
            if bool("enableLogFileValidation") == false { reasons.append("log file validation off") }
            if bool("isOrganizationTrail") == false { reasons.append("organization trail off") }
            if let b = req?.string(forKey: "s3BucketName"), !b.isEmpty { reasons.append("logs moved to bucket \(b)") }
            if req?.value(forKey: "s3KeyPrefix") != nil { reasons.append("log key prefix changed") }
            // Setting a key of the trail's own account adds or keeps encryption; removing it, or encrypting with a key of
            // another account (the owner may lose the ability to read its logs), reduces what the owner can audit.
            if let k = req?.string(forKey: "kmsKeyId") {
                if k.isEmpty {
                    reasons.append("KMS encryption removed")
                } else if let keyAccount = ARN(k)?.account, !keyAccount.isEmpty, let owner = record.recipientAccountId,
                          keyAccount != owner {
                    reasons.append("logs encrypted with KMS key \(k) of another account")
                }
            }
            if let g = req?.string(forKey: "cloudWatchLogsLogGroupArn") {
                reasons.append(g.isEmpty ? "CloudWatch Logs delivery removed" : "CloudWatch Logs delivery changed")
            }
        case "PutInsightSelectors":
            if req?.value(forKey: "insightSelectors")?.arrayElements.isEmpty ?? false { reasons.append("Insights off") }
        default:
            break
        }
        return (reasons.isEmpty ? .addsOrKeeps : .reduces, reasons)
    }

    /// Severity of a successful change.
    static func severity(_ direction: Direction, eventName: String) -> Severity {
        switch direction {
        case .stops: .critical
        case .reduces: eventName == "PutInsightSelectors" ? .medium : .high
        case .addsOrKeeps: .info
        }
    }
}

/// Per (principal, action, region, direction): attempts, successes, failure codes, reasons.
/// Per (principal, event, region, direction): every attempt, whatever its outcome, with error codes and reasons.
extension AuditTamperingDetector: ChangeDetector {
    func mayChange(_ record: CloudTrailRecord) -> Bool {
        record.knownSource == .cloudtrail && Self.actions.contains(record.eventName)
    }

    func change(_ event: ObservedRecord) -> ChangeAccumulator<Self>.Change? {
        // (The guard apart from the rest, which passes the whole record out of line: see `ObservedRecord`.)
        guard mayChange(event.record) else { return nil }
        return trailChange(event)
    }

    @inline(never) private func trailChange(_ event: ObservedRecord) -> ChangeAccumulator<Self>.Change? {
        let r = event.record
        let (direction, reasons) = Self.assess(r)
        return .init(key: .init(principal: event.principalKey, eventName: r.eventName, action: "cloudtrail:" + r.eventName,
                                region: r.awsRegion ?? "unknown", variant: direction.rawValue),
                     reasons: reasons)
    }

    func finding(_ k: ChangeAccumulator<Self>.Key, _ e: ChangeAccumulator<Self>.Entry) -> Finding {
        let direction = Direction(rawValue: k.variant) ?? .reduces
        let base = Self.severity(direction, eventName: k.eventName)
        let severity = e.succeeded > 0 ? base : EventSignals.lowered(base)
        let failed = e.failed
        var outcome: [String] = []
        if e.succeeded > 0 { outcome.append("\(e.succeeded) succeeded") }
        if failed > 0 { outcome.append("\(failed) failed (\(e.errors.sorted().joined(separator: ", ")))") }
        let reasons = e.reasons.sorted()
        let message: Finding.Message
        switch direction {
        case .stops:
            message = .trailStopsLogging(k.eventName, region: k.region, outcome: outcome, succeeded: e.succeeded > 0)
        case .reduces:
            message = .trailReducesCoverage(k.eventName, region: k.region, reasons: reasons, outcome: outcome,
                                            succeeded: e.succeeded > 0)
        case .addsOrKeeps:
            message = .trailAddsOrKeepsCoverage(k.eventName, region: k.region, outcome: outcome)
        }
        var details: [String: [String]] = ["outcome": outcome, "comparedAgainst": ["the request parameters of the change (what it turns off)"]]
        if !reasons.isEmpty { details["reasons"] = reasons }
        if !e.errors.isEmpty { details["errors"] = e.errors.sorted() }
        return Finding(
            detector: id, severity: severity,
            principal: k.principal,
            subject: ["action": "cloudtrail:" + k.eventName, "region": k.region, "change": direction.rawValue],
            tally: e.tally, message: message, details: details)
    }
}

fileprivate extension Finding.Message {
    /// CloudTrail `eventName` in `region` that stops logging; `outcome` says how many attempts succeeded or failed
    /// (with their error codes), `succeeded` whether any did.
    static func trailStopsLogging(_ eventName: String, region: String, outcome: [String], succeeded: Bool) -> Self {
        trailChange(eventName, region: region, what: "stops logging", outcome: outcome,
                    recommendation: weakeningAdvice(succeeded: succeeded))
    }

    /// CloudTrail `eventName` in `region` that reduces what is logged, for `reasons` (sorted).
    static func trailReducesCoverage(_ eventName: String, region: String, reasons: [String], outcome: [String],
                                     succeeded: Bool) -> Self {
        trailChange(eventName, region: region, what: "reduces coverage: " + reasons.joined(separator: "; "), outcome: outcome,
                    recommendation: weakeningAdvice(succeeded: succeeded))
    }

    /// CloudTrail `eventName` in `region` that adds or keeps coverage (an info finding: the trail was changed).
    static func trailAddsOrKeepsCoverage(_ eventName: String, region: String, outcome: [String]) -> Self {
        trailChange(eventName, region: region, what: "adds or keeps coverage", outcome: outcome,
                    recommendation: "No coverage was removed; confirm the change was planned.")
    }

    private static func trailChange(_ eventName: String, region: String, what: String, outcome: [String],
                                    recommendation: String) -> Self {
        Self(title: "CloudTrail \(eventName) in \(region) \(what) (\(outcome.joined(separator: ", ")))",
             recommendation: recommendation)
    }

    private static func weakeningAdvice(succeeded: Bool) -> String {
        succeeded
            ? "Verify the trail still logs everything it should and find out why it was changed; restrict cloudtrail write actions."
            : "Someone tried to weaken CloudTrail and failed: find out who holds these credentials and why they tried."
    }
}

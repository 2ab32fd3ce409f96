/// `root-activity`: anything the account Root user does.
/// - API calls: one finding per (root account, service), high; subject `action` = `<service>:*`, the event
///   names in `details["actions"]`.
/// - Console sign-ins (`ConsoleLogin`): one finding per (root account, source IP), subject `ip` and
///   `action` = `signin:ConsoleLogin`. High; critical when any sign-in from that IP was without MFA
///   (`additionalEventData` `"MFAUsed":"No"`) and the IP is not trusted (global `trustedCIDRs`, the matching
///   principal rules, or the principal's policy `aws:SourceIp` CIDRs). A missing or non-IP source counts as
///   untrusted. Failed sign-ins are included (counted in the title).
/// The principal is the root ARN `arn:aws:iam::<account>:root`.
public struct RootActivityDetector: Detector {
    public let id = "root-activity"
    public let defaultSeverity = Severity.high

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        RootActivityAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [.recipientAccountId, .additionalEventData, .responseElements] }

    /// `arn:aws:iam::<account>:root` for a Root principal.
    static func rootArn(_ event: ObservedRecord) -> String {
        let p = event.record.principal
        if let arn = p.arn, arn.hasSuffix(":root") { return arn }
        if let acct = p.accountId, !acct.isEmpty { return "arn:aws:iam::\(acct):root" }
        if let acct = event.record.recipientAccountId, !acct.isEmpty { return "arn:aws:iam::\(acct):root" }
        return event.principalKey
    }
}

/// Per root: API calls per service, sign-ins per source IP.
final class RootActivityAccumulator: DetectorAccumulator {
    private struct CallKey: Hashable {
        var root: String
        var service: String
    }

    private struct SignInKey: Hashable {
        var root: String
        var ip: String
    }

    private struct SignIns {
        var tally = Tally()
        var withoutMFA = 0
        var failed = 0
    }

    private let detector: RootActivityDetector
    private var calls: [CallKey: Tally] = [:]
    private var names: [CallKey: Set<String>] = [:]
    private var signIns: [SignInKey: SignIns] = [:]

    init(detector: RootActivityDetector) { self.detector = detector }

    func observe(_ event: ObservedRecord) {
        let r = event.record
        guard r.principal.isRoot else { return }
        let root = RootActivityDetector.rootArn(event)
        if r.eventName == "ConsoleLogin" {
            let key = SignInKey(root: root, ip: r.sourceAddress.ip?.description ?? (r.sourceIPText ?? "unknown"))
            var s = signIns[key] ?? SignIns()
            s.tally.add(event)
            if EventSignals.raw(r.additionalEventData, key: "MFAUsed", hasLiteral: "\"No\"") { s.withoutMFA += 1 }
            if !r.succeeded || EventSignals.raw(r.responseElements, key: "ConsoleLogin", hasLiteral: "\"Failure\"") {
                s.failed += 1
            }
            signIns[key] = s
        } else {
            let key = CallKey(root: root, service: EventSignals.servicePrefix(r.eventSource))
            calls.add(event, at: key)
            names[key, default: []].insert(r.eventName)
        }
    }

    func merge(_ other: any DetectorAccumulator) {
        guard let o = other as? RootActivityAccumulator else { return }
        calls.mergeTallies(o.calls)
        for (k, v) in o.names { names[k, default: []].formUnion(v) }
        for (k, v) in o.signIns {
            var s = signIns[k] ?? SignIns()
            s.tally.merge(v.tally)
            s.withoutMFA += v.withoutMFA
            s.failed += v.failed
            signIns[k] = s
        }
    }

    func findings(_ facts: RunFacts) -> [Finding] {
        var out: [Finding] = []
        for (key, tally) in calls {
            let list = (names[key] ?? []).sorted()
            out.append(Finding(
                detector: detector.id, severity: detector.defaultSeverity,
                title: "Root user made \(EventSignals.plural(tally.count, "\(key.service) call")): \(EventSignals.list(list))",
                principal: key.root, subject: ["action": key.service + ":*"], tally: tally,
                recommendation: "Do not use the Root user for day-to-day work: use IAM roles, and protect Root with MFA and no access keys.",
                details: ["actions": list]))
        }
        for (key, s) in signIns {
            let trusted = IPAddress(key.ip).map { EventSignals.isTrusted($0, principal: key.root, context: facts.context) } ?? false
            let noMFA = s.withoutMFA > 0
            let severity: Severity = noMFA && !trusted ? .critical : detector.defaultSeverity
            var notes: [String] = []
            if noMFA { notes.append("\(s.withoutMFA) without MFA") }
            if s.failed > 0 { notes.append("\(s.failed) failed") }
            notes.append(trusted ? "trusted IP" : "untrusted IP")
            out.append(Finding(
                detector: detector.id, severity: severity,
                title: "Root console sign-in from \(key.ip): \(EventSignals.plural(s.tally.count, "sign-in")) (\(notes.joined(separator: ", ")))",
                principal: key.root, subject: ["action": "signin:ConsoleLogin", "ip": key.ip], tally: s.tally,
                recommendation: noMFA
                    ? "Enable MFA on the Root user now and confirm this sign-in was legitimate; rotate the Root password if not."
                    : "Confirm this Root sign-in was legitimate and necessary.",
                details: ["notes": notes]))
        }
        return EventSignals.sorted(out)
    }
}

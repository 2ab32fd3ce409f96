/// `root-activity`: what the account Root user did, by what it did.
/// - API calls, grouped per (root account, service, kind of call, outcome):
///   - credential changes (access keys, login profile/password, signing certificates, SSH keys): critical;
///   - MFA, policy, account and trail changes (IAM MFA calls, `Put*Policy`/`Attach*`/`*Permission*`/bucket policies,
///     `account:`/`organizations:`/billing writes, CloudTrail writes): high; any other write: high;
///   - reads (`readOnly`, else `Get*`/`List*`/`Describe*`/`Head*`/`Lookup*`): medium;
///   - failed calls are reported as failures, one severity lower, with their error codes.
///   AWS's guidance is that the Root user should be used only for the tasks that require it (AWS doc "Root user
///   best practices for your AWS account"), so every kind is reported, graded by impact.
///   Subject `action` = `<service>:*`, `kind`; the event names in `details["actions"]`.
/// - Console sign-ins (`ConsoleLogin`): one finding per (root account, source IP), subject `ip` and
///   `action` = `signin:ConsoleLogin`. High; critical when a successful sign-in from that IP was without MFA
///   (`additionalEventData` `"MFAUsed":"No"`) and the address is a real IP that is not trusted (global
///   `trustedCIDRs`, the matching principal rules, or the principal's policy `aws:SourceIp` CIDRs). A sign-in
///   without a usable source address says so and is not called untrusted. Only failed sign-ins: medium.
/// The principal is the root ARN `arn:aws:iam::<account>:root`.
public struct RootActivityDetector: Detector {
    public static let descriptor = DetectorDescriptor(
        id: "root-activity", defaultSeverity: .high,
        summary: "root user API calls and console sign-ins")
    public var descriptor: DetectorDescriptor { Self.descriptor }

    public init() {}

    public func makeAccumulator(context: AnalysisContext) -> any DetectorAccumulator {
        RootActivityAccumulator(detector: self)
    }

    public func recordFields(context: AnalysisContext) -> RecordFieldSet { [.recipientAccountId, .consoleLoginDetails] }

    /// `arn:aws:iam::<account>:root` for a Root principal.
    static func rootArn(_ event: ObservedRecord) -> String {
        let p = event.record.principal
        if let arn = p.arn, arn.hasSuffix(":root") { return arn }
        if let acct = p.accountId, !acct.isEmpty { return "arn:aws:iam::\(acct):root" }
        if let acct = event.record.recipientAccountId, !acct.isEmpty { return "arn:aws:iam::\(acct):root" }
        return event.principalKey
    }
}

/// The kind of a Root API call, by impact.
enum RootCallKind: String, Sendable, CaseIterable, Codable {
    case credentials, mfa, policy, account, trail, write, read

    static func of(_ r: CloudTrailRecord) -> RootCallKind {
        let name = r.eventName
        let source = r.eventSource
        if source == "iam.amazonaws.com" {
            if name.contains("AccessKey") || name.contains("LoginProfile") || name.contains("SigningCertificate")
                || name.contains("SSHPublicKey") || name.contains("ServiceSpecificCredential") || name == "ChangePassword" {
                return isRead(r) ? .read : .credentials
            }
            if name.contains("MFADevice") { return isRead(r) ? .read : .mfa }
        }
        if source == "signin.amazonaws.com", name.contains("Password") { return .credentials }
        if isRead(r) { return .read }
        if name.contains("Policy") || name.hasPrefix("Attach") || name.hasPrefix("Detach") || name.contains("Permission")
            || name.hasSuffix("Acl") { return .policy }
        if source == "account.amazonaws.com" || source == "organizations.amazonaws.com" || source == "billing.amazonaws.com"
            || name == "CloseAccount" { return .account }
        if source == "cloudtrail.amazonaws.com" { return .trail }
        return .write
    }

    static func isRead(_ r: CloudTrailRecord) -> Bool {
        if let ro = r.readOnly { return ro }
        let n = r.eventName
        return n.hasPrefix("Get") || n.hasPrefix("List") || n.hasPrefix("Describe") || n.hasPrefix("Head") || n.hasPrefix("Lookup")
    }

    var severity: Severity {
        switch self {
        case .credentials: .critical
        case .mfa, .policy, .account, .trail, .write: .high
        case .read: .medium
        }
    }

    var label: String {
        switch self {
        case .credentials: "credential change"
        case .mfa: "MFA change"
        case .policy: "policy change"
        case .account: "account change"
        case .trail: "trail change"
        case .write: "write"
        case .read: "read"
        }
    }
}

/// Per root: API calls per (service, kind, outcome), sign-ins per source IP.
final class RootActivityAccumulator: DetectorAccumulator {
    private struct CallKey: Hashable, Codable {
        var root: String
        var service: String
        var kind: RootCallKind
        var failed: Bool
    }

    private struct SignInKey: Hashable, Codable {
        var root: String
        var ip: String
    }

    private struct SignIns: Codable {
        var tally = Tally()
        var withoutMFA = 0
        var failed = 0
    }

    private let detector: RootActivityDetector
    private var calls: [CallKey: Tally] = [:]
    private var names: [CallKey: Set<String>] = [:]
    private var errors: [CallKey: Set<String>] = [:]
    private var signIns: [SignInKey: SignIns] = [:]

    init(detector: RootActivityDetector) { self.detector = detector }

    func observe(_ event: ObservedRecord) {
        // (The guard apart from the rest, which passes the whole record out of line: see `ObservedRecord`.)
        if event.record.principal.isRoot { observeRoot(event) }
    }

    @inline(never) private func observeRoot(_ event: ObservedRecord) {
        let r = event.record
        let root = RootActivityDetector.rootArn(event)
        if r.eventName == "ConsoleLogin" {
            let key = SignInKey(root: root, ip: r.sourceAddress.ip?.description ?? (r.sourceIPText ?? "unknown"))
            var s = signIns[key] ?? SignIns()
            s.tally.add(event)
            let failed = !r.succeeded || EventSignals.raw(r.responseElements, key: "ConsoleLogin", hasLiteral: "\"Failure\"")
            if failed {
                s.failed += 1
            } else if EventSignals.raw(r.additionalEventData, key: "MFAUsed", hasLiteral: "\"No\"") {
                s.withoutMFA += 1
            }
            signIns[key] = s
        } else {
            let key = CallKey(root: root, service: CloudTrailRecord.serviceName(of: r.eventSource), kind: RootCallKind.of(r),
                              failed: !r.succeeded)
            calls.add(event, at: key)
            names[key, default: []].insert(r.eventName)
            if let code = r.failureCode { errors[key, default: []].insert(code) }
        }
    }

    func merge(_ o: RootActivityAccumulator) {
        calls.mergeTallies(o.calls)
        for (k, v) in o.names { names[k, default: []].formUnion(v) }
        for (k, v) in o.errors { errors[k, default: []].formUnion(v) }
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
            let severity = key.failed ? EventSignals.lowered(key.kind.severity) : key.kind.severity
            let codes = (errors[key] ?? []).sorted()
            var details: [String: [String]] = [
                "actions": list, "kind": [key.kind.label],
                "comparedAgainst": ["AWS's guidance: use the Root user only for the tasks that require it (graded by what it did: \(key.kind.label))"],
            ]
            if !codes.isEmpty { details["errors"] = codes }
            out.append(Finding(
                detector: detector.id, severity: severity,
                principal: key.root,
                subject: ["action": key.service + ":*", "kind": key.kind.rawValue, "outcome": key.failed ? "failed" : "succeeded"],
                tally: tally,
                message: key.failed
                    ? .rootCallsFailed(tally.count, service: key.service, kind: key.kind, errorCodes: codes, actions: list)
                    : .rootCalls(tally.count, service: key.service, kind: key.kind, actions: list),
                details: details))
        }
        for (key, s) in signIns {
            let address = IPAddress(key.ip)
            let trusted = address.map { EventSignals.isTrusted($0, principal: key.root, context: facts.context) } ?? false
            let noMFA = s.withoutMFA > 0
            let onlyFailed = s.failed == s.tally.count
            let severity: Severity = onlyFailed ? .medium : (noMFA && address != nil && !trusted ? .critical : detector.defaultSeverity)
            var notes: [String] = []
            if noMFA { notes.append("\(s.withoutMFA) without MFA") }
            if s.failed > 0 { notes.append("\(s.failed) failed") }
            notes.append(address == nil ? "no usable source address" : (trusted ? "trusted IP" : "untrusted IP"))
            out.append(Finding(
                detector: detector.id, severity: severity,
                principal: key.root, subject: ["action": "signin:ConsoleLogin", "ip": key.ip], tally: s.tally,
                message: .rootConsoleSignIn(from: key.ip, signIns: s.tally.count, notes: notes, withoutMFA: noMFA),
                details: ["notes": notes, "comparedAgainst": ["trusted CIDRs (global, principal rules, policy aws:SourceIp)"]]))
        }
        return EventSignals.sorted(out)
    }
}

fileprivate extension Finding.Message {
    /// The Root user made `calls` calls of `kind` to `service` (`actions`, sorted).
    static func rootCalls(_ calls: Int, service: String, kind: RootCallKind, actions: [String]) -> Self {
        Self(title: "Root user made \(EventSignals.plural(calls, "\(service) \(kind.label)")): \(EventSignals.list(actions))",
             recommendation: rootCallAdvice(kind))
    }

    /// The Root user tried `calls` calls of `kind` to `service` (`actions`, sorted), refused with `errorCodes`.
    static func rootCallsFailed(_ calls: Int, service: String, kind: RootCallKind, errorCodes: [String], actions: [String]) -> Self {
        Self(title: "Root user tried \(EventSignals.plural(calls, "\(service) \(kind.label)")) and failed (\(errorCodes.joined(separator: ", "))): \(EventSignals.list(actions))",
             recommendation: rootCallAdvice(kind))
    }

    /// Root console sign-ins from `ip` (`notes`: without MFA, failed, trusted or not).
    static func rootConsoleSignIn(from ip: String, signIns: Int, notes: [String], withoutMFA: Bool) -> Self {
        Self(title: "Root console sign-in from \(ip): \(EventSignals.plural(signIns, "sign-in")) (\(notes.joined(separator: ", ")))",
             recommendation: withoutMFA
                ? "Enable MFA on the Root user now and confirm this sign-in was legitimate; rotate the Root password if not."
                : "Confirm this Root sign-in was legitimate and necessary.")
    }

    private static func rootCallAdvice(_ kind: RootCallKind) -> String {
        kind == .credentials
            ? "Root credentials were changed: confirm who did it; Root should have no access keys and must have MFA."
            : "Do not use the Root user for day-to-day work: use IAM roles, and protect Root with MFA and no access keys."
    }
}

extension RootActivityAccumulator: PartialCoding {
    func encodePartial(to encoder: any Encoder) throws {
        var c = encoder.partialContainer()
        try c.put(calls, "calls")
        try c.put(names, "names")
        try c.put(errors, "errors")
        try c.put(signIns, "signIns")
    }

    func decodePartial(from decoder: any Decoder) throws {
        let c = try decoder.partialContainer()
        calls = try c.get("calls")
        names = try c.get("names")
        errors = try c.get("errors")
        signIns = try c.get("signIns")
    }
}

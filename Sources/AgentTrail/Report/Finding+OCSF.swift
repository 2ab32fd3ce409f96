/// OCSF (Open Cybersecurity Schema Framework) 1.1.0 output: each finding as a Detection Finding event
/// (`class_uid` 2004, category Findings 2), one JSON object per line for SIEMs and data lakes.
public enum OCSF {
    /// Schema version written in `metadata.version`.
    public static let schemaVersion = "1.1.0"
    public static let classUID = 2004
    public static let categoryUID = 2

    /// Detection Finding activities.
    public enum Activity: Int, Sendable {
        case create = 1, update = 2, close = 3

        public var name: String {
            switch self {
            case .create: return "Create"
            case .update: return "Update"
            case .close: return "Close"
            }
        }
    }

    /// Finding workflow status (`status_id`).
    public enum Status: Int, Sendable {
        case new = 1, inProgress = 2, suppressed = 3, resolved = 4

        public var name: String {
            switch self {
            case .new: return "New"
            case .inProgress: return "In Progress"
            case .suppressed: return "Suppressed"
            case .resolved: return "Resolved"
            }
        }
    }

    /// OCSF `severity_id`: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical.
    public static func severityID(_ s: Severity) -> (Int, String) {
        switch s {
        case .info: return (1, "Informational")
        case .low: return (2, "Low")
        case .medium: return (3, "Medium")
        case .high: return (4, "High")
        case .critical: return (5, "Critical")
        }
    }

    /// 16 hex digits of FNV-1a 64 over `text`, prefixed `at-` (stable identifiers from finding keys).
    public static func uid(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return "at-" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension Finding {
    /// This finding as an OCSF Detection Finding event. `time` is when it is reported; `finding_info.uid` is a
    /// hash of `key` (stable across runs) and `metadata.uid` also covers the event span and count (one per update).
    public func ocsf(activity: OCSF.Activity = .create, status: OCSF.Status = .new, time: Instant) -> JSONValue {
        let (sevID, sevName) = OCSF.severityID(severity)
        let ms: (Instant?) -> JSONValue = { t in t.map { .int(Int($0.millisecondsSince1970)) } ?? .null }
        var pairs: [(String, JSONValue)] = [
            ("activity_id", .int(activity.rawValue)),
            ("activity_name", .string(activity.name)),
            ("category_uid", .int(OCSF.categoryUID)),
            ("category_name", .string("Findings")),
            ("class_uid", .int(OCSF.classUID)),
            ("class_name", .string("Detection Finding")),
            ("type_uid", .int(OCSF.classUID * 100 + activity.rawValue)),
            ("type_name", .string("Detection Finding: " + activity.name)),
            ("time", .int(Int(time.millisecondsSince1970))),
            ("severity_id", .int(sevID)),
            ("severity", .string(sevName)),
            ("status_id", .int(status.rawValue)),
            ("status", .string(status.name)),
            ("message", .string(title)),
            ("count", .int(count)),
            ("start_time", ms(firstSeen)),
            ("end_time", ms(lastSeen)),
            ("metadata", .object([
                ("version", .string(OCSF.schemaVersion)),
                ("uid", .string(OCSF.uid(key + "|" + (lastSeen?.iso8601 ?? "-") + "|" + String(count)))),
                ("product", .object([("name", .string("AgentTrail")), ("vendor_name", .string("AgentTrail")),
                                     ("version", .string(AgentTrailVersion.string))])),
            ])),
            ("finding_info", .object([
                ("uid", .string(OCSF.uid(key))),
                ("title", .string(title)),
                ("desc", .string(title)),
                ("types", .array([.string(detector)])),
                ("analytic", .object([("uid", .string(detector)), ("name", .string(detector)),
                                      ("type_id", .int(1)), ("type", .string("Rule"))])),
                ("first_seen_time", ms(firstSeen)),
                ("last_seen_time", ms(lastSeen)),
                ("data_sources", .array([.string("CloudTrail")])),
            ])),
            ("remediation", .object([("desc", .string(recommendation))])),
            ("cloud", .object([("provider", .string("AWS"))])),
        ]
        if let principal {
            let account = ARNParts.account(principal)
            var user: [(String, JSONValue)] = [("uid", .string(principal)), ("name", .string(ARNParts.name(principal)))]
            if let account { user.append(("account", .object([("uid", .string(account)), ("type_id", .int(10)), ("type", .string("AWS Account"))]))) }
            pairs.append(("actor", .object([("user", .object(user))])))
            var resource: [(String, JSONValue)] = [("uid", .string(principal)), ("name", .string(ARNParts.name(principal))),
                                                   ("type", .string(ARNParts.type(principal)))]
            if let account { resource.append(("cloud_partition", .string(ARNParts.partition(principal) ?? "aws"))); resource.append(("owner", .object([("account", .object([("uid", .string(account))]))]))) }
            pairs.append(("resources", .array([.object(resource)])))
        }
        pairs.append(("evidences", .array(evidence.map { e in
            .object([("data", .object([("event_uid", .str(e.eventID)), ("file", .string(e.file)), ("index", .int(e.index)),
                                       ("time", ms(e.time))]))])
        })))
        pairs.append(("unmapped", .object([
            ("key", .string(key)),
            ("subject", .object(subject.keys.sorted().map { ($0, .string(subject[$0]!)) })),
            ("details", .object(details.keys.sorted().map { ($0, .array(details[$0]!.map { .string($0) })) })),
            ("evidence_total", .int(evidenceTotal)),
        ])))
        return .object(pairs)
    }
}

/// Small ARN helpers for OCSF actor/resource fields.
enum ARNParts {
    static func parts(_ arn: String) -> [Substring]? {
        let p = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return p.count == 6 && p[0] == "arn" ? p : nil
    }

    static func account(_ arn: String) -> String? {
        if arn.hasPrefix("root:") { return String(arn.dropFirst(5)) }
        guard let p = parts(arn), !p[4].isEmpty else { return nil }
        return String(p[4])
    }

    static func partition(_ arn: String) -> String? { parts(arn).map { String($0[1]) } }

    static func name(_ arn: String) -> String {
        guard let p = parts(arn) else { return arn }
        return p[5].split(separator: "/").last.map(String.init) ?? String(p[5])
    }

    static func type(_ arn: String) -> String {
        guard let p = parts(arn) else { return arn.hasPrefix("root:") ? "AWS::IAM::Root" : "Principal" }
        let resource = p[5]
        if resource.hasPrefix("role/") { return "AWS::IAM::Role" }
        if resource.hasPrefix("user/") { return "AWS::IAM::User" }
        if resource == "root" { return "AWS::IAM::Root" }
        return "AWS::" + p[2].uppercased() + "::Principal"
    }
}

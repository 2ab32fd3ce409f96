/// A column of `events` table and CSV output.
public enum EventColumn: String, CaseIterable, Sendable {
    case time, principal, session, event, action
    case sourceIP = "source-ip"
    case region, account, error
    case userAgent = "user-agent"
    case eventID = "event-id"
    case accessKey = "access-key"
    case file

    /// The table's default columns.
    public static let defaults: [EventColumn] = [.time, .principal, .event, .sourceIP, .region, .error]

    /// Parses a comma-separated list (`time,principal,event`); throws on an unknown name.
    public static func parseList(_ text: String) throws(EventColumnError) -> [EventColumn] {
        var out: [EventColumn] = []
        for part in text.split(separator: ",") {
            let name = part.trimmingASCIIWhitespace.lowercased()
            guard let c = EventColumn(rawValue: name) else { throw EventColumnError(name: name) }
            out.append(c)
        }
        if out.isEmpty { throw EventColumnError(name: text) }
        return out
    }

    /// The cell text for a record (unescaped; callers escape for their output). `short` gives the compact
    /// principal form used in tables (`role/Name`); CSV uses the full identity key.
    public func value(_ r: CloudTrailRecord, file: String, actions: EventActionMap?, short: Bool) -> String {
        switch self {
        case .time: return r.eventTime?.iso8601 ?? r.eventTimeText ?? ""
        case .principal:
            let key = r.principal.identityKey ?? ""
            return short ? PrincipalNames.short(key) : key
        case .session: return r.principal.sessionName ?? ""
        case .event: return r.actionLabel
        case .action:
            guard let actions else { return "" }
            return EventMatcher.actionNames(r, map: actions).joined(separator: " ")
        case .sourceIP: return r.sourceIPText ?? ""
        case .region: return r.awsRegion ?? ""
        case .account: return r.recipientAccountId ?? r.principal.accountId ?? ""
        case .error: return r.failureCode ?? ""
        case .userAgent: return r.userAgent ?? ""
        case .eventID: return r.eventID ?? ""
        case .accessKey: return r.principal.accessKeyId ?? ""
        case .file: return file
        }
    }
}

/// An unknown column name.
public struct EventColumnError: Error, CustomStringConvertible, Sendable {
    public let name: String
    public var description: String {
        "unknown column '\(name)'; choose from " + EventColumn.allCases.map(\.rawValue).joined(separator: ", ")
    }
}

/// What `agenttrail rules check` prints: every loaded rule with what it needs, the documents skipped and why, and
/// the errors.
public struct RuleCheckReport: Sendable {
    public var rules: RuleSet
    public var errors: [RuleError]

    public init(rules: RuleSet, errors: [RuleError]) {
        self.rules = rules
        self.errors = errors
    }

    public enum Format: String, CaseIterable, Sendable {
        case text, json
    }

    public func render(_ format: Format) -> String {
        switch format {
        case .text: return text
        case .json: return json.serialized(pretty: true) + "\n"
        }
    }

    private var text: String {
        var out = ""
        for r in rules.rules {
            out += "\(r.id)  \(r.severity.name)  \(Escaping.terminal(r.title))\n"
            out += "  file: \(Escaping.terminal(r.file)):\(r.line)\n"
            out += "  eventSource: \(r.eventSources.map { $0.sorted().joined(separator: ", ") } ?? "any")\n"
            out += "  eventName: \(r.eventNames.map { $0.sorted().joined(separator: ", ") } ?? "any")\n"
            out += "  fields: \(Escaping.terminal(r.fields.joined(separator: ", ")))\n"
            if !r.generates { out += "  findings: only through its correlation\n" }
        }
        for c in rules.correlations {
            out += "\(c.id)  \(c.severity.name)  \(Escaping.terminal(c.title))\n"
            out += "  file: \(Escaping.terminal(c.file)):\(c.line)\n"
            out += "  correlation: \(c.kind.rawValue) over \(c.rules.map { rules.rules[$0].id }.joined(separator: ", "))"
                + " within \(c.timespan) s, grouped by \(c.groupBy.isEmpty ? "nothing" : Escaping.terminal(c.groupBy.joined(separator: ", ")))\n"
        }
        for n in rules.notes {
            out += "skipped: \(Escaping.terminal(n.file))\(n.line.map { ":\($0)" } ?? ""): \(Escaping.terminal(n.message))\n"
        }
        for e in errors { out += "error: \(Escaping.terminal(e.description))\n" }
        out += "\(rules.rules.count) rules, \(rules.correlations.count) correlations loaded; \(rules.otherLogSources) for other log sources"
            + ", \(rules.duplicates) duplicate ids skipped; \(errors.count) errors\n"
        return out
    }

    private var json: JSONValue {
        .object([
            ("rules", .array(rules.rules.map { r in
                .object([("id", .string(r.id)), ("title", .string(r.title)), ("level", .string(r.severity.name)),
                         ("file", .string(r.file)), ("line", .int(r.line)),
                         ("eventSources", r.eventSources.map { .array($0.sorted().map(JSONValue.string)) } ?? .null),
                         ("eventNames", r.eventNames.map { .array($0.sorted().map(JSONValue.string)) } ?? .null),
                         ("fields", .array(r.fields.map(JSONValue.string))), ("generates", .bool(r.generates)),
                         ("tags", .array(r.tags.map(JSONValue.string)))])
            })),
            ("correlations", .array(rules.correlations.map { c in
                .object([("id", .string(c.id)), ("title", .string(c.title)), ("level", .string(c.severity.name)),
                         ("file", .string(c.file)), ("line", .int(c.line)), ("type", .string(c.kind.rawValue)),
                         ("rules", .array(c.rules.map { .string(rules.rules[$0].id) })),
                         ("groupBy", .array(c.groupBy.map(JSONValue.string))), ("timespanSeconds", .int(Int(c.timespan)))])
            })),
            ("skipped", .array(rules.notes.map { n in
                .object([("file", .string(n.file)), ("line", n.line.map { .int($0) } ?? .null), ("reason", .string(n.message))])
            })),
            ("errors", .array(errors.map { e in
                .object([("file", .string(e.file)), ("line", e.line.map { .int($0) } ?? .null), ("code", .string(e.code.rawValue)),
                         ("message", .string(e.message))])
            })),
        ])
    }
}

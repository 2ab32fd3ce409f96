import AgentTrail
import ArgumentParser
import Foundation

/// `agenttrail events`: the records that match a set of filters.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "List (or count) the records that match filters, fast.",
        discussion: """
            Filters combine with AND; repeating a flag ORs its values. Output is in eventTime order.
            Examples:
              agenttrail events logs/ --principal AgentRole --since 24h
              agenttrail events logs/ --ip 203.0.113.0/24 --format csv
              agenttrail events logs/ --event-source bedrock.amazonaws.com --denied --since 7d
              agenttrail events logs/ --action 'bedrock:Invoke*' --count --by principal
            """)

    @OptionGroup var input: InputOptions
    @OptionGroup var filters: QueryFilterOptions

    @Option(help: "table | jsonl | csv (default: table on a terminal, jsonl when piped). jsonl writes each original record.")
    var format: EventsFormat?

    @Option(help: "Table/CSV columns, comma-separated: \(EventColumn.allCases.map(\.rawValue).joined(separator: ",")).")
    var columns: String?

    @Option(help: "Only the first N records (in eventTime order).")
    var limit: Int?

    @Flag(help: "Only count the matching records.")
    var count = false

    @Option(help: "With --count: group by principal | ip | action | event-source | error | hour.")
    var by: EventGroupKeyArgument?

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be at least 0") }
        if by != nil && !count { throw ValidationError("--by needs --count") }
        if let columns { do { _ = try EventColumn.parseList(columns) } catch { throw ValidationError("--columns: \(error)") } }
    }

    func run() throws {
        let query = try filters.query(input: input, now: Instant.now)
        let options = try input.queryOptions(query: query)
        let format = self.format ?? (Terminal.stdoutIsTTY ? .table : .jsonl)
        let stats: QueryStats
        if count {
            let by = self.by?.value
            let (counter, s) = QueryRun.run(options) { EventCounter(by: by) }
            stats = s
            Terminal.writeStdout(CountOutput.render(counter, format: format))
        } else {
            let limit = self.limit
            let (collector, s) = QueryRun.run(options) { EventCollector(limit: limit) }
            stats = s
            let events = collector.events
            let cols = try columns.map { try EventColumn.parseList($0) } ?? EventColumn.defaults
            switch format {
            case .table:
                Terminal.writeStdout(EventOutput.table(events, columns: cols, width: Terminal.stdoutIsTTY ? Terminal.width : nil))
            case .csv: Terminal.writeStdout(EventOutput.csv(events, columns: cols))
            case .jsonl: Terminal.writeStdoutBytes(EventOutput.jsonl(events))
            }
        }
        try QueryReport.finish(stats, allowDamaged: input.allowDamaged)
    }
}

enum EventsFormat: String, ExpressibleByArgument, CaseIterable {
    case table, jsonl, csv
}

struct EventGroupKeyArgument: ExpressibleByArgument {
    let value: EventGroupKey
    init?(argument: String) {
        guard let v = EventGroupKey(rawValue: argument) else { return nil }
        value = v
    }
    static var allValueStrings: [String] { EventGroupKey.allCases.map(\.rawValue) }
}

/// Count output: a total, or groups by count.
enum CountOutput {
    static func render(_ c: EventCounter, format: EventsFormat) -> String {
        guard let by = c.by else {
            switch format {
            case .jsonl: return "{\"count\":\(c.total)}\n"
            default: return "\(c.total)\n"
            }
        }
        let groups = c.counts
        switch format {
        case .table:
            var rows = groups.map { [$0.key, "\($0.count)"] }
            rows.append(["(total)", "\(c.total)"])
            return TextTable(headers: [by.rawValue, "count"], rows: rows, rightAligned: [1])
                .render(width: Terminal.stdoutIsTTY ? Terminal.width : nil)
        case .csv:
            return Escaping.csvCell(by.rawValue) + ",count\r\n" + groups.map { Escaping.csvCell($0.key) + ",\($0.count)\r\n" }.joined()
        case .jsonl:
            return groups.map { "{\(Escaping.jsonString(by.rawValue)):\(Escaping.jsonString($0.key)),\"count\":\($0.count)}\n" }.joined()
        }
    }
}

/// What every query command says on stderr when it is done.
enum QueryReport {
    static func finish(_ s: QueryStats, allowDamaged: Bool) throws {
        for f in s.failures.prefix(20) {
            Terminal.writeStderr("warning: " + Escaping.terminal(f.path) + (f.offset.map { " (byte \($0))" } ?? "") + ": "
                                 + Escaping.terminal(f.reason) + "\n")
        }
        if s.failures.count > 20 { Terminal.writeStderr("warning: \(s.failures.count - 20) more failures\n") }
        for l in s.skippedOutsideRoot.prefix(20) {
            Terminal.writeStderr("warning: " + Escaping.terminal(l) + ": symbolic link out of the input folder, not followed\n")
        }
        if s.skippedOutsideRoot.count > 20 { Terminal.writeStderr("warning: \(s.skippedOutsideRoot.count - 20) more links not followed\n") }
        if s.malformed > 0 { Terminal.writeStderr("warning: \(s.malformed) malformed record(s) skipped (among those the push-down did not rule out)\n") }
        if Terminal.stderrIsTTY {
            let mb = Double(s.uncompressedBytes) / 1_000_000
            Terminal.writeStderr("\(s.matched) matching of \(s.records) records in \(s.filesRead) files"
                + " (\(String(format: "%.1f", mb)) MB, \(s.filesPruned) pruned) in \(String(format: "%.2f", s.seconds)) s\n")
        }
        try Exit.finish(damaged: s.failures, allowDamaged: allowDamaged)
    }
}


/// Record filters shared by `events` (and the parts `timeline` reuses). Repeating a flag ORs its values.
struct QueryFilterOptions: ParsableArguments {
    @Option(help: "Caller: role/user ARN, role or user name, session name, principal id (glob, case-sensitive).")
    var principal: [String] = []

    @Option(name: .customLong("access-key"), help: "Access key id (AKIA…/ASIA…; glob).")
    var accessKey: [String] = []

    @Option(help: "Source IP address or CIDR block, IPv4 or IPv6.")
    var ip: [String] = []

    @Option(name: .customLong("event-source"), help: "eventSource, e.g. bedrock.amazonaws.com (glob, case-insensitive).")
    var eventSource: [String] = []

    @Option(name: .customLong("event-name"), help: "eventName, e.g. 'Invoke*' (glob, case-insensitive).")
    var eventName: [String] = []

    @Option(help: "IAM action the call exercised, e.g. 'bedrock:Invoke*' (glob, case-insensitive).")
    var action: [String] = []

    @Flag(help: "Only failed calls (any errorCode, or a data event answered HTTP >= 400 or a JSON-RPC error).")
    var errors = false

    @Flag(help: "Only calls refused: a denial errorCode, or a data event answered HTTP 401/403.")
    var denied = false

    @Option(help: "Substring of the raw record, as written in the log.")
    var contains: [String] = []

    /// The query, with the time range and account/region filters from the input options.
    func query(input: InputOptions, now: Instant) throws -> EventQuery {
        var q = EventQuery()
        q.principals = principal.map { Glob($0) }
        q.accessKeys = accessKey.map { Glob($0) }
        q.networks = try ip.map { text in
            guard let block = CIDR(text) else { throw ValidationError("--ip: '\(text)' is not an IP address or CIDR block") }
            return block
        }
        q.eventSources = eventSource.map { Glob($0, caseInsensitive: true) }
        q.eventNames = eventName.map { Glob($0, caseInsensitive: true) }
        q.actions = action.map { Glob($0, caseInsensitive: true) }
        q.errorsOnly = errors
        q.deniedOnly = denied
        q.contains = contains.filter { !$0.isEmpty }
        q.accounts = Set(input.accounts)
        q.regions = Set(input.regions)
        (q.since, q.until) = try input.timeRange(now: now)
        return q
    }
}

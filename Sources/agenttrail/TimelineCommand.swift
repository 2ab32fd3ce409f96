import AgentTrail
import ArgumentParser

/// `agenttrail timeline PRINCIPAL PATH...`: one principal's activity hour by hour.
struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "One principal's activity hour by hour, marking what it did for the first time.",
        discussion: """
            PRINCIPAL is matched like `events --principal`: role or user ARN, role/user/session name, glob.
            Items (actions, source IPs, regions, user agents) first seen after the first active hour are marked.
            Examples:
              agenttrail timeline AgentRole logs/ --since 24h
              agenttrail timeline 'arn:aws:iam::111122223333:role/*Agent*' logs/ --format markdown > timeline.md
            """)

    @Argument(help: "The principal (ARN, role/user/session name; glob).")
    var principal: String

    @OptionGroup var input: InputOptions

    @Option(help: "text | markdown.")
    var format: TimelineFormat = .text

    func run() throws {
        var query = EventQuery()
        query.principals = [Glob(principal)]
        query.accounts = Set(input.accounts)
        query.regions = Set(input.regions)
        (query.since, query.until) = try input.timeRange(now: Instant.now)
        let options = try input.queryOptions(query: query)
        let pattern = principal
        let (builder, stats) = QueryRun.run(options) { TimelineBuilder(principal: pattern) }
        let timeline = builder.timeline
        switch format {
        case .text: Terminal.writeStdout(TimelineFormat.endingWithNewline(timeline.text(width: Terminal.stdoutIsTTY ? Terminal.width : nil)))
        case .markdown: Terminal.writeStdout(TimelineFormat.endingWithNewline(timeline.markdown()))
        }
        try QueryReport.finish(stats, allowDamaged: input.allowDamaged)
    }
}

enum TimelineFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown

    static func endingWithNewline(_ s: String) -> String { s.hasSuffix("\n") ? s : s + "\n" }
}

import AgentTrail
import ArgumentParser
import Testing
@testable import agenttrail

/// Argument parsing of `events` and `timeline` into queries.
@Suite struct EventsCommandTests {
    static let now = Instant(year: 2026, month: 11, day: 28, hour: 12)!

    @Test func filtersBecomeAQuery() throws {
        let cmd = try AgentTrailCommand.parseAsRoot([
            "events", "logs", "--principal", "AgentRole", "--principal", "arn:aws:iam::1:user/*", "--ip", "2001:db8::/32",
            "--ip", "203.0.113.9", "--event-source", "bedrock.amazonaws.com", "--event-name", "Invoke*", "--action", "bedrock:*",
            "--errors", "--denied", "--region", "us-east-1", "--account", "111122223333", "--since", "24h", "--until", "90m",
            "--contains", "needle", "--access-key", "AKIA1",
        ]) as! EventsCommand
        #expect(cmd.input.paths == ["logs"])
        let q = try cmd.filters.query(input: cmd.input, now: Self.now)
        #expect(q.principals.map(\.pattern) == ["AgentRole", "arn:aws:iam::1:user/*"])
        #expect(q.networks == [CIDR("2001:db8::/32")!, CIDR("203.0.113.9/32")!])
        #expect(q.eventSources.map(\.pattern) == ["bedrock.amazonaws.com"])
        #expect(q.eventNames.first?.caseInsensitive == true)
        #expect(q.actions.map(\.pattern) == ["bedrock:*"])
        #expect(q.errorsOnly && q.deniedOnly)
        #expect(q.regions == ["us-east-1"] && q.accounts == ["111122223333"])
        #expect(q.since == Self.now.adding(seconds: -86_400))
        #expect(q.until == Self.now.adding(seconds: -5400))
        #expect(q.contains == ["needle"])
        #expect(q.accessKeys.map(\.pattern) == ["AKIA1"])
    }

    @Test(arguments: [
        ["events", "logs", "--ip", "not-an-ip"],
        ["events", "logs", "--by", "ip"],
        ["events", "logs", "--columns", "time,bogus"],
        ["events", "logs", "--limit", "-1"],
        ["events", "logs", "--count", "--by", "colour"],
        ["events"],
    ])
    func rejected(_ args: [String]) {
        #expect(throws: (any Error).self) {
            let cmd = try AgentTrailCommand.parseAsRoot(args)
            if let e = cmd as? EventsCommand { _ = try e.filters.query(input: e.input, now: Self.now) }
        }
    }

    @Test func timelineTakesThePrincipalFirst() throws {
        let cmd = try AgentTrailCommand.parseAsRoot(["timeline", "AgentRole", "a", "b", "--format", "markdown", "--since", "7d"])
        let t = try #require(cmd as? TimelineCommand)
        #expect(t.principal == "AgentRole")
        #expect(t.input.paths == ["a", "b"])
        #expect(t.format == .markdown)
    }
}

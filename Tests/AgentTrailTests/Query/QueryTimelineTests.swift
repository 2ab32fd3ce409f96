import Foundation
import Testing
@testable import AgentTrail

@Suite struct QueryTimelineTests {
    typealias S = QuerySupport

    static let path: String = S.write("{\"Records\":[" + [
        S.record(id: "a", time: "2026-11-28T10:05:00Z"),
        S.record(id: "b", time: "2026-11-28T10:50:00Z", name: "Converse", error: "AccessDeniedException"),
        S.record(id: "c", time: "2026-11-28T12:10:00Z", ip: "198.51.100.9"),
        S.record(id: "d", time: "2026-11-28T12:20:00Z", source: "bedrock-agent.amazonaws.com", name: "CreateAgent", region: "eu-west-1"),
        S.record(id: "e", time: "2026-11-28T13:00:00Z", name: "Converse", agent: "python|`x`"),
        S.record(id: "f", time: "2026-11-28T12:30:00Z", identity: S.userIdentity()),  // other principal
        S.record(id: "g", time: nil),
    ].joined(separator: ",") + "]}")

    static func build(_ pattern: String) -> Timeline {
        var q = EventQuery()
        q.principals = [Glob(pattern)]
        return QueryRun.run(QueryOptions(paths: [path], query: q, jobs: 2)) { TimelineBuilder(principal: pattern) }.sink.timeline
    }

    @Test func hoursAndFirstSeenItems() throws {
        let t = Self.build("AgentRole")
        #expect(t.identities == ["arn:aws:iam::111122223333:role/AgentRole"])
        #expect(t.hours.map { Timeline.hourLabel($0.start) } == ["2026-11-28T10:00Z", "2026-11-28T12:00Z", "2026-11-28T13:00Z"])
        #expect(t.hours.map(\.calls) == [2, 2, 1])
        #expect(t.hours.map(\.errors) == [1, 0, 0])
        #expect(t.hours[0].denied == 1)
        #expect(t.hours[0].actions == ["bedrock:InvokeModel": 2])  // Converse needs bedrock:InvokeModel
        #expect(!t.hours[0].hasNew)
        #expect(t.hours[1].newActions == ["bedrock:CreateAgent"])
        #expect(t.hours[1].newSourceIPs == ["198.51.100.9"])
        #expect(t.hours[1].newRegions == ["eu-west-1"])
        #expect(t.hours[1].newUserAgents.isEmpty)
        #expect(t.hours[2].newActions.isEmpty)  // Converse was seen in the first hour
        #expect(t.hours[2].newUserAgents == ["python|`x`"])
        #expect(t.undated == 1)
        #expect(t.calls == 5)
    }

    @Test func textAndMarkdown() {
        let t = Self.build("AgentRole")
        let text = t.text()
        #expect(text.contains("5 calls in 3 active hours from 2026-11-28T10:00Z to 2026-11-28T14:00Z, 1 error (1 denied), 1 without a readable eventTime"))
        #expect(text.contains("    * new action: bedrock:CreateAgent\n"))
        #expect(text.contains("    * new ip: 198.51.100.9\n"))
        let md = t.markdown()
        #expect(md.hasPrefix("## Timeline of `AgentRole`\n"))
        #expect(md.contains("| 2026-11-28T10:00Z | 2 | 1 | 1 | 1 |"))
        #expect(md.contains("(first active hour)"))
        #expect(md.contains("**new** action `bedrock:CreateAgent`<br>**new** ip `198.51.100.9`<br>**new** region `eu-west-1`"))
        #expect(md.contains("**new** user-agent python\\|\\`x\\`"))
    }

    @Test func emptyTimeline() {
        let t = Self.build("nobody")
        #expect(t.hours.isEmpty)
        #expect(t.text().contains("no activity"))
    }

    @Test func sampleLogsTimeline() {
        var q = EventQuery()
        q.principals = [Glob("BatchSummarizerRole")]
        let t = QueryRun.run(QueryOptions(paths: [S.sampleLogs], query: q, jobs: 2)) { TimelineBuilder(principal: "x") }.sink.timeline
        let (c, _) = QueryRun.run(QueryOptions(paths: [S.sampleLogs], query: q, jobs: 2)) { EventCounter() }
        #expect(t.calls + t.undated == c.total)
        #expect(t.hours.count > 1)
        #expect(zip(t.hours, t.hours.dropFirst()).allSatisfy { $0.start < $1.start })
    }
}

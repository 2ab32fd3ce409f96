import Foundation
import Testing
@testable import AgentTrail

@Suite struct QueryOutputTests {
    typealias S = QuerySupport

    /// Records written with unicode escapes, escaped slashes, raw UTF-8 and odd spacing inside a Records array.
    static let tricky: [String] = [
        S.record(id: "u1", extra: ",\"prompt\":\"caf\\u00e9 \\ud83d\\ude00 \\u2028 \\\"q\\\" \\/path\\/x\""),
        S.record(id: "u2", time: "2026-11-28T10:16:00Z", extra: ",\"raw\":\"naïve — 日本\"").replacingOccurrences(of: "\":\"", with: "\" : \""),
        S.record(id: "u3", time: "2026-11-28T10:17:00Z", agent: "evil\\u001b[31mred"),
    ]

    @Test func jsonlIsByteIdenticalToTheSource() throws {
        let path = S.write("{\"Records\":[" + Self.tricky.joined(separator: ", ") + "]}\n")
        let out = EventOutput.jsonl(collect(EventQuery(), path))
        let expected = Array((Self.tricky.joined(separator: "\n") + "\n").utf8)
        #expect(out == expected)
    }

    @Test func jsonlFromJSONLinesInput() throws {
        let lines = S.write(Self.tricky.joined(separator: "\n") + "\n", name: "x.jsonl")
        #expect(EventOutput.jsonl(collect(EventQuery(), lines)) == Array((Self.tricky.joined(separator: "\n") + "\n").utf8))
    }

    @Test func prettyPrintedRecordsBecomeOneLine() throws {
        let pretty = "{\n  \"Records\": [\n    {\n      \"eventSource\": \"s3.amazonaws.com\",\n      \"eventName\": \"Get Object\",\n"
            + "      \"eventTime\": \"2026-11-28T10:00:00Z\",\n      \"requestParameters\": { \"key\": \"a b\\n c\" }\n    }\n  ]\n}\n"
        let out = EventOutput.jsonl(collect(EventQuery(), S.write(pretty)))
        let text = String(decoding: out, as: UTF8.self)
        #expect(text == "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"Get Object\",\"eventTime\":\"2026-11-28T10:00:00Z\",\"requestParameters\":{\"key\":\"a b\\n c\"}}\n")
        // The one-line form decodes to the same fields.
        let record = try #require(try RecordDecoder().decode(Array(out.dropLast())))
        #expect(record.eventName == "Get Object")
        #expect(record.requestParameters?.text == "{\"key\":\"a b\\n c\"}")
    }

    @Test func oneLineLeavesSingleLineBytesAlone() {
        let b = Array("{ \"a\" : [1, 2] }".utf8)
        #expect(JSONLine.oneLine(b) == b)
        #expect(JSONLine.oneLine(Array("{\r\n\"a\" : \"x y\"\n}".utf8)) == Array("{\"a\":\"x y\"}".utf8))
    }

    @Test func tableEscapesControlCharactersAndFitsTheWidth() {
        let events = collect(EventQuery(), S.write("{\"Records\":[" + Self.tricky.joined(separator: ",") + "]}"))
        let table = EventOutput.table(events, columns: [.time, .principal, .event, .userAgent, .eventID], width: 70)
        #expect(!table.contains("\u{1b}"))
        for line in table.split(separator: "\n") { #expect(line.count <= 70, "\(line)") }
        #expect(table.contains("…"))
        #expect(table.contains("2026-11-28T10:15:00Z  "))  // the time column is never cut
        let wide = EventOutput.table(events, columns: [.time, .principal, .event, .userAgent, .eventID], width: nil)
        #expect(wide.contains("role/AgentRole"))
        #expect(!wide.contains("\u{1b}"))
        #expect(wide.contains("evil\\u{1b}[31mred"))
        #expect(wide.contains("bedrock:InvokeModel"))
        #expect(wide.split(separator: "\n").count == 4)
    }

    @Test func textTableNeverShrinksBelowHeaders() {
        let t = TextTable(headers: ["time", "principal"], rows: [["x", String(repeating: "p", count: 50)]])
        let out = t.render(width: 10)
        #expect(out.hasPrefix("time  principal\n"))
    }

    @Test func csvHasHeaderFullPrincipalAndNeutralisedFormulas() {
        let rec = S.record(id: "c1", agent: "=HYPERLINK(\\\"x\\\")")
        let events = collect(EventQuery(), S.write("{\"Records\":[\(rec)]}"))
        let csv = EventOutput.csv(events, columns: [.principal, .userAgent, .action, .eventID])
        #expect(csv == "principal,user-agent,action,event-id\r\narn:aws:iam::111122223333:role/AgentRole,\"'=HYPERLINK(\"\"x\"\")\",bedrock:InvokeModel,c1\r\n")
    }

    @Test func columnsParse() throws {
        #expect(try EventColumn.parseList("time, source-ip,ACTION") == [.time, .sourceIP, .action])
        #expect(throws: EventColumnError.self) { try EventColumn.parseList("time,nope") }
    }

    @Test func countsGroupAndSort() {
        let path = S.write("{\"Records\":[" + QueryFilterTests.records.joined(separator: ",") + "]}")
        func count(_ by: EventGroupKey?) -> (Int, [EventCount]) {
            let (c, _) = QueryRun.run(QueryOptions(paths: [path], query: EventQuery(), jobs: 2)) { EventCounter(by: by) }
            return (c.total, c.counts)
        }
        #expect(count(nil).0 == 9)
        let byIP = count(.ip).1
        #expect(byIP.first == EventCount(key: "203.0.113.7", count: 2))
        #expect(byIP.reduce(0) { $0 + $1.count } == 9)
        let byError = count(.error).1
        #expect(byError.first == EventCount(key: "(none)", count: 5))
        #expect(byError.dropFirst().map(\.key) == ["AccessDenied", "AccessDeniedException", "ThrottlingException", "ValidationException"])
        let byHour = count(.hour).1
        #expect(byHour.contains(EventCount(key: "2026-11-28T10:00Z", count: 4)))
        #expect(byHour.contains(EventCount(key: "(no time)", count: 1)))
        let byPrincipal = count(.principal).1
        #expect(byPrincipal.first == EventCount(key: "arn:aws:iam::111122223333:role/AgentRole", count: 4))
        #expect(count(.action).1.contains(EventCount(key: "bedrock:InvokeModel", count: 3)))  // r1, r7 and Converse (r8)
        #expect(count(.eventSource).1.first == EventCount(key: "bedrock.amazonaws.com", count: 5))
    }

    func collect(_ q: EventQuery, _ path: String) -> [MatchedEvent] {
        QueryRun.run(QueryOptions(paths: [path], query: q, jobs: 1)) { EventCollector() }.sink.events
    }
}

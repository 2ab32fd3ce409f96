import Foundation
import Testing
@testable import AgentTrail

/// Query runs over SampleLogs and the vendored public samples: limits, job counts and push-down must not change results.
@Suite struct QueryRunTests {
    typealias S = QuerySupport

    static func q(_ edit: (inout EventQuery) -> Void) -> EventQuery {
        var q = EventQuery()
        edit(&q)
        return q
    }

    static let sampleQueries: [EventQuery] = [
        q { $0.principals = [Glob("BatchSummarizerRole")] },
        q { $0.eventSources = [Glob("bedrock.amazonaws.com", caseInsensitive: true)]; $0.deniedOnly = true },
        q { $0.networks = [CIDR("44.230.17.0/24")!] },
        q { $0.accessKeys = [Glob("AKIA*")] },
        q { $0.actions = [Glob("bedrock:Invoke*", caseInsensitive: true)]; $0.regions = ["us-west-2"] },
        q { $0.contains = ["contractor-temp"] },
        q { $0.since = TimeExpression.parseISO("2025-06-10"); $0.until = TimeExpression.parseISO("2025-06-11"); $0.errorsOnly = true },
    ]

    @Test(arguments: sampleQueries.indices)
    func pushDownAndJobsDoNotChangeSampleResults(_ i: Int) {
        let q = Self.sampleQueries[i]
        let plain = S.raws(q, [S.sampleLogs], jobs: 1, pushDown: false)
        let pushed = S.raws(q, [S.sampleLogs], jobs: 2, pushDown: true)
        #expect(!plain.isEmpty, "query \(i) matches something in SampleLogs")
        #expect(pushed == plain, "query \(i)")
    }

    @Test func limitKeepsTheEarliestDeterministically() {
        let q = Self.q { $0.eventSources = [Glob("bedrock*", caseInsensitive: true)] }
        let all = S.raws(q, [S.sampleLogs], jobs: 2)
        #expect(all.count > 100)
        for n in [0, 1, 7, 100] {
            let one = S.raws(q, [S.sampleLogs], jobs: 1, limit: n)
            let two = S.raws(q, [S.sampleLogs], jobs: 2, limit: n)
            #expect(one == Array(all.prefix(n)))
            #expect(two == one)
        }
    }

    @Test func outputIsInTimeOrder() {
        let (c, stats) = QueryRun.run(QueryOptions(paths: [S.sampleLogs], query: EventQuery(), jobs: 2)) { EventCollector() }
        let times = c.events.compactMap(\.eventTime)
        #expect(times == times.sorted())
        #expect(stats.matched == c.events.count)
        #expect(stats.records == stats.decoded + stats.prefiltered + stats.malformed)
    }

    @Test func pathPruningSkipsFilesOutsideTheRange() {
        var q = EventQuery()
        q.regions = ["eu-west-1"]
        q.since = TimeExpression.parseISO("2025-06-10")
        let (_, pruned) = QueryRun.run(QueryOptions(paths: [S.sampleLogs], query: q, jobs: 2)) { EventCounter() }
        let (_, all) = QueryRun.run(QueryOptions(paths: [S.sampleLogs], query: EventQuery(), jobs: 2)) { EventCounter() }
        #expect(pruned.filesRead < all.filesRead)
        #expect(pruned.filesPruned > 0)
        // Pruned or not, the records found are the same as with a full read and no push-down.
        let full = S.raws(q, [S.sampleLogs], jobs: 1, pushDown: false)
        var unpruned = QueryOptions(paths: [S.sampleLogs], query: q, filter: .all, jobs: 1, pushDown: false)
        unpruned.filter = .all
        let (c, _) = QueryRun.run(unpruned) { EventCollector() }
        #expect(c.events.map(\.raw) == full)
    }

    @Test func realLogsPushDownAgrees() throws {
        let real = S.realLogs
        let queries: [EventQuery] = [
            Self.q { $0.eventSources = [Glob("bedrock*", caseInsensitive: true)] },
            Self.q { $0.deniedOnly = true },
            Self.q { $0.networks = [CIDR("0.0.0.0/0")!] },
            Self.q { $0.principals = [Glob("*Admin*")] },
            Self.q { $0.contains = ["InvokeModel"] },
            Self.q { $0.actions = [Glob("bedrock:*", caseInsensitive: true)]; $0.errorsOnly = true },
        ]
        var nonEmpty = 0
        for (i, q) in queries.enumerated() {
            let plain = S.raws(q, [real], jobs: 1, pushDown: false)
            let pushed = S.raws(q, [real], jobs: 2, pushDown: true)
            #expect(pushed == plain, "query \(i)")
            if !plain.isEmpty { nonEmpty += 1 }
        }
        #expect(nonEmpty >= 4)
    }
}

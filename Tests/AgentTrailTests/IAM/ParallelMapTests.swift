import Testing
@testable import AgentTrail

/// `ParallelMap.both`: two independent pieces of work, on two threads or one after the other, with the results and
/// the errors of the sequential order.
@Suite struct ParallelMapTests {
    struct Failure: Error, Equatable { let name: String }

    @Test(arguments: [false, true])
    func bothGivesBothResults(parallel: Bool) throws {
        let (a, b) = try ParallelMap.both(parallel: parallel, { (1...1000).reduce(0, +) }, { String(repeating: "x", count: 3) })
        #expect(a == 500_500 && b == "xxx")
    }

    @Test(arguments: [false, true])
    func bothReportsTheFirstErrorFirst(parallel: Bool) {
        #expect(throws: Failure(name: "first")) {
            _ = try ParallelMap.both(parallel: parallel, { () throws -> Int in throw Failure(name: "first") },
                                     { () throws -> Int in throw Failure(name: "second") })
        }
        #expect(throws: Failure(name: "second")) {
            _ = try ParallelMap.both(parallel: parallel, { 1 }, { () throws -> Int in throw Failure(name: "second") })
        }
        #expect(throws: Failure(name: "first")) {
            _ = try ParallelMap.both(parallel: parallel, { () throws -> Int in throw Failure(name: "first") }, { 2 })
        }
    }
}

import Foundation
import Synchronization
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

    /// A `map` on two jobs inside either side of `both` really runs its two items at once (each waits up to 5 s for
    /// the other to arrive): as iterations of one `concurrentPerform`, `both`'s sides made every `map` in them a
    /// nested `concurrentPerform`, which libdispatch runs on one thread (the catalogue's parse at start-up).
    @Test(.enabled(if: ProcessInfo.processInfo.activeProcessorCount > 1, "needs two cores"), arguments: [0, 1])
    func aMapInsideBothRunsInParallel(side: Int) throws {
        func meetInMap() -> Bool {
            let arrived = Atomic<Int>(0)
            let met = ParallelMap.map([0, 1], jobs: 2) { _ -> Bool in
                arrived.wrappingAdd(1, ordering: .sequentiallyConsistent)
                let deadline = Date().addingTimeInterval(5)
                while arrived.load(ordering: .sequentiallyConsistent) < 2 {
                    if Date() > deadline { return false }
                    usleep(200)
                }
                return true
            }
            return met.allSatisfy { $0 }
        }
        let (a, b) = try ParallelMap.both(parallel: true, { side == 0 ? meetInMap() : true },
                                          { side == 1 ? meetInMap() : true })
        #expect(a && b, "the two items of the inner map did not run at the same time")
    }
}

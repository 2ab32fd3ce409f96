import Foundation
import Dispatch
import Synchronization

/// `map` over independent items on up to `jobs` threads, results in input order. For the per-principal policy
/// work outside a scan's pass (lint in `PolicyContextLoader`, grants in `AnalysisContext.deriveGrants`) and the
/// parse of a scan's rule files (`SigmaRuleLoader.load(paths:jobs:)`): the pass's workers are not running then, so
/// with `--jobs N` it may use N threads too.
public enum ParallelMap {
    ///
    /// Threads take the next item as they finish one. With `cost` (an estimate of each item's work, only its order
    /// matters), items are taken costliest first, so that a few heavy items do not meet on one thread while the
    /// others run out of work (longest-processing-time-first scheduling).
    static func map<T: Sendable, R: Sendable>(_ items: [T], jobs: Int, cost: ((T) -> Int)? = nil,
                                              _ transform: (T) -> R) -> [R] {
        let threads = min(max(1, jobs), items.count)
        guard threads > 1 else { return items.map(transform) }
        let order: [Int]
        if let cost {
            let costs = items.map(cost)
            // (Ties keep input order: the same order on every run.)
            order = items.indices.sorted { costs[$0] != costs[$1] ? costs[$0] > costs[$1] : $0 < $1 }
        } else {
            order = Array(items.indices)
        }
        let results = Mutex<[R?]>(Array(repeating: nil, count: items.count))
        let next = Atomic<Int>(0)
        withoutActuallyEscaping(transform) { transform in
            let work = Handed(transform)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while true {
                    let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard k < order.count else { return }
                    let i = order[k]
                    let r = work.call(items[i])
                    results.withLock { $0[i] = r }
                }
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// `(first(), second())` for two independent pieces of work, run on two threads at once when `parallel` (both
    /// then run to their end, even when `first` throws; else one after the other, `second` only when `first`
    /// succeeded). Errors come as in the sequential order: `first`'s when it threw, else `second`'s. For a command's
    /// start-up, where loading the policies and loading the rule pack need nothing from each other and would otherwise
    /// leave the other worker idle.
    ///
    /// `first` runs on the calling thread and `second` on a thread of its own, not both as iterations of
    /// `concurrentPerform`: a `map` inside either (the catalogue's parse, the policies' derivation) would then be a
    /// `concurrentPerform` nested in another, which libdispatch runs on one thread (profiled: the catalogue's parse,
    /// asked for on two threads at two jobs, ran on one while the other thread had finished the rules).
    public static func both<A: Sendable, B: Sendable>(parallel: Bool, _ first: () throws -> A,
                                                      _ second: () throws -> B) throws -> (A, B) {
        guard parallel else {
            let a = try first()
            return (a, try second())
        }
        let b = Mutex<Result<B, any Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let ra: Result<A, any Error> = withoutActuallyEscaping(second) { second in
            // (The thread reaches `second` through a slot emptied once it has run: the thread object, and the block
            // it was started with, may outlive this call, and `second` must not.)
            let slot = Slot(second)
            let thread = Thread {
                let r = Result { try slot.call!() }
                b.withLock { $0 = r }
                done.signal()
            }
            thread.start()
            let ra = Result { try first() }
            done.wait()
            slot.call = nil
            return ra
        }
        let rb = b.withLock { $0! }
        return (try ra.get(), try rb.get())
    }

    /// A function handed to a thread that may outlive the call handing it: emptied once the thread has run it.
    private final class Slot<F>: @unchecked Sendable {
        var call: F?
        init(_ call: F) { self.call = call }
    }

    /// A function handed to other threads (callers pass independent work: pure transforms of an item, or loads
    /// that share nothing).
    private struct Handed<F>: @unchecked Sendable {
        let call: F
        init(_ call: F) { self.call = call }
    }
}

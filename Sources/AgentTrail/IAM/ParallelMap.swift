import Dispatch
import Synchronization

/// `map` over independent items on up to `jobs` threads, results in input order. For the per-principal policy
/// work outside a scan's pass (lint in `PolicyContextLoader`, grants in `AnalysisContext.deriveGrants`): the pass's
/// workers are not running then, so with `--jobs N` it may use N threads too.
enum ParallelMap {
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
            let work = UncheckedTransform(transform)
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while true {
                    let k = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard k < order.count else { return }
                    let i = order[k]
                    let r = work.transform(items[i])
                    results.withLock { $0[i] = r }
                }
            }
        }
        return results.withLock { $0.map { $0! } }
    }

    /// The transform handed to the threads (each call is independent; callers pass pure functions of the item).
    private struct UncheckedTransform<T, R>: @unchecked Sendable {
        let transform: (T) -> R
        init(_ transform: @escaping (T) -> R) { self.transform = transform }
    }
}

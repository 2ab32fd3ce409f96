import Foundation

/// The memory that all workers of one run may spend on reading gzip files whole, and the pool of buffers it pays
/// for. Thread-safe; share one per run.
///
/// The libdeflate fast path needs a file's compressed bytes and its inflated bytes in memory at once. Before
/// reading a file whole an `InputReader` takes a lease of two buffers (compressed size + gzip ISIZE, rounded up to
/// 64 KiB) and gives them back when the file is done. The budget counts the capacity of every buffer it owns, lent
/// or idle, so this memory never exceeds `bytes`:
/// - idle buffers stay mapped for the next file (no `munmap`, no page faults to map them again); an idle buffer
///   is reused when it fits, and freed (smallest first) only to make room for a new one;
/// - a request that does not fit waits (`wait: true`, first come first served) or is refused (`wait: false`, so
///   a scheduler can pick a smaller file instead). Nobody waits while holding a lease, so waiting cannot deadlock;
/// - a file that alone needs more than `bytes` is still read whole, alone: it waits until nothing is lent, the
///   idle buffers are freed, and it gets buffers of its size that are freed right after it. Memory then peaks at
///   that file's size (as with one worker), not at `bytes` plus that file.
public final class WholeFileBudget: @unchecked Sendable {
    /// The default budget: 28 MiB, room for one ~24 MiB file (ISIZE + compressed) and a small one beside it.
    /// With a ~30 MiB process baseline a two-worker scan then peaks under 64 MiB (32 MiB left only ~1 MiB spare).
    public static let defaultBytes = 28 << 20
    /// Buffer sizes are rounded up to a multiple of this, so that buffers fit more files.
    static let granule = 64 * 1024

    /// The most whole-file memory held at once (apart from a file larger than the budget, read alone).
    public let bytes: Int

    private let condition = NSCondition()
    /// Idle buffers, by capacity (ascending).
    private var idle: [RawBuffer] = []
    /// Capacity of every buffer owned (idle and lent).
    private var resident = 0
    private var peak = 0
    /// Leases out.
    private var lent = 0
    /// A lease larger than the budget is out: nothing else is granted.
    private var exclusive = false
    /// Tickets of the waiting requests, oldest first.
    private var waiting: [Int] = []
    private var nextTicket = 0

    /// A budget of `bytes` (at least 0; with 0 every file is read alone).
    public init(bytes: Int = WholeFileBudget.defaultBytes) {
        self.bytes = max(bytes, 0)
    }

    /// Memory currently owned (idle and lent buffers).
    public var residentBytes: Int { locked { resident } }
    /// The most memory owned at once so far.
    public var peakResidentBytes: Int { locked { peak } }
    /// Buffers currently lent.
    public var leasesOut: Int { locked { lent } }

    /// Lends buffers of at least `input` and `output` bytes. With `wait` false returns nil when they are not
    /// available now (or others are already waiting); with `wait` true waits until they are.
    func acquire(input: Int, output: Int, wait: Bool) -> WholeFileLease? {
        let sizes = (input: Self.rounded(input), output: Self.rounded(output))
        condition.lock()
        defer { condition.unlock() }
        if !wait {
            guard waiting.isEmpty else { return nil }
            return grant(sizes)
        }
        let ticket = nextTicket
        nextTicket += 1
        waiting.append(ticket)
        while true {
            if waiting.first == ticket, let lease = grant(sizes) {
                waiting.removeFirst()
                condition.broadcast()  // the next in line may fit too
                return lease
            }
            condition.wait()
        }
    }

    /// True when `acquire(input:output:wait: false)` would succeed now (nothing is changed).
    func couldAcquire(input: Int, output: Int) -> Bool {
        locked { waiting.isEmpty && plan((Self.rounded(input), Self.rounded(output))) != nil }
    }

    /// Gives a lease back: its buffers become idle (or are freed, for a lease larger than the budget).
    func release(_ lease: WholeFileLease) {
        condition.lock()
        defer { condition.unlock() }
        lent -= 1
        if lease.exclusive {
            resident -= lease.input.capacity + lease.output.capacity
            lease.input.free()
            lease.output.free()
            exclusive = false
        } else {
            insertIdle(lease.input)
            insertIdle(lease.output)
        }
        condition.broadcast()
    }

    /// Grows a lease's output buffer to at least `count` bytes (contents discarded), without waiting. Fails
    /// when the memory is not available now; succeeds beyond the budget when this is the only lease out (it is
    /// then read alone, like a file larger than the budget).
    func growOutput(_ lease: WholeFileLease, to count: Int) -> Bool {
        let size = Self.rounded(count)
        condition.lock()
        defer { condition.unlock() }
        let extra = size - lease.output.capacity
        if extra <= 0 { return true }
        if !lease.exclusive {
            let idleBytes = idle.reduce(0) { $0 + $1.capacity }
            if resident + extra - idleBytes <= bytes {
                evictIdle(toFit: extra)
            } else if lent == 1 {
                evictIdle(toFit: .max)
                lease.exclusive = true
                exclusive = true
            } else {
                return false
            }
        }
        resident -= lease.output.capacity
        lease.output.free()
        _ = lease.output.reserve(size)
        resident += lease.output.capacity
        peak = max(peak, resident)
        return true
    }

    /// `plan` with and without its quick path, for tests: (input reused, output reused, exclusive, bytes allocated).
    func planned(input: Int, output: Int, quick: Bool) -> (input: Int?, output: Int?, exclusive: Bool, allocated: Int)? {
        locked {
            plan((Self.rounded(input), Self.rounded(output)), quick: quick).map {
                ($0.input, $0.output, $0.exclusive,
                 $0.exclusive ? 0 : ($0.input == nil ? Self.rounded(input) : 0) + ($0.output == nil ? Self.rounded(output) : 0))
            }
        }
    }

    // MARK: - Under the lock

    private func locked<R>(_ body: () -> R) -> R {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    /// Grants a lease when possible now (`plan`), applying the plan.
    private func grant(_ sizes: (input: Int, output: Int)) -> WholeFileLease? {
        guard let p = plan(sizes) else { return nil }
        let reusedInput = p.input.map { idle[$0] }, reusedOutput = p.output.map { idle[$0] }
        // (The higher index first, so the other stays valid; no arrays: this runs once per file.)
        let a = p.input ?? -1, b = p.output ?? -1
        for i in [max(a, b), min(a, b)] where i >= 0 { idle.remove(at: i) }
        if p.exclusive { exclusive = true }
        evictIdle(toFit: p.exclusive ? .max : p.allocated)
        func buffer(_ reused: RawBuffer?, _ size: Int) -> RawBuffer {
            if let reused { return reused }
            resident += size
            return RawBuffer(capacity: size)
        }
        let lease = WholeFileLease(input: buffer(reusedInput, sizes.input), output: buffer(reusedOutput, sizes.output),
                                   exclusive: p.exclusive)
        lent += 1
        peak = max(peak, resident)
        return lease
    }

    /// How a request would be served: which idle buffers (indices into `idle`) it reuses, how many new bytes it
    /// maps (idle buffers not reused are freed, smallest first, to make room); nil when it cannot be served now.
    private func plan(_ sizes: (input: Int, output: Int), quick: Bool = true) -> Plan? {
        if exclusive { return nil }
        if sizes.input + sizes.output > bytes {
            return lent == 0 ? Plan(exclusive: true) : nil
        }
        if quick, let fits = reusingGoodFits(sizes) { return fits }
        // Reuse what `choose` picks; if that does not fit, reuse less (reusing nothing fits whenever the request
        // fits beside the lent buffers).
        var p = Plan()
        // The larger buffer first, so it gets the best-fitting idle buffer.
        for (isOutput, size) in [(true, sizes.output), (false, sizes.input)].sorted(by: { $0.1 > $1.1 }) {
            let choice = choose(size, plan: p)
            if let i = choice { p.reused.append(i) } else { p.allocated += size }
            if isOutput { p.output = choice } else { p.input = choice }
        }
        let candidates = [p, Plan(input: nil, output: p.output), Plan(input: p.input, output: nil), Plan()]
        for var c in candidates {
            c.reused = [c.input, c.output].compactMap { $0 }
            c.allocated = (c.input == nil ? sizes.input : 0) + (c.output == nil ? sizes.output : 0)
            let spare = idle.indices.filter { !c.reused.contains($0) }.reduce(0) { $0 + idle[$1].capacity }
            if resident + c.allocated - spare <= bytes { return c }
        }
        return nil
    }

    /// The plan `plan` makes when both buffers are served by good fits among the idle ones (the usual case: the
    /// previous file's buffers), found without building arrays; nil to let `plan` decide.
    private func reusingGoodFits(_ sizes: (input: Int, output: Int)) -> Plan? {
        let outputFirst = sizes.output >= sizes.input  // (the larger first, the output on a tie, as `plan` orders them)
        let larger = outputFirst ? sizes.output : sizes.input, smaller = outputFirst ? sizes.input : sizes.output
        /// `choose`'s first answer: the smallest idle buffer large enough, when it is a good fit.
        func goodFit(_ size: Int, besides taken: Int) -> Int? {
            for i in idle.indices where i != taken && idle[i].capacity >= size {
                return idle[i].capacity <= 2 * size + 4 * Self.granule ? i : nil
            }
            return nil
        }
        guard let first = goodFit(larger, besides: -1), let second = goodFit(smaller, besides: first) else { return nil }
        var spare = 0
        for i in idle.indices where i != first && i != second { spare += idle[i].capacity }
        guard resident - spare <= bytes else { return nil }
        var p = Plan()
        if outputFirst { p.output = first; p.input = second } else { p.input = first; p.output = second }
        return p
    }

    /// An idle buffer for `size` bytes, or nil to map a new one: a good fit (at most about twice the size) is
    /// reused; otherwise a new buffer when it fits by freeing only idle buffers too small for this request
    /// (so a large idle buffer is kept for a large file); otherwise any idle buffer that is large enough.
    private func choose(_ size: Int, plan p: Plan) -> Int? {
        let free = idle.indices.filter { !p.reused.contains($0) }
        let fit = free.first { idle[$0].capacity >= size }  // smallest large enough (`idle` is sorted)
        if let f = fit, idle[f].capacity <= 2 * size + 4 * Self.granule { return f }
        let tooSmall = free.filter { idle[$0].capacity < size }.reduce(0) { $0 + idle[$1].capacity }
        if resident + p.allocated + size - tooSmall <= bytes { return nil }
        return fit
    }

    /// Frees idle buffers, smallest first, until `extra` more bytes fit in the budget (all of them for `.max`).
    private func evictIdle(toFit extra: Int) {
        while let b = idle.first, extra == .max || resident + extra > bytes {
            idle.removeFirst()
            resident -= b.capacity
            b.free()
        }
    }

    private func insertIdle(_ b: RawBuffer) {
        let at = idle.firstIndex { $0.capacity >= b.capacity } ?? idle.count
        idle.insert(b, at: at)
    }

    static func rounded(_ n: Int) -> Int {
        let n = max(n, 1)
        return (n + granule - 1) / granule * granule
    }

    private struct Plan {
        var exclusive = false
        var input: Int?
        var output: Int?
        var reused: [Int] = []
        var allocated = 0
    }
}

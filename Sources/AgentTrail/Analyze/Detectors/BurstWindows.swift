/// The earliest and latest event of one (name, time bucket) with the number of events in it.
struct BucketExtremes: Sendable, Hashable {
    var count: Int
    var first: EvidenceRef
    var last: EvidenceRef

    init(_ ref: EvidenceRef) {
        count = 1
        first = ref
        last = ref
    }

    mutating func add(_ ref: EvidenceRef) {
        count += 1
        if ref < first { first = ref }
        if last < ref { last = ref }
    }

    mutating func merge(_ other: BucketExtremes) {
        count += other.count
        if other.first < first { first = other.first }
        if last < other.last { last = other.last }
    }
}

/// A stretch of time in which at least `minDistinct` distinct names occurred within one sliding window.
struct ActivityBurst<Name: Hashable & Comparable>: Sendable where Name: Sendable {
    /// Events per name in the burst.
    var counts: [Name: Int]
    var first: Instant
    var last: Instant
    /// Events in the burst.
    var count: Int
    /// Up to `Evidence.cap` events of the burst, earliest first (at least the first and last of each bucket).
    var evidence: [EvidenceRef]
}

/// Timed events grouped by a name (action, event name) for "≥ K distinct names within a sliding window W"
/// questions, kept compactly and exactly.
///
/// Per (name, bucket of W/2) only the earliest and latest event and the count are kept. That is exact for
/// window membership: a dropped event lies between its bucket's extremes, which are at most W/2 apart, so
/// any window of length W that contains it also contains one of them. Merging is min/max/sum, hence
/// associative and order-independent; the bursts computed from it are identical for any merge order.
struct BurstWindows<Name: Hashable & Comparable & Sendable>: Sendable {
    /// Window length in milliseconds.
    let windowMs: Int64
    private(set) var buckets: [Name: [Int64: BucketExtremes]] = [:]

    init(windowMs: Int64) {
        self.windowMs = max(2, windowMs)
    }

    private var bucketMs: Int64 { max(1, windowMs / 2) }

    var isEmpty: Bool { buckets.isEmpty }

    /// Adds an event; events without a time are ignored (they cannot be placed in a window).
    mutating func add(_ name: Name, _ ref: EvidenceRef) {
        guard let t = ref.time else { return }
        let b = floorDiv(t.millisecondsSince1970, bucketMs)
        buckets[name, default: [:]].addExtremes(b, ref)  // (one lookup of `name`, mutated in place)
    }

    mutating func merge(_ other: BurstWindows<Name>) {
        for (name, theirs) in other.buckets {
            var mine = buckets[name] ?? [:]
            for (b, e) in theirs {
                if mine[b] != nil { mine[b]!.merge(e) } else { mine[b] = e }
            }
            buckets[name] = mine
        }
    }

    /// Floor division for (possibly negative) milliseconds.
    private func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        a >= 0 ? a / b : (a - b + 1) / b
    }

    private struct Point {
        var ref: EvidenceRef
        var time: Int64
        var name: Name
        var bucket: Int64
    }

    private struct BucketID: Hashable {
        var name: Name
        var bucket: Int64
    }

    /// The bursts: maximal runs of qualifying windows, where runs closer than one window are joined.
    func bursts(minDistinct: Int) -> [ActivityBurst<Name>] {
        let need = max(1, minDistinct)
        var points: [Point] = []
        for (name, bs) in buckets {
            for (b, e) in bs {
                points.append(Point(ref: e.first, time: e.first.time!.millisecondsSince1970, name: name, bucket: b))
                if e.last != e.first {
                    points.append(Point(ref: e.last, time: e.last.time!.millisecondsSince1970, name: name, bucket: b))
                }
            }
        }
        points.sort { $0.ref != $1.ref ? $0.ref < $1.ref : $0.name < $1.name }

        // Sliding window: qualifying index ranges [left, right].
        var ranges: [(Int, Int)] = []
        var inWindow: [Name: Int] = [:]
        var left = 0
        for right in points.indices {
            inWindow[points[right].name, default: 0] += 1
            while points[left].time < points[right].time - windowMs {
                let n = points[left].name
                inWindow[n]! -= 1
                if inWindow[n]! == 0 { inWindow[n] = nil }
                left += 1
            }
            if inWindow.count >= need {
                if let last = ranges.last, points[left].time - points[last.1].time <= windowMs {
                    ranges[ranges.count - 1] = (last.0, right)
                } else {
                    ranges.append((left, right))
                }
            }
        }

        return ranges.map { range in
            var ids = Set<BucketID>()
            for i in range.0...range.1 { ids.insert(BucketID(name: points[i].name, bucket: points[i].bucket)) }
            var counts: [Name: Int] = [:]
            var refs: [EvidenceRef] = []
            var total = 0
            for id in ids {
                let e = buckets[id.name]![id.bucket]!
                counts[id.name, default: 0] += e.count
                total += e.count
                refs.append(e.first)
                if e.last != e.first { refs.append(e.last) }
            }
            refs.sort()
            let first = refs.first!.time!
            let last = refs.last!.time!
            if refs.count > Evidence.cap { refs.removeLast(refs.count - Evidence.cap) }
            return ActivityBurst(counts: counts, first: first, last: last, count: total, evidence: refs)
        }
    }
}

extension Dictionary where Key == Int64, Value == BucketExtremes {
    /// Adds `ref` to the extremes of bucket `b`, creating it when new.
    @inline(__always)
    mutating func addExtremes(_ b: Int64, _ ref: EvidenceRef) {
        if let i = index(forKey: b) { values[i].add(ref) } else { self[b] = BucketExtremes(ref) }
    }
}

extension BurstWindows {
    /// Windows of `windowMs` holding `buckets` (state read back from a partial result, `PartialCoding`).
    init(windowMs: Int64, buckets: [Name: [Int64: BucketExtremes]]) {
        self.init(windowMs: windowMs)
        self.buckets = buckets
    }
}

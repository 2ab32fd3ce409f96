import Dispatch

/// `agenttrail merge`: folds partial results into one state, so memory holds the merged accumulators and the
/// partials being read (at most `jobs` at a time), never records. The same `merge(_:)` as between the workers of one
/// scan, so the findings are those of one scan over the union of the shards, for any number, order and grouping of
/// partials.
public enum PartialMerge {
    /// Reads `paths` into fresh accumulators of `detectors` and merges them in argument order; `jobs` partials are
    /// read (decoded) at once. Every partial must carry `expected`'s analysis fingerprint, and all the same input
    /// filters; the first one in argument order that does not stops the merge.
    public static func merge(paths: [String], detectors: [any Detector], context: AnalysisContext,
                             expected: PartialFingerprint, jobs: Int = 1) throws -> PartialFile.Contents {
        guard let first = paths.first else {
            throw PartialFileError(.unreadable, path: "-", "no partial results to merge")
        }
        var merged = try PartialFile.read(path: first, detectors: detectors, context: context, expected: expected, checkInput: false)
        var expected = expected
        expected.input = merged.fingerprint.input
        let rest = Array(paths.dropFirst())
        let width = max(1, jobs)
        var start = 0
        while start < rest.count {
            let batch = Array(rest[start..<min(rest.count, start + width)])
            for next in try read(batch, detectors: detectors, context: context, expected: expected) {
                merged.state.merge(next.state)
                if let files = next.evidenceFiles {
                    if merged.evidenceFiles == nil { merged.evidenceFiles = files } else { merged.evidenceFiles!.merge(files) }
                }
            }
            start += width
        }
        merged.fingerprint = expected
        return merged
    }

    /// Reads `paths` in parallel; the first failure in `paths` order is thrown.
    private static func read(_ paths: [String], detectors: [any Detector], context: AnalysisContext,
                             expected: PartialFingerprint) throws -> [PartialFile.Contents] {
        if paths.count == 1 {
            return [try PartialFile.read(path: paths[0], detectors: detectors, context: context, expected: expected, checkInput: true)]
        }
        let slots = Slots(paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { i in
            slots.set(i, Result { try PartialFile.read(path: paths[i], detectors: detectors, context: context,
                                                       expected: expected, checkInput: true) })
        }
        return try slots.results.map { try $0.get() }
    }

    /// One result per partial read in parallel, each written by its own iteration.
    private final class Slots: @unchecked Sendable {
        private let storage: UnsafeMutableBufferPointer<Result<PartialFile.Contents, any Error>?>

        init(_ count: Int) {
            storage = .allocate(capacity: count)
            storage.initialize(repeating: nil)
        }

        deinit {
            storage.deinitialize()
            storage.deallocate()
        }

        func set(_ i: Int, _ r: Result<PartialFile.Contents, any Error>) { storage[i] = r }

        var results: [Result<PartialFile.Contents, any Error>] { storage.map { $0! } }
    }
}

/// `agenttrail merge`: folds partial results into one state, one file at a time, so memory holds the merged
/// accumulators and one partial, never records. The same `merge(_:)` as between the workers of one scan, so the
/// findings are those of one scan over the union of the shards, for any number, order and grouping of partials.
public enum PartialMerge {
    /// Reads `paths` into fresh accumulators of `detectors` and merges them. Every partial must carry `expected`'s
    /// analysis fingerprint, and all the same input filters; the first one that does not stops the merge.
    public static func merge(paths: [String], detectors: [any Detector], context: AnalysisContext,
                             expected: PartialFingerprint) throws -> PartialFile.Contents {
        guard let first = paths.first else {
            throw PartialFileError(.unreadable, path: "-", "no partial results to merge")
        }
        var merged = try PartialFile.read(path: first, detectors: detectors, context: context, expected: expected, checkInput: false)
        var expected = expected
        expected.input = merged.fingerprint.input
        for path in paths.dropFirst() {
            let next = try PartialFile.read(path: path, detectors: detectors, context: context, expected: expected, checkInput: true)
            merged.state.merge(next.state)
            if let files = next.evidenceFiles {
                if merged.evidenceFiles == nil { merged.evidenceFiles = files } else { merged.evidenceFiles!.merge(files) }
            }
        }
        merged.fingerprint = expected
        return merged
    }
}

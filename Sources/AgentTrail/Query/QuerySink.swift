/// Per-worker receiver of the records a query matched. `QueryRun` makes one per worker, feeds it the matches
/// of the files that worker reads, then merges all of them into the first. Merging must not depend on the
/// order files were read, so results are the same for any job count.
public protocol QuerySink: AnyObject, Sendable {
    /// A record that matched (its `raw` is set), from `file`, at record `index` of that file.
    func observe(_ record: CloudTrailRecord, file: String, index: Int)
    /// Folds another worker's state into this one.
    func merge(_ other: Self)
}

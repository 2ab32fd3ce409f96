/// Which shard a worker reads: `K/N` (K from 0, as Kubernetes and AWS Batch number their workers), `K` with the
/// count from a plan or `--shards`, or `auto`: K (and N when given) from the engine's environment.
public struct ShardSpec: Sendable, Hashable {
    /// The shard, from 0.
    public var index: Int
    /// The number of shards; nil when it must come from a plan.
    public var count: Int?

    public init(index: Int, count: Int?) {
        self.index = index
        self.count = count
    }

    /// Kubernetes Indexed Jobs: the pod's index (the count is the Job's `completions`, which the pod does not see).
    public static let kubernetesIndex = "JOB_COMPLETION_INDEX"
    /// AWS Batch array jobs: the child's index and the array's size.
    public static let batchIndex = "AWS_BATCH_JOB_ARRAY_INDEX"
    public static let batchSize = "AWS_BATCH_JOB_ARRAY_SIZE"

    /// Parses `--shard`: `K/N`, `K` or `auto` (read from `environment`); `count` is `--shards` when given.
    public static func parse(_ text: String, count: Int? = nil, environment: [String: String]) throws -> ShardSpec {
        var spec: ShardSpec
        if text == "auto" {
            if let k = environment[kubernetesIndex] {
                spec = ShardSpec(index: try number(k, kubernetesIndex), count: nil)
            } else if let k = environment[batchIndex] {
                spec = ShardSpec(index: try number(k, batchIndex), count: try environment[batchSize].map { try number($0, batchSize) })
            } else {
                throw ShardPlanError(.noEnvironment, "--shard auto: neither \(kubernetesIndex) (Kubernetes Indexed Job) nor "
                                     + "\(batchIndex) (AWS Batch array job) is set")
            }
        } else if let slash = text.firstIndex(of: "/") {
            spec = ShardSpec(index: try number(String(text[..<slash]), "--shard"),
                             count: try number(String(text[text.index(after: slash)...]), "--shard"))
        } else {
            spec = ShardSpec(index: try number(text, "--shard"), count: nil)
        }
        if let count {
            if let c = spec.count, c != count {
                throw ShardPlanError(.badShard, "--shards \(count) disagrees with the shard count \(c) of --shard \(text)")
            }
            spec.count = count
        }
        if let c = spec.count {
            guard c >= 1 else { throw ShardPlanError(.badShard, "the shard count must be at least 1, not \(c)") }
            guard spec.index < c else {
                throw ShardPlanError(.badShard, "shard \(spec.index) does not exist: shards are numbered 0 to \(c - 1)")
            }
        }
        return spec
    }

    private static func number(_ text: String, _ name: String) throws -> Int {
        guard let n = Int(text.trimmingWhitespace), n >= 0 else {
            throw ShardPlanError(.badShard, "\(name): '\(text)' is not a shard number (a whole number from 0)")
        }
        return n
    }
}

private extension String {
    var trimmingWhitespace: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" { s = s.dropLast() }
        return String(s)
    }
}

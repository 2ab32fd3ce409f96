/// A shard plan that cannot be made, read or used: the code says what, the message names the file or option.
public struct ShardPlanError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// `--shard` or `--shards` is not of the form `K/N`, `K` or `auto`, or K is not below N.
        case badShard
        /// `--shard auto` found no index (or no count) in the environment.
        case noEnvironment
        /// The plan file cannot be read, is not a plan, or is of another version.
        case badPlan
        /// The plan's roots do not match the paths given with it.
        case rootsMismatch
        /// Standard input cannot be split into shards.
        case standardInput
    }

    public var code: Code
    public var message: String
    /// The plan file concerned, when there is one.
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String { path.map { "\($0): \(message)" } ?? message }
}

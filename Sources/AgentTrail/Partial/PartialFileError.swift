/// A partial result that cannot be written, read or merged: the code says why, the message names the file.
public struct PartialFileError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// The file cannot be opened, read or written.
        case unreadable
        /// The file does not start with the partial-result header.
        case notPartial
        /// A partial of another format version.
        case otherVersion
        /// The body is shorter than its header says.
        case truncated
        /// The body's checksum does not match, or it does not decode.
        case corrupt
        /// Made with another build, config, policies, rules, detectors or input filters than the merge.
        case mismatched
        /// Nightly partials that do not make a whole: a shard given twice, or shards missing.
        case incomplete
    }

    public var code: Code
    /// The file concerned.
    public var path: String
    public var message: String

    public init(_ code: Code, path: String, _ message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A policy input that could not be read or understood. Loading continues with the other documents.
public struct PolicyLoadError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable {
        case unreadable
        case invalidJSON
        case invalidDocument
        case missingManagedPolicy
        case unrecognizedFile
        /// The file is larger than `PolicyLoader.maxFileBytes`.
        case tooLarge
    }

    public var code: Code
    public var message: String
    /// File path, when the input was a file.
    public var file: String?
    /// JSON path of the offending element (`Statement[2].Effect`); "" for the whole file.
    public var jsonPath: String

    public init(code: Code, message: String, file: String? = nil, jsonPath: String = "") {
        self.code = code
        self.message = message
        self.file = file
        self.jsonPath = jsonPath
    }

    public var description: String {
        var s = file ?? "<input>"
        if !jsonPath.isEmpty { s += " at " + jsonPath }
        return s + ": " + message
    }
}

/// A problem met while splitting or decoding a log: the record (or gap) is skipped and parsing goes on.
public struct ParseIssue: Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// A record started but the input ended (or, in JSON Lines, the line ended) before it closed.
        case unterminatedRecord
        /// An element of the record list is not a JSON object (a number, string, array, or stray text).
        case notAnObject
        /// A closing bracket with nothing open.
        case unbalanced
        /// The input ended inside a `Records`/`Events` array or a top-level array, after the last complete record.
        case truncatedDocument
        /// A `lookup-events` entry without a `CloudTrailEvent` string.
        case missingCloudTrailEvent
        /// The record's bytes were split out but could not be decoded (see `RecordDecoder`).
        case malformedRecord
        /// The record is larger than the maximum record size: skipped while scanning, never buffered.
        case recordTooLarge
        /// The record nests deeper than the maximum depth: skipped while scanning.
        case recordTooDeep
    }

    public var code: Code
    /// Index of the record slot (counted over all elements seen in this file, from 0).
    public var index: Int
    /// Offset of the problem in the (decompressed) input stream.
    public var byteOffset: Int
    public var reason: String
    /// The file the record came from, when the caller set it.
    public var file: String?
    /// Why a `malformedRecord` could not be decoded (nil for the other codes).
    public var decodeCode: DecodeError.Code?

    public init(code: Code, index: Int, byteOffset: Int, reason: String, file: String? = nil,
                decodeCode: DecodeError.Code? = nil) {
        self.decodeCode = decodeCode
        self.code = code
        self.index = index
        self.byteOffset = byteOffset
        self.reason = reason
        self.file = file
    }

    /// True when the issue stands for a record slot that was lost (counted as malformed);
    /// false for a document-level problem such as a truncated `Records` array.
    public var consumesRecord: Bool { code != .truncatedDocument && code != .unbalanced }

    public var description: String {
        (file.map { $0 + ": " } ?? "") + "record \(index) at byte \(byteOffset): \(reason)"
    }
}

/// Why a record's bytes could not be decoded into a `CloudTrailRecord`.
public struct DecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// Not a JSON object.
        case notAnObject
        /// Bad JSON syntax.
        case syntax
        /// One of `eventSource` and `eventName` missing.
        case missingEventIdentity
        /// Neither `eventSource` nor `eventName`: an object that is no CloudTrail event (a policy, a manifest).
        case notAnEvent
    }

    public var code: Code
    public var reason: String
    /// Offset within the record's bytes.
    public var byteOffset: Int

    public init(code: Code, reason: String, byteOffset: Int) {
        self.code = code
        self.reason = reason
        self.byteOffset = byteOffset
    }

    public var description: String { "\(reason) (at byte \(byteOffset) of the record)" }
}

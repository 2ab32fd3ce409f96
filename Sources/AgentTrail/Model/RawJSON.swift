/// A JSON value kept as the exact bytes it had in the log, decoded only when asked.
///
/// Detectors pull single keys (`modelId`, `roleArn`, `agentRuntimeArn`) from
/// `requestParameters` through the accessors in `RawJSON+Access.swift`; most records never pay for it.
public struct RawJSON: Hashable, Sendable {
    /// UTF-8 bytes of one JSON value (object, array, string, number, literal), untouched.
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public init(_ text: String) { self.bytes = Array(text.utf8) }

    /// The bytes as text (invalid UTF-8 is repaired).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// True when the value is the literal `null`.
    public var isNull: Bool {
        // (Compared in place: `bytes == Array("null".utf8)` built an array on every call.)
        bytes.count == 4 && bytes[0] == UInt8(ascii: "n") && bytes[1] == UInt8(ascii: "u") && bytes[2] == UInt8(ascii: "l")
            && bytes[3] == UInt8(ascii: "l")
    }
}

import Foundation

/// A decoded JSON value for policy documents and authorization-details files (not used on the log hot path).
/// Booleans and numbers stay distinct, unlike `JSONSerialization`'s `NSNumber`.
public enum PolicyJSON: Hashable, Sendable, Decodable {
    case null
    case bool(Bool)
    case number(Double, text: String)
    case string(String)
    case array([PolicyJSON])
    case object([String: PolicyJSON])

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int64.self) { self = .number(Double(i), text: String(i)); return }
        if let d = try? c.decode(Double.self) { self = .number(d, text: String(d)); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([PolicyJSON].self) { self = .array(a); return }
        self = .object(try c.decode([String: PolicyJSON].self))
    }

    /// Parses UTF-8 JSON text: plain policy JSON by `PolicyJSONPlain` (the same value, ~100× cheaper), anything else
    /// by `JSONDecoder` (its value or its error).
    public static func parse(_ data: Data) throws -> PolicyJSON {
        if let plain = data.withUnsafeBytes({ PolicyJSONPlain.parse($0) }) { return plain }
        return try JSONDecoder().decode(PolicyJSON.self, from: data)
    }

    /// `JSONDecoder`'s reading alone (the reference `PolicyJSONPlain` is checked against).
    static func parseWithDecoder(_ data: Data) throws -> PolicyJSON {
        try JSONDecoder().decode(PolicyJSON.self, from: data)
    }

    public var objectValue: [String: PolicyJSON]? { if case .object(let o) = self { return o } else { return nil } }
    public var arrayValue: [PolicyJSON]? { if case .array(let a) = self { return a } else { return nil } }
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }

    /// Scalar as condition-value text: strings as is, booleans `true`/`false`, numbers as written.
    public var scalarText: String? {
        switch self {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(_, let text): return text
        default: return nil
        }
    }

    /// Short name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The value of an object member (case-sensitive, as IAM element names are); nil otherwise.
    public subscript(key: String) -> PolicyJSON? { objectValue?[key] }
}

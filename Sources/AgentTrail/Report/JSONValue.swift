/// A small JSON value for building documented, deterministic outputs (keys keep insertion order).
/// Not used on the record hot path.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// Optional string → `.string` or `.null`.
    public static func str(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    /// Optional instant → ISO 8601 string or `.null`.
    public static func time(_ t: Instant?) -> JSONValue { t.map { .string($0.iso8601) } ?? .null }

    /// Compact (one line) or pretty (2-space indented) JSON text.
    public func serialized(pretty: Bool = false) -> String { serialized(pretty: pretty, newline: false) }

    /// `serialized(pretty:)` followed by a line break (`+ "\n"` copied a whole report once more, at the scan's end,
    /// where its memory peaks).
    public func serializedLine(pretty: Bool = false) -> String { serialized(pretty: pretty, newline: true) }

    private func serialized(pretty: Bool, newline: Bool) -> String {
        // (Written as UTF-8 bytes and made a `String` once: appending pieces to a `String` — a new string for each
        // indentation and each quoted key — cost twice the instructions.)
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(into: &out, pretty: pretty, indent: 0)
        if newline { out.append(0x0A) }
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d):
            if d.isFinite {
                let r = (d * 1000).rounded() / 1000
                out.append(contentsOf: (r == r.rounded() && abs(r) < 1e15 ? String(Int(r)) : String(r)).utf8)
            } else { out.append(contentsOf: "null".utf8) }
        case .string(let s): Escaping.appendJSONString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out.append(contentsOf: "[]".utf8); return }
            out.append(0x5B)  // [
            for (i, v) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                if pretty { Self.newline(&out, indent + 1) }
                v.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { Self.newline(&out, indent) }
            out.append(0x5D)  // ]
        case .object(let pairs):
            if pairs.isEmpty { out.append(contentsOf: "{}".utf8); return }
            out.append(0x7B)  // {
            for (i, (k, v)) in pairs.enumerated() {
                if i > 0 { out.append(0x2C) }
                if pretty { Self.newline(&out, indent + 1) }
                Escaping.appendJSONString(k, to: &out)
                out.append(0x3A)  // :
                if pretty { out.append(0x20) }
                v.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { Self.newline(&out, indent) }
            out.append(0x7D)  // }
        }
    }

    /// A line break and `level` indentation steps of two spaces.
    private static func newline(_ out: inout [UInt8], _ level: Int) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: 2 * level))
    }
}

/// Renders matched records as a table, CSV or JSON Lines.
public enum EventOutput {
    /// A table of `columns`, fitted to `width` (nil: no limit).
    public static func table(_ events: [MatchedEvent], columns: [EventColumn], width: Int?) -> String {
        let map = columns.contains(.action) ? EventActionMap.shared : nil
        let rows = events.compactMap { e -> [String]? in
            guard let r = e.decoded() else { return nil }
            return columns.map { $0.value(r, file: e.file, actions: map, short: true) }
        }
        let fixed = Set(columns.indices.filter { columns[$0] == .time })
        return TextTable(headers: columns.map(\.rawValue), rows: rows, fixed: fixed).render(width: width)
    }

    /// CSV with a header row (RFC 4180 quoting, formulas neutralised), full principal keys.
    public static func csv(_ events: [MatchedEvent], columns: [EventColumn]) -> String {
        let map = columns.contains(.action) ? EventActionMap.shared : nil
        var out = columns.map { Escaping.csvCell($0.rawValue) }.joined(separator: ",") + "\r\n"
        for e in events {
            guard let r = e.decoded() else { continue }
            out += columns.map { Escaping.csvCell($0.value(r, file: e.file, actions: map, short: false)) }
                .joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// One record per line: its original bytes, untouched when they hold no line break; a record that was
    /// pretty-printed over several lines has its whitespace outside strings removed (see `JSONLine`).
    public static func jsonl(_ events: [MatchedEvent]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(events.reduce(0) { $0 + $1.raw.count + 1 })
        for e in events {
            out += JSONLine.oneLine(e.raw)
            out.append(0x0A)
        }
        return out
    }
}

/// Making one JSON value fit on one line.
public enum JSONLine {
    /// `bytes` unchanged when they contain no CR or LF; otherwise with every space, tab, CR and LF outside strings
    /// removed (a raw line break inside a string, which is not valid JSON, becomes `\n`/`\r`).
    public static func oneLine(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inString = false, escape = false
        for b in bytes {
            if inString {
                if escape { escape = false; out.append(b); continue }
                if b == 0x5C { escape = true } else if b == 0x22 { inString = false }
                if b == 0x0A { out += [0x5C, 0x6E]; continue }
                if b == 0x0D { out += [0x5C, 0x72]; continue }
                out.append(b)
            } else {
                switch b {
                case 0x20, 0x09, 0x0A, 0x0D: continue
                case 0x22: inString = true; out.append(b)
                default: out.append(b)
                }
            }
        }
        return out
    }
}

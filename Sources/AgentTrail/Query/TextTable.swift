/// A plain-text table fitted to a width: cells are escaped for the terminal, and while the table is too wide
/// the widest column loses a character (never below `minimumWidth` or its header), truncated cells ending in `…`.
public struct TextTable: Sendable {
    public var headers: [String]
    public var rows: [[String]]
    /// Right-align these column indexes (numbers).
    public var rightAligned: Set<Int> = []
    /// Never shrink these column indexes (timestamps).
    public var fixed: Set<Int> = []
    public static let minimumWidth = 6

    public init(headers: [String], rows: [[String]], rightAligned: Set<Int> = [], fixed: Set<Int> = []) {
        self.headers = headers
        self.rows = rows
        self.rightAligned = rightAligned
        self.fixed = fixed
    }

    /// The table as lines joined by `\n` (with a trailing newline), at most `width` columns wide when possible.
    public func render(width: Int?) -> String {
        let head = headers.map { Escaping.terminal($0) }
        let body = rows.map { $0.map { Escaping.terminal($0) } }
        var widths = head.map(\.count)
        for r in body { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        if let width {
            let gaps = 2 * max(0, widths.count - 1)
            while widths.reduce(0, +) + gaps > width {
                guard let i = widths.indices.filter({ !fixed.contains($0) })
                        .max(by: { widths[$0] < widths[$1] || (widths[$0] == widths[$1] && $0 > $1) }),
                      widths[i] > max(TextTable.minimumWidth, head[i].count) else { break }
                widths[i] -= 1
            }
        }
        var out = ""
        func line(_ cells: [String]) {
            var parts: [String] = []
            for (i, w) in widths.enumerated() {
                var c = i < cells.count ? cells[i] : ""
                if c.count > w { c = String(c.prefix(max(0, w - 1))) + "…" }
                let pad = String(repeating: " ", count: w - c.count)
                parts.append(rightAligned.contains(i) ? pad + c : (i == widths.count - 1 ? c : c + pad))
            }
            out += parts.joined(separator: "  ") + "\n"
        }
        line(head)
        for r in body { line(r) }
        return out
    }
}

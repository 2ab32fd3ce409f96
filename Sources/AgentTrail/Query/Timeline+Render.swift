/// Text and Markdown renderings of a `Timeline`, for the terminal and incident write-ups.
extension Timeline {
    /// `2025-06-03T10:00Z`.
    static func hourLabel(_ t: Instant) -> String { String(t.iso8601.prefix(16)) + "Z" }

    /// New items of an hour as `(kind, value)` pairs, in a fixed order.
    static func newItems(_ h: Hour) -> [(String, String)] {
        h.newActions.map { ("action", $0) } + h.newSourceIPs.map { ("ip", $0) } + h.newRegions.map { ("region", $0) }
            + h.newUserAgents.map { ("user-agent", $0) }
    }

    /// The most frequent actions of an hour (`bedrock:InvokeModel 120`), at most `limit`.
    static func topActions(_ h: Hour, limit: Int = 3) -> String {
        let sorted = h.actions.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        var parts = sorted.prefix(limit).map { "\($0.key) \($0.value)" }
        if sorted.count > limit { parts.append("+\(sorted.count - limit) more") }
        return parts.joined(separator: ", ")
    }

    private var headline: String {
        guard let first = hours.first, let last = hours.last else { return "no activity" }
        var s = "\(calls) calls in \(hours.count) active hour\(hours.count == 1 ? "" : "s") from \(Timeline.hourLabel(first.start))"
        s += " to \(Timeline.hourLabel(last.start.adding(seconds: 3600)))"
        let denied = hours.reduce(0) { $0 + $1.denied }
        s += ", \(errors) error\(errors == 1 ? "" : "s") (\(denied) denied)"
        if undated > 0 { s += ", \(undated) without a readable eventTime" }
        return s
    }

    /// Plain text: a header, then one row per active hour (calls, distinct actions, source IPs, errors, top
    /// actions) followed by `* new <kind>: <value>` lines for items first seen in that hour. Escaped for a terminal.
    public func text(width: Int? = nil) -> String {
        var out = "Timeline of \(Escaping.terminal(principal))\n"
        if !identities.isEmpty { out += "identities: " + Timeline.list(identities.map { Escaping.terminal($0) }) + "\n" }
        out += headline + "\n"
        guard !hours.isEmpty else { return out }
        out += "\n"
        let headers = ["hour", "calls", "actions", "ips", "errors", "top actions"]
        let rows = hours.map { h in
            [Timeline.hourLabel(h.start), "\(h.calls)", "\(h.actions.count)", "\(h.sourceIPs.count)", "\(h.errors)",
             Timeline.topActions(h)]
        }
        let table = TextTable(headers: headers, rows: rows, rightAligned: [1, 2, 3, 4]).render(width: width)
        var lines = table.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        out += lines[0] + "\n"
        for (i, h) in hours.enumerated() {
            out += lines[i + 1] + "\n"
            if i == 0 { continue }
            for (kind, value) in Timeline.newItems(h) {
                out += "    * new \(kind): \(Escaping.terminal(value))\n"
            }
        }
        return out
    }

    /// Markdown for an incident write-up: a heading, a summary line and a table with a **new** column.
    public func markdown() -> String {
        var out = "## Timeline of \(Timeline.code(principal))\n\n"
        if !identities.isEmpty { out += "Identities: " + Timeline.list(identities.map(Timeline.code)) + ".\n\n" }
        out += headline.prefix(1).uppercased() + headline.dropFirst() + ".\n\n"
        guard !hours.isEmpty else { return out }
        out += "| Hour (UTC) | Calls | Actions | Source IPs | Errors | Top actions | New in this hour |\n"
        out += "|---|---:|---:|---:|---:|---|---|\n"
        for (i, h) in hours.enumerated() {
            let new = i == 0 ? "(first active hour)"
                : Timeline.newItems(h).map { "**new** \($0.0) \(Timeline.code($0.1))" }.joined(separator: "<br>")
            out += "| \(Timeline.hourLabel(h.start)) | \(h.calls) | \(h.actions.count) | \(h.sourceIPs.count) | \(h.errors) | "
            out += Timeline.cell(Timeline.topActions(h)) + " | " + new + " |\n"
        }
        return out
    }

    /// The first `limit` items joined by commas, then `+N more`.
    static func list(_ items: [String], limit: Int = 10) -> String {
        var parts = Array(items.prefix(limit))
        if items.count > limit { parts.append("+\(items.count - limit) more") }
        return parts.joined(separator: ", ")
    }

    /// Untrusted text as a Markdown code span safe inside a table cell.
    static func code(_ text: String) -> String {
        let cleaned = Escaping.terminal(text).replacingOccurrences(of: "|", with: "\\|")
        if !cleaned.contains("`") { return "`" + cleaned + "`" }
        return cell(text)
    }

    /// Untrusted text as plain table-cell content: Markdown punctuation and HTML escaped.
    static func cell(_ text: String) -> String {
        var out = ""
        for ch in Escaping.terminal(text) {
            switch ch {
            case "|", "\\", "`", "*", "_", "[", "]", "<", ">", "#": out += "\\" + String(ch)
            default: out.append(ch)
            }
        }
        return out
    }
}

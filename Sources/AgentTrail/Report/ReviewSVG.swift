/// Inline SVG charts of the HTML access review (no scripts, no external resources).
enum ReviewSVG {
    static let usedColor = "#2e7d32", unusedColor = "#c62828", unknownColor = "#9e9e9e"
    static let deniedColor = "#ef6c00", failedColor = "#fbc02d"

    /// A horizontal stacked bar of used / unused / unknown granted actions, with a legend.
    static func stackedBar(used: Int, unused: Int, unknown: Int, width: Int = 600) -> String {
        let total = max(1, used + unused + unknown)
        var x = 0.0
        var rects = ""
        for (n, color, label) in [(used, usedColor, "used"), (unused, unusedColor, "unused"), (unknown, unknownColor, "unknown")] where n > 0 {
            let w = Double(width) * Double(n) / Double(total)
            rects += "<rect x=\"\(fmt(x))\" y=\"0\" width=\"\(fmt(w))\" height=\"22\" fill=\"\(color)\"><title>\(n) \(label)</title></rect>"
            x += w
        }
        let legend = "<text x=\"0\" y=\"40\" font-size=\"12\">"
            + "<tspan fill=\"\(usedColor)\">■</tspan> used \(used)  <tspan fill=\"\(unusedColor)\">■</tspan> unused \(unused)  "
            + "<tspan fill=\"\(unknownColor)\">■</tspan> unknown \(unknown)</text>"
        return "<svg class=\"bar\" role=\"img\" aria-label=\"used \(used), unused \(unused), unknown \(unknown)\" width=\"\(width)\" "
            + "height=\"46\" viewBox=\"0 0 \(width) 46\" xmlns=\"http://www.w3.org/2000/svg\">\(rects)\(legend)</svg>"
    }

    /// Calls per day over the window (every day from `first` to `last`, zero days included), stacked by outcome.
    static func daily(_ days: [(day: Instant, calls: DailyCalls)], first: Instant?, last: Instant?, width: Int = 600) -> String {
        let height = 120, top = 8, bottom = 20
        guard let start = (first ?? days.first?.day)?.dayFloor, let end = (last ?? days.last?.day)?.dayFloor else {
            return "<p class=\"muted\">No activity.</p>"
        }
        let dayMs: Int64 = 86_400_000
        let count = Int((end.millisecondsSince1970 - start.millisecondsSince1970) / dayMs) + 1
        var byDay: [Int64: DailyCalls] = [:]
        for d in days { byDay[d.day.millisecondsSince1970] = d.calls }
        let maxCalls = max(1, byDay.values.map(\.total).max() ?? 1)
        let slot = Double(width) / Double(max(1, count))
        let plot = Double(height - top - bottom)
        var out = ""
        for i in 0..<count {
            let dayStart = start.millisecondsSince1970 + Int64(i) * dayMs
            let c = byDay[dayStart] ?? DailyCalls()
            var y = Double(height - bottom)
            let label = String(Instant(millisecondsSince1970: dayStart).iso8601.prefix(10))
            for (n, color) in [(c.succeeded, usedColor), (c.denied, deniedColor), (c.failed, failedColor)] where n > 0 {
                let h = plot * Double(n) / Double(maxCalls)
                y -= h
                out += "<rect x=\"\(fmt(Double(i) * slot + 1))\" y=\"\(fmt(y))\" width=\"\(fmt(max(1, slot - 2)))\" height=\"\(fmt(h))\" fill=\"\(color)\">"
                    + "<title>\(label): \(c.succeeded) ok, \(c.denied) denied, \(c.failed) failed</title></rect>"
            }
        }
        let axis = "<line x1=\"0\" y1=\"\(height - bottom)\" x2=\"\(width)\" y2=\"\(height - bottom)\" stroke=\"#888\"/>"
            + "<text x=\"0\" y=\"\(height - 5)\" font-size=\"11\">\(String(start.iso8601.prefix(10)))</text>"
            + "<text x=\"\(width)\" y=\"\(height - 5)\" font-size=\"11\" text-anchor=\"end\">\(String(end.iso8601.prefix(10)))</text>"
            + "<text x=\"\(width)\" y=\"\(top + 2)\" font-size=\"11\" text-anchor=\"end\">max \(maxCalls)/day</text>"
        return "<svg class=\"daily\" role=\"img\" aria-label=\"calls per day\" width=\"\(width)\" height=\"\(height)\" "
            + "viewBox=\"0 0 \(width) \(height)\" xmlns=\"http://www.w3.org/2000/svg\">\(out)\(axis)</svg>"
    }

    static func fmt(_ d: Double) -> String {
        let r = (d * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}

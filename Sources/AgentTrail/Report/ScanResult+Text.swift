/// Plain-text rendering of a scan for humans. Every value from logs goes through `Escaping.terminal`.
public struct TextStyle: Sendable {
    public var colors: Bool
    public init(colors: Bool) { self.colors = colors }

    func paint(_ s: String, _ code: String) -> String { colors ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    func bold(_ s: String) -> String { paint(s, "1") }
    func dim(_ s: String) -> String { paint(s, "2") }
    func severity(_ sev: Severity) -> String {
        let label = sev.name.uppercased()
        switch sev {
        case .critical: return paint(label, "1;37;41")
        case .high: return paint(label, "1;31")
        case .medium: return paint(label, "33")
        case .low: return paint(label, "36")
        case .info: return paint(label, "2")
        }
    }
}

extension ScanSummary {
    /// The human summary: files, records, top event sources, principals, time range, speed.
    public func text(style: TextStyle = TextStyle(colors: false), topSources: Int = 20) -> String {
        var o = style.bold("AgentTrail scan") + "\n"
        o += "Files:     \(filesRead) read\(filesEmpty > 0 ? " (\(filesEmpty) empty)" : ""); skipped \(skippedDigest) digest, \(skippedInsight) insight, \(skippedOutOfRange) out of range\(skippedNotCloudTrail.isEmpty ? "" : ", \(skippedNotCloudTrail.count) not CloudTrail")\(skippedOutsideRoot.isEmpty ? "" : ", \(skippedOutsideRoot.count) links out of the input folder"); \(failed.count) failed\n"
        for l in skippedOutsideRoot.prefix(10) {
            o += "  ~ " + Escaping.terminal(l) + ": symbolic link out of the input folder, not followed\n"
        }
        if skippedOutsideRoot.count > 10 { o += "  … \(skippedOutsideRoot.count - 10) more links not followed (see --format json)\n" }
        for f in failed {
            o += "  ! " + Escaping.terminal(f.path) + (f.offset.map { " (byte \($0))" } ?? "") + ": " + Escaping.terminal(f.reason) + "\n"
        }
        o += "Records:   \(recordsTotal) total, \(recordsMalformed) malformed"
        if recordsOutOfRange > 0 { o += ", \(recordsOutOfRange) outside --since/--until" }
        if recordsWithoutTime > 0 { o += ", \(recordsWithoutTime) without a usable eventTime" }
        if recordsTimeOutliers > 0 { o += ", \(recordsTimeOutliers) with an eventTime implausible for their file (analysed without it)" }
        o += "\n"
        for t in timeOutliers.prefix(5) {
            o += "  ! " + Escaping.terminal(t.path) + " event " + Escaping.terminal(t.eventID ?? "-") + ": eventTime " + t.eventTime.iso8601
                + " is more than a day from the file's delivery time\n"
        }
        for m in malformed.prefix(10) {
            o += "  ! " + Escaping.terminal(m.path) + " record \(m.index)" + (m.offset.map { " (byte \($0))" } ?? "") + ": " + Escaping.terminal(m.reason) + "\n"
        }
        if malformed.count > 10 { o += "  … \(recordsMalformed - 10) more malformed records (see --format json)\n" }
        o += "Bedrock:   \(bedrock) records; AgentCore: \(agentcore) records\n"
        o += "Principals: \(principals.count) distinct\n"
        o += "Window:    " + (firstEvent?.iso8601 ?? "-") + " → " + (lastEvent?.iso8601 ?? "-") + "\n"
        let sources = eventSourcesByCount
        if !sources.isEmpty {
            o += "Top event sources" + (sources.count > topSources ? " (\(topSources) of \(sources.count))" : "") + ":\n"
            let width = sources.prefix(topSources).map { Escaping.terminal($0.0).count }.max() ?? 0
            for (s, n) in sources.prefix(topSources) {
                let name = Escaping.terminal(s)
                o += "  " + name + String(repeating: " ", count: max(1, width - name.count + 2)) + String(n) + "\n"
            }
        }
        let mb = Double(uncompressedBytes) / 1_000_000
        let rate = seconds > 0 ? mb / seconds : 0
        let rps = seconds > 0 ? Double(recordsTotal + recordsMalformed) / seconds : 0
        o += style.dim("Speed:     \(fmt(seconds)) s, \(fmt(rate)) MB/s, \(Int(rps)) records/s (\(jobs) jobs, \(decompressor))") + "\n"
        return o
    }
}

extension ScanResult {
    /// Summary followed by findings grouped by severity.
    public func text(style: TextStyle = TextStyle(colors: false), minimum: Severity = .info) -> String {
        var o = summary.text(style: style)
        let shown = findings.filter { $0.severity >= minimum }
        o += "\n" + style.bold("Findings: \(shown.count)") + (suppressed.isEmpty ? "" : " (\(suppressed.count) suppressed)") + "\n"
        for sev in Severity.allCases.reversed() {
            let group = shown.filter { $0.severity == sev }
            if group.isEmpty { continue }
            o += "\n" + style.severity(sev) + " (\(group.count))\n"
            for f in group { o += f.text(style: style) }
        }
        for s in expiredSuppressions {
            o += "\nwarning: suppression for \(s.detector) / \(Escaping.terminal(s.principal))" + (s.line.map { " (line \($0))" } ?? "")
                + " expired on " + (s.expires?.iso8601.prefix(10).description ?? "?") + " and no longer applies\n"
        }
        return o
    }
}

extension Finding {
    /// One finding as an indented block.
    public func text(style: TextStyle) -> String {
        var o = "  [" + detector + "] " + Escaping.terminal(title) + "\n"
        if let principal { o += "      principal: " + Escaping.terminal(principal) + "\n" }
        for k in subject.keys.sorted() where !(title.contains(subject[k]!)) {
            o += "      \(k): " + Escaping.terminal(subject[k]!) + "\n"
        }
        o += "      \(count) event(s), " + (firstSeen?.iso8601 ?? "?") + " → " + (lastSeen?.iso8601 ?? "?") + "\n"
        for k in details.keys.sorted() {
            let v = details[k]!
            let shown = v.prefix(12).map { Escaping.terminal($0) }.joined(separator: ", ")
            o += "      \(k): " + shown + (v.count > 12 ? ", … (\(v.count) in all)" : "") + "\n"
        }
        let ids = evidence.prefix(3).map { Escaping.terminal($0.eventID ?? "\($0.file)#\($0.index)") }
        if !ids.isEmpty {
            o += style.dim("      events: " + ids.joined(separator: ", ") + (evidenceTotal > ids.count ? " (+\(evidenceTotal - ids.count) more)" : "")) + "\n"
        }
        o += "      → " + recommendation + "\n"
        return o
    }
}

func fmt(_ d: Double) -> String {
    let r = (d * 100).rounded() / 100
    return String(r)
}

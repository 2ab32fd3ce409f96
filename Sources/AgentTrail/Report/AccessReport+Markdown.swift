extension AccessReport {
    /// Longest gaps listed per account/region in text reports (JSON lists all).
    static let gapsShown = 5

    /// `review --format markdown`.
    public var markdown: String {
        var out = "# AgentTrail access review\n\n"
        out += "Evidence: \(window.first?.iso8601 ?? "-") → \(window.last?.iso8601 ?? "-") (\(window.days) day(s)). "
        out += "Catalogue: \(md(catalogue)).\n\n"
        if window.isShort {
            out += "> **Warning:** the evidence window (\(window.days) day(s)) is shorter than the minimum of \(window.minimumDays) day(s); "
            out += "unused permissions may be used less often than that.\n\n"
        }
        out += "## Summary\n\n| principal | granted | used | unused | unknown | denied attempts | used not granted | findings |\n"
        out += "|---|---:|---:|---:|---:|---:|---:|---|\n"
        for p in principals {
            out += "| \(md(p.arn)) | \(p.hasPolicies ? String(p.grantedCount) : "n/a") | \(p.used.count) | \(p.unused.count) | "
            out += "\(p.unknown.count) | \(p.deniedAttempts.count) | \(p.usedNotGranted.count) | \(severityCounts(p.findings)) |\n"
        }
        out += "\n## Evidence window per account and region\n\n| account | region | first event | last event | days | files | gaps ≥ 1 h |\n"
        out += "|---|---|---|---|---:|---:|---|\n"
        for s in window.slices {
            out += "| \(md(s.account)) | \(md(s.region)) | \(s.first?.iso8601 ?? "-") | \(s.last?.iso8601 ?? "-") | \(s.days) | \(s.files) | \(gapText(s.gaps)) |\n"
        }
        if !blindSpots.isEmpty {
            out += "\n## What the trail cannot see\n\n"
            for b in blindSpots {
                out += "- **\(md(b.service))**: \(md(b.summary)) \(md(b.advice)) Principals: "
                    + b.principals.map(md).joined(separator: ", ") + ".\n"
            }
        }
        for p in principals { out += "\n" + p.markdown(window: window) }
        return out
    }

    func gapText(_ gaps: [EvidenceWindow.Gap]) -> String {
        if gaps.isEmpty { return "none" }
        let shown = gaps.prefix(AccessReport.gapsShown).map { "\($0.start.iso8601) → \($0.end.iso8601) (\($0.hours) h)" }
        return shown.joined(separator: "; ") + (gaps.count > shown.count ? "; +\(gaps.count - shown.count) shorter" : "")
    }
}

/// Counts per severity, highest first: `1 high, 2 low`, or `none`.
func severityCounts(_ findings: [Finding]) -> String {
    let parts = Severity.allCases.reversed().compactMap { s -> String? in
        let n = findings.filter { $0.severity == s }.count
        return n > 0 ? "\(n) \(s.name)" : nil
    }
    return parts.isEmpty ? "none" : parts.joined(separator: ", ")
}

/// Text safe inside a Markdown table cell or line: no pipes, backticks, angle brackets or newlines.
func md(_ s: String) -> String {
    var out = ""
    for ch in Escaping.terminal(s).unicodeScalars {
        switch ch {
        case "|": out += "\\|"
        case "`": out += "\\`"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "*", "_", "[", "]": out += "\\" + String(ch)
        default: out.unicodeScalars.append(ch)
        }
    }
    return out
}

extension PrincipalReview {
    /// The principal's section of the Markdown report.
    func markdown(window: EvidenceWindow) -> String {
        var out = "## \(md(arn))\n\n"
        out += "Evidence window: \(window.first?.iso8601 ?? "-") → \(window.last?.iso8601 ?? "-") (\(window.days) day(s))"
        out += accounts.isEmpty ? "" : ", account(s) \(accounts.joined(separator: ", "))"
        out += "; this principal active \(firstActivity?.iso8601 ?? "never") → \(lastActivity?.iso8601 ?? "-").\n"
        if window.isShort { out += "\n> **Warning:** \(window.days) day(s) of evidence, less than the minimum of \(window.minimumDays).\n" }
        if !hasPolicies { out += "\n> No policies given for this principal: only its calls are listed; unused and unknown cannot be judged.\n" }
        if isAgentRole { out += "\nAgentCore execution role.\n" }
        if !sessionNames.isEmpty { out += "\nSession names: " + sessionNames.map(md).joined(separator: ", ") + "\n" }
        if !userAgents.isEmpty { out += "\nUser agents: " + userAgents.map(md).joined(separator: "; ") + "\n" }
        out += "\nGranted \(hasPolicies ? String(grantedCount) : "n/a") · used \(used.count) · unused \(unused.count) · unknown \(unknown.count)"
        out += " · denied attempts \(deniedAttempts.count) · used not granted \(usedNotGranted.count)\n"
        let shown = actions.filter { $0.status != .unused && $0.status != .unknown }
        if !shown.isEmpty {
            out += "\n### Calls\n\n| action | status | successes | denied | not granted | last used | resources |\n|---|---|---:|---:|---:|---|---|\n"
            for a in shown {
                out += "| \(a.action) | \(a.status.rawValue) | \(a.successes) | \(a.deniedAttempts) | \(a.notGrantedCalls) | "
                out += "\(a.lastUsed?.iso8601 ?? "-") | \(a.resources.prefix(3).map(md).joined(separator: "<br>"))\(a.resources.count > 3 ? " (+\(a.resources.count - 3))" : "") |\n"
            }
        }
        if !unused.isEmpty { out += "\n### Unused (\(unused.count))\n\n" + wrapList(unused) }
        if !unknown.isEmpty {
            out += "\n### Unknown (\(unknown.count))\n\n"
            var byReason: [String: [String]] = [:]
            for a in actions where a.status == .unknown { byReason[a.reason ?? "-", default: []].append(a.action.description) }
            for r in byReason.keys.sorted() { out += "- \(md(r)): " + byReason[r]!.joined(separator: ", ") + "\n" }
        }
        if !findings.isEmpty {
            out += "\n### Findings\n\n"
            for f in findings { out += "- **\(f.severity.name)** [\(f.detector)] \(md(f.title)) (\(f.count))\n" }
        }
        out += "\n### Recommended policy\n\n"
        if !recommended.problems.isEmpty {
            out += "> The generated policy failed validation: " + recommended.problems.map { md($0.message) }.joined(separator: "; ") + "\n\n"
        }
        out += "```json\n\(recommended.json.replacingOccurrences(of: "```", with: "` ` `"))\n```\n"
        if !recommended.dependencies.isEmpty {
            out += "\nDependent actions (catalogue):\n\n"
            for note in recommended.dependencyNotes { out += "- \(md(note))\n" }
        }
        if hasPolicies {
            out += "\n### Changes to the current policies\n\n"
            if diff.removed.isEmpty && diff.narrowed.isEmpty && diff.added.isEmpty { out += "None.\n" }
            for r in diff.removed { out += "- remove `\(r.action)`: \(md(r.evidence))\n" }
            for n in diff.narrowed {
                let needed = n.neededBy.isEmpty ? "" : " (needed by " + n.neededBy.map { "`\($0)`" }.joined(separator: ", ") + ")"
                out += "- narrow `\(n.action)`\(needed): \(n.from.map(md).joined(separator: ", ")) → \(n.to.map(md).joined(separator: ", "))\n"
            }
            for a in diff.added { out += "- add `\(a.action)`: \(md(a.evidence))\n" }
        }
        return out
    }

    func wrapList(_ names: [String]) -> String {
        names.map { "`\($0)`" }.joined(separator: ", ") + "\n"
    }
}

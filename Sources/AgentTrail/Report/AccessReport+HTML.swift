extension AccessReport {
    /// `review --format html`: one self-contained page (inline CSS, inline SVG, one small inline script for
    /// sorting tables; no external resources). Well-formed XML apart from the doctype (XHTML-style empty tags). Every value from logs or policies goes through `Escaping.html`.
    public var html: String {
        var body = "<h1>AgentTrail access review</h1>\n"
        body += "<p>Evidence: \(h(window.first?.iso8601 ?? "-")) → \(h(window.last?.iso8601 ?? "-")) (\(window.days) day(s)). "
        body += "Catalogue: \(h(catalogue)).</p>\n"
        if window.isShort {
            body += "<p class=\"warn\">The evidence window (\(window.days) day(s)) is shorter than the minimum of \(window.minimumDays) day(s): "
            body += "unused permissions may be used less often than that.</p>\n"
        }
        body += "<h2>Summary</h2>\n<table class=\"sortable\"><thead><tr><th>principal</th><th>granted</th><th>used</th><th>unused</th>"
        body += "<th>unknown</th><th>denied attempts</th><th>used not granted</th>"
        body += Severity.allCases.reversed().map { "<th>\($0.name)</th>" }.joined() + "</tr></thead><tbody>\n"
        for (i, p) in principals.enumerated() {
            body += "<tr><td><a href=\"#p\(i)\">\(h(p.arn))</a></td><td>\(p.hasPolicies ? String(p.grantedCount) : "n/a")</td>"
            body += "<td>\(p.used.count)</td><td>\(p.unused.count)</td><td>\(p.unknown.count)</td><td>\(p.deniedAttempts.count)</td>"
            body += "<td>\(p.usedNotGranted.count)</td>"
            body += Severity.allCases.reversed().map { s in "<td>\(p.findings.filter { $0.severity == s }.count)</td>" }.joined()
            body += "</tr>\n"
        }
        body += "</tbody></table>\n<h2>Evidence window per account and region</h2>\n"
        body += "<table class=\"sortable\"><thead><tr><th>account</th><th>region</th><th>first event</th><th>last event</th><th>days</th>"
        body += "<th>files</th><th>gaps ≥ 1 h</th></tr></thead><tbody>\n"
        for s in window.slices {
            body += "<tr><td class=\"t\">\(h(s.account))</td><td class=\"t\">\(h(s.region))</td><td class=\"t\">\(h(s.first?.iso8601 ?? "-"))</td><td class=\"t\">\(h(s.last?.iso8601 ?? "-"))</td>"
            body += "<td>\(s.days)</td><td>\(s.files)</td><td>\(h(gapText(s.gaps)))</td></tr>\n"
        }
        body += "</tbody></table>\n"
        if !blindSpots.isEmpty {
            body += "<h2>What the trail cannot see</h2>\n<ul>\n"
            for b in blindSpots {
                body += "<li><strong>\(h(b.service))</strong>: \(h(b.summary)) \(h(b.advice)) Principals: "
                    + b.principals.map(h).joined(separator: ", ") + ".</li>\n"
            }
            body += "</ul>\n"
        }
        for (i, p) in principals.enumerated() { body += p.html(id: "p\(i)", window: window) }
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
            + "<title>AgentTrail access review</title><style>\(AccessReport.css)</style></head>\n<body>\n"
            + body + "<script>\(AccessReport.sortScript)</script>\n</body></html>\n"
    }

    static let css = """
    body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1b1b1b;max-width:1200px}
    h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ddd}h3{font-size:15px}
    table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ddd;padding:3px 6px;text-align:left;vertical-align:top}
    th{background:#f3f3f3}table.sortable th{cursor:pointer}td{word-break:break-word}
    .warn{background:#fff3e0;border-left:4px solid #ef6c00;padding:6px 10px}.muted{color:#777}
    pre{background:#f7f7f7;border:1px solid #ddd;padding:8px;overflow:auto;font-size:12px}
    .used{color:#2e7d32}.unused{color:#c62828}.unknown{color:#616161}.used-not-granted{color:#6a1b9a;font-weight:bold}.denied{color:#ef6c00}
    code{font-size:12px;word-break:break-all}section{margin-top:24px}td.t{white-space:nowrap}p{overflow-wrap:anywhere}
    """

    /// Click a header to sort its table (numbers numerically); no external code.
    static let sortScript = """
    document.querySelectorAll('table.sortable th').forEach(function(th){th.addEventListener('click',function(){
    var t=th.closest('table'),b=t.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th),d=th.dataset.d==='a'?'d':'a';th.dataset.d=d;
    var r=Array.prototype.slice.call(b.rows);r.sort(function(x,y){var p=x.cells[i].textContent,q=y.cells[i].textContent,
    m=parseFloat(p),n=parseFloat(q),c=(isNaN(m)||isNaN(n))?p.localeCompare(q):m-n;return d==='a'?c:-c});
    r.forEach(function(x){b.appendChild(x)})})});
    """
}

/// `Escaping.html`.
func h(_ s: String) -> String { Escaping.html(s) }

extension PrincipalReview {
    /// The principal's section of the HTML report.
    func html(id: String, window: EvidenceWindow) -> String {
        var out = "<section id=\"\(id)\"><h2>\(h(arn))</h2>\n"
        out += "<p>Evidence window: \(h(window.first?.iso8601 ?? "-")) → \(h(window.last?.iso8601 ?? "-")) (\(window.days) day(s))"
        out += accounts.isEmpty ? "" : ", account(s) \(h(accounts.joined(separator: ", ")))"
        out += "; this principal active \(h(firstActivity?.iso8601 ?? "never")) → \(h(lastActivity?.iso8601 ?? "-")).</p>\n"
        if window.isShort { out += "<p class=\"warn\">\(window.days) day(s) of evidence, less than the minimum of \(window.minimumDays).</p>\n" }
        if !hasPolicies { out += "<p class=\"warn\">No policies given: only its calls are listed; unused and unknown cannot be judged.</p>\n" }
        if isAgentRole { out += "<p>AgentCore execution role.</p>\n" }
        if !sessionNames.isEmpty { out += "<p>Session names: " + sessionNames.map { "<code>\(h($0))</code>" }.joined(separator: ", ") + "</p>\n" }
        if !userAgents.isEmpty { out += "<p>User agents: " + userAgents.map { "<code>\(h($0))</code>" }.joined(separator: "; ") + "</p>\n" }
        out += ReviewSVG.stackedBar(used: used.count, unused: unused.count, unknown: unknown.count) + "\n"
        out += "<h3>Daily activity</h3>\n" + ReviewSVG.daily(daily, first: window.first, last: window.last) + "\n"
        out += "<h3>Actions</h3>\n<table class=\"sortable\"><thead><tr><th>action</th><th>status</th><th>successes</th><th>denied</th>"
        out += "<th>not granted</th><th>last used</th><th>resources</th><th>source IPs</th><th>note</th></tr></thead><tbody>\n"
        for a in actions {
            out += "<tr><td><code>\(h(a.action.description))</code></td><td class=\"\(a.status.rawValue)\">\(a.status.rawValue)</td>"
            out += "<td>\(a.successes)</td><td>\(a.deniedAttempts)</td><td>\(a.notGrantedCalls)</td><td class=\"t\">\(h(a.lastUsed?.iso8601 ?? "-"))</td>"
            out += "<td>\(a.resources.prefix(5).map(h).joined(separator: "<br/>"))\(a.resources.count > 5 ? "<br/>(+\(a.resources.count - 5) more)" : "")</td><td>\(a.sourceIPs.map(h).joined(separator: "<br/>"))</td>"
            out += "<td>\(h(a.reason ?? ""))</td></tr>\n"
        }
        out += "</tbody></table>\n"
        if !findings.isEmpty {
            out += "<h3>Findings</h3>\n<table class=\"sortable\"><thead><tr><th>severity</th><th>detector</th><th>title</th><th>count</th></tr></thead><tbody>\n"
            for f in findings {
                out += "<tr><td>\(h(f.severity.name))</td><td>\(h(f.detector))</td><td>\(h(f.title))</td><td>\(f.count)</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        out += "<h3>Recommended policy</h3>\n"
        if !recommended.problems.isEmpty {
            out += "<p class=\"warn\">Failed validation: " + recommended.problems.map { h($0.message) }.joined(separator: "; ") + "</p>\n"
        }
        out += "<pre>\(h(recommended.json))</pre>\n"
        if !recommended.dependencies.isEmpty {
            out += "<p>Dependent actions (catalogue):</p>\n<ul>\n"
            for note in recommended.dependencyNotes { out += "<li>\(h(note))</li>\n" }
            out += "</ul>\n"
        }
        if hasPolicies {
            out += "<h3>Changes to the current policies</h3>\n<table class=\"sortable\"><thead><tr><th>change</th><th>action</th><th>detail</th></tr></thead><tbody>\n"
            for r in diff.removed { out += "<tr><td class=\"unused\">remove</td><td><code>\(h(r.action.description))</code></td><td>\(h(r.evidence))</td></tr>\n" }
            for n in diff.narrowed {
                let needed = n.neededBy.isEmpty ? "" : "needed by " + n.neededBy.map { h($0.description) }.joined(separator: ", ") + ": "
                out += "<tr><td>narrow</td><td><code>\(h(n.action.description))</code></td><td>\(needed)\(n.from.map(h).joined(separator: "<br/>")) → "
                out += "\(n.to.map(h).joined(separator: "<br/>"))</td></tr>\n"
            }
            for a in diff.added { out += "<tr><td class=\"used-not-granted\">add</td><td><code>\(h(a.action.description))</code></td><td>\(h(a.evidence))</td></tr>\n" }
            out += "</tbody></table>\n"
        }
        return out + "</section>\n"
    }
}

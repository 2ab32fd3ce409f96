extension AccessReport {
    /// The CSV header of `csv`.
    public static let csvHeader = ["principal", "action", "status", "granted", "successes", "deniedAttempts", "otherErrors",
                                   "notGrantedCalls", "firstUsed", "lastUsed", "resources", "reason"]

    /// `review --format csv`: one row per principal × action (RFC 4180; cells starting with `=`, `+`, `-`, `@`
    /// are neutralized with a leading `'`).
    public var csv: String {
        var out = AccessReport.csvHeader.joined(separator: ",") + "\r\n"
        for p in principals {
            for a in p.actions {
                let cells = [p.arn, a.action.description, a.status.rawValue, a.granted ? "true" : "false", String(a.successes),
                             String(a.deniedAttempts), String(a.otherErrors), String(a.notGrantedCalls),
                             a.firstUsed?.iso8601 ?? "", a.lastUsed?.iso8601 ?? "", a.resources.joined(separator: " "),
                             a.reason ?? ""]
                out += cells.map(Escaping.csvCell).joined(separator: ",") + "\r\n"
            }
        }
        return out
    }
}

import Foundation

/// The output formats of findings (`scan --format`): a human report, one JSON document, one finding per line, or
/// one OCSF Detection Finding per line.
public enum FindingsFormat: String, CaseIterable, Sendable {
    case text, json, jsonl, ocsf
}

extension ScanResult {
    /// The scan's report in `format`: findings below `minimum` are left out (the summary still counts them);
    /// `now` stamps OCSF records.
    public func render(_ format: FindingsFormat, minimum: Severity, colors: Bool, now: Instant) -> String {
        let shown = findings(atLeast: minimum)
        switch format {
        case .text:
            return text(style: TextStyle(colors: colors), minimum: minimum)
        case .json:
            var r = self
            r.findings = shown
            return r.json.serializedLine(pretty: true)
        case .jsonl:
            return shown.map { $0.json.serializedLine() }.joined()
        case .ocsf:
            return shown.map { $0.ocsf(time: now).serializedLine() }.joined()
        }
    }
}

extension RecordCountResult {
    /// `scan --count-only`'s report: one line of text, or a JSON object (pretty for `json`, one line otherwise).
    public func render(_ format: FindingsFormat) -> String {
        if format == .text {
            return "\(records) records in \(filesRead) files (\(filesFailed) failed), "
                + "\(uncompressedBytes) bytes uncompressed, \(String(format: "%.3f", seconds)) s "
                + "(\(Int(mbPerSecond.rounded())) MB/s); splitter alone \(Int(splitterMBPerSecond.rounded())) MB/s per core\n"
        }
        let fields: [(String, JSONValue)] = [
            ("files", .int(filesRead)), ("filesFailed", .int(filesFailed)),
            ("records", .int(records)),
            ("compressedBytes", .int(Int(compressedBytes))),
            ("uncompressedBytes", .int(Int(uncompressedBytes))),
            ("seconds", .double((seconds * 1000).rounded() / 1000)),
            ("mbPerSecond", .double(mbPerSecond.rounded())),
            ("splitterSeconds", .double((splitterSeconds * 1000).rounded() / 1000)),
            ("splitterMBPerSecond", .double(splitterMBPerSecond.rounded())),
            ("jobs", .int(jobs)),
        ]
        return JSONValue.object(fields).serialized(pretty: format == .json) + "\n"
    }
}

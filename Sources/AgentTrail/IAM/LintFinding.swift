import Foundation

/// One problem `PolicyLinter` found in a policy.
public struct LintFinding: Hashable, Sendable, Codable {
    /// Rule id (see `PolicyLinter.Rule`).
    public var rule: String
    public var severity: Severity
    /// File the policy came from ("" when none).
    public var file: String
    /// Document name (file name, `role/X inline:Y`, managed policy ARN).
    public var document: String
    /// JSON path of the element (`Statement[2].Action[0]`; prefixed with the document's path in authorization details).
    public var jsonPath: String
    public var message: String
    /// What to do instead, when there is something concrete ("did you mean bedrock-agentcore:InvokeAgentRuntime?").
    public var suggestion: String?
    /// For findings about a combination of statements (a privilege-escalation path): every statement that takes part,
    /// as `document jsonPath (Sid …)`, in the order of the path. Nil for single-element findings.
    public var statements: [String]?

    public init(rule: String, severity: Severity, file: String, document: String, jsonPath: String, message: String,
                suggestion: String? = nil, statements: [String]? = nil) {
        self.rule = rule
        self.severity = severity
        self.file = file
        self.document = document
        self.jsonPath = jsonPath
        self.message = message
        self.suggestion = suggestion
        self.statements = statements
    }

    enum CodingKeys: String, CodingKey { case rule, severity, file, document, jsonPath, message, suggestion, statements }

    /// Severity is written as its name (`"high"`).
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rule, forKey: .rule)
        try c.encode(severity.name, forKey: .severity)
        try c.encode(file, forKey: .file)
        try c.encode(document, forKey: .document)
        try c.encode(jsonPath, forKey: .jsonPath)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(suggestion, forKey: .suggestion)
        try c.encodeIfPresent(statements, forKey: .statements)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let name = try c.decode(String.self, forKey: .severity)
        guard let severity = Severity(name: name) else {
            throw DecodingError.dataCorruptedError(forKey: .severity, in: c, debugDescription: "unknown severity \(name)")
        }
        self.init(rule: try c.decode(String.self, forKey: .rule), severity: severity, file: try c.decode(String.self, forKey: .file),
                  document: try c.decode(String.self, forKey: .document), jsonPath: try c.decode(String.self, forKey: .jsonPath),
                  message: try c.decode(String.self, forKey: .message), suggestion: try c.decodeIfPresent(String.self, forKey: .suggestion),
                  statements: try c.decodeIfPresent([String].self, forKey: .statements))
    }
}

/// Findings for a set of inputs.
public struct LintReport: Sendable, Codable {
    public var findings: [LintFinding]
    /// Number of policy documents checked.
    public var documentsChecked: Int
    /// Files that could not be read or are not JSON (also reported as `invalid-document` findings); not encoded.
    public var damaged: [DamagedInput] = []
    /// The IAM catalogue the actions were checked against (`ActionCatalogue.versionDescription`), when known.
    public var catalogue: String?

    enum CodingKeys: String, CodingKey { case findings, documentsChecked, catalogue }

    public init(findings: [LintFinding], documentsChecked: Int, damaged: [DamagedInput] = [], catalogue: String? = nil) {
        self.findings = findings
        self.documentsChecked = documentsChecked
        self.damaged = damaged
        self.catalogue = catalogue
    }

    /// Highest severity, nil without findings.
    public var maxSeverity: Severity? { findings.map(\.severity).max() }

    /// True when some finding is at or above `threshold`.
    public func hasFinding(atOrAbove threshold: Severity) -> Bool { findings.contains { $0.severity >= threshold } }

    /// One line per finding: `file: jsonPath: severity [rule] message (suggestion)`, then a summary line.
    public var text: String {
        var lines = findings.map { f -> String in
            var where_ = f.file.isEmpty ? f.document : f.file
            if !f.jsonPath.isEmpty { where_ += ": " + f.jsonPath }
            var line = "\(where_): \(f.severity.name) [\(f.rule)] \(f.message)"
            if let s = f.suggestion { line += " (\(s))" }
            return Escaping.terminal(line)  // file names and policy text are untrusted
        }
        let counts = Severity.allCases.reversed().compactMap { s -> String? in
            let n = findings.filter { $0.severity == s }.count
            return n > 0 ? "\(n) \(s.name)" : nil
        }
        lines.append("\(documentsChecked) document(s) checked, \(findings.count) finding(s)" + (counts.isEmpty ? "" : ": " + counts.joined(separator: ", ")))
        if let catalogue { lines.append("IAM catalogue: \(catalogue)") }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension LintReport {
    /// Output formats of `agenttrail lint`.
    public enum Format: String, CaseIterable, Sendable {
        case text, json
    }

    /// The report as text, or as JSON (pretty, keys sorted).
    public func render(_ format: Format) throws -> String {
        switch format {
        case .text:
            return text
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
        }
    }
}

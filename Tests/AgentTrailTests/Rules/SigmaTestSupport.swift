@testable import AgentTrail

/// Compiles one-rule YAML and evaluates it on JSON records.
enum SigmaTest {
    /// A rule document around `detection` (YAML lines indented by four spaces under `detection:`).
    static func rule(_ detection: String, id: String = "00000000-0000-4000-8000-000000000001", level: String = "high") -> String {
        """
        title: Test rule
        id: \(id)
        logsource:
            product: aws
            service: cloudtrail
        detection:
        \(detection.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }.joined(separator: "\n"))
        level: \(level)
        """
    }

    static func compile(_ yaml: String) throws -> RuleSet {
        let (set, errors) = SigmaRuleLoader.load(yaml: yaml, file: "test.yml")
        if let e = errors.first { throw e }
        return set
    }

    /// Whether the first rule of `yaml` matches the record `json`.
    static func matches(_ yaml: String, _ json: String) throws -> Bool {
        let set = try compile(yaml)
        let r = SigmaRecord()
        var bytes = Array(json.utf8)
        return bytes.withUnsafeMutableBufferPointer { b in
            r.reset(UnsafePointer(b.baseAddress!), b.count)
            return set.rules[0].detection.matches(r)
        }
    }
}

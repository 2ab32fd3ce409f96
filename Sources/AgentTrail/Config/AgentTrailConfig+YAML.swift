import Foundation
import Yams

extension AgentTrailConfig {
    /// Top-level keys of the config file.
    public static let yamlKeys: [String] = [
        "trustedCIDRs", "principals", "agentRoles", "expectedAgentServices", "baseline", "detectors",
        "suppressions", "dataEvents", "minimumEvidenceDays", "policies", "workingHoursUTC", "rules", "defaultRules",
    ]

    /// Reads and validates the YAML config at `path` (see `SampleLogs/agenttrail.yml`); `detectors` are the ids and
    /// thresholds `detectors.<id>` and suppressions may name (`DetectorRegistry.descriptors`, given by the layer
    /// above: the config knows no detector).
    /// - Throws: `ConfigError` naming the key path and line of the first problem.
    public static func load(path: String, detectors: [DetectorDescriptor]) throws -> AgentTrailConfig {
        let data: Data
        do { data = try BoundedFile.read(path, limit: maxBytes) } catch {
            if case .tooLarge = error {
                throw ConfigError(code: .tooLarge, message: "config file \(error) (YAML read by agenttrail is limited)",
                                  file: path, line: nil, keyPath: "")
            }
            throw ConfigError(code: .unreadable, message: "cannot read config file: \(error)", file: path, line: nil, keyPath: "")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(code: .unreadable, message: "config file is not UTF-8 text", file: path, line: nil, keyPath: "")
        }
        return try parse(yaml: text, file: path, detectors: detectors)
    }

    /// Parses and validates YAML config text; `file` is only used in error messages.
    /// An empty document gives the default config. Unknown keys, unknown detector ids and threshold names,
    /// bad CIDRs, severities, dates and out-of-range numbers are errors.
    public static func parse(yaml: String, file: String, detectors: [DetectorDescriptor]) throws -> AgentTrailConfig {
        let known = Dictionary(detectors.map { ($0.id.rawValue, $0) }, uniquingKeysWith: { a, _ in a })
        if yaml.utf8.count > maxBytes {
            throw ConfigError(code: .tooLarge, message: "config is \(yaml.utf8.count) bytes, more than the limit of \(maxBytes) bytes",
                              file: file, line: nil, keyPath: "")
        }
        // Measured on libyaml's events first: Yams must not compose (and hash) an expansion that is too large.
        let budget = YAMLNodeBudget.count(yaml, limit: maxNodes)
        if case .exceeded(let line) = budget {
            throw ConfigError(code: .tooLarge, message: "config has more than \(maxNodes) YAML nodes once aliases are expanded"
                                + " (each use of an alias counts its whole value)", file: file, line: line, keyPath: "")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let e as YamlError {
            throw ConfigError.fromYams(e, file: file, yaml: yaml)
        }
        if case .syntaxError(let problem, let line) = budget {  // (Yams reads the same events; it should have thrown)
            throw ConfigError(code: .syntax, message: "invalid YAML: \(problem)", file: file, line: line, keyPath: "")
        }
        var config = AgentTrailConfig()
        guard let root else { return config }
        let r = YAMLConfigReader(file: file)
        for (key, _, value) in try r.entries(root, "", allowed: Set(yamlKeys)) {
            switch key {
            case "trustedCIDRs": config.trustedCIDRs = try r.cidrs(value, key)
            case "principals": config.principals = try parsePrincipals(value, r)
            case "agentRoles": config.agentRolePatterns = try r.strings(value, key)
            case "expectedAgentServices": config.expectedAgentServices = try r.strings(value, key)
            case "baseline": config.baseline = try parseBaseline(value, r)
            case "detectors": config.detectors = try parseDetectors(value, r, known)
            case "suppressions": config.suppressions = try parseSuppressions(value, r, known)
            case "dataEvents":
                for (service, _, v) in try r.entries(value, key) {
                    config.dataEvents[service] = try r.bool(v, key + "." + service)
                }
            case "minimumEvidenceDays": config.minimumEvidenceDays = try r.integer(value, key, range: 1...3650)
            case "policies":
                for (pattern, _, v) in try r.entries(value, key) {
                    let path = key + "." + pattern
                    if case .scalar = v, !r.isNull(v) {
                        config.policyFiles[pattern] = [try r.string(v, path)]
                    } else {
                        config.policyFiles[pattern] = try r.strings(v, path)
                    }
                }
            case "workingHoursUTC": config.workingHoursUTC = try parseWorkingHours(value, r)
            case "rules":
                // Sigma rule files or folders; a relative path is relative to the config file's folder.
                let folder = (file as NSString).deletingLastPathComponent
                config.rulePaths = try r.strings(value, key).map { p in
                    p.hasPrefix("/") || folder.isEmpty ? p : (folder as NSString).appendingPathComponent(p)
                }
            case "defaultRules": config.defaultRules = try r.bool(value, key)
            default: break // unreachable: `entries` rejects unknown keys
            }
        }
        return config
    }

    /// Largest config file read (bytes). Real configs are a few KiB.
    public static let maxBytes = 1 << 20
    /// Most YAML nodes (scalars, lists, mappings) a config may have once aliases are expanded: a flat "billion
    /// laughs" (a long list of aliases to a long list) is a small file that expands to millions of values.
    public static let maxNodes = 100_000

    /// Suppressions whose `expires` date has passed at `now` (they no longer silence anything; report them).
    public func expiredSuppressions(at now: Instant) -> [Suppression] {
        suppressions.filter { $0.isExpired(at: now) }
    }

    private static func parsePrincipals(_ node: Node, _ r: YAMLConfigReader) throws -> [PrincipalRule] {
        try r.items(node, "principals").enumerated().map { i, item in
            let path = "principals[\(i)]"
            var rule = PrincipalRule(pattern: "")
            var hasMatch = false
            for (key, _, v) in try r.entries(item, path, allowed: ["match", "trustedCIDRs", "vpcEndpoints", "expectedServices"]) {
                let p = path + "." + key
                switch key {
                case "match": rule.pattern = try r.string(v, p); hasMatch = true
                case "trustedCIDRs": rule.trustedCIDRs = try r.cidrs(v, p)
                case "vpcEndpoints": rule.vpcEndpoints = try r.strings(v, p)
                case "expectedServices": rule.expectedServices = try r.strings(v, p)
                default: break
                }
            }
            guard hasMatch else { throw r.error(.missingKey, path + ".match", item, "'\(path)' needs 'match' (a principal ARN pattern)") }
            return rule
        }
    }

    private static func parseBaseline(_ node: Node, _ r: YAMLConfigReader) throws -> BaselineSettings {
        var b = BaselineSettings()
        for (key, _, v) in try r.entries(node, "baseline", allowed: ["fraction", "minimumHours", "learningDays"]) {
            let p = "baseline." + key
            switch key {
            case "fraction":
                let f = try r.number(v, p)
                guard f > 0 && f < 1 else { throw r.error(.outOfRange, p, v, "'\(p)' must be between 0 and 1 (exclusive), got \(f)") }
                b.fraction = f
            case "minimumHours": b.minimumHours = try r.integer(v, p, range: 0...(24 * 3650))
            case "learningDays": b.learningDays = try r.integer(v, p, range: 0...3650)
            default: break
            }
        }
        return b
    }

    private static func parseDetectors(_ node: Node, _ r: YAMLConfigReader,
                                       _ known: [String: DetectorDescriptor]) throws -> [String: DetectorSettings] {
        var out: [String: DetectorSettings] = [:]
        for (id, keyNode, v) in try r.entries(node, "detectors") {
            let path = "detectors." + id
            guard let descriptor = known[id] ?? ruleDescriptor(id, known) else {
                throw r.error(.unknownDetector, path, keyNode, "unknown detector '\(id)' in '\(path)'")
            }
            var s = DetectorSettings()
            for (key, kn, value) in try r.entries(v, path) {
                let p = path + "." + key
                switch key {
                case "enabled": s.enabled = try r.bool(value, p)
                case "severity": s.severity = try r.severity(value, p)
                default:
                    guard let spec = descriptor.threshold(key) else {
                        let known = (["enabled", "severity"] + descriptor.thresholds.map(\.name)).joined(separator: ", ")
                        throw r.error(.unknownKey, p, kn, "unknown key '\(p)' (known: \(known))")
                    }
                    let n = try r.number(value, p)
                    guard spec.accepts(n) else {
                        throw r.error(.outOfRange, p, value, "'\(p)' must be \(spec.rangeDescription), got \(value.scalar?.string ?? "")")
                    }
                    s.thresholds[key] = n
                }
            }
            out[id] = s
        }
        return out
    }

    private static func parseSuppressions(_ node: Node, _ r: YAMLConfigReader,
                                          _ known: [String: DetectorDescriptor]) throws -> [Suppression] {
        try r.items(node, "suppressions").enumerated().map { i, item in
            let path = "suppressions[\(i)]"
            var s = Suppression(detector: "", reason: "", line: item.mark?.line)
            var hasDetector = false, hasReason = false
            for (key, _, v) in try r.entries(item, path, allowed: ["detector", "principal", "ip", "action", "region", "reason", "expires"]) {
                let p = path + "." + key
                switch key {
                case "detector":
                    let id = try r.string(v, p)
                    guard id == "*" || known[id] != nil || ruleDescriptor(id, known) != nil else {
                        throw r.error(.unknownDetector, p, v, "unknown detector '\(id)' in '\(p)'")
                    }
                    s.detector = id; hasDetector = true
                case "principal": s.principal = try r.string(v, p)
                case "ip": s.ip = try r.cidr(v, p)
                case "action": s.action = try r.string(v, p)
                case "region": s.region = try r.string(v, p)
                case "reason": s.reason = try r.string(v, p); hasReason = true
                case "expires": s.expires = try r.endOfDate(v, p)
                default: break
                }
            }
            guard hasDetector else { throw r.error(.missingKey, path + ".detector", item, "'\(path)' needs 'detector' (an id or '*')") }
            guard hasReason else { throw r.error(.missingKey, path + ".reason", item, "'\(path)' needs a 'reason'") }
            return s
        }
    }

    /// Whole hours 0–23, or `"a-b"` inclusive ranges (wrapping past midnight when a > b).
    private static func parseWorkingHours(_ node: Node, _ r: YAMLConfigReader) throws -> [Int] {
        var hours = Set<Int>()
        for (i, item) in try r.items(node, "workingHoursUTC").enumerated() {
            let p = "workingHoursUTC[\(i)]"
            if case .scalar(let s) = item, s.string.contains("-") {
                let parts = s.string.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard parts.count == 2, let a = parts[0], let b = parts[1], (0...23).contains(a), (0...23).contains(b) else {
                    throw r.error(.outOfRange, p, item, "'\(p)' must be an hour 0–23 or a range like \"8-18\", got '\(s.string)'")
                }
                var h = a
                while true { hours.insert(h); if h == b { break }; h = (h + 1) % 24 }
            } else {
                hours.insert(try r.integer(item, p, range: 0...23))
            }
        }
        return hours.sorted()
    }
}

extension AgentTrailConfig {
    /// `sigma:<rule id>` names one Sigma rule's findings (settings `enabled` and `severity`, suppressions) when the
    /// rules detector is among the known ones; the rule itself is only known once the rules are loaded.
    static func ruleDescriptor(_ id: String, _ known: [String: DetectorDescriptor]) -> DetectorDescriptor? {
        guard id.hasPrefix("sigma:"), id.count > 6, let rules = known["sigma"] else { return nil }
        var d = rules
        d.id = DetectorID(id)
        return d
    }
}

extension ConfigError {
    /// Converts a Yams error, keeping its line. Yams reports duplicate keys itself (at the mapping's line);
    /// the second occurrence of the key is looked up in the text so the message points at it.
    static func fromYams(_ e: YamlError, file: String, yaml: String) -> ConfigError {
        var line: Int?
        var problem = "\(e)"
        switch e {
        case .scanner(_, let p, let mark, _), .parser(_, let p, let mark, _), .composer(_, let p, let mark, _):
            line = mark.line
            problem = p
        case .duplicatedKeysInMapping(let dups, let ctx):
            let key = dups.sorted().first ?? ""
            let at = secondOccurrence(of: key, in: yaml, from: ctx.mark.line) ?? ctx.mark.line
            return ConfigError(code: .duplicateKey, message: "duplicate key '\(key)'", file: file, line: at, keyPath: key)
        case .reader(let p, _, _, _):
            problem = p
        default: break
        }
        return ConfigError(code: .syntax, message: "invalid YAML: \(problem)", file: file, line: line, keyPath: "")
    }

    /// 1-based line of the second block-style `key:` at or after `from`, if any.
    private static func secondOccurrence(of key: String, in yaml: String, from: Int) -> Int? {
        var seen = 0
        for (i, raw) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where i + 1 >= from {
            var t = raw.drop(while: { $0 == " " })
            if t.hasPrefix("- ") { t = t.dropFirst(2).drop(while: { $0 == " " }) }
            for candidate in [key, "\"\(key)\"", "'\(key)'"] where t.hasPrefix(candidate) {
                if t.dropFirst(candidate.count).drop(while: { $0 == " " }).hasPrefix(":") {
                    seen += 1
                    if seen == 2 { return i + 1 }
                }
            }
        }
        return nil
    }
}

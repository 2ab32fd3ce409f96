import Yams

/// Walks a Yams `Node` tree with key paths and line numbers, turning every problem into a `ConfigError`.
struct YAMLConfigReader {
    let file: String

    func error(_ code: ConfigError.Code, _ path: String, _ node: Node?, _ message: String) -> ConfigError {
        ConfigError(code: code, message: message, file: file, line: node?.mark?.line, keyPath: path)
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// True for an empty value, `~` or `null` (plain style).
    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// A mapping's entries with their keys as text, rejecting duplicates and (when `allowed` is given)
    /// unknown keys. A null value counts as an empty mapping.
    func entries(_ node: Node, _ path: String, allowed: Set<String>? = nil) throws -> [(key: String, keyNode: Node, value: Node)] {
        if isNull(node) { return [] }
        guard case .mapping(let m) = node else {
            throw error(.wrongType, path, node, "'\(path.isEmpty ? "(root)" : path)' must be a mapping")
        }
        var seen = Set<String>()
        var out: [(key: String, keyNode: Node, value: Node)] = []
        for (k, v) in m {
            guard case .scalar(let ks) = k else {
                throw error(.wrongType, path, k, "keys of '\(path)' must be plain text")
            }
            let key = ks.string
            let keyPath = YAMLConfigReader.join(path, key)
            if !seen.insert(key).inserted {
                throw error(.duplicateKey, keyPath, k, "duplicate key '\(keyPath)'")
            }
            if let allowed, !allowed.contains(key) {
                throw error(.unknownKey, keyPath, k, "unknown key '\(keyPath)'")
            }
            out.append((key, k, v))
        }
        return out
    }

    /// Sequence items; null is an empty list.
    func items(_ node: Node, _ path: String) throws -> [Node] {
        if isNull(node) { return [] }
        guard case .sequence(let s) = node else {
            throw error(.wrongType, path, node, "'\(path)' must be a list")
        }
        return Array(s)
    }

    func string(_ node: Node, _ path: String, allowEmpty: Bool = false) throws -> String {
        guard case .scalar(let s) = node, !(isNull(node) && !allowEmpty) else {
            throw error(.wrongType, path, node, "'\(path)' must be text")
        }
        if !allowEmpty && s.string.trimmingCharacters(in: .whitespaces).isEmpty {
            throw error(.invalidValue, path, node, "'\(path)' must not be empty")
        }
        return s.string
    }

    func strings(_ node: Node, _ path: String) throws -> [String] {
        try items(node, path).enumerated().map { try string($1, "\(path)[\($0)]") }
    }

    func bool(_ node: Node, _ path: String) throws -> Bool {
        if case .scalar(let s) = node, s.style == .plain || s.style == .any {
            switch s.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        throw error(.wrongType, path, node, "'\(path)' must be true or false")
    }

    func number(_ node: Node, _ path: String) throws -> Double {
        if case .scalar(let s) = node, s.style == .plain || s.style == .any,
           let v = Double(s.string.replacingOccurrences(of: "_", with: "")), v.isFinite {
            return v
        }
        throw error(.wrongType, path, node, "'\(path)' must be a number")
    }

    func integer(_ node: Node, _ path: String, range: ClosedRange<Int>) throws -> Int {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any,
              let v = Int(s.string.replacingOccurrences(of: "_", with: "")) else {
            throw error(.wrongType, path, node, "'\(path)' must be a whole number")
        }
        guard range.contains(v) else {
            let upper = range.upperBound == Int.max ? "" : " and \(range.upperBound)"
            throw error(.outOfRange, path, node, upper.isEmpty
                ? "'\(path)' must be at least \(range.lowerBound), got \(v)"
                : "'\(path)' must be between \(range.lowerBound)\(upper), got \(v)")
        }
        return v
    }

    func cidr(_ node: Node, _ path: String) throws -> CIDR {
        let text = try string(node, path)
        guard let c = CIDR(text) else {
            throw error(.invalidCIDR, path, node, "'\(path)': '\(text)' is not a CIDR or IP address")
        }
        return c
    }

    func cidrs(_ node: Node, _ path: String) throws -> [CIDR] {
        try items(node, path).enumerated().map { try cidr($1, "\(path)[\($0)]") }
    }

    func severity(_ node: Node, _ path: String) throws -> Severity {
        let text = try string(node, path)
        guard let s = Severity(name: text) else {
            throw error(.invalidSeverity, path, node,
                        "'\(path)': '\(text)' is not a severity (info, low, medium, high, critical)")
        }
        return s
    }

    /// `YYYY-MM-DD` → the start of the *following* UTC day, so the date itself is still covered.
    func endOfDate(_ node: Node, _ path: String) throws -> Instant {
        let text = try string(node, path)
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
           let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
           let day = Instant(year: y, month: m, day: d) {
            return day.adding(seconds: 86_400)
        }
        throw error(.invalidDate, path, node, "'\(path)': '\(text)' is not a date (YYYY-MM-DD)")
    }
}

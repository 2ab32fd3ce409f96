import Foundation
import Yams

/// Turns the YAML of one rule document into the engine's model, with the file and line of every problem.
struct SigmaRuleReader {
    let file: String

    func error(_ code: RuleError.Code, _ node: Node?, _ message: String) -> RuleError {
        RuleError(code: code, file: file, line: node?.mark?.line, message: message)
    }

    /// A mapping's entries by key (keys as text; a later duplicate is an error).
    func map(_ node: Node) throws(RuleError) -> [String: Node] {
        guard case .mapping(let m) = node else { throw error(.wrongType, node, "expected a mapping") }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard case .scalar(let s) = k else { throw error(.wrongType, k, "mapping keys must be text") }
            if out[s.string] != nil { throw error(.syntax, k, "duplicate key '\(s.string)'") }
            out[s.string] = v
        }
        return out
    }

    /// Entries in document order.
    func entries(_ node: Node) throws(RuleError) -> [(key: String, keyNode: Node, value: Node)] {
        guard case .mapping(let m) = node else { throw error(.wrongType, node, "expected a mapping") }
        var out: [(key: String, keyNode: Node, value: Node)] = []
        var seen = Set<String>()
        for (k, v) in m {
            guard case .scalar(let s) = k else { throw error(.wrongType, k, "mapping keys must be text") }
            if !seen.insert(s.string).inserted { throw error(.syntax, k, "duplicate key '\(s.string)'") }
            out.append((s.string, k, v))
        }
        return out
    }

    /// A scalar's text (nil for collections).
    func text(_ node: Node) -> String? {
        guard case .scalar(let s) = node else { return nil }
        return s.string
    }

    /// A plain `null`, `~` or empty value.
    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// A plain YAML boolean (YAML 1.1 forms, as PyYAML and so pySigma read them).
    func bool(_ node: Node) -> Bool? {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return nil }
        switch s.string {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    func strings(_ node: Node?) throws(RuleError) -> [String] {
        guard let node, !isNull(node) else { return [] }
        switch node {
        case .scalar(let s): return [s.string]
        case .sequence(let seq):
            var out: [String] = []
            for item in seq {
                guard let t = text(item) else { throw error(.wrongType, item, "expected a list of text values") }
                out.append(t)
            }
            return out
        default: throw error(.wrongType, node, "expected text or a list of text values")
        }
    }

    func meta(_ root: [String: Node], _ doc: SigmaRuleLoader.Document, kind: String) throws(RuleError) -> SigmaRuleLoader.Meta {
        guard let idNode = root["id"], let id = text(idNode), !id.isEmpty else {
            throw RuleError(code: .missingKey, file: file, line: doc.line, message: "the \(kind) has no 'id'")
        }
        guard let titleNode = root["title"], let title = text(titleNode), !title.isEmpty else {
            throw RuleError(code: .missingKey, file: file, line: doc.line, message: "the \(kind) has no 'title'")
        }
        var severity = Severity.medium
        if let l = root["level"] {
            switch text(l)?.lowercased() {
            case "informational": severity = .info
            case "low": severity = .low
            case "medium": severity = .medium
            case "high": severity = .high
            case "critical": severity = .critical
            default:
                throw error(.invalidValue, l, "level '\(text(l) ?? "")' is not one of informational, low, medium, high, critical")
            }
        }
        var builtin: String?
        if let a = root["agenttrail"] {
            for (key, keyNode, value) in try entries(a) {
                guard key == "builtin", let t = text(value), !t.isEmpty else {
                    throw error(.invalidValue, keyNode, "unknown key 'agenttrail.\(key)' (known: builtin)")
                }
                builtin = t
            }
        }
        var meta = SigmaRuleLoader.Meta(id: id.lowercased(), name: root["name"].flatMap(text), title: title,
                                    description: root["description"].flatMap(text).map(Self.oneLine), severity: severity,
                                    status: root["status"].flatMap(text), tags: try strings(root["tags"]),
                                    references: try strings(root["references"]),
                                    falsePositives: try strings(root["falsepositives"]).map(Self.oneLine), file: file, line: doc.line)
        meta.builtin = builtin
        return meta
    }

    /// Text with its runs of whitespace (line breaks of folded YAML) made single spaces.
    static func oneLine(_ text: String) -> String {
        // (Bytes, not Characters: a CR LF pair is a line break too.)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var space = false
        for b in text.utf8 {
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D { space = !out.isEmpty; continue }
            if space { out.append(0x20); space = false }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Detection

    func detection(_ node: Node) throws(RuleError) -> SigmaDetection {
        var selections: [SigmaSelection] = []
        var conditionNode: Node?
        for (key, keyNode, value) in try entries(node) {
            switch key {
            case "condition": conditionNode = value
            case "timeframe":
                throw error(.unsupported, keyNode, "unsupported feature: 'timeframe' in a detection (Sigma v1 aggregations); use a correlation rule")
            default:
                selections.append(SigmaSelection(name: key, alternatives: try selection(value, name: key)))
            }
        }
        guard let conditionNode else { throw error(.missingKey, node, "the detection has no 'condition'") }
        return SigmaDetection(selections: selections, condition: try condition(conditionNode, selections))
    }

    func condition(_ node: Node, _ selections: [SigmaSelection]) throws(RuleError) -> SigmaCondition {
        let texts: [String]
        switch node {
        case .scalar(let s): texts = [s.string]
        case .sequence: texts = try strings(node)
        default: throw error(.wrongType, node, "the condition must be text or a list of text")
        }
        guard !texts.isEmpty else { throw error(.badCondition, node, "the condition is empty") }
        var parts: [SigmaCondition] = []
        for t in texts {
            do {
                var p = try SigmaConditionParser(t, selections: selections.map(\.name))
                parts.append(try p.parse())
            } catch {
                let unsupported = error.message.contains("not supported")
                throw self.error(unsupported ? .unsupported : .badCondition, node,
                                 (unsupported ? "unsupported feature: " : "condition '\(t)': ") + error.message)
            }
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    /// A search identifier: a map, a list of maps, or keywords (a list of values, or one value).
    func selection(_ node: Node, name: String) throws(RuleError) -> [[SigmaDetectionItem]] {
        switch node {
        case .mapping:
            return [try items(node)]
        case .sequence(let seq):
            let list = Array(seq)
            if list.isEmpty { throw error(.invalidValue, node, "search identifier '\(name)' is an empty list") }
            if list.allSatisfy({ if case .mapping = $0 { return true } else { return false } }) {
                var out: [[SigmaDetectionItem]] = []
                for m in list { out.append(try items(m)) }
                return out
            }
            if list.allSatisfy({ if case .scalar = $0 { return true } else { return false } }) {
                return [[SigmaDetectionItem(field: nil, values: try values(list, modifiers: [], at: node), all: false)]]
            }
            throw error(.wrongType, node, "search identifier '\(name)' mixes maps and values")
        case .scalar:
            return [[SigmaDetectionItem(field: nil, values: try values([node], modifiers: [], at: node), all: false)]]
        default:
            throw error(.wrongType, node, "search identifier '\(name)' must be a map, a list or a value")
        }
    }

    /// The items of one map: `field|modifier|...: value or list`.
    func items(_ node: Node) throws(RuleError) -> [SigmaDetectionItem] {
        var out: [SigmaDetectionItem] = []
        for (key, keyNode, value) in try entries(node) {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let field = parts[0]
            let modifiers = Array(parts.dropFirst())
            let list: [Node]
            switch value {
            case .sequence(let seq):
                list = Array(seq)
                if list.isEmpty { throw error(.invalidValue, keyNode, "'\(key)' has an empty list of values") }
            case .mapping:
                throw error(.wrongType, value, "the value of '\(key)' must be a value or a list of values, not a map")
            default:
                list = [value]
            }
            for item in list {
                if case .scalar = item { continue }
                throw error(.wrongType, item, "the values of '\(key)' must be plain values")
            }
            let all = modifiers.contains("all")
            out.append(SigmaDetectionItem(field: field.isEmpty ? nil : SigmaFieldPath(field),
                                          values: try values(list, modifiers: modifiers, at: keyNode), all: all))
        }
        return out
    }

    static let known: Set<String> = ["contains", "startswith", "endswith", "all", "re", "i", "m", "s", "cidr", "exists",
                                     "cased", "base64", "base64offset", "gt", "gte", "lt", "lte", "fieldref"]

    /// Compiles the values of an item under its modifiers.
    func values(_ list: [Node], modifiers: [String], at keyNode: Node) throws(RuleError) -> [SigmaValueMatcher] {
        for m in modifiers where !Self.known.contains(m) {
            throw error(.unsupported, keyNode, "unsupported feature: value modifier '\(m)'")
        }
        let mods = Set(modifiers)
        let wrapping = ["contains", "startswith", "endswith"].filter(mods.contains)
        if wrapping.count > 1 { throw error(.invalidValue, keyNode, "modifiers \(wrapping.joined(separator: ", ")) cannot be combined") }
        let special = ["re", "cidr", "exists", "gt", "gte", "lt", "lte", "fieldref"].filter(mods.contains)
        if special.count > 1 { throw error(.invalidValue, keyNode, "modifiers \(special.joined(separator: ", ")) cannot be combined") }
        if let s = special.first, !wrapping.isEmpty || mods.contains("base64") || mods.contains("base64offset") {
            throw error(.invalidValue, keyNode, "modifier '\(s)' cannot be combined with \((wrapping + ["base64", "base64offset"].filter(mods.contains)).joined(separator: ", "))")
        }
        if !mods.contains("re"), let f = ["i", "m", "s"].first(where: mods.contains) {
            throw error(.invalidValue, keyNode, "modifier '\(f)' is a flag of 're' and needs it")
        }
        if mods.contains("base64") && mods.contains("base64offset") {
            throw error(.invalidValue, keyNode, "modifiers base64 and base64offset cannot be combined")
        }
        let cased = mods.contains("cased")
        var out: [SigmaValueMatcher] = []
        for node in list {
            if isNull(node) {
                guard special.isEmpty, wrapping.isEmpty else { throw error(.invalidValue, node, "null cannot take modifiers \(modifiers.joined(separator: "|"))") }
                out.append(.null)
                continue
            }
            let text: String
            if let b = bool(node) { text = b ? "true" : "false" } else { text = self.text(node) ?? "" }
            if mods.contains("exists") {
                guard let b = bool(node) else { throw error(.invalidValue, node, "'exists' takes true or false") }
                out.append(.exists(b))
                continue
            }
            if mods.contains("re") {
                var options: NSRegularExpression.Options = []
                if mods.contains("i") { options.insert(.caseInsensitive) }
                if mods.contains("m") { options.insert(.anchorsMatchLines) }
                if mods.contains("s") { options.insert(.dotMatchesLineSeparators) }
                do {
                    let glob = SigmaRegexGlob.translate(text, caseInsensitive: mods.contains("i"), multiline: mods.contains("m"))
                    out.append(.regex(try NSRegularExpression(pattern: text, options: options), glob: glob))
                } catch {
                    throw self.error(.invalidValue, node, "'\(text)' is not a regular expression this engine accepts")
                }
                continue
            }
            if mods.contains("cidr") {
                guard let c = CIDR(text) else { throw error(.invalidValue, node, "'\(text)' is not a CIDR network") }
                out.append(.cidr(c))
                continue
            }
            if let op = special.first.flatMap(SigmaComparisonOperator.init(rawValue:)) {
                guard let v = Double(text), v.isFinite else { throw error(.invalidValue, node, "'\(op.rawValue)' needs a number, got '\(text)'") }
                out.append(.compare(op, v))
                continue
            }
            if mods.contains("fieldref") {
                out.append(.fieldRef(SigmaFieldPath(text), cased: cased))
                continue
            }
            var patterns: [SigmaPattern]
            if mods.contains("base64") {
                patterns = [.literal(Data(text.utf8).base64EncodedString(), cased: true)]
            } else if mods.contains("base64offset") {
                patterns = Self.base64Offsets(text).map { .literal($0, cased: true) }
            } else {
                patterns = [SigmaPattern(text, cased: cased)]
            }
            patterns = patterns.map { p in
                switch wrapping.first {
                case "contains": return p.wrapped(leading: true, trailing: true)
                case "startswith": return p.wrapped(leading: false, trailing: true)
                case "endswith": return p.wrapped(leading: true, trailing: false)
                default: return p
                }
            }
            out += patterns.map(SigmaValueMatcher.pattern)
        }
        return out
    }

    /// The three base64 encodings of `text` at each byte offset, trimmed of the characters that depend on the
    /// bytes around it (the Sigma specification's `base64offset`).
    static func base64Offsets(_ text: String) -> [String] {
        let value = Array(text.utf8)
        let starts = [0, 2, 3]
        let ends = [0, -3, -2]  // 0: to the end
        return (0..<3).map { i in
            let enc = Array(Data(Array(repeating: UInt8(0x20), count: i) + value).base64EncodedString().utf8)
            let e = ends[(value.count + i) % 3]
            let lo = starts[i], hi = e == 0 ? enc.count : enc.count + e
            return lo < hi ? String(decoding: enc[lo..<hi], as: UTF8.self) : ""
        }
    }

    // MARK: Correlations and filters

    func correlation(_ node: Node, meta: SigmaRuleLoader.Meta) throws(RuleError) -> SigmaRuleLoader.PendingCorrelation {
        let m = try map(node)
        guard let typeNode = m["type"], let typeText = text(typeNode) else { throw error(.missingKey, node, "the correlation has no 'type'") }
        guard let kind = SigmaCorrelation.Kind(rawValue: typeText) else {
            throw error(.unsupported, typeNode, "unsupported feature: correlation type '\(typeText)'")
        }
        if let a = m["aliases"] { throw error(.unsupported, a, "unsupported feature: correlation 'aliases'") }
        let refs = try strings(m["rules"])
        if refs.isEmpty { throw error(.missingKey, node, "the correlation names no 'rules'") }
        guard let spanNode = m["timespan"] ?? m["timeframe"], let span = Self.seconds(text(spanNode) ?? "") else {
            throw error(.invalidValue, m["timespan"] ?? node, "the correlation needs a 'timespan' such as 30s, 5m, 1h, 1d")
        }
        var generate = false
        if let g = m["generate"] {
            guard let b = bool(g) else { throw error(.wrongType, g, "'generate' must be true or false") }
            generate = b
        }
        var predicates: [(SigmaComparisonOperator, Int)] = []
        var valueField: String?
        if let c = m["condition"] {
            for (key, keyNode, value) in try entries(c) {
                if key == "field" {
                    valueField = text(value)
                    continue
                }
                guard let op = SigmaComparisonOperator(rawValue: key) else {
                    throw error(.unsupported, keyNode, "unsupported feature: correlation condition '\(key)'")
                }
                guard let t = text(value), let n = Int(t) else { throw error(.invalidValue, value, "'\(key)' needs a whole number") }
                predicates.append((op, n))
            }
        }
        switch kind {
        case .eventCount, .valueCount:
            if predicates.isEmpty { throw error(.missingKey, node, "the \(kind.rawValue) correlation needs a condition (e.g. gte: 10)") }
            if kind == .valueCount && valueField == nil { throw error(.missingKey, node, "the value_count correlation needs 'condition.field'") }
        case .temporal, .temporalOrdered:
            if !predicates.isEmpty {
                throw error(.unsupported, m["condition"], "unsupported feature: a condition on a \(kind.rawValue) correlation (all its rules must match)")
            }
        }
        return SigmaRuleLoader.PendingCorrelation(meta: meta, kind: kind, ruleRefs: refs, groupBy: try strings(m["group-by"]),
                                                  timespan: span, condition: predicates, valueField: valueField,
                                                  generate: generate)
    }

    /// `30s`, `5m`, `1h`, `2d`, `1w` in seconds.
    static func seconds(_ text: String) -> Int64? {
        guard let unit = text.last, let n = Int64(text.dropLast()), n > 0 else { return nil }
        switch unit {
        case "s": return n
        case "m": return n * 60
        case "h": return n * 3600
        case "d": return n * 86_400
        case "w": return n * 604_800
        default: return nil
        }
    }

    func filter(_ node: Node, _ doc: SigmaRuleLoader.Document) throws(RuleError) -> SigmaRuleLoader.PendingFilter {
        var refs: [String] = []
        var selections: [SigmaSelection] = []
        var conditionNode: Node?
        for (key, _, value) in try entries(node) {
            switch key {
            case "rules": refs = try strings(value)
            case "condition": conditionNode = value
            default: selections.append(SigmaSelection(name: key, alternatives: try selection(value, name: key)))
            }
        }
        guard let conditionNode else { throw error(.missingKey, node, "the filter has no 'condition'") }
        if refs.isEmpty { throw error(.missingKey, node, "the filter names no 'rules'") }
        return SigmaRuleLoader.PendingFilter(file: file, line: doc.line, ruleRefs: refs, selections: selections,
                                             condition: try condition(conditionNode, selections))
    }
}

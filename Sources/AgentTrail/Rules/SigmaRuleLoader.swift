import Foundation
import Yams

/// Reads Sigma rule files (`.yml`/`.yaml`, folders searched recursively) into a `RuleSet`.
///
/// Implements the detection language of the Sigma specification v2 (sigmahq.io, "Sigma Rules Specification"):
/// selections as maps (AND) and lists of maps (OR), value lists (OR), `null`, wildcards with escapes,
/// case-insensitive matching by default, dotted nested field names, keywords, the modifiers `contains`,
/// `startswith`, `endswith`, `all`, `re` (with `i`, `m`, `s`), `cidr`, `exists`, `cased`, `base64`,
/// `base64offset`, `gt`, `gte`, `lt`, `lte`, `fieldref`; conditions with `and`, `or`, `not`, parentheses and
/// `N of`/`all of` identifier patterns or `them`; correlation rules (`event_count`, `value_count`, `temporal`,
/// `temporal_ordered`) and Sigma filters. Anything else is a `RuleError` of code `.unsupported` naming the file,
/// line and feature: a rule never loads in a form that silently never matches.
public enum SigmaRuleLoader {
    /// The largest rules file read, and the most YAML nodes in one (aliases expanded).
    public static let maxFileBytes = 1 << 20
    public static let maxNodes = 100_000

    /// The rule files under `paths` (files as given; folders walked, sorted, hidden entries skipped): in a folder,
    /// every `.yml`/`.yaml` name that is not a folder (a link is followed to say so), down to 32 levels, through
    /// folders but not through links to folders. (`opendir`/`stat` calls: `FileManager`'s enumerator took ~110,000
    /// instructions a file, most of a nightly run's check of its rule files.)
    public static func files(_ paths: [String]) -> (files: [String], errors: [RuleError]) {
        var out: [String] = [], errors: [RuleError] = []
        let fs = PosixFileSystem()
        for path in paths {
            guard let status = try? fs.status(of: path) else {
                errors.append(RuleError(code: .unreadable, file: path, line: nil, message: "no such file or folder"))
                continue
            }
            if status.kind != .directory { out.append(path); continue }
            guard let top = try? fs.entries(of: path) else {
                errors.append(RuleError(code: .unreadable, file: path, line: nil, message: "cannot list the folder"))
                continue
            }
            var found: [String] = []
            func visit(_ entries: [DirectoryEntry], in folder: String, level: Int) {
                for entry in entries where !entry.name.hasPrefix(".") {
                    let full = folder.hasSuffix("/") ? folder + entry.name : folder + "/" + entry.name
                    if entry.name.hasSuffix(".yml") || entry.name.hasSuffix(".yaml") {
                        if let st = try? fs.status(of: full), st.kind != .directory { found.append(full) }
                    }
                    // (A folder's own entries are one level deeper; a link to a folder is not walked.)
                    guard level < 32, Self.isFolder(entry, full), let inner = try? fs.entries(of: full) else { continue }
                    visit(inner, in: full, level: level + 1)
                }
            }
            visit(top, in: path, level: 1)
            out += found.sorted()
        }
        return (out, errors)
    }

    /// True when `entry` (at `path`) is a folder itself, not a link to one.
    private static func isFolder(_ entry: DirectoryEntry, _ path: String) -> Bool {
        switch entry.kind {
        case .directory: return true
        case .unknown:
            var st = stat()
            return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
        default: return false
        }
    }

    /// Loads every rule under `paths`. Rules with errors are left out and reported; the rest load. With `jobs` > 1
    /// the files are read and parsed on up to that many threads (YAML parsing is most of a pack's load, and a scan's
    /// start leaves a core idle without `--policies`); documents and errors keep the files' order.
    public static func load(paths: [String], jobs: Int = 1) -> (rules: RuleSet, errors: [RuleError]) {
        let (files, walkErrors) = files(paths)
        var docs: [Document] = [], errors = walkErrors
        let parsed = ParallelMap.map(files, jobs: jobs) { file in
            ParsedFile(result: Result { () throws(RuleError) in try documents(file: file) })
        }
        for p in parsed {
            switch p.result {
            case .success(let d): docs += d
            case .failure(let e): errors.append(e)
            }
        }
        var set = RuleSet()
        errors += assemble(docs, into: &set)
        return (set, errors)
    }

    /// Loads rules from YAML text (tests, fuzzing); `file` names it in messages.
    public static func load(yaml: String, file: String) -> (rules: RuleSet, errors: [RuleError]) {
        var set = RuleSet()
        do {
            let docs = try documents(yaml: yaml, file: file)
            let errors = assemble(docs, into: &set)
            return (set, errors)
        } catch {
            return (set, [error])
        }
    }

    // MARK: Documents

    /// One YAML document of a rules file.
    struct Document {
        var node: Node
        var file: String
        var line: Int
    }

    /// One file's documents or its error, handed between threads (the YAML nodes are values read by one thread at a
    /// time: made by the parsing thread, read after it has finished).
    private struct ParsedFile: @unchecked Sendable {
        var result: Result<[Document], RuleError>
    }

    static func documents(file: String) throws(RuleError) -> [Document] {
        let data: Data
        do { data = try BoundedFile.read(file, limit: maxFileBytes) } catch {
            if case .tooLarge = error {
                throw RuleError(code: .tooLarge, file: file, line: nil, message: "rules file \(error)")
            }
            throw RuleError(code: .unreadable, file: file, line: nil, message: "cannot read: \(error)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RuleError(code: .unreadable, file: file, line: nil, message: "not UTF-8 text")
        }
        return try documents(yaml: text, file: file)
    }

    static func documents(yaml: String, file: String) throws(RuleError) -> [Document] {
        if yaml.utf8.count > maxFileBytes {
            throw RuleError(code: .tooLarge, file: file, line: nil, message: "more than \(maxFileBytes) bytes")
        }
        switch YAMLNodeBudget.count(yaml, limit: maxNodes, skipsSmallAnchorless: true) {
        case .exceeded(let line):
            throw RuleError(code: .tooLarge, file: file, line: line,
                            message: "more than \(maxNodes) YAML nodes once aliases are expanded")
        case .syntaxError(let problem, let line):
            throw RuleError(code: .syntax, file: file, line: line, message: "invalid YAML: \(problem)")
        case .within:
            break
        }
        do {
            var out: [Document] = []
            // No tag resolution (the reader reads scalars' text and style itself: Yams resolves tags with regular
            // expressions, a third of loading a pack) and UTF-8 named (Yams' default reads the environment each time).
            var nodes = try Yams.compose_all(yaml: yaml, Resolver.basic, Constructor.default, .utf8)
            while let node = nodes.next() {
                out.append(Document(node: node, file: file, line: node.mark?.line ?? 1))
            }
            // (The sequence ends at a syntax error and keeps it: iterated without this check, a file broken midway
            // loaded the documents before the break and none after, silently.)
            if let e = nodes.error { throw e }
            return out
        } catch let e as YamlError {
            let c = ConfigError.fromYams(e, file: file, yaml: yaml)
            throw RuleError(code: .syntax, file: file, line: c.line, message: c.message)
        } catch {
            throw RuleError(code: .syntax, file: file, line: nil, message: "invalid YAML: \(error)")
        }
    }

    // MARK: Assembly

    /// A parsed correlation before its rule references are resolved.
    struct PendingCorrelation {
        var meta: Meta
        var kind: SigmaCorrelation.Kind
        var ruleRefs: [String]
        var groupBy: [String]
        var timespan: Int64
        var condition: [(SigmaComparisonOperator, Int)]
        var valueField: String?
        var generate: Bool
    }

    /// A parsed Sigma filter: extra condition ANDed to the rules it names.
    struct PendingFilter {
        var file: String
        var line: Int
        var ruleRefs: [String]
        var selections: [SigmaSelection]
        var condition: SigmaCondition
    }

    /// The common attributes of rules and correlations.
    struct Meta {
        var id: String
        var name: String?
        var title: String
        var description: String?
        var severity: Severity
        var status: String?
        var tags: [String]
        var references: [String]
        var falsePositives: [String]
        var file: String
        var line: Int
        var builtin: String? = nil
    }

    static func assemble(_ docs: [Document], into set: inout RuleSet) -> [RuleError] {
        var errors: [RuleError] = []
        var pendingRules: [(meta: Meta, detection: SigmaDetection)] = []
        var correlations: [PendingCorrelation] = []
        var filters: [PendingFilter] = []
        var seenIDs = Set<String>()
        for doc in docs {
            do {
                let r = SigmaRuleReader(file: doc.file)
                guard case .mapping = doc.node else {
                    throw RuleError(code: .wrongType, file: doc.file, line: doc.line, message: "a rule document must be a mapping")
                }
                let root = try r.map(doc.node)
                if let action = root["action"] {
                    throw RuleError(code: .unsupported, file: doc.file, line: action.mark?.line ?? doc.line,
                                    message: "unsupported feature: rule collection actions ('action: \(r.text(action) ?? "")'); write each rule as its own document")
                }
                if let c = root["correlation"] {
                    let meta = try r.meta(root, doc, kind: "correlation")
                    if !seenIDs.insert(meta.id).inserted { set.duplicates += 1; set.notes.append(RuleNote(file: doc.file, line: doc.line, message: "rule id \(meta.id) was already loaded; this copy is ignored")); continue }
                    correlations.append(try r.correlation(c, meta: meta))
                    continue
                }
                if let f = root["filter"] {
                    guard try logsourceIsCloudTrail(root, r, doc, &set) else { continue }
                    filters.append(try r.filter(f, doc))
                    continue
                }
                guard try logsourceIsCloudTrail(root, r, doc, &set) else { continue }
                let meta = try r.meta(root, doc, kind: "rule")
                guard let d = root["detection"] else {
                    throw RuleError(code: .missingKey, file: doc.file, line: doc.line, message: "the rule has no 'detection'")
                }
                let detection = try r.detection(d)
                if !seenIDs.insert(meta.id).inserted {
                    set.duplicates += 1
                    set.notes.append(RuleNote(file: doc.file, line: doc.line, message: "rule id \(meta.id) was already loaded; this copy is ignored"))
                    continue
                }
                pendingRules.append((meta, detection))
            } catch let e as RuleError {
                errors.append(e)
            } catch {
                errors.append(RuleError(code: .invalidValue, file: doc.file, line: doc.line, message: "\(error)"))
            }
        }
        // Filters: each adds `and (filter condition)` to the rules it names.
        for f in filters {
            for ref in f.ruleRefs {
                let lower = ref.lowercased()
                let targets = pendingRules.indices.filter { pendingRules[$0].meta.id == lower || pendingRules[$0].meta.name == ref }
                if targets.isEmpty {
                    set.notes.append(RuleNote(file: f.file, line: f.line, message: "filter names rule '\(ref)', which is not loaded"))
                }
                for t in targets {
                    var d = pendingRules[t].detection
                    let offset = d.selections.count
                    d.selections += f.selections.map { SigmaSelection(name: "filter:" + $0.name, alternatives: $0.alternatives) }
                    d.condition = .and([d.condition, shift(f.condition, by: offset)])
                    pendingRules[t].detection = d
                }
            }
        }
        for (meta, detection) in pendingRules {
            let prefilter = Prefilter.of(detection.condition, detection.selections)
            var fields = Set<String>()
            for s in detection.selections { for alt in s.alternatives { for item in alt { if let f = item.field { fields.insert(f.description) }
                for v in item.values { if case .fieldRef(let o, _) = v { fields.insert(o.description) } } } } }
            set.rules.append(SigmaRule(id: meta.id, name: meta.name, title: meta.title, description: meta.description,
                                       severity: meta.severity, status: meta.status, tags: meta.tags,
                                       references: meta.references, falsePositives: meta.falsePositives,
                                       file: meta.file, line: meta.line, fields: fields.sorted(),
                                       eventNames: prefilter.names, eventSources: prefilter.sources,
                                       builtin: meta.builtin, detection: detection))
        }
        for c in correlations {
            var indices: [Int] = []
            var failed = false
            for ref in c.ruleRefs {
                let lower = ref.lowercased()
                if let i = set.rules.firstIndex(where: { $0.id == lower || $0.name == ref }) {
                    indices.append(i)
                } else if correlations.contains(where: { $0.meta.id == lower || $0.meta.name == ref }) {
                    errors.append(RuleError(code: .unsupported, file: c.meta.file, line: c.meta.line,
                                            message: "unsupported feature: a correlation of correlations ('\(ref)')"))
                    failed = true
                } else {
                    errors.append(RuleError(code: .unknownRule, file: c.meta.file, line: c.meta.line,
                                            message: "the correlation names rule '\(ref)', which is not loaded (give its file too)"))
                    failed = true
                }
            }
            if failed { continue }
            if !c.generate { for i in indices { set.rules[i].generates = false } }
            set.correlations.append(SigmaCorrelation(
                id: c.meta.id, name: c.meta.name, title: c.meta.title, description: c.meta.description,
                severity: c.meta.severity, tags: c.meta.tags, references: c.meta.references,
                falsePositives: c.meta.falsePositives, file: c.meta.file, line: c.meta.line, kind: c.kind,
                rules: indices, groupBy: c.groupBy, timespan: c.timespan, condition: c.condition,
                valueField: c.valueField, groupPaths: c.groupBy.map(SigmaFieldPath.init),
                valuePath: c.valueField.map(SigmaFieldPath.init)))
        }
        return errors
    }

    private static func shift(_ c: SigmaCondition, by k: Int) -> SigmaCondition {
        switch c {
        case .selection(let i): return .selection(i + k)
        case .and(let cs): return .and(cs.map { shift($0, by: k) })
        case .or(let cs): return .or(cs.map { shift($0, by: k) })
        case .not(let x): return .not(shift(x, by: k))
        case .atLeast(let n, let ids): return .atLeast(n, ids.map { $0 + k })
        case .allOf(let ids): return .allOf(ids.map { $0 + k })
        }
    }

    /// True for `product: aws` + `service: cloudtrail`; other log sources are noted and counted.
    private static func logsourceIsCloudTrail(_ root: [String: Node], _ r: SigmaRuleReader, _ doc: Document,
                                              _ set: inout RuleSet) throws(RuleError) -> Bool {
        guard let ls = root["logsource"] else {
            throw RuleError(code: .missingKey, file: doc.file, line: doc.line, message: "the rule has no 'logsource'")
        }
        let m = try r.map(ls)
        let product = m["product"].flatMap { r.text($0) }?.lowercased()
        let service = m["service"].flatMap { r.text($0) }?.lowercased()
        if product == "aws" && service == "cloudtrail" { return true }
        set.otherLogSources += 1
        set.notes.append(RuleNote(file: doc.file, line: doc.line,
                                  message: "logsource is not product aws / service cloudtrail (product \(product ?? "-"), service \(service ?? "-")): skipped"))
        return false
    }
}

/// The eventNames and eventSources every match of a condition must have (case-folded; nil: unconstrained). An
/// over-approximation used to skip rules before evaluating them; evaluation stays exact.
struct Prefilter {
    var names: Set<String>?
    var sources: Set<String>?

    static let any = Prefilter(names: nil, sources: nil)

    static func of(_ c: SigmaCondition, _ selections: [SigmaSelection]) -> Prefilter {
        switch c {
        case .selection(let i): return of(selections[i])
        case .and(let cs): return cs.map { of($0, selections) }.reduce(.any, and)
        case .or(let cs): return cs.dropFirst().map { of($0, selections) }.reduce(of(cs[0], selections), or)
        case .not: return .any
        case .atLeast(_, let ids):
            return ids.dropFirst().map { of(selections[$0]) }.reduce(of(selections[ids[0]]), or)
        case .allOf(let ids): return ids.map { of(selections[$0]) }.reduce(.any, and)
        }
    }

    private static func of(_ s: SigmaSelection) -> Prefilter {
        guard let first = s.alternatives.first else { return .any }
        return s.alternatives.dropFirst().map(of).reduce(of(first), or)
    }

    /// One map: the items on `eventName` / `eventSource` with exact values constrain it.
    private static func of(_ items: [SigmaDetectionItem]) -> Prefilter {
        var p = Prefilter.any
        for item in items {
            guard let f = item.field?.description, f == "eventName" || f == "eventSource" else { continue }
            var texts = Set<String>()
            var exact = true
            for v in item.values {
                if case .pattern(let pat) = v, let t = pat.exactText { texts.insert(SigmaPattern.folded(t)) } else { exact = false }
            }
            // (With `all`, every value must match: one of them is enough as a constraint.)
            guard exact, !texts.isEmpty else { continue }
            if item.all, let one = texts.first { texts = [one] }
            if f == "eventName" { p.names = p.names.map { $0.intersection(texts) } ?? texts }
            else { p.sources = p.sources.map { $0.intersection(texts) } ?? texts }
        }
        return p
    }

    static func and(_ a: Prefilter, _ b: Prefilter) -> Prefilter {
        Prefilter(names: intersect(a.names, b.names), sources: intersect(a.sources, b.sources))
    }

    static func or(_ a: Prefilter, _ b: Prefilter) -> Prefilter {
        Prefilter(names: union(a.names, b.names), sources: union(a.sources, b.sources))
    }

    private static func intersect(_ a: Set<String>?, _ b: Set<String>?) -> Set<String>? {
        guard let a else { return b }
        guard let b else { return a }
        return a.intersection(b)
    }

    private static func union(_ a: Set<String>?, _ b: Set<String>?) -> Set<String>? {
        guard let a, let b else { return nil }
        return a.union(b)
    }

    /// True when a record of this source and event name (case-folded) may match.
    func admits(source: String, name: String) -> Bool {
        (names?.contains(name) ?? true) && (sources?.contains(source) ?? true)
    }
}

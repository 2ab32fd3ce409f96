import Foundation

/// What a partial result was computed with, as digests: partials merge only when every component is equal, and
/// `agenttrail merge` checks the analysis components against the config, policies and rules it was given itself.
///
/// - `build`: the AgentTrail version and the IAM catalogue's (they decide what the detectors conclude);
/// - `config`: the config file's bytes (`none` without one);
/// - `policies`: every policy file's name below its `--policies` path and its bytes;
/// - `rules`: every loaded rule's id and its file's name and bytes, in load order;
/// - `detectors`: the detector ids in run order (`--summary-only` runs none);
/// - `input`: the input filters (accounts, regions, `--since`/`--until` as instants: an age such as `24h` resolves to
///   another instant on each machine, so shards should be given absolute times).
public struct PartialFingerprint: Codable, Sendable, Hashable {
    /// SHA-256 (hex) of the AgentTrail and IAM catalogue versions.
    public var build: String
    /// SHA-256 of the config file's bytes (of `none` without one).
    public var config: String
    /// SHA-256 of the policy files' names and bytes.
    public var policies: String
    /// SHA-256 of the loaded rules' ids and files.
    public var rules: String
    /// SHA-256 of the detector ids in run order.
    public var detectors: String
    /// SHA-256 of the input filters.
    public var input: String

    public init(build: String, config: String, policies: String, rules: String, detectors: String, input: String) {
        self.build = build
        self.config = config
        self.policies = policies
        self.rules = rules
        self.detectors = detectors
        self.input = input
    }

    /// The components in order, by name.
    public var components: [(name: String, value: String)] {
        [("build", build), ("config", config), ("policies", policies), ("detectors", detectors), ("rules", rules), ("input", input)]
    }

    /// The first component that differs between `self` and `other` (nil when equal); `input` only when `input` is set.
    public func firstDifference(_ other: PartialFingerprint, input: Bool = true) -> String? {
        for (a, b) in zip(components, other.components) where a.value != b.value && (input || a.name != "input") { return a.name }
        return nil
    }

    /// The fingerprint of a run with this config file (nil: none), policy paths, rules, detectors and input filter.
    public static func make(configPath: String?, policyPaths: [String], rules: RuleSet?, detectors: [any Detector],
                            filter: PathFilter, since: Instant?, until: Instant?) -> PartialFingerprint {
        var b = SHA256()
        b.update(field: AgentTrailVersion.string)
        b.update(field: ActionCatalogue.bundledVersionDescription())
        var c = SHA256()
        if let configPath { c.update(field: "config"); c.update(contents(configPath)) } else { c.update(field: "none") }
        var p = SHA256()
        for path in policyPaths {
            for (name, file) in files(below: path) {
                p.update(field: name)
                p.update(field: String(contents(file).count))
                p.update(contents(file))
            }
        }
        var r = SHA256()
        for rule in rules?.rules ?? [] { hashRule(id: rule.id, file: rule.file, into: &r) }
        for corr in rules?.correlations ?? [] { hashRule(id: corr.id, file: corr.file, into: &r) }
        var d = SHA256()
        for detector in detectors { d.update(field: detector.id.rawValue) }
        var i = SHA256()
        i.update(field: filter.accounts.sorted().joined(separator: ","))
        i.update(field: filter.regions.sorted().joined(separator: ","))
        i.update(field: since.map { String($0.millisecondsSince1970) } ?? "-")
        i.update(field: until.map { String($0.millisecondsSince1970) } ?? "-")
        return PartialFingerprint(build: b.hexDigest(), config: c.hexDigest(), policies: p.hexDigest(), rules: r.hexDigest(),
                                  detectors: d.hexDigest(), input: i.hexDigest())
    }

    private static func hashRule(id: String, file: String, into h: inout SHA256) {
        h.update(field: id)
        h.update(field: (file as NSString).lastPathComponent)
        let bytes = contents(file)
        h.update(field: String(bytes.count))
        h.update(bytes)
    }

    private static func contents(_ path: String) -> [UInt8] {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? Array("unreadable".utf8)
    }

    /// The regular files at or below `path`, with their names relative to it (a file's own name when `path` is a
    /// file), sorted by name.
    static func files(below path: String) -> [(String, String)] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [((path as NSString).lastPathComponent, path)] }
        var out: [(String, String)] = []
        let prefix = path.hasSuffix("/") ? path : path + "/"
        if let walker = FileManager.default.enumerator(atPath: path) {
            for case let relative as String in walker {
                var dir: ObjCBool = false
                if FileManager.default.fileExists(atPath: prefix + relative, isDirectory: &dir), !dir.boolValue {
                    out.append((relative, prefix + relative))
                }
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }
}

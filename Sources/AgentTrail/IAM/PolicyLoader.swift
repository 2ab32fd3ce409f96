import Foundation

/// Loads policies from files, folders and `aws iam get-account-authorization-details` output.
///
/// Association of plain policy files with principals:
/// 1. `mapping` (principal pattern → file patterns, from the config): a principal pattern is a role/user ARN glob
///    (`arn:aws:iam::*:role/agents/*`) or a name glob (`AgentRole*`); file patterns are globs on the file name or path.
///    A pattern matching no known principal creates a role of that name (when it has no wildcard).
/// 2. Otherwise the file name: `role-<Name>.json` → role `<Name>`, `user-<Name>.json` → user `<Name>`,
///    `<Name>.json` → role `<Name>`. If authorization details define a principal of that name, the file is added
///    to it; otherwise a principal with only a name (no ARN) is created.
public struct PolicyLoader {
    /// What was loaded.
    public struct Result: Sendable {
        /// Roles, users (with their groups' policies) and groups, in input order.
        public var principals: [PrincipalPolicies]
        /// Every plain policy document read from a file (also the ones associated to principals).
        public var documents: [PolicyDocument]
        public var errors: [PolicyLoadError]
    }

    public var mapping: [String: [String]]

    public init(mapping: [String: [String]] = [:]) { self.mapping = mapping }

    /// Loads every path (files or folders, recursively, `*.json` in folders). Never throws: problems go to `errors`.
    public func load(paths: [String]) -> Result {
        var result = Result(principals: [], documents: [], errors: [])
        var plainFiles = [(file: String, document: PolicyDocument)]()
        for file in PolicyLoader.expand(paths: paths, errors: &result.errors) {
            let data: Data
            do { data = try PolicyLoader.read(file) } catch {
                result.errors.append(error)
                continue
            }
            let json: PolicyJSON
            do { json = try PolicyJSON.parse(data) } catch {
                result.errors.append(PolicyLoadError(code: .invalidJSON, message: "not valid JSON: \(describeJSONError(error))", file: file))
                continue
            }
            if AuthorizationDetails.looksLike(json) {
                let details = AuthorizationDetails.parse(json, file: file)
                result.principals.append(contentsOf: details.principals)
                result.errors.append(contentsOf: details.errors)
                continue
            }
            do {
                let name = (file as NSString).lastPathComponent
                let doc = try PolicyDocument.parse(json, name: name, file: file, jsonPath: "")
                plainFiles.append((file, doc))
                result.documents.append(doc)
            } catch {
                result.errors.append(error)
            }
        }
        associate(plainFiles, into: &result.principals)
        return result
    }

    /// Loads a single policy document file.
    public static func loadDocument(file: String) throws(PolicyLoadError) -> PolicyDocument {
        let data = try read(file)
        return try PolicyDocument.parse(data: data, name: (file as NSString).lastPathComponent, file: file)
    }

    /// Largest policy or authorization-details file read (bytes). A managed policy is at most 6,144 characters; an
    /// authorization-details export of a large account is tens of MB.
    public static let maxFileBytes = 64 << 20

    /// The bytes of a policy file: a regular file of at most `maxFileBytes` (a FIFO is refused without blocking).
    static func read(_ file: String) throws(PolicyLoadError) -> Data {
        do { return try BoundedFile.read(file, limit: maxFileBytes) } catch {
            if case .tooLarge = error {
                throw PolicyLoadError(code: .tooLarge, message: "\(error) (policy JSON read by agenttrail is limited)", file: file)
            }
            throw PolicyLoadError(code: .unreadable, message: "cannot read file: \(error)", file: file)
        }
    }

    func associate(_ files: [(file: String, document: PolicyDocument)], into principals: inout [PrincipalPolicies]) {
        var claimed = Set<String>()
        for (principalPattern, filePatterns) in mapping.sorted(by: { $0.key < $1.key }) {
            let docs = files.filter { f in
                filePatterns.contains { Glob.matches($0, f.file) || Glob.matches($0, (f.file as NSString).lastPathComponent) }
            }
            guard !docs.isEmpty else { continue }
            claimed.formUnion(docs.map(\.file))
            var matched = false
            for i in principals.indices where PolicyLoader.principal(principals[i], matches: principalPattern) {
                principals[i].policies.documents.append(contentsOf: docs.map(\.document))
                matched = true
            }
            if !matched && !Glob.hasWildcard(principalPattern) {
                let parsed = ARN(principalPattern)
                let kind: PrincipalPolicies.Kind = parsed?.resourceType == "user" ? .user : .role
                principals.append(PrincipalPolicies(kind: kind, name: parsed?.resourceName ?? principalPattern,
                                                    arn: parsed == nil ? nil : principalPattern,
                                                    policies: PolicySet(docs.map(\.document))))
            }
        }
        for f in files where !claimed.contains(f.file) {
            let (kind, name) = PolicyLoader.principalName(forFile: f.file)
            if let i = principals.firstIndex(where: { $0.kind == kind && $0.name == name }) {
                principals[i].policies.documents.append(f.document)
            } else {
                principals.append(PrincipalPolicies(kind: kind, name: name, policies: PolicySet([f.document])))
            }
        }
    }

    /// `role-X.json` → (.role, X); `user-X.json` → (.user, X); `X.json` → (.role, X).
    public static func principalName(forFile file: String) -> (PrincipalPolicies.Kind, String) {
        var base = (file as NSString).lastPathComponent
        if base.lowercased().hasSuffix(".json") { base = String(base.dropLast(5)) }
        if base.hasPrefix("role-") { return (.role, String(base.dropFirst(5))) }
        if base.hasPrefix("user-") { return (.user, String(base.dropFirst(5))) }
        return (.role, base)
    }

    static func principal(_ p: PrincipalPolicies, matches pattern: String) -> Bool {
        if pattern.hasPrefix("arn:") { return p.arn.map { Glob.matches(pattern, $0) } ?? false }
        return Glob.matches(pattern, p.name)
    }

    /// Files to read: given files as is, folders recursively (`*.json`, sorted).
    static func expand(paths: [String], errors: inout [PolicyLoadError]) -> [String] {
        var out = [String]()
        let fm = FileManager.default
        for path in paths {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
                errors.append(PolicyLoadError(code: .unreadable, message: "no such file or directory", file: path))
                continue
            }
            if !isDir.boolValue { out.append(path); continue }
            let enumerator = fm.enumerator(atPath: path)
            var found = [String]()
            while let rel = enumerator?.nextObject() as? String {
                if rel.lowercased().hasSuffix(".json") { found.append((path as NSString).appendingPathComponent(rel)) }
            }
            out.append(contentsOf: found.sorted())
        }
        return out
    }
}

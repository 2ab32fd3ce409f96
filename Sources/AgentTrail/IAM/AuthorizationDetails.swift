import Foundation

/// Reads `aws iam get-account-authorization-details` output: users, groups, roles, inline policies, attached
/// managed policies (their default version), users' group policies. Documents may be JSON objects, JSON strings,
/// or URL-encoded JSON strings.
public enum AuthorizationDetails {
    /// True when the JSON has any of the top-level lists of that command.
    public static func looksLike(_ json: PolicyJSON) -> Bool {
        guard let o = json.objectValue else { return false }
        return o["UserDetailList"] != nil || o["RoleDetailList"] != nil || o["GroupDetailList"] != nil
            || (o["Policies"] != nil && o["Statement"] == nil)
    }

    /// Parses the whole file. Groups are returned as principals too (kind `.group`).
    public static func parse(_ json: PolicyJSON, file: String?) -> (principals: [PrincipalPolicies], errors: [PolicyLoadError]) {
        var errors = [PolicyLoadError]()
        // Managed policies: ARN → default version document.
        var managed = [String: PolicyDocument]()
        for (i, policy) in (json["Policies"]?.arrayValue ?? []).enumerated() {
            let path = "Policies[\(i)]"
            guard let arn = policy["Arn"]?.stringValue else {
                errors.append(PolicyLoadError(code: .invalidDocument, message: "managed policy without Arn", file: file, jsonPath: path))
                continue
            }
            let defaultId = policy["DefaultVersionId"]?.stringValue
            let versions = policy["PolicyVersionList"]?.arrayValue ?? []
            guard let vIndex = versions.firstIndex(where: { $0["IsDefaultVersion"] == .bool(true) })
                    ?? versions.firstIndex(where: { defaultId != nil && $0["VersionId"]?.stringValue == defaultId }) else {
                errors.append(PolicyLoadError(code: .invalidDocument, message: "managed policy \(arn) has no default version in PolicyVersionList",
                                              file: file, jsonPath: path))
                continue
            }
            let version = versions[vIndex]
            let docPath = "\(path).PolicyVersionList[\(vIndex)].Document"
            let label = arn + " (" + (version["VersionId"]?.stringValue ?? "default") + ")"
            if let doc = document(version["Document"], name: label, file: file, path: docPath, errors: &errors) {
                managed[arn] = doc
            }
        }

        func attached(_ entity: PolicyJSON, _ path: String, _ owner: String) -> [PolicyDocument] {
            var docs = [PolicyDocument]()
            for (i, a) in (entity["AttachedManagedPolicies"]?.arrayValue ?? []).enumerated() {
                guard let arn = a["PolicyArn"]?.stringValue else { continue }
                if let doc = managed[arn] { docs.append(doc) } else {
                    errors.append(PolicyLoadError(code: .missingManagedPolicy,
                                                  message: "\(owner) has managed policy \(arn) attached, but its document is not in the file (export with --filter including AWSManagedPolicy/LocalManagedPolicy)",
                                                  file: file, jsonPath: "\(path).AttachedManagedPolicies[\(i)]"))
                }
            }
            return docs
        }
        func inline(_ entity: PolicyJSON, _ listKey: String, _ path: String, _ owner: String) -> [PolicyDocument] {
            var docs = [PolicyDocument]()
            for (i, p) in (entity[listKey]?.arrayValue ?? []).enumerated() {
                let policyName = p["PolicyName"]?.stringValue ?? "policy\(i)"
                if let doc = document(p["PolicyDocument"], name: "\(owner) inline:\(policyName)", file: file,
                                      path: "\(path).\(listKey)[\(i)].PolicyDocument", errors: &errors) {
                    docs.append(doc)
                }
            }
            return docs
        }

        var principals = [PrincipalPolicies]()
        var groupDocs = [String: [PolicyDocument]]()
        for (i, g) in (json["GroupDetailList"]?.arrayValue ?? []).enumerated() {
            let path = "GroupDetailList[\(i)]"
            let name = g["GroupName"]?.stringValue ?? "group\(i)"
            let owner = "group/\(name)"
            let docs = inline(g, "GroupPolicyList", path, owner) + attached(g, path, owner)
            groupDocs[name] = docs
            principals.append(PrincipalPolicies(kind: .group, name: name, arn: g["Arn"]?.stringValue, path: g["Path"]?.stringValue,
                                                policies: PolicySet(docs)))
        }
        for (i, u) in (json["UserDetailList"]?.arrayValue ?? []).enumerated() {
            let path = "UserDetailList[\(i)]"
            let name = u["UserName"]?.stringValue ?? "user\(i)"
            let owner = "user/\(name)"
            var docs = inline(u, "UserPolicyList", path, owner) + attached(u, path, owner)
            for (j, group) in (u["GroupList"]?.arrayValue ?? []).enumerated() {
                guard let groupName = group.stringValue else { continue }
                if let gd = groupDocs[groupName] { docs.append(contentsOf: gd) } else {
                    errors.append(PolicyLoadError(code: .missingManagedPolicy, message: "\(owner) is in group \(groupName), which is not in GroupDetailList",
                                                  file: file, jsonPath: "\(path).GroupList[\(j)]"))
                }
            }
            principals.append(PrincipalPolicies(kind: .user, name: name, arn: u["Arn"]?.stringValue, path: u["Path"]?.stringValue,
                                                policies: PolicySet(docs)))
        }
        for (i, r) in (json["RoleDetailList"]?.arrayValue ?? []).enumerated() {
            let path = "RoleDetailList[\(i)]"
            let name = r["RoleName"]?.stringValue ?? "role\(i)"
            let owner = "role/\(name)"
            let docs = inline(r, "RolePolicyList", path, owner) + attached(r, path, owner)
            var trust: PolicyDocument?
            if r["AssumeRolePolicyDocument"] != nil {
                trust = document(r["AssumeRolePolicyDocument"], name: "\(owner) trust", file: file,
                                 path: "\(path).AssumeRolePolicyDocument", errors: &errors)
            }
            principals.append(PrincipalPolicies(kind: .role, name: name, arn: r["Arn"]?.stringValue, path: r["Path"]?.stringValue,
                                                policies: PolicySet(docs), trustPolicy: trust))
        }
        return (principals, errors)
    }

    /// Decodes a document that is an object, a JSON string, or a URL-encoded JSON string.
    static func document(_ value: PolicyJSON?, name: String, file: String?, path: String,
                         errors: inout [PolicyLoadError]) -> PolicyDocument? {
        guard var value else {
            errors.append(PolicyLoadError(code: .invalidDocument, message: "missing policy document", file: file, jsonPath: path))
            return nil
        }
        if case .string(let text) = value {
            var decoded: PolicyJSON?
            if let json = try? PolicyJSON.parse(Data(text.utf8)) { decoded = json }
            else if let unescaped = text.removingPercentEncoding, let json = try? PolicyJSON.parse(Data(unescaped.utf8)) { decoded = json }
            guard let decoded else {
                errors.append(PolicyLoadError(code: .invalidJSON, message: "policy document string is neither JSON nor URL-encoded JSON",
                                              file: file, jsonPath: path))
                return nil
            }
            value = decoded
        }
        do { return try PolicyDocument.parse(value, name: name, file: file, jsonPath: path) } catch {
            errors.append(error)
            return nil
        }
    }
}

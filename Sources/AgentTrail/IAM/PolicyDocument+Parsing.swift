import Foundation

extension PolicyDocument {
    /// Parses a policy document from JSON bytes; errors carry the file and JSON path.
    public static func parse(data: Data, name: String, file: String? = nil) throws(PolicyLoadError) -> PolicyDocument {
        let json: PolicyJSON
        do { json = try PolicyJSON.parse(data) } catch {
            throw PolicyLoadError(code: .invalidJSON, message: "not valid JSON: \(describeJSONError(error))", file: file)
        }
        return try parse(json, name: name, file: file, jsonPath: "")
    }

    /// Parses a decoded policy document found at `jsonPath` inside `file`.
    public static func parse(_ json: PolicyJSON, name: String, file: String?, jsonPath: String) throws(PolicyLoadError) -> PolicyDocument {
        func path(_ p: String) -> String { jsonPath.isEmpty ? p : (p.isEmpty ? jsonPath : jsonPath + "." + p) }
        func fail(_ p: String, _ message: String) -> PolicyLoadError {
            PolicyLoadError(code: .invalidDocument, message: message, file: file, jsonPath: path(p))
        }
        guard let root = json.objectValue else { throw fail("", "a policy document must be a JSON object, found \(json.typeName)") }
        var version: String?
        if let v = root["Version"] {
            guard let s = v.stringValue else { throw fail("Version", "Version must be a string") }
            version = s
        }
        guard let statementJSON = root["Statement"] else {
            if root["Effect"] != nil || root["Action"] != nil {
                throw fail("", "no \"Statement\": this looks like a single statement; wrap it as {\"Version\": \"2012-10-17\", \"Statement\": [ ... ]}")
            }
            throw fail("", "no \"Statement\" element")
        }
        var statements = [Statement]()
        let isObject: Bool
        switch statementJSON {
        case .object:
            isObject = true
            statements.append(try parseStatement(statementJSON, index: 0, relPath: "Statement", fail: fail))
        case .array(let items):
            isObject = false
            for (i, item) in items.enumerated() {
                statements.append(try parseStatement(item, index: i, relPath: "Statement[\(i)]", fail: fail))
            }
        default:
            throw fail("Statement", "Statement must be an object or an array, found \(statementJSON.typeName)")
        }
        return PolicyDocument(name: name, file: file, jsonPath: jsonPath, version: version, id: root["Id"]?.stringValue,
                              statements: statements, statementIsObject: isObject)
    }

    private static func parseStatement(_ json: PolicyJSON, index: Int, relPath: String,
                                       fail: (String, String) -> PolicyLoadError) throws(PolicyLoadError) -> Statement {
        guard let object = json.objectValue else { throw fail(relPath, "a statement must be an object, found \(json.typeName)") }
        let known: Set<String> = ["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition", "Principal", "NotPrincipal"]
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw fail(relPath + "." + unknown, "unknown statement element \"\(unknown)\"")
        }
        var sid: String?
        if let s = object["Sid"] {
            guard let text = s.stringValue else { throw fail(relPath + ".Sid", "Sid must be a string") }
            sid = text
        }
        guard let effectJSON = object["Effect"] else { throw fail(relPath, "statement has no Effect") }
        guard let effectText = effectJSON.stringValue, let effect = Effect(rawValue: effectText) else {
            throw fail(relPath + ".Effect", "Effect must be \"Allow\" or \"Deny\", found \(effectJSON.scalarText.map { "\"\($0)\"" } ?? effectJSON.typeName)")
        }
        let action: ActionSpec
        let actionIsArray: Bool
        switch (object["Action"], object["NotAction"]) {
        case (.some, .some): throw fail(relPath, "statement has both Action and NotAction")
        case (.none, .none): throw fail(relPath, "statement has neither Action nor NotAction")
        case (.some(let a), .none):
            let list = try stringList(a, relPath + ".Action", fail)
            action = .actions(list.values); actionIsArray = list.isArray
        case (.none, .some(let a)):
            let list = try stringList(a, relPath + ".NotAction", fail)
            action = .notActions(list.values); actionIsArray = list.isArray
        }
        let resource: ResourceSpec
        var resourceIsArray = false
        switch (object["Resource"], object["NotResource"]) {
        case (.some, .some): throw fail(relPath, "statement has both Resource and NotResource")
        case (.none, .none): resource = .unspecified
        case (.some(let r), .none):
            let list = try stringList(r, relPath + ".Resource", fail)
            resource = .resources(list.values); resourceIsArray = list.isArray
        case (.none, .some(let r)):
            let list = try stringList(r, relPath + ".NotResource", fail)
            resource = .notResources(list.values); resourceIsArray = list.isArray
        }
        var conditions = [ConditionClause]()
        if let c = object["Condition"] {
            guard let block = c.objectValue else { throw fail(relPath + ".Condition", "Condition must be an object") }
            for (opName, keys) in block.sorted(by: { $0.key < $1.key }) {
                let opPath = relPath + ".Condition." + opName
                guard let keyMap = keys.objectValue else { throw fail(opPath, "a condition operator must map keys to values") }
                for (key, value) in keyMap.sorted(by: { $0.key < $1.key }) {
                    var values = [String]()
                    switch value {
                    case .array(let items):
                        for (i, item) in items.enumerated() {
                            guard let text = item.scalarText else { throw fail(opPath + "." + key + "[\(i)]", "condition values must be strings, numbers or booleans") }
                            values.append(text)
                        }
                    default:
                        guard let text = value.scalarText else { throw fail(opPath + "." + key, "condition values must be strings, numbers or booleans") }
                        values.append(text)
                    }
                    conditions.append(ConditionClause(op: ConditionOperator(opName), key: key, values: values))
                }
            }
        }
        return Statement(sid: sid, effect: effect, action: action, resource: resource, conditions: conditions,
                         hasPrincipal: object["Principal"] != nil || object["NotPrincipal"] != nil, index: index,
                         path: relPath, actionIsArray: actionIsArray, resourceIsArray: resourceIsArray)
    }

    private static func stringList(_ json: PolicyJSON, _ path: String,
                                   _ fail: (String, String) -> PolicyLoadError) throws(PolicyLoadError) -> (values: [String], isArray: Bool) {
        switch json {
        case .string(let s): return ([s], false)
        case .array(let items):
            var out = [String]()
            for (i, item) in items.enumerated() {
                guard let s = item.stringValue else { throw fail(path + "[\(i)]", "expected a string, found \(item.typeName)") }
                out.append(s)
            }
            if out.isEmpty { throw fail(path, "must not be an empty array") }
            return (out, true)
        default:
            throw fail(path, "expected a string or an array of strings, found \(json.typeName)")
        }
    }
}

/// A readable message for a JSONDecoder failure (syntax errors carry the underlying description).
func describeJSONError(_ error: Error) -> String {
    if case DecodingError.dataCorrupted(let context) = error {
        if let underlying = context.underlyingError { return "\(underlying.localizedDescription)" }
        return context.debugDescription
    }
    return "\(error)"
}

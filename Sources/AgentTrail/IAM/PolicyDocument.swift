/// An IAM policy document (identity policy, or a trust/resource policy when statements carry `Principal`).
public struct PolicyDocument: Sendable {
    /// Where it came from: a file name, `role/Name inline:Policy`, or a managed policy ARN with version.
    public var name: String
    /// The file it was read from, when any.
    public var file: String?
    /// JSON path of the document inside the file (`RoleDetailList[0].RolePolicyList[1].PolicyDocument`), or "" for a whole file.
    public var jsonPath: String
    /// `Version`; nil when absent.
    public var version: String?
    /// Document `Id`.
    public var id: String?
    public var statements: [Statement]
    /// True when `Statement` was a single object rather than an array (affects JSON paths).
    public var statementIsObject: Bool

    public init(name: String, file: String? = nil, jsonPath: String = "", version: String? = "2012-10-17", id: String? = nil,
                statements: [Statement], statementIsObject: Bool = false) {
        self.name = name
        self.file = file
        self.jsonPath = jsonPath
        self.version = version
        self.id = id
        self.statements = statements
        self.statementIsObject = statementIsObject
    }
}

/// `Allow` or `Deny`.
public enum Effect: String, Sendable, Codable {
    case allow = "Allow"
    case deny = "Deny"
}

/// `Action` or `NotAction` patterns.
public enum ActionSpec: Hashable, Sendable {
    case actions([String])
    case notActions([String])

    public var patterns: [String] {
        switch self { case .actions(let p), .notActions(let p): return p }
    }
}

/// `Resource`, `NotResource`, or neither (trust policies; invalid in identity policies).
public enum ResourceSpec: Hashable, Sendable {
    case resources([String])
    case notResources([String])
    case unspecified

    public var patterns: [String] {
        switch self {
        case .resources(let p), .notResources(let p): return p
        case .unspecified: return []
        }
    }
}

/// One statement.
public struct Statement: Sendable {
    public var sid: String?
    public var effect: Effect
    public var action: ActionSpec
    public var resource: ResourceSpec
    /// Condition clauses (all must hold).
    public var conditions: [ConditionClause]
    /// True when the statement has `Principal` or `NotPrincipal` (a trust/resource policy statement).
    public var hasPrincipal: Bool
    /// Index in `Statement` (0 for a single-object `Statement`).
    public var index: Int
    /// `Statement[2]`, or `Statement` when it was a single object (relative to the document).
    public var path: String
    /// Whether `Action`/`NotAction` and `Resource`/`NotResource` were arrays (for element JSON paths).
    public var actionIsArray: Bool
    public var resourceIsArray: Bool

    public init(sid: String? = nil, effect: Effect, action: ActionSpec, resource: ResourceSpec = .resources(["*"]),
                conditions: [ConditionClause] = [], hasPrincipal: Bool = false, index: Int = 0,
                path: String? = nil, actionIsArray: Bool = true, resourceIsArray: Bool = true) {
        self.sid = sid
        self.effect = effect
        self.action = action
        self.resource = resource
        self.conditions = conditions
        self.hasPrincipal = hasPrincipal
        self.index = index
        self.path = path ?? "Statement[\(index)]"
        self.actionIsArray = actionIsArray
        self.resourceIsArray = resourceIsArray
    }

    /// JSON path of the i-th action pattern: `Statement[1].Action[0]` or `Statement[1].NotAction`.
    public func actionPath(_ i: Int) -> String {
        let key: String
        if case .notActions = action { key = "NotAction" } else { key = "Action" }
        return path + "." + key + (actionIsArray ? "[\(i)]" : "")
    }

    /// JSON path of the i-th resource pattern.
    public func resourcePath(_ i: Int) -> String {
        let key: String
        if case .notResources = resource { key = "NotResource" } else { key = "Resource" }
        return path + "." + key + (resourceIsArray ? "[\(i)]" : "")
    }

    /// True when the statement has no conditions.
    public var isUnconditional: Bool { conditions.isEmpty }
}

/// Points at one statement, for decisions and findings.
public struct StatementRef: Hashable, Sendable, CustomStringConvertible {
    /// Document name (file name, `role/X inline:Y`, managed policy ARN).
    public var document: String
    public var index: Int
    public var sid: String?
    /// JSON path of the statement in its file.
    public var jsonPath: String

    public init(document: String, index: Int, sid: String?, jsonPath: String) {
        self.document = document
        self.index = index
        self.sid = sid
        self.jsonPath = jsonPath
    }

    public var description: String {
        document + " " + jsonPath + (sid.map { " (Sid \($0))" } ?? "")
    }
}

extension PolicyDocument {
    /// A reference to statement `i`.
    public func ref(_ statement: Statement) -> StatementRef {
        StatementRef(document: name, index: statement.index, sid: statement.sid,
                     jsonPath: jsonPath.isEmpty ? statement.path : jsonPath + "." + statement.path)
    }

    /// Full JSON path (document path + relative path).
    public func fullPath(_ relative: String) -> String { jsonPath.isEmpty ? relative : jsonPath + "." + relative }
}

/// One `operator: {key: values}` entry of a `Condition` block.
public struct ConditionClause: Hashable, Sendable {
    public var op: ConditionOperator
    /// Condition key as written (`aws:SourceIp`); compared case-insensitively.
    public var key: String
    /// Policy values as text (booleans `true`/`false`, numbers as written).
    public var values: [String]

    public init(op: ConditionOperator, key: String, values: [String]) {
        self.op = op
        self.key = key
        self.values = values
    }

    /// `Condition.IpAddress.aws:SourceIp` relative to the statement.
    public var path: String { "Condition.\(op.raw).\(key)" }
}

/// A condition operator with its `ForAnyValue:`/`ForAllValues:` qualifier and `IfExists` suffix.
public struct ConditionOperator: Hashable, Sendable, CustomStringConvertible {
    public enum SetQualifier: String, Hashable, Sendable { case none, forAnyValue, forAllValues }

    public enum Base: String, Hashable, Sendable, CaseIterable {
        case stringEquals = "StringEquals", stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase", stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike", stringNotLike = "StringNotLike"
        case numericEquals = "NumericEquals", numericNotEquals = "NumericNotEquals"
        case numericLessThan = "NumericLessThan", numericLessThanEquals = "NumericLessThanEquals"
        case numericGreaterThan = "NumericGreaterThan", numericGreaterThanEquals = "NumericGreaterThanEquals"
        case dateEquals = "DateEquals", dateNotEquals = "DateNotEquals"
        case dateLessThan = "DateLessThan", dateLessThanEquals = "DateLessThanEquals"
        case dateGreaterThan = "DateGreaterThan", dateGreaterThanEquals = "DateGreaterThanEquals"
        case bool = "Bool", binaryEquals = "BinaryEquals"
        case ipAddress = "IpAddress", notIpAddress = "NotIpAddress"
        case arnEquals = "ArnEquals", arnLike = "ArnLike", arnNotEquals = "ArnNotEquals", arnNotLike = "ArnNotLike"
        case null = "Null"

        /// Negated operators: with several values they are a NOR, and a missing key makes them true.
        public var isNegated: Bool {
            switch self {
            case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals,
                 .notIpAddress, .arnNotEquals, .arnNotLike: return true
            default: return false
            }
        }
    }

    /// The operator exactly as written.
    public let raw: String
    public let qualifier: SetQualifier
    /// nil when the operator name is not a known IAM operator.
    public let base: Base?
    public let ifExists: Bool

    /// Parses `ForAnyValue:StringLikeIfExists` etc. (operator names are case-sensitive in IAM; accepted here
    /// case-insensitively, and `isCanonicalCase` tells whether the spelling was exact).
    public init(_ raw: String) {
        self.raw = raw
        var rest = Substring(raw)
        var qualifier = SetQualifier.none
        if let colon = rest.firstIndex(of: ":") {
            let q = rest[..<colon].lowercased()
            if q == "foranyvalue" { qualifier = .forAnyValue } else if q == "forallvalues" { qualifier = .forAllValues } else {
                qualifier = .none
            }
            if qualifier != .none { rest = rest[rest.index(after: colon)...] }
        }
        var ifExists = false
        if rest.lowercased().hasSuffix("ifexists") {
            ifExists = true
            rest = rest.dropLast("IfExists".count)
        }
        let lowered = rest.lowercased()
        self.base = Base.allCases.first { $0.rawValue.lowercased() == lowered }
        self.qualifier = qualifier
        self.ifExists = ifExists
    }

    /// True when the text was spelled exactly as IAM expects.
    public var isCanonicalCase: Bool {
        guard let base else { return false }
        let q: String
        switch qualifier {
        case .none: q = ""
        case .forAnyValue: q = "ForAnyValue:"
        case .forAllValues: q = "ForAllValues:"
        }
        return raw == q + base.rawValue + (ifExists ? "IfExists" : "")
    }

    public var description: String { raw }
}

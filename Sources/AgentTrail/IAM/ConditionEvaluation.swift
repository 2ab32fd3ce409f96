import Foundation

/// Three-valued result of a condition test.
public enum ConditionResult: Hashable, Sendable {
    case satisfied
    case notSatisfied
    /// Cannot be decided from what is known (reason says why).
    case unknown(String)
}

extension ConditionClause {
    /// Evaluates the clause against a request context, with IAM's rules for missing keys, `IfExists`,
    /// `Null`, negated operators (NOR over values) and `ForAnyValue:`/`ForAllValues:`.
    public func evaluate(in context: RequestContext) -> ConditionResult {
        guard let base = op.base else { return .unknown("unsupported condition operator \(op.raw)") }
        guard let requestValues = context.values(for: key) else {
            return .unknown("\(key) is not known for this request")
        }
        if base == .null {
            // Null: "true" means the key must be absent.
            let wantAbsent = values.contains { $0.lowercased() == "true" }
            return (requestValues.isEmpty == wantAbsent) ? .satisfied : .notSatisfied
        }
        if requestValues.isEmpty {
            if op.ifExists || op.qualifier == .forAllValues { return .satisfied }
            if op.qualifier == .forAnyValue { return .notSatisfied }
            return base.isNegated ? .satisfied : .notSatisfied
        }
        var sawInvalid = false
        // Does one request value pass (positive: matches some policy value; negated: matches none)?
        func passes(_ rv: String) -> Bool {
            var anyMatch = false
            for pv in values {
                switch ConditionClause.matches(base, policy: pv, request: rv) {
                case .some(true): anyMatch = true
                case .some(false): break
                case .none: sawInvalid = true
                }
                if anyMatch { break }
            }
            return base.isNegated ? !anyMatch : anyMatch
        }
        let result: Bool
        switch op.qualifier {
        case .forAllValues: result = requestValues.allSatisfy(passes)
        case .forAnyValue: result = requestValues.contains(where: passes)
        case .none:
            result = base.isNegated ? requestValues.allSatisfy(passes) : requestValues.contains(where: passes)
        }
        if sawInvalid && !result { return .unknown("\(op.raw) on \(key) has a value that cannot be compared") }
        return result ? .satisfied : .notSatisfied
    }

    /// Positive match of one policy value against one request value (negation applied by the caller);
    /// nil when either side cannot be interpreted for this operator.
    static func matches(_ base: ConditionOperator.Base, policy pv: String, request rv: String) -> Bool? {
        switch base {
        case .stringEquals, .stringNotEquals: return pv == rv
        case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase: return pv.lowercased() == rv.lowercased()
        case .stringLike, .stringNotLike: return Glob.matches(pv, rv)
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            guard let p = Double(pv), let r = Double(rv) else { return nil }
            return compare(base, r, p)
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            guard let p = parseConditionDate(pv), let r = parseConditionDate(rv) else { return nil }
            return compare(base, Double(r.millisecondsSince1970), Double(p.millisecondsSince1970))
        case .bool: return pv.lowercased() == rv.lowercased()
        case .binaryEquals: return pv == rv
        case .ipAddress, .notIpAddress:
            guard let cidr = CIDR(pv), let ip = IPAddress(rv) else { return nil }
            return cidr.contains(ip)
        case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike: return arnMatches(pattern: pv, arn: rv)
        case .null: return nil
        }
    }

    private static func compare(_ base: ConditionOperator.Base, _ r: Double, _ p: Double) -> Bool {
        switch base {
        case .numericEquals, .numericNotEquals, .dateEquals, .dateNotEquals: return r == p
        case .numericLessThan, .dateLessThan: return r < p
        case .numericLessThanEquals, .dateLessThanEquals: return r <= p
        case .numericGreaterThan, .dateGreaterThan: return r > p
        case .numericGreaterThanEquals, .dateGreaterThanEquals: return r >= p
        default: return false
        }
    }

    /// ArnEquals/ArnLike: each of the six colon-separated fields matched separately, wildcards allowed.
    static func arnMatches(pattern: String, arn: String) -> Bool {
        let p = pattern.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        let a = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        if p.count == 1 && p[0] == "*" { return true }
        guard p.count == 6, a.count == 6 else { return false }
        for i in 0..<6 where !Glob.matches(String(p[i]), String(a[i])) { return false }
        return true
    }
}

/// Parses condition dates: ISO 8601 (`2026-01-31`, `2026-01-31T12:00:00Z`, fractional seconds, `+hh:mm` offsets)
/// or epoch seconds.
func parseConditionDate(_ text: String) -> Instant? {
    let s = text.trimmingCharacters(in: .whitespaces)
    if let n = Int64(s) { return Instant(millisecondsSince1970: n * 1000) }
    let b = Array(s.utf8)
    func num(_ from: Int, _ len: Int) -> Int? {
        guard from + len <= b.count else { return nil }
        var v = 0
        for k in from..<(from + len) { guard b[k] >= 48 && b[k] <= 57 else { return nil }; v = v * 10 + Int(b[k] - 48) }
        return v
    }
    guard b.count >= 10, let y = num(0, 4), b[4] == 45, let mo = num(5, 2), b[7] == 45, let d = num(8, 2) else { return nil }
    if b.count == 10 { return Instant(year: y, month: mo, day: d) }
    guard b.count >= 19, b[10] == 84 || b[10] == 116 || b[10] == 32, let h = num(11, 2), b[13] == 58, let mi = num(14, 2), b[16] == 58,
          let sec = num(17, 2) else { return nil }
    var i = 19
    var ms = 0
    if i < b.count && b[i] == 46 {
        i += 1
        var digits = 0
        while i < b.count && b[i] >= 48 && b[i] <= 57 { if digits < 3 { ms = ms * 10 + Int(b[i] - 48) }; digits += 1; i += 1 }
        while digits < 3 { ms *= 10; digits += 1 }
    }
    guard var t = Instant(year: y, month: mo, day: d, hour: h, minute: mi, second: min(sec, 59), millisecond: ms) else { return nil }
    if i == b.count || (i + 1 == b.count && (b[i] == 90 || b[i] == 122)) { return t }
    guard i + 6 == b.count, b[i] == 43 || b[i] == 45, let oh = num(i + 1, 2), b[i + 3] == 58, let om = num(i + 4, 2) else { return nil }
    let offset = Int64(oh * 3600 + om * 60)
    t = t.adding(seconds: b[i] == 43 ? -offset : offset)
    return t
}

/// Parses a Sigma `condition` (specification v2, "Condition"): identifiers, `and`, `or`, `not`, parentheses,
/// `1 of x*`, `all of x*`, `1 of them`, `all of them` (and `N of …` for any N ≥ 1). Precedence: `not` binds
/// tightest, then `and`, then `or`. `them` means every identifier not starting with `_`.
struct SigmaConditionParser {
    enum Token: Equatable {
        case word(String)
        case open, close
    }

    /// What went wrong, in words.
    struct Failure: Error { var message: String }

    private var tokens: [Token]
    private var i = 0
    private let names: [String]

    init(_ text: String, selections: [String]) throws(Failure) {
        names = selections
        tokens = []
        if text.contains("|") {
            throw Failure(message: "the pipe '|' (Sigma v1 aggregation) in conditions is not supported: use a correlation rule")
        }
        var word = ""
        func flush() { if !word.isEmpty { tokens.append(.word(word)); word = "" } }
        for c in text {
            switch c {
            case "(": flush(); tokens.append(.open)
            case ")": flush(); tokens.append(.close)
            case " ", "\t", "\n", "\r": flush()
            default: word.append(c)
            }
        }
        flush()
        if tokens.isEmpty { throw Failure(message: "the condition is empty") }
    }

    mutating func parse() throws(Failure) -> SigmaCondition {
        let c = try orExpr()
        if i < tokens.count { throw Failure(message: "unexpected '\(describe(tokens[i]))' in the condition") }
        return c
    }

    private func describe(_ t: Token) -> String {
        switch t {
        case .word(let w): return w
        case .open: return "("
        case .close: return ")"
        }
    }

    private func peekWord() -> String? {
        guard i < tokens.count, case .word(let w) = tokens[i] else { return nil }
        return w.lowercased()
    }

    private mutating func orExpr() throws(Failure) -> SigmaCondition {
        var parts = [try andExpr()]
        while peekWord() == "or" { i += 1; parts.append(try andExpr()) }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private mutating func andExpr() throws(Failure) -> SigmaCondition {
        var parts = [try notExpr()]
        while peekWord() == "and" { i += 1; parts.append(try notExpr()) }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private mutating func notExpr() throws(Failure) -> SigmaCondition {
        if peekWord() == "not" { i += 1; return .not(try notExpr()) }
        return try primary()
    }

    private mutating func primary() throws(Failure) -> SigmaCondition {
        guard i < tokens.count else { throw Failure(message: "the condition ends too early") }
        switch tokens[i] {
        case .open:
            i += 1
            let c = try orExpr()
            guard i < tokens.count, tokens[i] == .close else { throw Failure(message: "a '(' in the condition is not closed") }
            i += 1
            return c
        case .close:
            throw Failure(message: "unexpected ')' in the condition")
        case .word(let w):
            let lower = w.lowercased()
            if ["and", "or"].contains(lower) { throw Failure(message: "'\(w)' needs something before it") }
            if (lower == "all" || Int(lower) != nil), i + 1 < tokens.count, case .word(let of) = tokens[i + 1], of.lowercased() == "of" {
                guard i + 2 < tokens.count, case .word(let target) = tokens[i + 2] else {
                    throw Failure(message: "'\(w) of' needs an identifier pattern or 'them'")
                }
                i += 3
                let ids = try expand(target)
                if lower == "all" { return .allOf(ids) }
                let k = Int(lower)!
                guard k >= 1 else { throw Failure(message: "'\(w) of': the count must be at least 1") }
                return .atLeast(k, ids)
            }
            if lower == "of" || lower == "them" { throw Failure(message: "unexpected '\(w)' in the condition") }
            i += 1
            guard let idx = names.firstIndex(of: w) else {
                throw Failure(message: "the condition names '\(w)', which the detection does not define")
            }
            return .selection(idx)
        }
    }

    private func expand(_ target: String) throws(Failure) -> [Int] {
        if target.lowercased() == "them" {
            let ids = names.indices.filter { !names[$0].hasPrefix("_") }
            if ids.isEmpty { throw Failure(message: "'them' names no identifier") }
            return ids
        }
        let pattern = SigmaPattern(target, cased: true)
        let ids = names.indices.filter { pattern.matches(names[$0]) }
        if ids.isEmpty { throw Failure(message: "'\(target)' matches no identifier of the detection") }
        return ids
    }
}

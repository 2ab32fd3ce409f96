import Testing
@testable import AgentTrail

@Suite struct SigmaConditionTests {
    static let names = ["selection", "selection_a", "selection_b", "filter_main_x", "filter_main_y", "_hidden"]

    /// A condition evaluated over a truth assignment of the identifiers.
    static func eval(_ c: SigmaCondition, _ truth: [Bool]) -> Bool {
        switch c {
        case .selection(let i): return truth[i]
        case .and(let cs): return cs.allSatisfy { eval($0, truth) }
        case .or(let cs): return cs.contains { eval($0, truth) }
        case .not(let x): return !eval(x, truth)
        case .atLeast(let k, let ids): return ids.filter { truth[$0] }.count >= k
        case .allOf(let ids): return ids.allSatisfy { truth[$0] }
        }
    }

    @Test(arguments: [
        ("selection", [true, false, false, false, false, false], true),
        ("selection and not 1 of filter_main_*", [true, false, false, false, true, false], false),
        ("selection and not 1 of filter_main_*", [true, false, false, false, false, false], true),
        ("selection or selection_a and selection_b", [true, false, false, false, false, false], true),  // and binds tighter
        ("(selection or selection_a) and selection_b", [true, false, false, false, false, false], false),
        ("not selection and selection_a", [false, true, false, false, false, false], true),
        ("all of selection_*", [false, true, true, false, false, false], true),
        ("all of selection_*", [false, true, false, false, false, false], false),
        ("1 of them", [false, false, false, false, false, true], false),  // `them` leaves out _hidden
        ("all of them", [true, true, true, true, true, false], true),
        ("2 of selection*", [true, false, true, false, false, false], true),
        ("NOT selection AND selection_a", [false, true, false, false, false, false], true),  // keywords in any case
    ] as [(String, [Bool], Bool)])
    func precedenceAndQuantifiers(condition: String, truth: [Bool], expected: Bool) throws {
        var p = try SigmaConditionParser(condition, selections: Self.names)
        #expect(Self.eval(try p.parse(), truth) == expected)
    }

    @Test(arguments: [
        ("selection and", "ends too early"),
        ("(selection", "not closed"),
        ("selection)", "unexpected ')'"),
        ("missing", "does not define"),
        ("1 of nothing*", "matches no identifier"),
        ("selection | count() > 5", "not supported"),
        ("", "empty"),
    ])
    func badConditionsAreErrors(condition: String, expected: String) {
        #expect {
            var p = try SigmaConditionParser(condition, selections: Self.names)
            _ = try p.parse()
        } throws: { error in
            (error as? SigmaConditionParser.Failure)?.message.contains(expected) == true
        }
    }
}

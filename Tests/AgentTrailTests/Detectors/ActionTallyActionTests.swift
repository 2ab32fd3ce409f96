import Foundation
import Testing
@testable import AgentTrail

/// `ActionTally.Action` keeps both names in one shared object: actions made apart from the same names (as two scan
/// workers or a partial file make them) are equal, hash alike and key one dictionary entry; actions that differ in
/// either name, or only in how the two names split the text, are not equal.
@Suite struct ActionTallyActionTests {
    static func action(_ source: String, _ name: String) -> ActionTally.Action {
        ActionTally.Action(eventSource: source, eventName: name)
    }

    @Test(arguments: [
        (("s3.amazonaws.com", "GetObject"), ("s3.amazonaws.com", "GetObject"), true),
        (("s3.amazonaws.com", "GetObject"), ("s3.amazonaws.com", "PutObject"), false),
        (("s3.amazonaws.com", "GetObject"), ("kms.amazonaws.com", "GetObject"), false),
        (("a", "bc"), ("ab", "c"), false),
        (("", ""), ("", ""), true),
        (("bedrock.amazonaws.com", "InvokeModel"), ("bedrock.amazonaws.com", "invokemodel"), false),
    ])
    func equalityOfActionsMadeApart(_ x: (String, String), _ y: (String, String), equal: Bool) throws {
        let a = Self.action(x.0, x.1), b = Self.action(y.0, y.1)
        #expect((a == b) == equal)
        #expect((b == a) == equal)
        #expect(a == a)
        if equal {
            #expect(a.hashValue == b.hashValue)
            var counts: [ActionTally.Action: Int] = [:]
            counts[a, default: 0] += 1
            counts[b, default: 0] += 1
            #expect(counts.count == 1 && counts[a] == 2)
        }
        // Through a partial file's encoding and back: a new object, the same action.
        let decoded = try JSONDecoder().decode(ActionTally.Action.self, from: JSONEncoder().encode(a))
        #expect(decoded == a && decoded.hashValue == a.hashValue)
        #expect(decoded.eventSource == x.0 && decoded.eventName == x.1)
        #expect((decoded == b) == equal)
    }

    /// Tallies of two workers, each with its own action objects, merge into one count per action.
    @Test func talliesOfSeparatelyMadeActionsMerge() {
        var first = ActionTally(), second = ActionTally()
        first.actions[Self.action("s3.amazonaws.com", "GetObject"), default: 0] += 2
        second.actions[Self.action("s3.amazonaws.com", "GetObject"), default: 0] += 3
        second.actions[Self.action("kms.amazonaws.com", "Decrypt"), default: 0] += 1
        first.merge(second)
        #expect(first.actions.count == 2)
        #expect(first.actions[Self.action("s3.amazonaws.com", "GetObject")] == 5)
        #expect(first.actions[Self.action("kms.amazonaws.com", "Decrypt")] == 1)
    }
}

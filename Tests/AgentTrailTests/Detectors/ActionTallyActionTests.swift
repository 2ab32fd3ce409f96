import AgentTrailTestSupport
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

    /// A tally keeps its first actions inline and the rest in a table: counts per action must equal a dictionary's
    /// for 1 to 40 distinct actions in seeded orders (with actions made afresh, so they are found by their names),
    /// whether added per record or merged; equality and hashing ignore the order actions were met in.
    @Test(arguments: [1, 3, 8, 9, 17, 40])
    func countsPerActionEqualADictionarysWhateverTheirNumber(_ distinct: Int) {
        var rng = SplitMix(UInt64(distinct))
        let names = (0..<distinct).map { ("svc\($0 % 5).amazonaws.com", "Call\($0)") }
        let calls = (0..<(distinct * 6)).map { _ in names[Int.random(in: 0..<distinct, using: &rng)] }
        var expected: [ActionTally.Action: Int] = [:]
        var whole = ActionTally(), first = ActionTally(), second = ActionTally()
        for (i, c) in calls.enumerated() {
            let event = ObservedRecord(record: CloudTrailRecord(eventSource: c.0, eventName: c.1), file: "f", index: i)
            expected[Self.action(c.0, c.1), default: 0] += 1
            whole.add(event)
            if i % 3 == 0 { first.add(event) } else { second.add(event) }
        }
        #expect(whole.actions == expected)
        #expect(whole.tally.count == calls.count)
        var merged = second
        merged.merge(first)
        #expect(merged.actions == expected)
        first.merge(second)
        #expect(first == merged)
        #expect(first.hashValue == merged.hashValue)
        var rebuilt = ActionTally()
        rebuilt.tally = whole.tally
        rebuilt.actions = expected
        #expect(rebuilt == whole)
        #expect(rebuilt.actionSummary() == whole.actionSummary())
    }
}

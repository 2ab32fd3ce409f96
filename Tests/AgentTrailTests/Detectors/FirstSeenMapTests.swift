import AgentTrailTestSupport
import Testing
@testable import AgentTrail

/// `FirstSeenMap` keeps the earliest time per key, and its recent-keys cache (for `HashedString` keys) never changes
/// an answer: every `note` returns what a plain dictionary of minima holds, for many keys sharing cache slots, times
/// in any order, and merges.
@Suite struct FirstSeenMapTests {
    @Test(arguments: [(1 as UInt64, 3), (2, 40), (3, 200), (4, 1_000)])
    func notesEqualADictionaryOfMinima(seed: UInt64, keyCount: Int) {
        var rng = SplitMix(seed)  // (IAMSuggestionTests.swift)
        let keys = (0..<keyCount).map { HashedString("arn:aws:iam::111122223333:role/r\($0)") }
        var map = FirstSeenMap<HashedString>(), plain = FirstSeenMap<String>()
        var model: [HashedString: Instant] = [:]
        for step in 0..<20_000 {
            // Runs of one key (as a role's records come), jumps, and times that go back.
            let key = keys[Int(rng.next() % UInt64(rng.next() % 4 == 0 ? keys.count : min(keys.count, 8)))]
            let time: Instant? = rng.next() % 50 == 0 ? nil : Instant(millisecondsSince1970: Int64(rng.next() % 100_000))
            let got = map.note(key, time)
            let gotPlain = plain.note(key.string, time)
            var expected: Instant? = nil
            if let time {
                let m = min(model[key] ?? time, time)
                model[key] = m
                expected = m
            }
            #expect(got == expected, "step \(step)")
            #expect(gotPlain == expected, "step \(step)")
            if got != expected { return }
        }
        #expect(map.values == model)
        #expect(plain.values == Dictionary(uniqueKeysWithValues: model.map { ($0.key.string, $0.value) }))
        // A merge notes the other's minima: still the same as the model.
        var other = FirstSeenMap<HashedString>()
        for k in keys.prefix(5) { other.note(k, Instant(millisecondsSince1970: -1)) }
        map.merge(other)
        for k in keys.prefix(5) { model[k] = Instant(millisecondsSince1970: -1) }
        #expect(map.values == model)
        for k in keys.prefix(5) { #expect(map.note(k, Instant(millisecondsSince1970: 0)) == Instant(millisecondsSince1970: -1)) }
    }
}

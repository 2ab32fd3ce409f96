import Testing
@testable import AgentTrail

/// `ActionIDCache` answers only for the action it stored under a number, and `PrincipalFieldCache` only for a field
/// equal to the one it computed the value from.
@Suite struct ActionIDCacheTests {
    static func event(_ source: String, _ name: String, id: Int32) -> ObservedRecord {
        var info = RecordTriage.actionInfo(source, name)
        info.id = id
        return ObservedRecord(record: CloudTrailRecord(eventSource: source, eventName: name), file: "f", index: 0,
                              hashedPrincipalKey: HashedString("k"), action: info)
    }

    @Test func answersForItsOwnActionOnly() {
        var cache = ActionIDCache<Int>()
        let get = Self.event("s3.amazonaws.com", "GetObject", id: 3)
        #expect(cache.value(get) == nil)
        cache.set(get, 30)
        #expect(cache.value(get) == 30)
        #expect(cache.value(Self.event("s3.amazonaws.com", "GetObject", id: 3)) == 30)  // (another record)
        // The same number for another action (a number from another worker's table): a miss, not 30.
        #expect(cache.value(Self.event("s3.amazonaws.com", "PutObject", id: 3)) == nil)
        #expect(cache.value(Self.event("kms.amazonaws.com", "GetObject", id: 3)) == nil)
        // Other numbers are empty; no number is never cached.
        #expect(cache.value(Self.event("s3.amazonaws.com", "GetObject", id: 2)) == nil)
        let unnumbered = Self.event("s3.amazonaws.com", "GetObject", id: -1)
        #expect(unnumbered.actionID == -1)
        cache.set(unnumbered, 99)
        #expect(cache.value(unnumbered) == nil)
        // Beyond the limit: not cached (no array of that size).
        let far = Self.event("s3.amazonaws.com", "GetObject", id: Int32(ActionIDCache<Int>.limit))
        cache.set(far, 5)
        #expect(cache.value(far) == nil)
        // Replaced by a later set.
        cache.set(get, 31)
        #expect(cache.value(get) == 31)
    }

    /// `value(_:_:)` computes once per action: by number for numbered records, by the action for the others.
    @Test func computesOncePerAction() {
        var cache = ActionIDCache<String>()
        var computed = 0
        for (source, name, id) in [("s3.amazonaws.com", "GetObject", Int32(0)), ("s3.amazonaws.com", "GetObject", 0),
                                   ("kms.amazonaws.com", "Decrypt", 1), ("kms.amazonaws.com", "Decrypt", -1),
                                   ("kms.amazonaws.com", "Decrypt", -1), ("sts.amazonaws.com", "AssumeRole", -1),
                                   ("sts.amazonaws.com", "AssumeRole", Int32(ActionIDCache<String>.limit))] {
            let got = cache.value(Self.event(source, name, id: id)) { computed += 1; return source + ":" + name }
            #expect(got == source + ":" + name)
        }
        // GetObject by number 0, Decrypt by number 1 and by its action, AssumeRole by its action (twice unnumbered).
        #expect(computed == 4)
    }

    @Test func principalFieldCacheAnswersForAnEqualFieldOnly() {
        var cache = PrincipalFieldCache<String?>()
        var computed = 0
        let compute: (String?) -> String? = { key in computed += 1; return key.map { "hashed " + $0 } }
        func value(_ p: Principal) -> String? { cache.value(p.fieldsID, field: p.accessKeyId, compute) }
        let a = Principal(type: "AssumedRole", accessKeyId: "ASIAAAAA")
        let copy = a
        #expect(value(a) == "hashed ASIAAAAA")
        #expect(value(copy) == "hashed ASIAAAAA")
        #expect(computed == 1)
        // Equal fields made apart: computed again (same answer).
        let twin = Principal(type: "AssumedRole", accessKeyId: "ASIAAAAA")
        #expect(value(twin) == "hashed ASIAAAAA")
        #expect(computed == 2)
        // A copy changed: its own field, its own value.
        var changed = a
        changed.accessKeyId = "ASIABBBB"
        #expect(value(changed) == "hashed ASIABBBB")
        #expect(value(a) == "hashed ASIAAAAA")
        // The same principal asked with another field: that field's value, not the remembered one.
        #expect(cache.value(a.fieldsID, field: "ASIACCCC", compute) == "hashed ASIACCCC")
        // nil is a value too.
        let none = Principal(type: "IAMUser")
        #expect(value(none) == nil)
        let before = computed
        #expect(value(none) == nil)
        #expect(computed == before)
        // Many more principals than entries, made and dropped at once (so their identities are reused): every
        // answer is the principal's own.
        for i in 0..<(PrincipalFieldCache<String?>.size * 4) {
            #expect(value(Principal(accessKeyId: "ASIA\(i)")) == "hashed ASIA\(i)")
        }
    }
}

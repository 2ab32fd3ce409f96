import Testing
@testable import AgentTrail

/// `ActionIDCache` answers only for the action it stored under a number, and `PrincipalKeyCache` only for copies of
/// the principal it computed the value from.
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

    @Test func principalKeyCacheAnswersForCopiesOnly() {
        var cache = PrincipalKeyCache<String?>()
        var computed = 0
        let compute: (Principal) -> String? = { p in computed += 1; return p.accessKeyId }
        let a = Principal(type: "AssumedRole", accessKeyId: "ASIAAAAA")
        let copy = a
        #expect(cache.value(a, compute) == "ASIAAAAA")
        #expect(cache.value(copy, compute) == "ASIAAAAA")
        #expect(computed == 1)
        // Equal fields made apart: computed again (same answer).
        let twin = Principal(type: "AssumedRole", accessKeyId: "ASIAAAAA")
        #expect(cache.value(twin, compute) == "ASIAAAAA")
        #expect(computed == 2)
        // A copy changed: its own fields, its own value.
        var changed = a
        changed.accessKeyId = "ASIABBBB"
        #expect(cache.value(changed, compute) == "ASIABBBB")
        #expect(cache.value(a, compute) == "ASIAAAAA")
        // nil is a value too.
        let none = Principal(type: "IAMUser")
        #expect(cache.value(none, compute) == nil)
        let before = computed
        #expect(cache.value(none, compute) == nil)
        #expect(computed == before)
        // Many more principals than entries, made and dropped: every answer is the principal's own.
        for i in 0..<(PrincipalKeyCache<String?>.size * 4) {
            let p = Principal(accessKeyId: "ASIA\(i)")
            #expect(cache.value(p, compute) == "ASIA\(i)")
        }
    }
}

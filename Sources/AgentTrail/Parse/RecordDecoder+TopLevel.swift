extension RecordDecoder {
    /// The record's top-level pass (`JSONScan.forEachMember` with `RecordFields.assign`, same checks, same errors)
    /// that reads a `userIdentity` object's fields on the way instead of skipping it and scanning it again later.
    ///
    /// The object is scanned with the record's end as the bound; when that scan succeeds it ends where
    /// `JSONScan.skipValue` would (every bracket and string inside was matched) and read no byte past it, so its
    /// fields equal a scan of the value's span. When it fails, the value is skipped as usual and `identity` is left
    /// nil for the caller to scan the span (so a malformed `userIdentity` is reported exactly as before). A repeated
    /// key: the last one counts, as in `RecordFields.assign`. Other object and array values are jumped over using
    /// `spans` (recorded by the splitter; exact, see `ContainerSpans`) when given and usable, else skipped by
    /// `JSONScan.skipValue`. Throws `JSONScan.Failure`.
    ///
    /// With `memo`, a `userIdentity` object whose bytes were seen before is not scanned again (see `IdentityMemo`);
    /// `memoID` is then its memo id (else -1).
    static func scanTopLevel(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int, _ f: inout RecordFields,
                             _ identity: inout IdentityScan?, _ spans: ContainerSpans? = nil,
                             memo: IdentityMemo? = nil, memoID: inout Int) throws -> Int {
        typealias Failure = JSONScan.Failure
        var i = JSONScan.skipSpace(p, from, n)
        guard i < n, p[i] == 0x7B else { throw Failure(offset: i, reason: "expected an object") }
        i = JSONScan.skipSpace(p, i &+ 1, n)
        if i < n && p[i] == 0x7D { return i &+ 1 }
        while true {
            guard i < n, p[i] == JSONScan.quote else { throw Failure(offset: i, reason: "expected a key string") }
            let ks = i &+ 1
            var j = ks
            var ke = -1
            while true {
                let s = JSONScan.findStringStop(p, j, n, extra: JSONScan.quote)
                if s >= n { throw Failure(offset: i, reason: "unterminated key string") }
                if p[s] == JSONScan.quote { ke = s; break }
                j = s &+ 2
            }
            i = JSONScan.skipSpace(p, ke &+ 1, n)
            guard i < n, p[i] == 0x3A else { throw Failure(offset: i, reason: "expected ':' after key") }
            i = JSONScan.skipSpace(p, i &+ 1, n)
            var valueEnd: Int?
            if ke &- ks == 12 && JSONScan.equals(p, ks, ke, "userIdentity" as StaticString) {
                identity = nil
                memoID = -1
                if i < n && p[i] == 0x7B {
                    if let memo, let hit = memo.lookup(p, i, n) {
                        identity = IdentityScan(fields: memo.fields(hit.id, at: i))
                        valueEnd = i &+ hit.length
                        memoID = hit.id
                    } else {
                        var fields = IdentityFields()
                        var end = 0
                        if (try? fields.scan(p, i, n, end: &end)) != nil {
                            identity = IdentityScan(fields: fields)
                            valueEnd = end
                            if let memo { memoID = memo.insert(p, i, end, n, fields) }
                        }
                    }
                }
            }
            if valueEnd == nil, let spans, i < n, p[i] == 0x7B || p[i] == 0x5B,
               let e = spans.end(startingAt: i), e <= n {
                valueEnd = e
            }
            guard let ve = valueEnd ?? JSONScan.skipValue(p, i, n) else {
                throw Failure(offset: i, reason: "malformed value")
            }
            f.assign(p, ks, ke, i, ve)
            i = JSONScan.skipSpace(p, ve, n)
            guard i < n else { throw Failure(offset: i, reason: "object does not close") }
            if p[i] == 0x2C {
                i = JSONScan.skipSpace(p, i &+ 1, n)
                continue
            }
            if p[i] == 0x7D { return i &+ 1 }
            throw Failure(offset: i, reason: "expected ',' or '}' in object")
        }
    }
}

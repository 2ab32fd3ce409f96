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
                             memo: Unmanaged<IdentityMemo>? = nil, memoID: inout Int) throws -> Int {
        // The one member loop (`JSONScan.scanMembers`); `userIdentity` is scanned in place (or found in the memo),
        // other containers end where the splitter's spans say when it recorded them.
        try JSONScan.scanMembers(p, from, n) { ks, ke, escaped, i in
            if escaped { f.hasEscapedKey = true }
            var valueEnd: Int?
            if ke &- ks == 12 && JSONScan.equals(p, ks, ke, "userIdentity" as StaticString) {
                // (`identity` written once: set to nil first and then to the fields, the 209-byte value was copied three
                // times a record.)
                memoID = -1
                if i < n && p[i] == 0x7B {
                    if let memo, let hit = memo._withUnsafeGuaranteedRef({ $0.lookup(p, i, n) }) {
                        identity = IdentityScan(fields: memo._withUnsafeGuaranteedRef { $0.fields(hit.id, at: i) })
                        valueEnd = i &+ hit.length
                        memoID = hit.id
                    } else {
                        var fields = IdentityFields()
                        var end = 0
                        if (try? fields.scan(p, i, n, end: &end)) != nil {
                            identity = IdentityScan(fields: fields)
                            valueEnd = end
                            if let memo { memoID = memo._withUnsafeGuaranteedRef { $0.insert(p, i, end, n, fields) } }
                        }
                    }
                }
                if valueEnd == nil { identity = nil }
            }
            if valueEnd == nil, let spans, i < n, p[i] == 0x7B || p[i] == 0x5B,
               let e = spans.end(startingAt: i), e <= n {
                valueEnd = e
            }
            let ve = try valueEnd ?? JSONScan.valueEnd(p, i, n)
            f.assign(p, ks, ke, i, ve)
            return ve
        }!  // (the visitor never stops early)
    }
}

import Testing
@testable import AgentTrail

/// `RecordStream.Options.rawPrefilter`: checked on each record's bytes before decoding.
@Suite struct QueryRawPrefilterTests {
    static let input = "{\"Records\":[" + [
        QuerySupport.record(id: "k1"), QuerySupport.record(id: "k2", ip: "198.51.100.1"), "{\"broken\":", QuerySupport.record(id: "k3"),
    ].joined(separator: ",") + "]}"

    @Test func rejectedRecordsAreCountedAsFilteredAndNeverDecoded() {
        var opts = RecordStream.Options(keepRaw: true)
        opts.rawPrefilter = { bytes in ByteSearch.contains(bytes, Array("198.51.100.1".utf8)) }
        var stream = RecordStream(opts)
        var ids: [String] = []
        stream.feed(Array(Self.input.utf8)) { r, _ in ids.append(r.eventID ?? "") }
        stream.finish()
        #expect(ids == ["k2"])
        #expect(stream.counts.decoded == 1)
        // The broken slot is swallowed by the splitter as part of a record or rejected by the raw prefilter: never decoded.
        #expect(stream.counts.decoded + stream.counts.filtered + stream.counts.malformed == stream.counts.elements)
    }

    @Test func noRawPrefilterDecodesEverything() {
        var stream = RecordStream(RecordStream.Options())
        var n = 0
        stream.feed(Array(Self.input.utf8)) { _, _ in n += 1 }
        stream.finish()
        #expect(stream.counts.filtered == 0)
        #expect(n >= 2)
    }
}

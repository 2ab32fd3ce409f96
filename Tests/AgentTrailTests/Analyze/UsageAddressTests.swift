import Testing
@testable import AgentTrail

/// The usage model keeps, per principal and action, the smallest `ipCap` source addresses (as text) of successful
/// calls. It skips addresses it was offered before without formatting and hashing them again; whatever the order,
/// repetition and number of addresses (beyond both caps), the kept set is the reference one.
@Suite struct UsageAddressTests {
    private typealias F = TrailFixture

    @Test(arguments: [3, 19, 25, 80])
    func keptAddressesAreTheSmallestOffered(distinct: Int) {
        var state: UInt64 = UInt64(distinct) &* 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let acc = UsageAccumulator()
        var offered = Set<String>()
        for i in 0..<1_500 {
            let n = next() % distinct
            let ip = n % 2 == 0 ? "10.0.\(n / 256).\(n % 256)" : "2600:1f18::\(String(n, radix: 16))"
            let failed = i % 11 == 0  // (failed calls offer nothing)
            let r = F.rec("s3.amazonaws.com", "GetObject", role: "AppRole", error: failed ? "AccessDenied" : nil, ip: ip)
            if !failed { offered.insert(SourceAddress(ip).description) }
            acc.observe(ObservedRecord(record: r, file: "f.json", index: i))
        }
        let usage = acc.usage.values.first?[IAMAction(prefix: "s3", name: "GetObject")]
        #expect(usage?.sourceIPs == Set(offered.sorted().prefix(ActionUsage.ipCap)))
    }
}

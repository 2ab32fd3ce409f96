import Foundation
import Testing
@testable import AgentTrail

/// `AWSAddressRanges` read from both formats it accepts (AWS's `ip-ranges.json`, the shipped reduction), checked
/// against a reading by `JSONSerialization` written here (the loader's reference: the same rule, another parser).
@Suite("AWS address ranges")
struct AWSAddressRangesTests {
    /// Network → (service, region) by the loader's rule: a prefix listed for several services keeps any label but
    /// `AMAZON` over `AMAZON`, the first one met otherwise. Read with `JSONSerialization`.
    static func reference(_ data: Data) throws -> [String: (String, String)] {
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var best: [CIDR: (String, String)] = [:]
        func add(_ text: String?, _ region: String?, _ service: String?) {
            guard let text, let cidr = CIDR(text) else { return }
            let service = service ?? "AMAZON"
            if let old = best[cidr], old.0 != "AMAZON" || service == "AMAZON" { return }
            best[cidr] = (service, region ?? "")
        }
        for (list, key) in [("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")] {
            for p in root[list] as? [[String: Any]] ?? [] { add(p[key] as? String, p["region"] as? String, p["service"] as? String) }
        }
        for family in ["ipv4", "ipv6"] {
            for (label, regions) in root[family] as? [String: Any] ?? [:] {
                for (region, list) in regions as? [String: Any] ?? [:] {
                    for text in list as? [String] ?? [] { add(text, region, label) }
                }
            }
        }
        return Dictionary(uniqueKeysWithValues: best.map { ($0.key.description, $0.value) })
    }

    static func shippedData() throws -> Data {
        try Data(contentsOf: try #require(BundledResources.url("aws-ip-ranges", "json")))
    }

    /// The shipped snapshot: every network of the reference with its label and region, in address order.
    @Test func shippedSnapshotAgreesWithTheReference() throws {
        let data = try Self.shippedData()
        let ranges = try AWSAddressRanges(jsonData: data)
        let expected = try Self.reference(data)
        #expect(ranges.prefixes.count == expected.count)
        #expect(ranges.prefixes.count > 1000, "the shipped snapshot has thousands of prefixes")
        for p in ranges.prefixes {
            let e = expected[p.cidr.description]
            #expect(e?.0 == p.service && e?.1 == p.region, "\(p.cidr)")
        }
        #expect(zip(ranges.prefixes, ranges.prefixes.dropFirst()).allSatisfy { AWSAddressRanges.sorts($0.cidr, before: $1.cidr) })
        #expect(ranges.createDate != nil && ranges.source != nil)
        #expect(ranges.prefixes == AWSAddressRanges.shipped.prefixes)
        #expect(ranges.prefixCount == ranges.prefixes.count)
        // Lookups against a brute-force search of the reference: the longest network containing the address, for
        // the first address of every 15th network (nested networks included) and addresses just outside.
        let networks = expected.keys.compactMap { CIDR($0) }
        func longest(_ ip: IPAddress) -> String? {
            networks.filter { $0.contains(ip) }.max { $0.prefixLength < $1.prefixLength }?.description
        }
        for (k, p) in ranges.prefixes.enumerated() where k % 15 == 0 {
            for ip in [p.cidr.address, Self.before(p.cidr.address)] {
                #expect(ranges.prefix(containing: ip)?.cidr.description == longest(ip), "\(ip)")
            }
        }
    }

    /// The address just below `ip` (wrapping at zero).
    static func before(_ ip: IPAddress) -> IPAddress {
        switch ip {
        case .v4(let v): return .v4(v &- 1)
        case .v6(let hi, let lo): return lo == 0 ? .v6(hi &- 1, .max) : .v6(hi, lo - 1)
        }
    }

    /// AWS's own format: repeated prefixes keep their first specific label, the most specific prefix answers, malformed
    /// prefixes are skipped, `source` may be a string; anything but an object is an error.
    @Test(arguments: [
        ("3.80.0.1", "EC2 us-east-1 3.80.0.0/12"),
        ("3.95.255.255", "EC2 us-east-1 3.80.0.0/12"),
        ("3.96.0.1", "AMAZON us-east-1 3.0.0.0/9"),
        ("3.128.0.1", nil),
        ("2600:1f00::1", "S3 eu-west-1 2600:1f00::/24"),
        ("2600:1e00::1", "AMAZON GLOBAL 2600::/12"),
        ("10.0.0.1", nil),
    ] as [(String, String?)])
    func awsFormat(_ address: String, _ expected: String?) throws {
        let json = #"""
        {"syncToken":"1","createDate":"2026-11-20-00-00-00","source":"test",
         "prefixes":[{"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"AMAZON"},
                     {"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"EC2"},
                     {"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"AMAZON"},
                     {"ip_prefix":"3.80.0.0/12","region":"us-east-1","service":"ROUTE53"},
                     {"ip_prefix":"3.0.0.0/9","region":"us-east-1","service":"AMAZON"},
                     {"ip_prefix":"not a prefix","region":"us-east-1","service":"EC2"},
                     {"region":"us-east-1","service":"EC2"}],
         "ipv6_prefixes":[{"ipv6_prefix":"2600:1f00::/24","region":"eu-west-1","service":"S3"},
                          {"ipv6_prefix":"2600::/12","region":"GLOBAL","service":"AMAZON"}]}
        """#
        let data = Data(json.utf8)
        let ranges = try AWSAddressRanges(jsonData: data)
        #expect(ranges.prefixes.count == 4)
        #expect(ranges.prefixes.count == (try Self.reference(data)).count)
        #expect(ranges.createDate == "2026-11-20-00-00-00" && ranges.source == "test")
        let ip = try #require(IPAddress(address))
        #expect(ranges.prefix(containing: ip).map { "\($0.service) \($0.region) \($0.cidr)" } == expected)
        #expect(ranges.prefixes.map(\.cidr.description) == ["3.0.0.0/9", "3.80.0.0/12", "2600::/12", "2600:1f00::/24"])
    }

    @Test(arguments: [#"[]"#, #""ranges""#, #"{"prefixes": "#, "", #"{"createDate":"x"} {}"#, #"{"prefixes":[{"ip_prefix":"3.0.0.0/8"}"#])
    func notAnObject(_ text: String) {
        #expect(throws: (any Error).self) { try AWSAddressRanges(jsonData: Data(text.utf8)) }
    }
}

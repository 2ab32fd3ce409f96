import Foundation

/// Whether an address belongs to AWS, from a dated snapshot of AWS's published `ip-ranges.json` (AWS doc "AWS IP
/// address ranges": `syncToken`, `createDate`, `prefixes[]` with `ip_prefix`, `region`, `service`, and
/// `ipv6_prefixes[]` with `ipv6_prefix`). AWS-owned addresses are where AgentCore runtimes, NAT gateways and every
/// other AWS workload egress from, so they say "inside AWS", never "inside this account".
///
/// Loaded once per process from the bundled `aws-ip-ranges.json` (refreshed by `Scripts/refresh-aws-ip-ranges` from a
/// pinned registry package that carries AWS's file: its `createDate` is printed in every finding that relies on it);
/// when it is missing, `shipped` is an empty snapshot whose `isAvailable` is false and findings say so.
public struct AWSAddressRanges: Sendable {
    /// One published prefix.
    public struct Prefix: Sendable, Hashable {
        public var cidr: CIDR
        public var region: String
        /// The most specific service label AWS gives the prefix (`EC2`, `CLOUDFRONT`, ...; `AMAZON` otherwise).
        public var service: String
    }

    /// Every published prefix by its network, and the prefix lengths in use per family (longest first).
    private var byNetwork: [CIDR: Prefix] = [:]
    private var v4Lengths: [Int] = []
    private var v6Lengths: [Int] = []
    /// Every published prefix (the most specific label of each network), IPv4 first, by address.
    public private(set) var prefixes: [Prefix] = []
    /// `createDate` of the AWS data (`2026-11-20-18-13-05`), or nil when unavailable.
    public private(set) var createDate: String?
    /// Where the snapshot came from (package and version), as the resource records it.
    public private(set) var source: String?

    public var isAvailable: Bool { !prefixes.isEmpty }

    /// An empty snapshot.
    public init() {}

    /// Parses AWS's format or the shipped reduction (any extra keys are ignored; `source` is read when present).
    public init(jsonData data: Data) throws {
        // (Read by `PolicyJSON`'s plain reader, not `JSONSerialization` and a cast per value: a fifth of the
        // load; the prefixes sorted by address, not by their text made for the purpose: a third more.)
        guard case .object(let root) = try PolicyJSON.parse(data) else {
            throw LoadError(message: "not a JSON object")
        }
        createDate = root["createDate"]?.stringValue
        if case .object(let s) = root["source"], let package = s["package"]?.stringValue {
            source = "\(package) \(s["version"]?.stringValue ?? "") (\(s["registry"]?.stringValue ?? "registry"))"
        } else {
            source = root["source"]?.stringValue
        }
        var best: [CIDR: Prefix] = [:]
        best.reserveCapacity(8192)
        func add(_ text: String?, _ region: String?, _ service: String?) {
            guard let text, let cidr = CIDR(text) else { return }
            let region = region ?? ""
            let service = service ?? "AMAZON"
            // A prefix is listed once per service; keep the most specific label (anything but AMAZON).
            if let old = best[cidr], old.service != "AMAZON" || service == "AMAZON" { return }
            best[cidr] = Prefix(cidr: cidr, region: region, service: service)
        }
        for (list, key) in [("prefixes", "ip_prefix"), ("ipv6_prefixes", "ipv6_prefix")] {
            for p in root[list]?.arrayValue ?? [] {
                add(p[key]?.stringValue, p["region"]?.stringValue, p["service"]?.stringValue)
            }
        }
        // The shipped reduction (`Scripts/refresh-aws-ip-ranges`): {"ipv4"|"ipv6": {label: {region: [cidr]}}}.
        for family in ["ipv4", "ipv6"] {
            for (label, regions) in root[family]?.objectValue ?? [:] {
                for (region, list) in regions.objectValue ?? [:] {
                    for text in list.arrayValue ?? [] { add(text.stringValue, region, label) }
                }
            }
        }
        // IPv4 first, then by address and prefix length: one order for any dictionary order.
        prefixes = best.values.sorted { AWSAddressRanges.sorts($0.cidr, before: $1.cidr) }
        byNetwork = best
        v4Lengths = Set(prefixes.filter { $0.cidr.address.isV4 }.map(\.cidr.prefixLength)).sorted(by: >)
        v6Lengths = Set(prefixes.filter { !$0.cidr.address.isV4 }.map(\.cidr.prefixLength)).sorted(by: >)
    }

    /// IPv4 networks before IPv6 ones, then by address, then shorter prefixes first.
    static func sorts(_ a: CIDR, before b: CIDR) -> Bool {
        switch (a.address, b.address) {
        case (.v4(let x), .v4(let y)) where x != y: return x < y
        case (.v6(let h1, let l1), .v6(let h2, let l2)) where h1 != h2 || l1 != l2: return h1 != h2 ? h1 < h2 : l1 < l2
        case (.v4, .v6): return true
        case (.v6, .v4): return false
        default: return a.prefixLength < b.prefixLength
        }
    }

    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }

    /// The most specific published prefix containing `ip`, or nil when AWS does not publish it (one hash lookup per
    /// prefix length in use).
    public func prefix(containing ip: IPAddress) -> Prefix? {
        for len in ip.isV4 ? v4Lengths : v6Lengths {
            if let p = byNetwork[CIDR(address: ip, prefixLength: len)] { return p }
        }
        return nil
    }

    /// "AWS EC2 us-east-1 (3.80.0.0/12, ip-ranges.json of 2026-11-20-18-13-05)".
    public func describe(_ p: Prefix) -> String {
        "AWS \(p.service) \(p.region) (\(p.cidr), ip-ranges.json of \(createDate ?? "unknown date"))"
    }

    /// The bundled snapshot (loaded once); empty when the resource is missing or unreadable.
    public static let shipped: AWSAddressRanges = {
        guard let url = BundledResources.url("aws-ip-ranges", "json"),
              let data = try? Data(contentsOf: url), let ranges = try? AWSAddressRanges(jsonData: data)
        else { return AWSAddressRanges() }
        return ranges
    }()
}

extension IPAddress {
    /// A private, shared or local address (RFC 1918, RFC 6598 CGNAT, loopback, link-local, IPv6 ULA and
    /// link-local): not routable on the internet, so CloudTrail records it only for calls made inside a VPC
    /// through a VPC endpoint (AWS doc "Logging API calls ... using AWS CloudTrail": VPC endpoint calls carry the
    /// caller's private address).
    public var isPrivateOrLocal: Bool {
        switch self {
        case .v4(let a):
            let b0 = a >> 24, b1 = (a >> 16) & 0xFF
            if b0 == 10 || b0 == 127 { return true }
            if b0 == 172 && (16...31).contains(b1) { return true }
            if b0 == 192 && b1 == 168 { return true }
            if b0 == 169 && b1 == 254 { return true }
            if b0 == 100 && (64...127).contains(b1) { return true }
            return false
        case .v6(let hi, let lo):
            if hi == 0 && lo == 1 { return true }
            let top = hi >> 56
            if top == 0xFC || top == 0xFD { return true }
            if hi >> 54 == 0x3FA { return true }  // fe80::/10
            return false
        }
    }
}

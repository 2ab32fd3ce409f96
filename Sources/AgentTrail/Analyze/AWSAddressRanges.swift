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
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw LoadError(message: "not a JSON object")
        }
        createDate = root["createDate"] as? String
        if let s = root["source"] as? [String: Any], let package = s["package"] as? String {
            source = "\(package) \(s["version"] as? String ?? "") (\(s["registry"] as? String ?? "registry"))"
        } else {
            source = root["source"] as? String
        }
        var best: [CIDR: Prefix] = [:]
        func add(_ text: String?, _ region: Any?, _ service: Any?) {
            guard let text, let cidr = CIDR(text) else { return }
            let region = region as? String ?? ""
            let service = service as? String ?? "AMAZON"
            // A prefix is listed once per service; keep the most specific label (anything but AMAZON).
            if let old = best[cidr], old.service != "AMAZON" || service == "AMAZON" { return }
            best[cidr] = Prefix(cidr: cidr, region: region, service: service)
        }
        for p in root["prefixes"] as? [[String: Any]] ?? [] { add(p["ip_prefix"] as? String, p["region"], p["service"]) }
        for p in root["ipv6_prefixes"] as? [[String: Any]] ?? [] { add(p["ipv6_prefix"] as? String, p["region"], p["service"]) }
        // The shipped reduction (`Scripts/refresh-aws-ip-ranges`): {"ipv4"|"ipv6": {label: {region: [cidr]}}}.
        for family in ["ipv4", "ipv6"] {
            for (label, regions) in root[family] as? [String: Any] ?? [:] {
                for (region, list) in regions as? [String: Any] ?? [:] {
                    for text in list as? [String] ?? [] { add(text, region, label) }
                }
            }
        }
        // (The same order as sorting by the CIDR text, with each text made once: made in the comparison, it was a
        // fifth of a small scan's instructions.)
        prefixes = best.values.map { ($0, $0.cidr.description) }.sorted { $0.1 < $1.1 }.map(\.0)
        byNetwork = best
        v4Lengths = Set(prefixes.filter { $0.cidr.address.isV4 }.map(\.cidr.prefixLength)).sorted(by: >)
        v6Lengths = Set(prefixes.filter { !$0.cidr.address.isV4 }.map(\.cidr.prefixLength)).sorted(by: >)
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

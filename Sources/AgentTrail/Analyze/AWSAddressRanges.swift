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

    /// Every published network once, IPv4 first, by address then prefix length, each with its label's index in
    /// `labels`: ~16 bytes a prefix, found by binary search per prefix length in use (a dictionary of `Prefix`
    /// values held ~1 MB through every scan, and its load a transient tree of the file).
    private var networks: [(cidr: CIDR, label: UInt32)] = []
    /// (service, region) pairs, each once.
    private var labels: [(service: String, region: String)] = []
    /// The prefix lengths in use per family, longest first.
    private var v4Lengths: [Int] = []
    private var v6Lengths: [Int] = []
    /// `createDate` of the AWS data (`2026-11-20-18-13-05`), or nil when unavailable.
    public private(set) var createDate: String?
    /// Where the snapshot came from (package and version), as the resource records it.
    public private(set) var source: String?

    /// Every published prefix (the most specific label of each network), IPv4 first, by address (made on each call).
    public var prefixes: [Prefix] { networks.map { prefix($0) } }
    /// How many prefixes `prefixes` has.
    public var prefixCount: Int { networks.count }
    public var isAvailable: Bool { !networks.isEmpty }

    /// An empty snapshot.
    public init() {}

    /// Parses AWS's format or the shipped reduction (any extra keys are ignored; `source` is read when present).
    public init(jsonData data: Data) throws {
        // (Read in place with `JSONScan`: no tree of the file is built.)
        var found: [(cidr: CIDR, label: UInt32, order: Int)] = []
        var labels: [(service: String, region: String)] = []
        var labelIndex: [String: [String: UInt32]] = [:]  // service → region → index
        var createDate: String?, source: String?
        do {
            try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws in
                guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
                    throw LoadError(message: "not a JSON object")
                }
                let n = raw.count
                func text(_ s: Int, _ e: Int) -> String? {
                    base[s] == JSONScan.quote ? SpanValue.string(base, ByteSpan(start: s, end: e)) : nil
                }
                func add(_ cidrText: String?, _ region: String?, _ service: String?) {
                    guard let cidrText, let cidr = CIDR(cidrText) else { return }
                    let service = service ?? "AMAZON", region = region ?? ""
                    let label: UInt32
                    if let known = labelIndex[service]?[region] {
                        label = known
                    } else {
                        label = UInt32(labels.count)
                        labels.append((service, region))
                        labelIndex[service, default: [:]][region] = label
                    }
                    found.append((cidr, label, found.count))
                }
                let start = JSONScan.skipSpace(base, 0, n)
                guard start < n, base[start] == 0x7B else { throw LoadError(message: "not a JSON object") }
                let end = try JSONScan.forEachMember(base, start, n) { ks, ke, _, vs, ve in
                    if JSONScan.equals(base, ks, ke, "createDate") {
                        createDate = text(vs, ve)
                    } else if JSONScan.equals(base, ks, ke, "source") {
                        if base[vs] == 0x7B {
                            var package: String?, version: String?, registry: String?
                            try JSONScan.forEachMember(base, vs, n) { ks, ke, _, vs, ve in
                                if JSONScan.equals(base, ks, ke, "package") { package = text(vs, ve) }
                                if JSONScan.equals(base, ks, ke, "version") { version = text(vs, ve) }
                                if JSONScan.equals(base, ks, ke, "registry") { registry = text(vs, ve) }
                                return true
                            }
                            source = package.map { "\($0) \(version ?? "") (\(registry ?? "registry"))" }
                        } else {
                            source = text(vs, ve)
                        }
                    } else if JSONScan.equals(base, ks, ke, "prefixes") || JSONScan.equals(base, ks, ke, "ipv6_prefixes") {
                        guard base[vs] == 0x5B else { return true }
                        let v6 = JSONScan.equals(base, ks, ke, "ipv6_prefixes")
                        try JSONScan.forEachElement(base, vs, n) { es, _ in
                            guard base[es] == 0x7B else { return true }
                            var cidr: String?, region: String?, service: String?
                            try JSONScan.forEachMember(base, es, n) { ks, ke, _, vs, ve in
                                if v6 ? JSONScan.equals(base, ks, ke, "ipv6_prefix") : JSONScan.equals(base, ks, ke, "ip_prefix") {
                                    cidr = text(vs, ve)
                                } else if JSONScan.equals(base, ks, ke, "region") {
                                    region = text(vs, ve)
                                } else if JSONScan.equals(base, ks, ke, "service") {
                                    service = text(vs, ve)
                                }
                                return true
                            }
                            add(cidr, region, service)
                            return true
                        }
                    } else if JSONScan.equals(base, ks, ke, "ipv4") || JSONScan.equals(base, ks, ke, "ipv6") {
                        // The shipped reduction (`Scripts/refresh-aws-ip-ranges`): {"ipv4"|"ipv6": {label: {region: [cidr]}}}.
                        guard base[vs] == 0x7B else { return true }
                        // (Keys exclude their quotes: `text` reads them with the quotes, escapes undone.)
                        try JSONScan.forEachMember(base, vs, n) { ls, le, _, labelStart, _ in
                            guard base[labelStart] == 0x7B else { return true }
                            let label = text(ls - 1, le + 1)
                            try JSONScan.forEachMember(base, labelStart, n) { rs, re, _, listStart, _ in
                                guard base[listStart] == 0x5B else { return true }
                                let region = text(rs - 1, re + 1)
                                try JSONScan.forEachElement(base, listStart, n) { es, ee in
                                    add(text(es, ee), region, label)
                                    return true
                                }
                                return true
                            }
                            return true
                        }
                    }
                    return true
                }
                guard let end, JSONScan.skipSpace(base, end, n) == n else {
                    throw LoadError(message: "text after the JSON object")
                }
            }
        } catch let e as LoadError {
            throw e
        } catch {
            throw LoadError(message: "malformed JSON: \(error)")
        }
        (self.createDate, self.source, self.labels) = (createDate, source, labels)
        // A network listed for several services keeps the first label that is not AMAZON, else the first one.
        found.sort { a, b in
            a.cidr == b.cidr ? a.order < b.order : AWSAddressRanges.sorts(a.cidr, before: b.cidr)
        }
        var i = 0
        networks.reserveCapacity(found.count)
        while i < found.count {
            var j = i, chosen = found[i].label
            var specific = labels[Int(chosen)].service != "AMAZON"
            while j + 1 < found.count, found[j + 1].cidr == found[i].cidr {
                j += 1
                if !specific, labels[Int(found[j].label)].service != "AMAZON" { chosen = found[j].label; specific = true }
            }
            networks.append((found[i].cidr, chosen))
            i = j + 1
        }
        v4Lengths = Set(networks.filter { $0.cidr.address.isV4 }.map(\.cidr.prefixLength)).sorted(by: >)
        v6Lengths = Set(networks.filter { !$0.cidr.address.isV4 }.map(\.cidr.prefixLength)).sorted(by: >)
    }

    private func prefix(_ n: (cidr: CIDR, label: UInt32)) -> Prefix {
        let l = labels[Int(n.label)]
        return Prefix(cidr: n.cidr, region: l.region, service: l.service)
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

    /// The most specific published prefix containing `ip`, or nil when AWS does not publish it (one binary search
    /// per prefix length in use).
    public func prefix(containing ip: IPAddress) -> Prefix? {
        for len in ip.isV4 ? v4Lengths : v6Lengths {
            let net = CIDR(address: ip, prefixLength: len)
            var lo = 0, hi = networks.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if AWSAddressRanges.sorts(networks[mid].cidr, before: net) { lo = mid + 1 } else { hi = mid }
            }
            if lo < networks.count, networks[lo].cidr == net { return prefix(networks[lo]) }
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

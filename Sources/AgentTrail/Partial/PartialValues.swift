/// How the value types of accumulator state are written in a partial result: compact (arrays rather than keyed
/// objects for the small, numerous values: times, evidence references, tallies) and exact (times in milliseconds,
/// hashes recomputed when read, never written: a `HashedString`'s hash is seeded per process).

extension Instant: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(millisecondsSince1970: try decoder.singleValueContainer().decode(Int64.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(millisecondsSince1970)
    }
}

extension HashedString: Codable {
    public init(from decoder: any Decoder) throws { self.init(try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(string)
    }
}

extension ActionTally.Action: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(eventSource: try c.decode(String.self), eventName: try c.decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(eventSource)
        try c.encode(eventName)
    }
}

extension EvidenceRef: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(eventID: try c.decode(String?.self), file: try c.decode(String.self), index: try c.decode(Int.self),
                  time: try c.decode(Instant?.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(eventID)
        try c.encode(file)
        try c.encode(index)
        try c.encode(time)
    }
}

extension Evidence: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init()
        total = try c.decode(Int.self)
        items = try c.decode([EvidenceRef].self)
        guard items.count <= Evidence.cap, items.count <= total else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "evidence list longer than its total or cap")
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(total)
        try c.encode(items)
    }
}

extension Tally: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init()
        count = try c.decode(Int.self)
        firstSeen = try c.decode(Instant?.self)
        lastSeen = try c.decode(Instant?.self)
        evidence = try c.decode(Evidence.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(count)
        try c.encode(firstSeen)
        try c.encode(lastSeen)
        try c.encode(evidence)
    }
}

extension ActionTally: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init()
        tally = try c.decode(Tally.self)
        actions = try c.decode([Action: Int].self)
        successfulWrites = try c.decode(Int.self)
        successfulInvocations = try c.decode(Int.self)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(tally)
        try c.encode(actions)
        try c.encode(successfulWrites)
        try c.encode(successfulInvocations)
    }
}

extension BucketExtremes: Codable {
    init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(try c.decode(EvidenceRef.self))
        last = try c.decode(EvidenceRef.self)
        count = try c.decode(Int.self)
    }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(first)
        try c.encode(last)
        try c.encode(count)
    }
}

extension FirstSeenMap: Codable where Key: Codable {
    public init(from decoder: any Decoder) throws {
        self.init()
        for (k, t) in try decoder.singleValueContainer().decode([Key: Instant].self) { note(k, t) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(values)
    }
}

extension IPAddress: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        switch try c.decode(Int.self) {
        case 4: self = .v4(try c.decode(UInt32.self))
        case 6: self = .v6(try c.decode(UInt64.self), try c.decode(UInt64.self))
        default: throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an IP version")
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        switch self {
        case .v4(let a): try c.encode(4); try c.encode(a)
        case .v6(let hi, let lo): try c.encode(6); try c.encode(hi); try c.encode(lo)
        }
    }
}

extension IAMAction: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(prefix: try c.decode(String.self), name: try c.decode(String.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(prefix)
        try c.encode(name)
    }
}

extension CredentialIssuance.Issuer: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        switch try c.decode(String.self) {
        case "agentCore": self = .agentCore
        case "service": self = .service(try c.decode(String.self))
        case "identity": self = .identity(try c.decode(String.self))
        default: throw DecodingError.dataCorruptedError(in: c, debugDescription: "not an issuer kind")
        }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        switch self {
        case .agentCore: try c.encode("agentCore")
        case .service(let s): try c.encode("service"); try c.encode(s)
        case .identity(let i): try c.encode("identity"); try c.encode(i)
        }
    }
}

extension CredentialIssuance: Codable {
    private enum CodingKeys: String, CodingKey { case role, issuer, eventName, sessionName, sourceIdentity, sourceIP, evidence }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(role: try c.decode(String.self, forKey: .role), issuer: try c.decode(Issuer.self, forKey: .issuer),
                  eventName: try c.decode(String.self, forKey: .eventName),
                  sessionName: try c.decodeIfPresent(String.self, forKey: .sessionName),
                  sourceIdentity: try c.decodeIfPresent(String.self, forKey: .sourceIdentity),
                  sourceIP: try c.decodeIfPresent(String.self, forKey: .sourceIP),
                  evidence: try c.decode(EvidenceRef.self, forKey: .evidence))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(role, forKey: .role)
        try c.encode(issuer, forKey: .issuer)
        try c.encode(eventName, forKey: .eventName)
        try c.encodeIfPresent(sessionName, forKey: .sessionName)
        try c.encodeIfPresent(sourceIdentity, forKey: .sourceIdentity)
        try c.encodeIfPresent(sourceIP, forKey: .sourceIP)
        try c.encode(evidence, forKey: .evidence)
    }
}

extension ProvenanceTable: Codable {
    public init(from decoder: any Decoder) throws {
        self.init()
        for (k, v) in try decoder.singleValueContainer().decode([String: CredentialIssuance].self) { add(k, v) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(byKey)
    }
}

extension ActionUsage: Codable {
    private enum CodingKeys: String, CodingKey { case successes, denied, otherErrors, firstUsed, lastUsed, resources, sourceIPs, activeDays }
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init()
        successes = try c.decode(Int.self, forKey: .successes)
        denied = try c.decode(Int.self, forKey: .denied)
        otherErrors = try c.decode(Int.self, forKey: .otherErrors)
        firstUsed = try c.decodeIfPresent(Instant.self, forKey: .firstUsed)
        lastUsed = try c.decodeIfPresent(Instant.self, forKey: .lastUsed)
        resources = try c.decode(Set<String>.self, forKey: .resources)
        sourceIPs = try c.decode(Set<String>.self, forKey: .sourceIPs)
        activeDays = try c.decode(Set<Int64>.self, forKey: .activeDays)
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(successes, forKey: .successes)
        try c.encode(denied, forKey: .denied)
        try c.encode(otherErrors, forKey: .otherErrors)
        try c.encodeIfPresent(firstUsed, forKey: .firstUsed)
        try c.encodeIfPresent(lastUsed, forKey: .lastUsed)
        try c.encode(resources, forKey: .resources)
        try c.encode(sourceIPs, forKey: .sourceIPs)
        try c.encode(activeDays, forKey: .activeDays)
    }
}

extension DailyCalls: Codable {
    public init(from decoder: any Decoder) throws {
        var c = try decoder.unkeyedContainer()
        self.init(succeeded: try c.decode(Int.self), denied: try c.decode(Int.self), failed: try c.decode(Int.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.unkeyedContainer()
        try c.encode(succeeded)
        try c.encode(denied)
        try c.encode(failed)
    }
}

/// Small classifications of calls shared by the baseline detectors.
public enum CallClassifier {
    /// Event names counted as model/agent invocations (`invocation-spike`).
    public static let invocationNames: Set<String> = Set([
        "InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream", "InvokeAgentRuntime",
    ]).union(mantleInvocationNames)

    /// bedrock-mantle inference events: the Responses, Chat Completions and Messages calls are all authorised as
    /// `bedrock-mantle:CreateInference` and logged under that name as data events (AWS doc "Monitor bedrock-mantle
    /// API calls using CloudTrail", https://docs.aws.amazon.com/bedrock/latest/userguide/logging-cloudtrail-mantle.html;
    /// its management-event tables use the IAM action names, e.g. `ListModels`, `CreateFineTuningJob`. The
    /// data-event name `CreateInference` is as third-party trail configurations quote it: verify on real logs).
    public static let mantleInvocationNames: Set<String> = ["CreateInference"]

    /// Name prefixes of mutating or invoking API calls, used when `readOnly` is missing.
    static let writePrefixes = [
        "Create", "Put", "Update", "Delete", "Invoke", "Converse", "Start", "Stop", "Attach", "Detach", "Modify",
        "Add", "Remove", "Set", "Tag", "Untag", "Enable", "Disable", "Accept", "Associate", "Disassociate",
        "Register", "Deregister", "Run", "Send", "Terminate", "Reset", "Restore", "Upload", "Import", "Copy",
        "Authorize", "Revoke", "Publish", "Replace", "Assume", "Pass",
    ]

    /// True for a Bedrock or AgentCore model/agent invocation (`InvokeModel`, `Converse`, `InvokeAgentRuntime`, ...).
    public static func isInvocation(_ record: CloudTrailRecord) -> Bool {
        (record.isBedrock || record.isAgentCore) && invocationNames.contains(record.eventName)
    }

    /// True for a call that changes something or invokes something: any `Invoke*`/`Converse*` call (Bedrock
    /// logs these with `readOnly: true`), a call with `readOnly: false`, or, when `readOnly` is missing,
    /// an event name with a mutating prefix (`Create`, `Put`, `Delete`, `Attach`, ...).
    public static func isWriteOrInvoke(_ record: CloudTrailRecord) -> Bool {
        isWriteOrInvoke(invokeName: isInvokeName(record.eventName), writeName: isWriteName(record.eventName),
                        readOnly: record.readOnly)
    }

    /// `isWriteOrInvoke` from its parts: what the event name says (`isInvokeName`, `isWriteName`) and `readOnly`.
    @inline(__always)
    static func isWriteOrInvoke(invokeName: Bool, writeName: Bool, readOnly: Bool?) -> Bool {
        if invokeName { return true }
        if let ro = readOnly { return !ro }
        return writeName
    }

    /// An `Invoke*`/`Converse*` event name.
    static func isInvokeName(_ name: String) -> Bool {
        StringBytes.hasPrefix(name, "Invoke") || StringBytes.hasPrefix(name, "Converse")
    }

    /// An event name with a mutating prefix (`Create`, `Put`, `Delete`, ...), for records without `readOnly`.
    static func isWriteName(_ name: String) -> Bool {
        writePrefixes.contains { name.hasPrefix($0) && hasWordBoundary(name, after: $0) }
    }

    /// `StartSession` yes, `Settings` no: the character after the prefix must start a new word.
    private static func hasWordBoundary(_ name: String, after prefix: String) -> Bool {
        guard name.count > prefix.count else { return true }
        let c = name[name.index(name.startIndex, offsetBy: prefix.count)]
        return c.isUppercase || c.isNumber
    }

    /// True when another AWS service made the call on the principal's behalf: `invokedBy` names a service other than
    /// AgentCore (whose runtime makes the agent's own calls) and `sourceIPAddress` is a service name, not an address
    /// (AWS doc "CloudTrail record contents": "For services in AWS, only the DNS name is displayed"). Such a denial is
    /// the service's, not an attempt of the principal's.
    @inline(__always) static func isMadeByServiceOnBehalf(_ r: CloudTrailRecord) -> Bool {
        guard let via = r.principal.invokedBy, via != AgentRoleDiscovery.servicePrincipal else { return false }
        if case .service(let name) = r.sourceAddress { return name.hasSuffix(".amazonaws.com") }
        return false
    }

    /// Global services that CloudTrail logs in `us-east-1` whatever the caller's region (not a region choice).
    static let globalServices: Set<String> = [
        "iam.amazonaws.com", "organizations.amazonaws.com", "cloudfront.amazonaws.com", "route53.amazonaws.com",
        "route53domains.amazonaws.com", "signin.amazonaws.com", "support.amazonaws.com", "health.amazonaws.com",
        "account.amazonaws.com", "ce.amazonaws.com", "globalaccelerator.amazonaws.com", "shield.amazonaws.com",
        "waf.amazonaws.com", "billingconsole.amazonaws.com",
    ]

    /// True when the record's region says where the caller chose to work (not a global service's home region).
    public static func isRegionChoice(_ record: CloudTrailRecord) -> Bool {
        isRegionChoice(record, isGlobalService: isGlobalService(record.eventSource))
    }

    /// `isRegionChoice` with `isGlobalService(record.eventSource)` already known.
    @inline(__always)
    static func isRegionChoice(_ record: CloudTrailRecord, isGlobalService: Bool) -> Bool {
        guard let r = record.awsRegion, !r.isEmpty else { return false }
        if isGlobalService { return false }
        if record.knownSource == .sts && r == "us-east-1" { return false }
        return true
    }

    /// True for a global service that logs in `us-east-1` whatever the caller's region.
    static func isGlobalService(_ eventSource: String) -> Bool { globalServices.contains(eventSource) }

    /// True when the principal is a human or workload identity worth baselining (not an AWS service,
    /// not an unidentified caller).
    @inline(__always)
    public static func isBaselinedPrincipal(_ event: ObservedRecord) -> Bool {
        event.flags.contains(.baselined)
    }

    /// `isBaselinedPrincipal` for a record whose principal key is `key`, made by an AWS service or not
    /// (`Principal.isAWSService`). (Not the whole record: passed out of line, it was copied for every record, see
    /// `ObservedRecord`.)
    @inline(__always)
    static func isBaselinedPrincipal(key: String, isAWSService: Bool) -> Bool {
        if StringBytes.equals(key, "unknown") || StringBytes.hasPrefix(key, "service:") { return false }
        return !isAWSService
    }
}

/// The earliest time each key was seen; merging keeps the minimum, so it is associative and order-independent.
public struct FirstSeenMap<Key: Hashable>: Sendable where Key: Sendable {
    public private(set) var values: [Key: Instant] = [:]
    /// For `HashedString` keys (principals, noted per record by several detectors): the keys noted lately with the
    /// time `values` holds for each, direct-mapped by the key's stored hash, so that a key noted again no earlier
    /// than its first time (most notes) is answered without a dictionary lookup. Exact: an entry is written with
    /// the time `values` holds for its key, and only `note` changes that time, writing the entry again.
    private var recentKeys: [Key] = []
    private var recentHashes: [Int] = []
    private var recentTimes: [Instant] = []
    private static var recentSize: Int { 64 }

    public init() {}

    /// Notes `key` seen at `time`; returns the earliest time now stored for it (nil when `time` is nil).
    @discardableResult
    @inline(__always)
    public mutating func note(_ key: Key, _ time: Instant?) -> Instant? {
        guard let time else { return nil }
        guard Key.self == HashedString.self else { return store(key, time) }
        let h = key.hashValue
        let slot = h & (Self.recentSize &- 1)
        if recentKeys.isEmpty {
            // (Filled with this key under a hash it does not have: no slot answers before it is written.)
            recentKeys = Array(repeating: key, count: Self.recentSize)
            recentHashes = Array(repeating: ~h, count: Self.recentSize)
            recentTimes = Array(repeating: time, count: Self.recentSize)
        } else if recentHashes[slot] == h, recentTimes[slot] <= time, recentKeys[slot] == key {
            return recentTimes[slot]
        }
        let stored = store(key, time)
        recentKeys[slot] = key
        recentHashes[slot] = h
        recentTimes[slot] = stored
        return stored
    }

    @inline(__always)
    private mutating func store(_ key: Key, _ time: Instant) -> Instant {
        if let t = values[key], t <= time { return t }
        values[key] = time
        return time
    }

    public mutating func merge(_ other: FirstSeenMap<Key>) {
        for (k, t) in other.values { note(k, t) }
    }

    public subscript(_ key: Key) -> Instant? { values[key] }
}

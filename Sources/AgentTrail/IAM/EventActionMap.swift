import Foundation

/// What IAM permission a CloudTrail event exercised.
public enum EventActions: Hashable, Sendable {
    /// The call needed these actions (several for "any of"/"all of" cases such as `kms:ReEncrypt*`,
    /// S3 `CopyObject`, DynamoDB `TransactWriteItems`).
    case actions([IAMAction])
    /// The event needs no IAM permission (`sts:GetCallerIdentity`, `sts:GetSessionToken`, console sign-in,
    /// service-generated `AwsServiceEvent` records, insight records).
    case noPermission
    /// The derived action (`prefix:Name`) is not in the catalogue; nothing is guessed.
    case unknown(String)
}

/// Maps CloudTrail events to the IAM actions they exercised.
///
/// Rule: prefix = `eventSourcePrefix[eventSource]` or the eventSource minus `.amazonaws.com`; name = eventName
/// without an API-version suffix (`GetFunction20150331v2` → `GetFunction`, `CreateDistribution2020_05_31` →
/// `CreateDistribution`); per-service overrides from `cloudtrail-to-iam-overrides.json` plus
/// `EventActionMap.extraOverrides` win; the result must exist in the catalogue, or the event is `.unknown`.
public struct EventActionMap: Sendable {
    /// The map built from the shipped overrides resource and `ActionCatalogue.shared`.
    public static let shared: EventActionMap = EventActionMap(catalogue: .shared, overridesData: EventActionMap.bundledOverrides())

    public let catalogue: ActionCatalogue
    /// Lowercased eventSource → IAM prefix.
    let sourcePrefix: [String: String]
    /// Lowercased eventSource → lowercased eventName → actions.
    let overrides: [String: [String: [IAMAction]]]
    /// Lowercased eventSource → lowercased eventNames needing no permission.
    let noPermission: [String: Set<String>]

    /// Builds a map from an overrides file (the `cloudtrail-to-iam-overrides.json` format) and a catalogue.
    /// Targets missing from the catalogue are kept (tests check they all exist).
    public init(catalogue: ActionCatalogue, overridesData: Data?) {
        self.catalogue = catalogue
        var prefixes = EventActionMap.extraSourcePrefixes
        var overrides = [String: [String: [IAMAction]]]()
        var none = [String: Set<String>]()
        let root = overridesData.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any] ?? [:]
        for (source, prefix) in root["eventSourcePrefix"] as? [String: String] ?? [:] { prefixes[source.lowercased()] = prefix }
        for (source, names) in root["eventNameOverrides"] as? [String: [String: [String]]] ?? [:] {
            for (name, targets) in names {
                overrides[source.lowercased(), default: [:]][name.lowercased()] = targets.compactMap { IAMAction($0) }
            }
        }
        for (source, names) in root["noPermissionNeeded"] as? [String: [String]] ?? [:] {
            none[source.lowercased(), default: []].formUnion(names.map { $0.lowercased() })
        }
        for (source, names) in EventActionMap.extraOverrides {
            for (name, targets) in names {
                overrides[source, default: [:]][name.lowercased()] = targets.compactMap { IAMAction($0) }
            }
        }
        for (source, names) in EventActionMap.extraNoPermission {
            none[source, default: []].formUnion(names.map { $0.lowercased() })
        }
        self.sourcePrefix = prefixes
        self.overrides = overrides
        self.noPermission = none
    }

    static func bundledOverrides() -> Data? {
        guard let url = BundledResources.url("cloudtrail-to-iam-overrides", "json") else { return nil }
        return try? Data(contentsOf: url)
    }

    /// Every override target (JSON file and built-in), for validation.
    public var allOverrideTargets: [IAMAction] {
        Array(Set(overrides.values.flatMap { $0.values.flatMap { $0 } })).sorted()
    }

    /// The IAM prefix for an eventSource (`monitoring.amazonaws.com` → `cloudwatch`).
    public func prefix(forEventSource source: String) -> String {
        let lowered = source.lowercased()
        if let mapped = sourcePrefix[lowered] { return mapped }
        if lowered.hasSuffix(".amazonaws.com") { return String(lowered.dropLast(".amazonaws.com".count)) }
        return lowered
    }

    /// The actions a record exercised. Console sign-in records, `AwsServiceEvent` records and insight records need
    /// no permission.
    public func actions(for record: CloudTrailRecord) -> EventActions {
        if EventActionMap.needsNoPermission(record) { return .noPermission }
        return actions(eventSource: record.eventSource, eventName: record.eventName)
    }

    /// Records that exercised no permission whatever their event name: console sign-ins, events AWS logged on its own
    /// (`AwsServiceEvent`) and Insights events.
    @inline(__always) public static func needsNoPermission(_ record: CloudTrailRecord) -> Bool {
        StringBytes.equals(record.eventType, "AwsConsoleSignIn") || record.isServiceEvent
            || StringBytes.equals(record.eventCategory, "Insight")
    }

    /// The actions an eventSource/eventName pair exercised.
    public func actions(eventSource: String, eventName: String) -> EventActions {
        let source = eventSource.lowercased()
        let name = eventName.lowercased()
        if noPermission[source]?.contains(name) == true { return .noPermission }
        if let targets = overrides[source]?[name] {
            return .actions(targets.map { catalogue.action(named: $0)?.action ?? $0 })
        }
        let prefix = prefix(forEventSource: eventSource)
        let stripped = EventActionMap.strippingAPIVersion(eventName)
        if stripped.lowercased() != name, let targets = overrides[source]?[stripped.lowercased()] {
            return .actions(targets.map { catalogue.action(named: $0)?.action ?? $0 })
        }
        if let info = catalogue.action(named: prefix + ":" + stripped) { return .actions([info.action]) }
        if source == "signin.amazonaws.com" { return .noPermission }
        return .unknown(prefix + ":" + stripped)
    }

    /// Removes a trailing API-version suffix: `20150331`, `20150331v2`, `2020_05_31`, `2017_03_25v2`.
    public static func strippingAPIVersion(_ name: String) -> String {
        let bytes = Array(name.utf8)
        var end = bytes.count
        // Optional `v<digits>`.
        var k = end
        while k > 0 && isDigit(bytes[k - 1]) { k -= 1 }
        if k < end && k > 0 && bytes[k - 1] == UInt8(ascii: "v") { end = k - 1 }
        // `YYYYMMDD` or `YYYY_MM_DD`.
        func digits(_ from: Int, _ count: Int) -> Bool {
            from >= 0 && from + count <= bytes.count && bytes[from..<(from + count)].allSatisfy(isDigit)
        }
        if end >= 10 + 1, digits(end - 10, 4), bytes[end - 6] == UInt8(ascii: "_"), digits(end - 5, 2),
           bytes[end - 3] == UInt8(ascii: "_"), digits(end - 2, 2), !isDigit(bytes[end - 11]) {
            return String(decoding: bytes[..<(end - 10)], as: UTF8.self)
        }
        if end >= 8 + 1, digits(end - 8, 8), !isDigit(bytes[end - 9]),
           let year = Int(String(decoding: bytes[(end - 8)..<(end - 4)], as: UTF8.self)), (2000...2099).contains(year) {
            return String(decoding: bytes[..<(end - 8)], as: UTF8.self)
        }
        return name
    }
}

@inline(__always)
private func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

extension EventActionMap {
    /// eventSource → prefix exceptions not in the JSON file (aliases some exports use).
    static let extraSourcePrefixes: [String: String] = [
        "bedrock-runtime.amazonaws.com": "bedrock",
        "bedrock-agent.amazonaws.com": "bedrock",
        "bedrock-agent-runtime.amazonaws.com": "bedrock",
        "bedrock-agentcore-control.amazonaws.com": "bedrock-agentcore",
    ]

    /// eventName overrides not in the JSON file. Lambda's data events are logged as `Invoke`
    /// (the IAM action is `lambda:InvokeFunction`); the response-streaming variant needs the same permission.
    static let extraOverrides: [String: [String: [String]]] = [
        "lambda.amazonaws.com": [
            "Invoke": ["lambda:InvokeFunction"],
            "InvokeWithResponseStream": ["lambda:InvokeFunction"],
        ],
    ]

    /// Events needing no permission beyond the JSON file: `GetSessionToken` ("No permissions are required",
    /// STS API reference).
    static let extraNoPermission: [String: [String]] = [
        "sts.amazonaws.com": ["GetSessionToken"],
    ]
}

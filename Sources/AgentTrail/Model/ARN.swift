/// An Amazon Resource Name split into its parts:
/// `arn:partition:service:region:account:resource`.
public struct ARN: Hashable, Sendable, CustomStringConvertible {
    public var partition: String
    public var service: String
    public var region: String
    public var account: String
    /// Everything after the fifth colon, e.g. `role/path/Name` or `runtime/abc`.
    public var resource: String

    public init(partition: String = "aws", service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    /// Parses an ARN; nil when the text does not have the six parts.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn" else { return nil }
        self.init(partition: String(parts[1]), service: String(parts[2]), region: String(parts[3]),
                  account: String(parts[4]), resource: String(parts[5]))
    }

    /// The resource type: the part of `resource` before the first `/` or `:` (`role`, `runtime`, `foundation-model`).
    public var resourceType: String {
        if let i = resource.firstIndex(where: { $0 == "/" || $0 == ":" }) { return String(resource[..<i]) }
        return ""
    }

    /// The last path component of the resource (`MyRole` for `role/path/MyRole`).
    public var resourceName: String {
        if let i = resource.lastIndex(where: { $0 == "/" || $0 == ":" }) { return String(resource[resource.index(after: i)...]) }
        return resource
    }

    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }
}

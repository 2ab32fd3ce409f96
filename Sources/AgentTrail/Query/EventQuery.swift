/// The filters of an ad hoc query over records (`agenttrail events`, `agenttrail timeline`).
///
/// Different filters combine with AND; the values of one filter combine with OR (a record matches
/// `principals: ["a", "b"]` when it matches either). An empty list means "no condition".
public struct EventQuery: Sendable {
    /// Caller patterns (globs, case-sensitive) matched against the `userIdentity` ARN, the role ARN behind a
    /// session, the role name, user name, session name, principal id and `invokedBy` (see `PrincipalNames`).
    public var principals: [Glob] = []
    /// `userIdentity.accessKeyId` patterns (globs, case-sensitive).
    public var accessKeys: [Glob] = []
    /// Source address blocks; a bare address is a host block. Records whose `sourceIPAddress` is not an IP never match.
    public var networks: [CIDR] = []
    /// `eventSource` patterns (globs, case-insensitive): `bedrock.amazonaws.com`, `bedrock*`.
    public var eventSources: [Glob] = []
    /// `eventName` patterns (globs, case-insensitive).
    public var eventNames: [Glob] = []
    /// IAM action patterns (globs, case-insensitive, `bedrock:Invoke*`) matched against the actions the
    /// `EventActionMap` derives for the record (or the derived name when it is not in the catalogue).
    public var actions: [Glob] = []
    /// Only failed calls (any `errorCode`).
    public var errorsOnly = false
    /// Only calls refused for lack of permission (`CloudTrailRecord.isAccessDenied`).
    public var deniedOnly = false
    /// `awsRegion` values.
    public var regions: Set<String> = []
    /// Account ids, matched against `recipientAccountId` or `userIdentity.accountId`.
    public var accounts: Set<String> = []
    /// Records at or after this time (records without a readable `eventTime` are excluded when set).
    public var since: Instant?
    /// Records at or before this time.
    public var until: Instant?
    /// Byte substrings of the raw record (as it appears in the log).
    public var contains: [String] = []

    public init() {}

    /// True when the query has no condition at all.
    public var isEmpty: Bool {
        principals.isEmpty && accessKeys.isEmpty && networks.isEmpty && eventSources.isEmpty && eventNames.isEmpty
            && actions.isEmpty && !errorsOnly && !deniedOnly && regions.isEmpty && accounts.isEmpty && since == nil
            && until == nil && contains.isEmpty
    }

    /// Whether the IAM action map is needed to evaluate the query.
    public var needsActionMap: Bool { !actions.isEmpty }

    /// The path-level pruning this query allows (account, region, time).
    public var pathFilter: PathFilter {
        PathFilter(accounts: accounts, regions: regions, since: since, until: until)
    }
}

extension AccessReport {
    /// `review --format json` (documented in the README, "Access review JSON").
    public var json: JSONValue {
        .object([
            ("catalogue", .string(catalogue)),
            ("window", window.json),
            ("blindSpots", .array(blindSpots.map { b in
                .object([("service", .string(b.service)), ("principals", .array(b.principals.map { .string($0) })),
                         ("actions", .array(b.actions.map { .string($0.description) })),
                         ("selectorTypes", .array(b.selectorTypes.map { .string($0) })),
                         ("summary", .string(b.summary)), ("advice", .string(b.advice))])
            })),
            ("principals", .array(principals.map { $0.json(window: window) })),
        ])
    }
}

extension EvidenceWindow {
    /// Window JSON: overall span, minimum, and per account/region slices with gaps.
    public var json: JSONValue {
        .object([
            ("first", .time(first)), ("last", .time(last)), ("days", .int(days)),
            ("minimumDays", .int(minimumDays)), ("short", .bool(isShort)),
            ("slices", .array(slices.map { s in
                .object([("account", .string(s.account)), ("region", .string(s.region)), ("first", .time(s.first)),
                         ("last", .time(s.last)), ("days", .int(s.days)), ("records", .int(s.records)), ("files", .int(s.files)),
                         ("gaps", .array(s.gaps.map { g in
                             .object([("start", .time(g.start)), ("end", .time(g.end)), ("hours", .int(g.hours))])
                         }))])
            })),
        ])
    }
}

extension PrincipalReview {
    /// One principal's JSON: the action-name lists, per-action detail, window, findings, policy and diff.
    public func json(window: EvidenceWindow) -> JSONValue {
        func names(_ list: [String]) -> JSONValue { .array(list.map { .string($0) }) }
        return .object([
            ("arn", .string(arn)),
            ("name", .string(name)),
            ("keys", names(keys)),
            ("hasPolicies", .bool(hasPolicies)),
            ("agentRole", .bool(isAgentRole)),
            ("window", .object([
                ("first", .time(window.first)), ("last", .time(window.last)), ("days", .int(window.days)),
                ("minimumDays", .int(window.minimumDays)), ("short", .bool(window.isShort)),
                ("accounts", names(accounts)),
                ("firstActivity", .time(firstActivity)), ("lastActivity", .time(lastActivity)),
            ])),
            ("counts", .object([
                ("granted", .int(grantedCount)), ("used", .int(used.count)), ("unused", .int(unused.count)),
                ("unknown", .int(unknown.count)), ("deniedAttempts", .int(deniedAttempts.count)),
                ("usedNotGranted", .int(usedNotGranted.count)),
            ])),
            ("used", names(used)),
            ("unused", names(unused)),
            ("unknown", names(unknown)),
            ("deniedAttempts", names(deniedAttempts)),
            ("usedNotGranted", names(usedNotGranted)),
            ("userAgents", names(userAgents)),
            ("sessionNames", names(sessionNames)),
            ("actions", .array(actions.map(\.json))),
            ("findings", .array(findings.map { f in
                .object([("detector", .string(f.detector)), ("severity", .string(f.severity.name)), ("title", .string(f.title)),
                         ("count", .int(f.count)), ("firstSeen", .time(f.firstSeen)), ("lastSeen", .time(f.lastSeen)),
                         ("key", .string(f.key))])
            })),
            ("recommendedPolicy", recommended.policyJSON),
            ("policyValid", .bool(recommended.problems.isEmpty)),
            ("dependentActions", .array(recommended.dependencies.map(\.json))),
            ("diff", diff.json),
            ("daily", .array(daily.map { d in
                .object([("day", .string(String(d.day.iso8601.prefix(10)))), ("succeeded", .int(d.calls.succeeded)),
                         ("denied", .int(d.calls.denied)), ("failed", .int(d.calls.failed))])
            })),
        ])
    }
}

extension ActionReview {
    public var json: JSONValue {
        .object([
            ("action", .string(action.description)), ("status", .string(status.rawValue)), ("granted", .bool(granted)),
            ("successes", .int(successes)), ("deniedAttempts", .int(deniedAttempts)), ("otherErrors", .int(otherErrors)),
            ("notGrantedCalls", .int(notGrantedCalls)), ("firstUsed", .time(firstUsed)), ("lastUsed", .time(lastUsed)),
            ("resources", .array(resources.map { .string($0) })), ("sourceIPs", .array(sourceIPs.map { .string($0) })),
            ("reason", .str(reason)),
        ])
    }
}

extension RecommendedPolicy {
    /// The policy document as a JSON value.
    public var policyJSON: JSONValue {
        .object([
            ("Version", .string("2012-10-17")),
            ("Statement", .array(statements.map { s in
                .object([("Sid", .string(s.sid)), ("Effect", .string("Allow")),
                         ("Action", .array(s.actions.map { .string($0.description) })),
                         ("Resource", .array(s.resources.map { .string($0) }))])
            })),
        ])
    }
}

extension RecommendedPolicy.Dependency {
    public var json: JSONValue {
        .object([
            ("action", .string(action.description)), ("neededBy", .array(neededBy.map { .string($0.description) })),
            ("included", .bool(included)), ("calledItself", .bool(calledItself)),
            ("resources", .array(resources.map { .string($0) })), ("why", .string(why)),
        ])
    }
}

extension PolicyDiff {
    public var json: JSONValue {
        .object([
            ("removed", .array(removed.map { .object([("action", .string($0.action.description)), ("evidence", .string($0.evidence))]) })),
            ("narrowed", .array(narrowed.map { n in
                var fields: [(String, JSONValue)] = [("action", .string(n.action.description)), ("from", .array(n.from.map { .string($0) })),
                                                     ("to", .array(n.to.map { .string($0) }))]
                if !n.neededBy.isEmpty { fields.append(("neededBy", .array(n.neededBy.map { .string($0.description) }))) }
                return .object(fields)
            })),
            ("added", .array(added.map { a in
                var fields: [(String, JSONValue)] = [("action", .string(a.action.description)), ("evidence", .string(a.evidence))]
                if !a.neededBy.isEmpty { fields.append(("neededBy", .array(a.neededBy.map { .string($0.description) }))) }
                return .object(fields)
            })),
        ])
    }
}

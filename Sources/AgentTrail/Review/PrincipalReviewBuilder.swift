/// Builds one `PrincipalReview` from the merged review state.
struct PrincipalReviewBuilder {
    let acc: ReviewUsageDetector.Accumulator
    let facts: RunFacts
    let window: EvidenceWindow
    let findings: [Finding]

    /// `key`: the policy key (ARN or `role/Name`) or the agent role ARN; `policies` nil when none were given.
    func build(key: String, policies: PrincipalPolicies?) -> PrincipalReview {
        let keys = Set(acc.usage.principalKeys).filter { k in
            policies?.matches(arn: k) ?? (k == key)
        }.sorted()
        let arn = policies?.arn ?? keys.first(where: { $0.hasPrefix("arn:") }) ?? key
        let name = policies?.name ?? ARN(arn)?.resourceName ?? arn
        var usage: [IAMAction: ActionUsage] = [:]
        var checks: [IAMAction: GrantCheck] = [:]
        var first: Instant?, last: Instant?
        var daily: [Int64: DailyCalls] = [:]
        var agents = Set<String>(), sessions = Set<String>()
        for k in keys {
            for v in acc.userAgents[k] ?? [] { ReviewUsageDetector.Accumulator.addSample(v, to: &agents) }
            for v in acc.sessionNames[k] ?? [] { ReviewUsageDetector.Accumulator.addSample(v, to: &sessions) }
            for (a, u) in acc.usage.actionUsage(of: k) { usage[a, default: ActionUsage()].merge(u) }
            for (a, c) in acc.grantChecks[k] ?? [:] { checks[a, default: GrantCheck()].merge(c) }
            if let w = acc.usage.window(of: k) {
                if let f = w.first, first == nil || f < first! { first = f }
                if let l = w.last, last == nil || l > last! { last = l }
            }
            for (d, c) in acc.usage.dailyCalls(of: k) { daily[d, default: DailyCalls()].merge(c) }
        }
        let info = facts.context.policyInfo(for: key)
        let grants = policies.map { info?.effective ?? EffectiveGrants($0.policies, base: info?.grants) }
        let actions = classify(usage: usage, checks: checks, grants: grants)
        let recommended = PolicyGenerator.make(AccessReview.mergedScopes(acc, keys: keys))
        let diff = PolicyDiff.make(actions: actions, grants: grants, recommended: recommended, days: window.days)
        let mine = findings.filter { f in
            guard let p = f.principal, f.detector != "access-review-usage" else { return false }
            return keys.contains(p) || p == arn || (policies?.matches(arn: p) ?? false)
        }
        let accounts = Set(([arn] + keys).compactMap { ARN($0)?.account }.filter { !$0.isEmpty })
        return PrincipalReview(arn: arn, name: name, keys: keys, hasPolicies: policies != nil,
                               isAgentRole: keys.contains { facts.isAgentRole($0) } || facts.isAgentRole(arn),
                               firstActivity: first, lastActivity: last, accounts: accounts.sorted(),
                               userAgents: agents.sorted(), sessionNames: sessions.sorted(),
                               actions: actions, findings: mine, recommended: recommended, diff: diff,
                               daily: daily.keys.sorted().map { (Instant(millisecondsSince1970: $0), daily[$0]!) })
    }

    /// Every granted or called action with its status.
    func classify(usage: [IAMAction: ActionUsage], checks: [IAMAction: GrantCheck], grants: EffectiveGrants?) -> [ActionReview] {
        let catalogue = ActionCatalogue.shared
        var all = Set(usage.keys)
        if let grants { all.formUnion(grants.actions.keys) }
        var out: [ActionReview] = []
        for action in all {
            let u = usage[action] ?? ActionUsage()
            let granted = grants.map { $0.actions[action] != nil } ?? false
            let notGranted = checks[action]?.notGranted ?? 0
            var reason: String?
            let status: ActionStatus
            if u.successes > 0 {
                status = (grants == nil || granted) ? .used : .usedNotGranted
            } else if granted {
                let (recorded, recording) = acc.usage.isRecorded(action, config: facts.context.config)
                status = recorded ? .unused : .unknown
                if !recorded {
                    reason = recording == .data ? "data events of \(action.prefix) not recorded in these logs"
                                                : EventActionMap.shared.notRecordedReason(action) == "permission-only"
                                                    ? "permission-only: no event of this name is ever logged"
                                                    : "CloudTrail does not log this action's calls"
                }
            } else if u.denied > 0 {
                status = .denied
            } else {
                continue  // failed with other errors only, not granted: nothing to review
            }
            out.append(ActionReview(
                action: catalogue.action(named: action)?.action ?? action, status: status, granted: granted,
                successes: u.successes, deniedAttempts: u.denied, otherErrors: u.otherErrors,
                notGrantedCalls: grants == nil ? 0 : (granted ? notGranted : u.successes),
                firstUsed: u.firstUsed, lastUsed: u.lastUsed, resources: u.resources.sorted(), sourceIPs: u.sourceIPs.sorted(),
                reason: reason))
        }
        return out.sorted { $0.action < $1.action }
    }
}

extension PolicyDiff {
    /// Compares the effective grants with the recommended policy. Dependent actions the recommended policy holds
    /// (`RecommendedPolicy.dependencies`) are kept, not removed, and marked "needed by …".
    static func make(actions: [ActionReview], grants: EffectiveGrants?, recommended: RecommendedPolicy, days: Int) -> PolicyDiff {
        guard let grants else { return PolicyDiff(removed: [], narrowed: [], added: []) }
        let newResources = recommended.resourcesByAction
        let neededBy = recommended.neededBy
        let leftOut = Dictionary(recommended.dependencies.filter { !$0.included }.map { ($0.action, $0.neededBy) }, uniquingKeysWith: { a, _ in a })
        func by(_ list: [IAMAction]) -> String { list.map(\.description).joined(separator: ", ") }
        var removed: [Removal] = [], narrowed: [Narrowing] = [], added: [Addition] = []
        for a in actions {
            if let needers = neededBy[a.action], a.status == .unknown || a.status == .unused || a.status == .used {
                let from = grants.actions[a.action] ?? []
                let to = newResources[a.action] ?? []
                if from != to { narrowed.append(.init(action: a.action, from: from, to: to, neededBy: needers)) }
                continue
            }
            switch a.status {
            case .unused:
                removed.append(.init(action: a.action, evidence: "never called in \(days) day(s)"
                                     + (a.deniedAttempts > 0 ? " (\(a.deniedAttempts) denied attempt(s))" : "")
                                     + (leftOut[a.action].map { "; listed as needed by \(by($0)) only for some variants of those calls" } ?? "")))
            case .unknown:
                removed.append(.init(action: a.action, evidence: "not judged: \(a.reason ?? "not recorded"); check before removing"))
            case .usedNotGranted:
                added.append(.init(action: a.action, evidence: "succeeded \(a.successes) time(s) although the given policies do not allow it"))
            case .used:
                let from = grants.actions[a.action] ?? []
                let to = newResources[a.action] ?? []
                if from != to {
                    narrowed.append(.init(action: a.action, from: from, to: to))
                }
            case .denied:
                break
            }
        }
        let reviewed = Set(actions.map(\.action))
        for d in recommended.dependencies where d.included && !d.calledItself && !reviewed.contains(d.action) && grants.actions[d.action] == nil {
            added.append(.init(action: d.action, evidence: "needed by \(by(d.neededBy)) (catalogue dependent action); the given policies do not grant it",
                               neededBy: d.neededBy))
        }
        return PolicyDiff(removed: removed, narrowed: narrowed, added: added)
    }
}

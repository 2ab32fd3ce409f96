extension ActionCatalogue {
    /// Known-wrong action names seen in circulating guides (e.g. the AgentCore permissions guide users copy from),
    /// with the real action. Checked first by `suggestions(for:)`; every target must exist in the catalogue (tested).
    public static let knownMistakes: [String: [String]] = [
        "bedrock-agentcore:invokeagent": ["bedrock-agentcore:InvokeAgentRuntime"],
        "bedrock-agentcore:searchmemory": ["bedrock-agentcore:RetrieveMemoryRecords"],
        "bedrock-agentcore:creategatewaytool": ["bedrock-agentcore:CreateGatewayTarget"],
        "bedrock-agentcore:getgatewaytool": ["bedrock-agentcore:GetGatewayTarget"],
        "bedrock-agentcore:updategatewaytool": ["bedrock-agentcore:UpdateGatewayTarget"],
        "bedrock-agentcore:deletegatewaytool": ["bedrock-agentcore:DeleteGatewayTarget"],
        "bedrock-agentcore:listgatewaytools": ["bedrock-agentcore:ListGatewayTargets"],
        "bedrock-agentcore:invokegatewaytool": ["bedrock-agentcore:InvokeGateway"],
        "bedrock-agentcore:invokemcp": ["bedrock-agentcore:InvokeGateway"],
        "bedrock-agentcore:invokebrowser": ["bedrock-agentcore:StartBrowserSession", "bedrock-agentcore:ConnectBrowserAutomationStream"],
        "bedrock:converse": ["bedrock:InvokeModel"],
        "bedrock:conversestream": ["bedrock:InvokeModelWithResponseStream"],
        "lambda:invoke": ["lambda:InvokeFunction"],
        "s3:listobjects": ["s3:ListBucket"],
        "s3:listobjectsv2": ["s3:ListBucket"],
        "s3:headobject": ["s3:GetObject"],
    ]

    /// Word substitutions used by the generic algorithm (wrong word → word the real names use).
    static let tokenSynonyms: [String: String] = [
        "tool": "target", "tools": "targets", "search": "retrieve", "query": "retrieve",
        "fetch": "get", "read": "get", "remove": "delete", "modify": "update", "edit": "update",
    ]

    /// Did-you-mean candidates for an action the catalogue does not know, best first (at most `limit`).
    /// Order: curated known mistakes; then actions of the same prefix ranked by shared CamelCase words
    /// (a word also counts as its synonym), then by whether one name extends the other, then by edit distance.
    /// For an unknown prefix, the closest prefix is tried. Empty for known actions.
    public func suggestions(for action: IAMAction, limit: Int = 3) -> [IAMAction] {
        if contains(action) { return [] }
        var result = [IAMAction]()
        for target in ActionCatalogue.knownMistakes[action.normalized] ?? [] {
            if let info = self.action(named: target) { result.append(info.action) }
        }
        var service = service(prefix: action.prefix)
        if service == nil {
            let lowered = action.prefix.lowercased()
            let best = servicesByKey.keys.min { editDistance($0, lowered) < editDistance($1, lowered) }
            if let best, editDistance(best, lowered) <= max(2, lowered.count / 3) { service = servicesByKey[best] }
        }
        guard let service else { return Array(result.prefix(limit)) }
        if let sameName = self.action(named: service.prefix + ":" + action.name) {
            result.append(sameName.action)  // prefix typo only
        }
        let query = action.name.lowercased()
        let rawTokens = camelTokens(action.name)
        let queryTokens = Set(rawTokens + rawTokens.compactMap { ActionCatalogue.tokenSynonyms[$0] })
        var scored = [(action: IAMAction, shared: Int, extends: Bool, distance: Int)]()
        for info in service.actions {
            let name = info.action.name.lowercased()
            let shared = queryTokens.intersection(camelTokens(info.action.name)).count
            let distance = editDistance(query, name)
            let extends = name.hasPrefix(query) || query.hasPrefix(name)
            guard shared > 0 || distance <= max(2, query.count / 3) else { continue }
            scored.append((info.action, shared, extends, distance))
        }
        scored.sort {
            if $0.shared != $1.shared { return $0.shared > $1.shared }
            if $0.extends != $1.extends { return $0.extends }
            if $0.distance != $1.distance { return $0.distance < $1.distance }
            return $0.action < $1.action
        }
        for candidate in scored where !result.contains(candidate.action) {
            result.append(candidate.action)
            if result.count >= limit { break }
        }
        return Array(result.prefix(limit))
    }
}

/// Lowercased CamelCase words: `GetWorkloadAccessTokenForJWT` → get, workload, access, token, for, jwt.
func camelTokens(_ name: String) -> [String] {
    let chars = Array(name)
    var tokens = [String]()
    var current = ""
    for (i, c) in chars.enumerated() {
        if c == "-" || c == "_" || c == "/" || c == "." {
            if !current.isEmpty { tokens.append(current.lowercased()); current = "" }
            continue
        }
        if c.isUppercase, !current.isEmpty {
            let prev = chars[i - 1]
            let nextIsLower = i + 1 < chars.count && chars[i + 1].isLowercase
            if prev.isLowercase || prev.isNumber || (prev.isUppercase && nextIsLower) {
                tokens.append(current.lowercased()); current = ""
            }
        }
        current.append(c)
    }
    if !current.isEmpty { tokens.append(current.lowercased()) }
    return tokens
}

/// Levenshtein distance over Unicode scalars.
func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}

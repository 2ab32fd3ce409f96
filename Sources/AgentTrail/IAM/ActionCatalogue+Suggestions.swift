import Foundation

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
    /// (a word also counts as its synonym), then by whether one name extends the other, then by edit distance,
    /// then by name. For an unknown prefix, the closest prefix is tried (ties: the alphabetically first).
    /// Empty for known actions.
    ///
    /// Cost: answers are memoised per distinct name; a new name costs one pass over the posting lists of its words
    /// in a per-service word index, edit distances (banded, with early exit and a character-count lower bound)
    /// only for the candidates that can still reach the top `limit`, and for names that share no word, only for
    /// actions within the distance threshold's length band. The work per name is bounded by the size of one
    /// service, never the whole catalogue.
    public func suggestions(for action: IAMAction, limit: Int = 3) -> [IAMAction] {
        if contains(action) || limit <= 0 { return [] }
        let memoKey = action.normalized + "\u{1}" + String(limit)
        if let hit = suggestionIndex.memo(memoKey) { return hit }
        let answer = computeSuggestions(for: action, limit: limit)
        suggestionIndex.remember(memoKey, answer)
        return answer
    }

    private func computeSuggestions(for action: IAMAction, limit: Int) -> [IAMAction] {
        var result = [IAMAction]()
        for target in ActionCatalogue.knownMistakes[action.normalized] ?? [] {
            if let info = self.action(named: target) { result.append(info.action) }
        }
        var service = service(prefix: action.prefix)
        if service == nil { service = closestService(to: action.prefix.lowercased()) }
        guard let service else { return Array(result.prefix(limit)) }
        if let sameName = self.action(named: service.prefix + ":" + action.name) {
            result.append(sameName.action)  // prefix typo only
        }
        if result.count < limit {
            let index = suggestionIndex.index(for: service)
            let ranked = index.ranked(query: action.name, count: limit - result.count, excluding: Set(result))
            for candidate in ranked where !result.contains(candidate) {
                result.append(candidate)
                if result.count >= limit { break }
            }
        }
        return Array(result.prefix(limit))
    }

    /// The service whose prefix is nearest to `lowered` within `max(2, count / 3)` edits; ties go to the
    /// alphabetically first prefix.
    private func closestService(to lowered: String) -> ServiceInfo? {
        let query = Array(lowered.unicodeScalars.map(\.value))
        var best: (distance: Int, key: String)?
        var scratch = EditScratch()
        var cap = max(2, lowered.count / 3)
        for (key, scalars) in suggestionIndex.prefixScalars(servicesByKey) {
            let d = scratch.distance(query, scalars, cap: cap)
            guard d <= cap else { continue }
            if best == nil || d < best!.distance { best = (d, key); cap = d }
        }
        return best.flatMap { servicesByKey[$0.key] }
    }
}

/// Lazily built, immutable-once-built indexes for `suggestions(for:)`, plus a bounded memo of answers.
/// Shared by all threads of one catalogue (guarded by a lock; the indexes themselves are read without it).
final class SuggestionIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var services: [String: ServiceWordIndex] = [:]
    private var prefixes: [(String, [UInt32])]?
    private var answers: [String: [IAMAction]] = [:]
    /// Distinct names remembered before the memo is cleared (bounds its memory; ~100 bytes a name).
    static let memoLimit = 200_000

    func memo(_ key: String) -> [IAMAction]? {
        lock.lock(); defer { lock.unlock() }
        return answers[key]
    }

    func remember(_ key: String, _ value: [IAMAction]) {
        lock.lock(); defer { lock.unlock() }
        if answers.count >= SuggestionIndex.memoLimit { answers.removeAll(keepingCapacity: true) }
        answers[key] = value
    }

    func index(for service: ServiceInfo) -> ServiceWordIndex {
        let key = service.prefix.lowercased()
        lock.lock(); defer { lock.unlock() }
        if let built = services[key] { return built }
        let built = ServiceWordIndex(service)
        services[key] = built
        return built
    }

    /// Lowercased prefixes as scalars, sorted (the order decides ties).
    func prefixScalars(_ byKey: [String: ServiceInfo]) -> [(String, [UInt32])] {
        lock.lock(); defer { lock.unlock() }
        if let prefixes { return prefixes }
        let built = byKey.keys.sorted().map { ($0, Array($0.unicodeScalars.map(\.value))) }
        prefixes = built
        return built
    }
}

/// The actions of one service for did-you-mean: lowercased names as scalars, CamelCase words as ids with
/// posting lists, and per-name character counts (a lower bound for the edit distance).
final class ServiceWordIndex: Sendable {
    struct Entry: Sendable {
        let action: IAMAction
        let name: [UInt32]
        let histogram: CharHistogram
    }

    /// In catalogue order (sorted by action), so an entry's position breaks ties by name.
    let entries: [Entry]
    let wordIDs: [String: Int]
    /// Word id → entries containing the word (each entry once).
    let postings: [[Int32]]

    init(_ service: ServiceInfo) {
        var ids = [String: Int]()
        var postings = [[Int32]]()
        var entries = [Entry]()
        entries.reserveCapacity(service.actions.count)
        for (i, info) in service.actions.enumerated() {
            let name = Array(info.action.name.lowercased().unicodeScalars.map(\.value))
            entries.append(Entry(action: info.action, name: name, histogram: CharHistogram(name)))
            for word in Set(camelTokens(info.action.name)) {
                let id: Int
                if let known = ids[word] { id = known } else { id = postings.count; ids[word] = id; postings.append([]) }
                postings[id].append(Int32(i))
            }
        }
        self.entries = entries
        self.wordIDs = ids
        self.postings = postings
    }

    /// The first `count` actions (not in `excluding`) in suggestion order: shared words (a query word also counts
    /// as its synonym) descending, one name extending the other first, edit distance ascending, name ascending.
    /// Actions sharing no word qualify only within `max(2, query length / 3)` edits.
    func ranked(query rawName: String, count: Int, excluding: Set<IAMAction>) -> [IAMAction] {
        let lowered = rawName.lowercased()
        let query = Array(lowered.unicodeScalars.map(\.value))
        let queryHistogram = CharHistogram(query)
        let threshold = max(2, lowered.count / 3)
        let rawTokens = camelTokens(rawName)
        let queryWords = Set(rawTokens + rawTokens.compactMap { ActionCatalogue.tokenSynonyms[$0] })

        var shared = [Int32](repeating: 0, count: entries.count)
        var touched = [Int]()
        for word in queryWords {
            guard let id = wordIDs[word] else { continue }
            for e in postings[id] {
                if shared[Int(e)] == 0 { touched.append(Int(e)) }
                shared[Int(e)] += 1
            }
        }
        func extends(_ i: Int) -> Bool {
            let name = entries[i].name
            return name.count >= query.count ? name.starts(with: query) : query.starts(with: name)
        }

        var scratch = EditScratch()
        var out = [IAMAction]()
        var need = count

        /// Appends the `need` best members of `group` by (distance, position). Members are visited in order of a
        /// cheap lower bound of their distance (length difference, character counts), so the search stops as soon
        /// as no remaining member can beat the current `need`-th best; only those visited get an edit distance.
        func take(_ group: [Int], cap: Int?) {
            var candidates = [(bound: Int, index: Int)]()
            candidates.reserveCapacity(group.count)
            for i in group {
                let e = entries[i]
                if !excluding.isEmpty, excluding.contains(e.action) { continue }
                let lb = max(abs(e.name.count - query.count), queryHistogram.lowerBound(e.histogram))
                if let cap, lb > cap { continue }
                candidates.append((lb, i))
            }
            candidates.sort { $0.bound != $1.bound ? $0.bound < $1.bound : $0.index < $1.index }
            var best = [(distance: Int, index: Int)]()  // sorted, at most `need`
            for c in candidates {
                var bound = cap ?? Int.max
                if best.count == need, let worst = best.last {
                    if c.bound > worst.distance { break }
                    bound = min(bound, worst.distance)
                }
                let name = entries[c.index].name
                let d = scratch.distance(query, name, cap: bound == Int.max ? max(query.count, name.count) : bound)
                if d > bound { continue }
                let item = (distance: d, index: c.index)
                let at = best.firstIndex { item.distance < $0.distance || (item.distance == $0.distance && item.index < $0.index) } ?? best.count
                if at < need {
                    best.insert(item, at: at)
                    if best.count > need { best.removeLast() }
                }
            }
            for b in best { out.append(entries[b.index].action) }
            need -= best.count
        }

        // Actions sharing words: groups by (shared desc, extends first).
        if !touched.isEmpty {
            var groups = [Int: [Int]]()  // key: shared * 2 + (extends ? 1 : 0)
            for i in touched { groups[Int(shared[i]) * 2 + (extends(i) ? 1 : 0), default: []].append(i) }
            for key in groups.keys.sorted(by: >) where need > 0 {
                take(groups[key]!.sorted(), cap: nil)
            }
        }
        // Actions sharing no word, within the threshold: extends first, then distance.
        if need > 0 {
            var extending = [Int](), others = [Int]()
            for i in entries.indices where shared[i] == 0 {
                if abs(entries[i].name.count - query.count) > threshold { continue }
                if extends(i) { extending.append(i) } else { others.append(i) }
            }
            take(extending, cap: threshold)
            if need > 0 { take(others, cap: threshold) }
        }
        return out
    }
}

/// Character counts in 32 buckets (a–z, digits, five buckets for everything else). `lowerBound` is the bag
/// distance max(surplus, deficit), which never exceeds the edit distance (an edit raises each side by at most
/// one), also with merged buckets and saturated counts.
struct CharHistogram: Sendable {
    private var counts: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)  // 32 byte-sized counts

    init(_ scalars: [UInt32]) {
        var c = [UInt8](repeating: 0, count: 32)
        for s in scalars {
            let b: Int
            switch s {
            case 97...122: b = Int(s - 97)
            case 48...57: b = 26
            default: b = 27 + Int(s % 5)
            }
            if c[b] < 255 { c[b] += 1 }
        }
        func pack(_ k: Int) -> UInt64 {
            var v: UInt64 = 0
            for j in 0..<8 { v |= UInt64(c[k * 8 + j]) << (8 * j) }
            return v
        }
        counts = (pack(0), pack(1), pack(2), pack(3))
    }

    /// A lower bound of the edit distance between the two strings.
    func lowerBound(_ other: CharHistogram) -> Int {
        var surplus = 0, deficit = 0
        func add(_ a: UInt64, _ b: UInt64) {
            for j in 0..<8 {
                let x = Int((a >> (8 * j)) & 0xFF), y = Int((b >> (8 * j)) & 0xFF)
                if x > y { surplus += x - y } else { deficit += y - x }
            }
        }
        add(counts.0, other.counts.0)
        add(counts.1, other.counts.1)
        add(counts.2, other.counts.2)
        add(counts.3, other.counts.3)
        return max(surplus, deficit)
    }
}

/// Reusable rows for banded edit distances.
struct EditScratch {
    private var previous = [Int]()
    private var current = [Int]()

    /// The Levenshtein distance of `a` and `b` when it is at most `cap`, otherwise `cap + 1`. Only the diagonal
    /// band of width `2 * cap + 1` is computed, and the loop stops once a whole row exceeds `cap`.
    mutating func distance(_ a: [UInt32], _ b: [UInt32], cap: Int) -> Int {
        let n = a.count, m = b.count
        let big = cap + 1
        if abs(n - m) > cap { return big }
        if n == 0 { return m }
        if m == 0 { return n }
        if previous.count < m + 2 {
            previous = [Int](repeating: 0, count: m + 2)
            current = [Int](repeating: 0, count: m + 2)
        }
        return previous.withUnsafeMutableBufferPointer { pb in
            current.withUnsafeMutableBufferPointer { cb in
                a.withUnsafeBufferPointer { ab in
                    b.withUnsafeBufferPointer { bb in
                        Self.banded(ab.baseAddress!, n, bb.baseAddress!, m, cap, pb.baseAddress!, cb.baseAddress!)
                    }
                }
            }
        }
    }

    private static func banded(_ a: UnsafePointer<UInt32>, _ n: Int, _ b: UnsafePointer<UInt32>, _ m: Int, _ cap: Int,
                               _ rowA: UnsafeMutablePointer<Int>, _ rowB: UnsafeMutablePointer<Int>) -> Int {
        let big = cap + 1
        var previous = rowA, current = rowB
        for j in 0...m { previous[j] = j <= cap ? j : big }
        previous[m + 1] = big
        for i in 1...n {
            let lo = max(1, i - cap), hi = min(m, i + cap)
            current[lo - 1] = lo == 1 ? (i <= cap ? i : big) : big
            var rowMin = current[lo - 1]
            let ai = a[i - 1]
            var j = lo
            while j <= hi {
                var v = previous[j - 1] + (ai == b[j - 1] ? 0 : 1)
                let up = previous[j] + 1
                if up < v { v = up }
                let left = current[j - 1] + 1
                if left < v { v = left }
                if v > big { v = big }
                current[j] = v
                if v < rowMin { rowMin = v }
                j += 1
            }
            if hi < m { current[hi + 1] = big }
            if rowMin > cap { return big }
            swap(&previous, &current)
        }
        return min(previous[m], big)
    }
}

/// Lowercased CamelCase words: `GetWorkloadAccessTokenForJWT` → get, workload, access, token, for, jwt.
func camelTokens(_ name: String) -> [String] {
    asciiCamelTokens(name) ?? characterCamelTokens(name)
}

/// `camelTokens` on Characters (any Unicode name).
func characterCamelTokens(_ name: String) -> [String] {
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

/// `camelTokens` for ASCII names, on bytes (the same rules: A–Z upper, a–z lower, 0–9 numbers); nil otherwise.
private func asciiCamelTokens(_ name: String) -> [String]? {
    var name = name
    return name.withUTF8 { b -> [String]? in
        for c in b where c >= 0x80 { return nil }
        func upper(_ c: UInt8) -> Bool { c >= 65 && c <= 90 }
        func lower(_ c: UInt8) -> Bool { c >= 97 && c <= 122 }
        func digit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        var tokens = [String]()
        var current = [UInt8]()
        func flush() {
            tokens.append(String(decoding: current.map { upper($0) ? $0 + 32 : $0 }, as: UTF8.self))
            current.removeAll(keepingCapacity: true)
        }
        for i in 0..<b.count {
            let c = b[i]
            if c == 0x2D || c == 0x5F || c == 0x2F || c == 0x2E {  // - _ / .
                if !current.isEmpty { flush() }
                continue
            }
            if upper(c), !current.isEmpty {
                let prev = b[i - 1]
                let nextIsLower = i + 1 < b.count && lower(b[i + 1])
                if lower(prev) || digit(prev) || (upper(prev) && nextIsLower) { flush() }
            }
            current.append(c)
        }
        if !current.isEmpty { flush() }
        return tokens
    }
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

import AgentTrailTestSupport
import Foundation
import Testing
@testable import AgentTrail

/// The indexed did-you-mean gives the answers of the original exhaustive algorithm, fast.
@Suite("IAM suggestions")
struct IAMSuggestionTests {
    let catalogue = ActionCatalogue.shared

    /// The original algorithm (every action of the service scored with full edit distances), kept as the
    /// reference. One change: among equally close unknown prefixes it takes the alphabetically first (the original
    /// took whichever a dictionary yielded first, which varied between runs).
    static func reference(_ catalogue: ActionCatalogue, _ action: IAMAction, limit: Int = 3) -> [IAMAction] {
        if catalogue.contains(action) { return [] }
        var result = [IAMAction]()
        for target in ActionCatalogue.knownMistakes[action.normalized] ?? [] {
            if let info = catalogue.action(named: target) { result.append(info.action) }
        }
        var service = catalogue.service(prefix: action.prefix)
        if service == nil {
            let lowered = action.prefix.lowercased()
            let best = catalogue.servicesByKey.keys.sorted().min { editDistance($0, lowered) < editDistance($1, lowered) }
            if let best, editDistance(best, lowered) <= max(2, lowered.count / 3) { service = catalogue.servicesByKey[best] }
        }
        guard let service else { return Array(result.prefix(limit)) }
        if let sameName = catalogue.action(named: service.prefix + ":" + action.name) { result.append(sameName.action) }
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

    /// Unknown names: typos, swapped halves and suffixes of real actions in small and large services, wrong
    /// words, prefix typos, unknown prefixes and the guide's mistakes. Deterministic.
    static func sampleNames(count: Int, seed: UInt64) -> [IAMAction] {
        var rng = SplitMix(seed)
        let catalogue = ActionCatalogue.shared
        let prefixes = catalogue.prefixes
        let letters = Array("abcdefghijklmnopqrstuvwxyzQXZ")
        var out = [IAMAction](), seen = Set<IAMAction>()
        func add(_ text: String) {
            if let a = IAMAction(text), !catalogue.contains(a), seen.insert(a).inserted { out.append(a) }
        }
        let fixed = ["bedrock-agentcore:InvokeAgent", "bedrock-agentcore:SearchMemory", "bedrock-agentcore:CreateGatewayTool",
                     "bedrock-agentcore:ListGatewayTools", "bedrock-agentcore:InvokeGatewayTool", "bedrock:InvokeModl",
                     "bedrok:InvokeModel", "s3:GetObjects", "dynamodb:QueryItems", "ec2:Foo", "nosuchservice:DoIt",
                     "bedrock-agentcor:InvokeAgentRuntime", "agent-registy:GetRegistry", "bedrock-mantle:CreateChatCompletion",
                     "s3:X", "iam:PassRoles", "kms:Decrpyt", "ec2:DescribeInstancesEx"]
        fixed.forEach(add)
        while out.count < count {
            let prefix = prefixes[Int(rng.next() % UInt64(prefixes.count))]
            let names = catalogue.actions(prefix: prefix)
            guard !names.isEmpty else { continue }
            let a = names[Int(rng.next() % UInt64(names.count))].name
            let b = names[Int(rng.next() % UInt64(names.count))].name
            var chars = Array(a)
            let i = Int(rng.next() % UInt64(chars.count))
            var text: String
            switch rng.next() % 6 {
            case 0: chars[i] = letters[Int(rng.next() % UInt64(letters.count))]; text = String(chars)
            case 1: chars.insert(letters[Int(rng.next() % UInt64(letters.count))], at: i); text = String(chars)
            case 2: chars.remove(at: i); text = String(chars) + "s"
            case 3: text = String(a.prefix(a.count / 2)) + String(b.suffix(b.count / 2))
            case 4: text = a + ["V2", "Items", "All", "Ex"][Int(rng.next() % 4)]
            default: text = String(a.prefix(max(1, a.count / 3)))
            }
            var p = prefix
            if rng.next() % 10 == 0 { p = String(p.dropLast()) }
            add(p + ":" + text)
        }
        return out
    }

    @Test func sameAnswersAsTheExhaustiveAlgorithm() {
        let names = Self.sampleNames(count: 600, seed: 20261027)
        #expect(names.count > 500)
        var differences = [String]()
        for a in names {
            let fast = catalogue.suggestions(for: a), slow = Self.reference(catalogue, a)
            if fast != slow { differences.append("\(a): \(fast) vs \(slow)") }
            #expect(catalogue.suggestions(for: a, limit: 1) == Array(slow.prefix(1)), "\(a)")
        }
        #expect(differences.isEmpty, "\(differences.prefix(10))")
    }

    @Test func asciiWordSplittingMatchesTheCharacterVersion() {
        var names = catalogue.prefixes.flatMap { catalogue.actions(prefix: $0).map(\.name) }
        names += Self.sampleNames(count: 300, seed: 5).map(\.name)
        names += ["GetWorkloadAccessTokenForJWT", "S3-Object_Lambda/x.y", "ABCDef", "a1B2c3", "Ünïcode", "X", "--A"]
        for n in names { #expect(camelTokens(n) == characterCamelTokens(n), "\(n)") }
    }

    @Test func memoisedAnswersAreStable() {
        let a = IAMAction("bedrock-agentcore:InvokeAgent")!
        let first = catalogue.suggestions(for: a)
        #expect(catalogue.suggestions(for: a) == first)
        #expect(catalogue.suggestions(for: a, limit: 1) == Array(first.prefix(1)))
        #expect(catalogue.suggestions(for: a, limit: 0).isEmpty)
    }

    @Test(arguments: [("kitten", "sitting", 3), ("", "abc", 3), ("abc", "", 3), ("flaw", "lawn", 2), ("same", "same", 0),
                      ("getobject", "putobjectacl", 5), ("a", "b", 1)])
    func bandedDistanceIsExactWithinTheCap(_ t: (String, String, Int)) {
        var scratch = EditScratch()
        let a = Array(t.0.unicodeScalars.map(\.value)), b = Array(t.1.unicodeScalars.map(\.value))
        #expect(editDistance(t.0, t.1) == t.2)
        for cap in 0...6 {
            #expect(scratch.distance(a, b, cap: cap) == min(t.2, cap + 1), "\(t) cap \(cap)")
        }
    }

    /// 5,000 distinct unknown actions (a ~200 KB policy) lint in well under a few seconds in debug builds; the
    /// exhaustive algorithm took ~4 s in release for these and ~30 s for 8,000 names in large services.
    @Test func manyUnknownActionsLintFast() throws {
        let names = Self.sampleNames(count: 5_000, seed: 7).map(\.description)
        #expect(names.count == 5_000)
        var statements = [String]()
        for chunk in stride(from: 0, to: names.count, by: 100) {
            let list = names[chunk..<min(chunk + 100, names.count)].map { "\"\($0)\"" }.joined(separator: ",")
            statements.append(#"{"Effect":"Allow","Action":[\#(list)],"Resource":"*"}"#)
        }
        let json = #"{"Version":"2012-10-17","Statement":[\#(statements.joined(separator: ","))]}"#
        let doc = try IAMFixtures.document(json)
        let linter = PolicyLinter(catalogue: ActionCatalogue.loadBundled())  // a fresh catalogue: nothing memoised
        // CPU time of this thread (the linter runs on it), so tests running in parallel do not count.
        func cpu() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let start = DispatchTime.now().uptimeNanoseconds, startCPU = cpu()
        let findings = linter.lint(doc)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, cpuSeconds = cpu() - startCPU
        print("lint of 5,000 distinct unknown actions (\(json.utf8.count) bytes): \(String(format: "%.2f", seconds)) s wall, "
              + "\(String(format: "%.2f", cpuSeconds)) s CPU")
        #expect(findings.filter { $0.rule == "unknown-action" }.count == 5_000)
        #expect(cpuSeconds < 2.5)
    }
}

extension SplitMix {
    /// `bytes` after 1 to `maxEdits` seeded edits, each a deletion, a replacement or an insertion of a byte from
    /// `alphabet` at a random place (never left empty: a lone space then), for tests that feed scanners damaged input.
    mutating func edited(_ bytes: [UInt8], alphabet: [UInt8], maxEdits: Int = 3) -> [UInt8] {
        var b = bytes
        for _ in 0..<(1 + Int(next() % UInt64(maxEdits))) {
            if b.isEmpty { b = [0x20] }
            let at = Int(next() % UInt64(b.count))
            let c = alphabet[Int(next() % UInt64(alphabet.count))]
            switch next() % 3 {
            case 0: b.remove(at: at)
            case 1: b[at] = c
            default: b.insert(c, at: at)
            }
        }
        return b.isEmpty ? [0x20] : b
    }
}

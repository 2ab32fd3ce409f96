import Foundation
import Testing
@testable import AgentTrail

@Suite("IAM action catalogue")
struct IAMCatalogueTests {
    let catalogue = ActionCatalogue.shared

    @Test func loadsTheShippedCatalogue() {
        #expect(catalogue.loadError == nil)
        #expect(catalogue.prefixes.count == 457)
        #expect(catalogue.actionCount == 22_321)
        // Load report (not a timed assertion: the 150 ms budget is measured in release by the bench script).
        print("IAM catalogue: \(catalogue.actionCount) actions, \(catalogue.prefixes.count) prefixes, "
              + "\(catalogue.sourceByteCount) bytes JSON, loaded in \(Int(catalogue.loadDuration * 1000)) ms (this build), "
              + "~\(catalogue.estimatedMemoryBytes / 1024) KiB of tables")
        #expect(catalogue.estimatedMemoryBytes > 1_000_000)
    }

    /// The action index holds locations into the services' lists: every action of every service is found by its
    /// name in any case and gives that service's entry (same action, access level, resource types, flags); the
    /// unordered list and the walk over it hold each action once.
    @Test func actionIndexFindsEveryServiceEntry() {
        var seen = 0
        for prefix in catalogue.prefixes {
            guard let service = catalogue.service(prefix: prefix) else { Issue.record("no service \(prefix)"); continue }
            for entry in service.actions {
                seen += 1
                let found = catalogue.action(named: IAMAction(prefix: prefix.uppercased(), name: entry.action.name))
                #expect(found?.action.description == entry.action.description)
                #expect(found?.accessLevel == entry.accessLevel)
                #expect(found?.resourceTypes == entry.resourceTypes)
                #expect(found?.permissionOnly == entry.permissionOnly)
                #expect(found?.dependentActions == entry.dependentActions)
            }
        }
        #expect(seen == catalogue.actionCount)
        var walked = [IAMAction]()
        catalogue.forEachAction { walked.append($0) }
        #expect(walked == catalogue.unorderedActions)
        #expect(Set(walked).count == catalogue.actionCount)
        #expect(walked.sorted() == catalogue.allActions)
    }

    /// Started early (`startLoading`, as the command line does before parsing its arguments), the shared catalogue is
    /// the bundled one a load on first use gives: same version, same actions in the same order. A second start adds
    /// nothing, and asking for `shared` meanwhile waits for the load instead of racing it.
    @Test func startedEarlyTheSharedCatalogueIsTheBundledOne() throws {
        ActionCatalogue.startLoading(jobs: 2)
        ActionCatalogue.startLoading(jobs: 3)
        let shared = ActionCatalogue.shared
        let fresh = ActionCatalogue.loadBundled()
        #expect(shared.loadError == nil)
        #expect(shared.actionCount == fresh.actionCount && shared.actionCount > 20_000)
        #expect(shared.versionDescription == fresh.versionDescription)
        #expect(shared.allActions == fresh.allActions)
    }

    /// Parsing the services on several threads gives the catalogue one thread gives, entry for entry.
    @Test func parallelParseGivesTheSameCatalogue() throws {
        let data = try Data(contentsOf: try #require(BundledResources.url("iam-catalogue-all", "json")))
        let one = try ActionCatalogue.parseServices(data, jobs: 1)
        let three = try ActionCatalogue.parseServices(data, jobs: 3)
        #expect(one.list.count == 457)
        #expect(one.list.map(\.prefix) == three.list.map(\.prefix))
        #expect(one.meta.version == three.meta.version && one.meta.source == three.meta.source)
        for (a, b) in zip(one.list, three.list) {
            #expect(a.name == b.name)
            #expect(a.conditionKeys == b.conditionKeys)
            #expect(a.resourceTypes.map { [$0.name, $0.arnTemplate] } == b.resourceTypes.map { [$0.name, $0.arnTemplate] })
            #expect(a.actions.map(\.action.description) == b.actions.map(\.action.description))
            #expect(a.actions.map(\.accessLevel) == b.actions.map(\.accessLevel))
            #expect(a.actions.map(\.resourceTypes) == b.actions.map(\.resourceTypes))
            #expect(a.actions.map(\.permissionOnly) == b.actions.map(\.permissionOnly))
            #expect(a.actions.map(\.dependentActions) == b.actions.map(\.dependentActions))
        }
    }

    /// The byte-level reader gives, for every service of the shipped file, what an independent JSON reader
    /// (Foundation's `JSONSerialization`) reads there: names, condition keys (sorted ignoring case), resource types
    /// with their templates and ARN service field, and each action's access level, resource types (with the `*`
    /// marker as `required`), permission-only flag and dependent actions.
    @Test func parseAgreesWithAnIndependentJSONReader() throws {
        let data = try Data(contentsOf: try #require(BundledResources.url("iam-catalogue-all", "json")))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let services = try #require(root["services"] as? [String: Any])
        let parsed = try ActionCatalogue.parseServices(data, jobs: 1).list
        #expect(parsed.count == services.count)
        var actions = 0
        for service in parsed {
            let raw = try #require(services[service.prefix] as? [String: Any], "\(service.prefix)")
            #expect(service.name == (raw["name"] as? String ?? service.prefix))
            let keys = (raw["conditionKeys"] as? [String: Any]).map { Array($0.keys) } ?? []
            #expect(service.conditionKeys.map { $0.lowercased() } == keys.map { $0.lowercased() }.sorted())
            #expect(Set(service.conditionKeys) == Set(keys))
            let types = raw["resources"] as? [String: String] ?? [:]
            #expect(service.resourceTypes.map(\.name) == types.keys.sorted())
            for t in service.resourceTypes {
                #expect(t.arnTemplate == types[t.name])
                let fields = t.arnTemplate.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                #expect(t.arnService == (fields.count > 2 ? String(fields[2]) : ""))
            }
            let rawActions = raw["actions"] as? [String: [String: Any]] ?? [:]
            #expect(service.actions.count == rawActions.count)
            for entry in service.actions {
                actions += 1
                let a = try #require(rawActions[entry.action.name], "\(entry.action)")
                #expect(entry.accessLevel == (a["access"] as? String).flatMap(AccessLevel.init(rawValue:)) ?? .unknown)
                let resources = (a["resources"] as? [String] ?? []).map { r in
                    r.hasSuffix("*") ? ResourceRequirement(name: String(r.dropLast()), required: true)
                                     : ResourceRequirement(name: r, required: false)
                }
                #expect(entry.resourceTypes == resources, "\(entry.action)")
                #expect(entry.permissionOnly == (a["permissionOnly"] as? Bool ?? false))
                #expect(entry.dependentActions == (a["dependentActions"] as? [String] ?? []).compactMap { IAMAction($0) })
            }
        }
        #expect(actions == 22_321)
    }

    /// Each resource type's globs (every `${Name}` as `*`, for the whole template and for its resource field after
    /// the fifth colon) are what a regular expression makes of the template, for every type of the shipped catalogue
    /// and for templates with fewer fields, an unclosed `${`, and non-ASCII text.
    @Test func templateGlobsAgreeWithARegularExpression() throws {
        let variable = try NSRegularExpression(pattern: #"\$\{[^}]*\}"#)
        func glob(_ s: String) -> String {
            variable.stringByReplacingMatches(in: s, range: NSRange(s.startIndex..., in: s), withTemplate: "*")
        }
        var types = catalogue.prefixes.flatMap { catalogue.resourceTypes(prefix: $0) }
        #expect(types.count > 2_000)
        for t in ["arn:${Partition}:s3:::${BucketName}", "a:b", "arn:aws:x:r:a:res/${Id}/${Sub}:tail", "a:b:c:d:e:${Unclosed",
                  "arn:aws:é:r:a:ré/${Id}", ""] {
            types.append(ResourceTypeInfo(prefix: "p", name: "n", arnTemplate: t))
        }
        for t in types {
            #expect(t.arnGlob == glob(t.arnTemplate), "\(t.arnTemplate)")
            let fields = t.arnTemplate.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            let resource = fields.count == 6 ? String(fields[5]) : t.arnTemplate
            #expect(String(decoding: t.resourceGlobBytes, as: UTF8.self) == glob(resource), "\(t.arnTemplate)")
        }
    }

    /// Member names and values that are not plain ASCII are compared as strings (escaped or not), as the reader
    /// always did; a dependent action needs exactly one colon with text on both sides; `arnService` on templates
    /// with fewer fields.
    @Test func escapedAndUnusualSpellingsReadAsBefore() throws {
        let text = #"{"s": {"n\u0061me": "S", "actions": {"Get": {"acc\u0065ss": "Read", "resources": ["t*", "u"], "#
            + #""dependentActions": ["a:B", "nocolon", ":x", "x:", "a:b:c", "s\u003aEsc", "é:F"]}, "#
            + #""Put": {"access": "Writ\u0065", "resources": ["t*", "u"]}, "Tag": {"access": "Other"}}, "#
            + #""resources": {"t": "arn:aws:s:::t/${T}"}}}"#
        var scanner = CatalogueScanner(Array(text.utf8))
        var services = [ServiceInfo]()
        try scanner.object { prefix, s in services.append(try s.service(prefix: prefix)) }
        let s = try #require(services.first)
        #expect(s.name == "S")
        let get = try #require(s.actions.first { $0.action.name == "Get" })
        #expect(get.accessLevel == .read)
        #expect(get.resourceTypes == [ResourceRequirement(name: "t", required: true), ResourceRequirement(name: "u", required: false)])
        #expect(get.dependentActions.map(\.description) == ["a:B", "s:Esc", "é:F"])
        #expect(s.actions.first { $0.action.name == "Put" }?.accessLevel == .write)
        #expect(s.actions.first { $0.action.name == "Put" }?.resourceTypes == get.resourceTypes)
        #expect(s.actions.first { $0.action.name == "Tag" }?.accessLevel == .unknown)
        for (template, service) in [("arn:aws:s3:::b", "s3"), ("a:b", ""), ("a:b:", ""), ("a:b:c", "c"), ("", ""), ("arn:aws:é:r:a:x", "é")] {
            #expect(ResourceTypeInfo(prefix: "p", name: "n", arnTemplate: template).arnService == service, "\(template)")
        }
    }

    /// A string read eight bytes at a time while no byte is a quote, a backslash or non-ASCII: an escape, an escaped
    /// quote, a non-ASCII character or the closing quote at every offset of strings 0–40 bytes long reads as
    /// Foundation's JSON reader reads it, `plain` only when ASCII without escapes; a dependent action met twice in a
    /// service (found by its bytes the second time) is the same action.
    @Test func stringsReadTheSameAtEveryOffset() throws {
        for length in 0...40 {
            for at in 0...length {
                for special in ["", #"\""#, #"\\"#, #"\u00e9"#, "é", #"\n"#] {
                    let body = String(repeating: "a", count: at) + special + String(repeating: "b", count: length - at)
                    let json = #"["\#(body)"]"#
                    let expected = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]).first
                    var scanner = CatalogueScanner(Array(json.utf8))
                    scanner.i = 1
                    let w = try scanner.written()
                    #expect(try scanner.text(w) == expected, "\(json)")
                    #expect(w.plain == special.isEmpty, "\(json)")
                    #expect(scanner.i == json.utf8.count - 1, "\(json)")
                }
            }
        }
        let text = #"{"s": {"actions": {"A": {"access": "Read", "resources": [], "dependentActions": ["iam:PassRole", "s:B"]}, "#
            + #""B": {"access": "Read", "resources": [], "dependentActions": ["s:B", "iam:PassRole", "iam:PassRole"]}}}}"#
        var scanner = CatalogueScanner(Array(text.utf8))
        var services = [ServiceInfo]()
        try scanner.object { prefix, s in services.append(try s.service(prefix: prefix)) }
        let actions = try #require(services.first?.actions)
        #expect(actions.map { $0.dependentActions.map(\.description) } == [["iam:PassRole", "s:B"], ["s:B", "iam:PassRole", "iam:PassRole"]])
    }

    /// The parallel parse really parses (it is not the fallback): services found by their bytes, each parsed on its
    /// own; on damage it gives way with the position unchanged.
    @Test func servicesInParallelParsesOrGivesWay() {
        let good = #"{"b": {"name": "B", "actions": {"Get": {"access": "Read"}}}, "a": {"name": "A\u00e9", "actions": {}}}"#
        var scanner = CatalogueScanner(Array(good.utf8))
        let parsed = scanner.servicesInParallel(jobs: 2)
        #expect(parsed?.map(\.prefix) == ["b", "a"])
        #expect(parsed?.map(\.name) == ["B", "Aé"])
        #expect(parsed?.first?.actions.map(\.action.description) == ["b:Get"])
        #expect(scanner.i == good.utf8.count)
        for bad in [#"{"b": {"name": 5}, "a": {}}"#, #"{"b": {"name": "B"}, "a": {"#] {
            var s = CatalogueScanner(Array(bad.utf8))
            #expect(s.servicesInParallel(jobs: 2) == nil)
            #expect(s.i == 0)
        }
    }

    /// A damaged catalogue fails with the same error on any number of threads (the parallel parse gives way to the
    /// one-pass parse, which names the byte): cut short, a value of the wrong type, broken JSON late in the file.
    @Test(arguments: ["truncated", "wrong type", "broken"])
    func damagedCatalogueFailsTheSameWay(damage: String) throws {
        let data = try Data(contentsOf: try #require(BundledResources.url("iam-catalogue-all", "json")))
        var bytes = [UInt8](data)
        switch damage {
        case "truncated": bytes = Array(bytes.prefix(bytes.count * 9 / 10))
        case "wrong type":
            let text = String(decoding: bytes, as: UTF8.self)
            let marker = "\"access\": \""
            let r = try #require(text.range(of: marker, options: .backwards))
            bytes = Array((text[..<r.lowerBound] + "\"access\": 5, \"x\": \"" + text[r.upperBound...]).utf8)
        default:
            let i = bytes.count * 8 / 10
            let brace = try #require(bytes[i...].firstIndex(of: UInt8(ascii: "{")))
            bytes.insert(UInt8(ascii: "}"), at: brace + 1)
        }
        func failure(_ jobs: Int) -> String {
            do { _ = try ActionCatalogue.parseServices(Data(bytes), jobs: jobs); return "no error" } catch { return "\(error)" }
        }
        let one = failure(1)
        #expect(one != "no error")
        #expect(failure(3) == one)
    }

    /// Values the reader skips (an action's condition keys, members it does not know) are still checked: a broken one
    /// fails the load with its offset on any number of threads, as a broken value the reader uses does.
    @Test(arguments: [#"["k1" "k2"]"#, #"{"a" "b"}"#, #"[1, }"#, #"{"a": [}"#])
    func damagedSkippedValueFails(value: String) {
        let text = #"{"_meta": {}, "services": {"s": {"name": "S", "actions": {"A": {"access": "Read", "resources": [], "#
            + #""conditionKeys": \#(value)}}}, "t": {"name": "T", "actions": {}}}}"#
        func failure(_ jobs: Int) -> String {
            do { _ = try ActionCatalogue.parseServices(Data(text.utf8), jobs: jobs); return "no error" } catch { return "\(error)" }
        }
        let one = failure(1)
        #expect(one.contains("catalogue JSON error at byte"), "\(one)")
        #expect(failure(3) == one)
        let valid = text.replacingOccurrences(of: value, with: #"["k1", {"k2": [true, null, 1.5]}]"#)
        #expect((try? ActionCatalogue.parseServices(Data(valid.utf8)))?.list.count == 2)
    }

    @Test func lookupsAreCaseInsensitiveAndCanonical() throws {
        let info = try #require(catalogue.action(named: IAMAction("BEDROCK-AGENTCORE:invokeagentruntime")!))
        #expect(info.action.description == "bedrock-agentcore:InvokeAgentRuntime")
        #expect(info.accessLevel == .write)
        #expect(info.resourceTypes == [ResourceRequirement(name: "runtime", required: true),
                                       ResourceRequirement(name: "runtime-endpoint", required: true)])
        #expect(!info.permissionOnly)
        #expect(catalogue.action(named: "bedrock-agentcore:InvokeGateway")?.permissionOnly == true)
        #expect(catalogue.action(named: "bedrock-agentcore:CreateGateway")?.supportsResourceLevelPermissions == false)
        #expect(catalogue.action(named: "bedrock-agentcore:InvokeAgent") == nil)
    }

    @Test(arguments: [
        ("bedrock-agentcore:*", 258), ("bedrock:Invoke*", 14), ("BEDROCK:invoke*", 14), ("bedrock:InvokeModel", 1),
        ("bedrock:invokemodel", 1), ("bedrock-agentcore:InvokeAgent", 0), ("s3:Get?bject", 1), ("nosuch:*", 0),
        ("sts:*", 16), ("bedrock*:InvokeAgent*", 7), ("*", 22_321), ("bedrock-agentcore:Invoke*", 11),
    ])
    func expandsWildcards(_ pair: (String, Int)) {
        #expect(catalogue.expand(pattern: pair.0).count == pair.1, "\(pair.0)")
    }

    @Test func expansionReturnsCanonicalSortedActions() {
        let got = catalogue.expand(pattern: "bedrock:invokemodel*").map(\.description)
        #expect(got == ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"])
        #expect(catalogue.actions(prefix: "Bedrock-AgentCore").count == 258)
    }

    @Test(arguments: [
        ("bedrock-agentcore:InvokeAgent", "bedrock-agentcore:InvokeAgentRuntime"),
        ("bedrock-agentcore:SearchMemory", "bedrock-agentcore:RetrieveMemoryRecords"),
        ("bedrock-agentcore:CreateGatewayTool", "bedrock-agentcore:CreateGatewayTarget"),
        ("bedrock-agentcore:ListGatewayTools", "bedrock-agentcore:ListGatewayTargets"),
        ("bedrock:InvokeModl", "bedrock:InvokeModel"),
        ("bedrok:InvokeModel", "bedrock:InvokeModel"),
        ("s3:GetObjects", "s3:GetObject"),
        ("dynamodb:QueryItems", "dynamodb:Query"),
    ])
    func suggestsTheRightActionFirst(_ pair: (String, String)) {
        let suggestions = catalogue.suggestions(for: IAMAction(pair.0)!)
        #expect(suggestions.first?.description == pair.1, "\(pair.0) → \(suggestions)")
    }

    @Test func noSuggestionsForKnownActions() {
        #expect(catalogue.suggestions(for: IAMAction("bedrock:InvokeModel")!).isEmpty)
    }

    @Test func curatedMistakeTargetsExist() {
        for (_, targets) in ActionCatalogue.knownMistakes {
            for t in targets { #expect(catalogue.action(named: t) != nil, "\(t)") }
        }
    }

    @Test(arguments: [
        ("arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/abc", "bedrock-agentcore", "runtime"),
        ("arn:aws:bedrock-agentcore:us-east-1:123456789012:runtime/abc/runtime-endpoint/DEFAULT", "bedrock-agentcore", "runtime-endpoint"),
        ("arn:aws:bedrock-agentcore:us-east-1:123456789012:memory/m-1", "bedrock-agentcore", "memory"),
        ("arn:aws:bedrock-agentcore:us-east-1:aws:browser/aws.browser.v1", "bedrock-agentcore", "browser"),
        ("arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3", "bedrock", "foundation-model"),
        ("arn:aws:s3:::bucket/key/with/slashes", "s3", "object"),
        ("arn:aws:dynamodb:us-east-1:123456789012:table/T", "dynamodb", "table"),
    ])
    func matchesConcreteArnsToResourceTypes(_ t: (String, String, String)) {
        #expect(catalogue.resourceType(matching: t.0, prefix: t.1)?.name == t.2, "\(t.0)")
    }

    @Test func agentRuntimeIsNotAResourceType() {
        #expect(catalogue.resourceType(matching: "arn:aws:bedrock-agentcore:us-east-1:1:agent-runtime/x", prefix: "bedrock-agentcore") == nil)
        #expect(catalogue.resourceTypes(compatibleWith: "arn:aws:bedrock-agentcore:*:*:agent-runtime/*") == [])
        #expect(catalogue.resourceTypes(compatibleWith: "arn:aws:bedrock-agentcore:*:*:runtime/*")?.map(\.name).sorted()
                == ["runtime", "runtime-endpoint"])
        #expect(catalogue.resourceTypes(compatibleWith: "arn:aws:bedrock-agentcore:*") != [])
        #expect(catalogue.resourceTypes(compatibleWith: "arn:aws:nosuchservice:*:*:x/y") == nil)
    }

    @Test(arguments: [
        ("*", "anything", true), ("a*c", "abbbc", true), ("a?c", "abc", true), ("a?c", "ac", false),
        ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y", true), ("arn:aws:s3:::b/*", "arn:aws:s3:::c/x", false),
        ("*:*:runtime/*", "arn:aws:x:runtime/y", true), ("abc", "ABC", false),
    ])
    func wildcardMatching(_ t: (String, String, Bool)) {
        #expect(Glob.matches(t.0, t.1) == t.2)
    }

    @Test func catalogueFromDataWorks() throws {
        let json = #"{"services": {"x": {"name": "X", "resources": {"thing": "arn:${Partition}:x:${Region}:${Account}:thing/${Id}"}, "actions": {"DoIt": {"access": "Write", "resources": ["thing*"]}, "Peek": {"access": "Read", "resources": [], "permissionOnly": true}}}}}"#
        let c = try ActionCatalogue(jsonData: Data(json.utf8))
        #expect(c.actionCount == 2)
        #expect(c.expand(pattern: "x:*").map(\.description) == ["x:DoIt", "x:Peek"])
        #expect(c.action(named: "x:peek")?.permissionOnly == true)
        #expect(throws: ActionCatalogue.LoadError.self) { try ActionCatalogue(jsonData: Data("[]".utf8)) }
    }

    /// The walk over the catalogue (`forEachAction`, which `NotAction` grants and `*` patterns go through) gives each
    /// action the index holds once, at the location the index holds (an action listed twice: its later entry, with
    /// that entry's spelling), in load order — service by service, each service's actions in order — whatever the
    /// sizes (empty services, a service of exactly 64 actions, one spanning several words of the walk's bitmap).
    @Test(arguments: [
        [0, 3, 0, 1], [64], [63, 1, 64, 65], [130, 0, 2], [1], [0], [5, 5, 5],
    ])
    func walkGivesEachHeldActionOnceInLoadOrder(_ sizes: [Int]) {
        // Services "s0", "s1", ...; every third service repeats the previous one's prefix in upper case, so its
        // actions of the same names are the same actions (the later entries win).
        var services: [ServiceInfo] = []
        for (k, n) in sizes.enumerated() {
            let prefix = k % 3 == 2 ? "S\(k - 1)" : "s\(k)"
            let actions = (0..<n).map {
                ActionInfo(action: IAMAction(prefix: prefix, name: "Act\($0)"), accessLevel: .read, resourceTypes: [],
                           permissionOnly: false)
            }
            services.append(ServiceInfo(prefix: prefix, name: prefix, actions: actions, resourceTypes: []))
        }
        let c = ActionCatalogue(services: services, sourceDescription: "test")
        // Expected: every entry, except those a later entry of the same action replaces, in load order.
        var last: [String: (Int, Int)] = [:]
        for (s, service) in services.enumerated() {
            for (a, entry) in service.actions.enumerated() { last[entry.action.normalized] = (s, a) }
        }
        var expected: [String] = []
        for (s, service) in services.enumerated() {
            for (a, entry) in service.actions.enumerated() where last[entry.action.normalized]! == (s, a) {
                expected.append(entry.action.description)
            }
        }
        var walked: [String] = []
        c.forEachAction { walked.append($0.description) }
        #expect(walked == expected)
        #expect(c.actionCount == expected.count)
        #expect(c.unorderedActions.map(\.description) == expected)
    }
}

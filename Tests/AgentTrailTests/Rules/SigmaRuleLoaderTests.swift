import Foundation
import Testing
import AgentTrailTestSupport
@testable import AgentTrail

@Suite struct SigmaRuleLoaderTests {
    /// Unsupported features are errors naming the file, the line and the feature — never a rule that never matches.
    @Test(arguments: [
        ("sel:\n    eventName|windash: x\ncondition: sel", RuleError.Code.unsupported, "value modifier 'windash'", 8),
        ("sel:\n    eventName|expand: '%x%'\ncondition: sel", .unsupported, "value modifier 'expand'", 8),
        ("sel:\n    eventName: x\ntimeframe: 5m\ncondition: sel", .unsupported, "timeframe", 9),
        ("sel:\n    eventName: x\ncondition: sel | count() by x > 5", .unsupported, "not supported", 9),
        ("sel:\n    eventName: x\ncondition: sel and nope", .badCondition, "does not define", 9),
        ("sel:\n    eventName|re: '(unclosed'\ncondition: sel", .invalidValue, "regular expression", 8),
        ("sel:\n    eventName|cidr: not-a-network\ncondition: sel", .invalidValue, "not a CIDR", 8),
        ("sel:\n    eventName|gt: many\ncondition: sel", .invalidValue, "needs a number", 8),
        ("sel:\n    eventName|i: x\ncondition: sel", .invalidValue, "flag of 're'", 8),
        ("sel:\n    eventName|contains|startswith: x\ncondition: sel", .invalidValue, "cannot be combined", 8),
        ("sel:\n    eventName: x", .missingKey, "no 'condition'", 7),
    ] as [(String, RuleError.Code, String, Int)])
    func unsupportedAndInvalidRulesNameFileLineAndFeature(detection: String, code: RuleError.Code, text: String, line: Int) {
        let (set, errors) = SigmaRuleLoader.load(yaml: SigmaTest.rule(detection), file: "rules/bad.yml")
        #expect(set.rules.isEmpty)
        #expect(errors.count == 1)
        let e = errors.first
        #expect(e?.code == code)
        #expect(e?.file == "rules/bad.yml")
        #expect(e?.message.contains(text) == true, "\(e?.message ?? "")")
        #expect(e?.line == line, "\(e?.description ?? "")")
    }

    @Test func otherLogSourcesAreSkippedAndCounted() throws {
        let yaml = """
        title: Windows
        id: 11111111-1111-4111-8111-111111111111
        logsource: {product: windows, category: process_creation}
        detection: {sel: {Image: x}, condition: sel}
        ---
        \(SigmaTest.rule("sel:\n    eventName: x\ncondition: sel"))
        """
        let (set, errors) = SigmaRuleLoader.load(yaml: yaml, file: "mixed.yml")
        #expect(errors.isEmpty)
        #expect(set.rules.count == 1)
        #expect(set.otherLogSources == 1)
        #expect(set.notes.first?.message.contains("not product aws") == true)
    }

    @Test func rulesAreDeduplicatedByIdFirstWins() throws {
        let a = SigmaTest.rule("sel:\n    eventName: First\ncondition: sel")
        let b = SigmaTest.rule("sel:\n    eventName: Second\ncondition: sel")
        let (set, errors) = SigmaRuleLoader.load(yaml: a + "\n---\n" + b, file: "dup.yml")
        #expect(errors.isEmpty)
        #expect(set.rules.count == 1)
        #expect(set.duplicates == 1)
        #expect(set.rules[0].eventNames == ["first"])
    }

    @Test func hostileYAMLIsRefusedBeforeItIsComposed() {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i == 1 ? "" : String(i - 1))", count: 10).joined(separator: ", ") + "]\n" }
        let (_, errors) = SigmaRuleLoader.load(yaml: yaml, file: "bomb.yml")
        #expect(errors.first?.code == .tooLarge)
    }

    /// A YAML syntax error is a rule error naming the file and the line, wherever it is: in a file's only document, or
    /// after valid ones (Yams' document sequence ends there and keeps the error; read without checking it, the rest of
    /// the file was dropped silently). The file's rules are left out, as for any rule error.
    @Test(arguments: [
        ("title: x\n- y\n", 2),
        ("title: [unclosed\n", 2),
        (SigmaTest.rule("sel:\n    eventName: GetObject\ncondition: sel") + "\n---\ntitle: x\n  - y: [\n", 13),
    ])
    func yamlSyntaxErrorsNameTheFileAndLine(yaml: String, line: Int) {
        let (set, errors) = SigmaRuleLoader.load(yaml: yaml, file: "broken.yml")
        #expect(errors.count == 1)
        #expect(errors.first?.code == .syntax)
        #expect(errors.first?.file == "broken.yml")
        #expect(errors.first?.line == line, "\(errors)")
        #expect(set.rules.isEmpty)
    }

    @Test func prefilterTakesExactEventNamesAndSources() throws {
        let set = try SigmaTest.compile(SigmaTest.rule("""
        sel:
            eventSource: cloudtrail.amazonaws.com
            eventName:
                - StopLogging
                - DeleteTrail
        other:
            eventName|startswith: Update
        condition: sel or (other and not sel)
        """))
        // `other` has no exact name: the OR leaves the names unconstrained; the source is not constrained by `other`.
        #expect(set.rules[0].eventNames == nil)
        let tight = try SigmaTest.compile(SigmaTest.rule("""
        sel:
            eventSource: cloudtrail.amazonaws.com
            eventName:
                - StopLogging
                - DeleteTrail
        filter:
            userIdentity.type: AWSService
        condition: sel and not filter
        """))
        #expect(tight.rules[0].eventNames == ["stoplogging", "deletetrail"])
        #expect(tight.rules[0].eventSources == ["cloudtrail.amazonaws.com"])
    }

    @Test func sigmaFiltersAddTheirConditionToTheRulesTheyName() throws {
        let yaml = SigmaTest.rule("sel:\n    eventName: GetObject\ncondition: sel") + """

        ---
        title: Not the backup role
        id: 22222222-2222-4222-8222-222222222222
        logsource: {product: aws, service: cloudtrail}
        filter:
            rules:
                - 00000000-0000-4000-8000-000000000001
            selection:
                userIdentity.arn|endswith: /backup
            condition: not selection
        """
        let set = try SigmaTest.compile(yaml)
        let r = SigmaRecord()
        func run(_ json: String) -> Bool {
            var b = Array(json.utf8)
            return b.withUnsafeMutableBufferPointer { p in
                r.reset(UnsafePointer(p.baseAddress!), p.count)
                return set.rules[0].detection.matches(r)
            }
        }
        #expect(run(#"{"eventName":"GetObject","userIdentity":{"arn":"arn:aws:iam::1:user/alice"}}"#))
        #expect(!run(#"{"eventName":"GetObject","userIdentity":{"arn":"arn:aws:iam::1:role/backup"}}"#))
    }

    /// The 57 SigmaHQ CloudTrail rules (vendored, DRL 1.1) all load, unmodified.
    @Test func everySigmaHQCloudTrailRuleLoads() {
        let (set, errors) = SigmaRuleLoader.load(paths: [TestPaths.fixtures + "/sigma/SigmaHQ-cloudtrail"])
        #expect(errors.isEmpty, "\(errors)")
        #expect(set.rules.count == 57)
        #expect(set.otherLogSources == 0)
    }

    /// Files parsed on several threads load the same rules, correlations, notes and errors in the same order as on
    /// one: the shipped pack, the SigmaHQ rules, and a folder of broken, duplicate and foreign files between them.
    @Test(arguments: [2, 3, 8])
    func parsingOnSeveralThreadsLoadsTheSame(jobs: Int) throws {
        let dir = try TestPaths.temporaryFolder("rules-jobs")
        defer { TestPaths.remove(dir) }
        let files: [(String, String)] = [
            ("a-broken.yml", "title: x\n- y\n"),
            ("b-rule.yml", SigmaTest.rule("sel:\n    eventName: GetObject\ncondition: sel", id: "00000000-0000-4000-8000-0000000000a1")),
            ("c-duplicate.yml", SigmaTest.rule("sel:\n    eventName: PutObject\ncondition: sel", id: "00000000-0000-4000-8000-0000000000a1")),
            ("d-unsupported.yml", SigmaTest.rule("sel:\n    eventName|nosuchmodifier: x\ncondition: sel", id: "00000000-0000-4000-8000-0000000000a2")),
            ("e-windows.yml", "title: Other\nid: 00000000-0000-4000-8000-0000000000a3\nlogsource: {product: windows}\ndetection: {sel: {EventID: 1}, condition: sel}\n"),
        ]
        for (name, text) in files { try Data(text.utf8).write(to: dir.appendingPathComponent(name)) }
        try Data([0xFF, 0xFE, 0x00]).write(to: dir.appendingPathComponent("f-not-utf8.yml"))
        let pack = try #require(RulePack.folder)
        let paths: [String] = [pack, TestPaths.fixtures + "/sigma/SigmaHQ-cloudtrail", dir.path]
        let (one, oneErrors) = SigmaRuleLoader.load(paths: paths, jobs: 1)
        let (many, manyErrors) = SigmaRuleLoader.load(paths: paths, jobs: jobs)
        #expect(oneErrors.count >= 3, "\(oneErrors)")  // (the broken, unsupported and non-UTF-8 files)
        #expect(manyErrors == oneErrors)
        #expect(many.rules.map(\.id) == one.rules.map(\.id))
        #expect(many.rules.map(\.file) == one.rules.map(\.file))
        #expect(many.rules.map(\.title) == one.rules.map(\.title))
        #expect(many.correlations.map(\.id) == one.correlations.map(\.id))
        #expect(many.notes == one.notes)
        #expect(many.duplicates == one.duplicates && one.duplicates >= 1)
        #expect(many.otherLogSources == one.otherLogSources && one.otherLogSources >= 1)
        #expect(one.rules.count > 57 + 1)
    }
}

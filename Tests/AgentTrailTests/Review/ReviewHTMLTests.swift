import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import AgentTrail

/// Collects the structure of an XHTML-style page.
private final class PageStructure: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var scriptSources: [String] = []
    var scriptTexts: [String] = []
    private var inScript = false
    var error: String?

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements[name, default: 0] += 1
        if name == "script" {
            inScript = true
            scriptTexts.append("")
            if let src = attributes["src"] { scriptSources.append(src) }
        }
        for (k, v) in attributes where k == "href" || k == "src" {
            if v.contains("://") { scriptSources.append(v) }
        }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "script" { inScript = false }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inScript { scriptTexts[scriptTexts.count - 1] += string }
    }
    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = "\(parseError) line \(parser.lineNumber)" }
}

@Suite struct ReviewHTMLTests {
    static let hostileAgent = "<script>alert(1)</script>"
    static let quotedSession = "o'brien\"x"

    /// A one-file archive whose role has a hostile user agent and a session name with quotes, plus its policy.
    static func hostileArchive() throws -> (logs: String, policies: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agenttrail-review-\(UUID().uuidString)")
        let logDir = dir.appendingPathComponent("AWSLogs/111122223333/CloudTrail/us-east-1/2025/06/02")
        try FileManager.default.createDirectory(at: logDir, withIntermediateDirectories: true)
        func record(_ i: Int, _ name: String, error: String? = nil) -> String {
            """
            {"eventVersion":"1.09","eventTime":"2025-06-02T0\(i):00:00Z","eventSource":"bedrock.amazonaws.com","eventName":"\(name)",
             "awsRegion":"us-east-1","sourceIPAddress":"203.0.113.9","userAgent":\(Escaping.jsonString(hostileAgent)),
             \(error.map { "\"errorCode\":\"\($0)\"," } ?? "")
             "userIdentity":{"type":"AssumedRole","arn":\(Escaping.jsonString("arn:aws:sts::111122223333:assumed-role/HostileRole/" + quotedSession)),
               "accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/HostileRole"}}},
             "requestParameters":{"modelId":"anthropic.claude-3-haiku-20240307-v1:0"},"eventID":"e\(i)","eventType":"AwsApiCall",
             "managementEvent":true,"eventCategory":"Management","recipientAccountId":"111122223333"}
            """
        }
        let body = "{\"Records\":[" + [record(1, "InvokeModel"), record(2, "ListFoundationModels", error: "AccessDeniedException")]
            .joined(separator: ",") + "]}"
        try Data(body.utf8).write(to: logDir.appendingPathComponent("111122223333_CloudTrail_us-east-1_20250602T0100Z_x.json"))
        let policy = """
        {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["bedrock:InvokeModel","bedrock:GetFoundationModel"],
          "Resource":"arn:aws:bedrock:*::foundation-model/*"}]}
        """
        try Data(policy.utf8).write(to: dir.appendingPathComponent("HostileRole.json"))
        return (dir.appendingPathComponent("AWSLogs").path, dir.appendingPathComponent("HostileRole.json").path)
    }

    static func hostileReport() throws -> AccessReport {
        let (logs, policies) = try hostileArchive()
        let loaded = try PolicyContextLoader.load(paths: [policies], config: AgentTrailConfig())
        var options = ScanOptions(paths: [logs], jobs: 1, now: ReviewFixtures.now)
        options.context = AnalysisContext(config: AgentTrailConfig(), policies: loaded.info)
        return AccessReview.run(options, loaded: loaded)
    }

    @Test func hostileValuesAreEscapedAndPageIsWellFormed() throws {
        let report = try Self.hostileReport()
        let role = try #require(report.principals.first)
        #expect(role.used == ["bedrock:InvokeModel"])
        #expect(role.unused == ["bedrock:GetFoundationModel"])
        #expect(role.deniedAttempts == ["bedrock:ListFoundationModels"])
        #expect(role.userAgents == [Self.hostileAgent] && role.sessionNames == [Self.quotedSession])
        let html = report.html
        #expect(html.hasPrefix("<!DOCTYPE html>\n"))
        #expect(!html.contains(Self.hostileAgent))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("o&#39;brien&quot;x"))
        #expect(!html.contains(Self.quotedSession))
        let page = PageStructure()
        let parser = XMLParser(data: Data(html.dropFirst("<!DOCTYPE html>\n".count).utf8))
        parser.delegate = page
        #expect(parser.parse(), "\(page.error ?? "")")
        #expect(page.elements["script"] == 1)
        #expect(page.scriptSources.isEmpty)
        #expect(!page.scriptTexts.joined().contains("alert"))
        #expect(page.elements["svg", default: 0] >= 2)
        #expect(page.elements["table", default: 0] >= 3)
        #expect(!html.contains("<link") && !html.contains("@import") && !html.contains("url("))
    }

    @Test func sampleHTMLIsWellFormed() throws {
        let html = try ReviewFixtures.sampleReport.get().html
        let page = PageStructure()
        let parser = XMLParser(data: Data(html.dropFirst("<!DOCTYPE html>\n".count).utf8))
        parser.delegate = page
        #expect(parser.parse(), "\(page.error ?? "")")
        #expect(page.elements["section"] == 10)
        #expect(page.scriptSources.isEmpty && page.elements["script"] == 1)
    }

    @Test(arguments: ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)"])
    func csvNeutralizesFormulas(value: String) {
        let cell = Escaping.csvCell(value)
        #expect(cell.hasPrefix("'") || cell.hasPrefix("\"'"))
    }

    @Test func csvHasOneRowPerPrincipalAction() throws {
        let report = try Self.hostileReport()
        let rows = report.csv.split(separator: "\r\n")
        #expect(rows.first == Substring(AccessReport.csvHeader.joined(separator: ",")))
        #expect(rows.count == 1 + report.principals.reduce(0) { $0 + $1.actions.count })
        #expect(rows.contains { $0.hasPrefix("arn:aws:iam::111122223333:role/HostileRole,bedrock:InvokeModel,used,true,1,") })
    }
}

import Foundation
import Testing

/// Nightly mode reports the same findings whatever `--batch-size` and `--jobs`: windows that span batches
/// (an invocation burst, a denied burst, a recon set) are judged whole, a new IP's finding counts all its calls,
/// an AgentCore role discovered in a later file applies to the earlier ones. And a window that straddles two
/// nightly runs is judged whole too (the store keeps the recent 5-minute invocation counts).
@Suite(.serialized) struct NightlyBatchIndependenceTests {
    static let account = "111122223333"
    static let appRole = "arn:aws:iam::111122223333:role/AppRole"
    static let agentRole = "arn:aws:iam::111122223333:role/AgentRuntimeRole"
    static let intruder = "arn:aws:iam::111122223333:user/intruder"

    static func time(day: Int, minute: Double) -> String {
        let base = Date(timeIntervalSince1970: 1_748_822_400)  // 2025-06-02T00:00:00Z, a Monday
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: base.addingTimeInterval(Double(day) * 86_400 + minute * 60))
    }

    /// One CloudTrail record; `who` is a role ARN (assumed-role session), a user ARN (long-term key) or "agentcore".
    static func record(_ who: String, day: Int, minute: Double, source: String = "bedrock", name: String = "InvokeModel",
                       ip: String = "203.0.113.5", error: String? = nil, params: [String: Any]? = nil, id: String) -> [String: Any] {
        var identity: [String: Any]
        if who == "agentcore" {
            identity = ["type": "AWSService", "invokedBy": "bedrock-agentcore.amazonaws.com"]
        } else if who.contains(":role/") {
            let name = who.split(separator: "/").last!
            identity = ["type": "AssumedRole", "arn": "arn:aws:sts::\(account):assumed-role/\(name)/s", "accountId": account,
                        "accessKeyId": "ASIAEXAMPLE", "sessionContext": ["sessionIssuer": ["type": "Role", "arn": who]]]
        } else {
            identity = ["type": "IAMUser", "arn": who, "accountId": account, "accessKeyId": "AKIAEXAMPLEINTRUDER",
                        "userName": String(who.split(separator: "/").last!)]
        }
        var r: [String: Any] = [
            "eventVersion": "1.09", "eventTime": time(day: day, minute: minute), "eventSource": "\(source).amazonaws.com",
            "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": ip, "userAgent": "Boto3/1.34", "eventID": id,
            "eventType": "AwsApiCall", "recipientAccountId": account, "userIdentity": identity,
        ]
        if let error { r["errorCode"] = error; r["errorMessage"] = "denied" }
        if let params { r["requestParameters"] = params }
        return r
    }

    /// Three days from Monday 2025-06-02: two learning days of AppRole traffic (6 calls an hour at night, 40 by
    /// day) in 6-hour files, then an alerting day in hourly files, with 5-minute files from 03:00 to 04:00 where
    /// a 90-call InvokeAgentRuntime burst (03:10–03:30), a 12-action denied burst (03:36–03:46) and a recon set
    /// (03:46–03:56) each span several files. Returns the relative paths and their delivery minute of day 2.
    static func archive(in dir: URL) throws -> [(path: String, day: Int, deliveryMinute: Int)] {
        var byFile: [Int: [[String: Any]]] = [:]   // key: day * 10_000 + delivery minute
        var n = 0
        func add(_ r: [String: Any], day: Int, minute: Double) {
            let delivery: Int
            if day < 2 {
                delivery = min(1435, (Int(minute) / 360 + 1) * 360)          // 06:00, 12:00, 18:00, 23:55
            } else if minute >= 180 && minute < 240 {
                delivery = (Int(minute) / 5 + 1) * 5                           // 5-minute files 03:05 … 04:00
            } else {
                delivery = min(1439, (Int(minute) / 60 + 1) * 60)              // hourly files
            }
            byFile[day * 10_000 + delivery, default: []].append(r)
            n += 1
        }
        for day in 0..<3 {
            for hour in 0..<24 {
                let count = (8..<18).contains(hour) ? 40 : 6
                for k in 0..<count {
                    let m = Double(hour * 60) + (Double(k) + 0.5) * 60 / Double(count)
                    add(record(appRole, day: day, minute: m, id: "t-\(day)-\(hour)-\(k)"), day: day, minute: m)
                }
            }
        }
        for k in 0..<90 {                                   // 90 invocations in 20 minutes at night
            let m = 190 + Double(k) * 20 / 90
            add(record(appRole, day: 2, minute: m, source: "bedrock-agentcore", name: "InvokeAgentRuntime", id: "burst-\(k)"), day: 2, minute: m)
        }
        for k in 0..<12 {                                   // 12 distinct denied IAM actions in 9 minutes (3 files)
            let m = 216 + Double(k) * 50 / 60
            add(record(intruder, day: 2, minute: m, source: "iam", name: "List\(["Users", "Roles", "Groups", "Policies"][k % 4])\(k)",
                       ip: "198.51.100.66", error: "AccessDenied", id: "deny-\(k)"), day: 2, minute: m)
        }
        let recon = ["ListFoundationModels", "GetFoundationModelAvailability", "ListFoundationModelAgreementOffers",
                     "GetUseCaseForModelAccess", "GetModelInvocationLoggingConfiguration", "ListProvisionedModelThroughputs"]
        for (k, name) in recon.enumerated() {
            let m = 226 + Double(k) * 2
            add(record(intruder, day: 2, minute: m, name: name, ip: "198.51.100.66", id: "recon-\(k)"), day: 2, minute: m)
        }
        for (k, m) in [330.0, 450, 570].enumerated() {      // AppRole from a new IP in three hourly files
            add(record(appRole, day: 2, minute: m, ip: "198.51.100.7", id: "newip-\(k)"), day: 2, minute: m)
        }
        // An AgentCore role used from a public non-AWS address at 08:30, discovered by its AssumeRole at 10:30 (a later file).
        add(record(agentRole, day: 2, minute: 510, ip: "198.51.100.44", id: "agent-call"), day: 2, minute: 510)
        add(record("agentcore", day: 2, minute: 630, source: "sts", name: "AssumeRole", ip: "bedrock-agentcore.amazonaws.com",
                   params: ["roleArn": agentRole, "roleSessionName": "rt"], id: "agent-assume"), day: 2, minute: 630)

        var out: [(String, Int, Int)] = []
        for (key, records) in byFile {
            let day = key / 10_000, minute = key % 10_000
            let d = String(format: "%02d", 2 + day)
            let stamp = "202506\(d)T\(String(format: "%02d%02d", minute / 60, minute % 60))Z"
            let rel = "AWSLogs/\(account)/CloudTrail/us-east-1/2025/06/\(d)/\(account)_CloudTrail_us-east-1_\(stamp)_f\(key).json"
            let url = dir.appendingPathComponent(rel)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let sorted = records.sorted { ($0["eventTime"] as! String, $0["eventID"] as! String) < ($1["eventTime"] as! String, $1["eventID"] as! String) }
            try JSONSerialization.data(withJSONObject: ["Records": sorted], options: [.sortedKeys]).write(to: url)
            out.append((rel, day, minute))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    static func config(in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("agenttrail.yml").path
        try "baseline:\n  learningDays: 2\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A policy folder with an over-broad policy for AppRole (a finding made from the policy, not from records).
    static func policies(in dir: URL) throws -> String {
        let folder = dir.appendingPathComponent("policies")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"bedrock:*","Resource":"*"}]}"#
            .write(to: folder.appendingPathComponent("AppRole.json"), atomically: true, encoding: .utf8)
        return folder.path
    }

    static func findings(_ jsonl: String) throws -> [[String: Any]] {
        try jsonl.split(separator: "\n").map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
    }

    /// One nightly run over `logs` with a fresh state file; its findings (JSON lines) and the state export.
    static func nightly(_ logs: URL, config: String, policies: String, batchSize: Int, jobs: Int, dir: URL) throws -> (findings: String, state: String) {
        let db = dir.appendingPathComponent("b\(batchSize)-j\(jobs).sqlite").path
        let o = CLI.runInProcess(["scan", logs.path, "--state", db, "--config", config, "--policies", policies,
                             "--batch-size", "\(batchSize)", "--jobs", "\(jobs)", "--format", "jsonl"])
        #expect(o.status == 0, "\(o.stderr)")
        let state = CLI.runInProcess(["state", "export", "--state", db, "--ledger", "--findings"])
        #expect(state.status == 0)
        return (o.stdout, state.stdout)
    }

    @Test func sameFindingsForAnyBatchSizeAndJobCount() throws {
        let dir = try CLI.tempDir("batches")
        let logs = dir.appendingPathComponent("logs")
        let files = try Self.archive(in: logs)
        #expect(files.count > 40)
        let config = try Self.config(in: dir)
        let policies = try Self.policies(in: dir)
        let reference = try Self.nightly(logs, config: config, policies: policies, batchSize: 500, jobs: 2, dir: dir)
        for (batchSize, jobs) in [(10, 1), (2, 2), (2, 1)] {
            let got = try Self.nightly(logs, config: config, policies: policies, batchSize: batchSize, jobs: jobs, dir: dir)
            #expect(got.findings == reference.findings, "--batch-size \(batchSize) --jobs \(jobs) reports other findings")
            #expect(got.state == reference.state, "--batch-size \(batchSize) --jobs \(jobs) leaves another state")
        }
        let found = try Self.findings(reference.findings)
        func one(_ detector: String, _ principal: String) -> [String: Any]? {
            let matches = found.filter { $0["detector"] as? String == detector && $0["principal"] as? String == principal }
            #expect(matches.count == 1, "\(detector) \(principal): \(matches.count) findings")
            return matches.first
        }
        // What the batches split: each must be found whole.
        let spike = try #require(one("invocation-spike", Self.appRole))
        #expect((spike["count"] as? Int ?? 0) >= 90)
        #expect((spike["title"] as? String)?.contains("at 03:00 UTC") == true)
        // The premise: the burst is spread over several files, so batches of 2 files cut it.
        let burstFiles = Set((spike["evidence"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String })
        #expect(burstFiles.count >= 4)
        let burst = try #require(one("denied-burst", Self.intruder))
        #expect(burst["count"] as? Int == 12)
        #expect(one("bedrock-recon", Self.intruder) != nil)
        #expect(one("agent-role-outside-runtime", Self.agentRole) != nil)
        let ip = try #require(one("unknown-source-ip", Self.appRole))
        #expect(ip["count"] as? Int == 3)
        let grants = found.filter { $0["detector"] as? String == "over-broad-grant" }
        #expect(!grants.isEmpty)
        #expect(grants.allSatisfy { $0["count"] as? Int == 1 }, "a policy finding is counted once per run, not once per batch")
        // The intruder has no baseline (first seen after learning): no "new region" for it in any batch.
        #expect(!found.contains { $0["detector"] as? String == "new-region" })
    }

    @Test func burstStraddlingTwoRunsIsJudgedWhole() throws {
        let dir = try CLI.tempDir("two-runs")
        let all = dir.appendingPathComponent("all")
        let files = try Self.archive(in: all)
        let config = try Self.config(in: dir)
        let logs = dir.appendingPathComponent("logs")
        func copy(_ rel: [String]) throws {
            for r in rel {
                let dst = logs.appendingPathComponent(r)
                try FileManager.default.createDirectory(at: dst.deletingLastPathComponent(), withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: all.appendingPathComponent(r), to: dst)
            }
        }
        // The first night's sync stops at 03:20 on the third day: half the burst (45 calls) in each run.
        let first = files.filter { $0.day < 2 || $0.deliveryMinute <= 200 }.map(\.path)
        try copy(first)
        let db = dir.appendingPathComponent("s.sqlite").path
        let args = ["scan", logs.path, "--state", db, "--config", config, "--format", "jsonl"]
        let run1 = CLI.runInProcess(args)
        #expect(run1.status == 0, "\(run1.stderr)")
        #expect(!(try Self.findings(run1.stdout)).contains { $0["detector"] as? String == "invocation-spike" })
        try copy(files.map(\.path).filter { !first.contains($0) })
        let run2 = CLI.runInProcess(args)
        #expect(run2.status == 0, "\(run2.stderr)")
        let spike = try #require(try Self.findings(run2.stdout).first { $0["detector"] as? String == "invocation-spike" })
        #expect(spike["principal"] as? String == Self.appRole)
        // Only the second run's calls are counted; the first run's are the context that makes the window whole.
        let count = spike["count"] as? Int ?? 0
        #expect(count >= 45 && count < 90)
        let details = try #require(spike["details"] as? [String: [String]])
        #expect(details["context"]?.first?.contains("read by earlier runs") == true)
    }
}

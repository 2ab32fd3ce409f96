import AgentTrailTestSupport
import Foundation
import Testing

/// Nightly mode at scale: `scan --state S --shard K/N` (one state file per account shard) and the merge of the
/// shards' nightly partials. Over two nights of three accounts, the merged reports of 2 and 3 shards equal one
/// unsharded nightly run over everything (findings and their activity, byte for byte once the timing and the state
/// block are dropped); a state file refuses another shard spec; the merge refuses partials that do not make a whole.
@Suite(.serialized) struct NightlyShardTests {
    /// A third account, next to SampleLogs' two, placed by rendezvous hashing on shard 1 of 2 and shard 1 of 3
    /// (111122223333: shards 0 and 2; 444455556666: shards 0 and 0), so that 3 shards hold one account each.
    static let third = "999988887777"
    static let role = "arn:aws:iam::999988887777:role/ReportsRole"
    static let config = ["--config", "SampleLogs/agenttrail.yml"]
    /// Night 1 reads the files delivered up to this day of June 2025, night 2 the rest (up to the 16th).
    static let lastDayOfNight1 = 10

    static func time(day: Int, minute: Int) -> String {
        String(format: "2025-06-%02dT%02d:%02d:%02dZ", day, minute / 60, minute % 60, (day * 7 + minute) % 60)
    }

    /// One record of the third account (`who`: the role's session, or a user of that account).
    static func record(day: Int, minute: Int, source: String = "bedrock", name: String = "InvokeModel",
                       ip: String = "203.0.113.5", region: String = "us-east-1", error: String? = nil,
                       user: String? = nil, id: String) -> [String: Any] {
        let identity: [String: Any]
        if let user {
            identity = ["type": "IAMUser", "arn": "arn:aws:iam::\(third):user/\(user)", "accountId": third,
                        "accessKeyId": "AKIAEXAMPLE999", "userName": user]
        } else {
            identity = ["type": "AssumedRole", "arn": "arn:aws:sts::\(third):assumed-role/ReportsRole/s", "accountId": third,
                        "accessKeyId": "ASIAEXAMPLE999", "sessionContext": ["sessionIssuer": ["type": "Role", "arn": role]]]
        }
        var r: [String: Any] = [
            "eventVersion": "1.09", "eventTime": time(day: day, minute: minute), "eventSource": "\(source).amazonaws.com",
            "eventName": name, "awsRegion": region, "sourceIPAddress": ip, "userAgent": "Boto3/1.34", "eventID": id,
            "eventType": "AwsApiCall", "recipientAccountId": third, "userIdentity": identity,
            "requestParameters": ["modelId": "anthropic.claude-3-haiku-20240307-v1:0"],
        ]
        if let error { r["errorCode"] = error; r["errorMessage"] = "denied" }
        return r
    }

    /// The third account's files of `day` (one file per 6 hours, plain JSON): steady model calls from one address in
    /// us-east-1; after the learning week, calls from a new address and a new region (day 12), a StopLogging (day 13)
    /// and a denied burst of a user (day 14).
    static func thirdAccountFiles(day: Int) -> [(name: String, records: [[String: Any]])] {
        var byQuarter: [Int: [[String: Any]]] = [:]
        func add(_ r: [String: Any], minute: Int) { byQuarter[minute / 360, default: []].append(r) }
        for hour in stride(from: 0, to: 24, by: 2) {
            add(record(day: day, minute: hour * 60 + 7, id: "r3-\(day)-\(hour)"), minute: hour * 60 + 7)
        }
        if day == 12 {
            add(record(day: day, minute: 600, ip: "198.51.100.77", id: "r3-newip"), minute: 600)
            add(record(day: day, minute: 610, region: "eu-west-1", id: "r3-newregion"), minute: 610)
        }
        if day == 13 {
            add(record(day: day, minute: 700, source: "cloudtrail", name: "StopLogging", id: "r3-stop"), minute: 700)
        }
        if day == 14 {
            for k in 0..<12 {
                add(record(day: day, minute: 800 + k / 3, source: "iam", name: "ListRoles\(k)", ip: "198.51.100.66",
                           error: "AccessDenied", user: "intruder", id: "r3-deny-\(k)"), minute: 800)
            }
        }
        return byQuarter.keys.sorted().map { q in
            let d = String(format: "%02d", day)
            let stamp = String(format: "202506%@T%02d%02dZ", d, min(23, q * 6 + 5), 55)
            return ("\(third)_CloudTrail_us-east-1_\(stamp)_q\(q).json", byQuarter[q]!)
        }
    }

    /// Puts the files of days `days` into `root/AWSLogs`: SampleLogs' (both accounts) and the third account's.
    static func deliver(days: ClosedRange<Int>, to root: URL, sample: Bool = true) throws {
        let fm = FileManager.default
        for day in days {
            let folder = root.appendingPathComponent(String(format: "AWSLogs/\(third)/CloudTrail/us-east-1/2025/06/%02d", day))
            try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, records) in thirdAccountFiles(day: day) {
                let data = try JSONSerialization.data(withJSONObject: ["Records": records], options: [.sortedKeys])
                try data.write(to: folder.appendingPathComponent(name))
            }
        }
        if !sample { return }
        let sample = TestPaths.url("SampleLogs")
        let walker = fm.enumerator(at: sample.appendingPathComponent("AWSLogs"), includingPropertiesForKeys: nil)!
        for case let url as URL in walker where url.pathExtension == "gz" {
            let relative = String(url.path.dropFirst(sample.path.count + 1))
            guard let r = relative.range(of: "/2025/06/"), let day = Int(relative[r.upperBound...].prefix(2)), days.contains(day) else { continue }
            let target = root.appendingPathComponent(relative)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try fm.copyItem(at: url, to: target)
        }
    }

    struct Failure: Error, CustomStringConvertible { let description: String; init(_ d: String) { description = d } }

    /// One night: a nightly run over `archive` with one state file (`one.sqlite`), and the same night as two account
    /// shards (`s-{shard}.sqlite`, partials `<tag>-K.part`) merged; both as JSON Lines.
    static func oneNightBothWays(_ archive: URL, in dir: URL, tag: String) throws -> (one: String, merged: String) {
        let one = try run(["scan", archive.path, "--state", dir.appendingPathComponent("one.sqlite").path, "--format", "jsonl"]).stdout
        let parts = try (0..<2).map { k in
            let part = dir.appendingPathComponent("\(tag)-\(k).part").path
            _ = try run(["scan", archive.path, "--state", dir.appendingPathComponent("s-{shard}.sqlite").path, "--shard", "\(k)/2",
                         "--partial-out", part])
            return part
        }
        return (one, try run(["merge"] + parts + ["--format", "jsonl"]).stdout)
    }

    static func run(_ args: [String], env: [String: String] = [:], expect status: Int32 = 0) throws -> CLI.Outcome {
        let raw = CLIRunner.inProcess(args, environment: CLI.environment(env))
        let out = CLI.Outcome(status: raw.status, killedBySignal: nil, stdout: raw.stdout, stderr: raw.stderr)
        guard out.status == status else {
            throw Failure("agenttrail \(args.joined(separator: " ")) → \(out.status), expected \(status)\n\(out.stderr)")
        }
        return out
    }

    /// The JSON report without what differs by construction: the `performance` block (timing) and the `state` block
    /// (one state file, or the shards' list).
    static func comparable(_ json: String) throws -> String {
        var s = json
        for block in ["performance", "state"] {
            guard let range = s.range(of: "  \"\(block)\": {") else { throw Failure("no \(block) block in:\n\(json.prefix(300))") }
            let end = try #require(s[range.upperBound...].range(of: "\n  },\n"))
            s = String(s[..<range.lowerBound] + s[end.upperBound...])
        }
        return s
    }

    /// One night: the unsharded run and, for each N, the N shards' partials merged; returns the JSON and JSON Lines
    /// reports by label ("1" for the unsharded run).
    static func night(_ n: Int, archive: URL, dir: URL, shardCounts: [Int]) throws -> [String: (json: String, jsonl: String)] {
        var reports: [String: (json: String, jsonl: String)] = [:]
        // Two unsharded state files kept in step, one for each format.
        let one = try run(["scan", archive.path, "--state", dir.appendingPathComponent("one.sqlite").path, "--format", "json"] + config)
        let lines = try run(["scan", archive.path, "--state", dir.appendingPathComponent("one-l.sqlite").path, "--format", "jsonl"] + config)
        reports["1"] = (one.stdout, lines.stdout)
        for count in shardCounts {
            var parts: [String] = []
            for k in 0..<count {
                let part = dir.appendingPathComponent("n\(count)-night\(n)-shard\(k).part").path
                let shard = try run(["scan", archive.path, "--state", dir.appendingPathComponent("n\(count)-state-{shard}.sqlite").path,
                                     "--shard", "\(k)/\(count)", "--partial-out", part] + config)
                #expect(shard.stdout.isEmpty)
                parts.append(part)
            }
            let json = try run(["merge"] + parts.reversed() + config + ["--format", "json"]).stdout
            let jsonl = try run(["merge"] + parts + config + ["--format", "jsonl"]).stdout
            reports["\(count)"] = (json, jsonl)
        }
        return reports
    }

    @Test func mergedShardsEqualOneNightlyRunOnBothNights() throws {
        let dir = try CLI.tempDir("nightly-shards")
        defer { TestPaths.remove(dir) }
        let archive = dir.appendingPathComponent("archive")
        try Self.deliver(days: 2...Self.lastDayOfNight1, to: archive)
        let first = try Self.night(1, archive: archive, dir: dir, shardCounts: [2, 3])
        try Self.deliver(days: (Self.lastDayOfNight1 + 1)...16, to: archive)
        let second = try Self.night(2, archive: archive, dir: dir, shardCounts: [2, 3])

        for (label, reports) in [("night 1", first), ("night 2", second)] {
            let expected = try Self.comparable(reports["1"]!.json)
            for count in ["2", "3"] {
                let got = try Self.comparable(reports[count]!.json)
                #expect(got == expected, "\(label), \(count) shards: \(Golden.firstDifference(expected, got) ?? "")")
                #expect(reports[count]!.jsonl == reports["1"]!.jsonl, "\(label), \(count) shards: JSON Lines")
            }
        }
        // The nights are not empty, night 2 updates some of night 1's findings, and the third account's findings are in.
        #expect(first["1"]!.jsonl.contains(#""activity":"create""#))
        #expect(second["1"]!.jsonl.contains("ReportsRole") && second["1"]!.jsonl.contains("StopLogging"))
        #expect(second["1"]!.jsonl.contains(#""activity":"update""#))
        // Each shard's state file records its spec and holds only its accounts' principals.
        let show = try Self.run(["state", "show", "--state", dir.appendingPathComponent("n3-state-1.sqlite").path]).stdout
        #expect(show.contains("Shard:      shard 1/3 by account"))
        let export = try Self.run(["state", "export", "--state", dir.appendingPathComponent("n3-state-1.sqlite").path]).stdout
        #expect(export.contains(Self.role) && !export.contains("111122223333:") && !export.contains("444455556666:"))
    }

    // MARK: - Refusals and placeholders (the third account alone: 2 shards, shard 0 empty, shard 1 holding it)

    @Test func aStateFileRefusesAnotherShardSpec() throws {
        let dir = try CLI.tempDir("nightly-shard-spec")
        defer { TestPaths.remove(dir) }
        let archive = dir.appendingPathComponent("archive")
        try Self.deliver(days: 2...16, to: archive, sample: false)
        let state = dir.appendingPathComponent("state.sqlite").path
        _ = try Self.run(["scan", archive.path, "--state", state, "--shard", "1/2"])
        for other in ["0/2", "1/3"] {
            let e = try Self.run(["scan", archive.path, "--state", state, "--shard", other], expect: 1).stderr
            #expect(e.contains(state) && e.contains("belongs to shard 1/2 by account") && e.contains("this run is shard \(other) by account"), "\(e)")
        }
        let unsharded = try Self.run(["scan", archive.path, "--state", state], expect: 1).stderr
        #expect(unsharded.contains(state) && unsharded.contains("belongs to shard 1/2 by account; this run is unsharded"), "\(unsharded)")
        // The same spec again is fine (the next night).
        _ = try Self.run(["scan", archive.path, "--state", state, "--shard", "1/2"])

        // An unsharded history does not become a shard's.
        let plain = dir.appendingPathComponent("plain.sqlite").path
        _ = try Self.run(["scan", archive.path, "--state", plain])
        let e = try Self.run(["scan", archive.path, "--state", plain, "--shard", "1/2"], expect: 1).stderr
        #expect(e.contains(plain) && e.contains("belongs to unsharded; this run is shard 1/2 by account"), "\(e)")

        // Nightly shards keep whole accounts: other units are refused, with the reason, also through a plan.
        let fresh = dir.appendingPathComponent("fresh.sqlite").path
        let day = try Self.run(["scan", archive.path, "--state", fresh, "--shard", "0/2", "--shard-by", "day"], expect: 1).stderr
        #expect(day.contains("shards by account, not by day") && day.contains("baselines are per principal"), "\(day)")
        let plan = dir.appendingPathComponent("plan.json").path
        _ = try Self.run(["plan", archive.path, "--shards", "2", "--by", "file", "-o", plan])
        let viaPlan = try Self.run(["scan", archive.path, "--plan", plan, "--shard", "0", "--state", fresh], expect: 1).stderr
        #expect(viaPlan.contains(plan) && viaPlan.contains("not by file"), "\(viaPlan)")
        let noShard = try Self.run(["scan", archive.path, "--state", fresh, "--partial-out", dir.appendingPathComponent("x.part").path], expect: 1).stderr
        #expect(noShard.contains("--partial-out with a state file needs --shard"), "\(noShard)")
        #expect(!FileManager.default.fileExists(atPath: fresh))
        // A plan by account is accepted, and places the account where --shard K/N does.
        let accountPlan = dir.appendingPathComponent("plan-account.json").path
        _ = try Self.run(["plan", archive.path, "--shards", "2", "--by", "account", "-o", accountPlan])
        let viaAccountPlan = try Self.run(["scan", archive.path, "--plan", accountPlan, "--shard", "1", "--state", fresh, "--format", "json"]).stdout
        #expect(viaAccountPlan.contains("\"filesRead\": 60,") && viaAccountPlan.contains(Self.role), "\(viaAccountPlan.prefix(2000))")
    }

    @Test func shardPlaceholderAndAutoWorkWithState() throws {
        let dir = try CLI.tempDir("nightly-shard-auto")
        defer { TestPaths.remove(dir) }
        let archive = dir.appendingPathComponent("archive")
        try Self.deliver(days: 2...16, to: archive, sample: false)
        let fm = FileManager.default
        // {shard} in --state is the shard's index, as in --partial-out.
        _ = try Self.run(["scan", archive.path, "--state", dir.appendingPathComponent("st-{shard}.sqlite").path, "--shard", "1/2",
                          "--partial-out", dir.appendingPathComponent("st-{shard}.part").path])
        #expect(fm.fileExists(atPath: dir.appendingPathComponent("st-1.sqlite").path))
        #expect(fm.fileExists(atPath: dir.appendingPathComponent("st-1.part").path))
        #expect(!fm.fileExists(atPath: dir.appendingPathComponent("st-{shard}.sqlite").path))
        // Kubernetes: the index from JOB_COMPLETION_INDEX, N from --shards, the state path from $AGENTTRAIL_STATE.
        _ = try Self.run(["scan", archive.path, "--incremental", "--shard", "auto", "--shards", "2",
                          "--partial-out", dir.appendingPathComponent("k-{shard}.part").path],
                         env: ["AGENTTRAIL_STATE": dir.appendingPathComponent("k-{shard}.sqlite").path, "JOB_COMPLETION_INDEX": "1"])
        let k = try Self.run(["state", "show", "--state", dir.appendingPathComponent("k-1.sqlite").path]).stdout
        #expect(k.contains("Shard:      shard 1/2 by account"), "\(k)")
        // AWS Batch: index and size from the array job's variables.
        _ = try Self.run(["scan", archive.path, "--state", dir.appendingPathComponent("b-{shard}.sqlite").path, "--shard", "auto"],
                         env: ["AWS_BATCH_JOB_ARRAY_INDEX": "0", "AWS_BATCH_JOB_ARRAY_SIZE": "3"])
        let b = try Self.run(["state", "show", "--state", dir.appendingPathComponent("b-0.sqlite").path, "--format", "json"]).stdout
        #expect(b.contains("\"shard\": {\n    \"index\": 0,\n    \"count\": 3,\n    \"by\": \"account\"\n  }"), "\(b)")
    }

    @Test func mergeRefusesNightlyPartialsThatDoNotMakeAWhole() throws {
        let dir = try CLI.tempDir("nightly-shard-merge")
        defer { TestPaths.remove(dir) }
        let archive = dir.appendingPathComponent("archive")
        try Self.deliver(days: 2...16, to: archive, sample: false)
        func part(_ name: String) -> String { dir.appendingPathComponent(name).path }
        for k in 0..<2 {
            _ = try Self.run(["scan", archive.path, "--state", part("two-{shard}.sqlite"), "--shard", "\(k)/2", "--partial-out", part("p\(k).part")]
                             + Self.config + ["--fail-on", "info"])
        }
        _ = try Self.run(["scan", archive.path, "--state", part("three-{shard}.sqlite"), "--shard", "0/3", "--partial-out", part("q0.part")] + Self.config)
        _ = try Self.run(["scan", archive.path, "--shard", "0/2", "--partial-out", part("s0.part")] + Self.config)
        try FileManager.default.copyItem(atPath: part("p0.part"), toPath: part("p0-again.part"))

        // The whole: one nightly report, every format of scan --state, and its exit codes (--fail-on).
        let text = try Self.run(["merge", part("p0.part"), part("p1.part")] + Self.config, expect: 0).stdout
        #expect(text.contains("State:     2 of 2 nightly shards merged") && text.contains("shard 1: ") && text.contains("(updated)") == false)
        let jsonl = try Self.run(["merge", part("p0.part"), part("p1.part")] + Self.config + ["--format", "jsonl"]).stdout
        let ocsf = try Self.run(["merge", part("p1.part"), part("p0.part")] + Self.config + ["--format", "ocsf"]).stdout
        #expect(jsonl.split(separator: "\n").count == ocsf.split(separator: "\n").count && jsonl.contains("StopLogging"))
        _ = try Self.run(["merge", part("p0.part"), part("p1.part")] + Self.config + ["--fail-on", "high"], expect: 2)
        _ = try Self.run(["merge", part("p0.part"), part("p1.part")] + Self.config + ["--fail-on", "critical", "--min-severity", "critical"],
                         expect: 2)

        let mixed = try Self.run(["merge", part("p0.part"), part("s0.part")] + Self.config, expect: 1)
        #expect(mixed.stderr.contains(part("s0.part")) && mixed.stderr.contains("do not merge together") && mixed.stdout.isEmpty, "\(mixed.stderr)")
        let scanFirst = try Self.run(["merge", part("s0.part"), part("p1.part")] + Self.config, expect: 1).stderr
        #expect(scanFirst.contains(part("s0.part")) && scanFirst.contains("do not merge together"), "\(scanFirst)")
        let twice = try Self.run(["merge", part("p0.part"), part("p1.part"), part("p0-again.part")] + Self.config, expect: 1).stderr
        #expect(twice.contains(part("p0-again.part")) && twice.contains("is shard 0/2") && twice.contains(part("p0.part")), "\(twice)")
        let otherN = try Self.run(["merge", part("p1.part"), part("q0.part")] + Self.config, expect: 1).stderr
        #expect(otherN.contains(part("q0.part")) && otherN.contains("shard 0/3 by account") && otherN.contains("shard 1/2 by account"), "\(otherN)")
        let otherConfig = try Self.run(["merge", part("p0.part"), part("p1.part")], expect: 1).stderr
        #expect(otherConfig.contains(part("p0.part")) && otherConfig.contains("made with other config"), "\(otherConfig)")
        let missing = try Self.run(["merge", part("p1.part")] + Self.config, expect: 1)
        #expect(missing.stderr.contains("shard(s) 0 of 2 missing") && missing.stderr.contains("--allow-missing-shards") && missing.stdout.isEmpty,
                "\(missing.stderr)")
        let allowed = try Self.run(["merge", part("p1.part"), "--allow-missing-shards", "--format", "json"] + Self.config)
        #expect(allowed.stdout.contains("\"missingShards\": [\n      0\n    ],"), "\(allowed.stdout.prefix(3000))")
        #expect(allowed.stderr.contains("nightly shard(s) 0 of 2 missing"))
        // The partial format's checks hold for nightly partials: a flipped byte is corrupt, a short file truncated.
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: part("p1.part"))))
        bytes[bytes.count - 10] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: part("p1-flipped.part")))
        try Data(bytes.prefix(bytes.count - 100)).write(to: URL(fileURLWithPath: part("p1-short.part")))
        let flipped = try Self.run(["merge", part("p0.part"), part("p1-flipped.part")] + Self.config, expect: 1).stderr
        #expect(flipped.contains(part("p1-flipped.part")) && flipped.contains("corrupt"), "\(flipped)")
        let short = try Self.run(["merge", part("p0.part"), part("p1-short.part")] + Self.config, expect: 1).stderr
        #expect(short.contains(part("p1-short.part")) && short.contains("truncated"), "\(short)")
        let plain = try Self.run(["merge", part("s0.part"), "--allow-missing-shards"] + Self.config, expect: 1).stderr
        #expect(plain.contains("only for nightly partials"), "\(plain)")
        // A plain merge reading a nightly partial through the scan reader is refused too (not decoded as a scan's).
        let asScan = try Self.run(["merge", part("q0.part"), "--review"] + Self.config, expect: 1).stderr
        #expect(asScan.contains("not with nightly partials"), "\(asScan)")
    }

    // MARK: - The documented difference: a principal in the trails of two accounts

    /// A role's call logged in `trail`'s files (the role is of `home`, `trail` received the call).
    static func call(role: String, home: String, trail: String, day: Int, minute: Int, ip: String, id: String,
                     source: String = "bedrock", name: String = "InvokeModel", denied: Bool = false) -> [String: Any] {
        var r = call(role: role, home: home, trail: trail, day: day, minute: minute, ip: ip, id: id, source: source, name: name)
        if denied { r["errorCode"] = "AccessDenied"; r["errorMessage"] = "not authorized" }
        return r
    }

    private static func call(role: String, home: String, trail: String, day: Int, minute: Int, ip: String, id: String,
                             source: String, name: String) -> [String: Any] {
        ["eventVersion": "1.09", "eventTime": time(day: day, minute: minute), "eventSource": "\(source).amazonaws.com",
         "eventName": name, "awsRegion": "us-east-1", "sourceIPAddress": ip, "userAgent": "Boto3/1.34", "eventID": id,
         "eventType": "AwsApiCall", "recipientAccountId": trail,
         "requestParameters": ["modelId": "anthropic.claude-3-haiku-20240307-v1:0"],
         "userIdentity": ["type": "AssumedRole", "arn": "arn:aws:sts::\(home):assumed-role/\(role)/s", "accountId": home,
                          "accessKeyId": "ASIA\(role.uppercased())", "sessionContext": ["sessionIssuer": ["type": "Role", "arn": "arn:aws:iam::\(home):role/\(role)"]]]]
    }

    /// Writes one file of `trail`'s for `day`.
    static func write(_ records: [[String: Any]], trail: String, day: Int, tag: String, to root: URL) throws {
        let folder = root.appendingPathComponent(String(format: "AWSLogs/\(trail)/CloudTrail/us-east-1/2025/06/%02d", day))
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let name = String(format: "\(trail)_CloudTrail_us-east-1_202506%02dT2355Z_\(tag).json", day)
        try JSONSerialization.data(withJSONObject: ["Records": records], options: [.sortedKeys]).write(to: folder.appendingPathComponent(name))
    }

    /// Baselines are kept per state file, so per account shard: a principal whose calls are logged in the trails of
    /// two accounts on different shards has a baseline in each shard's state file, learned from that account's trail
    /// only. Here `AuditRole` of 999988887777 (shard 1 of 2) works from 203.0.113.9 in its own account's trail during
    /// the learning week; on night 2 its first calls logged in 111122223333's trail (shard 0) come from 198.51.100.99.
    /// One unsharded run judges them against the role's baseline and reports `unknown-source-ip`; shard 0 has no
    /// baseline for the role (a principal first seen after learning only builds one), so the merged report lacks
    /// exactly that finding — and nothing else differs (Docs/Scale.md, Nightly at scale).
    @Test func aPrincipalInTwoAccountsTrailsIsJudgedPerShard() throws {
        let dir = try CLI.tempDir("nightly-shard-cross")
        defer { TestPaths.remove(dir) }
        let archive = dir.appendingPathComponent("archive")
        func deliver(_ days: ClosedRange<Int>) throws {
            for day in days {
                // Each account's own role, every 2 hours, from its own address, in its own trail.
                try Self.write((0..<12).map { Self.call(role: "AuditRole", home: Self.third, trail: Self.third, day: day, minute: $0 * 120 + 3,
                                                         ip: "203.0.113.9", id: "a-\(day)-\($0)") },
                               trail: Self.third, day: day, tag: "own", to: archive)
                try Self.write((0..<12).map { Self.call(role: "LocalRole", home: "111122223333", trail: "111122223333", day: day,
                                                         minute: $0 * 120 + 5, ip: "203.0.113.10", id: "l-\(day)-\($0)") },
                               trail: "111122223333", day: day, tag: "own", to: archive)
                if day == 13 {   // AuditRole's calls into account 111122223333, from an address it never used.
                    try Self.write((0..<3).map { Self.call(role: "AuditRole", home: Self.third, trail: "111122223333", day: day,
                                                            minute: 600 + $0, ip: "198.51.100.99", id: "x-\($0)") },
                                   trail: "111122223333", day: day, tag: "cross", to: archive)
                }
            }
        }
        func nightly(_ n: Int) throws -> (one: String, merged: String) { try Self.oneNightBothWays(archive, in: dir, tag: "night\(n)") }
        try deliver(2...10)
        let first = try nightly(1)
        #expect(first.merged == first.one)
        try deliver(11...16)
        let second = try nightly(2)
        let one = second.one.split(separator: "\n").map(String.init)
        let merged = second.merged.split(separator: "\n").map(String.init)
        let onlyUnsharded = one.filter { !merged.contains($0) }
        #expect(merged.allSatisfy { one.contains($0) }, "the merged report has findings one run has not: \(merged.filter { !one.contains($0) })")
        #expect(onlyUnsharded.count == 1, "\(onlyUnsharded)")
        let difference = try #require(onlyUnsharded.first)
        #expect(difference.contains(#""detector":"unknown-source-ip""#) && difference.contains("AuditRole") && difference.contains("198.51.100.99"))
        // The cross-account call itself is reported either way (cross-account-access is per recipient account).
        #expect(merged.contains { $0.contains(#""detector":"cross-account-access""#) && $0.contains("AuditRole") })
    }

    /// `AuditRole` (a Bedrock caller of 999988887777, shard 1 of 2) is denied `iam:ListUsers` twice in its own
    /// account's trail and three times in 111122223333's (shard 0).
    ///
    /// - When it also calls Bedrock in 111122223333's trail, both shards analyse it and report `denied-calls` with the
    ///   same key; the merge folds them into one, as one state file's history folds a recurring finding: the count,
    ///   span, severity, evidence and activity of one unsharded run (the title is the higher shard's).
    /// - When it does not, shard 0 does not analyse it at all (the analysis scope — AgentCore execution roles and
    ///   Bedrock callers, discovered in the run or stored — is per shard): the merge's finding counts only shard 1's two
    ///   denials where one unsharded run counts five. The documented difference (Docs/Scale.md).
    @Test(arguments: [true, false])
    func aFindingOfTwoShardsIsFoldedIntoOne(bedrockCallerInBothTrails: Bool) throws {
        let dir = try CLI.tempDir("nightly-shard-fold")
        defer { TestPaths.remove(dir) }
        let archive = dir.appendingPathComponent("archive")
        for day in 2...14 {
            try Self.write((0..<12).map { Self.call(role: "AuditRole", home: Self.third, trail: Self.third, day: day, minute: $0 * 120 + 3,
                                                     ip: "203.0.113.9", id: "a-\(day)-\($0)") },
                           trail: Self.third, day: day, tag: "own", to: archive)
            try Self.write((0..<12).map { Self.call(role: "LocalRole", home: "111122223333", trail: "111122223333", day: day,
                                                     minute: $0 * 120 + 5, ip: "203.0.113.10", id: "l-\(day)-\($0)") },
                           trail: "111122223333", day: day, tag: "own", to: archive)
        }
        for (trail, count) in [(Self.third, 2), ("111122223333", 3)] {
            try Self.write((0..<count).map { Self.call(role: "AuditRole", home: Self.third, trail: trail, day: 13, minute: 700 + $0 * 7,
                                                        ip: "203.0.113.9", id: "d-\(trail)-\($0)", source: "iam", name: "ListUsers", denied: true) },
                           trail: trail, day: 13, tag: "denied", to: archive)
        }
        if bedrockCallerInBothTrails {
            try Self.write([Self.call(role: "AuditRole", home: Self.third, trail: "111122223333", day: 13, minute: 650, ip: "203.0.113.9", id: "b-0")],
                           trail: "111122223333", day: 13, tag: "bedrock", to: archive)
        }
        let (one, merged) = try Self.oneNightBothWays(archive, in: dir, tag: "night")
        func denied(_ jsonl: String) throws -> [[String: Any]] {
            try jsonl.split(separator: "\n").compactMap { line -> [String: Any]? in
                let f = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return f["detector"] as? String == "denied-calls" && (f["principal"] as? String)?.hasSuffix("role/AuditRole") == true ? f : nil
            }
        }
        let expected = try denied(one), got = try denied(merged)
        #expect(expected.count == 1 && got.count == 1, "one finding, not one per shard: \(got)")
        let (e, g) = (try #require(expected.first), try #require(got.first))
        #expect(e["count"] as? Int == 5)
        let rest = { (jsonl: String) in jsonl.split(separator: "\n").filter { !($0.contains(#""denied-calls""#) && $0.contains("AuditRole")) } }
        #expect(rest(merged) == rest(one), "everything else is as in one run")
        guard bedrockCallerInBothTrails else {
            // Shard 0 does not analyse AuditRole: only shard 1's denials are in the merge.
            #expect(g["count"] as? Int == 2 && (g["key"] as? String) == (e["key"] as? String))
            let evidence = try #require(g["evidence"] as? [[String: Any]])
            #expect(evidence.count == 2 && evidence.allSatisfy { ($0["file"] as? String)?.contains("/\(Self.third)/") == true })
            return
        }
        for field in ["key", "severity", "count", "firstSeen", "lastSeen", "activity"] {
            #expect("\(e[field] ?? "-")" == "\(g[field] ?? "-")", "\(field): \(e[field] ?? "-") vs \(g[field] ?? "-")")
        }
        #expect(g["count"] as? Int == 5)
        func events(_ f: [String: Any]) -> [String] { (f["evidence"] as? [[String: Any]] ?? []).map { "\($0["eventId"] ?? "-")@\($0["time"] ?? "-")" } }
        #expect(events(e) == events(g) && events(g).count == 5, "\(events(e)) vs \(events(g))")
    }

    /// The learning period is per state file. Account 999988887777 (shard 1 of 2) arrives on June 12, after the
    /// learning week of 111122223333 (shard 0, from June 2); shard 1's state file is empty until then, so it decides
    /// its learning period from June 12 (to June 19), where one unsharded run ended learning on June 9 and took the new
    /// role's first night as its baseline. On night 3 the role calls from a new address on June 17: one unsharded run
    /// reports `unknown-source-ip`, the merge does not (shard 1 is still learning) — and nothing else differs.
    @Test func aLateAccountInAnEmptyShardLearnsFromItsOwnFirstDay() throws {
        let dir = try CLI.tempDir("nightly-shard-learning")
        defer { TestPaths.remove(dir) }
        let archive = dir.appendingPathComponent("archive")
        func deliver(_ days: ClosedRange<Int>) throws {
            for day in days {
                try Self.write((0..<12).map { Self.call(role: "LocalRole", home: "111122223333", trail: "111122223333", day: day,
                                                         minute: $0 * 120 + 5, ip: "203.0.113.10", id: "l-\(day)-\($0)") },
                               trail: "111122223333", day: day, tag: "own", to: archive)
                guard day >= 12 else { continue }
                try Self.write((0..<12).map { Self.call(role: "AuditRole", home: Self.third, trail: Self.third, day: day, minute: $0 * 120 + 3,
                                                         ip: day == 17 && $0 == 6 ? "198.51.100.17" : "203.0.113.9", id: "a-\(day)-\($0)") },
                               trail: Self.third, day: day, tag: "own", to: archive)
            }
        }
        func nightly(_ n: Int) throws -> (one: [String], merged: [String]) {
            let (one, merged) = try Self.oneNightBothWays(archive, in: dir, tag: "night\(n)")
            return (one.split(separator: "\n").map(String.init), merged.split(separator: "\n").map(String.init))
        }
        try deliver(2...10)
        let first = try nightly(1)
        #expect(first.merged == first.one)
        try deliver(11...14)
        let second = try nightly(2)
        #expect(second.merged == second.one, "the new role's first night is a baseline in both")
        let learning = try Self.run(["state", "show", "--state", dir.appendingPathComponent("s-1.sqlite").path]).stdout
        #expect(learning.contains("learning ends 2025-06-19T00:00:00Z"), "\(learning)")
        try deliver(15...18)
        let third = try nightly(3)
        let onlyUnsharded = third.one.filter { !third.merged.contains($0) }
        #expect(third.merged.allSatisfy { third.one.contains($0) }, "\(third.merged.filter { !third.one.contains($0) })")
        #expect(onlyUnsharded.count == 1 && onlyUnsharded.first.map {
            $0.contains(#""detector":"unknown-source-ip""#) && $0.contains("AuditRole") && $0.contains("198.51.100.17")
        } == true, "\(onlyUnsharded)")
    }
}

import Foundation
import Testing
@testable import AgentTrail

/// One record with an absurd eventTime must not move the window or silence the baseline findings of others.
@Suite struct TimeOutlierScanTests {
    static func record(_ time: String, ip: String, id: String) -> [String: Any] {
        [
            "eventVersion": "1.09", "eventTime": time, "eventSource": "bedrock.amazonaws.com", "eventName": "InvokeModel",
            "awsRegion": "us-east-1", "sourceIPAddress": ip, "eventID": id, "eventType": "AwsApiCall",
            "recipientAccountId": "111122223333",
            "userIdentity": [
                "type": "AssumedRole", "arn": "arn:aws:sts::111122223333:assumed-role/AppRole/s",
                "accountId": "111122223333", "accessKeyId": "ASIAEXAMPLE",
                "sessionContext": ["sessionIssuer": ["type": "Role", "arn": "arn:aws:iam::111122223333:role/AppRole"]],
            ] as [String: Any],
        ]
    }

    /// Ten days of routine calls from one /24, then a call from a new network; optionally a record dated `odd`
    /// in the last file. Files carry CloudTrail's names and folders.
    /// `tag` keeps the folders of test cases running in parallel apart (the clean archive of each case is its own).
    static func archive(odd: String?, tag: String = "") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("agenttrail-time-\(getpid())-\(odd ?? "none")-\(tag)")
        try? FileManager.default.removeItem(at: dir)
        for day in 1...12 {
            let d = String(format: "%02d", day)
            var records: [[String: Any]] = (0..<4).map { h in
                record("2025-07-\(d)T\(String(format: "%02d", h * 6)):00:00Z", ip: "203.0.113.5", id: "r-\(day)-\(h)")
            }
            if day == 12 {
                records.append(record("2025-07-12T20:00:00Z", ip: "198.51.100.77", id: "new-ip"))
                if let odd { records.append(record(odd, ip: "203.0.113.5", id: "odd-time")) }
            }
            let folder = dir.appendingPathComponent("AWSLogs/111122223333/CloudTrail/us-east-1/2025/07/\(d)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let data = try JSONSerialization.data(withJSONObject: ["Records": records])
            try data.write(to: folder.appendingPathComponent("111122223333_CloudTrail_us-east-1_202507\(d)T2355Z_abcdEFGH\(d).json"))
        }
        return dir.path
    }

    static func scan(_ path: String, jobs: Int = 2) -> ScanResult {
        var o = ScanOptions(paths: [path], jobs: jobs, now: Instant(year: 2025, month: 8, day: 1)!)
        o.detectors = DetectorRegistry.all()
        return ScanRun.run(o)
    }

    @Test(arguments: ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "2025-07-20T00:00:00Z"])
    func outlierIsCountedListedAndKeptOutOfTheBaseline(odd: String) throws {
        let cleanPath = try Self.archive(odd: nil, tag: odd)
        let clean = Self.scan(cleanPath)
        let path = try Self.archive(odd: odd)
        defer {
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.removeItem(atPath: cleanPath)
        }
        let r = Self.scan(path)
        #expect(clean.findings.contains { $0.detector == "unknown-source-ip" && $0.subject["ip"] == "198.51.100.77" })
        #expect(r.summary.recordsTimeOutliers == 1)
        #expect(r.summary.timeOutliers.map(\.eventID) == ["odd-time"])
        #expect(r.summary.recordsTotal == clean.summary.recordsTotal + 1)
        #expect(r.summary.recordsWithoutTime == 0)
        #expect(r.summary.lastEvent == clean.summary.lastEvent)
        #expect(r.summary.firstEvent == clean.summary.firstEvent)
        // Everyone else's baseline findings are unchanged.
        #expect(r.findings.map(\.key) == clean.findings.map(\.key))
        let json = r.summary.json.serialized()
        #expect(json.contains("\"timeOutliers\":1"))
        #expect(r.summary.text().contains("implausible"))
        #expect(Self.scan(path, jobs: 1).findings.map(\.key) == r.findings.map(\.key))
    }

    /// Records within a day of their file's delivery time are not outliers (delivery is "typically within about
    /// 5 minutes ... not guaranteed").
    @Test func lateDeliveryWithinADayIsNormal() throws {
        let path = try Self.archive(odd: "2025-07-12T01:00:00Z")  // 22 h 55 min before delivery
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(Self.scan(path).summary.recordsTimeOutliers == 0)
    }
}

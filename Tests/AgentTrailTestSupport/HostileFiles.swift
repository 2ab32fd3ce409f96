import Foundation

/// Builders of small hostile or damaged inputs (CloudTrail records and log files, gzip members of stored blocks, a
/// CRC-32), written without zlib or external tools.
public enum HostileFiles {
    /// A fresh, empty temporary folder (removed by `remove`).
    public static func folder(_ name: String) throws -> URL { try TestPaths.temporaryFolder(name) }

    public static func remove(_ dir: URL) { TestPaths.remove(dir) }

    /// A CloudTrail record of role `R` in account 111122223333 (StopLogging is an audit-tampering CRITICAL).
    public static func record(_ eventName: String = "StopLogging", source: String = "cloudtrail.amazonaws.com", id: String = "e1") -> String {
        """
        {"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:s","arn":"arn:aws:sts::111122223333:assumed-role/R/s",\
        "accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE",\
        "arn":"arn:aws:iam::111122223333:role/R","accountId":"111122223333","userName":"R"}}},\
        "eventTime":"2025-07-14T03:00:00Z","eventSource":"\(source)","eventName":"\(eventName)","awsRegion":"us-east-1",\
        "sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2","requestParameters":{"name":"main"},"responseElements":null,\
        "eventID":"\(id)","eventType":"AwsApiCall","recipientAccountId":"111122223333"}
        """
    }

    /// A CloudTrail log file body with these records.
    public static func log(_ records: [String]) -> Data { Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8) }

    /// The CloudTrail name of a log file delivered on 2025-07-14.
    public static let logName = "111122223333_CloudTrail_us-east-1_20250714T0310Z_abcd.json.gz"

    /// `data` as one gzip member of stored (uncompressed) deflate blocks.
    public static func gzip(_ data: Data) -> Data {
        var out = Data([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF])
        let bytes = [UInt8](data)
        var i = 0
        repeat {
            let n = min(65_535, bytes.count - i)
            let final: UInt8 = i + n >= bytes.count ? 1 : 0
            out.append(final)
            out.append(contentsOf: [UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)])
            out.append(contentsOf: bytes[i..<(i + n)])
            i += n
        } while i < bytes.count
        for v in [crc32(bytes), UInt32(truncatingIfNeeded: bytes.count)] {
            out.append(contentsOf: [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)])
        }
        return out
    }

    /// The CRC-32 (IEEE, as gzip uses it) of `bytes`.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = (c >> 1) ^ (c & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~c
    }

    /// A folder with one truncated `.json.gz` log whose complete records hold a CRITICAL finding (StopLogging).
    public static func damagedArchive() throws -> URL {
        let dir = try folder("damaged")
        let whole = gzip(log([record(id: "e1"), record(id: "e2"), record(id: "e3")]))
        try whole.prefix(whole.count - 40).write(to: dir.appendingPathComponent(logName))
        return dir
    }
}

/// The event sources the detectors ask about, decided once per record: comparing a 17–31-byte `eventSource` with a
/// literal costs a full `String` comparison (such strings are not stored inline), and the detectors made several per
/// record.
public enum KnownEventSource: UInt8, Sendable {
    case other
    /// `bedrock.amazonaws.com`.
    case bedrock
    /// `bedrock-mantle.amazonaws.com` (AWS doc "Monitor bedrock-mantle API calls using CloudTrail").
    case bedrockMantle
    /// `bedrock-agentcore.amazonaws.com`.
    case agentCore
    /// `sts.amazonaws.com`.
    case sts
    /// `cloudtrail.amazonaws.com`.
    case cloudtrail
    /// `s3.amazonaws.com`, `logs.amazonaws.com`, `dynamodb.amazonaws.com`, `secretsmanager.amazonaws.com`: the
    /// services whose request parameters name resources (`ResourceExtractor`).
    case s3, logs, dynamodb, secretsManager

    /// Counted as Bedrock activity (`bedrock` and `bedrock-mantle`: the scan's "Bedrock: N records").
    public var isBedrock: Bool { self == .bedrock || self == .bedrockMantle }

    /// The sources whose `requestParameters` the detectors read (`RecordFieldSet.agentAndAuditRequestParameters`):
    /// STS (the role an `AssumeRole*` assumed), Bedrock and bedrock-mantle (model ids, bearer-token calls), AgentCore,
    /// CloudTrail (what a trail change changed).
    public var hasReadRequestParameters: Bool {
        switch self {
        case .sts, .bedrock, .bedrockMantle, .agentCore, .cloudtrail: true
        case .other, .s3, .logs, .dynamodb, .secretsManager: false
        }
    }

    /// The kind of `eventSource` (exact, case-sensitive comparison).
    public init(_ eventSource: String) {
        switch eventSource {
        case "bedrock.amazonaws.com": self = .bedrock
        case "bedrock-mantle.amazonaws.com": self = .bedrockMantle
        case "bedrock-agentcore.amazonaws.com": self = .agentCore
        case "sts.amazonaws.com": self = .sts
        case "cloudtrail.amazonaws.com": self = .cloudtrail
        case "s3.amazonaws.com": self = .s3
        case "logs.amazonaws.com": self = .logs
        case "dynamodb.amazonaws.com": self = .dynamodb
        case "secretsmanager.amazonaws.com": self = .secretsManager
        default: self = .other
        }
    }

    /// The kind of the raw JSON value `p[start..<end]` (quotes included), the same as `init(_:)` on its decoded text:
    /// compared as bytes, and decoded only when it holds an escape.
    init(raw p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, decoded: @autoclosure () -> String) {
        let kind: KnownEventSource
        switch end &- start {
        case 23: kind = JSONScan.equals(p, start, end, "\"bedrock.amazonaws.com\"" as StaticString) ? .bedrock : .other
        case 30:
            kind = JSONScan.equals(p, start, end, "\"bedrock-mantle.amazonaws.com\"" as StaticString) ? .bedrockMantle
                : JSONScan.equals(p, start, end, "\"secretsmanager.amazonaws.com\"" as StaticString) ? .secretsManager : .other
        case 18: kind = JSONScan.equals(p, start, end, "\"s3.amazonaws.com\"" as StaticString) ? .s3 : .other
        case 20: kind = JSONScan.equals(p, start, end, "\"logs.amazonaws.com\"" as StaticString) ? .logs : .other
        case 24: kind = JSONScan.equals(p, start, end, "\"dynamodb.amazonaws.com\"" as StaticString) ? .dynamodb : .other
        case 33: kind = JSONScan.equals(p, start, end, "\"bedrock-agentcore.amazonaws.com\"" as StaticString) ? .agentCore : .other
        case 19: kind = JSONScan.equals(p, start, end, "\"sts.amazonaws.com\"" as StaticString) ? .sts : .other
        case 26: kind = JSONScan.equals(p, start, end, "\"cloudtrail.amazonaws.com\"" as StaticString) ? .cloudtrail : .other
        default: kind = .other
        }
        if kind == .other, end > start, memchr(p + start, Int32(JSONScan.backslash), end &- start) != nil {
            self = KnownEventSource(decoded())
        } else {
            self = kind
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

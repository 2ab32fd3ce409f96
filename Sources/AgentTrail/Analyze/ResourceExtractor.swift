/// Resource ARNs a call touched: `resources[].ARN` plus ARNs derived from well-known request parameters.
public enum ResourceExtractor {
    /// ARNs for `record` (deduplicated, sorted).
    public static func resources(of record: CloudTrailRecord) -> [String] {
        var out = Set<String>()
        for r in record.resources { if let a = r.arn, a.hasPrefix("arn:") { out.insert(a) } }
        let region = record.awsRegion ?? "*"
        let account = record.recipientAccountId ?? record.principal.accountId ?? "*"
        if let params = record.requestParameters, !params.isNull {
            func str(_ k: String) -> String? { params.string(forKey: k) }
            switch record.eventSource {
            case "bedrock.amazonaws.com":
                if let m = str("modelId") {
                    if m.hasPrefix("arn:") { out.insert(m) } else if isInferenceProfile(m) {
                        out.insert("arn:aws:bedrock:\(region):\(account):inference-profile/\(m)")
                    } else {
                        out.insert("arn:aws:bedrock:\(region)::foundation-model/\(m)")
                    }
                }
                if let g = str("guardrailIdentifier") {
                    out.insert(g.hasPrefix("arn:") ? g : "arn:aws:bedrock:\(region):\(account):guardrail/\(g)")
                }
            case "bedrock-agentcore.amazonaws.com":
                if let a = str("agentRuntimeArn") {
                    out.insert(a)
                    let q = str("qualifier") ?? "DEFAULT"
                    if a.hasPrefix("arn:") { out.insert(a + "/runtime-endpoint/" + q) }
                }
                if let m = str("memoryId") { out.insert("arn:aws:bedrock-agentcore:\(region):\(account):memory/\(m)") }
                if let g = str("gatewayIdentifier") {
                    out.insert(g.hasPrefix("arn:") ? g : "arn:aws:bedrock-agentcore:\(region):\(account):gateway/\(g)")
                }
            case "s3.amazonaws.com":
                if let b = str("bucketName") {
                    if let k = str("key") { out.insert("arn:aws:s3:::\(b)/\(k)") } else { out.insert("arn:aws:s3:::\(b)") }
                }
            case "logs.amazonaws.com":
                if let g = str("logGroupName") {
                    out.insert("arn:aws:logs:\(region):\(account):log-group:\(g)")
                    if let st = str("logStreamName") { out.insert("arn:aws:logs:\(region):\(account):log-group:\(g):log-stream:\(st)") }
                }
            case "dynamodb.amazonaws.com":
                if let t = str("tableName") { out.insert("arn:aws:dynamodb:\(region):\(account):table/\(t)") }
            case "secretsmanager.amazonaws.com":
                if let s = str("secretId") {
                    out.insert(s.hasPrefix("arn:") ? s : "arn:aws:secretsmanager:\(region):\(account):secret:\(s)")
                }
            default:
                break
            }
        }
        return out.sorted()
    }

    /// IAM role ARNs anywhere in `requestParameters` (`roleArn`, `executionRoleArn`, `memoryExecutionRoleArn`,
    /// nested credential-provider configurations, ...): the roles a call passes to a service, which `iam:PassRole`
    /// is checked against. Depth and count are bounded; sorted, deduplicated.
    public static func roleArns(inRequestOf record: CloudTrailRecord) -> [String] {
        guard let params = record.requestParameters, !params.isNull else { return [] }
        var out = Set<String>()
        var budget = 512
        func walk(_ v: RawJSON, depth: Int) {
            guard depth < 8, budget > 0, out.count < 64, let first = v.bytes.first(where: { $0 > 0x20 }) else { return }
            budget -= 1
            switch first {
            case UInt8(ascii: "{"): for e in v.objectEntries { walk(e.value, depth: depth + 1) }
            case UInt8(ascii: "["): for e in v.arrayElements { walk(e, depth: depth + 1) }
            case UInt8(ascii: "\""):
                if let s = v.stringValue, isRoleArn(s) { out.insert(s) }
            default: break
            }
        }
        walk(params, depth: 0)
        return out.sorted()
    }

    /// `arn:<partition>:iam::<account>:role/<path/name>`.
    static func isRoleArn(_ s: String) -> Bool {
        guard s.hasPrefix("arn:"), let a = ARN(s) else { return false }
        return a.service == "iam" && a.region.isEmpty && !a.account.isEmpty && a.resource.hasPrefix("role/") && a.resource.count > 5
    }

    /// Cross-region inference profile ids start with a geography (`us.`, `eu.`, `apac.`, `global.`).
    static func isInferenceProfile(_ id: String) -> Bool {
        ["us.", "eu.", "apac.", "us-gov.", "global.", "ca.", "jp.", "au."].contains { id.hasPrefix($0) }
    }
}

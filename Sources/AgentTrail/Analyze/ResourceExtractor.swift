/// Resource ARNs a call touched: `resources[].ARN` plus ARNs derived from well-known request parameters.
public enum ResourceExtractor {
    /// ARNs for `record` (deduplicated, sorted).
    public static func resources(of record: CloudTrailRecord) -> [String] {
        // (An array sorted and deduplicated at the end: a call names one to three resources, and hashing ARNs into a
        // set cost more than that.)
        var out: [String] = []
        out.reserveCapacity(4)  // (one allocation: appending to an empty array grew it once per ARN)
        for r in record.resources { if let a = r.arn, a.hasPrefix("arn:") { out.append(a) } }
        let region = record.awsRegion ?? "*"
        let account = record.recipientAccountId ?? record.principal.accountId ?? "*"
        if let params = record.requestParameters, !params.isNull {
            func str(_ k: String) -> String? { params.string(forKey: k) }
            switch record.knownSource {
            case .bedrock:
                if let m = str("modelId") {
                    if m.hasPrefix("arn:") { out.append(m) } else if isInferenceProfile(m) {
                        out.append("arn:aws:bedrock:\(region):\(account):inference-profile/\(m)")
                    } else {
                        out.append("arn:aws:bedrock:\(region)::foundation-model/\(m)")
                    }
                }
                if let g = str("guardrailIdentifier") {
                    out.append(g.hasPrefix("arn:") ? g : "arn:aws:bedrock:\(region):\(account):guardrail/\(g)")
                }
            case .agentCore:
                if let a = str("agentRuntimeArn") {
                    out.append(a)
                    let q = str("qualifier") ?? "DEFAULT"
                    if a.hasPrefix("arn:") { out.append(a + "/runtime-endpoint/" + q) }
                }
                if let m = str("memoryId") { out.append("arn:aws:bedrock-agentcore:\(region):\(account):memory/\(m)") }
                if let g = str("gatewayIdentifier") {
                    out.append(g.hasPrefix("arn:") ? g : "arn:aws:bedrock-agentcore:\(region):\(account):gateway/\(g)")
                }
            case .s3:
                if let b = str("bucketName") {
                    if let k = str("key") { out.append("arn:aws:s3:::\(b)/\(k)") } else { out.append("arn:aws:s3:::\(b)") }
                }
            case .logs:
                if let g = str("logGroupName") {
                    out.append("arn:aws:logs:\(region):\(account):log-group:\(g)")
                    if let st = str("logStreamName") { out.append("arn:aws:logs:\(region):\(account):log-group:\(g):log-stream:\(st)") }
                }
            case .dynamodb:
                if let t = str("tableName") { out.append("arn:aws:dynamodb:\(region):\(account):table/\(t)") }
            case .secretsManager:
                if let s = str("secretId") {
                    out.append(s.hasPrefix("arn:") ? s : "arn:aws:secretsmanager:\(region):\(account):secret:\(s)")
                }
            default:
                break
            }
        }
        if out.count < 2 { return out }
        out.sort()
        var unique: [String] = [out[0]]
        for a in out.dropFirst() where a != unique[unique.count - 1] { unique.append(a) }
        return unique
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

/// Resource ARNs a call touched: `resources[].ARN` plus ARNs derived from well-known request parameters.
public enum ResourceExtractor {
    /// ARNs for `record` (deduplicated, sorted).
    public static func resources(of record: CloudTrailRecord) -> [String] {
        // (An array sorted and deduplicated at the end: a call names one to three resources, and hashing ARNs into a
        // set cost more than that.)
        var out: [String] = []
        for r in record.resources { if let a = r.arn, StringBytes.isARN(a) { add(&out, a) } }
        let region = record.awsRegion ?? "*"
        let account = record.recipientAccountId ?? record.principal.accountId ?? "*"
        if let params = record.requestParameters, !params.isNull {
            // (One pass over the members for two keys; each ARN built into one buffer of its size.)
            switch record.knownSource {
            case .bedrock:
                let (model, guardrail) = params.strings(forKey: "modelId", "guardrailIdentifier")
                if let m = model {
                    if StringBytes.isARN(m) { add(&out, m) } else if isInferenceProfile(m) {
                        add(&out, "arn:aws:bedrock:", region, ":", account, ":inference-profile/", m)
                    } else {
                        add(&out, "arn:aws:bedrock:", region, "::foundation-model/", m)
                    }
                }
                if let g = guardrail {
                    if StringBytes.isARN(g) { add(&out, g) } else { add(&out, "arn:aws:bedrock:", region, ":", account, ":guardrail/", g) }
                }
            case .agentCore:
                let (runtime, qualifier) = params.strings(forKey: "agentRuntimeArn", "qualifier")
                if let a = runtime {
                    add(&out, a)
                    if StringBytes.isARN(a) { add(&out, a, "/runtime-endpoint/", qualifier ?? "DEFAULT") }
                }
                let (memory, gateway) = params.strings(forKey: "memoryId", "gatewayIdentifier")
                if let m = memory { add(&out, "arn:aws:bedrock-agentcore:", region, ":", account, ":memory/", m) }
                if let g = gateway {
                    if StringBytes.isARN(g) { add(&out, g) } else { add(&out, "arn:aws:bedrock-agentcore:", region, ":", account, ":gateway/", g) }
                }
            case .s3:
                let (bucket, key) = params.strings(forKey: "bucketName", "key")
                if let b = bucket {
                    if let k = key { add(&out, "arn:aws:s3:::", b, "/", k) } else { add(&out, "arn:aws:s3:::", b) }
                }
            case .logs:
                let (group, stream) = params.strings(forKey: "logGroupName", "logStreamName")
                if let g = group {
                    add(&out, "arn:aws:logs:", region, ":", account, ":log-group:", g)
                    if let st = stream { add(&out, "arn:aws:logs:", region, ":", account, ":log-group:", g, ":log-stream:", st) }
                }
            case .dynamodb:
                if let t = params.string(forKey: "tableName") { add(&out, "arn:aws:dynamodb:", region, ":", account, ":table/", t) }
            case .secretsManager:
                if let s = params.string(forKey: "secretId") {
                    if StringBytes.isARN(s) { add(&out, s) } else { add(&out, "arn:aws:secretsmanager:", region, ":", account, ":secret:", s) }
                }
            default:
                break
            }
        }
        // Sorted and deduplicated in place (a second array, grown from one element, was made for every call with
        // two ARNs or more: most S3 and DynamoDB data events).
        switch out.count {
        case 0, 1: return out
        case 2:
            if out[0] == out[1] { out.removeLast() } else if out[1] < out[0] { out.swapAt(0, 1) }
            return out
        default:
            out.sort()
            var kept = 1
            for i in 1..<out.count where out[i] != out[kept - 1] {
                if i != kept { out.swapAt(i, kept) }
                kept += 1
            }
            out.removeLast(out.count - kept)
            return out
        }
    }

    // (Static functions on the caller's array, not nested functions: those captured it, and the compiler kept a
    // context with retains and releases once they had many call sites.)
    /// Appends `arn` to the ARNs of one call.
    @inline(__always) private static func add(_ out: inout [String], _ arn: String) {
        // (Room for three ARNs on the first one: most calls name none, and growing from empty reallocates per ARN.)
        if out.capacity == 0 { out.reserveCapacity(3) }
        out.append(arn)
    }

    /// Appends the pieces joined, unless an ARN already collected (from `resources[]`) is, byte for byte, that join:
    /// the result is deduplicated anyway, and an S3 or DynamoDB data event names its object or table both ways.
    @inline(__always) private static func add(_ out: inout [String], _ a: String, _ b: String, _ c: String = "",
                                              _ d: String = "", _ e: String = "", _ f: String = "", _ g: String = "",
                                              _ h: String = "") {
        for named in out where StringBytes.equalsJoined(named, a, b, c, d, e, f, g, h) { return }
        add(&out, StringBytes.join(a, b, c, d, e, f, g, h))
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
        // (On bytes: `String.hasPrefix` went through Unicode comparison for each of the eight, per Bedrock call.)
        geography(id, "us.") || geography(id, "eu.") || geography(id, "apac.") || geography(id, "us-gov.")
            || geography(id, "global.") || geography(id, "ca.") || geography(id, "jp.") || geography(id, "au.")
    }

    /// `id.hasPrefix(prefix)` for an ASCII prefix, on bytes. Between two ASCII characters there is always a character
    /// boundary, so equal bytes decide, unless a non-ASCII scalar follows (it may combine with the dot into another
    /// character): that rare case goes to `String.hasPrefix`.
    @inline(__always) private static func geography(_ id: String, _ prefix: StaticString) -> Bool {
        guard StringBytes.hasPrefix(id, prefix) else { return false }
        let u = id.utf8, n = prefix.utf8CodeUnitCount
        guard u.count > n, u[u.index(u.startIndex, offsetBy: n)] >= 0x80 else { return true }
        return id.hasPrefix(prefix.description)
    }
}

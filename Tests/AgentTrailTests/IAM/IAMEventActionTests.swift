import Testing
@testable import AgentTrail

@Suite("IAM event → action")
struct IAMEventActionTests {
    static let map = EventActionMap.shared

    /// (eventSource, eventName, expected actions; "-" = no permission needed)
    static let pairs: [(String, String, String)] = [
        // Bedrock runtime and control plane
        ("bedrock.amazonaws.com", "InvokeModel", "bedrock:InvokeModel"),
        ("bedrock.amazonaws.com", "InvokeModelWithResponseStream", "bedrock:InvokeModelWithResponseStream"),
        ("bedrock.amazonaws.com", "Converse", "bedrock:InvokeModel"),
        ("bedrock.amazonaws.com", "ConverseStream", "bedrock:InvokeModelWithResponseStream"),
        ("bedrock.amazonaws.com", "StartAsyncInvoke", "bedrock:InvokeModel"),
        ("bedrock.amazonaws.com", "InvokeAgent", "bedrock:InvokeAgent"),
        ("bedrock.amazonaws.com", "Retrieve", "bedrock:Retrieve"),
        ("bedrock.amazonaws.com", "RetrieveAndGenerate", "bedrock:RetrieveAndGenerate"),
        ("bedrock.amazonaws.com", "RetrieveAndGenerateStream", "bedrock:RetrieveAndGenerate"),
        ("bedrock.amazonaws.com", "ApplyGuardrail", "bedrock:ApplyGuardrail"),
        ("bedrock.amazonaws.com", "InvokeFlow", "bedrock:InvokeFlow"),
        ("bedrock.amazonaws.com", "ListFoundationModels", "bedrock:ListFoundationModels"),
        ("bedrock.amazonaws.com", "GetFoundationModelAvailability", "bedrock:GetFoundationModelAvailability"),
        ("bedrock.amazonaws.com", "CreateGuardrail", "bedrock:CreateGuardrail"),
        ("bedrock.amazonaws.com", "PutModelInvocationLoggingConfiguration", "bedrock:PutModelInvocationLoggingConfiguration"),
        // AgentCore control plane
        ("bedrock-agentcore.amazonaws.com", "CreateAgentRuntime", "bedrock-agentcore:CreateAgentRuntime"),
        ("bedrock-agentcore.amazonaws.com", "UpdateAgentRuntime", "bedrock-agentcore:UpdateAgentRuntime"),
        ("bedrock-agentcore.amazonaws.com", "DeleteAgentRuntime", "bedrock-agentcore:DeleteAgentRuntime"),
        ("bedrock-agentcore.amazonaws.com", "ListAgentRuntimes", "bedrock-agentcore:ListAgentRuntimes"),
        ("bedrock-agentcore.amazonaws.com", "CreateAgentRuntimeEndpoint", "bedrock-agentcore:CreateAgentRuntimeEndpoint"),
        ("bedrock-agentcore.amazonaws.com", "CreateGateway", "bedrock-agentcore:CreateGateway"),
        ("bedrock-agentcore.amazonaws.com", "CreateGatewayTarget", "bedrock-agentcore:CreateGatewayTarget"),
        ("bedrock-agentcore.amazonaws.com", "ListGatewayTargets", "bedrock-agentcore:ListGatewayTargets"),
        ("bedrock-agentcore.amazonaws.com", "CreateMemory", "bedrock-agentcore:CreateMemory"),
        ("bedrock-agentcore.amazonaws.com", "CreateOauth2CredentialProvider", "bedrock-agentcore:CreateOauth2CredentialProvider"),
        ("bedrock-agentcore.amazonaws.com", "CreateWorkloadIdentity", "bedrock-agentcore:CreateWorkloadIdentity"),
        // AgentCore data plane
        ("bedrock-agentcore.amazonaws.com", "InvokeAgentRuntime", "bedrock-agentcore:InvokeAgentRuntime"),
        ("bedrock-agentcore.amazonaws.com", "InvokeGateway", "bedrock-agentcore:InvokeGateway"),
        ("bedrock-agentcore.amazonaws.com", "InvokeMcp", "bedrock-agentcore:InvokeGateway"),
        ("bedrock-agentcore.amazonaws.com", "CreateEvent", "bedrock-agentcore:CreateEvent"),
        ("bedrock-agentcore.amazonaws.com", "ListEvents", "bedrock-agentcore:ListEvents"),
        ("bedrock-agentcore.amazonaws.com", "RetrieveMemoryRecords", "bedrock-agentcore:RetrieveMemoryRecords"),
        ("bedrock-agentcore.amazonaws.com", "StartCodeInterpreterSession", "bedrock-agentcore:StartCodeInterpreterSession"),
        ("bedrock-agentcore.amazonaws.com", "InvokeCodeInterpreter", "bedrock-agentcore:InvokeCodeInterpreter"),
        ("bedrock-agentcore.amazonaws.com", "StartBrowserSession", "bedrock-agentcore:StartBrowserSession"),
        ("bedrock-agentcore.amazonaws.com", "GetWorkloadAccessTokenForJWT", "bedrock-agentcore:GetWorkloadAccessTokenForJWT"),
        ("bedrock-agentcore.amazonaws.com", "GetResourceOauth2Token", "bedrock-agentcore:GetResourceOauth2Token"),
        // S3
        ("s3.amazonaws.com", "GetObject", "s3:GetObject"),
        ("s3.amazonaws.com", "PutObject", "s3:PutObject"),
        ("s3.amazonaws.com", "HeadObject", "s3:GetObject"),
        ("s3.amazonaws.com", "ListObjects", "s3:ListBucket"),
        ("s3.amazonaws.com", "ListObjectsV2", "s3:ListBucket"),
        ("s3.amazonaws.com", "HeadBucket", "s3:ListBucket"),
        ("s3.amazonaws.com", "ListBuckets", "s3:ListAllMyBuckets"),
        ("s3.amazonaws.com", "CopyObject", "s3:PutObject s3:GetObject"),
        ("s3.amazonaws.com", "CreateMultipartUpload", "s3:PutObject"),
        ("s3.amazonaws.com", "DeleteObjects", "s3:DeleteObject"),
        ("s3.amazonaws.com", "PutBucketPolicy", "s3:PutBucketPolicy"),
        ("s3.amazonaws.com", "GetBucketEncryption", "s3:GetEncryptionConfiguration"),
        ("s3.amazonaws.com", "DeleteBucketCors", "s3:PutBucketCORS"),
        // DynamoDB
        ("dynamodb.amazonaws.com", "GetItem", "dynamodb:GetItem"),
        ("dynamodb.amazonaws.com", "PutItem", "dynamodb:PutItem"),
        ("dynamodb.amazonaws.com", "Query", "dynamodb:Query"),
        ("dynamodb.amazonaws.com", "TransactGetItems", "dynamodb:GetItem"),
        ("dynamodb.amazonaws.com", "TransactWriteItems", "dynamodb:PutItem dynamodb:UpdateItem dynamodb:DeleteItem dynamodb:ConditionCheckItem"),
        ("dynamodb.amazonaws.com", "ExecuteStatement", "dynamodb:PartiQLSelect dynamodb:PartiQLInsert dynamodb:PartiQLUpdate dynamodb:PartiQLDelete"),
        ("dynamodb.amazonaws.com", "DescribeTable", "dynamodb:DescribeTable"),
        ("dynamodb.amazonaws.com", "DescribeEndpoints", "-"),
        // KMS
        ("kms.amazonaws.com", "Decrypt", "kms:Decrypt"),
        ("kms.amazonaws.com", "GenerateDataKey", "kms:GenerateDataKey"),
        ("kms.amazonaws.com", "ReEncrypt", "kms:ReEncryptFrom kms:ReEncryptTo"),
        ("kms.amazonaws.com", "CreateGrant", "kms:CreateGrant"),
        // Lambda (API-version suffixes, Invoke)
        ("lambda.amazonaws.com", "GetFunction20150331v2", "lambda:GetFunction"),
        ("lambda.amazonaws.com", "ListFunctions20150331", "lambda:ListFunctions"),
        ("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2", "lambda:UpdateFunctionConfiguration"),
        ("lambda.amazonaws.com", "AddPermission20150331v2", "lambda:AddPermission"),
        ("lambda.amazonaws.com", "Invoke", "lambda:InvokeFunction"),
        ("lambda.amazonaws.com", "Invoke20150331", "lambda:InvokeFunction"),
        // STS
        ("sts.amazonaws.com", "AssumeRole", "sts:AssumeRole"),
        ("sts.amazonaws.com", "AssumeRoleWithWebIdentity", "sts:AssumeRoleWithWebIdentity"),
        ("sts.amazonaws.com", "GetCallerIdentity", "-"),
        ("sts.amazonaws.com", "GetSessionToken", "-"),
        // Secrets Manager
        ("secretsmanager.amazonaws.com", "GetSecretValue", "secretsmanager:GetSecretValue"),
        ("secretsmanager.amazonaws.com", "CreateSecret", "secretsmanager:CreateSecret"),
        ("secretsmanager.amazonaws.com", "ListSecrets", "secretsmanager:ListSecrets"),
        // Sign-in and prefix exceptions
        ("signin.amazonaws.com", "ConsoleLogin", "-"),
        ("signin.amazonaws.com", "SwitchRole", "-"),
        ("signin.amazonaws.com", "CredentialChallenge", "-"),
        ("monitoring.amazonaws.com", "PutMetricData", "cloudwatch:PutMetricData"),
        ("iam.amazonaws.com", "CreateRole", "iam:CreateRole"),
        ("cloudtrail.amazonaws.com", "LookupEvents", "cloudtrail:LookupEvents"),
    ]

    @Test func tableHasAtLeastSixtyPairs() { #expect(Self.pairs.count >= 60) }

    @Test(arguments: pairs)
    func mapsEvent(_ pair: (String, String, String)) {
        let (source, name, expected) = pair
        let result = Self.map.actions(eventSource: source, eventName: name)
        if expected == "-" {
            #expect(result == .noPermission, "\(source) \(name)")
        } else {
            let want = expected.split(separator: " ").map { IAMAction($0)! }
            #expect(result == .actions(want), "\(source) \(name)")
            // Canonical spelling and presence in the catalogue.
            if case .actions(let got) = result {
                for a in got { #expect(ActionCatalogue.shared.contains(a), "\(a)") }
                #expect(got.map(\.description) == want.map(\.description))
            }
        }
    }

    @Test func matchingIsCaseInsensitive() {
        #expect(Self.map.actions(eventSource: "BEDROCK.amazonaws.com", eventName: "converse") == .actions([IAMAction("bedrock:InvokeModel")!]))
    }

    @Test func unknownEventsAreReportedNotGuessed() {
        #expect(Self.map.actions(eventSource: "bedrock-agentcore.amazonaws.com", eventName: "InvokeBrowser")
                == .unknown("bedrock-agentcore:InvokeBrowser"))
        #expect(Self.map.actions(eventSource: "nosuch.amazonaws.com", eventName: "DoThing") == .unknown("nosuch:DoThing"))
    }

    @Test func resolverReportsEachUnknownNameOnce() {
        var resolver = EventActionResolver()
        let r = CloudTrailRecord(eventSource: "bedrock-agentcore.amazonaws.com", eventName: "InvokeBrowser")
        #expect(resolver.resolve(r).isNewUnknown)
        #expect(!resolver.resolve(r).isNewUnknown)
        #expect(resolver.unknownEvents == ["bedrock-agentcore:InvokeBrowser": 2])
        let known = CloudTrailRecord(eventSource: "s3.amazonaws.com", eventName: "GetObject")
        #expect(resolver.resolve(known).actions == .actions([IAMAction("s3:GetObject")!]))
    }

    @Test func recordLevelNoPermission() {
        var signIn = CloudTrailRecord(eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin")
        signIn.eventType = "AwsConsoleSignIn"
        #expect(Self.map.actions(for: signIn) == .noPermission)
        var service = CloudTrailRecord(eventSource: "kms.amazonaws.com", eventName: "RotateKey")
        service.eventType = "AwsServiceEvent"
        #expect(Self.map.actions(for: service) == .noPermission)
        let call = CloudTrailRecord(eventSource: "kms.amazonaws.com", eventName: "Decrypt")
        #expect(EventActionMap.actions(for: call) == .actions([IAMAction("kms:Decrypt")!]))
    }

    @Test(arguments: [
        ("GetFunction20150331v2", "GetFunction"), ("Invoke20150331", "Invoke"), ("ListTags20170331", "ListTags"),
        ("CreateDistribution2020_05_31", "CreateDistribution"), ("UpdateDistribution2017_03_25v2", "UpdateDistribution"),
        ("GetObject", "GetObject"), ("ListObjectsV2", "ListObjectsV2"), ("Ec2Thing2", "Ec2Thing2"), ("20150331", "20150331"),
    ])
    func stripsAPIVersionSuffix(_ pair: (String, String)) {
        #expect(EventActionMap.strippingAPIVersion(pair.0) == pair.1)
    }

    @Test func everyOverrideTargetExistsInCatalogue() {
        let targets = Self.map.allOverrideTargets
        #expect(targets.count > 50)
        for t in targets { #expect(ActionCatalogue.shared.contains(t), "override target \(t) is not in the catalogue") }
    }

    @Test(arguments: [
        ("s3:GetObject", Recording.data), ("s3:ListBucket", .data), ("s3:PutBucketPolicy", .management),
        ("s3:GetBucketAcl", .management), ("dynamodb:GetItem", .data), ("dynamodb:PartiQLSelect", .data),
        ("dynamodb:CreateTable", .management), ("lambda:InvokeFunction", .data), ("lambda:GetFunction", .management),
        ("bedrock:InvokeModel", .management), ("bedrock:InvokeModelWithResponseStream", .management),
        ("bedrock:InvokeAgent", .data), ("bedrock:Retrieve", .data), ("bedrock:ApplyGuardrail", .data),
        ("bedrock:CreateAgent", .management), ("bedrock-agentcore:CreateAgentRuntime", .management),
        ("bedrock-agentcore:InvokeAgentRuntime", .data), ("bedrock-agentcore:InvokeGateway", .data),
        ("bedrock-agentcore:RetrieveMemoryRecords", .data), ("bedrock-agentcore:GetResourceOauth2Token", .data),
        ("bedrock-agentcore:StartBrowserSession", .data), ("bedrock-agentcore:CreateGatewayTarget", .management),
        ("bedrock-agentcore:SynchronizeGatewayTargets", .notRecorded), ("bedrock-agentcore:AuthorizeAction", .notRecorded),
        ("secretsmanager:GetSecretValue", .management), ("kms:Decrypt", .management), ("sts:AssumeRole", .management),
        ("iam:PassRole", .notRecorded), ("logs:PutLogEvents", .notRecorded), ("logs:CreateLogStream", .management),
        ("logs:PutRetentionPolicy", .management),
    ])
    func recordingCategory(_ pair: (String, Recording)) {
        #expect(EventActionMap.recording(of: IAMAction(pair.0)!) == pair.1, "\(pair.0)")
    }

    /// Why an action leaves no event: permission-only (catalogue), or calls CloudTrail does not log (`notLogged`).
    @Test func notRecordedReasons() {
        #expect(EventActionMap.shared.notRecordedReason(IAMAction("logs:PutLogEvents")!) == "not logged by CloudTrail")
        #expect(EventActionMap.shared.notRecordedReason(IAMAction("iam:PassRole")!) == "permission-only")
        for (prefix, names) in RecordingTable.notLogged {
            for name in names {
                let info = ActionCatalogue.shared.action(named: prefix + ":" + name)
                #expect(info != nil, "\(prefix):\(name) is in the not-logged table but not the catalogue")
                #expect(info?.permissionOnly == false, "\(prefix):\(name) is permission-only already")
            }
        }
    }

    @Test func everyDataActionInTheTableExists() {
        for (prefix, names) in RecordingTable.dataActions {
            for name in names {
                #expect(ActionCatalogue.shared.action(named: prefix + ":" + name) != nil, "\(prefix):\(name) is in the data table but not the catalogue")
            }
        }
    }
}

#!/usr/bin/env python3
"""Deterministic generator of CloudTrail log archives for AgentTrail (stdlib only).

Modes
  --sample (default)   the small committed archive under SampleLogs/ (records, policies, manifest, README)
  --size 1GB           a large benchmark corpus (record templates reused, 2 processes)
  --realistic          a 21-day, 2-account archive modelled on AWS's documented behaviour, with labelled
                       incidents and near-misses, for scoring detectors (Scripts/gen_realistic.py)
  --real-shaped        a bench archive shaped like a busy account's trail (Scripts/gen_realshaped.py): ~75 % of
                       the records from role sessions of ordinary EC2/ECS/Lambda workloads (EC2 Describe*, KMS
                       Decrypt/GenerateDataKey, STS, CloudWatch Logs, SSM, Secrets Manager, S3 and DynamoDB data
                       events), the rest Bedrock/AgentCore records of the sample; CloudTrail's folder layout and
                       file names; steady traffic per account/region cut into files per 5-minute window (the file
                       count comes from --days and the streams, --size sets records per file: at 240MB ~2,800
                       files of ~57 records, median ~6.5 KB gzip) plus burst files of 400-1,400 records;
                       policies/ for every role. --size (default 240MB) over --days (default 2).
  --tiny-files         the same traffic in files of 1-10 records (default 200MB, ~26,000 files; or --files N)

Real-shaped and tiny-file archives hold AWSLogs/ (scan that) and policies/ (pass it to --policies).

Everything is deterministic for a given --seed (default 42): record content, file names (16-char suffixes
derived from a hash of seed + path parts), and gzip bytes (mtime=0, no file name in the gzip header).

Examples
  python3 Scripts/gen_cloudtrail.py --sample --out SampleLogs --manifest SampleLogs/manifest.json
  python3 Scripts/gen_cloudtrail.py --size 1GB --out ~/.cache/agenttrail-bench/corpus --days 2
  python3 Scripts/gen_cloudtrail.py --size 512MB --out ~/.cache/agenttrail-bench/corpus --start-day 2 --days 1
  python3 Scripts/gen_cloudtrail.py --realistic --out /tmp/realistic && python3 Scripts/score_findings.py /tmp/realistic
  python3 Scripts/gen_cloudtrail.py --real-shaped --size 240MB --out /tmp/rs --manifest /tmp/rs.manifest.json
  agenttrail scan /tmp/rs/AWSLogs --policies /tmp/rs/policies
  python3 Scripts/gen_cloudtrail.py --tiny-files --files 20000 --out /tmp/tiny
"""
import argparse
import datetime as dt
import gzip
import hashlib
import io
import json
import os
import random
import re
import sys
import zlib

# ---------------------------------------------------------------------------------------------------------
# Constants of the simulated estate
# ---------------------------------------------------------------------------------------------------------
ACCT_A = "111122223333"          # standalone trail: AWSLogs/111122223333/CloudTrail/...
ACCT_B = "444455556666"          # member of an organization trail: AWSLogs/o-a1b2c3d4e5/444455556666/...
ORG_ID = "o-a1b2c3d4e5"
ACCT_EXT = "999988887777"        # a partner account (cross-account caller), never a trail owner
REGIONS = ["us-east-1", "us-west-2", "eu-west-1"]

START = dt.datetime(2025, 6, 2, 0, 0, 0, tzinfo=dt.timezone.utc)   # a Monday
DAYS = 15
END = START + dt.timedelta(days=DAYS)
BASELINE_FRACTION = 0.3
BASE_END = START + dt.timedelta(seconds=DAYS * 86400 * BASELINE_FRACTION)  # 2025-06-06T12:00:00Z

M_SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"
M_HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
M_TITAN_EMB = "amazon.titan-embed-text-v2:0"
M_LLAMA = "meta.llama3-1-70b-instruct-v1:0"
M_OPUS = "anthropic.claude-3-opus-20240229-v1:0"
M_CLAUDE_V2 = "anthropic.claude-v2"
M_NOVA = "amazon.nova-pro-v1:0"

UA_BOTO = ("Boto3/1.38.36 md/Botocore#1.38.36 ua/2.1 os/linux#6.1.134-152.225.amzn2023.x86_64 md/arch#x86_64 "
           "lang/python#3.12.10 md/pyimpl#CPython cfg/retry-mode#standard Botocore/1.38.36")
UA_BOTO_MAC = ("Boto3/1.38.30 md/Botocore#1.38.30 ua/2.1 os/macos#24.5.0 md/arch#arm64 lang/python#3.12.9 "
               "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.38.30")
UA_BOTO_WIN = ("Boto3/1.29.7 md/Botocore#1.32.7 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.12.1 "
               "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.32.7")
UA_AGENT = ("Boto3/1.38.36 md/Botocore#1.38.36 ua/2.1 os/linux#5.10.236-228.935.amzn2.aarch64 md/arch#aarch64 "
            "lang/python#3.12.10 md/pyimpl#CPython exec-env/AWS_BedrockAgentCore cfg/retry-mode#standard "
            "Botocore/1.38.36 strands-agents/1.0.1")
UA_CONSOLE = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/137.0.0.0 Safari/537.36")
UA_CONSOLE_WIN = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:139.0) Gecko/20100101 Firefox/139.0")
UA_CLI = ("aws-cli/2.27.31 md/awscrt#0.26.1 ua/2.1 os/linux#6.8.0-1029-azure md/arch#x86_64 lang/python#3.13.3 "
          "md/pyimpl#CPython exec-env/GitHubActions cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24")
UA_JAVA = "aws-sdk-java/2.31.50 Linux/5.10.236 OpenJDK_64-Bit_Server_VM/21.0.7+6-LTS Java/21.0.7 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/standard"
UA_NODE = "aws-sdk-js/3.830.0 ua/2.1 os/linux#5.10.236-227.928.amzn2.x86_64 lang/js md/nodejs#22.16.0 api/bedrock-runtime#3.830.0 exec-env/AWS_Lambda_nodejs22.x m/E"
UA_CURL = "curl/8.5.0"
UA_HTTPX = "python-httpx/0.28.1"
UA_LEGACY_JAVA = "aws-sdk-java/1.11.163 Linux/3.10.0-1160.el7.x86_64 Java_HotSpot(TM)_64-Bit_Server_VM/25.141-b15/1.8.0_141"

ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def h64(*parts):
    """Stable 64-bit integer from parts (no Python hash randomization)."""
    d = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(d[:8], "big")


def stable_token(alphabet, n, *parts):
    r = random.Random(h64(*parts))
    return "".join(r.choice(alphabet) for _ in range(n))


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def role_id(role_arn):
    return "AROA" + stable_token(UPPER_ALNUM, 17, "roleid", role_arn)


def user_id(user_arn):
    return "AIDA" + stable_token(UPPER_ALNUM, 17, "userid", user_arn)


# ---------------------------------------------------------------------------------------------------------
# Record construction (field order as in real CloudTrail files)
# ---------------------------------------------------------------------------------------------------------
class Gen:
    def __init__(self, seed):
        self.seed = seed
        self.rng = random.Random(seed)
        self.events = []          # (datetime, record dict)
        self.incidents = []
        self.near_misses = []
        self.counters = {}

    # -- ids -------------------------------------------------------------------------------------------
    def uuid(self):
        r = self.rng
        return "%08x-%04x-4%03x-%04x-%012x" % (r.getrandbits(32), r.getrandbits(16), r.getrandbits(12),
                                                 0x8000 | r.getrandbits(14), r.getrandbits(48))

    def cycle(self, key, options):
        """First len(options) calls walk the options in order (so the baseline covers all), then random."""
        n = self.counters.get(key, 0)
        self.counters[key] = n + 1
        if n < len(options):
            return options[n]
        return self.rng.choice(options)

    # -- identities ------------------------------------------------------------------------------------
    @staticmethod
    def asia(*parts):
        return "ASIA" + stable_token(UPPER_ALNUM, 16, "asia", *parts)

    def assumed(self, role_arn, session, t, mfa=False, invoked_by=None, ec2=False, key_parts=None, created=None):
        acct = role_arn.split(":")[4]
        name = role_arn.rsplit("/", 1)[1]
        rid = role_id(role_arn)
        day = t.strftime("%Y%m%d")
        if created is None:
            created = t.replace(minute=0, second=0) - dt.timedelta(minutes=(h64(role_arn, session, day, t.hour) % 50))
        d = {"type": "AssumedRole", "principalId": f"{rid}:{session}",
             "arn": f"arn:aws:sts::{acct}:assumed-role/{name}/{session}", "accountId": acct,
             "accessKeyId": self.asia(role_arn, session, day, t.hour if key_parts is None else key_parts),
             "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": rid, "arn": role_arn,
                                                  "accountId": acct, "userName": name},
                                "attributes": {"creationDate": ts(created),
                                               "mfaAuthenticated": "true" if mfa else "false"}}}
        if ec2:
            d["sessionContext"]["ec2RoleDelivery"] = "2.0"
        if invoked_by:
            d["invokedBy"] = invoked_by
        return d

    @staticmethod
    def iam_user(acct, name, akid, console_session=False, t=None):
        arn = f"arn:aws:iam::{acct}:user/{name}"
        d = {"type": "IAMUser", "principalId": user_id(arn), "arn": arn, "accountId": acct, "accessKeyId": akid,
             "userName": name}
        if console_session and t is not None:
            d["sessionContext"] = {"sessionIssuer": {}, "webIdFederationData": {},
                                   "attributes": {"creationDate": ts(t.replace(minute=0, second=0)),
                                                  "mfaAuthenticated": "true"}}
        return d

    @staticmethod
    def aws_service(invoked_by):
        return {"type": "AWSService", "invokedBy": invoked_by}

    # -- one record ------------------------------------------------------------------------------------
    def rec(self, t, source, name, region, ident, ip, ua, req=None, resp=None, err=None, msg=None, addl=None,
            resources=None, read_only=None, etype="AwsApiCall", mgmt=True, category="Management",
            recipient=None, vpce=None, tls="TLSv1.3", host=None, console=False, shared=False,
            version="1.11", service_event=None):
        r = {"eventVersion": version}
        if ident is not None:
            r["userIdentity"] = ident
        r["eventTime"] = ts(t)
        r["eventSource"] = source
        r["eventName"] = name
        r["awsRegion"] = region
        r["sourceIPAddress"] = ip
        r["userAgent"] = ua
        if err:
            r["errorCode"] = err
            r["errorMessage"] = msg if msg is not None else default_error_message(err, ident, source, name)
        r["requestParameters"] = req
        r["responseElements"] = resp
        if addl is not None:
            r["additionalEventData"] = addl
        if service_event is not None:
            r["serviceEventDetails"] = service_event
        if etype != "AwsConsoleSignIn":
            r["requestID"] = self.uuid()
        r["eventID"] = self.uuid()
        if read_only is None:
            read_only = bool(re.match(r"(Get|List|Describe|Lookup|Retrieve|Head|Search|BatchGet|Query|Scan)", name)) \
                or name in ("InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream")
        r["readOnly"] = read_only
        if resources:
            r["resources"] = resources
        r["eventType"] = etype
        r["managementEvent"] = mgmt
        if recipient is None:
            recipient = ident.get("accountId") if ident else ACCT_A
        r["recipientAccountId"] = recipient
        if shared:
            r["sharedEventID"] = self.uuid()
        if vpce:
            r["vpcEndpointId"] = vpce
            r["vpcEndpointAccountId"] = recipient
        r["eventCategory"] = category
        if tls and not is_service_name(ip):
            r["tlsDetails"] = {"tlsVersion": tls, "cipherSuite": cipher_for(tls),
                               "clientProvidedHostHeader": host or host_for(source, name, region)}
        if console:
            r["sessionCredentialFromConsole"] = "true"
        return r

    def emit(self, t, record):
        assert START <= t < END + dt.timedelta(hours=1), t
        self.events.append((t, record))
        return record

    def incident(self, detector, principal, subject, t, records, note, also=()):
        self.incidents.append({"detector": detector, "principal": principal, "subject": subject, "time": ts(t),
                               "eventIDs": [r["eventID"] for r in records], "note": note,
                               "mayAlsoFire": sorted(also)})

    def near_miss(self, detector, principal, subject, t, records, note):
        self.near_misses.append({"mustNotFire": detector, "principal": principal, "subject": subject,
                                 "time": ts(t), "eventIDs": [r["eventID"] for r in records], "note": note})


def is_service_name(ip):
    return ip == "AWS Internal" or ip.endswith(".amazonaws.com")


def cipher_for(tls):
    return {"TLSv1.3": "TLS_AES_128_GCM_SHA256", "TLSv1.2": "ECDHE-RSA-AES128-GCM-SHA256"}.get(tls, "ECDHE-RSA-AES128-SHA")


BEDROCK_RUNTIME_OPS = {"InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream",
                       "ApplyGuardrail", "CountTokens"}
AGENTCORE_DATA_OPS = {"InvokeAgentRuntime", "CreateEvent", "RetrieveMemoryRecords", "ListEvents", "GetEvent",
                      "GetWorkloadAccessToken", "GetWorkloadAccessTokenForJWT", "GetResourceOauth2Token",
                      "InvokeGateway", "StartCodeInterpreterSession", "InvokeCodeInterpreter"}
GLOBAL_HOSTS = {"iam.amazonaws.com": "iam.amazonaws.com", "sts.amazonaws.com": "sts.amazonaws.com"}


def host_for(source, name, region):
    svc = source.split(".")[0]
    if source == "bedrock.amazonaws.com":
        return f"bedrock-runtime.{region}.amazonaws.com" if name in BEDROCK_RUNTIME_OPS else f"bedrock.{region}.amazonaws.com"
    if source == "bedrock-agentcore.amazonaws.com":
        return f"bedrock-agentcore.{region}.amazonaws.com" if name in AGENTCORE_DATA_OPS else f"bedrock-agentcore-control.{region}.amazonaws.com"
    if source == "iam.amazonaws.com":
        return "iam.amazonaws.com"
    if source == "s3.amazonaws.com":
        return "s3.amazonaws.com" if name == "ListBuckets" else f"s3.{region}.amazonaws.com"
    if source == "monitoring.amazonaws.com":
        return f"monitoring.{region}.amazonaws.com"
    return f"{svc}.{region}.amazonaws.com"


DENIAL_MSG = {
    "AccessDenied": "User: {arn} is not authorized to perform: {act} because no identity-based policy allows the {act} action",
    "AccessDeniedException": "User: {arn} is not authorized to perform: {act} because no identity-based policy allows the {act} action",
    "Client.UnauthorizedOperation": "You are not authorized to perform this operation. User: {arn} is not authorized to perform: {act} because no identity-based policy allows the {act} action",
}


def iam_action(source, name):
    prefix = {"monitoring.amazonaws.com": "cloudwatch"}.get(source, source.split(".")[0])
    name = {"Converse": "InvokeModel", "ConverseStream": "InvokeModelWithResponseStream", "ListBuckets": "ListAllMyBuckets"}.get(name, name)
    return f"{prefix}:{name}"


def default_error_message(err, ident, source, name):
    arn = (ident or {}).get("arn", "")
    tmpl = DENIAL_MSG.get(err)
    if tmpl:
        return tmpl.format(arn=arn, act=iam_action(source, name))
    return {"ThrottlingException": "Too many requests, please wait before trying again.",
            "ValidationException": "Malformed input request, please reformat your input and try again."}.get(err, err)


# ---------------------------------------------------------------------------------------------------------
# The estate: resources and principals
# ---------------------------------------------------------------------------------------------------------
def role(acct, name, path="/"):
    return f"arn:aws:iam::{acct}:role{path}{name}"


R_SUPPORT_BOT = role(ACCT_A, "AgentCoreRuntime-support-bot", "/service-role/")
R_RESEARCH = role(ACCT_B, "AgentCoreRuntime-research-agent")
R_ADMIN_A = role(ACCT_A, "AWSReservedSSO_AdministratorAccess_5f2a9c1e7b3d4a60", "/aws-reserved/sso.amazonaws.com/")
R_DS_A = role(ACCT_A, "AWSReservedSSO_DataScientist_8c41d0e2a9f37b15", "/aws-reserved/sso.amazonaws.com/")
R_ADMIN_B = role(ACCT_B, "AWSReservedSSO_AdministratorAccess_93d7e1b0c2f4a856", "/aws-reserved/sso.amazonaws.com/")
R_APPDEV_B = role(ACCT_B, "AWSReservedSSO_AppDeveloper_1e6b8f0a7c2d4953", "/aws-reserved/sso.amazonaws.com/")
R_CHAT_BACKEND = role(ACCT_A, "SupportChatBackendRole")
R_BATCH = role(ACCT_A, "BatchSummarizerRole")
R_CLAIMS = role(ACCT_B, "ClaimsProcessorRole")
R_DEVSANDBOX = role(ACCT_A, "DevSandboxRole")
R_CONTRACTOR = role(ACCT_B, "ContractorRole")
R_CONFIG_A = role(ACCT_A, "AWSServiceRoleForConfig", "/aws-service-role/config.amazonaws.com/")
R_CONFIG_B = role(ACCT_B, "AWSServiceRoleForConfig", "/aws-service-role/config.amazonaws.com/")
R_TA_A = role(ACCT_A, "AWSServiceRoleForTrustedAdvisor", "/aws-service-role/trustedadvisor.amazonaws.com/")
R_PARTNER = role(ACCT_EXT, "PartnerAgentInvokerRole")

AKIA = {"ci-deployer": "AKIA" + stable_token(UPPER_ALNUM, 16, "akia", "ci-deployer"),
        "svc-legacy-etl": "AKIA" + stable_token(UPPER_ALNUM, 16, "akia", "svc-legacy-etl"),
        "contractor-temp": "AKIA" + stable_token(UPPER_ALNUM, 16, "akia", "contractor-temp"),
        "root": "AKIA" + stable_token(UPPER_ALNUM, 16, "akia", "root")}

RT_SUPPORT_ID = "support_bot-Xq7Lm2Np9R"
RT_SUPPORT = f"arn:aws:bedrock-agentcore:us-east-1:{ACCT_A}:runtime/{RT_SUPPORT_ID}"
RT_SUPPORT_EP = RT_SUPPORT + "/runtime-endpoint/DEFAULT"
MEM_SUPPORT_ID = "support_bot_mem-Kd83JsQ0aB"
MEM_SUPPORT = f"arn:aws:bedrock-agentcore:us-east-1:{ACCT_A}:memory/{MEM_SUPPORT_ID}"
GW_SUPPORT_ID = "support-tools-gw-7c1e9a2b-4hq8mzx0ty"
GW_SUPPORT = f"arn:aws:bedrock-agentcore:us-east-1:{ACCT_A}:gateway/{GW_SUPPORT_ID}"
WID_SUPPORT = f"arn:aws:bedrock-agentcore:us-east-1:{ACCT_A}:workload-identity-directory/default/workload-identity/{RT_SUPPORT_ID}"
RT_RESEARCH_ID = "research_agent-Hb4Tz8Vw1C"
RT_RESEARCH = f"arn:aws:bedrock-agentcore:us-west-2:{ACCT_B}:runtime/{RT_RESEARCH_ID}"
RT_RESEARCH_EP = RT_RESEARCH + "/runtime-endpoint/DEFAULT"
MEM_RESEARCH_ID = "research_mem-Pp2Zq9Wx4L"
MEM_RESEARCH = f"arn:aws:bedrock-agentcore:us-west-2:{ACCT_B}:memory/{MEM_RESEARCH_ID}"
B_SUPPORT_KB = f"support-bot-kb-{ACCT_A}"
B_SUMMARIES = f"batch-summaries-{ACCT_A}"
B_RESEARCH = f"research-corpus-{ACCT_B}"
B_CLAIMS = f"claims-intake-{ACCT_B}"
B_PARTNER_SHARED = f"partner-shared-exports-{ACCT_A}"
T_TICKETS = "support-tickets"
SECRET_ZENDESK = f"arn:aws:secretsmanager:us-east-1:{ACCT_A}:secret:support-bot/zendesk-api-key-Q3xT9a"
GUARDRAIL_ID = "gr7k2m9xq4ze"
VPCE_A_BEDROCK = "vpce-0b3c4d5e6f7081920"
VPCE_A_AGENTCORE = "vpce-0a9b8c7d6e5f40312"
VPCE_A_S3 = "vpce-01f2e3d4c5b6a7980"
VPCE_A_DDB = "vpce-0d4e5f6a7b8c9d0e1"
VPCE_A_SM = "vpce-0e5f6a7b8c9d0e1f2"
VPCE_A_LOGS = "vpce-0f6a7b8c9d0e1f2a3"
VPCE_A_XRAY = "vpce-0f7b8c9d0e1f2a3b4"
VPCE_B_BEDROCK_E1 = "vpce-0c1d2e3f4a5b6c7d8"
VPCE_B_BEDROCK_W2 = "vpce-07a8b9c0d1e2f3a4b"
VPCE_B_S3_E1 = "vpce-03b4c5d6e7f8a9b0c"

# source addresses
IP_OFFICE = ["203.0.113.24", "203.0.113.57", "2001:db8:4f2a:1::1b"]
IP_DS = ["203.0.113.57", "2001:db8:4f2a:1::2c"]
IP_DAVE = ["198.51.100.14"]
IP_CI = ["20.42.18.7", "4.175.114.51", "20.57.44.93"]
IP_NAT_A = ["3.218.180.71", "3.222.45.12"]
IP_LAMBDA = ["44.230.17.5", "35.160.90.12"]
IP_AGENT_VPC = ["10.20.31.17", "10.20.33.142", "2600:1f18:4a3:6b12:8c1e:2f4a:91d3:7b20"]
AGENT_VPC_CIDRS = ["10.20.0.0/16", "2600:1f18:4a3:6b00::/56"]
IP_CLAIMS_VPC = ["10.40.12.9", "10.40.14.77"]
IP_OFFICE_B = ["192.0.2.44", "2001:db8:77aa::5"]
IP_GW_CLIENTS = ["34.201.22.206", "35.88.103.184"]
IP_PARTNER = ["52.14.201.33"]
IP_SANDBOX = ["203.0.113.88"]

WEEKDAY_HOURS = list(range(8, 19))


def is_weekday(t):
    return t.weekday() < 5


# ---------------------------------------------------------------------------------------------------------
# Normal traffic
# ---------------------------------------------------------------------------------------------------------
def day_starts():
    for d in range(DAYS):
        yield d, START + dt.timedelta(days=d)


def at(g, day0, hour, minute=None, second=None):
    m = g.rng.randrange(60) if minute is None else minute
    s = g.rng.randrange(60) if second is None else second
    return day0 + dt.timedelta(hours=hour, minutes=m, seconds=s)


def s3_object_event(g, t, ident, ip, ua, region, bucket, key, name="GetObject", vpce=None, err=None, msg=None,
                    recipient=None, tls="TLSv1.3", size=None):
    bucket_acct = ACCT_B if bucket.endswith(ACCT_B) else ACCT_A
    req = {"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com", "key": key}
    if name == "PutObject":
        req["x-amz-server-side-encryption"] = "aws:kms"
    addl = {"SignatureVersion": "SigV4", "CipherSuite": cipher_for(tls), "bytesTransferredIn": (size or 0) if name == "PutObject" else 0,
            "AuthenticationMethod": "AuthHeader", "x-amz-id-2": stable_token(ALNUM, 56, "xamzid2", g.rng.random()),
            "bytesTransferredOut": 0 if (name == "PutObject" or err) else (size or g.rng.randrange(900, 250000))}
    res = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
           {"accountId": bucket_acct, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
    return g.rec(t, "s3.amazonaws.com", name, region, ident, ip, ua, req=req,
                 resp=None if name == "GetObject" or err else {"x-amz-server-side-encryption": "aws:kms"},
                 err=err, msg=msg, addl=addl, resources=res, mgmt=False, category="Data", vpce=vpce,
                 recipient=recipient or bucket_acct, tls=tls, host=f"{bucket}.s3.{region}.amazonaws.com",
                 version="1.10")


def ddb_event(g, t, ident, ip, ua, region, acct, table, name, vpce=None, err=None):
    key = {"ticketId": "HIDDEN_DUE_TO_SECURITY_REASONS"}
    req = {"tableName": table}
    if name in ("GetItem", "DeleteItem"):
        req.update({"key": key, "consistentRead": False})
    elif name == "PutItem":
        req.update({"item": {"ticketId": "HIDDEN_DUE_TO_SECURITY_REASONS", "status": "HIDDEN_DUE_TO_SECURITY_REASONS"}})
    elif name == "Query":
        req.update({"indexName": "customerId-index", "keyConditionExpression": "customerId = :c",
                    "expressionAttributeValues": {":c": "HIDDEN_DUE_TO_SECURITY_REASONS"}, "limit": 20})
    elif name == "Scan":
        req.update({"select": "ALL_ATTRIBUTES"})
    res = [{"accountId": acct, "type": "AWS::DynamoDB::Table", "ARN": f"arn:aws:dynamodb:{region}:{acct}:table/{table}"}]
    return g.rec(t, "dynamodb.amazonaws.com", name, region, ident, ip, ua, req=req, resp=None, err=err,
                 resources=res, mgmt=False, category="Data", vpce=vpce, recipient=acct, version="1.09")


def bedrock_invoke(g, t, ident, ip, ua, region, model, name="InvokeModel", vpce=None, err=None, msg=None,
                   recipient=None, tls="TLSv1.3", addl=None):
    req = {"modelId": model}
    if name in ("Converse", "ConverseStream"):
        req["inferenceConfig"] = {"maxTokens": 1024}
    return g.rec(t, "bedrock.amazonaws.com", name, region, ident, ip, ua, req=req, resp=None, err=err, msg=msg,
                 vpce=vpce, recipient=recipient, tls=tls, addl=addl)


def agentcore_data(g, t, ident, ip, ua, name, arn, rtype, req, region, acct, resp=None, vpce=None, err=None,
                   recipient=None, extra_resources=()):
    res = [{"accountId": acct, "type": rtype, "ARN": arn}] + list(extra_resources)
    return g.rec(t, "bedrock-agentcore.amazonaws.com", name, region, ident, ip, ua, req=req, resp=resp,
                 resources=res, mgmt=False, category="Data", vpce=vpce, err=err, recipient=recipient or acct)


def gen_support_chat(g):
    """SupportChatBackendRole (ECS) invokes the support-bot runtime; the runtime (agent role) does its work."""
    chat = R_CHAT_BACKEND
    for d, day0 in day_starts():
        for hour in range(7, 23):
            n = g.rng.choice([0, 1, 1, 2, 2, 3]) if is_weekday(day0) else g.rng.choice([0, 0, 1])
            if d == 0 and hour == 9:
                n = max(n, 3)
            base = at(g, day0, hour, minute=g.rng.randrange(0, 50))
            for i in range(n):
                t = base + dt.timedelta(seconds=i * g.rng.randrange(20, 90))
                session_id = g.uuid()
                task = "ecs-task-" + stable_token("0123456789abcdef", 12, "task", d)
                ident = g.assumed(chat, task, t, key_parts=d)
                ip = g.cycle("chat-ip", IP_NAT_A)
                g.emit(t, agentcore_data(
                    g, t, ident, ip, UA_JAVA, "InvokeAgentRuntime", RT_SUPPORT, "AWS::BedrockAgentCore::Runtime",
                    {"agentRuntimeArn": RT_SUPPORT, "qualifier": "DEFAULT", "runtimeSessionId": session_id,
                     "contentType": "application/json", "accept": "application/json"},
                    "us-east-1", ACCT_A, resp={"runtimeSessionId": session_id, "contentType": "application/json",
                                               "statusCode": 200},
                    extra_resources=[{"accountId": ACCT_A, "type": "AWS::BedrockAgentCore::RuntimeEndpoint",
                                      "ARN": RT_SUPPORT_EP}]))
                agent_session_work(g, t + dt.timedelta(seconds=1), d, session_id)
    # a few throttled invocations of the runtime by the backend (not denials)


def agent_session_work(g, t, d, session_id):
    """What the support-bot runtime does with its execution role for one conversation turn."""
    block = agent_block(t.hour)
    sess = "BedrockAgentCore-" + stable_token("0123456789abcdef", 16, "acsess", d, block)
    ident = lambda tt: support_bot_ident(g, d, block, tt)
    ip = g.cycle("bot-ip", IP_AGENT_VPC)
    r = "us-east-1"
    actor = "customer-" + stable_token("0123456789", 6, "actor", session_id)
    steps = []
    steps.append(lambda tt: agentcore_data(g, tt, ident(tt), ip, UA_AGENT, "RetrieveMemoryRecords", MEM_SUPPORT,
                                           "AWS::BedrockAgentCore::Memory",
                                           {"memoryId": MEM_SUPPORT_ID, "namespace": f"/support/{actor}/facts",
                                            "searchCriteria": {"searchQuery": "HIDDEN_DUE_TO_SECURITY_REASONS", "topK": 5}},
                                           r, ACCT_A, vpce=VPCE_A_AGENTCORE))
    if g.rng.random() < 0.25:
        steps.append(lambda tt: g.rec(tt, "secretsmanager.amazonaws.com", "GetSecretValue", r, ident(tt), ip, UA_AGENT,
                                      req={"secretId": SECRET_ZENDESK}, vpce=VPCE_A_SM, version="1.09"))
    steps.append(lambda tt: ddb_event(g, tt, ident(tt), ip, UA_AGENT, r, ACCT_A, T_TICKETS,
                                      g.rng.choice(["Query", "GetItem", "GetItem"]), vpce=VPCE_A_DDB))
    if g.rng.random() < 0.6:
        key = f"kb/articles/{g.rng.choice(['billing', 'shipping', 'returns', 'accounts'])}/{g.rng.randrange(100, 999)}.md"
        steps.append(lambda tt: s3_object_event(g, tt, ident(tt), ip, UA_AGENT, r, B_SUPPORT_KB, key, vpce=VPCE_A_S3))
    for _ in range(g.rng.choice([1, 1, 2])):
        model = g.cycle("bot-model", [M_SONNET, M_HAIKU])
        name = g.cycle("bot-op", ["Converse", "ConverseStream"])
        steps.append(lambda tt, m=model, n=name: bedrock_invoke(g, tt, ident(tt), ip, UA_AGENT, r, m, name=n,
                                                                vpce=VPCE_A_BEDROCK))
    if g.rng.random() < 0.3:
        steps.append(lambda tt: ddb_event(g, tt, ident(tt), ip, UA_AGENT, r, ACCT_A, T_TICKETS, "PutItem", vpce=VPCE_A_DDB))
    steps.append(lambda tt: agentcore_data(g, tt, ident(tt), ip, UA_AGENT, "CreateEvent", MEM_SUPPORT,
                                           "AWS::BedrockAgentCore::Memory",
                                           {"memoryId": MEM_SUPPORT_ID, "actorId": actor, "sessionId": session_id,
                                            "eventTimestamp": ts(tt), "payload": "HIDDEN_DUE_TO_SECURITY_REASONS"},
                                           r, ACCT_A, resp={"event": {"memoryId": MEM_SUPPORT_ID, "actorId": actor,
                                                                      "sessionId": session_id,
                                                                      "eventId": "0000001" + stable_token("0123456789", 9, "ev", session_id)}},
                                           vpce=VPCE_A_AGENTCORE))
    for step in steps:
        t = t + dt.timedelta(seconds=g.rng.randrange(1, 6))
        g.emit(t, step(t))


def support_bot_assume_time(d, block):
    return START + dt.timedelta(days=d, hours=block, seconds=h64("sbassume", d, block) % 240)


def support_bot_ident(g, d, block, t, invoked_by=None):
    """Session of the support-bot execution role from the AssumeRole of day d, 4-hour block `block`."""
    sess = "BedrockAgentCore-" + stable_token("0123456789abcdef", 16, "acsess", d, block)
    return g.assumed(R_SUPPORT_BOT, sess, t, invoked_by=invoked_by, key_parts=(d, block),
                     created=support_bot_assume_time(d, block))


def agent_block(hour):
    """The support-bot runtime re-assumes its role every 4 hours from 06:00; sessions are named per block."""
    return max(6, hour - (hour - 6) % 4)


def gen_agent_role_housekeeping(g):
    """AssumeRole of the agent execution roles by bedrock-agentcore, plus logs/xray/workload token calls."""
    for d, day0 in day_starts():
        for hour in range(6, 23, 4):
            t = support_bot_assume_time(d, hour)
            sess = "BedrockAgentCore-" + stable_token("0123456789abcdef", 16, "acsess", d, hour)
            g.emit(t, assume_role_by_service(g, t, R_SUPPORT_BOT, sess, "bedrock-agentcore.amazonaws.com", "us-east-1",
                                             key_parts=(d, hour)))
            ident = support_bot_ident(g, d, hour, t)
            ip = g.cycle("bot-ip", IP_AGENT_VPC)
            t2 = t + dt.timedelta(seconds=3)
            g.emit(t2, agentcore_data(g, t2, ident, ip,
                                      UA_AGENT, "GetWorkloadAccessToken", WID_SUPPORT,
                                      "AWS::BedrockAgentCore::WorkloadIdentity",
                                      {"workloadName": RT_SUPPORT_ID}, "us-east-1", ACCT_A,
                                      resp={"workloadAccessToken": "HIDDEN_DUE_TO_SECURITY_REASONS"},
                                      vpce=VPCE_A_AGENTCORE))
            t3 = t + dt.timedelta(seconds=5)
            g.emit(t3, g.rec(t3, "logs.amazonaws.com", "CreateLogStream", "us-east-1", ident, ip, UA_AGENT,
                             req={"logGroupName": f"/aws/bedrock-agentcore/runtimes/{RT_SUPPORT_ID}-DEFAULT",
                                  "logStreamName": f"{t.strftime('%Y/%m/%d')}/[runtime-logs]{g.uuid()}"},
                             vpce=VPCE_A_LOGS, version="1.09"))
            t4 = t + dt.timedelta(seconds=6)
            g.emit(t4, g.rec(t4, "xray.amazonaws.com", "GetSamplingRules", "us-east-1", ident, ip, UA_AGENT,
                             req=None, vpce=VPCE_A_XRAY, version="1.09"))
        # research agent (account B, us-west-2): runtime in public network mode; the service calls on its behalf
        for hour in (9, 11, 14, 16) if is_weekday(day0) else (11,):
            t = at(g, day0, hour)
            sess = "BedrockAgentCore-" + stable_token("0123456789abcdef", 16, "rsess", d, hour)
            g.emit(t, assume_role_by_service(g, t, R_RESEARCH, sess, "bedrock-agentcore.amazonaws.com", "us-west-2",
                                             key_parts=(d, sess)))
            research_session_work(g, t + dt.timedelta(seconds=2), d, sess, t)


def assume_role_by_service(g, t, role_arn, session, service, region, key_parts=None):
    acct = role_arn.split(":")[4]
    name = role_arn.rsplit("/", 1)[1]
    akid = g.asia(role_arn, session, t.strftime("%Y%m%d"), t.hour if key_parts is None else key_parts)
    return g.rec(t, "sts.amazonaws.com", "AssumeRole", region, g.aws_service(service), service, service,
                 req={"roleArn": role_arn, "roleSessionName": session, "durationSeconds": 3600},
                 resp={"credentials": {"accessKeyId": akid, "sessionToken": "HIDDEN_DUE_TO_SECURITY_REASONS",
                                       "expiration": (t + dt.timedelta(hours=1)).strftime("%b %-d, %Y, %-I:%M:%S %p")},
                       "assumedRoleUser": {"assumedRoleId": f"{role_id(role_arn)}:{session}",
                                           "arn": f"arn:aws:sts::{acct}:assumed-role/{name}/{session}"}},
                 resources=[{"accountId": acct, "type": "AWS::IAM::Role", "ARN": role_arn}],
                 recipient=acct, shared=True, version="1.08")


def research_session_work(g, t, d, sess, created):
    svc = "bedrock-agentcore.amazonaws.com"
    mk = lambda tt: g.assumed(R_RESEARCH, sess, tt, invoked_by=svc, key_parts=(d, sess), created=created)
    r = "us-west-2"
    calls = [
        lambda tt: agentcore_data(g, tt, mk(tt), svc, svc, "RetrieveMemoryRecords", MEM_RESEARCH,
                                  "AWS::BedrockAgentCore::Memory",
                                  {"memoryId": MEM_RESEARCH_ID, "namespace": "/research/papers",
                                   "searchCriteria": {"searchQuery": "HIDDEN_DUE_TO_SECURITY_REASONS", "topK": 8}},
                                  r, ACCT_B),
        lambda tt: s3_object_event(g, tt, mk(tt), svc, svc, r, B_RESEARCH,
                                   f"papers/2025/{g.rng.randrange(1000, 9999)}.pdf"),
        lambda tt: bedrock_invoke(g, tt, mk(tt), svc, svc, r, M_SONNET),
        lambda tt: bedrock_invoke(g, tt, mk(tt), svc, svc, r, M_SONNET, name="InvokeModelWithResponseStream"),
        lambda tt: agentcore_data(g, tt, mk(tt), svc, svc, "CreateEvent", MEM_RESEARCH, "AWS::BedrockAgentCore::Memory",
                                  {"memoryId": MEM_RESEARCH_ID, "actorId": "analyst-team", "sessionId": g.uuid(),
                                   "eventTimestamp": ts(tt), "payload": "HIDDEN_DUE_TO_SECURITY_REASONS"}, r, ACCT_B),
        lambda tt: g.rec(tt, "logs.amazonaws.com", "CreateLogStream", r, mk(tt), svc, svc,
                         req={"logGroupName": f"/aws/bedrock-agentcore/runtimes/{RT_RESEARCH_ID}-DEFAULT",
                              "logStreamName": f"{tt.strftime('%Y/%m/%d')}/[runtime-logs]{g.uuid()}"}, version="1.09"),
    ]
    for c in calls:
        t = t + dt.timedelta(seconds=g.rng.randrange(1, 8))
        g.emit(t, c(t))


def gen_appdev_b(g):
    """App developers in account B invoke the research runtime and browse AgentCore/Bedrock in the console."""
    for d, day0 in day_starts():
        if not is_weekday(day0):
            continue
        for hour in g.rng.sample(WEEKDAY_HOURS, 3):
            t = at(g, day0, hour)
            sess = g.cycle("appdev-sess", ["maria@example.com", "kenji@example.com"])
            ip = g.cycle("appdev-ip", IP_OFFICE_B)
            ident = g.assumed(R_APPDEV_B, sess, t, key_parts=d)
            sid = g.uuid()
            g.emit(t, agentcore_data(g, t, ident, ip, UA_BOTO_MAC, "InvokeAgentRuntime", RT_RESEARCH,
                                     "AWS::BedrockAgentCore::Runtime",
                                     {"agentRuntimeArn": RT_RESEARCH, "qualifier": "DEFAULT", "runtimeSessionId": sid},
                                     "us-west-2", ACCT_B, resp={"runtimeSessionId": sid, "statusCode": 200},
                                     extra_resources=[{"accountId": ACCT_B, "type": "AWS::BedrockAgentCore::RuntimeEndpoint",
                                                       "ARN": RT_RESEARCH_EP}]))
            t2 = t + dt.timedelta(minutes=2)
            for name, req in [("GetAgentRuntime", {"agentRuntimeId": RT_RESEARCH_ID}),
                              ("ListAgentRuntimeEndpoints", {"agentRuntimeId": RT_RESEARCH_ID}),
                              ("GetMemory", {"memoryId": MEM_RESEARCH_ID})][: g.rng.randrange(1, 4)]:
                t2 += dt.timedelta(seconds=g.rng.randrange(3, 40))
                g.emit(t2, g.rec(t2, "bedrock-agentcore.amazonaws.com", name, "us-west-2", g.assumed(R_APPDEV_B, sess, t2, key_parts=d),
                                 ip, UA_CONSOLE, req=req, console=True))
        if d in (0, 3):
            t = at(g, day0, 10)
            ident = g.assumed(R_APPDEV_B, "maria@example.com", t, key_parts=d)
            g.emit(t, g.rec(t, "bedrock-agentcore.amazonaws.com", "UpdateAgentRuntime", "us-west-2", ident, IP_OFFICE_B[0],
                            UA_BOTO_MAC, req={"agentRuntimeId": RT_RESEARCH_ID,
                                              "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": f"{ACCT_B}.dkr.ecr.us-west-2.amazonaws.com/research-agent:v1.{d + 3}"}},
                                              "roleArn": R_RESEARCH, "networkConfiguration": {"networkMode": "PUBLIC"}},
                            resp={"agentRuntimeArn": RT_RESEARCH, "agentRuntimeId": RT_RESEARCH_ID,
                                  "agentRuntimeVersion": str(d + 3), "status": "UPDATING"}))


CONSOLE_READS = [
    ("ec2.amazonaws.com", "DescribeInstances", {"instancesSet": {}, "filterSet": {}}),
    ("ec2.amazonaws.com", "DescribeSecurityGroups", {"securityGroupSet": {}, "filterSet": {}}),
    ("ec2.amazonaws.com", "DescribeVpcEndpoints", {"vpcEndpointIdSet": {}, "filterSet": {}}),
    ("iam.amazonaws.com", "ListRoles", {"maxItems": 1000}),
    ("iam.amazonaws.com", "ListUsers", {"maxItems": 1000}),
    ("iam.amazonaws.com", "ListPolicies", {"scope": "Local", "onlyAttached": False}),
    ("monitoring.amazonaws.com", "DescribeAlarms", {"maxRecords": 100}),
    ("monitoring.amazonaws.com", "GetMetricData", None),
    ("s3.amazonaws.com", "ListBuckets", {"Host": "s3.amazonaws.com"}),
    ("s3.amazonaws.com", "GetBucketPolicy", {"bucketName": B_SUPPORT_KB, "Host": f"{B_SUPPORT_KB}.s3.amazonaws.com", "policy": ""}),
    ("kms.amazonaws.com", "ListKeys", {"limit": 1000}),
    ("kms.amazonaws.com", "DescribeKey", {"keyId": "alias/agentcore-data"}),
    ("cloudtrail.amazonaws.com", "DescribeTrails", {"includeShadowTrails": True}),
    ("cloudtrail.amazonaws.com", "GetTrailStatus", {"name": "management-trail"}),
    ("cloudtrail.amazonaws.com", "LookupEvents", {"maxResults": 50}),
    ("bedrock.amazonaws.com", "ListFoundationModels", {}),
    ("bedrock.amazonaws.com", "GetFoundationModel", {"modelIdentifier": M_SONNET}),
    ("bedrock.amazonaws.com", "ListGuardrails", {"maxResults": 1000}),
    ("bedrock.amazonaws.com", "GetGuardrail", {"guardrailIdentifier": GUARDRAIL_ID, "guardrailVersion": "DRAFT"}),
    ("bedrock.amazonaws.com", "GetModelInvocationLoggingConfiguration", None),
    ("bedrock-agentcore.amazonaws.com", "ListAgentRuntimes", {"maxResults": 100}),
    ("bedrock-agentcore.amazonaws.com", "GetAgentRuntime", {"agentRuntimeId": RT_SUPPORT_ID}),
    ("bedrock-agentcore.amazonaws.com", "ListMemories", {"maxResults": 100}),
    ("bedrock-agentcore.amazonaws.com", "GetMemory", {"memoryId": MEM_SUPPORT_ID}),
    ("bedrock-agentcore.amazonaws.com", "ListGateways", {"maxResults": 100}),
    ("bedrock-agentcore.amazonaws.com", "GetGateway", {"gatewayIdentifier": GW_SUPPORT_ID}),
    ("bedrock-agentcore.amazonaws.com", "ListGatewayTargets", {"gatewayIdentifier": GW_SUPPORT_ID}),
]


def console_read(g, t, ident, ip, region, src, name, req, ua=UA_CONSOLE, console=True):
    if src in ("iam.amazonaws.com",) or name == "ListBuckets":
        region = "us-east-1"
    return g.rec(t, src, name, region, ident, ip, ua, req=req, console=console, version="1.10")


def gen_admin_a(g):
    """SSO administrators of account A: console browsing and AgentCore control plane set-up."""
    for d, day0 in day_starts():
        if not is_weekday(day0):
            continue
        for sess in ("alice@example.com", "carol@example.com"):
            for hour in g.rng.sample(WEEKDAY_HOURS, 2):
                t = at(g, day0, hour)
                ip = g.cycle("admin-ip", IP_OFFICE)
                region = g.cycle("admin-region", ["us-east-1", "us-west-2"])
                for _ in range(g.rng.randrange(4, 10)):
                    src, name, req = g.cycle("admin-op", CONSOLE_READS)
                    t += dt.timedelta(seconds=g.rng.randrange(2, 50))
                    g.emit(t, console_read(g, t, g.assumed(R_ADMIN_A, sess, t, key_parts=d), ip, region, src, name, req))
    # control-plane set-up of the support bot (day 0) and updates
    t = START + dt.timedelta(hours=9, minutes=12)
    ident = lambda tt: g.assumed(R_ADMIN_A, "carol@example.com", tt, key_parts=0)
    ip = IP_OFFICE[0]
    setup = [
        ("CreateAgentRuntime", {"agentRuntimeName": "support_bot", "roleArn": R_SUPPORT_BOT,
                                "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": f"{ACCT_A}.dkr.ecr.us-east-1.amazonaws.com/support-bot:v1.0"}},
                                "networkConfiguration": {"networkMode": "VPC", "networkModeConfig": {"subnets": ["subnet-0a1b2c3d4e5f60718"], "securityGroups": ["sg-0f1e2d3c4b5a69788"]}},
                                "protocolConfiguration": {"serverProtocol": "HTTP"}},
         {"agentRuntimeArn": RT_SUPPORT, "agentRuntimeId": RT_SUPPORT_ID, "agentRuntimeVersion": "1",
          "workloadIdentityDetails": {"workloadIdentityArn": WID_SUPPORT}, "status": "CREATING"}, RT_SUPPORT, "AWS::BedrockAgentCore::Runtime"),
        ("GetAgentRuntime", {"agentRuntimeId": RT_SUPPORT_ID}, None, None, None),
        ("CreateMemory", {"name": "support_bot_mem", "eventExpiryDuration": 30,
                          "memoryStrategies": [{"semanticMemoryStrategy": {"name": "facts", "namespaces": ["/support/{actorId}/facts"]}}]},
         {"memory": {"arn": MEM_SUPPORT, "id": MEM_SUPPORT_ID, "status": "CREATING"}}, MEM_SUPPORT, "AWS::BedrockAgentCore::Memory"),
        ("CreateGateway", {"name": "support-tools-gw", "roleArn": role(ACCT_A, "AgentCoreGatewayRole"), "protocolType": "MCP",
                           "authorizerType": "CUSTOM_JWT",
                           "authorizerConfiguration": {"customJWTAuthorizer": {"allowedClients": ["5k2l9m0n8b7v6c5x4z3a2s1d0f"],
                                                                               "discoveryUrl": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab1Cd2Ef3/.well-known/openid-configuration"}}},
         {"gatewayArn": GW_SUPPORT, "gatewayId": GW_SUPPORT_ID, "status": "CREATING",
          "gatewayUrl": f"https://{GW_SUPPORT_ID}.gateway.bedrock-agentcore.us-east-1.amazonaws.com/mcp"}, GW_SUPPORT, "AWS::BedrockAgentCore::Gateway"),
        ("CreateGatewayTarget", {"gatewayIdentifier": GW_SUPPORT_ID, "name": "TicketsLambda",
                                 "targetConfiguration": {"mcp": {"lambda": {"lambdaArn": f"arn:aws:lambda:us-east-1:{ACCT_A}:function:tickets-tool"}}}},
         {"gatewayArn": GW_SUPPORT, "targetId": "TKT0LAMBDA1", "status": "CREATING"}, GW_SUPPORT, "AWS::BedrockAgentCore::Gateway"),
        ("ListGatewayTargets", {"gatewayIdentifier": GW_SUPPORT_ID}, None, None, None),
        ("CreateAgentRuntimeEndpoint", {"agentRuntimeId": RT_SUPPORT_ID, "name": "DEFAULT"},
         {"agentRuntimeEndpointArn": RT_SUPPORT_EP, "status": "CREATING"}, RT_SUPPORT, "AWS::BedrockAgentCore::Runtime"),
        ("ListAgentRuntimes", {"maxResults": 100}, None, None, None),
    ]
    for name, req, resp, arn, rtype in setup:
        t += dt.timedelta(seconds=g.rng.randrange(20, 120))
        res = [{"accountId": ACCT_A, "type": rtype, "ARN": arn}] if arn else None
        g.emit(t, g.rec(t, "bedrock-agentcore.amazonaws.com", name, "us-east-1", ident(t), ip, UA_BOTO_MAC, req=req,
                        resp=resp, resources=res))
    # guardrail created in the baseline (CreateGuardrail is not a watched change)
    t = START + dt.timedelta(days=1, hours=10, minutes=5)
    g.emit(t, g.rec(t, "bedrock.amazonaws.com", "CreateGuardrail", "us-east-1", ident(t), ip, UA_CONSOLE,
                    req={"name": "HIDDEN_DUE_TO_SECURITY_REASONS", "blockedInputMessaging": "HIDDEN_DUE_TO_SECURITY_REASONS",
                         "blockedOutputsMessaging": "HIDDEN_DUE_TO_SECURITY_REASONS",
                         "contentPolicyConfig": {"filtersConfig": [{"type": "PROMPT_ATTACK", "inputStrength": "HIGH", "outputStrength": "NONE"}]}},
                    resp={"guardrailId": GUARDRAIL_ID, "guardrailArn": f"arn:aws:bedrock:us-east-1:{ACCT_A}:guardrail/{GUARDRAIL_ID}",
                          "version": "DRAFT", "createdAt": ts(t)}, console=True))
    for day, ver in ((3, "v1.1"), (9, "v1.2")):
        t = START + dt.timedelta(days=day, hours=15, minutes=40)
        g.emit(t, g.rec(t, "bedrock-agentcore.amazonaws.com", "UpdateAgentRuntime", "us-east-1", ident(t), ip, UA_BOTO_MAC,
                        req={"agentRuntimeId": RT_SUPPORT_ID, "roleArn": R_SUPPORT_BOT,
                             "agentRuntimeArtifact": {"containerConfiguration": {"containerUri": f"{ACCT_A}.dkr.ecr.us-east-1.amazonaws.com/support-bot:{ver}"}}},
                        resp={"agentRuntimeArn": RT_SUPPORT, "agentRuntimeId": RT_SUPPORT_ID, "status": "UPDATING"},
                        resources=[{"accountId": ACCT_A, "type": "AWS::BedrockAgentCore::Runtime", "ARN": RT_SUPPORT}]))


def gen_admin_b(g):
    for d, day0 in day_starts():
        if not is_weekday(day0):
            continue
        t = at(g, day0, g.rng.choice(WEEKDAY_HOURS))
        ip = g.cycle("adminb-ip", IP_OFFICE_B)
        region = g.cycle("adminb-region", ["us-east-1", "us-west-2", "eu-west-1"])
        for k in range(g.rng.randrange(3, 8)):
            # the first call of a visit is regional, so every region of the profile shows up in the baseline
            src, name, req = CONSOLE_READS[0] if k == 0 else g.cycle("adminb-op", CONSOLE_READS[:15])
            t += dt.timedelta(seconds=g.rng.randrange(2, 50))
            g.emit(t, console_read(g, t, g.assumed(R_ADMIN_B, "ines@example.com", t, key_parts=d), ip, region, src, name, req))


def gen_data_scientist(g):
    """SSO DataScientist: SDK calls to Bedrock runtime from the office, us-east-1 and us-west-2."""
    models = [M_SONNET, M_TITAN_EMB, M_HAIKU]
    ops = ["InvokeModel", "Converse", "ConverseStream", "InvokeModelWithResponseStream"]
    for d, day0 in day_starts():
        if not is_weekday(day0):
            continue
        for _ in range(4):
            t = at(g, day0, g.cycle("ds-hour", list(range(9, 18))))
            ip = g.cycle("ds-ip", IP_DS)
            region = g.cycle("ds-region", ["us-east-1", "us-west-2"])
            n = g.rng.randrange(2, 7)
            if d == 0:
                t2 = t - dt.timedelta(minutes=1)
                g.emit(t2, g.rec(t2, "bedrock.amazonaws.com", "ListFoundationModels", region,
                                 g.assumed(R_DS_A, "bob@example.com", t2, key_parts=d), ip, UA_BOTO_MAC,
                                 req={"byOutputModality": "TEXT"}))
            for _ in range(n):
                t += dt.timedelta(seconds=g.rng.randrange(5, 120))
                model = g.cycle("ds-model", models)
                op = "InvokeModel" if model == M_TITAN_EMB else g.cycle("ds-op", ops)
                err = "ThrottlingException" if g.rng.random() < 0.015 else None
                g.emit(t, bedrock_invoke(g, t, g.assumed(R_DS_A, "bob@example.com", t, key_parts=d), ip, UA_BOTO_MAC,
                                         region, model, name=op, err=err))


def gen_batch(g):
    """BatchSummarizerRole (Lambda, us-west-2): a steady 1-4 InvokeModel every hour, around the clock."""
    for d, day0 in day_starts():
        for hour in range(24):
            t = at(g, day0, hour, minute=g.rng.randrange(0, 55))
            ip = g.cycle("batch-ip", IP_LAMBDA)
            sess = "batch-summarizer"
            n = g.rng.choice([1, 2, 2, 3, 3, 4])
            for i in range(n):
                tt = t + dt.timedelta(seconds=i * g.rng.randrange(2, 9))
                err = "ThrottlingException" if (d, hour, i) in ((2, 13, 0), (8, 3, 1)) else None
                g.emit(tt, bedrock_invoke(g, tt, g.assumed(R_BATCH, sess, tt, key_parts=d), ip, UA_NODE, "us-west-2",
                                          M_HAIKU, err=err))
            if hour % 6 == 0:
                tt = t + dt.timedelta(seconds=30)
                g.emit(tt, s3_object_event(g, tt, g.assumed(R_BATCH, sess, tt, key_parts=d), ip, UA_NODE, "us-west-2",
                                           B_SUMMARIES, f"daily/{tt.strftime('%Y-%m-%d')}/summary-{hour:02d}.json",
                                           name="PutObject", size=g.rng.randrange(2000, 40000)))
        t = at(g, day0, 0, minute=1)
        g.emit(t, assume_role_by_service(g, t, R_BATCH, "batch-summarizer", "lambda.amazonaws.com", "us-west-2"))


def gen_claims(g):
    """ClaimsProcessorRole (EC2 in account B): Converse through the Bedrock VPC endpoint, us-east-1 and us-west-2."""
    for d, day0 in day_starts():
        for hour in range(7, 20) if is_weekday(day0) else ():
            if g.rng.random() < 0.45:
                continue
            t = at(g, day0, hour)
            region = g.cycle("claims-region", ["us-east-1", "us-west-2"])
            vpce = VPCE_B_BEDROCK_E1 if region == "us-east-1" else VPCE_B_BEDROCK_W2
            ip = g.cycle("claims-ip", IP_CLAIMS_VPC)
            inst = "i-0" + stable_token("0123456789abcdef", 16, "inst", region)
            for i in range(g.rng.randrange(1, 4)):
                tt = t + dt.timedelta(seconds=i * 7)
                g.emit(tt, bedrock_invoke(g, tt, g.assumed(R_CLAIMS, inst, tt, ec2=True, key_parts=(d, region)), ip, UA_BOTO,
                                          region, M_SONNET, name="Converse", vpce=vpce))
            if region == "us-east-1" and g.rng.random() < 0.5:
                tt = t + dt.timedelta(seconds=40)
                g.emit(tt, s3_object_event(g, tt, g.assumed(R_CLAIMS, inst, tt, ec2=True, key_parts=(d, region)), ip, UA_BOTO,
                                           region, B_CLAIMS, f"inbound/{tt.strftime('%Y%m%d')}/claim-{g.rng.randrange(10000, 99999)}.pdf",
                                           vpce=VPCE_B_S3_E1))
        t = at(g, day0, 6, minute=58)
        for region in ("us-east-1", "us-west-2"):
            inst = "i-0" + stable_token("0123456789abcdef", 16, "inst", region)
            g.emit(t, assume_role_by_service(g, t, R_CLAIMS, inst, "ec2.amazonaws.com", region))


def gen_ci(g):
    """ci-deployer IAM user (long-term key) from CI runners: infra reads, never Bedrock."""
    ops = [("ec2.amazonaws.com", "DescribeInstances", {"instancesSet": {}, "filterSet": {}}),
           ("ec2.amazonaws.com", "DescribeSubnets", {"subnetSet": {}, "filterSet": {}}),
           ("ec2.amazonaws.com", "DescribeSecurityGroups", {"securityGroupSet": {}, "filterSet": {}}),
           ("sts.amazonaws.com", "GetCallerIdentity", None),
           ("ecr.amazonaws.com", "GetAuthorizationToken", {"registryIds": [ACCT_A]}),
           ("iam.amazonaws.com", "GetRole", {"roleName": "SupportChatBackendRole"}),
           ("s3.amazonaws.com", "ListBuckets", {"Host": "s3.amazonaws.com"}),
           ("lambda.amazonaws.com", "GetFunction20150331v2", {"functionName": "batch-summarizer"})]
    for d, day0 in day_starts():
        for _ in range(3 if is_weekday(day0) else 1):
            t = at(g, day0, g.rng.randrange(0, 24))
            ip = g.cycle("ci-ip", IP_CI)
            region = g.cycle("ci-region", REGIONS)
            for _ in range(g.rng.randrange(3, 7)):
                src, name, req = g.cycle("ci-op", ops)
                t += dt.timedelta(seconds=g.rng.randrange(1, 15))
                rg = "us-east-1" if src in ("iam.amazonaws.com",) or name == "ListBuckets" else region
                g.emit(t, g.rec(t, src, name, rg, g.iam_user(ACCT_A, "ci-deployer", AKIA["ci-deployer"]), ip, UA_CLI,
                                req=req, version="1.10", tls="TLSv1.3" if g.rng.random() < 0.7 else "TLSv1.2"))


def gen_dave(g):
    """ops-dave IAM user: console sign-in with MFA, then console reads in us-east-1 and eu-west-1."""
    for d, day0 in day_starts():
        if not is_weekday(day0) or d % 2 == 1:
            continue
        t = at(g, day0, g.rng.choice([8, 9, 13]))
        ip = IP_DAVE[0]
        arn = f"arn:aws:iam::{ACCT_A}:user/ops-dave"
        g.emit(t, g.rec(t, "signin.amazonaws.com", "ConsoleLogin", "us-east-1",
                        {"type": "IAMUser", "principalId": user_id(arn), "arn": arn, "accountId": ACCT_A, "userName": "ops-dave"},
                        ip, UA_CONSOLE_WIN, req=None, resp={"ConsoleLogin": "Success"},
                        addl={"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true",
                              "MobileVersion": "No", "MFAIdentifier": f"arn:aws:iam::{ACCT_A}:mfa/ops-dave", "MFAUsed": "Yes"},
                        etype="AwsConsoleSignIn", read_only=False, tls="TLSv1.3", host="signin.aws.amazon.com"))
        region = g.cycle("dave-region", ["us-east-1", "eu-west-1"])
        for k in range(g.rng.randrange(3, 8)):
            src, name, req = CONSOLE_READS[0] if k == 0 else g.cycle("dave-op", CONSOLE_READS[:9])
            t += dt.timedelta(seconds=g.rng.randrange(5, 60))
            ident = g.iam_user(ACCT_A, "ops-dave", g.asia("ops-dave", d), console_session=True, t=t)
            g.emit(t, console_read(g, t, ident, ip, region, src, name, req, ua=UA_CONSOLE_WIN))


def gen_devsandbox(g):
    """DevSandboxRole: a developer's EC2 experiments from the office (baseline for the recon incident)."""
    for d, day0 in day_starts():
        if not is_weekday(day0):
            continue
        t = at(g, day0, g.rng.choice([10, 11, 14]))
        for _ in range(g.rng.randrange(2, 5)):
            t += dt.timedelta(seconds=g.rng.randrange(3, 30))
            src, name, req = g.cycle("sbx-op", CONSOLE_READS[:3])
            g.emit(t, g.rec(t, src, name, "us-east-1", g.assumed(R_DEVSANDBOX, "dev-frank", t, key_parts=d), IP_SANDBOX[0],
                            UA_BOTO_MAC, req=req, version="1.10"))


def gen_service_noise(g):
    """AWS services: Config recorder describes, Trusted Advisor (AWS Internal), KMS by CloudTrail and Secrets Manager."""
    for d, day0 in day_starts():
        for acct, cfg in ((ACCT_A, R_CONFIG_A), (ACCT_B, R_CONFIG_B)):
            for region in REGIONS:
                t = at(g, day0, 4 if acct == ACCT_A else 5)
                for name in ("DescribeInstances", "DescribeSecurityGroups", "DescribeVpcs"):
                    t += dt.timedelta(seconds=g.rng.randrange(1, 5))
                    g.emit(t, g.rec(t, "ec2.amazonaws.com", name, region,
                                    g.assumed(cfg, "AWSConfig-Describe", t, invoked_by="config.amazonaws.com", key_parts=(d, region)),
                                    "config.amazonaws.com", "config.amazonaws.com", req={"filterSet": {}}, version="1.09"))
                t += dt.timedelta(seconds=2)
                g.emit(t, g.rec(t, "kms.amazonaws.com", "GenerateDataKey", region, g.aws_service("cloudtrail.amazonaws.com"),
                                "cloudtrail.amazonaws.com", "cloudtrail.amazonaws.com",
                                req={"keySpec": "AES_256", "encryptionContext": {"aws:cloudtrail:arn": f"arn:aws:cloudtrail:us-east-1:{acct}:trail/management-trail",
                                                                                "aws:s3:arn": f"arn:aws:s3:::aws-cloudtrail-logs-{acct}/AWSLogs/{acct}/CloudTrail/{region}/{t.strftime('%Y/%m/%d')}/"},
                                     "keyId": f"arn:aws:kms:us-east-1:{acct}:key/2b7e4c1a-9d3f-4e6b-8a5c-0f1d2e3c4b5a"},
                                resources=[{"accountId": acct, "type": "AWS::KMS::Key",
                                            "ARN": f"arn:aws:kms:us-east-1:{acct}:key/2b7e4c1a-9d3f-4e6b-8a5c-0f1d2e3c4b5a"}],
                                recipient=acct, shared=True, version="1.08", read_only=True))
        # Trusted Advisor: sourceIPAddress "AWS Internal"
        t = at(g, day0, 2)
        for src, name, req in (("iam.amazonaws.com", "GetAccountSummary", None),
                               ("s3.amazonaws.com", "GetBucketAcl", {"bucketName": B_SUPPORT_KB, "Host": f"{B_SUPPORT_KB}.s3.amazonaws.com", "acl": ""}),
                               ("ec2.amazonaws.com", "DescribeAddresses", {"filterSet": {}}),
                               ("bedrock.amazonaws.com", "ListFoundationModels", {})):
            t += dt.timedelta(seconds=3)
            g.emit(t, g.rec(t, src, name, "us-east-1",
                            g.assumed(R_TA_A, "TrustedAdvisor_" + stable_token("0123456789", 10, "ta", d), t, key_parts=d),
                            "AWS Internal", "AWS Internal", req=req, version="1.09"))
        # kms Decrypt by Secrets Manager on behalf of the agent role (service-name source)
        t = at(g, day0, 12)
        g.emit(t, g.rec(t, "kms.amazonaws.com", "Decrypt", "us-east-1",
                        support_bot_ident(g, d, agent_block(12), t, invoked_by="secretsmanager.amazonaws.com"),
                        "secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com",
                        req={"encryptionContext": {"SecretARN": SECRET_ZENDESK, "SecretVersionId": "8f1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"},
                             "encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
                        resources=[{"accountId": ACCT_A, "type": "AWS::KMS::Key",
                                    "ARN": f"arn:aws:kms:us-east-1:{ACCT_A}:key/6c5d4e3f-2a1b-4c0d-9e8f-7a6b5c4d3e2f"}],
                        version="1.08"))
        # kms Decrypt by a human admin (console secret view) on weekdays
        if is_weekday(day0) and d % 3 == 0:
            t = at(g, day0, 11)
            g.emit(t, g.rec(t, "kms.amazonaws.com", "Decrypt", "us-east-1",
                            g.assumed(R_ADMIN_A, "alice@example.com", t, invoked_by="secretsmanager.amazonaws.com", key_parts=d),
                            "secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com",
                            req={"encryptionContext": {"SecretARN": SECRET_ZENDESK}, "encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
                            version="1.08"))


def gen_gateway(g):
    """MCP clients with inbound OAuth call the support-tools gateway (AWSAccount anonymous, data events)."""
    for d, day0 in day_starts():
        for hour in (8, 12, 16, 20) if is_weekday(day0) else (12,):
            t = at(g, day0, hour)
            ip = g.cycle("gw-ip", IP_GW_CLIENTS)
            ident = {"type": "AWSAccount", "principalId": "", "accountId": "anonymous"}
            for i, (method, params) in enumerate((("initialize", {"clientInfo": {"name": "mcp", "version": "0.1.0"}, "protocolVersion": "2025-06-18", "capabilities": {}}),
                                                   ("tools/list", {}),
                                                   ("tools/call", {"name": "TicketsLambda___lookup_ticket", "arguments": "REDACTED"}))):
                tt = t + dt.timedelta(seconds=i * 2)
                ok = {"jsonrpc": "2.0", "id": i, "result": {"isError": False, "content": "REDACTED"} if method == "tools/call" else {}}
                g.emit(tt, g.rec(tt, "bedrock-agentcore.amazonaws.com", "InvokeGateway", "us-east-1", ident, ip, UA_HTTPX,
                                 req={"body": {"id": i, "method": method, "params": params, "jsonrpc": "2.0"}},
                                 resp={"body": ok, "contentType": "application/json", "statusCode": 200},
                                 addl={"targetId": "TKT0LAMBDA1"} if method == "tools/call" else None,
                                 resources=[{"accountId": ACCT_A, "type": "AWS::BedrockAgentCore::Gateway", "ARN": GW_SUPPORT}],
                                 mgmt=False, category="Data", recipient=ACCT_A, read_only=False, shared=True, tls="TLSv1.2",
                                 host=f"{GW_SUPPORT_ID}.gateway.bedrock-agentcore.us-east-1.amazonaws.com"))
    # one expired token: 401 with JSON-RPC error (not an IAM denial)
    t = START + dt.timedelta(days=6, hours=9, minutes=3, seconds=11)
    g.emit(t, g.rec(t, "bedrock-agentcore.amazonaws.com", "InvokeGateway", "us-east-1",
                    {"type": "AWSAccount", "principalId": "", "accountId": "anonymous"}, IP_GW_CLIENTS[0], UA_HTTPX,
                    req={"body": {"id": 0, "method": "initialize", "params": {"clientInfo": {"name": "mcp", "version": "0.1.0"}, "protocolVersion": "2025-06-18", "capabilities": {}}, "jsonrpc": "2.0"}},
                    resp={"body": {"jsonrpc": "2.0", "id": 0, "error": {"code": -32001, "message": "Invalid Bearer token"}}, "contentType": "application/json", "statusCode": 401},
                    resources=[{"accountId": ACCT_A, "type": "AWS::BedrockAgentCore::Gateway", "ARN": GW_SUPPORT}],
                    mgmt=False, category="Data", recipient=ACCT_A, read_only=False, shared=True, tls="TLSv1.2",
                    host=f"{GW_SUPPORT_ID}.gateway.bedrock-agentcore.us-east-1.amazonaws.com"))


def gen_partner_s3(g):
    """Partner account reads a shared export bucket in account A (cross-account, but not Bedrock: must not fire)."""
    for d, day0 in day_starts():
        if d % 2:
            continue
        t = at(g, day0, 7)
        ident = g.assumed(R_PARTNER, "partner-sync", t, key_parts=d)
        rec_ = s3_object_event(g, t, ident, IP_PARTNER[0], UA_BOTO, "us-east-1", B_PARTNER_SHARED,
                               f"exports/{t.strftime('%Y-%m-%d')}/tickets.csv.gz", recipient=ACCT_A)
        g.emit(t, rec_)
        if d == 8:
            g.near_miss("cross-account-access", R_PARTNER, f"s3:GetObject arn:aws:s3:::{B_PARTNER_SHARED}", t, [rec_],
                        "cross-account S3 data event, not a Bedrock/AgentCore call")


# ---------------------------------------------------------------------------------------------------------
# Injected incidents (all after the baseline part)
# ---------------------------------------------------------------------------------------------------------
def T(day, hour, minute=0, second=0):
    return START + dt.timedelta(days=day, hours=hour, minutes=minute, seconds=second)


def inject(g):
    assert T(7, 0) > BASE_END

    # --- bedrock-recon (a): >=40% of the recon set within 24 h, assumed-role session of DevSandboxRole --------
    ip = "185.220.101.77"
    t = T(7, 3, 12, 5)
    recs = []
    for name, req in (("ListFoundationModels", {}), ("GetFoundationModelAvailability", {"modelId": M_OPUS}),
                      ("GetUseCaseForModelAccess", None), ("GetModelInvocationLoggingConfiguration", None),
                      ("ListFoundationModelAgreementOffers", {"modelId": M_OPUS}),
                      ("ListProvisionedModelThroughputs", {"maxResults": 1000})):
        t += dt.timedelta(seconds=g.rng.randrange(20, 90))
        recs.append(g.emit(t, g.rec(t, "bedrock.amazonaws.com", name, "us-east-1",
                                    g.assumed(R_DEVSANDBOX, "dev-frank", t, key_parts="stolen"), ip, UA_BOTO_WIN, req=req)))
    t += dt.timedelta(minutes=48)
    recs.append(g.emit(t, bedrock_invoke(g, t, g.assumed(R_DEVSANDBOX, "dev-frank", t, key_parts="stolen"), ip, UA_BOTO_WIN,
                                         "us-east-1", M_OPUS)))
    g.incident("bedrock-recon", R_DEVSANDBOX, "7 of 14 recon actions (50%) within 24h", T(7, 3, 12, 5), recs,
               "ListFoundationModels, GetFoundationModelAvailability, GetUseCaseForModelAccess, "
               "GetModelInvocationLoggingConfiguration, ListFoundationModelAgreementOffers, "
               "ListProvisionedModelThroughputs, InvokeModel; temporary (ASIA) credentials",
               also=["unknown-source-ip", "new-model"])

    # --- bedrock-recon (b) + long-term-credentials: AKIA ListFoundationModels then InvokeModel within 15 min ----
    user = "svc-legacy-etl"
    ip = "45.142.212.61"
    t0 = T(8, 1, 40, 12)
    i1 = g.iam_user(ACCT_A, user, AKIA[user])
    r1 = g.emit(t0, g.rec(t0, "bedrock.amazonaws.com", "ListFoundationModels", "us-east-1", i1, ip, UA_BOTO_WIN, req={}))
    t1 = t0 + dt.timedelta(minutes=6, seconds=31)
    r2 = g.emit(t1, bedrock_invoke(g, t1, i1, ip, UA_BOTO_WIN, "us-east-1", M_SONNET))
    t2 = t1 + dt.timedelta(seconds=44)
    r3 = g.emit(t2, bedrock_invoke(g, t2, i1, ip, UA_BOTO_WIN, "us-east-1", M_SONNET, name="InvokeModelWithResponseStream"))
    uarn = f"arn:aws:iam::{ACCT_A}:user/{user}"
    g.incident("bedrock-recon", uarn, "ListFoundationModels with AKIA key then InvokeModel 6m31s later", t0, [r1, r2],
               "variant: long-term key recon followed by invocation", also=["long-term-credentials"])
    g.incident("long-term-credentials", uarn, f"AKIA key {AKIA[user]} used for Bedrock", t0, [r1, r2, r3],
               "IAM user access key on bedrock.amazonaws.com", also=["bedrock-recon"])

    # --- bedrock-recon (c): InvokeModel failing with ValidationException (access probing) --------------------
    ip = "83.7.139.184"
    recs = []
    t = T(12, 22, 5, 9)
    for i, m in enumerate([M_CLAUDE_V2, M_CLAUDE_V2, M_SONNET]):
        t += dt.timedelta(seconds=17 + i)
        recs.append(g.emit(t, bedrock_invoke(g, t, g.assumed(R_CONTRACTOR, "contractor-session", t, key_parts="probe"),
                                             ip, UA_BOTO_WIN, "us-east-1", m, err="ValidationException",
                                             msg="max_tokens_to_sample: range: 1..1,000,000", recipient=ACCT_B)))
    g.incident("bedrock-recon", R_CONTRACTOR, "InvokeModel ValidationException x3 (access probing)", T(12, 22, 5, 26),
               recs, "ValidationException means the caller has model access; not a denial")
    # near-miss: ValidationException on a non-invoke call
    t = T(10, 15, 2, 7)
    nm = g.emit(t, g.rec(t, "bedrock.amazonaws.com", "CreateGuardrail", "us-east-1",
                         g.assumed(R_ADMIN_A, "carol@example.com", t, key_parts=10), IP_OFFICE[0], UA_CONSOLE,
                         req={"name": "HIDDEN_DUE_TO_SECURITY_REASONS"}, err="ValidationException",
                         msg="1 validation error detected: Value at 'blockedInputMessaging' failed to satisfy constraint",
                         console=True))
    g.near_miss("bedrock-recon", R_ADMIN_A, "CreateGuardrail ValidationException", t, [nm],
                "ValidationException on a non-invoke call is not probing")

    # --- model-access-change ------------------------------------------------------------------------------
    t = T(9, 10, 20, 0)
    ia = lambda tt: g.assumed(R_ADMIN_A, "carol@example.com", tt, key_parts=9)
    m1 = g.emit(t, g.rec(t, "bedrock.amazonaws.com", "PutUseCaseForModelAccess", "us-east-1", ia(t), IP_OFFICE[0], UA_CONSOLE,
                         req={"formData": "HIDDEN_DUE_TO_SECURITY_REASONS"}, resp=None, console=True))
    t2 = t + dt.timedelta(minutes=2, seconds=5)
    m2 = g.emit(t2, g.rec(t2, "bedrock.amazonaws.com", "CreateFoundationModelAgreement", "us-east-1", ia(t2), IP_OFFICE[0],
                          UA_CONSOLE, req={"offerToken": "HIDDEN_DUE_TO_SECURITY_REASONS", "modelId": M_LLAMA},
                          resp={"modelId": M_LLAMA}, console=True))
    g.incident("model-access-change", R_ADMIN_A, "PutUseCaseForModelAccess + CreateFoundationModelAgreement", t, [m1, m2],
               "successful model access changes by an administrator")
    t3 = T(9, 11, 2, 40)
    m3 = g.emit(t3, g.rec(t3, "bedrock.amazonaws.com", "PutFoundationModelEntitlement", "us-east-1",
                          g.assumed(R_DS_A, "bob@example.com", t3, key_parts=9), IP_DS[0], UA_BOTO_MAC,
                          req={"modelId": M_OPUS}, err="AccessDeniedException"))
    g.incident("model-access-change", R_DS_A, "PutFoundationModelEntitlement (denied)", t3, [m3],
               "denied attempts count too", also=["denied-calls"])

    # --- bedrock-guardrail-or-logging-change ---------------------------------------------------------------
    t = T(10, 16, 44, 2)
    iad = lambda tt: g.assumed(R_ADMIN_A, "alice@example.com", tt, key_parts=10)
    g1 = g.emit(t, g.rec(t, "bedrock.amazonaws.com", "UpdateGuardrail", "us-east-1", iad(t), IP_OFFICE[1], UA_CONSOLE,
                         req={"guardrailIdentifier": GUARDRAIL_ID, "name": "HIDDEN_DUE_TO_SECURITY_REASONS"},
                         resp={"guardrailArn": f"arn:aws:bedrock:us-east-1:{ACCT_A}:guardrail/{GUARDRAIL_ID}",
                               "guardrailId": GUARDRAIL_ID, "updatedAt": ts(t), "version": "DRAFT"}, console=True))
    t2 = t + dt.timedelta(minutes=3)
    g2 = g.emit(t2, g.rec(t2, "bedrock.amazonaws.com", "DeleteModelInvocationLoggingConfiguration", "us-east-1", iad(t2),
                          IP_OFFICE[1], UA_CONSOLE, req=None, console=True))
    t3 = t2 + dt.timedelta(minutes=1, seconds=12)
    g3 = g.emit(t3, g.rec(t3, "bedrock.amazonaws.com", "DeleteGuardrail", "us-east-1", iad(t3), IP_OFFICE[1], UA_CONSOLE,
                          req={"guardrailIdentifier": GUARDRAIL_ID}, console=True))
    g.incident("bedrock-guardrail-or-logging-change", R_ADMIN_A,
               "UpdateGuardrail, DeleteModelInvocationLoggingConfiguration, DeleteGuardrail", t, [g1, g2, g3],
               "deletes are high severity, the update medium")
    nm = [g.emit(tt, g.rec(tt, "bedrock.amazonaws.com", n, "us-east-1", iad(tt), IP_OFFICE[1], UA_CONSOLE, req=rq, console=True))
          for tt, n, rq in ((t - dt.timedelta(minutes=5), "ListGuardrails", {"maxResults": 1000}),
                            (t - dt.timedelta(minutes=4), "GetGuardrail", {"guardrailIdentifier": GUARDRAIL_ID}))]
    g.near_miss("bedrock-guardrail-or-logging-change", R_ADMIN_A, "ListGuardrails / GetGuardrail", t, nm, "read-only guardrail calls")

    # --- audit-tampering ---------------------------------------------------------------------------------
    t = T(11, 21, 7, 30)
    darn = f"arn:aws:iam::{ACCT_A}:user/ops-dave"
    idv = lambda tt: g.iam_user(ACCT_A, "ops-dave", g.asia("ops-dave", "tamper"), console_session=True, t=tt)
    trail = f"arn:aws:cloudtrail:us-east-1:{ACCT_A}:trail/management-trail"
    seq = []
    for dtm, name, req, resp in (
            (0, "PutEventSelectors", {"trailName": "management-trail", "eventSelectors": [{"readWriteType": "WriteOnly", "includeManagementEvents": True, "dataResources": [], "excludeManagementEventSources": []}]},
             {"trailARN": trail, "eventSelectors": [{"readWriteType": "WriteOnly", "includeManagementEvents": True, "dataResources": [], "excludeManagementEventSources": []}]}),
            (95, "UpdateTrail", {"name": "management-trail", "enableLogFileValidation": False},
             {"name": "management-trail", "s3BucketName": f"aws-cloudtrail-logs-{ACCT_A}", "includeGlobalServiceEvents": True,
              "isMultiRegionTrail": True, "trailARN": trail, "logFileValidationEnabled": False, "isOrganizationTrail": False}),
            (160, "StopLogging", {"name": "management-trail"}, None)):
        tt = t + dt.timedelta(seconds=dtm)
        seq.append(g.emit(tt, g.rec(tt, "cloudtrail.amazonaws.com", name, "us-east-1", idv(tt), IP_DAVE[0], UA_CONSOLE_WIN,
                                    req=req, resp=resp, console=True,
                                    resources=[{"accountId": ACCT_A, "type": "AWS::CloudTrail::Trail", "ARN": trail}])))
    g.incident("audit-tampering", darn, "PutEventSelectors, UpdateTrail (log validation off), StopLogging", t, seq,
               "StopLogging is critical, the others high")
    tt = t + dt.timedelta(minutes=22)
    nm = [g.emit(tt, g.rec(tt, "cloudtrail.amazonaws.com", "StartLogging", "us-east-1", idv(tt), IP_DAVE[0], UA_CONSOLE_WIN,
                           req={"name": "management-trail"}, console=True))]
    for k, n in enumerate(("DescribeTrails", "GetTrailStatus", "GetEventSelectors")):
        t5 = tt + dt.timedelta(seconds=10 * (k + 1))
        nm.append(g.emit(t5, g.rec(t5, "cloudtrail.amazonaws.com", n, "us-east-1", idv(t5), IP_DAVE[0], UA_CONSOLE_WIN,
                                   req={"trailName": "management-trail"} if n == "GetEventSelectors" else {"name": "management-trail"}, console=True)))
    g.near_miss("audit-tampering", darn, "StartLogging, DescribeTrails, GetTrailStatus, GetEventSelectors", tt, nm,
                "read-only or restoring calls")
    t = T(12, 14, 30, 0)
    trail_b = f"arn:aws:cloudtrail:eu-west-1:{ACCT_B}:trail/legacy-eu-trail"
    dtr = g.emit(t, g.rec(t, "cloudtrail.amazonaws.com", "DeleteTrail", "eu-west-1",
                          g.assumed(R_ADMIN_B, "ines@example.com", t, key_parts=12), IP_OFFICE_B[0], UA_CONSOLE,
                          req={"name": trail_b}, resources=[{"accountId": ACCT_B, "type": "AWS::CloudTrail::Trail", "ARN": trail_b}],
                          console=True))
    g.incident("audit-tampering", R_ADMIN_B, "DeleteTrail legacy-eu-trail", t, [dtr], "critical")

    # --- long-term-credentials: Root Bedrock call, Bedrock API key --------------------------------------------
    root_arn = f"arn:aws:iam::{ACCT_A}:root"
    root_ip = "91.214.124.10"
    t = T(12, 2, 14, 3)
    rl = g.emit(t, g.rec(t, "signin.amazonaws.com", "ConsoleLogin", "us-east-1",
                         {"type": "Root", "principalId": ACCT_A, "arn": root_arn, "accountId": ACCT_A},
                         root_ip, UA_CONSOLE_WIN, req=None, resp={"ConsoleLogin": "Success"},
                         addl={"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_c2f1e9a0b3d4",
                               "MobileVersion": "No", "MFAUsed": "No"},
                         etype="AwsConsoleSignIn", read_only=False, host="signin.aws.amazon.com"))
    g.incident("root-activity", root_arn, "root console sign-in without MFA from an unknown IP", t, [rl],
               "critical: no MFA, IP never seen", also=["unknown-source-ip"])
    root_ident = lambda tt, key: {"type": "Root", "principalId": ACCT_A, "arn": root_arn, "accountId": ACCT_A, "accessKeyId": key}
    t2 = t + dt.timedelta(minutes=4, seconds=9)
    rk = g.emit(t2, g.rec(t2, "iam.amazonaws.com", "CreateAccessKey", "us-east-1", root_ident(t2, g.asia("root-console")),
                          root_ip, UA_CONSOLE_WIN, req=None,
                          resp={"accessKey": {"accessKeyId": AKIA["root"], "status": "Active", "createDate": t2.strftime("%b %-d, %Y, %-I:%M:%S %p")}},
                          console=True))
    t3 = t2 + dt.timedelta(minutes=11, seconds=40)
    ri = g.emit(t3, bedrock_invoke(g, t3, root_ident(t3, AKIA["root"]), root_ip, UA_CURL, "us-east-1", M_SONNET))
    g.incident("root-activity", root_arn, "root API calls: iam:CreateAccessKey, bedrock:InvokeModel", t2, [rk, ri], "high",
               also=["long-term-credentials"])
    g.incident("long-term-credentials", root_arn, "Root Bedrock call", t3, [ri], "high for Root",
               also=["root-activity", "unknown-source-ip"])
    t = T(9, 13, 31, 50)
    kuser = "BedrockAPIKey-k7q2"
    karn = f"arn:aws:iam::{ACCT_A}:user/{kuser}"
    recs = []
    for i in range(4):
        tt = t + dt.timedelta(seconds=i * 37)
        ident = {"type": "IAMUser", "principalId": user_id(karn), "arn": karn, "accountId": ACCT_A, "userName": kuser}
        recs.append(g.emit(tt, bedrock_invoke(g, tt, ident, "198.51.100.201", "python-requests/2.32.3", "us-east-1", M_HAIKU,
                                              name="Converse" if i % 2 else "InvokeModel",
                                              addl={"callWithBearerToken": True})))
    g.incident("long-term-credentials", karn, "Bedrock API key (callWithBearerToken) x4", t, recs,
               "user BedrockAPIKey-*, additionalEventData.callWithBearerToken=true")

    # --- agent-role-outside-runtime (support-bot credentials used from a plain public IP) ---------------------
    ip = "198.51.100.23"
    t = T(12, 19, 2, 11)
    ia = lambda tt: support_bot_ident(g, 12, 18, tt)
    plan = [
        lambda tt: g.rec(tt, "sts.amazonaws.com", "GetCallerIdentity", "us-east-1", ia(tt), ip, UA_CURL, req=None),
        lambda tt: g.rec(tt, "s3.amazonaws.com", "ListBuckets", "us-east-1", ia(tt), ip, UA_CURL, req={"Host": "s3.amazonaws.com"},
                         err="AccessDenied", msg="Access Denied"),
        lambda tt: s3_object_event(g, tt, ia(tt), ip, UA_CURL, "us-east-1", B_SUPPORT_KB, "kb/exports/all-customers.csv",
                                   err="AccessDenied", msg="Access Denied"),
        lambda tt: g.rec(tt, "iam.amazonaws.com", "CreateUser", "us-east-1", ia(tt), ip, UA_CURL, req={"userName": "backup-svc"},
                         err="AccessDenied"),
        lambda tt: g.rec(tt, "ec2.amazonaws.com", "RunInstances", "us-east-1", ia(tt), ip, UA_CURL,
                         req={"instancesSet": {"items": [{"imageId": "ami-0c02fb55956c7d316", "minCount": 1, "maxCount": 4}]},
                              "instanceType": "p4d.24xlarge"}, err="Client.UnauthorizedOperation"),
        lambda tt: bedrock_invoke(g, tt, ia(tt), ip, UA_CURL, "us-east-1", M_SONNET),
    ]
    recs = []
    for k, p in enumerate(plan):
        tt = t + dt.timedelta(seconds=k * 23)
        recs.append(g.emit(tt, p(tt)))
    g.incident("agent-role-outside-runtime", R_SUPPORT_BOT,
               "execution role session used from 198.51.100.23; sts, s3, iam:CreateUser, ec2:RunInstances, bedrock", t, recs,
               "role path service-role/ ; s3 GetObject denied by the aws:SourceIp condition; InvokeModel succeeded",
               also=["unknown-source-ip", "denied-calls", "vpc-endpoint-bypass"])
    g.incident("denied-calls", R_SUPPORT_BOT, "s3:ListAllMyBuckets, s3:GetObject, iam:CreateUser, ec2:RunInstances denied",
               t, [recs[1], recs[2], recs[3], recs[4]], "aggregated per principal and action")
    # research agent asked (prompt injection) to touch IAM / Secrets Manager from inside the runtime
    svc = "bedrock-agentcore.amazonaws.com"
    t = T(10, 14, 12, 40)
    sess = "BedrockAgentCore-" + stable_token("0123456789abcdef", 16, "rsess", 10, 14)
    ir = lambda tt: g.assumed(R_RESEARCH, sess, tt, invoked_by=svc, key_parts=(10, sess))
    recs = [g.emit(t, g.rec(t, "iam.amazonaws.com", "ListAttachedRolePolicies", "us-east-1", ir(t), svc, svc,
                            req={"roleName": "AgentCoreRuntime-research-agent"}, err="AccessDenied")),
            g.emit(t + dt.timedelta(seconds=9),
                   g.rec(t + dt.timedelta(seconds=9), "secretsmanager.amazonaws.com", "ListSecrets", "us-west-2",
                         ir(t + dt.timedelta(seconds=9)), svc, svc, req={"maxResults": 100}, err="AccessDeniedException"))]
    g.incident("agent-role-outside-runtime", R_RESEARCH, "execution role calls iam and secretsmanager (outside expected set)",
               t, recs, "from inside the runtime (service-name source), denied by its tight policy; the IAM call is "
               "logged in us-east-1 (global service) while the role otherwise works in us-west-2",
               also=["denied-calls", "new-region"])

    # --- denied-calls: a single denied action by an agent role (explicit Deny in its policy) ------------------
    t = T(8, 15, 9, 2)
    rd = g.emit(t, ddb_event(g, t, support_bot_ident(g, 8, 14, t), IP_AGENT_VPC[0], UA_AGENT, "us-east-1",
                             ACCT_A, T_TICKETS, "Scan", vpce=VPCE_A_DDB, err="AccessDeniedException"))
    rd["errorMessage"] = (f"User: {rd['userIdentity']['arn']} is not authorized to perform: dynamodb:Scan on resource: "
                          f"arn:aws:dynamodb:us-east-1:{ACCT_A}:table/{T_TICKETS} with an explicit deny in an identity-based policy")
    g.incident("denied-calls", R_SUPPORT_BOT, "dynamodb:Scan denied (explicit Deny)", t, [rd], "single denial from inside the VPC")

    # --- denied-burst: >= 10 distinct denied actions within 10 minutes -------------------------------------
    user = "contractor-temp"
    uarn = f"arn:aws:iam::{ACCT_A}:user/{user}"
    ip = "45.155.205.99"
    t = T(13, 4, 2, 0)
    recs = []
    burst = [("sts.amazonaws.com", "GetCallerIdentity", None, None),
             ("iam.amazonaws.com", "ListUsers", {}, "AccessDenied"), ("iam.amazonaws.com", "ListRoles", {}, "AccessDenied"),
             ("iam.amazonaws.com", "ListAccessKeys", {}, "AccessDenied"),
             ("ec2.amazonaws.com", "DescribeInstances", {"instancesSet": {}, "filterSet": {}}, "Client.UnauthorizedOperation"),
             ("ec2.amazonaws.com", "DescribeRegions", {"regionSet": {}}, "Client.UnauthorizedOperation"),
             ("s3.amazonaws.com", "ListBuckets", {"Host": "s3.amazonaws.com"}, "AccessDenied"),
             ("secretsmanager.amazonaws.com", "ListSecrets", {}, "AccessDeniedException"),
             ("kms.amazonaws.com", "ListKeys", {}, "AccessDeniedException"),
             ("cloudtrail.amazonaws.com", "DescribeTrails", {}, "AccessDeniedException"),
             ("bedrock.amazonaws.com", "ListFoundationModels", {}, "AccessDeniedException"),
             ("bedrock.amazonaws.com", "GetModelInvocationLoggingConfiguration", None, "AccessDeniedException"),
             ("bedrock-agentcore.amazonaws.com", "ListAgentRuntimes", {"maxResults": 100}, "AccessDeniedException"),
             ("lambda.amazonaws.com", "ListFunctions20150331", {}, "AccessDeniedException")]
    for k, (src, name, req, err) in enumerate(burst):
        tt = t + dt.timedelta(seconds=k * 19)
        rg = "us-east-1"
        recs.append(g.emit(tt, g.rec(tt, src, name, rg, g.iam_user(ACCT_A, user, AKIA[user]), ip, UA_BOTO_WIN, req=req, err=err)))
    g.incident("denied-burst", uarn, "13 distinct denied actions in 4m07s", t, recs[1:],
               "enumeration with a leaked long-term key", also=["denied-calls", "long-term-credentials"])

    # --- weak-tls -----------------------------------------------------------------------------------------
    t = T(8, 9, 15, 0)
    cu = g.iam_user(ACCT_A, "ci-deployer", AKIA["ci-deployer"])
    w = [g.emit(t, g.rec(t, "ec2.amazonaws.com", "DescribeInstances", "us-west-2", cu, IP_CI[0], UA_LEGACY_JAVA,
                         req={"instancesSet": {}, "filterSet": {}}, tls="TLSv1")),
         g.emit(t + dt.timedelta(seconds=4), g.rec(t + dt.timedelta(seconds=4), "sts.amazonaws.com", "GetCallerIdentity", "us-west-2",
                                                   cu, IP_CI[0], UA_LEGACY_JAVA, req=None, tls="TLSv1.1"))]
    g.incident("weak-tls", f"arn:aws:iam::{ACCT_A}:user/ci-deployer", "TLSv1 and TLSv1.1", t, w, "legacy Java SDK")

    # --- vpc-endpoint-bypass ------------------------------------------------------------------------------
    t = T(10, 11, 20, 5)
    inst = "i-0" + stable_token("0123456789abcdef", 16, "inst", "us-east-1")
    recs = []
    for k in range(5):
        tt = t + dt.timedelta(seconds=k * 11)
        recs.append(g.emit(tt, bedrock_invoke(g, tt, g.assumed(R_CLAIMS, inst, tt, ec2=True, key_parts=(10, "us-east-1")),
                                              "44.207.11.90", UA_BOTO, "us-east-1", M_SONNET, name="Converse")))
    g.incident("vpc-endpoint-bypass", R_CLAIMS, "5 Converse calls without vpcEndpointId", t, recs,
               "always used the Bedrock VPC endpoint in the baseline", also=["unknown-source-ip"])

    # --- new-region, new-model, unknown-source-ip (DataScientist) -------------------------------------------
    t = T(8, 14, 3, 30)
    ids = lambda tt: g.assumed(R_DS_A, "bob@example.com", tt, key_parts=8)
    nmod = [g.emit(t, bedrock_invoke(g, t, ids(t), IP_DS[0], UA_BOTO_MAC, "us-east-1", M_LLAMA)),
            g.emit(t + dt.timedelta(seconds=40), bedrock_invoke(g, t + dt.timedelta(seconds=40), ids(t), IP_DS[0], UA_BOTO_MAC,
                                                                "us-east-1", M_LLAMA, name="Converse"))]
    g.incident("new-model", R_DS_A, M_LLAMA, t, nmod, "model not used by this principal in the baseline")
    t = T(9, 15, 10, 0)
    ids9 = lambda tt: g.assumed(R_DS_A, "bob@example.com", tt, key_parts=9)
    nreg = [g.emit(t + dt.timedelta(seconds=k * 30), bedrock_invoke(g, t + dt.timedelta(seconds=k * 30), ids9(t), IP_DS[1],
                                                                    UA_BOTO_MAC, "eu-west-1", M_SONNET, name="Converse"))
            for k in range(3)]
    g.incident("new-region", R_DS_A, "eu-west-1", t, nreg, "medium: invokes in a region not in the baseline")
    t = T(10, 16, 45, 10)
    ids10 = lambda tt: g.assumed(R_DS_A, "bob@example.com", tt, key_parts=10)
    unk = [g.emit(t + dt.timedelta(seconds=k * 50), bedrock_invoke(g, t + dt.timedelta(seconds=k * 50), ids10(t), "185.220.101.34",
                                                                   UA_BOTO_MAC, "us-west-2", M_SONNET, name="Converse"))
           for k in range(2)]
    g.incident("unknown-source-ip", R_DS_A, "185.220.101.34", t, unk, "high: successful invokes from an unseen IP")

    # --- invocation-spike (BatchSummarizerRole) -----------------------------------------------------------
    t = T(11, 14, 0, 30)
    recs = []
    for k in range(140):
        tt = t + dt.timedelta(seconds=k * 25)
        recs.append(g.emit(tt, bedrock_invoke(g, tt, g.assumed(R_BATCH, "batch-summarizer", tt, key_parts=11),
                                              IP_LAMBDA[k % 2], UA_NODE, "us-west-2", M_HAIKU)))
    g.incident("invocation-spike", R_BATCH, "140 extra InvokeModel in hour 2025-06-13T14", t, recs,
               "baseline 1-4 per hour (p95 4); floor 100, factor 5")
    # near-miss: DataScientist burst of 60 invocations within an hour (below the floor of 100)
    t = T(11, 10, 1, 0)
    recs = [g.emit(t + dt.timedelta(seconds=k * 50), bedrock_invoke(g, t + dt.timedelta(seconds=k * 50),
                                                                    g.assumed(R_DS_A, "bob@example.com", t, key_parts=11),
                                                                    IP_DS[k % 2], UA_BOTO_MAC, "us-east-1", M_SONNET))
            for k in range(60)]
    g.near_miss("invocation-spike", R_DS_A, "60 extra invokes in hour 2025-06-13T10", t, recs,
                "below the floor of 100 (plus the usual 2-6 of that hour)")

    # --- cross-account-access -----------------------------------------------------------------------------
    t = T(9, 17, 30, 0)
    recs = []
    for k in range(4):
        tt = t + dt.timedelta(seconds=k * 95)
        sid = g.uuid()
        recs.append(g.emit(tt, agentcore_data(g, tt, g.assumed(R_PARTNER, "partner-agent", tt, key_parts=9), IP_PARTNER[0],
                                              UA_BOTO, "InvokeAgentRuntime", RT_SUPPORT, "AWS::BedrockAgentCore::Runtime",
                                              {"agentRuntimeArn": RT_SUPPORT, "qualifier": "DEFAULT", "runtimeSessionId": sid},
                                              "us-east-1", ACCT_A, resp={"runtimeSessionId": sid, "statusCode": 200},
                                              recipient=ACCT_A,
                                              extra_resources=[{"accountId": ACCT_A, "type": "AWS::BedrockAgentCore::RuntimeEndpoint",
                                                                "ARN": RT_SUPPORT_EP}])))
    g.incident("cross-account-access", R_PARTNER, f"InvokeAgentRuntime on {RT_SUPPORT} (recipient {ACCT_A})", t, recs,
               "userIdentity.accountId 999988887777 != recipientAccountId 111122223333")

    # --- near-misses for source IPs / TLS ------------------------------------------------------------------
    g.near_miss("unknown-source-ip", "service:cloudtrail.amazonaws.com", "AWS service name / AWS Internal sources",
                T(0, 4), [], "kms GenerateDataKey by cloudtrail.amazonaws.com; Trusted Advisor calls from 'AWS Internal'")
    g.near_miss("weak-tls", "*", "TLSv1.2", T(0, 0), [], "ci-deployer and gateway clients use TLSv1.2 throughout")


# ---------------------------------------------------------------------------------------------------------
# Policies (per-role documents + get-account-authorization-details)
# ---------------------------------------------------------------------------------------------------------
def policies():
    sb_inline = {"Version": "2012-10-17", "Statement": [
        {"Sid": "BedrockEverything", "Effect": "Allow", "Action": "bedrock:*", "Resource": "*"},
        {"Sid": "AgentCoreEverything", "Effect": "Allow", "Action": ["bedrock-agentcore:*"], "Resource": "*"},
        {"Sid": "FromTheSetupGuide", "Effect": "Allow",
         "Action": ["bedrock-agentcore:InvokeAgent", "bedrock-agentcore:GetAgentRuntime"],
         "Resource": "arn:aws:bedrock-agentcore:*:*:agent-runtime/*"},
        {"Sid": "KnowledgeBaseBucketFromVpc", "Effect": "Allow",
         "NotAction": ["s3:DeleteBucket", "s3:DeleteBucketPolicy", "s3:PutBucketPolicy", "s3:PutBucketAcl"],
         "Resource": [f"arn:aws:s3:::{B_SUPPORT_KB}", f"arn:aws:s3:::{B_SUPPORT_KB}/*"],
         "Condition": {"IpAddress": {"aws:SourceIp": AGENT_VPC_CIDRS}}},
        {"Sid": "TicketsTable", "Effect": "Allow",
         "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"],
         "Resource": [f"arn:aws:dynamodb:us-east-1:{ACCT_A}:table/{T_TICKETS}",
                      f"arn:aws:dynamodb:us-east-1:{ACCT_A}:table/{T_TICKETS}/index/*"]},
        {"Sid": "NoFullTableReads", "Effect": "Deny", "Action": ["dynamodb:Scan", "dynamodb:DeleteTable", "dynamodb:ExportTableToPointInTime"],
         "Resource": "*"},
        {"Sid": "ZendeskKey", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
         "Resource": f"arn:aws:secretsmanager:us-east-1:{ACCT_A}:secret:support-bot/*"},
        {"Sid": "DecryptSecretsViaSecretsManager", "Effect": "Allow", "Action": "kms:Decrypt",
         "Resource": f"arn:aws:kms:us-east-1:{ACCT_A}:key/6c5d4e3f-2a1b-4c0d-9e8f-7a6b5c4d3e2f",
         "Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}},
    ]}
    sb_observ = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                                                        "logs:DescribeLogStreams"],
         "Resource": f"arn:aws:logs:us-east-1:{ACCT_A}:log-group:/aws/bedrock-agentcore/runtimes/*"},
        {"Sid": "XRay", "Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords",
                                                        "xray:GetSamplingRules", "xray:GetSamplingTargets"], "Resource": "*"},
        {"Sid": "Metrics", "Effect": "Allow", "Action": "cloudwatch:PutMetricData", "Resource": "*",
         "Condition": {"StringEquals": {"cloudwatch:namespace": "bedrock-agentcore"}}},
        {"Sid": "Image", "Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
         "Resource": f"arn:aws:ecr:us-east-1:{ACCT_A}:repository/support-bot"},
        {"Sid": "EcrToken", "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*"},
    ]}
    mem_v1 = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["bedrock-agentcore:CreateMemory", "bedrock-agentcore:GetMemory",
                                       "bedrock-agentcore:UpdateMemory", "bedrock-agentcore:DeleteMemory",
                                       "bedrock-agentcore:SearchMemory"],
         "Resource": "arn:aws:bedrock-agentcore:*:*:memory/*"}]}
    mem_v2 = {"Version": "2012-10-17", "Statement": [
        {"Sid": "MemoryDataPlane", "Effect": "Allow",
         "Action": ["bedrock-agentcore:CreateEvent", "bedrock-agentcore:ListEvents", "bedrock-agentcore:GetEvent",
                    "bedrock-agentcore:RetrieveMemoryRecords", "bedrock-agentcore:ListMemoryRecords",
                    "bedrock-agentcore:GetMemory"],
         "Resource": "arn:aws:bedrock-agentcore:*:*:memory/*"}]}
    research = {"Version": "2012-10-17", "Statement": [
        {"Sid": "InvokeSonnet", "Effect": "Allow",
         "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
         "Resource": f"arn:aws:bedrock:us-west-2::foundation-model/{M_SONNET}"},
        {"Sid": "Memory", "Effect": "Allow",
         "Action": ["bedrock-agentcore:CreateEvent", "bedrock-agentcore:RetrieveMemoryRecords", "bedrock-agentcore:ListEvents"],
         "Resource": MEM_RESEARCH},
        {"Sid": "Papers", "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{B_RESEARCH}/papers/*"},
        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
         "Resource": f"arn:aws:logs:us-west-2:{ACCT_B}:log-group:/aws/bedrock-agentcore/runtimes/{RT_RESEARCH_ID}-DEFAULT:log-stream:*"},
        {"Sid": "Tracing", "Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "Resource": "*"},
    ]}
    chat = {"Version": "2012-10-17", "Statement": [
        {"Sid": "InvokeSupportBot", "Effect": "Allow", "Action": "bedrock-agentcore:InvokeAgentRuntime",
         "Resource": [RT_SUPPORT, RT_SUPPORT + "/runtime-endpoint/*"]}]}
    batch_inline = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Haiku", "Effect": "Allow", "Action": ["bedrock:InvokeModel"],
         "Resource": "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-3-haiku-*"},
        {"Sid": "Summaries", "Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"],
         "Resource": f"arn:aws:s3:::{B_SUMMARIES}/daily/*"}]}
    claims_v1 = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Bedrock", "Effect": "Allow", "Action": ["bedrock:InvokeModel"], "Resource": "*"},
        {"Sid": "Claims", "Effect": "Allow", "Action": "s3:*", "Resource": f"arn:aws:s3:::{B_CLAIMS}/*"}]}
    claims_v2 = {"Version": "2012-10-17", "Statement": [
        {"Sid": "Bedrock", "Effect": "Allow", "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream",
                                                          "bedrock:Converse"], "Resource": "*"},
        {"Sid": "ClaimsRead", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": [f"arn:aws:s3:::{B_CLAIMS}", f"arn:aws:s3:::{B_CLAIMS}/*"]}]}
    agentcore_trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "bedrock-agentcore.amazonaws.com"}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"aws:SourceAccount": "{acct}"},
                       "ArnLike": {"aws:SourceArn": "arn:aws:bedrock-agentcore:{region}:{acct}:*"}}}]}

    def trust(service, acct=None, region=None):
        if service == "bedrock-agentcore.amazonaws.com":
            s = json.loads(json.dumps(agentcore_trust).replace("{acct}", acct).replace("{region}", region))
            return s
        return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": service},
                                                        "Action": "sts:AssumeRole"}]}

    managed = {  # customer managed policies: name -> (account, path, [(doc, isDefault)])
        "AgentCoreMemoryAccess": (ACCT_A, "/", [(mem_v1, False), (mem_v2, True)]),
        "AgentObservability": (ACCT_A, "/", [(sb_observ, True)]),
        "ClaimsProcessorBedrock": (ACCT_B, "/app/", [(claims_v1, False), (claims_v2, True)]),
    }
    roles = {  # role arn -> (trust, inline {name: doc}, [managed names], [aws managed arns])
        R_SUPPORT_BOT: (trust("bedrock-agentcore.amazonaws.com", ACCT_A, "us-east-1"), {"AgentCoreRuntimeAccess": sb_inline},
                        ["AgentCoreMemoryAccess", "AgentObservability"], []),
        R_RESEARCH: (trust("bedrock-agentcore.amazonaws.com", ACCT_B, "us-west-2"), {"ResearchAgentLeastPrivilege": research}, [], []),
        R_CHAT_BACKEND: (trust("ecs-tasks.amazonaws.com"), {"InvokeSupportBot": chat}, [], []),
        R_BATCH: (trust("lambda.amazonaws.com"), {"SummarizerAccess": batch_inline}, [],
                  ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]),
        R_CLAIMS: (trust("ec2.amazonaws.com"), {}, ["ClaimsProcessorBedrock"], []),
    }
    return managed, roles


def managed_arn(name, acct, path):
    return f"arn:aws:iam::{acct}:policy{path}{name}"


def write_policies(outdir):
    managed, roles = policies()
    pdir = os.path.join(outdir, "policies")
    os.makedirs(pdir, exist_ok=True)
    for role_arn, (trust, inline, mnames, aws_managed) in roles.items():
        stmts = []
        for name in sorted(inline):
            st = inline[name]["Statement"]
            stmts.extend(st if isinstance(st, list) else [st])
        for mn in mnames:
            doc = [d for d, default in managed[mn][2] if default][0]
            st = doc["Statement"]
            stmts.extend(st if isinstance(st, list) else [st])
        name = role_arn.rsplit("/", 1)[1]
        with open(os.path.join(pdir, name + ".json"), "w") as f:
            json.dump({"Version": "2012-10-17", "Statement": stmts}, f, indent=2)
            f.write("\n")
    # get-account-authorization-details (account A and B merged in one file; real output is per account)
    base_date = "2025-05-20T09:14:02+00:00"
    rdl = []
    for role_arn, (trust, inline, mnames, aws_managed) in roles.items():
        acct = role_arn.split(":")[4]
        name = role_arn.rsplit("/", 1)[1]
        path = role_arn.split(":role", 1)[1][: -len(name)]
        attached = [{"PolicyName": mn, "PolicyArn": managed_arn(mn, managed[mn][0], managed[mn][1])} for mn in mnames]
        attached += [{"PolicyName": a.rsplit("/", 1)[1], "PolicyArn": a} for a in aws_managed]
        rdl.append({"Path": path, "RoleName": name, "RoleId": role_id(role_arn), "Arn": role_arn, "CreateDate": base_date,
                    "AssumeRolePolicyDocument": trust, "InstanceProfileList": [],
                    "RolePolicyList": [{"PolicyName": n, "PolicyDocument": inline[n]} for n in sorted(inline)],
                    "AttachedManagedPolicies": attached, "Tags": [], "RoleLastUsed": {}})
    pol = []
    for mn, (acct, path, versions) in managed.items():
        vl = []
        for i, (doc, default) in enumerate(versions):
            vl.append({"Document": doc, "VersionId": f"v{i + 1}", "IsDefaultVersion": default,
                       "CreateDate": f"2025-05-{20 + i}T10:0{i}:00+00:00"})
        default_v = [v["VersionId"] for v in vl if v["IsDefaultVersion"]][0]
        pol.append({"PolicyName": mn, "PolicyId": "ANPA" + stable_token(UPPER_ALNUM, 17, "pol", mn),
                    "Arn": managed_arn(mn, acct, path), "Path": path, "DefaultVersionId": default_v,
                    "AttachmentCount": 1, "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
                    "CreateDate": "2025-05-20T10:00:00+00:00", "UpdateDate": f"2025-05-{19 + len(vl)}T10:0{len(vl) - 1}:00+00:00",
                    "PolicyVersionList": vl})
    users = []
    for name, groups, inline in (
            ("ci-deployer", ["Deployers"], {}),
            ("svc-legacy-etl", ["Developers"], {"LegacyBedrock": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["bedrock:ListFoundationModels", "bedrock:InvokeModel*"], "Resource": "*"}]}}),
            ("contractor-temp", [], {}),
            ("ops-dave", ["Operators"], {}),
            ("BedrockAPIKey-k7q2", [], {})):
        arn = f"arn:aws:iam::{ACCT_A}:user/{name}"
        u = {"Path": "/", "UserName": name, "UserId": user_id(arn), "Arn": arn, "CreateDate": base_date,
             "UserPolicyList": [{"PolicyName": n, "PolicyDocument": d} for n, d in inline.items()],
             "GroupList": groups, "AttachedManagedPolicies": [], "Tags": []}
        if name.startswith("BedrockAPIKey-"):
            u["AttachedManagedPolicies"] = [{"PolicyName": "AmazonBedrockLimitedAccess",
                                             "PolicyArn": "arn:aws:iam::aws:policy/AmazonBedrockLimitedAccess"}]
        users.append(u)
    groups = [
        {"Path": "/", "GroupName": "Developers", "GroupId": "AGPA" + stable_token(UPPER_ALNUM, 17, "grp", "Developers"),
         "Arn": f"arn:aws:iam::{ACCT_A}:group/Developers", "CreateDate": base_date,
         "GroupPolicyList": [{"PolicyName": "DevRead", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
             {"Effect": "Allow", "Action": ["ec2:Describe*", "logs:Get*", "logs:Describe*"], "Resource": "*"}]}}],
         "AttachedManagedPolicies": []},
        {"Path": "/", "GroupName": "Deployers", "GroupId": "AGPA" + stable_token(UPPER_ALNUM, 17, "grp", "Deployers"),
         "Arn": f"arn:aws:iam::{ACCT_A}:group/Deployers", "CreateDate": base_date, "GroupPolicyList": [],
         "AttachedManagedPolicies": [{"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"}]},
        {"Path": "/", "GroupName": "Operators", "GroupId": "AGPA" + stable_token(UPPER_ALNUM, 17, "grp", "Operators"),
         "Arn": f"arn:aws:iam::{ACCT_A}:group/Operators", "CreateDate": base_date, "GroupPolicyList": [],
         "AttachedManagedPolicies": [{"PolicyName": "AdministratorAccess", "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}]},
    ]
    with open(os.path.join(pdir, "authorization-details.json"), "w") as f:
        json.dump({"UserDetailList": users, "GroupDetailList": groups, "RoleDetailList": rdl, "Policies": pol,
                   "IsTruncated": False}, f, indent=2)
        f.write("\n")
    return sorted(os.listdir(pdir))


# ---------------------------------------------------------------------------------------------------------
# Writing the archive
# ---------------------------------------------------------------------------------------------------------
def gz(data):
    """One gzip member, mtime 0, no file name: byte-reproducible."""
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as f:
        f.write(data)
    return buf.getvalue()


def trail_dir(acct):
    return f"AWSLogs/{ORG_ID}/{acct}" if acct == ACCT_B else f"AWSLogs/{acct}"


def file_path(seed, acct, region, stamp):
    suffix = stable_token(ALNUM, 16, "file", seed, acct, region, stamp.strftime("%Y%m%dT%H%MZ"))
    return (f"{trail_dir(acct)}/CloudTrail/{region}/{stamp:%Y/%m/%d}/"
            f"{acct}_CloudTrail_{region}_{stamp:%Y%m%dT%H%MZ}_{suffix}.json.gz")


def window_stamp(t):
    w = t.replace(second=0, microsecond=0, minute=(t.minute // 5) * 5)
    return w + dt.timedelta(minutes=5)


def principal_key(ui):
    if not ui:
        return None
    issuer = ((ui.get("sessionContext") or {}).get("sessionIssuer") or {}).get("arn")
    if issuer:
        return issuer
    arn = ui.get("arn")
    if arn:
        m = re.match(r"arn:([^:]+):sts::(\d+):assumed-role/([^/]+)/", arn)
        if m:
            return f"arn:{m.group(1)}:iam::{m.group(2)}:role/{m.group(3)}"
        return arn
    if ui.get("type") == "AWSService" and ui.get("invokedBy"):
        return "service:" + ui["invokedBy"]
    if ui.get("accountId"):
        return "account:" + ui["accountId"]
    return None


def write_sample(out, seed, manifest_path):
    g = Gen(seed)
    for fn in (gen_support_chat, gen_agent_role_housekeeping, gen_appdev_b, gen_admin_a, gen_admin_b,
               gen_data_scientist, gen_batch, gen_claims, gen_ci, gen_dave, gen_devsandbox, gen_service_noise,
               gen_gateway, gen_partner_s3):
        fn(g)
    inject(g)
    events = sorted(g.events, key=lambda e: (e[0], e[1]["eventID"]))
    events = [e for e in events if e[0] < END]
    self_check(events, g)

    files = {}
    for t, r in events:
        key = (r["recipientAccountId"], r["awsRegion"], window_stamp(t))
        files.setdefault(key, []).append(r)
    total_bytes = 0
    total_unc = 0
    paths = []
    for (acct, region, stamp), recs in sorted(files.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])):
        rel = file_path(seed, acct, region, stamp)
        data = json.dumps({"Records": recs}, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        blob = gz(data)
        p = os.path.join(out, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(blob)
        total_bytes += len(blob)
        total_unc += len(data)
        paths.append(rel)
    pol_files = write_policies(out)

    def count(fn):
        c = {}
        for _, r in events:
            k = fn(r)
            if k is not None:
                c[k] = c.get(k, 0) + 1
        return dict(sorted(c.items()))
    principals = sorted({principal_key(r.get("userIdentity")) for _, r in events} - {None})
    manifest = {
        "generator": "Scripts/gen_cloudtrail.py --sample", "seed": seed,
        "window": {"start": ts(START), "end": ts(END), "days": DAYS, "baselineFraction": BASELINE_FRACTION,
                   "baselineEnd": ts(BASE_END)},
        "files": len(paths), "compressedBytes": total_bytes, "uncompressedBytes": total_unc,
        "records": len(events),
        "recordsPerEventSource": count(lambda r: r["eventSource"]),
        "recordsPerAccount": count(lambda r: r["recipientAccountId"]),
        "recordsPerRegion": count(lambda r: r["awsRegion"]),
        "recordsPerEventCategory": count(lambda r: r["eventCategory"]),
        "bedrockRecords": sum(1 for _, r in events if r["eventSource"] == "bedrock.amazonaws.com"),
        "agentcoreRecords": sum(1 for _, r in events if r["eventSource"] == "bedrock-agentcore.amazonaws.com"),
        "errorRecords": count(lambda r: r.get("errorCode")),
        "distinctPrincipals": len(principals), "principals": principals,
        "firstEventTime": ts(events[0][0]), "lastEventTime": ts(events[-1][0]),
        "incidents": sorted(g.incidents, key=lambda i: (i["time"], i["detector"])),
        "nearMisses": g.near_misses,
        "policies": pol_files,
        "policyIncidents": [
            {"detector": "over-broad-grant", "principal": R_SUPPORT_BOT, "subject": "bedrock:* on Resource *"},
            {"detector": "over-broad-grant", "principal": R_SUPPORT_BOT, "subject": "bedrock-agentcore:* on Resource *"},
            {"detector": "over-broad-grant", "principal": R_SUPPORT_BOT, "subject": "unknown action bedrock-agentcore:InvokeAgent"},
            {"detector": "over-broad-grant", "principal": R_SUPPORT_BOT, "subject": "wrong ARN type agent-runtime/"},
            {"detector": "over-broad-grant", "principal": R_SUPPORT_BOT, "subject": "Allow with NotAction (KnowledgeBaseBucketFromVpc)"},
            {"detector": "over-broad-grant", "principal": R_CLAIMS, "subject": "unknown action bedrock:Converse; bedrock:InvokeModel on Resource *"},
            {"detector": "unused-granted-action", "principal": R_SUPPORT_BOT,
             "subject": "e.g. bedrock:CreateGuardrail, bedrock-agentcore:DeleteAgentRuntime unused (management); s3:PutObject, dynamodb:DeleteItem unknown-or-unused (data events recorded: unused)"},
            {"detector": "unused-granted-action", "principal": R_RESEARCH, "subject": "bedrock-agentcore:ListEvents, logs:PutLogEvents, xray:* not observed"},
        ],
        "policyNearMisses": [
            {"mustNotFire": "over-broad-grant", "principal": R_RESEARCH, "subject": "tight policy: specific model, memory, bucket prefix, log group; xray on * (no resource-level support)"},
            {"mustNotFire": "over-broad-grant", "principal": R_CHAT_BACKEND, "subject": "InvokeAgentRuntime on the runtime and its endpoints"},
        ],
    }
    if manifest_path:
        with open(manifest_path, "w") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
    write_readme(out, manifest)
    print(f"sample: {len(events)} records, {len(paths)} files, {total_bytes} bytes gz, {total_unc} bytes json", file=sys.stderr)
    return manifest


RECON_SET = ("PutUseCaseForModelAccess", "PutFoundationModelEntitlement", "PutModelInvocationLoggingConfiguration",
             "CreateFoundationModelAgreement", "InvokeModel", "InvokeModelWithResponseStream", "GetUseCaseForModelAccess",
             "GetModelInvocationLoggingConfiguration", "GetFoundationModelAvailability",
             "ListFoundationModelAgreementOffers", "ListFoundationModels", "ListProvisionedModelThroughputs",
             "SearchAgreements", "AcceptAgreementRequest")


def self_check(events, g):
    """Oracle for the simple baseline detectors: what is new after the baseline must be an injected incident."""
    inc_ids = {e for i in g.incidents for e in i["eventIDs"]}
    inc_ids |= {e for n in g.near_misses for e in n["eventIDs"]}
    base = {}
    problems = []
    for t, r in events:
        k = principal_key(r.get("userIdentity"))
        b = base.setdefault(k, {"ip": set(), "region": set(), "model": set(), "vpce": None, "seen": False})
        ip = r["sourceIPAddress"]
        model = (r.get("requestParameters") or {}).get("modelId") if r["eventSource"] == "bedrock.amazonaws.com" else None
        if t < BASE_END:
            b["seen"] = True
            if not is_service_name(ip):
                b["ip"].add(ip)
            b["region"].add(r["awsRegion"])
            if model:
                b["model"].add(model)
            if r["eventSource"] in ("bedrock.amazonaws.com", "bedrock-agentcore.amazonaws.com") and not is_service_name(ip):
                has = "vpcEndpointId" in r
                b["vpce"] = has if b["vpce"] is None else (b["vpce"] and has)
        else:
            if r["eventID"] in inc_ids or not b["seen"]:
                continue
            if not is_service_name(ip) and ip not in b["ip"]:
                problems.append(("new ip", k, ip, ts(t)))
            if r["awsRegion"] not in b["region"]:
                problems.append(("new region", k, r["awsRegion"], ts(t)))
            if model and model not in b["model"]:
                problems.append(("new model", k, model, ts(t)))
            if (b["vpce"] and r["eventSource"] in ("bedrock.amazonaws.com", "bedrock-agentcore.amazonaws.com")
                    and "vpcEndpointId" not in r and not is_service_name(ip)):
                problems.append(("vpce bypass", k, r["eventName"], ts(t)))
        tls = (r.get("tlsDetails") or {}).get("tlsVersion")
        if tls in ("TLSv1", "TLSv1.1") and r["eventID"] not in inc_ids:
            problems.append(("weak tls", k, tls, ts(t)))
        ui = r.get("userIdentity") or {}
        if r["eventSource"] in ("bedrock.amazonaws.com", "bedrock-agentcore.amazonaws.com") and r["eventID"] not in inc_ids:
            if ui.get("accountId") not in (None, "anonymous", r["recipientAccountId"]):
                problems.append(("cross account", k, r["eventName"], ts(t)))
            if (ui.get("accessKeyId") or "").startswith("AKIA") or ui.get("type") == "Root":
                problems.append(("long-term", k, r["eventName"], ts(t)))
            if r.get("errorCode") == "ValidationException" and r["eventName"].startswith("Invoke"):
                problems.append(("validation probe", k, r["eventName"], ts(t)))
        if ui.get("type") == "Root" and r["eventID"] not in inc_ids:
            problems.append(("root", k, r["eventName"], ts(t)))
    # recon share (>= 40% of the recon set within 24 h) and hourly invocation spikes, outside incidents
    recon = {}
    hourly = {}
    for t, r in events:
        if r["eventID"] in inc_ids:
            continue
        k = principal_key(r.get("userIdentity"))
        if r["eventSource"] == "bedrock.amazonaws.com" and r["eventName"] in RECON_SET:
            recon.setdefault(k, []).append((t, r["eventName"]))
        if r["eventName"] in ("InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream", "InvokeAgentRuntime"):
            hk = (k, t.replace(minute=0, second=0))
            hourly[hk] = hourly.get(hk, 0) + 1
    for k, lst in recon.items():
        j = 0
        for i in range(len(lst)):
            while lst[i][0] - lst[j][0] > dt.timedelta(hours=24):
                j += 1
            if len({n for _, n in lst[j:i + 1]}) >= 0.4 * len(RECON_SET):
                problems.append(("recon share", k, ts(lst[i][0])))
                break
    for (k, hour), n in hourly.items():
        if n > 100:
            problems.append(("spike", k, ts(hour), n))
    if problems:
        for p in problems[:40]:
            print("self-check:", p, file=sys.stderr)
        raise SystemExit(f"self-check failed: {len(problems)} unexpected findings")


def write_readme(out, m):
    L = []
    L.append("# SampleLogs: a generated CloudTrail archive for AgentTrail\n")
    L.append("Generated by `python3 Scripts/gen_cloudtrail.py --sample --out SampleLogs --manifest SampleLogs/manifest.json` "
             f"(seed {m['seed']}, stdlib only, byte-reproducible: gzip mtime 0). **Synthetic data**: account ids, ARNs, IPs "
             "(mostly documentation ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) and keys are invented. "
             "Do not edit by hand: change the generator and regenerate. This file is generated too.\n")
    L.append("## Contents\n")
    L.append(f"- Window: {m['window']['start']} .. {m['window']['end']} ({m['window']['days']} days). "
             f"Baseline = first {int(m['window']['baselineFraction'] * 100)}% (until {m['window']['baselineEnd']}); all incidents come after it.")
    L.append(f"- {m['records']} records in {m['files']} files ({m['compressedBytes']} bytes gzip, {m['uncompressedBytes']} bytes JSON); "
             f"first event {m['firstEventTime']}, last {m['lastEventTime']}.")
    L.append(f"- Accounts: `{ACCT_A}` (own trail, `AWSLogs/{ACCT_A}/CloudTrail/...`), `{ACCT_B}` (organization trail, "
             f"`AWSLogs/{ORG_ID}/{ACCT_B}/CloudTrail/...`). Partner account `{ACCT_EXT}` appears only as a caller.")
    L.append(f"- Regions: {', '.join(REGIONS)}. One file per account, region and 5-minute window that has events; "
             "each file is one gzip member holding one single-line `{\"Records\":[...]}` object, records sorted by eventTime.")
    L.append(f"- Records per account: {json.dumps(m['recordsPerAccount'])}; per region: {json.dumps(m['recordsPerRegion'])}.")
    L.append(f"- Bedrock records: {m['bedrockRecords']}; AgentCore records: {m['agentcoreRecords']}; per category: "
             f"{json.dumps(m['recordsPerEventCategory'])}.")
    L.append(f"- Records per eventSource: {json.dumps(m['recordsPerEventSource'])}.")
    L.append(f"- Error codes: {json.dumps(m['errorRecords'])}.\n")
    L.append("## Principals\n")
    L.append(f"{m['distinctPrincipals']} distinct principals (identity key: role ARN for assumed roles, else userIdentity.arn, "
             "else `service:<invokedBy>`, else `account:<accountId>`):\n")
    desc = {
        R_SUPPORT_BOT: "AgentCore execution role of the support bot (IAM path `service-role/`), assumed by bedrock-agentcore.amazonaws.com; runtime in VPC mode: private IPv4/IPv6 sources, VPC endpoints on every call",
        R_RESEARCH: "AgentCore execution role of the research agent (public network mode: sourceIPAddress and invokedBy are `bedrock-agentcore.amazonaws.com`); tight policy",
        R_CHAT_BACKEND: "ECS task role calling InvokeAgentRuntime on the support bot from NAT IPs",
        R_BATCH: "Lambda role with a steady 1-4 InvokeModel per hour (us-west-2), the invocation-spike principal",
        R_CLAIMS: "EC2 instance role (account B), Converse always through a Bedrock VPC endpoint in the baseline",
        R_DS_A: "SSO data scientist, Bedrock runtime from the office (us-east-1, us-west-2)",
        R_ADMIN_A: "SSO administrators (console): reads, AgentCore control plane set-up, guardrail",
        R_ADMIN_B: "SSO administrator of account B",
        R_APPDEV_B: "SSO app developers of account B: InvokeAgentRuntime on the research agent",
        R_DEVSANDBOX: "developer sandbox role (EC2 reads); its session is later used for Bedrock recon",
        R_CONTRACTOR: "contractor role in account B, only seen probing models",
        R_PARTNER: "partner account role: shared S3 exports (normal) and cross-account InvokeAgentRuntime (incident)",
    }
    for p in m["principals"]:
        L.append(f"- `{p}`" + (f": {desc[p]}" if p in desc else ""))
    L.append("\n## Injected incidents (all after the baseline)\n")
    L.append("| detector | principal | subject | time | may also fire |")
    L.append("|---|---|---|---|---|")
    for i in m["incidents"]:
        L.append(f"| `{i['detector']}` | `{i['principal']}` | {i['subject']} | {i['time']} | {', '.join(i['mayAlsoFire'])} |")
    L.append("\nPolicy-side detectors (`unused-granted-action`, `over-broad-grant`) come from `policies/` (see below).\n")
    L.append("## Near-misses (must NOT fire)\n")
    for n in m["nearMisses"]:
        L.append(f"- `{n['mustNotFire']}`: {n['subject']} by `{n['principal']}` ({n['note']})")
    L.append("- ThrottlingException on a few InvokeModel/Converse calls: not denials. Gateway 401 (`Invalid Bearer token`) is not an IAM denial.")
    L.append("- No normal principal reaches 40% of the recon set; no weak TLS outside the weak-tls incident; "
             "the generator's self-check verifies that after the baseline no principal uses a new IP, region, model, "
             "or drops its VPC endpoint except in the listed incidents.\n")
    L.append("## Policies (`policies/`)\n")
    L.append("One file per role, `<RoleName>.json` (role name without path), holding the union of the role's inline and "
             "attached customer-managed (default version) statements; plus `authorization-details.json` in "
             "`aws iam get-account-authorization-details` format (both accounts merged; AWS-managed policies are referenced "
             "but not expanded).\n")
    L.append("- `AgentCoreRuntime-support-bot.json`: over-broad on purpose: `bedrock:*` and `bedrock-agentcore:*` on `*`; "
             "a statement copied from a setup guide with a non-existent action `bedrock-agentcore:InvokeAgent` and a wrong "
             "ARN type `agent-runtime/`; an Allow with `NotAction` on the knowledge-base bucket, conditioned on "
             f"`aws:SourceIp` {AGENT_VPC_CIDRS} (the role's normal sources); an explicit Deny of `dynamodb:Scan`; "
             "dynamodb on one table, secretsmanager on `support-bot/*`; memory access from a managed policy whose "
             "non-default v1 uses the wrong `SearchMemory` name.")
    L.append("- `AgentCoreRuntime-research-agent.json`: tight and well scoped (over-broad-grant must not fire).")
    L.append("- `ClaimsProcessorRole.json`: `bedrock:Converse` (not an IAM action) and `Resource: *` on InvokeModel.")
    L.append("- `SupportChatBackendRole.json`, `BatchSummarizerRole.json`: scoped.")
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write("\n".join(L) + "\n")


# ---------------------------------------------------------------------------------------------------------
# Benchmark corpus
# ---------------------------------------------------------------------------------------------------------
def parse_size(s):
    m = re.fullmatch(r"(\d+(?:\.\d+)?)\s*([KMGT]?)B?", s.strip().upper())
    if not m:
        raise SystemExit(f"bad size {s!r}")
    return int(float(m.group(1)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}[m.group(2)])


_TEMPLATES = None


def build_templates(seed):
    """Serialize the sample's normal records once; later filled with new times and ids by string replacement."""
    g = Gen(seed)
    for fn in (gen_support_chat, gen_agent_role_housekeeping, gen_appdev_b, gen_admin_a, gen_data_scientist,
               gen_batch, gen_claims, gen_ci, gen_service_noise, gen_gateway):
        fn(g)
    pool = {}
    for _, r in g.events:
        r = dict(r)
        r["eventTime"] = "\x00T\x00"
        r["eventID"] = "\x00E\x00"
        if "requestID" in r:
            r["requestID"] = "\x00R\x00"
        s = json.dumps(r, separators=(",", ":"))
        pool.setdefault((r["recipientAccountId"], r["awsRegion"]), []).append(s)
    for k in pool:
        pool[k] = sorted(set(pool[k]))
    return pool


def bench_file(args):
    seed, out, acct, region, stamp_iso, target, fidx = args
    global _TEMPLATES
    if _TEMPLATES is None:
        _TEMPLATES = build_templates(seed)
    stamp = dt.datetime.fromisoformat(stamp_iso)
    rel = file_path(seed, acct, region, stamp) if fidx == 0 else file_path(seed, acct, region, stamp).replace(
        ".json.gz", "").rsplit("_", 1)[0] + "_" + stable_token(ALNUM, 16, "bf", seed, acct, region, stamp_iso, fidx) + ".json.gz"
    rng = random.Random(h64("bench", seed, acct, region, stamp_iso, fidx))
    pool = _TEMPLATES.get((acct, region)) or _TEMPLATES[(ACCT_A, "us-east-1")]
    parts = []
    size = 0
    t0 = stamp - dt.timedelta(minutes=5)
    secs = []
    while size < target:
        s = rng.choice(pool)
        parts.append(s)
        size += len(s) + 1
    secs = sorted(rng.randrange(300) for _ in parts)
    recs = []
    for s, sec in zip(parts, secs):
        e = "%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                              0x8000 | rng.getrandbits(14), rng.getrandbits(48))
        rq = "%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                               0x8000 | rng.getrandbits(14), rng.getrandbits(48))
        recs.append(s.replace("\\u0000T\\u0000", ts(t0 + dt.timedelta(seconds=sec)))
                     .replace("\\u0000E\\u0000", e).replace("\\u0000R\\u0000", rq))
    data = ('{"Records":[' + ",".join(recs) + "]}").encode()
    blob = gz(data)
    p = os.path.join(out, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    tmp = p + ".tmp"
    with open(tmp, "wb") as f:
        f.write(blob)
    os.replace(tmp, p)
    return len(data), len(blob)


def bench_plan(seed, size, start_day, days):
    """Per day: files for 2 accounts x 3 regions in 5-minute windows; sizes mostly 50 KB-2 MB, ~1% about 20 MB."""
    per_day = size // days
    plan = []
    for d in range(start_day, start_day + days):
        rng = random.Random(h64("benchday", seed, d))
        day0 = START + dt.timedelta(days=d)
        total = 0
        windows = [(day0 + dt.timedelta(minutes=5 * (w + 1)), acct, region)
                   for w in range(288) for acct in (ACCT_A, ACCT_B) for region in REGIONS]
        rng.shuffle(windows)
        chosen = []
        for k in range(10 ** 7):
            if total >= per_day:
                break
            stamp, acct, region = windows[k % len(windows)]
            if rng.random() < 0.01:
                target = rng.randrange(18 << 20, 22 << 20)
            else:
                target = int(min(2 << 20, max(50 << 10, rng.lognormvariate(12.6, 0.8))))
            target = min(target, max(50 << 10, per_day - total))
            chosen.append((stamp, acct, region, target))
            total += target
        chosen.sort()
        seen = {}
        for stamp, acct, region, target in chosen:
            k = (stamp, acct, region)
            idx = seen.get(k, 0)
            seen[k] = idx + 1
            plan.append((seed, None, acct, region, stamp.isoformat(), target, idx))
    return plan


def write_bench(out, seed, size, start_day, days, jobs):
    plan = [(p[0], out) + p[2:] for p in bench_plan(seed, size, start_day, days)]
    if jobs > 1:
        import multiprocessing as mp
        with mp.Pool(jobs) as pool:
            res = pool.map(bench_file, plan, chunksize=4)
    else:
        res = [bench_file(p) for p in plan]
    unc = sum(r[0] for r in res)
    comp = sum(r[1] for r in res)
    print(f"bench: {len(plan)} files, {unc} bytes uncompressed, {comp} bytes gzip, days {start_day}..{start_day + days - 1}",
          file=sys.stderr)
    return {"files": len(plan), "uncompressedBytes": unc, "compressedBytes": comp, "startDay": start_day, "days": days,
            "seed": seed}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sample", action="store_true", help="write the small committed sample (default mode)")
    ap.add_argument("--size", help="benchmark mode: total uncompressed size for the generated days, e.g. 1GB")
    ap.add_argument("--out", help="output directory (default SampleLogs for --sample)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--manifest", help="write a JSON manifest with exact totals")
    ap.add_argument("--days", type=int, default=2, help="benchmark mode: number of days to generate")
    ap.add_argument("--start-day", type=int, default=0, help="benchmark mode: first day index (0 = 2025-06-02)")
    ap.add_argument("--jobs", type=int, default=2, help="benchmark mode: worker processes")
    ap.add_argument("--realistic", action="store_true",
                    help="write the realistic labelled archive (AWSLogs/, policies/, labels.json) to --out")
    ap.add_argument("--real-shaped", action="store_true",
                    help="write a real-shaped bench archive (AWSLogs/, policies/) to --out; --size default 240MB")
    ap.add_argument("--tiny-files", action="store_true",
                    help="like --real-shaped with 1-10 records per file; --size default 200MB, or --files N")
    ap.add_argument("--files", type=int, help="--tiny-files: write exactly this many files (~5.5 records each) instead of --size")
    a = ap.parse_args()
    if a.real_shaped or a.tiny_files:
        if not a.out or a.sample or a.realistic or (a.real_shaped and a.tiny_files):
            ap.error("--real-shaped/--tiny-files need --out and exclude --sample/--realistic and each other")
        if a.files is not None and (not a.tiny_files or a.size or a.files < 1):
            ap.error("--files N (N >= 1) goes with --tiny-files, instead of --size")
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import gen_realshaped
        size = parse_size(a.size or ("200MB" if a.tiny_files else "240MB"))
        m = gen_realshaped.write_realshaped(a.out, a.seed, size, a.days, a.tiny_files, a.jobs, a.files)
        if a.manifest:
            with open(a.manifest, "w") as f:
                json.dump(m, f, indent=2)
                f.write("\n")
    elif a.realistic:
        if not a.out or a.size or a.sample:
            ap.error("--realistic needs --out and excludes --sample/--size")
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import gen_realistic
        gen_realistic.write_realistic(a.out, a.seed)
    elif a.size:
        if not a.out:
            ap.error("--size needs --out")
        m = write_bench(a.out, a.seed, parse_size(a.size), a.start_day, a.days, a.jobs)
        if a.manifest:
            with open(a.manifest, "w") as f:
                json.dump(m, f, indent=2)
                f.write("\n")
    else:
        write_sample(a.out or "SampleLogs", a.seed, a.manifest)


if __name__ == "__main__":
    main()

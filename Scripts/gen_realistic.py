#!/usr/bin/env python3
"""Realistic CloudTrail archive for an independent check of AgentTrail's detectors (stdlib only).

Invoked as `gen_cloudtrail.py --realistic --out DIR [--seed N]` (or run this file directly with the same options).
Writes, under DIR:

  AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<suffix>.json.gz
  policies/        IAM policies of the two accounts (per-role / per-user documents + authorization details)
  labels.json      injected incidents, benign near-misses, posture findings the spec expects

Everything here is modelled on AWS's documented behaviour, NOT on AgentTrail's implementation (this module never
looks at Sources/). The documentation pages each behaviour comes from are cited by title next to the code that
models it. Where AWS does not document a detail (e.g. the role-session name the AgentCore service picks), the
choice is marked "undocumented" and kept neutral.

Determinism: every actor draws from its own random.Random seeded from (seed, actor name); gzip members have
mtime 0 and no file name; file-name suffixes are hashes of (seed, path parts). Same seed -> same bytes.
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

UTC = dt.timezone.utc

# ---------------------------------------------------------------------------------------------------------
# The estate
# ---------------------------------------------------------------------------------------------------------
START = dt.datetime(2025, 9, 1, 0, 0, 0, tzinfo=UTC)        # a Monday
DAYS = 21
END = START + dt.timedelta(days=DAYS)
BASELINE_FRACTION = 0.3
# Incidents are injected only after this instant (baseline = first 30 % of the window = 6.3 days).
INJECT_AFTER = START + dt.timedelta(days=7)

A = "210987654321"        # production account: agents, developers, workloads (own multi-region trail)
B = "345678901234"        # development account (own multi-region trail)
EXT = "777788889999"      # a partner's account: only ever a caller
TRAIL_A = f"arn:aws:cloudtrail:us-east-1:{A}:trail/org-audit-trail"
TRAIL_B = f"arn:aws:cloudtrail:us-west-2:{B}:trail/dev-management-events"

HEX = "0123456789abcdef"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def h64(*parts):
    d = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(d[:8], "big")


def token(alphabet, n, *parts):
    r = random.Random(h64(*parts))
    return "".join(r.choice(alphabet) for _ in range(n))


def ts(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def T(day, hour=0, minute=0, second=0):
    return START + dt.timedelta(days=day, hours=hour, minutes=minute, seconds=second)


def role(acct, name, path="/"):
    return f"arn:aws:iam::{acct}:role{path}{name}"


def role_id(arn):
    return "AROA" + token(UPPER, 17, "roleid", arn)


def user_id(arn):
    return "AIDA" + token(UPPER, 17, "userid", arn)


def akia(name):
    return "AKIA" + token(UPPER, 16, "akia", name)


def asia(*parts):
    return "ASIA" + token(UPPER, 16, "asia", *parts)


def weekday(t):
    return t.weekday() < 5


# --- AgentCore execution roles (5 in account A, 1 in account B) ------------------------------------------
R_SUPPORT = role(A, "AgentCoreExec-support-agent", "/service-role/")       # VPC mode, interface + gateway endpoints
R_CLAIMS = role(A, "AgentCoreExec-claims-agent", "/service-role/")         # VPC mode, NAT gateway (+ bedrock endpoint)
R_DOCS = role(A, "AmazonBedrockAgentCoreSDKRuntime-us-east-1-7c1d9e2a4b")  # starter-toolkit role, PUBLIC mode
R_RESEARCH = role(A, "AgentCoreExec-research-agent", "/service-role/")     # eu-central-1, PUBLIC mode
R_NIGHTLY = role(A, "AgentCoreExec-nightly-report", "/service-role/")      # us-west-2, VPC mode with endpoints
R_SANDBOX = role(B, "AgentCoreExec-sandbox-agent")                         # account B, us-west-2, PUBLIC mode
AGENT_ROLES = [R_SUPPORT, R_CLAIMS, R_DOCS, R_RESEARCH, R_NIGHTLY, R_SANDBOX]

# --- other principals ------------------------------------------------------------------------------------
R_FRONTEND = role(A, "SupportFrontendTaskRole")            # ECS Fargate task role: calls InvokeAgentRuntime
R_CLAIMS_API = role(A, "ClaimsApiLambdaRole")              # Lambda (VPC) that calls the claims agent
R_REPORT_SCHED = role(A, "ReportSchedulerLambdaRole")      # Lambda that starts the nightly report agent
R_NIGHT_BATCH = role(A, "NightlySummarizerLambdaRole")     # Lambda: InvokeModel at 02:00 every night
R_KB_SYNC = role(A, "KnowledgeBaseSyncLambdaRole")         # Lambda: embeddings every Monday 06:00
R_WEBAPP = role(A, "WebAppInstanceRole")                   # EC2 instance role (noise)
R_ORDERS = role(A, "OrderProcessorLambdaRole")             # Lambda (noise)
R_TRAILGUARD = role(A, "TrailGuardRemediationRole")        # Lambda that restarts logging (EventBridge rule)
R_CONFIG_A = role(A, "AWSServiceRoleForConfig", "/aws-service-role/config.amazonaws.com/")
R_ADMIN_A = role(A, "AWSReservedSSO_PlatformAdmin_3f8e2d1c0b9a4756", "/aws-reserved/sso.amazonaws.com/")
R_MLENG_A = role(A, "AWSReservedSSO_MLEngineer_6a1b7c2d8e3f4059", "/aws-reserved/sso.amazonaws.com/")
R_ADMIN_B = role(B, "AWSReservedSSO_AdministratorAccess_9d2c4e6f8a0b1c35", "/aws-reserved/sso.amazonaws.com/")
R_DEV_B = role(B, "AWSReservedSSO_Developer_4b5c6d7e8f9a0b12", "/aws-reserved/sso.amazonaws.com/")
R_CI_B = role(B, "CiRunnerInstanceRole")                   # EC2 instance role in B (noise)
R_PARTNER = role(EXT, "PartnerIntegrationRole")
U_PRIYA = f"arn:aws:iam::{A}:user/dev-priya"                # developer with an AKIA key
U_ANALYTICS = f"arn:aws:iam::{A}:user/svc-analytics-export" # service user; its AKIA key gets stolen
U_CONTRACTOR = f"arn:aws:iam::{A}:user/contractor-jlee"
U_BUILDBOT = f"arn:aws:iam::{B}:user/build-bot"
ROOT_A = f"arn:aws:iam::{A}:root"
ROOT_B = f"arn:aws:iam::{B}:root"

# --- AgentCore resources -----------------------------------------------------------------------------------
def runtime_arn(region, acct, rid):
    return f"arn:aws:bedrock-agentcore:{region}:{acct}:runtime/{rid}"


RT = {  # agent role -> (region, account, runtime id)
    R_SUPPORT: ("us-east-1", A, "support_agent-Qm4Xv8Lp2T"),
    R_CLAIMS: ("us-east-1", A, "claims_agent-Hd7Wz1Rk5N"),
    R_DOCS: ("us-east-1", A, "docs_assistant-Bn3Yc6Tf9J"),
    R_RESEARCH: ("eu-central-1", A, "research_agent-Kp2Ls5Vx8Q"),
    R_NIGHTLY: ("us-west-2", A, "nightly_report-Zt6Gm9Dw3R"),
    R_SANDBOX: ("us-west-2", B, "sandbox_agent-Ws8Ej1Nc4U"),
}
MEM_SUPPORT = ("support_agent_mem-Rt5Ux2Ka7P", f"arn:aws:bedrock-agentcore:us-east-1:{A}:memory/support_agent_mem-Rt5Ux2Ka7P")
MEM_DOCS = ("docs_mem-Lq9Ze3Hb6V", f"arn:aws:bedrock-agentcore:us-east-1:{A}:memory/docs_mem-Lq9Ze3Hb6V")
GW_DOCS = f"arn:aws:bedrock-agentcore:us-east-1:{A}:gateway/docs-tools-gw-5e7a1c3b-q8rjx2mz4k"

B_KB = f"support-kb-{A}"
B_CLAIMS = f"claims-documents-{A}"
B_DOCS = f"internal-docs-{A}"
B_RESEARCH = f"research-papers-{A}-euc1"
B_SHARED = f"partner-shared-exports-{A}"
B_SANDBOX = f"sandbox-agent-data-{B}"
T_TICKETS = "support-tickets"
T_CLAIMS = "claims"
T_REPORTS = "nightly-reports"
SECRET_SUPPORT = f"arn:aws:secretsmanager:us-east-1:{A}:secret:support-agent/zendesk-api-key-b7Qp2X"
SECRET_CLAIMS = f"arn:aws:secretsmanager:us-east-1:{A}:secret:claims-agent/core-banking-token-Tt4mKa"
SECRET_DOCS = f"arn:aws:secretsmanager:us-east-1:{A}:secret:docs-assistant/confluence-token-9YhcR1"
SECRET_ORDERS = f"arn:aws:secretsmanager:us-east-1:{A}:secret:orders/db-credentials-Pz3nQe"
KMS_SECRETS = f"arn:aws:kms:us-east-1:{A}:key/0d6e4c2a-8b1f-4e7d-9a35-c2f1e8b7d604"
KMS_TRAIL = f"arn:aws:kms:us-east-1:{A}:key/5a9c3e1f-7b2d-4c8e-a6f0-d3b5c7e9a1f2"

M_SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"
M_SONNET2 = "anthropic.claude-3-5-sonnet-20241022-v2:0"
M_HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
M_HAIKU35 = "anthropic.claude-3-5-haiku-20241022-v1:0"
M_SONNET37_PROFILE = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"   # cross-region inference profile id
M_TITAN_EMB = "amazon.titan-embed-text-v2:0"
M_NOVA_PRO = "amazon.nova-pro-v1:0"
M_NOVA_LITE = "amazon.nova-lite-v1:0"
M_LLAMA = "meta.llama3-1-70b-instruct-v1:0"
M_OPUS = "anthropic.claude-3-opus-20240229-v1:0"
M_CLAUDE_V2 = "anthropic.claude-v2"
M_MISTRAL = "mistral.mistral-large-2402-v1:0"

# --- networks ---------------------------------------------------------------------------------------------
# AWS-owned public address blocks per region (first two octets; from the published ip-ranges of EC2 in those
# regions). Public-mode AgentCore runtimes and Lambda functions outside a VPC egress from such addresses and get
# a different one per execution environment (AWS doc "Configure Amazon Bedrock AgentCore Runtime and tools for
# VPC": without VPC configuration the runtime uses AWS-managed networking; AWS Lambda Developer Guide
# "Giving Lambda functions access to resources in an Amazon VPC": functions outside a VPC reach the internet
# from AWS-owned addresses you do not control).
AWS_BLOCKS = {
    "us-east-1": [(3, b) for b in range(208, 224)] + [(34, b) for b in range(192, 208)] +
                 [(44, b) for b in range(192, 224)] + [(52, 0), (52, 1)] + [(54, b) for b in range(80, 88)],
    "us-west-2": [(35, b) for b in range(160, 168)] + [(44, b) for b in range(224, 256)] +
                 [(52, b) for b in range(32, 36)] + [(54, b) for b in range(184, 192)],
    "eu-central-1": [(3, b) for b in range(64, 80)] + [(18, b) for b in range(156, 160)] +
                    [(35, b) for b in range(156, 160)] + [(52, 28)],
}


def aws_ip(rng, region):
    a, b = rng.choice(AWS_BLOCKS[region])
    return f"{a}.{b}.{rng.randrange(0, 256)}.{rng.randrange(1, 255)}"


OFFICE_A = ["192.0.2.15", "192.0.2.16", "192.0.2.23"]       # office egress of the company
OFFICE_B = ["198.51.100.40", "198.51.100.41"]
HOME_PRIYA = "73.162.18.44"
HOME_KCHEN = "24.17.203.119"                                 # an ML engineer's home connection
HOME_MARTA = "89.64.112.7"                                   # EU engineer
DC_ANALYTICS = "203.0.113.40"                                # on-prem server running the analytics export
GHA_IPS = ["20.42.18.7", "4.175.114.51", "20.57.44.93", "172.183.51.17"]   # CI runners (Azure-hosted)
NAT_WEB = ["54.208.77.12", "52.4.190.33"]                    # NAT gateways of the web/ECS VPC (us-east-1)
NAT_AGENTS = ["3.219.44.187", "52.1.168.29"]                 # NAT gateways of the agent VPC (one per AZ)
NAT_CI_B = ["44.231.90.18"]
PARTNER_IPS = ["18.204.61.220"]

# Agent VPC (account A, us-east-1): 10.60.0.0/16, subnets 10.60.10.0/24 (use1-az1) and 10.60.11.0/24 (use1-az2).
# ENIs are shared by runtimes with the same subnets and security groups and may outlive a runtime by up to
# 8 hours (AWS doc "Configure Amazon Bedrock AgentCore Runtime and tools for VPC").
SUPPORT_ENIS_V1 = ["10.60.10.87", "10.60.11.203"]
SUPPORT_ENIS_V2 = ["10.60.10.142", "10.60.11.56"]            # after the runtime update of day 8
CLAIMS_ENIS = ["10.60.10.31", "10.60.11.90"]
NIGHTLY_ENIS = ["10.61.20.44", "10.61.21.118"]               # us-west-2 VPC 10.61.0.0/16
VPCE = {  # interface / gateway endpoints: (account, region, service) -> id
    ("A", "us-east-1", "bedrock-runtime"): "vpce-0a4f3c9e1d7b25681",
    ("A", "us-east-1", "bedrock-agentcore"): "vpce-0b8e2d6f4a1c39752",
    ("A", "us-east-1", "s3"): "vpce-0c1a7e5b3f9d24863",          # gateway endpoint
    ("A", "us-east-1", "dynamodb"): "vpce-0d5b9f3a7e1c46974",    # gateway endpoint
    ("A", "us-east-1", "secretsmanager"): "vpce-0e2c6a0d4b8f57a85",
    ("A", "us-east-1", "kms"): "vpce-0f7d1b5e9c3a68b96",
    ("A", "us-east-1", "logs"): "vpce-01e3a5c7d9f2b4a07",
    ("A", "us-west-2", "bedrock-runtime"): "vpce-02f4b6d8e0a1c3b18",
    ("A", "us-west-2", "s3"): "vpce-03a5c7e9f1b2d4c29",
    ("A", "us-west-2", "dynamodb"): "vpce-04b6d8f0a2c3e5d3a",
    ("A", "us-west-2", "logs"): "vpce-05c7e9a1b3d4f6e4b",
}

UA_AGENT = ("Boto3/1.39.4 md/Botocore#1.39.4 ua/2.1 os/linux#5.10.238-231.953.amzn2.aarch64 md/arch#aarch64 "
            "lang/python#3.12.11 md/pyimpl#CPython exec-env/AWS_BedrockAgentCore cfg/retry-mode#standard "
            "Botocore/1.39.4 strands-agents/1.2.0")
UA_AGENT_HTTPX = "python-httpx/0.28.1"
UA_JAVA_ECS = ("aws-sdk-java/2.31.78 Linux/5.10.238-231.953.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/21.0.8+9-LTS "
               "Java/21.0.8 vendor/Amazon.com_Inc. exec-env/AWS_ECS_FARGATE io/sync http/Apache cfg/retry-mode/standard")
UA_NODE_LAMBDA = ("aws-sdk-js/3.858.0 ua/2.1 os/linux#5.10.238-252.941.amzn2.x86_64 lang/js md/nodejs#22.17.0 "
                  "api/bedrock-runtime#3.858.0 exec-env/AWS_Lambda_nodejs22.x m/E,N")
UA_PY_LAMBDA = ("Boto3/1.38.36 md/Botocore#1.38.36 ua/2.1 os/linux#5.10.238-252.941.amzn2.x86_64 md/arch#x86_64 "
                "lang/python#3.13.5 md/pyimpl#CPython exec-env/AWS_Lambda_python3.13 cfg/retry-mode#legacy Botocore/1.38.36")
UA_MAC = ("Boto3/1.40.11 md/Botocore#1.40.11 ua/2.1 os/macos#24.6.0 md/arch#arm64 lang/python#3.12.11 "
          "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.40.11")
UA_CLI_MAC = ("aws-cli/2.28.8 md/awscrt#0.27.4 ua/2.1 os/macos#24.6.0 md/arch#arm64 lang/python#3.13.7 "
              "md/pyimpl#CPython cfg/retry-mode#standard md/installer#source md/prompt#off md/command#sts.assume-role")
UA_CONSOLE = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/139.0.0.0 Safari/537.36")
UA_CONSOLE_WIN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:142.0) Gecko/20100101 Firefox/142.0"
UA_JAVA_ONPREM = ("aws-sdk-java/2.25.60 Linux/4.18.0-553.el8_10.x86_64 OpenJDK_64-Bit_Server_VM/17.0.11+9-LTS "
                  "Java/17.0.11 vendor/Red_Hat__Inc. io/sync http/Apache cfg/retry-mode/legacy")
UA_ATTACKER = ("Boto3/1.29.7 md/Botocore#1.32.7 ua/2.0 os/windows#10 md/arch#amd64 lang/python#3.12.1 "
               "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.32.7")       # as in the Sysdig LLMjacking excerpt
UA_ATTACKER2 = "aws-cli/1.32.43 Python/3.11.8 Linux/6.5.0-1015-aws botocore/1.34.43"
UA_PACU = "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.8.0-45-generic md/arch#x86_64 lang/python#3.10.12 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84"
UA_GHA = ("aws-cli/2.28.1 md/awscrt#0.27.2 ua/2.1 os/linux#6.11.0-1018-azure md/arch#x86_64 lang/python#3.13.4 "
          "md/pyimpl#CPython exec-env/GitHubActions cfg/retry-mode#standard md/installer#exe md/distrib#ubuntu.24")
UA_SSM = "aws-sdk-go/1.55.7 (go1.23.10; linux; amd64) amazon-ssm-agent/3.3.2746.0"
UA_EC2_PY = ("Boto3/1.34.162 md/Botocore#1.34.162 ua/2.0 os/linux#6.1.147-172.266.amzn2023.x86_64 md/arch#x86_64 "
             "lang/python#3.9.23 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.162")


# ---------------------------------------------------------------------------------------------------------
# Trail state: what each account's trail records, and when. A record that the trail would not deliver is
# dropped at emit time (so the archive has the gaps the real trail would have).
# ---------------------------------------------------------------------------------------------------------
A_ADD_MEMGW = T(8, 15, 5, 12)        # PutEventSelectors (advanced) adds AgentCore Memory + Gateway data events
A_UPDATE_TRAIL = T(10, 16, 2, 40)    # UpdateTrail: log file validation + SSE-KMS
B_ADD_S3 = T(9, 10, 31, 5)           # PutEventSelectors (basic) adds S3 data events for the sandbox bucket
A_STOP = T(16, 2, 31, 17)            # INCIDENT StopLogging
A_START = T(16, 2, 35, 2)            # remediation Lambda StartLogging
B_DISABLE_MGMT = T(17, 21, 55, 31)   # INCIDENT PutEventSelectors includeManagementEvents=false
B_RESTORE_MGMT = T(18, 9, 12, 8)     # admin restores management events

# Data-event coverage (CloudTrail User Guide "Logging data events"; AgentCore Developer Guide "Enable CloudTrail
# data event logging for Amazon Bedrock AgentCore Gateway resources"). Trail A uses advanced event selectors.
A_S3_BUCKETS = {B_KB, B_CLAIMS, B_DOCS, B_RESEARCH, B_SHARED}
A_DDB_TABLES = {T_TICKETS, T_CLAIMS, T_REPORTS}


def trail_logs(rec, t):
    """Would the account's trail deliver this record? (recipientAccountId's trail)"""
    acct = rec["recipientAccountId"]
    data = rec["eventCategory"] == "Data"
    if acct == A:
        if A_STOP < t < A_START:
            return False                       # logging stopped: nothing is delivered
        if data:
            types = {r.get("type") for r in rec.get("resources") or []}
            if "AWS::S3::Object" in types:
                return (rec["requestParameters"] or {}).get("bucketName") in A_S3_BUCKETS
            if "AWS::DynamoDB::Table" in types:
                return (rec["requestParameters"] or {}).get("tableName") in A_DDB_TABLES
            if "AWS::BedrockAgentCore::Runtime" in types:
                return True
            if types & {"AWS::BedrockAgentCore::Memory", "AWS::BedrockAgentCore::Gateway"}:
                return t >= A_ADD_MEMGW
            return False
        return True
    if acct == B:
        if data:
            types = {r.get("type") for r in rec.get("resources") or []}
            if "AWS::S3::Object" in types and t >= B_ADD_S3:
                return (rec["requestParameters"] or {}).get("bucketName") == B_SANDBOX
            return False                       # B logs no other data events (AgentCore runtime calls unseen)
        if B_DISABLE_MGMT < t < B_RESTORE_MGMT:
            return False
        return True
    return False


# ---------------------------------------------------------------------------------------------------------
# Record construction. Field order and shapes follow the CloudTrail User Guide page "CloudTrail record contents
# for management, data, and network activity events" and the public samples in shared/reallogs.
# ---------------------------------------------------------------------------------------------------------
GLOBAL_SOURCES = {"iam.amazonaws.com", "signin.amazonaws.com", "organizations.amazonaws.com"}
RUNTIME_OPS = {"InvokeModel", "InvokeModelWithResponseStream", "Converse", "ConverseStream"}
AC_DATA_OPS = {"InvokeAgentRuntime", "CreateEvent", "RetrieveMemoryRecords", "ListEvents", "GetEvent",
               "InvokeGateway", "GetWorkloadAccessToken", "GetWorkloadAccessTokenForJWT"}


def host_for(source, name, region):
    svc = source.split(".")[0]
    if source == "bedrock.amazonaws.com":
        return f"bedrock-runtime.{region}.amazonaws.com" if name in RUNTIME_OPS else f"bedrock.{region}.amazonaws.com"
    if source == "bedrock-agentcore.amazonaws.com":
        return (f"bedrock-agentcore.{region}.amazonaws.com" if name in AC_DATA_OPS
                else f"bedrock-agentcore-control.{region}.amazonaws.com")
    if source in ("iam.amazonaws.com",):
        return "iam.amazonaws.com"
    if source == "signin.amazonaws.com":
        return "signin.aws.amazon.com"
    if source == "monitoring.amazonaws.com":
        return f"monitoring.{region}.amazonaws.com"
    return f"{svc}.{region}.amazonaws.com"


def is_service_name(ip):
    return ip == "AWS Internal" or ip.endswith(".amazonaws.com")


READ_PREFIXES = ("Get", "List", "Describe", "Lookup", "Retrieve", "Head", "Search", "BatchGet", "Query", "Scan")


class Actor:
    """Per-actor random source, so that actors do not disturb each other's draws."""

    def __init__(self, world, name):
        self.w = world
        self.name = name
        self.rng = random.Random(h64(world.seed, "actor", name))

    def uuid(self):
        r = self.rng
        return "%08x-%04x-4%03x-%04x-%012x" % (r.getrandbits(32), r.getrandbits(16), r.getrandbits(12),
                                                 0x8000 | r.getrandbits(14), r.getrandbits(48))

    def rec(self, t, source, name, region, ident, ip, ua, req=None, resp=None, err=None, msg=None, addl=None,
            resources=None, read_only=None, mgmt=True, recipient=None, vpce=None, tls="TLSv1.3", host=None,
            console=False, shared=False, version="1.11", etype="AwsApiCall"):
        if source in GLOBAL_SOURCES:
            region = "us-east-1"
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
            r["errorMessage"] = msg or err
        r["requestParameters"] = req
        r["responseElements"] = resp
        if addl is not None:
            r["additionalEventData"] = addl
        if etype != "AwsConsoleSignIn":
            r["requestID"] = self.uuid()
        r["eventID"] = self.uuid()
        if read_only is None:
            read_only = name.startswith(READ_PREFIXES) or name in RUNTIME_OPS or name in ("Decrypt", "GenerateDataKey")
        r["readOnly"] = read_only
        if resources:
            r["resources"] = resources
        r["eventType"] = etype
        r["managementEvent"] = mgmt
        if recipient is None:
            recipient = (ident or {}).get("accountId") or A
        r["recipientAccountId"] = recipient
        if shared:
            r["sharedEventID"] = self.uuid()
        if vpce:
            r["vpcEndpointId"] = vpce
            r["vpcEndpointAccountId"] = recipient
        r["eventCategory"] = "Management" if mgmt else "Data"
        if tls and not is_service_name(ip):
            cipher = "TLS_AES_128_GCM_SHA256" if tls == "TLSv1.3" else "ECDHE-RSA-AES128-GCM-SHA256"
            r["tlsDetails"] = {"tlsVersion": tls, "cipherSuite": cipher,
                               "clientProvidedHostHeader": host or host_for(source, name, region)}
        if console:
            r["sessionCredentialFromConsole"] = "true"
        return r

    def emit(self, t, r):
        return self.w.emit(t, r)


# --- identities (CloudTrail User Guide "CloudTrail userIdentity element") ----------------------------------
def ident_role(role_arn, session, akid, created, mfa=False, ec2=False, invoked_by=None):
    acct = role_arn.split(":")[4]
    name = role_arn.rsplit("/", 1)[1]
    rid = role_id(role_arn)
    d = {"type": "AssumedRole", "principalId": f"{rid}:{session}",
         "arn": f"arn:aws:sts::{acct}:assumed-role/{name}/{session}", "accountId": acct, "accessKeyId": akid,
         "sessionContext": {"sessionIssuer": {"type": "Role", "principalId": rid, "arn": role_arn, "accountId": acct,
                                              "userName": name},
                            "attributes": {"creationDate": ts(created), "mfaAuthenticated": "true" if mfa else "false"}}}
    if ec2:
        d["sessionContext"]["ec2RoleDelivery"] = "2.0"
    if invoked_by:
        d["invokedBy"] = invoked_by
    return d


def ident_user(arn, akid):
    acct = arn.split(":")[4]
    return {"type": "IAMUser", "principalId": user_id(arn), "arn": arn, "accountId": acct, "accessKeyId": akid,
            "userName": arn.rsplit("/", 1)[1]}


def ident_root(acct, akid="", created=None):
    d = {"type": "Root", "principalId": acct, "arn": f"arn:aws:iam::{acct}:root", "accountId": acct, "accessKeyId": akid}
    if created is not None:
        d["sessionContext"] = {"attributes": {"creationDate": ts(created), "mfaAuthenticated": "false"}}
    return d


def ident_service(svc):
    return {"type": "AWSService", "invokedBy": svc}


def sts_expiration(t, seconds=3600):
    e = t + dt.timedelta(seconds=seconds)
    return e.strftime("%b %-d, %Y, %-I:%M:%S %p")


# --- record templates ---------------------------------------------------------------------------------------
def assume_role(ac, t, role_arn, session, akid, region, caller_ident, ip, ua, duration=None, err=None, msg=None):
    """sts:AssumeRole. By a service principal: userIdentity.type AWSService, invokedBy/sourceIPAddress/userAgent =
    the service (IAM User Guide "Logging IAM and AWS STS API calls with AWS CloudTrail", example AssumeRole by
    a service; sample in reallogs/elastic-...: AssumeRole by ec2.amazonaws.com). responseElements.credentials
    .accessKeyId is the ASIA key the session's later calls carry in userIdentity.accessKeyId."""
    acct = role_arn.split(":")[4]
    name = role_arn.rsplit("/", 1)[1]
    req = {"roleArn": role_arn, "roleSessionName": session}
    if duration:
        req["durationSeconds"] = duration
    resp = None if err else {
        "credentials": {"accessKeyId": akid, "sessionToken": "HIDDEN_DUE_TO_SECURITY_REASONS",
                        "expiration": sts_expiration(t, duration or 3600)},
        "assumedRoleUser": {"assumedRoleId": f"{role_id(role_arn)}:{session}",
                            "arn": f"arn:aws:sts::{acct}:assumed-role/{name}/{session}"}}
    return ac.rec(t, "sts.amazonaws.com", "AssumeRole", region, caller_ident, ip, ua, req=req, resp=resp, err=err,
                  msg=msg, resources=[{"accountId": acct, "type": "AWS::IAM::Role", "ARN": role_arn}],
                  recipient=acct, shared=True, read_only=True, version="1.08")


def invoke_model(ac, t, ident, ip, ua, region, model, name="Converse", vpce=None, err=None, msg=None, recipient=None):
    """Bedrock runtime calls are management events under their own names (Bedrock User Guide "Monitor Amazon
    Bedrock API calls using CloudTrail")."""
    return ac.rec(t, "bedrock.amazonaws.com", name, region, ident, ip, ua, req={"modelId": model}, resp=None,
                  err=err, msg=msg, vpce=vpce, recipient=recipient, read_only=True, version="1.10")


def bedrock_cp(ac, t, ident, ip, ua, region, name, req=None, err=None, msg=None, console=False):
    return ac.rec(t, "bedrock.amazonaws.com", name, region, ident, ip, ua, req=req, err=err, msg=msg,
                  console=console, version="1.10")


def s3_object(ac, t, ident, ip, ua, region, bucket, key, name="GetObject", vpce=None, err=None, msg=None,
              bucket_acct=A, size=None):
    """S3 object-level data event (CloudTrail User Guide "Logging data events"; S3 User Guide "Logging Amazon S3
    API calls using AWS CloudTrail"). Through a gateway endpoint the record carries vpcEndpointId and the
    private source address."""
    req = {"bucketName": bucket, "Host": f"{bucket}.s3.{region}.amazonaws.com", "key": key}
    addl = {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 0,
            "AuthenticationMethod": "AuthHeader", "x-amz-id-2": token(ALNUM, 56, "xamz", ac.rng.random()),
            "bytesTransferredOut": 0 if err else (size or ac.rng.randrange(1200, 400000))}
    res = [{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
           {"accountId": bucket_acct, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}]
    return ac.rec(t, "s3.amazonaws.com", name, region, ident, ip, ua, req=req, resp=None, err=err, msg=msg, addl=addl,
                  resources=res, mgmt=False, vpce=vpce, recipient=bucket_acct,
                  host=f"{bucket}.s3.{region}.amazonaws.com", version="1.10")


def ddb(ac, t, ident, ip, ua, region, table, name, vpce=None, acct=A):
    """DynamoDB item-level data event."""
    req = {"tableName": table}
    if name in ("GetItem", "DeleteItem", "UpdateItem"):
        req["key"] = {"id": "HIDDEN_DUE_TO_SECURITY_REASONS"}
    elif name == "PutItem":
        req["item"] = "HIDDEN_DUE_TO_SECURITY_REASONS"
    elif name == "Query":
        req.update({"keyConditionExpression": "customerId = :c", "limit": 20})
    res = [{"accountId": acct, "type": "AWS::DynamoDB::Table", "ARN": f"arn:aws:dynamodb:{region}:{acct}:table/{table}"}]
    return ac.rec(t, "dynamodb.amazonaws.com", name, region, ident, ip, ua, req=req, resp=None, resources=res,
                  mgmt=False, vpce=vpce, recipient=acct, version="1.09")


def get_secret(ac, t, ident, ip, ua, region, secret_arn, vpce=None):
    """GetSecretValue (management event) followed by the KMS Decrypt that Secrets Manager makes with the
    caller's identity: invokedBy/sourceIPAddress secretsmanager.amazonaws.com (Secrets Manager User Guide
    "Secret encryption and decryption in AWS Secrets Manager", CloudTrail Decrypt example)."""
    r1 = ac.rec(t, "secretsmanager.amazonaws.com", "GetSecretValue", region, ident, ip, ua,
                req={"secretId": secret_arn}, vpce=vpce, version="1.09")
    ident2 = dict(ident, invokedBy="secretsmanager.amazonaws.com")
    r2 = ac.rec(t, "kms.amazonaws.com", "Decrypt", region, ident2, "secretsmanager.amazonaws.com",
                "secretsmanager.amazonaws.com",
                req={"encryptionContext": {"SecretARN": secret_arn, "SecretVersionId": token(HEX, 8, secret_arn) + "-"
                                           + token(HEX, 4, secret_arn, 1) + "-4" + token(HEX, 3, secret_arn, 2) + "-a"
                                           + token(HEX, 3, secret_arn, 3) + "-" + token(HEX, 12, secret_arn, 4)},
                     "encryptionAlgorithm": "SYMMETRIC_DEFAULT"},
                resources=[{"accountId": A, "type": "AWS::KMS::Key", "ARN": KMS_SECRETS}], version="1.09")
    return [r1, r2]


def invoke_agent_runtime(ac, t, ident, ip, ua, runtime_role, session_id, err=None, recipient=None):
    """InvokeAgentRuntime: AgentCore Runtime data event (resource types AWS::BedrockAgentCore::Runtime and its
    endpoint); logged only when the trail selects it (AgentCore Developer Guide "Logging Amazon Bedrock AgentCore
    API calls using AWS CloudTrail"). Request/response bodies are not logged."""
    region, acct, rid = RT[runtime_role]
    arn = runtime_arn(region, acct, rid)
    res = [{"accountId": acct, "type": "AWS::BedrockAgentCore::Runtime", "ARN": arn},
           {"accountId": acct, "type": "AWS::BedrockAgentCore::RuntimeEndpoint", "ARN": arn + "/runtime-endpoint/DEFAULT"}]
    return ac.rec(t, "bedrock-agentcore.amazonaws.com", "InvokeAgentRuntime", region, ident, ip, ua,
                  req={"agentRuntimeArn": arn, "qualifier": "DEFAULT", "runtimeSessionId": session_id},
                  resp=None, err=err, resources=res, mgmt=False, recipient=recipient or acct, read_only=False)


def memory_call(ac, t, ident, ip, ua, region, mem, name, actor_id, session_id, vpce=None):
    mid, marn = mem
    if name == "RetrieveMemoryRecords":
        req = {"memoryId": mid, "namespace": f"/support/{actor_id}/facts",
               "searchCriteria": {"searchQuery": "HIDDEN_DUE_TO_SECURITY_REASONS", "topK": 5}}
    else:
        req = {"memoryId": mid, "actorId": actor_id, "sessionId": session_id, "eventTimestamp": ts(t),
               "payload": "HIDDEN_DUE_TO_SECURITY_REASONS"}
    return ac.rec(t, "bedrock-agentcore.amazonaws.com", name, region, ident, ip, ua, req=req, resp=None,
                  resources=[{"accountId": A, "type": "AWS::BedrockAgentCore::Memory", "ARN": marn}], mgmt=False,
                  vpce=vpce, read_only=(name != "CreateEvent"))


# ---------------------------------------------------------------------------------------------------------
# World: emission, labels, writing
# ---------------------------------------------------------------------------------------------------------
class World:
    def __init__(self, seed):
        self.seed = seed
        self.events = []              # (t, record)
        self.dropped = 0
        self.incidents = []
        self.near = {}                # id -> near-miss dict (event ids accumulate)
        self.expected = []            # posture findings the spec expects
        self.principal_notes = {}

    def emit(self, t, r):
        assert START <= t < END, (t, r["eventName"])
        if not trail_logs(r, t):
            self.dropped += 1
            return None
        self.events.append((t, r))
        return r

    def incident(self, iid, detector, principal, summary, recs, also=(), docs=()):
        recs = [r for r in recs if r is not None]
        assert recs, iid
        times = sorted(r["eventTime"] for r in recs)
        assert times[0] >= ts(INJECT_AFTER), (iid, times[0])
        self.incidents.append({"id": iid, "detector": detector, "principal": principal, "summary": summary,
                               "firstSeen": times[0], "lastSeen": times[-1],
                               "eventIds": [r["eventID"] for r in recs],
                               "alsoExpected": [{"detector": d, "principal": p} for d, p in also],
                               "docs": list(docs)})

    def near_miss(self, nid, must_not_fire, principal, summary, docs=()):
        self.near.setdefault(nid, {"id": nid, "mustNotFire": list(must_not_fire), "principal": principal,
                                   "summary": summary, "docs": list(docs), "eventIds": []})

    def nm(self, nid, *recs):
        ids = self.near[nid]["eventIds"]
        for r in recs:
            if r is not None:
                ids.append(r["eventID"])
        return recs[0] if len(recs) == 1 else None


# ---------------------------------------------------------------------------------------------------------
# AgentCore runtime sessions. Each runtime session (runtimeSessionId) runs in its own microVM for up to 8 hours
# (AgentCore Developer Guide "Use isolated sessions for agents" / "How it works"). The execution role is assumed
# by the service principal bedrock-agentcore.amazonaws.com (AgentCore Developer Guide "IAM Permissions for
# AgentCore Runtime", execution role trust policy); the temporary credentials last an hour (STS default), so a
# long session gets a new ASIA key about every hour.
# ---------------------------------------------------------------------------------------------------------
class RuntimeSession:
    def __init__(self, ac, role_arn, t0, net):
        """net: callable(rng, service) -> (source ip, vpce or None) for the agent's own calls."""
        self.ac = ac
        self.role = role_arn
        self.region = RT[role_arn][0]
        self.t0 = t0
        self.net = net
        self.sid = ac.uuid()
        self.keys = {}         # credential period -> (akid, session name, AssumeRole time)
        self.vm_ip = None
        self.assume_records = []

    def ident(self, t):
        k = max(0, int((t - self.t0).total_seconds() // 3300))   # refresh ~55 min into each hour
        if k not in self.keys:
            ta = self.t0 + dt.timedelta(seconds=3300 * k)
            # Undocumented: the session name the service chooses; a neutral random name is used.
            sess = token(HEX, 32, "acsess", self.role, self.sid, k)
            akid = asia(self.role, self.sid, k)
            r = assume_role(self.ac, ta, self.role, sess, akid, self.region,
                            ident_service("bedrock-agentcore.amazonaws.com"), "bedrock-agentcore.amazonaws.com",
                            "bedrock-agentcore.amazonaws.com")
            self.assume_records.append(self.ac.emit(ta, r))
            self.keys[k] = (akid, sess, ta)
        akid, sess, ta = self.keys[k]
        return ident_role(self.role, sess, akid, ta)


def support_net(day):
    enis = SUPPORT_ENIS_V1 if T(day) < T(8, 14) else SUPPORT_ENIS_V2

    def net(rng, svc):
        ip = rng.choice(enis)
        return ip, VPCE.get(("A", "us-east-1", svc))
    return net


def claims_net(rng, svc):
    # Bedrock runtime through an interface endpoint (private ENI address); everything else through the NAT
    # gateway of the ENI's AZ (the NAT's public address).
    az = rng.randrange(2)
    if svc == "bedrock-runtime":
        return CLAIMS_ENIS[az], VPCE[("A", "us-east-1", "bedrock-runtime")]
    return NAT_AGENTS[az], None


def nightly_net(rng, svc):
    return rng.choice(NIGHTLY_ENIS), VPCE.get(("A", "us-west-2", svc))


def public_net(region):
    state = {}

    def net(rng, svc):
        if "ip" not in state:
            state["ip"] = aws_ip(rng, region)     # one AWS-owned address per microVM
        return state["ip"], None
    return net


# ---------------------------------------------------------------------------------------------------------
# Service-assumed workload identities (ECS task roles, Lambda execution environments, EC2 instance profiles).
# Each is an sts:AssumeRole by the service principal (IAM User Guide, "Logging IAM and AWS STS API calls with
# AWS CloudTrail"; Lambda: one session per execution environment, named after the function).
# ---------------------------------------------------------------------------------------------------------
class ServiceSession:
    def __init__(self, ac, role_arn, service, region, session_name, t0, ec2=False, near=None):
        self.ac = ac
        self.role = role_arn
        self.session = session_name
        self.t0 = t0
        self.akid = asia(role_arn, session_name, ts(t0))
        self.ec2 = ec2
        r = assume_role(ac, t0, role_arn, session_name, self.akid, region, ident_service(service), service, service,
                        duration=None)
        self.assume_record = ac.emit(t0, r)
        if near:
            ac.w.nm(near, self.assume_record)

    def ident(self):
        return ident_role(self.role, self.session, self.akid, self.t0, ec2=self.ec2)


def gen_support(w):
    """Support agent (VPC mode through interface/gateway endpoints), invoked by the ECS frontend."""
    fe = Actor(w, "support-frontend")
    ag = Actor(w, "support-agent")
    w.near_miss("N01", ["agent-role-outside-runtime", "unknown-source-ip", "vpc-endpoint-bypass"], R_SUPPORT,
                "AgentCore Runtime in VPC mode: the execution role calls from private ENI addresses of its own "
                "subnets through interface/gateway VPC endpoints (vpcEndpointId set); after the runtime update of "
                "2025-09-09 new ENIs in the same subnets are used",
                docs=["Configure Amazon Bedrock AgentCore Runtime and tools for VPC",
                      "Logging AWS KMS requests that use a VPC endpoint (vpcEndpointId + private sourceIPAddress)"])
    w.near_miss("N09", ["invocation-spike"], [R_FRONTEND, R_SUPPORT],
                "busy-by-day frontend and agent: 25-45 InvokeAgentRuntime an hour in US business hours, 0-8 at night "
                "(normal nights after the baseline)")
    tasks = {}

    def fe_ident(t):
        # Two Fargate tasks; task role credentials re-issued by ecs-tasks.amazonaws.com every 3 hours.
        task = int(h64("fetask", t.strftime("%Y%m%d%H"), t.minute // 30) % 2)
        period = (t - START).total_seconds() // 10800
        key = (task, period)
        if key not in tasks:
            t0 = min(START + dt.timedelta(seconds=period * 10800 + 37 + task * 11), t - dt.timedelta(seconds=1))
            tasks[key] = ServiceSession(fe, R_FRONTEND, "ecs-tasks.amazonaws.com", "us-east-1",
                                        token(HEX, 32, "ecstask", task, period), t0, near="N13")
        return tasks[key].ident(), NAT_WEB[task]

    for d in range(DAYS):
        day0 = T(d)
        for h in range(24):
            wd = weekday(day0)
            if 12 <= h <= 23:
                n = fe.rng.randint(10, 16) if wd else fe.rng.randint(3, 6)
            elif h <= 2:
                n = fe.rng.randint(3, 5) if wd else fe.rng.randint(1, 3)
            else:
                n = fe.rng.randint(0, 2)
            for _ in range(n):
                t = day0 + dt.timedelta(hours=h, seconds=fe.rng.randrange(0, 3300))
                support_conversation(w, fe, ag, t, d, fe_ident, fe.rng.choice([1, 1, 2, 2, 2, 3, 3, 4]))
    return fe, ag, fe_ident


def support_conversation(w, fe, ag, t, d, fe_ident, turns, caller=None, incident=None):
    sess = RuntimeSession(ag, R_SUPPORT, t + dt.timedelta(milliseconds=300), support_net(d))
    actor = "customer-" + token("0123456789", 7, "cust", sess.sid)
    out = []
    for i in range(turns):
        ti = t + dt.timedelta(seconds=i * fe.rng.randrange(40, 240))
        if ti >= END - dt.timedelta(minutes=2):
            break
        if caller is None:
            ident, ip = fe_ident(ti)
            r = fe.emit(ti, invoke_agent_runtime(fe, ti, ident, ip, UA_JAVA_ECS, R_SUPPORT, sess.sid))
            if incident is None:
                w.nm("N09", r)
        else:
            r = caller(ti, sess.sid)
        out.append(r)
        out += support_turn(w, ag, sess, ti + dt.timedelta(milliseconds=800), actor, first=(i == 0),
                            label=(incident is None))
    if incident is None:
        w.nm("N04", *[r for r in sess.assume_records if r])
    else:
        out += sess.assume_records
    return out


def agent_invoke(w, ac, sess, t, ident, ip, vpce, model, name, label=True, throttle=0.004, validation=0.0008,
                 region=None):
    """One model call by an agent, with the background ThrottlingException (retried) and the rare isolated
    ValidationException of a working workload (Bedrock User Guide "Troubleshooting Amazon Bedrock API Error
    Codes": ThrottlingException = rate limit, ValidationException = malformed input)."""
    region = region or sess.region
    recs = []
    x = ac.rng.random()
    if x < throttle:
        r = ac.emit(t, invoke_model(ac, t, ident, ip, UA_AGENT, region, model, name=name, vpce=vpce,
                                    err="ThrottlingException",
                                    msg="Too many requests, please wait before trying again."))
        if label:
            w.nm("N06", r)
        recs.append(r)
        t = t + dt.timedelta(seconds=ac.rng.randrange(1, 4))
    elif x < throttle + validation:
        r = ac.emit(t, invoke_model(ac, t, ident, ip, UA_AGENT, region, model, name=name, vpce=vpce,
                                    err="ValidationException",
                                    msg=ac.rng.choice(["Input is too long for requested model.",
                                                       "messages: final assistant content cannot end with trailing whitespace",
                                                       "The model returned the following errors: messages: text content blocks must be non-empty"])))
        if label:
            w.nm("N06", r)
        recs.append(r)
        return recs
    recs.append(ac.emit(t, invoke_model(ac, t, ident, ip, UA_AGENT, region, model, name=name, vpce=vpce)))
    return recs


def support_turn(w, ag, sess, t, actor, first, label=True):
    rng = ag.rng
    recs = []
    service_recs = []
    nxt = lambda tt: tt + dt.timedelta(milliseconds=rng.randrange(150, 2500))
    ident = sess.ident(t)
    if first:
        ip, vpce = sess.net(rng, "secretsmanager")
        for r in get_secret(ag, t, ident, ip, UA_AGENT, "us-east-1", SECRET_SUPPORT, vpce=vpce):
            service_recs.append(ag.emit(t, r))
        t = nxt(t)
    ip, vpce = sess.net(rng, "bedrock-agentcore")
    service_recs.append(ag.emit(t, memory_call(ag, t, ident, ip, UA_AGENT, "us-east-1", MEM_SUPPORT,
                                               "RetrieveMemoryRecords", actor, sess.sid, vpce=vpce)))
    t = nxt(t)
    ip, vpce = sess.net(rng, "dynamodb")
    service_recs.append(ag.emit(t, ddb(ag, t, ident, ip, UA_AGENT, "us-east-1", T_TICKETS,
                                       rng.choice(["Query", "GetItem", "GetItem"]), vpce=vpce)))
    if rng.random() < 0.6:
        t = nxt(t)
        ip, vpce = sess.net(rng, "s3")
        key = f"kb/articles/{rng.choice(['billing', 'shipping', 'returns', 'accounts', 'warranty'])}/{rng.randrange(100, 999)}.md"
        service_recs.append(ag.emit(t, s3_object(ag, t, ident, ip, UA_AGENT, "us-east-1", B_KB, key, vpce=vpce)))
    for k in range(rng.choice([1, 1, 2])):
        t = nxt(t) + dt.timedelta(seconds=rng.randrange(1, 6))
        ip, vpce = sess.net(rng, "bedrock-runtime")
        model = M_HAIKU35 if k == 1 else M_SONNET2
        recs += agent_invoke(w, ag, sess, t, sess.ident(t), ip, vpce, model, rng.choice(["Converse", "ConverseStream"]),
                             label=label)
    if rng.random() < 0.25:
        t = nxt(t)
        ip, vpce = sess.net(rng, "dynamodb")
        service_recs.append(ag.emit(t, ddb(ag, t, sess.ident(t), ip, UA_AGENT, "us-east-1", T_TICKETS, "PutItem", vpce=vpce)))
    t = nxt(t)
    ip, vpce = sess.net(rng, "bedrock-agentcore")
    service_recs.append(ag.emit(t, memory_call(ag, t, sess.ident(t), ip, UA_AGENT, "us-east-1", MEM_SUPPORT,
                                               "CreateEvent", actor, sess.sid, vpce=vpce)))
    allr = [r for r in recs + service_recs if r is not None]
    if label:
        w.nm("N01", *allr) if allr else None
        sr = [r for r in service_recs if r is not None]
        if sr:
            w.nm("N05", *sr)
    return allr


def gen_claims(w):
    """Claims agent: VPC mode; Bedrock through an interface endpoint, S3/DynamoDB/Secrets Manager through the
    NAT gateways (stable public addresses). Invoked by a Lambda function attached to the same VPC through the
    bedrock-agentcore interface endpoint."""
    api = Actor(w, "claims-api")
    ag = Actor(w, "claims-agent")
    w.near_miss("N02", ["agent-role-outside-runtime", "unknown-source-ip", "vpc-endpoint-bypass"], R_CLAIMS,
                "AgentCore Runtime in VPC mode behind NAT gateways: Bedrock through an interface endpoint (private "
                "ENI address + vpcEndpointId), S3/DynamoDB/Secrets Manager from the NAT gateways' two stable public "
                "addresses", docs=["Configure Amazon Bedrock AgentCore Runtime and tools for VPC (Internet access "
                                   "considerations: private subnets with a NAT gateway)"])
    envs = {}
    for d in range(DAYS):
        day0 = T(d)
        if not weekday(day0):
            hours, lo, hi = range(14, 20), 0, 2
        else:
            hours, lo, hi = range(13, 23), 4, 8
        for h in hours:
            for _ in range(api.rng.randint(lo, hi)):
                t = day0 + dt.timedelta(hours=h, seconds=api.rng.randrange(0, 3400))
                # Lambda execution environments: ~1 per 2 hours of activity, session named after the function.
                key = (d, h // 2)
                if key not in envs:
                    t0 = day0 + dt.timedelta(hours=(h // 2) * 2 if (h // 2) * 2 >= hours[0] else hours[0]) - dt.timedelta(seconds=20)
                    t0 = min(t0, t - dt.timedelta(seconds=5))
                    envs[key] = (ServiceSession(api, R_CLAIMS_API, "lambda.amazonaws.com", "us-east-1", "claims-api", t0,
                                                near="N13"), f"10.60.12.{api.rng.randrange(10, 250)}")
                ss, lip = envs[key]
                sess = RuntimeSession(ag, R_CLAIMS, t + dt.timedelta(milliseconds=300), claims_net)
                for i in range(api.rng.choice([1, 1, 2])):
                    ti = t + dt.timedelta(seconds=i * 90)
                    w.nm("N13", api.emit(ti, invoke_agent_runtime(api, ti, ss.ident(), lip, UA_NODE_LAMBDA.replace("bedrock-runtime", "bedrock-agentcore"),
                                                      R_CLAIMS, sess.sid)))
                    claims_turn(w, ag, sess, ti + dt.timedelta(seconds=1), first=(i == 0))
                w.nm("N04", *[r for r in sess.assume_records if r])
    return ag


def claims_turn(w, ag, sess, t, first, label=True):
    rng = ag.rng
    recs, service = [], []
    nxt = lambda tt: tt + dt.timedelta(milliseconds=rng.randrange(200, 3000))
    ident = sess.ident(t)
    if first:
        ip, vpce = sess.net(rng, "secretsmanager")
        for r in get_secret(ag, t, ident, ip, UA_AGENT, "us-east-1", SECRET_CLAIMS, vpce=vpce):
            service.append(ag.emit(t, r))
    t = nxt(t)
    ip, _ = sess.net(rng, "s3")
    service.append(ag.emit(t, s3_object(ag, t, ident, ip, UA_AGENT, "us-east-1", B_CLAIMS,
                                        f"intake/2025/09/{token(HEX, 12, 'claim', rng.random())}.pdf")))
    t = nxt(t)
    ip, _ = sess.net(rng, "dynamodb")
    service.append(ag.emit(t, ddb(ag, t, ident, ip, UA_AGENT, "us-east-1", T_CLAIMS, "GetItem")))
    for _ in range(rng.choice([1, 2, 2, 3])):
        t = nxt(t) + dt.timedelta(seconds=rng.randrange(2, 9))
        ip, vpce = sess.net(rng, "bedrock-runtime")
        recs += agent_invoke(w, ag, sess, t, sess.ident(t), ip, vpce, M_SONNET2, "InvokeModel", label=label)
    t = nxt(t)
    ip, _ = sess.net(rng, "dynamodb")
    service.append(ag.emit(t, ddb(ag, t, sess.ident(t), ip, UA_AGENT, "us-east-1", T_CLAIMS, "PutItem")))
    allr = [r for r in recs + service if r is not None]
    if label:
        w.nm("N02", *allr)
        sr = [r for r in service if r is not None]
        if sr:
            w.nm("N05", *sr)
    return allr


ENGINEERS_A = ["kchen@example.com", "amir.haddad@example.com", "lena.voss@example.com"]


def mleng_ident(ac, who, t):
    # SSO permission-set session: credentials per sign-in (~8 h); one session per engineer and day.
    return sso_ident(R_MLENG_A, who, t)


def engineer_ip(who, t):
    if who == "kchen@example.com" and t.hour >= 22:
        return HOME_KCHEN
    return OFFICE_A[h64(who) % len(OFFICE_A)]


def gen_docs(w):
    """Docs assistant: starter-toolkit runtime in PUBLIC network mode; the agent's calls leave from AWS-owned
    addresses, a different one per microVM. Invoked by ML engineers (InvokeAgentRuntime from the office)."""
    ac = Actor(w, "docs-callers")
    ag = Actor(w, "docs-agent")
    w.near_miss("N03", ["agent-role-outside-runtime", "unknown-source-ip"], [R_DOCS, R_RESEARCH, R_SANDBOX],
                "AgentCore Runtime in PUBLIC network mode: the execution role's calls come from AWS-owned public "
                "addresses, a new one for each runtime session (microVM)",
                docs=["Configure Amazon Bedrock AgentCore Runtime and tools for VPC (PUBLIC network mode)",
                      "AWS IP address ranges (ip-ranges.json)"])
    w.near_miss("N14", ["cross-account-access", "unknown-source-ip", "long-term-credentials"], "account:anonymous",
                "AgentCore Gateway calls authorised with an inbound OAuth (JWT) token: userIdentity "
                "{type AWSAccount, accountId anonymous}; not another AWS account",
                docs=["Understanding Amazon Bedrock AgentCore Gateway CloudTrail events"])
    sessions = []
    for d in range(DAYS):
        day0 = T(d)
        if not weekday(day0):
            continue
        for h in range(13, 24):
            for _ in range(ac.rng.randint(1, 4)):
                t = day0 + dt.timedelta(hours=h, seconds=ac.rng.randrange(0, 3300))
                who = ac.rng.choice(ENGINEERS_A)
                sessions.append((t, who, ac.rng.choice([1, 2, 3, 4, 5])))
    for t, who, turns in sessions:
        docs_conversation(w, ac, ag, t, who, turns)
    return ac, ag


def docs_conversation(w, ac, ag, t, who, turns, incident_turn=None, incident_fn=None):
    sess = RuntimeSession(ag, R_DOCS, t + dt.timedelta(milliseconds=300), public_net("us-east-1"))
    out = []
    for i in range(turns):
        ti = t + dt.timedelta(seconds=i * ac.rng.randrange(60, 300))
        if ti >= END - dt.timedelta(minutes=3):
            break
        r = ac.emit(ti, invoke_agent_runtime(ac, ti, mleng_ident(ac, who, ti), engineer_ip(who, ti), UA_MAC, R_DOCS, sess.sid))
        if incident_turn is None:
            w.nm("N13", r)
        out.append(r)
        out += docs_turn(w, ag, sess, ti + dt.timedelta(seconds=1), first=(i == 0), actor=who,
                         label=(incident_turn is None))
        if incident_turn is not None and i == incident_turn:
            out += incident_fn(w, ag, sess, ti + dt.timedelta(seconds=20))
    if incident_turn is None:
        w.nm("N04", *[r for r in sess.assume_records if r])
    return sess, out


def docs_turn(w, ag, sess, t, first, actor, label=True):
    rng = ag.rng
    recs, service = [], []
    nxt = lambda tt: tt + dt.timedelta(milliseconds=rng.randrange(200, 3000))
    ident = sess.ident(t)
    ip, _ = sess.net(rng, "any")
    if first:
        for r in get_secret(ag, t, ident, ip, UA_AGENT, "us-east-1", SECRET_DOCS):
            service.append(ag.emit(t, r))
    t = nxt(t)
    service.append(ag.emit(t, memory_call(ag, t, ident, ip, UA_AGENT, "us-east-1", MEM_DOCS, "RetrieveMemoryRecords",
                                          actor.split("@")[0], sess.sid)))
    for _ in range(rng.choice([1, 2, 3])):
        t = nxt(t)
        service.append(ag.emit(t, s3_object(ag, t, sess.ident(t), ip, UA_AGENT, "us-east-1", B_DOCS,
                                            f"confluence-export/{rng.choice(['eng', 'hr', 'security', 'platform'])}/"
                                            f"{token(HEX, 10, 'doc', rng.random())}.html")))
    if rng.random() < 0.35:
        t = nxt(t)
        g = gateway_call(ag, t, ip)
        r = ag.emit(t, g)
        if label and r is not None:
            w.nm("N14", r)
    for _ in range(rng.choice([1, 1, 2])):
        t = nxt(t) + dt.timedelta(seconds=rng.randrange(1, 8))
        recs += agent_invoke(w, ag, sess, t, sess.ident(t), ip, None, M_SONNET37_PROFILE, "ConverseStream", label=label)
    allr = [r for r in recs + service if r is not None]
    if label:
        w.nm("N03", *allr)
        sr = [r for r in service if r is not None]
        if sr:
            w.nm("N05", *sr)
    return allr


def gateway_call(ac, t, ip):
    """InvokeGateway data event with inbound OAuth: userIdentity AWSAccount/anonymous, JWT claims in
    additionalEventData (AgentCore Developer Guide "Understanding Amazon Bedrock AgentCore Gateway CloudTrail
    events")."""
    req = {"body": {"id": ac.rng.randrange(1, 50), "method": "tools/call",
                    "params": {"name": ac.rng.choice(["JiraTarget___SearchIssues", "ConfluenceTarget___GetPage"]),
                               "arguments": "REDACTED"}, "jsonrpc": "2.0"}}
    resp = {"body": {"jsonrpc": "2.0", "id": req["body"]["id"], "result": {"isError": False, "content": "REDACTED"}},
            "contentType": "application/json", "statusCode": 200}
    iat = int(t.timestamp()) - ac.rng.randrange(60, 3000)
    addl = {"targetId": "7KQ2M9XWBA", "jwt": {"headers": {"kid": token(ALNUM, 43, "kid") + "=", "alg": "RS256"},
                                                "claims": {"sub": token(HEX, 26, "sub"), "token_use": "access",
                                                           "scope": "docs-gw/invoke", "auth_time": iat,
                                                           "iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Qx7Rk2Lm9",
                                                           "exp": iat + 3600, "iat": iat, "version": 2,
                                                           "jti": ac.uuid()}, "type": "JWS"}}
    r = ac.rec(t, "bedrock-agentcore.amazonaws.com", "InvokeGateway", "us-east-1",
               {"type": "AWSAccount", "principalId": "", "accountId": "anonymous"}, ip, UA_AGENT_HTTPX, req=req,
               resp=resp, addl=addl, resources=[{"accountId": A, "type": "AWS::BedrockAgentCore::Gateway", "ARN": GW_DOCS}],
               mgmt=False, recipient=A, shared=True, read_only=False, tls="TLSv1.2",
               host="docs-tools-gw-5e7a1c3b-q8rjx2mz4k.gateway.bedrock-agentcore.us-east-1.amazonaws.com")
    return r


def gen_research(w):
    """Research agent in eu-central-1, PUBLIC mode; invoked by an EU engineer during EU hours."""
    ac = Actor(w, "research-callers")
    ag = Actor(w, "research-agent")
    for d in range(DAYS):
        day0 = T(d)
        if not weekday(day0):
            continue
        for h in range(7, 17):
            for _ in range(ac.rng.randint(0, 3)):
                t = day0 + dt.timedelta(hours=h, seconds=ac.rng.randrange(0, 3300))
                who = "marta.nowak@example.com"
                ip = HOME_MARTA if h < 9 else OFFICE_A[2]
                sess = RuntimeSession(ag, R_RESEARCH, t + dt.timedelta(milliseconds=300), public_net("eu-central-1"))
                for i in range(ac.rng.choice([1, 2, 3])):
                    ti = t + dt.timedelta(seconds=i * ac.rng.randrange(60, 400))
                    w.nm("N13", ac.emit(ti, invoke_agent_runtime(ac, ti, mleng_ident(ac, who, ti), ip, UA_MAC,
                                                                  R_RESEARCH, sess.sid)))
                    tt = ti + dt.timedelta(seconds=1)
                    ident = sess.ident(tt)
                    aip, _ = sess.net(ag.rng, "any")
                    recs, service = [], []
                    for _ in range(ag.rng.choice([1, 2, 3])):
                        tt += dt.timedelta(milliseconds=ag.rng.randrange(300, 3000))
                        service.append(ag.emit(tt, s3_object(ag, tt, ident, aip, UA_AGENT, "eu-central-1", B_RESEARCH,
                                                             f"arxiv/2025/{ag.rng.randrange(2501, 2509)}.{ag.rng.randrange(10000, 19999)}.pdf")))
                    for _ in range(ag.rng.choice([1, 2, 2, 3])):
                        tt += dt.timedelta(seconds=ag.rng.randrange(2, 12))
                        recs += agent_invoke(w, ag, sess, tt, sess.ident(tt), aip, None, M_SONNET, "InvokeModel")
                    allr = [r for r in recs + service if r is not None]
                    w.nm("N03", *allr)
                    if any(service):
                        w.nm("N05", *[r for r in service if r])
                w.nm("N04", *[r for r in sess.assume_records if r])


def gen_nightly(w):
    """Nightly report agent (us-west-2, VPC endpoints), started at 04:00 every night by a scheduled Lambda; one
    long runtime session whose credentials are re-issued after about an hour."""
    sc = Actor(w, "report-scheduler")
    ag = Actor(w, "nightly-agent")
    w.near_miss("N16", ["agent-role-outside-runtime", "unknown-source-ip", "invocation-spike"], R_NIGHTLY,
                "one long runtime session every night 04:00-05:40: a second AssumeRole by bedrock-agentcore about an "
                "hour in (new ASIA key within the same session), calls through VPC endpoints")
    for d in range(DAYS):
        t = T(d, 4, 0, sc.rng.randrange(2, 40))
        env = ServiceSession(sc, R_REPORT_SCHED, "lambda.amazonaws.com", "us-west-2", "report-scheduler",
                             t - dt.timedelta(seconds=3), near="N13")
        lip = aws_ip(sc.rng, "us-west-2")
        sess = RuntimeSession(ag, R_NIGHTLY, t + dt.timedelta(milliseconds=300), nightly_net)
        w.nm("N13", sc.emit(t, invoke_agent_runtime(sc, t, env.ident(), lip, UA_PY_LAMBDA, R_NIGHTLY, sess.sid)))
        tt = t + dt.timedelta(seconds=2)
        n = sc.rng.randint(50, 70)
        span = sc.rng.randint(80, 100) * 60
        for i in range(n):
            tt = t + dt.timedelta(seconds=2 + span * i / n + ag.rng.randrange(0, 20))
            ip, vpce = sess.net(ag.rng, "bedrock-runtime")
            w.nm("N16", *agent_invoke(w, ag, sess, tt, sess.ident(tt), ip, vpce, M_HAIKU35, "Converse"))
            if i % 10 == 9:
                ip, vpce = sess.net(ag.rng, "dynamodb")
                r = ag.emit(tt, ddb(ag, tt + dt.timedelta(seconds=1), sess.ident(tt), ip, UA_AGENT, "us-west-2",
                                    T_REPORTS, "PutItem", vpce=vpce))
                w.nm("N16", r)
                w.nm("N05", r)
        w.nm("N04", *[r for r in sess.assume_records if r])
        w.nm("N16", *[r for r in sess.assume_records if r])


def gen_sandbox(w):
    """Account B sandbox agent (PUBLIC mode, us-west-2). Trail B records management events only (and, from
    2025-09-10, S3 data events of the sandbox bucket): the InvokeAgentRuntime calls themselves are not logged."""
    ag = Actor(w, "sandbox-agent")
    for d in range(DAYS):
        day0 = T(d)
        if not weekday(day0):
            continue
        for h in range(15, 24):
            for _ in range(ag.rng.choice([0, 0, 1, 1, 2])):
                t = day0 + dt.timedelta(hours=h, seconds=ag.rng.randrange(0, 3000))
                sess = RuntimeSession(ag, R_SANDBOX, t, public_net("us-west-2"))
                recs = []
                tt = t
                ip, _ = sess.net(ag.rng, "any")
                for _ in range(ag.rng.choice([1, 2, 3, 4])):
                    tt += dt.timedelta(seconds=ag.rng.randrange(5, 60))
                    recs += agent_invoke(w, ag, sess, tt, sess.ident(tt), ip, None,
                                         ag.rng.choice([M_NOVA_LITE, M_NOVA_PRO, M_HAIKU35]), "Converse")
                    if ag.rng.random() < 0.5:
                        r = ag.emit(tt, s3_object(ag, tt + dt.timedelta(seconds=1), sess.ident(tt), ip, UA_AGENT,
                                                  "us-west-2", B_SANDBOX, f"fixtures/{ag.rng.randrange(1, 40)}.json",
                                                  bucket_acct=B))
                        if r:
                            w.nm("N05", r)
                            recs.append(r)
                w.nm("N03", *[r for r in recs if r])
                w.nm("N04", *[r for r in sess.assume_records if r])


def gen_priya(w):
    """Developer with a long-term access key: every working day lists the foundation models, then invokes
    (the same pattern an LLMjacking recon rule looks for, done daily since before the baseline)."""
    ac = Actor(w, "dev-priya")
    key = akia("dev-priya")
    ident = ident_user(U_PRIYA, key)
    for d in range(DAYS):
        day0 = T(d)
        if not weekday(day0):
            continue
        ip = HOME_PRIYA if ac.rng.random() < 0.3 else OFFICE_A[0]
        t = day0 + dt.timedelta(hours=13, seconds=ac.rng.randrange(0, 3000))
        w.nm("N07", ac.emit(t, bedrock_cp(ac, t, ident, ip, UA_MAC, "us-east-1", "ListFoundationModels",
                                          req={"byOutputModality": "TEXT"})))
        t += dt.timedelta(seconds=ac.rng.randrange(90, 540))
        if ac.rng.random() < 0.4:
            w.nm("N07", ac.emit(t, bedrock_cp(ac, t, ident, ip, UA_MAC, "us-east-1", "GetFoundationModel",
                                              req={"modelIdentifier": M_SONNET2})))
            t += dt.timedelta(seconds=ac.rng.randrange(20, 120))
        models = [M_SONNET2, M_SONNET2, M_HAIKU35]
        if d >= 12:
            models.append(M_NOVA_PRO)          # tries a newly interesting model (new-model is low by default)
        for i in range(ac.rng.randint(5, 20)):
            region = "us-west-2" if ac.rng.random() < 0.15 else "us-east-1"
            w.nm("N07", ac.emit(t, invoke_model(ac, t, ident, ip, UA_MAC, region, ac.rng.choice(models),
                                                name=ac.rng.choice(["Converse", "InvokeModel"]))))
            t += dt.timedelta(seconds=ac.rng.randrange(60, 2400))
            if t.hour >= 23:
                break


def gen_lambda_batches(w):
    ac = Actor(w, "night-batch")
    w.near_miss("N08", ["invocation-spike", "unknown-source-ip"], R_NIGHT_BATCH,
                "nightly summarisation Lambda: 40-70 InvokeModel between 02:00 and 02:30 every night from the "
                "AWS-owned addresses of 1-3 new Lambda execution environments",
                docs=["AWS Lambda Developer Guide: Lambda execution environment; functions not connected to a VPC "
                      "use AWS-managed networking"])
    for d in range(DAYS):
        t0 = T(d, 2, 0, ac.rng.randrange(5, 50))
        envs = []
        for e in range(ac.rng.randint(1, 3)):
            envs.append((ServiceSession(ac, R_NIGHT_BATCH, "lambda.amazonaws.com", "us-west-2", "nightly-summarizer",
                                        t0 + dt.timedelta(seconds=e * 7), near="N08"), aws_ip(ac.rng, "us-west-2")))
        n = ac.rng.randint(40, 70)
        span = ac.rng.randint(15, 25) * 60
        for i in range(n):
            ss, ip = envs[i % len(envs)]
            t = t0 + dt.timedelta(seconds=10 + span * i / n + ac.rng.randrange(0, 10))
            err = "ThrottlingException" if ac.rng.random() < 0.01 else None
            r = ac.emit(t, invoke_model(ac, t, ss.ident(), ip, UA_NODE_LAMBDA, "us-west-2", M_HAIKU,
                                        name="InvokeModel", err=err,
                                        msg="Too many requests, please wait before trying again." if err else None))
            w.nm("N08", r)
            if err:
                w.nm("N06", r)
                t2 = t + dt.timedelta(seconds=2)
                w.nm("N08", ac.emit(t2, invoke_model(ac, t2, ss.ident(), ip, UA_NODE_LAMBDA, "us-west-2", M_HAIKU,
                                                     name="InvokeModel")))
    kb = Actor(w, "kb-sync")
    w.near_miss("N10", ["invocation-spike", "unknown-source-ip"], R_KB_SYNC,
                "weekly re-embedding job: 250-320 InvokeModel (Titan embeddings) every Monday 06:00-06:35, seen in the "
                "baseline (Monday 2025-09-01) and again on the following Mondays, from the AWS-owned addresses of new "
                "Lambda execution environments",
                docs=["AWS Lambda Developer Guide: Lambda execution environment; functions not connected to a VPC "
                      "use AWS-managed networking"])
    for d in range(0, DAYS, 7):
        t0 = T(d, 6, 0, kb.rng.randrange(1, 30))
        envs = []
        for e in range(kb.rng.randint(2, 4)):
            envs.append((ServiceSession(kb, R_KB_SYNC, "lambda.amazonaws.com", "us-east-1", "kb-embedding-sync",
                                        t0 + dt.timedelta(seconds=e * 3), near="N13"), aws_ip(kb.rng, "us-east-1")))
        n = kb.rng.randint(250, 320)
        span = kb.rng.randint(25, 35) * 60
        for i in range(n):
            ss, ip = envs[i % len(envs)]
            t = t0 + dt.timedelta(seconds=5 + span * i / n + kb.rng.randrange(0, 5))
            w.nm("N10", kb.emit(t, invoke_model(kb, t, ss.ident(), ip, UA_PY_LAMBDA, "us-east-1", M_TITAN_EMB,
                                                name="InvokeModel")))


def console_read(ac, t, ident, ip, source, name, region, req=None, ua=UA_CONSOLE):
    return ac.rec(t, source, name, region, ident, ip, ua, req=req, console=True, version="1.10")


ADMIN_READS = [
    ("ec2.amazonaws.com", "DescribeInstances", "us-east-1", {"instancesSet": {}, "filterSet": {}}),
    ("ec2.amazonaws.com", "DescribeVpcEndpoints", "us-east-1", {"vpcEndpointIdSet": {}, "filterSet": {}}),
    ("iam.amazonaws.com", "ListRoles", "us-east-1", {"maxItems": 1000}),
    ("iam.amazonaws.com", "GetRole", "us-east-1", {"roleName": "AgentCoreExec-support-agent"}),
    ("cloudtrail.amazonaws.com", "DescribeTrails", "us-east-1", {"includeShadowTrails": True}),
    ("cloudtrail.amazonaws.com", "GetTrailStatus", "us-east-1", {"name": TRAIL_A}),
    ("cloudtrail.amazonaws.com", "GetEventSelectors", "us-east-1", {"trailName": TRAIL_A}),
    ("bedrock-agentcore.amazonaws.com", "ListAgentRuntimes", "us-east-1", {"maxResults": 100}),
    ("bedrock-agentcore.amazonaws.com", "GetAgentRuntime", "us-east-1", {"agentRuntimeId": RT[R_SUPPORT][2]}),
    ("bedrock-agentcore.amazonaws.com", "ListAgentRuntimeVersions", "us-east-1", {"agentRuntimeId": RT[R_SUPPORT][2]}),
    ("logs.amazonaws.com", "DescribeLogGroups", "us-east-1", {"logGroupNamePrefix": "/aws/bedrock-agentcore/runtimes/"}),
    ("kms.amazonaws.com", "ListAliases", "us-east-1", {"limit": 100}),
    ("bedrock.amazonaws.com", "GetModelInvocationLoggingConfiguration", "us-east-1", None),
    ("bedrock.amazonaws.com", "ListGuardrails", "us-east-1", {"maxResults": 100}),
]


def sso_ident(role_arn, who, t):
    # IAM Identity Center permission-set session: one set of credentials per sign-in (session duration 8 h here);
    # modelled as one session per person and 8-hour block, created just before the block.
    block = t.hour // 8
    created = t.replace(hour=block * 8, minute=0, second=0) - dt.timedelta(minutes=4, seconds=h64(who) % 200)
    return ident_role(role_arn, who, asia(role_arn, who, t.strftime("%Y%m%d"), block), created)


def gen_admins(w):
    ac = Actor(w, "admin-a")
    for d in range(DAYS):
        day0 = T(d)
        if not weekday(day0):
            continue
        for _ in range(ac.rng.randint(2, 6)):
            t = day0 + dt.timedelta(hours=ac.rng.randrange(13, 22), seconds=ac.rng.randrange(0, 3500))
            who = ac.rng.choice(["sam.ortiz@example.com", "priyanka.rao@example.com"])
            for _ in range(ac.rng.randint(1, 4)):
                src, name, region, req = ac.rng.choice(ADMIN_READS)
                ac.emit(t, console_read(ac, t, sso_ident(R_ADMIN_A, who, t), ac.rng.choice(OFFICE_A), src, name, region, req))
                t += dt.timedelta(seconds=ac.rng.randrange(4, 90))
    # Runtime update on 2025-09-09: new version of the support agent (its ENIs are replaced).
    t = T(8, 14, 2, 40)
    ac.emit(t, ac.rec(t, "bedrock-agentcore.amazonaws.com", "UpdateAgentRuntime", "us-east-1",
                      sso_ident(R_ADMIN_A, "sam.ortiz@example.com", t), OFFICE_A[1], UA_CONSOLE,
                      req={"agentRuntimeId": RT[R_SUPPORT][2],
                           "agentRuntimeArtifact": {"containerConfiguration": {
                               "containerUri": f"{A}.dkr.ecr.us-east-1.amazonaws.com/support-agent:2025.09.09"}},
                           "roleArn": R_SUPPORT,
                           "networkConfiguration": {"networkMode": "VPC", "networkModeConfig": {
                               "subnets": ["subnet-0a7c4e2f9b1d38654", "subnet-0b8d5f3a0c2e49765"],
                               "securityGroups": ["sg-0c9e6a4b1d3f5a876"]}}},
                      resp={"agentRuntimeArn": runtime_arn("us-east-1", A, RT[R_SUPPORT][2]),
                            "agentRuntimeId": RT[R_SUPPORT][2], "agentRuntimeVersion": "7", "status": "UPDATING"},
                      console=True))
    # Trail A: add AgentCore Memory and Gateway data events. An advanced-selector PutEventSelectors REPLACES all
    # selectors, so the request repeats the management and existing data selectors (CloudTrail API Reference
    # "PutEventSelectors"; AgentCore Developer Guide "Enable CloudTrail data event logging for Amazon Bedrock
    # AgentCore Gateway resources"). There is no PutAdvancedEventSelectors API: advanced selectors are a
    # parameter of PutEventSelectors.
    sel = advanced_selectors_a(with_memgw=True)
    t = A_ADD_MEMGW
    r = ac.emit(t, ac.rec(t, "cloudtrail.amazonaws.com", "PutEventSelectors", "us-east-1",
                          sso_ident(R_ADMIN_A, "sam.ortiz@example.com", t), OFFICE_A[1],
                          UA_CLI_MAC.replace("sts.assume-role", "cloudtrail.put-event-selectors"),
                          req={"trailName": "org-audit-trail", "advancedEventSelectors": sel},
                          resp={"trailARN": TRAIL_A, "advancedEventSelectors": sel}, version="1.11"))
    w.nm("N11", r)
    t = A_UPDATE_TRAIL
    req = {"name": TRAIL_A, "isMultiRegionTrail": True, "includeGlobalServiceEvents": True,
           "enableLogFileValidation": True, "kmsKeyId": KMS_TRAIL}
    r = ac.emit(t, ac.rec(t, "cloudtrail.amazonaws.com", "UpdateTrail", "us-east-1",
                          sso_ident(R_ADMIN_A, "priyanka.rao@example.com", t), OFFICE_A[0], UA_CONSOLE,
                          req=req, resp={"name": "org-audit-trail", "s3BucketName": f"aws-cloudtrail-logs-{A}-org",
                                         "includeGlobalServiceEvents": True, "isMultiRegionTrail": True,
                                         "trailARN": TRAIL_A, "logFileValidationEnabled": True,
                                         "kmsKeyId": KMS_TRAIL, "isOrganizationTrail": False},
                          console=True))
    w.nm("N11", r)

    # Account B administrators and developers.
    bc = Actor(w, "admin-b")
    for d in range(DAYS):
        day0 = T(d)
        if not weekday(day0):
            continue
        for _ in range(bc.rng.randint(1, 4)):
            t = day0 + dt.timedelta(hours=bc.rng.randrange(14, 23), seconds=bc.rng.randrange(0, 3500))
            for _ in range(bc.rng.randint(1, 3)):
                src, name, req = bc.rng.choice([
                    ("ec2.amazonaws.com", "DescribeInstances", {"instancesSet": {}, "filterSet": {}}),
                    ("iam.amazonaws.com", "ListRoles", {"maxItems": 1000}),
                    ("bedrock-agentcore.amazonaws.com", "ListAgentRuntimes", {"maxResults": 100}),
                    ("bedrock-agentcore.amazonaws.com", "GetAgentRuntime", {"agentRuntimeId": RT[R_SANDBOX][2]}),
                    ("cloudtrail.amazonaws.com", "GetEventSelectors", {"trailName": TRAIL_B})])
                who = bc.rng.choice(["devops@example.com", "tomas.berg@example.com"])
                role_arn = R_ADMIN_B if who == "devops@example.com" else R_DEV_B
                bc.emit(t, console_read(bc, t, sso_ident(role_arn, who, t), bc.rng.choice(OFFICE_B), src, name, "us-west-2", req))
                t += dt.timedelta(seconds=bc.rng.randrange(4, 120))
            if bc.rng.random() < 0.5:
                who = "tomas.berg@example.com"
                for _ in range(bc.rng.randint(1, 6)):
                    t += dt.timedelta(seconds=bc.rng.randrange(10, 300))
                    bc.emit(t, invoke_model(bc, t, sso_ident(R_DEV_B, who, t), OFFICE_B[0], UA_CONSOLE, "us-west-2",
                                            bc.rng.choice([M_NOVA_LITE, M_HAIKU35]), name="Converse"))
    t = B_ADD_S3
    sel = [{"readWriteType": "All", "includeManagementEvents": True,
            "dataResources": [{"type": "AWS::S3::Object", "values": [f"arn:aws:s3:::{B_SANDBOX}/"]}],
            "excludeManagementEventSources": []}]
    r = bc.emit(t, bc.rec(t, "cloudtrail.amazonaws.com", "PutEventSelectors", "us-west-2",
                          sso_ident(R_ADMIN_B, "devops@example.com", t), OFFICE_B[0], UA_CONSOLE,
                          req={"trailName": "dev-management-events", "eventSelectors": sel},
                          resp={"trailARN": TRAIL_B, "eventSelectors": sel}, console=True))
    w.nm("N11", r)


def advanced_selectors_a(with_memgw):
    sel = [{"name": "Management events", "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]},
           {"name": "Agent buckets", "fieldSelectors": [
               {"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]},
               {"field": "resources.ARN", "startsWith": sorted(f"arn:aws:s3:::{b}/" for b in A_S3_BUCKETS)}]},
           {"name": "Agent tables", "fieldSelectors": [
               {"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::DynamoDB::Table"]},
               {"field": "resources.ARN", "equals": sorted(f"arn:aws:dynamodb:{r}:{A}:table/{t}" for r, t in
                                                           [("us-east-1", T_TICKETS), ("us-east-1", T_CLAIMS),
                                                            ("us-west-2", T_REPORTS)])}]},
           {"name": "AgentCore runtimes", "fieldSelectors": [
               {"field": "eventCategory", "equals": ["Data"]},
               {"field": "resources.type", "equals": ["AWS::BedrockAgentCore::Runtime"]}]}]
    if with_memgw:
        sel += [{"name": "AgentCore memory", "fieldSelectors": [
                    {"field": "eventCategory", "equals": ["Data"]},
                    {"field": "resources.type", "equals": ["AWS::BedrockAgentCore::Memory"]}]},
                {"name": "AgentCore gateways", "fieldSelectors": [
                    {"field": "eventCategory", "equals": ["Data"]},
                    {"field": "resources.type", "equals": ["AWS::BedrockAgentCore::Gateway"]}]}]
    return sel


def gen_mleng(w):
    ac = Actor(w, "mleng-bedrock")
    for d in range(DAYS):
        day0 = T(d)
        if not weekday(day0):
            continue
        for who in ENGINEERS_A:
            for _ in range(ac.rng.randint(0, 6)):
                t = day0 + dt.timedelta(hours=ac.rng.randrange(13, 22), seconds=ac.rng.randrange(0, 3500))
                region = "us-west-2" if ac.rng.random() < 0.2 else "us-east-1"
                ac.emit(t, invoke_model(ac, t, mleng_ident(ac, who, t), engineer_ip(who, t), UA_MAC, region,
                                        ac.rng.choice([M_SONNET2, M_HAIKU35, M_NOVA_PRO]), name="Converse"))


def gen_users(w):
    # svc-analytics-export: nightly Athena export from the on-prem server (its only activity before the theft).
    ac = Actor(w, "svc-analytics")
    ident = ident_user(U_ANALYTICS, akia("svc-analytics-export"))
    for d in range(DAYS):
        t = T(d, 1, 10, ac.rng.randrange(0, 600))
        qid = ac.uuid()
        ac.emit(t, ac.rec(t, "athena.amazonaws.com", "StartQueryExecution", "us-east-1", ident, DC_ANALYTICS,
                          UA_JAVA_ONPREM, req={"queryString": "HIDDEN_DUE_TO_SECURITY_REASONS", "workGroup": "analytics",
                                               "queryExecutionContext": {"database": "sales"}},
                          resp={"queryExecutionId": qid}, tls="TLSv1.2"))
        for k in range(ac.rng.randint(2, 4)):
            t += dt.timedelta(seconds=ac.rng.randrange(5, 40))
            ac.emit(t, ac.rec(t, "athena.amazonaws.com", "GetQueryExecution", "us-east-1", ident, DC_ANALYTICS,
                              UA_JAVA_ONPREM, req={"queryExecutionId": qid}, tls="TLSv1.2"))
        t += dt.timedelta(seconds=3)
        ac.emit(t, ac.rec(t, "athena.amazonaws.com", "GetQueryResults", "us-east-1", ident, DC_ANALYTICS,
                          UA_JAVA_ONPREM, req={"queryExecutionId": qid, "maxResults": 1000}, tls="TLSv1.2"))
    # contractor-jlee: CodeBuild on working days from his usual address.
    cc = Actor(w, "contractor")
    ident = ident_user(U_CONTRACTOR, akia("contractor-jlee"))
    for d in range(DAYS):
        if not weekday(T(d)):
            continue
        for _ in range(cc.rng.randint(1, 4)):
            t = T(d, cc.rng.randrange(9, 17), cc.rng.randrange(0, 59), cc.rng.randrange(0, 59))
            bid = f"payments-service:{cc.uuid()}"
            cc.emit(t, cc.rec(t, "codebuild.amazonaws.com", "StartBuild", "us-east-1", ident, "81.2.69.142", UA_CLI_MAC,
                              req={"projectName": "payments-service"}, resp={"build": {"id": bid}}))
            for _ in range(cc.rng.randint(1, 3)):
                t += dt.timedelta(seconds=cc.rng.randrange(30, 300))
                cc.emit(t, cc.rec(t, "codebuild.amazonaws.com", "BatchGetBuilds", "us-east-1", ident, "81.2.69.142",
                                  UA_CLI_MAC, req={"ids": [bid]}))
    # build-bot (account B): CI pushes images on working days from GitHub-hosted runners.
    bb = Actor(w, "build-bot")
    ident = ident_user(U_BUILDBOT, akia("build-bot"))
    for d in range(DAYS):
        if not weekday(T(d)):
            continue
        for _ in range(bb.rng.randint(2, 6)):
            t = T(d, bb.rng.randrange(14, 23), bb.rng.randrange(0, 59), bb.rng.randrange(0, 59))
            ip = bb.rng.choice(GHA_IPS)
            for name, src, req in [("GetCallerIdentity", "sts.amazonaws.com", None),
                                   ("GetAuthorizationToken", "ecr.amazonaws.com", None),
                                   ("PutImage", "ecr.amazonaws.com", {"repositoryName": "sandbox-agent",
                                                                      "imageTag": token(HEX, 7, "sha", t)}),
                                   ("DescribeStacks", "cloudformation.amazonaws.com", {"stackName": "sandbox-agent"})]:
                t += dt.timedelta(seconds=bb.rng.randrange(2, 40))
                bb.emit(t, bb.rec(t, src, name, "us-west-2", ident, ip, UA_GHA, req=req))


def gen_workloads(w):
    """Ordinary role-session noise of EC2 / Lambda / ECS workloads and AWS service calls."""
    ec = Actor(w, "webapp-ec2")
    instances = [("i-0" + token(HEX, 16, "inst", k), NAT_WEB[k % 2]) for k in range(4)]
    sessions = {}
    for d in range(DAYS):
        for k, (iid, ip) in enumerate(instances):
            for slot in range(48):
                t = T(d, slot // 2, (slot % 2) * 30 + (k * 7) % 30, ec.rng.randrange(0, 60))
                period = (t - START).total_seconds() // 21600      # instance-profile credentials ~6 h
                key = (k, period)
                if key not in sessions:
                    t0 = START + dt.timedelta(seconds=period * 21600 + 300 + k * 13)
                    t0 = min(t0, t - dt.timedelta(seconds=1))
                    sessions[key] = ServiceSession(ec, R_WEBAPP, "ec2.amazonaws.com", "us-east-1", iid, t0, ec2=True,
                                                   near="N13")
                ident = sessions[key].ident()
                w.nm("N13", ec.emit(t, ec.rec(t, "ssm.amazonaws.com", "UpdateInstanceInformation", "us-east-1", ident,
                                              ip, UA_SSM, req={"instanceId": iid, "agentVersion": "3.3.2746.0",
                                                               "agentStatus": "Active", "platformType": "Linux",
                                                               "platformName": "Amazon Linux"})))
                if slot % 2 == 0:
                    t2 = t + dt.timedelta(seconds=ec.rng.randrange(1, 600))
                    src, name, req = ec.rng.choice([
                        ("ec2.amazonaws.com", "DescribeTags", {"filterSet": {"items": [{"name": "resource-id", "valueSet": {"items": [{"value": iid}]}}]}}),
                        ("kms.amazonaws.com", "Decrypt", {"encryptionAlgorithm": "SYMMETRIC_DEFAULT"}),
                        ("logs.amazonaws.com", "DescribeLogStreams", {"logGroupName": "/webapp/access"}),
                        ("sts.amazonaws.com", "GetCallerIdentity", None)])
                    w.nm("N13", ec.emit(t2, ec.rec(t2, src, name, "us-east-1", sessions[key].ident(), ip, UA_EC2_PY,
                                                   req=req)))
    lc = Actor(w, "orders-lambda")
    for d in range(DAYS):
        for _ in range(lc.rng.randint(8, 15)):
            t = T(d, lc.rng.randrange(0, 24), lc.rng.randrange(0, 59), lc.rng.randrange(0, 59))
            ss = ServiceSession(lc, R_ORDERS, "lambda.amazonaws.com", "us-east-1", "order-processor", t, near="N13")
            ip = aws_ip(lc.rng, "us-east-1")
            for r in get_secret(lc, t + dt.timedelta(seconds=1), ss.ident(), ip, UA_NODE_LAMBDA, "us-east-1", SECRET_ORDERS):
                w.nm("N13", lc.emit(t + dt.timedelta(seconds=1), r))
    cf = Actor(w, "config")
    for d in range(DAYS):
        for h in range(0, 24, 3):
            t = T(d, h, 17, cf.rng.randrange(0, 60))
            ident = ident_role(R_CONFIG_A, "AWSConfig-Describe", asia(R_CONFIG_A, d, h), t - dt.timedelta(minutes=2),
                               invoked_by="config.amazonaws.com")
            for src, name in [("ec2.amazonaws.com", "DescribeInstances"), ("iam.amazonaws.com", "GetRole"),
                              ("ec2.amazonaws.com", "DescribeSecurityGroups")]:
                w.nm("N13", cf.emit(t, cf.rec(t, src, name, "us-east-1", ident, "config.amazonaws.com",
                                              "config.amazonaws.com", req=None)))
                t += dt.timedelta(seconds=1)
    # CloudTrail's own KMS calls once the trail is encrypted (after the UpdateTrail of 2025-09-11).
    ct = Actor(w, "cloudtrail-kms")
    t = A_UPDATE_TRAIL + dt.timedelta(minutes=3)
    while t < END:
        for region in ("us-east-1", "us-west-2", "eu-central-1"):
            r = ct.rec(t, "kms.amazonaws.com", "GenerateDataKey", region, ident_service("cloudtrail.amazonaws.com"),
                       "cloudtrail.amazonaws.com", "cloudtrail.amazonaws.com",
                       req={"keySpec": "AES_256", "encryptionContext": {"aws:cloudtrail:arn": TRAIL_A,
                                                                        "aws:s3:arn": f"arn:aws:s3:::aws-cloudtrail-logs-{A}-org/AWSLogs/{A}/CloudTrail/{region}/{t:%Y/%m/%d}/"},
                            "keyId": KMS_TRAIL},
                       resources=[{"accountId": A, "type": "AWS::KMS::Key", "ARN": KMS_TRAIL}], recipient=A,
                       shared=True)
            w.nm("N13", ct.emit(t, r))
        t += dt.timedelta(minutes=15, seconds=ct.rng.randrange(0, 40))
    # Account B: CI runner instance role.
    ci = Actor(w, "ci-runner-b")
    for d in range(DAYS):
        for h in range(24):
            t = T(d, h, ci.rng.randrange(0, 59), ci.rng.randrange(0, 59))
            iid = "i-0" + token(HEX, 16, "cib")
            ident = ident_role(R_CI_B, iid, asia(R_CI_B, d, h // 6), T(d, (h // 6) * 6, 4), ec2=True)
            w.nm("N13", ci.emit(t, ci.rec(t, "ec2.amazonaws.com", ci.rng.choice(["DescribeInstances", "DescribeTags"]),
                                          "us-west-2", ident, NAT_CI_B[0], UA_EC2_PY, req={"filterSet": {}})))
    # Partner account reads the shared export bucket daily (cross-account S3, not Bedrock).
    pc = Actor(w, "partner-s3")
    w.near_miss("N15", ["cross-account-access"], R_PARTNER,
                "partner account reads objects of the shared export bucket every morning (cross-account S3 data "
                "event, not a Bedrock/AgentCore call)")
    for d in range(DAYS):
        t = T(d, 6, pc.rng.randrange(0, 40), pc.rng.randrange(0, 60))
        ident = ident_role(R_PARTNER, "nightly-sync", asia(R_PARTNER, d), t - dt.timedelta(minutes=1))
        for k in range(3):
            t += dt.timedelta(seconds=pc.rng.randrange(1, 20))
            w.nm("N15", pc.emit(t, s3_object(pc, t, ident, PARTNER_IPS[0], UA_PY_LAMBDA, "us-east-1", B_SHARED,
                                             f"exports/{t:%Y-%m-%d}/part-{k:04d}.parquet")))
    # Root of account B: a forgotten root access key used once by an old script; an SCP denies it.
    rc = Actor(w, "root-b")
    w.near_miss("N12", ["root-activity"], ROOT_B,
                "Root of account B makes one read that fails (explicit deny in a service control policy); Root of "
                "account A does nothing until the incident. At >= medium nothing should be reported for these",
                docs=["AWS Organizations User Guide: SCPs affect the root user of member accounts",
                      "IAM User Guide: Root user best practices"])
    t = T(10, 4, 0, 21)
    w.nm("N12", rc.emit(t, rc.rec(t, "iam.amazonaws.com", "GetAccountSummary", "us-east-1",
                                  ident_root(B, akia("root-b")), "203.0.113.41", UA_EC2_PY, err="AccessDenied",
                                  msg=f"User: arn:aws:iam::{B}:root is not authorized to perform: iam:GetAccountSummary "
                                      f"with an explicit deny in a service control policy")))


# ---------------------------------------------------------------------------------------------------------
# Injected incidents (all after INJECT_AFTER, i.e. after the first 30 % of the window)
# ---------------------------------------------------------------------------------------------------------
def denied(ac, t, ident, ip, ua, source, name, region, req=None, code="AccessDenied", resource=None):
    arn = ident["arn"]
    prefix = {"monitoring.amazonaws.com": "cloudwatch"}.get(source, source.split(".")[0])
    act = f"{prefix}:{re.sub(r'20[0-9]{6}$', '', name)}"
    if name == "ListBuckets":
        act = "s3:ListAllMyBuckets"
    on = f" on resource: {resource}" if resource else ""
    msg = f"User: {arn} is not authorized to perform: {act}{on} because no identity-based policy allows the {act} action"
    if code == "Client.UnauthorizedOperation":
        msg = "You are not authorized to perform this operation. User: " + arn + " is not authorized to perform: " + act + \
              " because no identity-based policy allows the " + act + " action. Encoded authorization failure message: " + \
              token(ALNUM, 96, "enc", t, name)
    return ac.rec(t, source, name, region, ident, ip, ua, req=req, err=code, msg=msg)


def inject(w, ctx):
    ac = Actor(w, "incidents")

    # I09 ------------------------------------------------------------------------------------------------
    t = T(7, 16, 42, 3)
    ident = ident_user(U_CONTRACTOR, akia("contractor-jlee"))
    ip = "103.251.167.20"
    recs = [ac.emit(t, ac.rec(t, "sts.amazonaws.com", "GetCallerIdentity", "us-east-1", ident, ip, UA_PACU))]
    for src, name, code, req in [
            ("iam.amazonaws.com", "ListUsers", "AccessDenied", {"maxItems": 1000}),
            ("iam.amazonaws.com", "ListRoles", "AccessDenied", {"maxItems": 1000}),
            ("iam.amazonaws.com", "ListPolicies", "AccessDenied", {"scope": "Local"}),
            ("s3.amazonaws.com", "ListBuckets", "AccessDenied", {"Host": "s3.amazonaws.com"}),
            ("ec2.amazonaws.com", "DescribeInstances", "Client.UnauthorizedOperation", {"instancesSet": {}, "filterSet": {}}),
            ("ec2.amazonaws.com", "DescribeSecurityGroups", "Client.UnauthorizedOperation", {"securityGroupSet": {}, "filterSet": {}}),
            ("secretsmanager.amazonaws.com", "ListSecrets", "AccessDeniedException", None),
            ("kms.amazonaws.com", "ListKeys", "AccessDeniedException", {"limit": 1000}),
            ("lambda.amazonaws.com", "ListFunctions20150331", "AccessDeniedException", None),
            ("dynamodb.amazonaws.com", "ListTables", "AccessDeniedException", None),
            ("bedrock.amazonaws.com", "ListFoundationModels", "AccessDeniedException", {}),
            ("bedrock-agentcore.amazonaws.com", "ListAgentRuntimes", "AccessDeniedException", {"maxResults": 100}),
            ("cloudtrail.amazonaws.com", "DescribeTrails", "AccessDeniedException", {"includeShadowTrails": True}),
            ("organizations.amazonaws.com", "DescribeOrganization", "AccessDeniedException", None),
            ("sns.amazonaws.com", "ListTopics", "AuthorizationError", None)]:
        t += dt.timedelta(seconds=ac.rng.randrange(4, 25))
        recs.append(ac.emit(t, denied(ac, t, ident, ip, UA_PACU, src, name, "us-east-1", req=req, code=code)))
    w.incident("I09", "denied-burst", U_CONTRACTOR,
               "contractor's AKIA key from a new address: GetCallerIdentity, then 15 distinct actions denied within "
               "about 5 minutes (enumeration)", recs,
               also=[("denied-calls", U_CONTRACTOR), ("unknown-source-ip", U_CONTRACTOR),
                     ("long-term-credentials", U_CONTRACTOR)])

    # I02 + I10 -------------------------------------------------------------------------------------------
    ident = ident_user(U_ANALYTICS, akia("svc-analytics-export"))
    ip = "185.220.101.47"
    t = T(9, 3, 17, 41)
    recs = [ac.emit(t, ac.rec(t, "sts.amazonaws.com", "GetCallerIdentity", "us-east-1", ident, ip, UA_ATTACKER))]
    t += dt.timedelta(seconds=38)
    recs.append(ac.emit(t, bedrock_cp(ac, t, ident, ip, UA_ATTACKER, "us-east-1", "ListFoundationModels", req={})))
    for m in [M_SONNET2, M_OPUS, M_CLAUDE_V2, M_LLAMA, M_MISTRAL]:
        t += dt.timedelta(seconds=ac.rng.randrange(2, 9))
        recs.append(ac.emit(t, bedrock_cp(ac, t, ident, ip, UA_ATTACKER, "us-east-1", "GetFoundationModelAvailability",
                                          req={"modelId": m})))
    for m in [M_SONNET2, M_OPUS]:
        t += dt.timedelta(seconds=ac.rng.randrange(2, 9))
        recs.append(ac.emit(t, bedrock_cp(ac, t, ident, ip, UA_ATTACKER, "us-east-1", "ListFoundationModelAgreementOffers",
                                          req={"modelId": m})))
    for name, req in [("GetUseCaseForModelAccess", None), ("GetModelInvocationLoggingConfiguration", None),
                      ("ListProvisionedModelThroughputs", {}),
                      ("PutUseCaseForModelAccess", {"formData": "HIDDEN_DUE_TO_SECURITY_REASONS"})]:
        t += dt.timedelta(seconds=ac.rng.randrange(3, 20))
        recs.append(ac.emit(t, bedrock_cp(ac, t, ident, ip, UA_ATTACKER, "us-east-1", name, req=req)))
    for _ in range(3):   # access probing with invalid parameters (Sysdig "LLMjacking" research)
        t += dt.timedelta(seconds=ac.rng.randrange(2, 6))
        recs.append(ac.emit(t, invoke_model(ac, t, ident, ip, UA_ATTACKER, "us-east-1", M_CLAUDE_V2, name="InvokeModel",
                                            err="ValidationException", msg="max_tokens_to_sample: range: 1..1,000,000")))
    for k in range(16):
        t += dt.timedelta(seconds=ac.rng.randrange(15, 70))
        recs.append(ac.emit(t, invoke_model(ac, t, ident, ip, UA_ATTACKER, "us-east-1", M_SONNET2,
                                            name="InvokeModelWithResponseStream" if k % 4 == 3 else "InvokeModel")))
    w.incident("I02", "bedrock-recon", U_ANALYTICS,
               "stolen long-term key of a service user that never used Bedrock: GetCallerIdentity, ListFoundationModels, "
               "GetFoundationModelAvailability x5, ListFoundationModelAgreementOffers x2, GetUseCaseForModelAccess, "
               "GetModelInvocationLoggingConfiguration, ListProvisionedModelThroughputs, PutUseCaseForModelAccess, "
               "3 InvokeModel ValidationException probes, then 16 successful invocations (9 of the 14 recon actions; "
               "first invoke about 6 minutes after ListFoundationModels)", recs,
               also=[("long-term-credentials", U_ANALYTICS), ("unknown-source-ip", U_ANALYTICS),
                     ("model-access-change", U_ANALYTICS), ("new-model", U_ANALYTICS)],
               docs=["Sysdig: LLMjacking: Stolen Cloud Credentials Used in New AI Attack",
                     "Amazon Bedrock User Guide: Monitor Amazon Bedrock API calls using CloudTrail"])
    ip2 = "194.26.29.113"
    t = T(9, 4, 2, 9)
    recs = []
    for k in range(25):
        t += dt.timedelta(seconds=ac.rng.randrange(30, 110))
        recs.append(ac.emit(t, invoke_model(ac, t, ident, ip2, UA_ATTACKER, "ap-south-1", M_HAIKU, name="InvokeModel")))
    t = T(9, 4, 31, 50)
    for k in range(20):
        t += dt.timedelta(seconds=ac.rng.randrange(30, 110))
        if k in (0, 1):
            recs.append(ac.emit(t, invoke_model(ac, t, ident, ip2, UA_ATTACKER, "eu-west-3", M_OPUS, name="InvokeModel",
                                                err="AccessDeniedException",
                                                msg="You don't have access to the model with the specified model ID.")))
        else:
            recs.append(ac.emit(t, invoke_model(ac, t, ident, ip2, UA_ATTACKER, "eu-west-3", M_SONNET,
                                                name="InvokeModelWithResponseStream")))
    w.incident("I10", "new-region", U_ANALYTICS,
               "the stolen key invokes models in ap-south-1 (25) and eu-west-3 (18, after 2 denied Opus calls), regions "
               "the account never uses", recs,
               also=[("long-term-credentials", U_ANALYTICS), ("unknown-source-ip", U_ANALYTICS),
                     ("bedrock-recon", U_ANALYTICS), ("new-model", U_ANALYTICS)])

    # I04: night-time burst of InvokeAgentRuntime by the busy-by-day frontend role ------------------------------
    fe, sag, fe_ident = ctx["support"]
    t0 = T(10, 3, 5, 9)
    n = 164
    fe_recs, ag_recs = [], []
    for i in range(n):
        t = t0 + dt.timedelta(seconds=int(1080 * i / n) + fe.rng.randrange(0, 5))
        sess = RuntimeSession(sag, R_SUPPORT, t + dt.timedelta(milliseconds=300), support_net(10))
        identf, ipf = fe_ident(t)
        fe_recs.append(fe.emit(t, invoke_agent_runtime(fe, t, identf, ipf, UA_JAVA_ECS, R_SUPPORT, sess.sid)))
        ag_recs += support_turn(w, sag, sess, t + dt.timedelta(milliseconds=800),
                                "customer-" + token("0123456789", 7, "cust", sess.sid), first=True, label=False)
        ag_recs += [r for r in sess.assume_records if r]
    w.incident("I04", "invocation-spike", R_FRONTEND,
               f"{n} InvokeAgentRuntime in 18 minutes at 03:05 UTC (the role's usual rate at that hour: 0-8 an hour; "
               f"25-45 an hour in business hours), each fanning out into the support agent's model calls",
               fe_recs + ag_recs, also=[("invocation-spike", R_SUPPORT)])

    # I01: the claims agent's execution role assumed by a human and used from a laptop ----------------------------
    t = T(11, 19, 48, 12)
    caller = mleng_ident(ac, "kchen@example.com", t)
    akid = asia("human-assume", R_CLAIMS, ts(t))
    sname = "kchen-debug"
    recs = [ac.emit(t, assume_role(ac, t, R_CLAIMS, sname, akid, "us-east-1", caller, HOME_KCHEN, UA_CLI_MAC,
                                   duration=3600))]
    ident = ident_role(R_CLAIMS, sname, akid, t)
    ua = UA_CLI_MAC.replace("sts.assume-role", "s3.cp")
    t += dt.timedelta(seconds=31)
    recs.append(ac.emit(t, ac.rec(t, "sts.amazonaws.com", "GetCallerIdentity", "us-east-1", ident, HOME_KCHEN, ua)))
    for k in range(6):
        t += dt.timedelta(seconds=ac.rng.randrange(5, 40))
        recs.append(ac.emit(t, s3_object(ac, t, ident, HOME_KCHEN, ua, "us-east-1", B_CLAIMS,
                                         f"intake/2025/09/{token(HEX, 12, 'leak', k)}.pdf")))
    for k in range(2):
        t += dt.timedelta(seconds=ac.rng.randrange(5, 30))
        recs.append(ac.emit(t, ddb(ac, t, ident, HOME_KCHEN, UA_MAC, "us-east-1", T_CLAIMS, "GetItem")))
    t += dt.timedelta(seconds=12)
    r = ddb(ac, t, ident, HOME_KCHEN, UA_MAC, "us-east-1", T_CLAIMS, "Scan")
    r["errorCode"] = "AccessDeniedException"
    r["errorMessage"] = (f"User: {ident['arn']} is not authorized to perform: dynamodb:Scan on resource: "
                         f"arn:aws:dynamodb:us-east-1:{A}:table/{T_CLAIMS} because no identity-based policy allows "
                         f"the dynamodb:Scan action")
    recs.append(ac.emit(t, r))
    t += dt.timedelta(seconds=40)
    recs += [ac.emit(t, x) for x in get_secret(ac, t, ident, HOME_KCHEN, UA_MAC, "us-east-1", SECRET_CLAIMS)]
    for k in range(3):
        t += dt.timedelta(seconds=ac.rng.randrange(20, 90))
        recs.append(ac.emit(t, invoke_model(ac, t, ident, HOME_KCHEN, UA_MAC, "us-east-1", M_SONNET2, name="InvokeModel")))
    w.incident("I01", "agent-role-outside-runtime", R_CLAIMS,
               "an ML engineer's SSO session calls sts:AssumeRole on the claims agent's execution role (its trust "
               "policy still trusts the account for debugging) and uses the key from a home laptop: S3 claim "
               "documents, DynamoDB items, the core-banking secret, Bedrock without the VPC endpoint; the key was "
               "not issued to bedrock-agentcore.amazonaws.com", recs,
               also=[("unknown-source-ip", R_CLAIMS), ("vpc-endpoint-bypass", R_CLAIMS), ("denied-calls", R_CLAIMS)],
               docs=["IAM User Guide: Logging IAM and AWS STS API calls with AWS CloudTrail (AssumeRole)",
                     "Elastic rule: AWS Bedrock AgentCore execution role used outside the runtime"])

    # I08: the docs agent (public mode) is steered into calling IAM/EC2 -------------------------------------------
    dac, dag = ctx["docs"]
    holder = {}

    def evil(w_, ag_, sess, tt):
        ident_ = sess.ident(tt)
        ip_, _ = sess.net(ag_.rng, "any")
        out = [ag_.emit(tt, ag_.rec(tt, "sts.amazonaws.com", "GetCallerIdentity", "us-east-1", ident_, ip_, UA_AGENT))]
        rn = R_DOCS.rsplit("/", 1)[1]
        for src, name, code, req, res in [
                ("iam.amazonaws.com", "ListAttachedRolePolicies", "AccessDenied", {"roleName": rn}, R_DOCS),
                ("iam.amazonaws.com", "CreateUser", "AccessDenied", {"userName": "svc-backup-sync"},
                 f"arn:aws:iam::{A}:user/svc-backup-sync"),
                ("iam.amazonaws.com", "CreateAccessKey", "AccessDenied", {"userName": "svc-backup-sync"},
                 f"arn:aws:iam::{A}:user/svc-backup-sync"),
                ("ec2.amazonaws.com", "DescribeInstances", "Client.UnauthorizedOperation", {"instancesSet": {}, "filterSet": {}}, None),
                ("ec2.amazonaws.com", "RunInstances", "Client.UnauthorizedOperation",
                 {"instancesSet": {"items": [{"imageId": "ami-0c7217cdde317cfec", "minCount": 1, "maxCount": 1}]},
                  "instanceType": "c5.4xlarge"}, None),
                ("s3.amazonaws.com", "ListBuckets", "AccessDenied", {"Host": "s3.amazonaws.com"}, None),
                ("secretsmanager.amazonaws.com", "ListSecrets", "AccessDeniedException", None, None)]:
            tt += dt.timedelta(seconds=ag_.rng.randrange(2, 15))
            out.append(ag_.emit(tt, denied(ag_, tt, ident_, ip_, UA_AGENT, src, name, "us-east-1", req=req, code=code,
                                           resource=res)))
        holder["recs"] = out
        return out
    docs_conversation(w, dac, dag, T(11, 15, 2, 33), "lena.voss@example.com", 3, incident_turn=1, incident_fn=evil)
    w.incident("I08", "agent-role-outside-runtime", R_DOCS,
               "the docs assistant (prompt injection through a retrieved page) uses its runtime-issued credentials, "
               "from its usual runtime network, to call STS, IAM (ListAttachedRolePolicies, CreateUser, "
               "CreateAccessKey), EC2 (DescribeInstances, RunInstances), S3 ListBuckets and Secrets Manager "
               "ListSecrets; its policy grants none of IAM/EC2/ListSecrets", holder["recs"],
               also=[("denied-calls", R_DOCS)])

    # I11: a partner account's role invokes the support agent runtime (resource-based policy) ---------------------
    t = T(13, 9, 30, 4)
    recs = []
    pident = lambda tt: ident_role(R_PARTNER, "agent-eval", asia(R_PARTNER, "eval"), T(13, 9, 29, 1))
    for s_ in range(4):
        ts_ = t + dt.timedelta(minutes=s_ * 6)

        def caller(ti, sid, _p=pident):
            r = fe.emit(ti, invoke_agent_runtime(fe, ti, _p(ti), PARTNER_IPS[0], UA_PY_LAMBDA, R_SUPPORT, sid, recipient=A))
            recs.append(r)
            return r
        support_conversation(w, fe, sag, ts_, 13, fe_ident, 2, caller=caller, incident=True)
    w.incident("I11", "cross-account-access", R_PARTNER,
               f"role of account {EXT} calls InvokeAgentRuntime on the support agent runtime of {A} (8 calls); the "
               f"partner never called AgentCore before", recs, also=[],
               docs=["Amazon Bedrock AgentCore Developer Guide: Resource-based policies for Amazon Bedrock AgentCore"])

    # I07: Root console sign-in without MFA from an unknown address, then console reads ---------------------------
    t = T(14, 1, 14, 5)
    rip = "45.134.26.9"
    login = ac.rec(t, "signin.amazonaws.com", "ConsoleLogin", "us-east-1", ident_root(A), rip, UA_CONSOLE_WIN,
                   req=None, resp={"ConsoleLogin": "Success"},
                   addl={"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_" + token(HEX, 16, "st"),
                         "MobileVersion": "No", "MFAUsed": "No"},
                   read_only=False, etype="AwsConsoleSignIn", version="1.09")
    recs = [ac.emit(t, login)]
    rid = ident_root(A, asia("root-console", ts(t)), created=t)
    for src, name, req in [("iam.amazonaws.com", "GetAccountSummary", None), ("iam.amazonaws.com", "ListUsers", {"maxItems": 100}),
                           ("iam.amazonaws.com", "ListAccessKeys", None),
                           ("ce.amazonaws.com", "GetCostAndUsage", {"granularity": "MONTHLY", "metrics": ["UnblendedCost"]})]:
        t += dt.timedelta(seconds=ac.rng.randrange(8, 60))
        recs.append(ac.emit(t, ac.rec(t, src, name, "us-east-1", rid, rip, UA_CONSOLE_WIN, req=req, console=True)))
    w.incident("I07", "root-activity", ROOT_A,
               "Root console sign-in without MFA from an address never seen, followed by 4 console reads", recs,
               also=[("unknown-source-ip", ROOT_A)],
               docs=["AWS CloudTrail User Guide: AWS Management Console sign-in events",
                     "IAM User Guide: Root user best practices for your AWS account"])

    # I03: ValidationException probing by a principal that never invoked a model (account B) ---------------------
    t = T(15, 22, 10, 44)
    ident = ident_user(U_BUILDBOT, akia("build-bot"))
    ip = "5.188.62.140"
    recs = []
    for region, m, code, msg in [
            ("us-east-1", M_CLAUDE_V2, "ValidationException", "max_tokens_to_sample: range: 1..1,000,000"),
            ("us-east-1", M_SONNET2, "ValidationException", "Malformed input request: #: required key [messages] not found, please reformat your input and try again."),
            ("us-east-1", M_OPUS, "AccessDeniedException", "You don't have access to the model with the specified model ID."),
            ("us-west-2", M_SONNET, "ValidationException", "Malformed input request: #: required key [messages] not found, please reformat your input and try again."),
            ("us-west-2", M_HAIKU, "ValidationException", "max_tokens: range: 1..4096"),
            ("us-west-2", M_LLAMA, "ValidationException", "Malformed input request: #: extraneous key [max_tokens_to_sample] is not permitted, please reformat your input and try again."),
            ("us-east-1", M_MISTRAL, "AccessDeniedException", "You don't have access to the model with the specified model ID."),
            ("us-east-1", M_HAIKU35, "ValidationException", "max_tokens: range: 1..8192")]:
        t += dt.timedelta(seconds=ac.rng.randrange(3, 30))
        recs.append(ac.emit(t, invoke_model(ac, t, ident, ip, UA_ATTACKER2, region, m, name="InvokeModel", err=code,
                                            msg=msg, recipient=B)))
    w.incident("I03", "bedrock-recon", U_BUILDBOT,
               "CI user's key (never invoked a model) probes 8 models: 6 InvokeModel ValidationException, 2 "
               "AccessDeniedException, from a VPS address", recs,
               also=[("long-term-credentials", U_BUILDBOT), ("unknown-source-ip", U_BUILDBOT),
                     ("denied-calls", U_BUILDBOT), ("new-model", U_BUILDBOT), ("new-region", U_BUILDBOT)])

    # I05: StopLogging with a hijacked admin console session; a remediation Lambda restarts logging --------------
    t = A_STOP - dt.timedelta(minutes=3, seconds=12)
    vip = "146.70.117.198"
    aident = sso_ident(R_ADMIN_A, "sam.ortiz@example.com", t)
    recs = []
    for name, req in [("DescribeTrails", {"includeShadowTrails": True}), ("GetTrailStatus", {"name": TRAIL_A})]:
        recs.append(ac.emit(t, console_read(ac, t, aident, vip, "cloudtrail.amazonaws.com", name, "us-east-1", req,
                                            ua=UA_CONSOLE_WIN)))
        t += dt.timedelta(seconds=ac.rng.randrange(20, 60))
    t = A_STOP
    recs.append(ac.emit(t, ac.rec(t, "cloudtrail.amazonaws.com", "StopLogging", "us-east-1", aident, vip, UA_CONSOLE_WIN,
                                  req={"name": TRAIL_A}, resp=None, console=True)))
    w.incident("I05", "audit-tampering", R_ADMIN_A,
               "StopLogging on the account's multi-region trail from an address the admin never used (session "
               "hijack); the trail delivers nothing until the remediation Lambda restarts it 4 minutes later", recs,
               also=[("unknown-source-ip", R_ADMIN_A)],
               docs=["AWS CloudTrail API Reference: StopLogging"])
    gc = Actor(w, "trailguard")
    t = A_START - dt.timedelta(seconds=2)
    ss = ServiceSession(gc, R_TRAILGUARD, "lambda.amazonaws.com", "us-east-1", "trailguard-restart", t, near="N13")
    t = A_START
    w.nm("N11", gc.emit(t, gc.rec(t, "cloudtrail.amazonaws.com", "StartLogging", "us-east-1", ss.ident(),
                                  aws_ip(gc.rng, "us-east-1"), UA_PY_LAMBDA, req={"name": TRAIL_A})))

    # I06: PutEventSelectors that stops management events on the dev trail; restored the next morning -----------
    t = B_DISABLE_MGMT - dt.timedelta(seconds=50)
    bip = "91.219.237.15"
    bident = sso_ident(R_ADMIN_B, "devops@example.com", t)
    recs = [ac.emit(t, console_read(ac, t, bident, bip, "cloudtrail.amazonaws.com", "GetEventSelectors", "us-west-2",
                                    {"trailName": "dev-management-events"}, ua=UA_CONSOLE_WIN))]
    t = B_DISABLE_MGMT
    sel = [{"readWriteType": "All", "includeManagementEvents": False,
            "dataResources": [{"type": "AWS::S3::Object", "values": [f"arn:aws:s3:::{B_SANDBOX}/"]}],
            "excludeManagementEventSources": []}]
    recs.append(ac.emit(t, ac.rec(t, "cloudtrail.amazonaws.com", "PutEventSelectors", "us-west-2", bident, bip,
                                  UA_CONSOLE_WIN, req={"trailName": "dev-management-events", "eventSelectors": sel},
                                  resp={"trailARN": TRAIL_B, "eventSelectors": sel}, console=True)))
    w.incident("I06", "audit-tampering", R_ADMIN_B,
               "PutEventSelectors with includeManagementEvents=false on account B's only trail (from an unknown "
               "address): no management event of B is delivered until it is restored the next morning", recs,
               also=[("unknown-source-ip", R_ADMIN_B)],
               docs=["AWS CloudTrail API Reference: PutEventSelectors", "AWS CloudTrail API Reference: EventSelector"])
    t = B_RESTORE_MGMT
    sel = [dict(sel[0], includeManagementEvents=True)]
    w.nm("N11", ac.emit(t, ac.rec(t, "cloudtrail.amazonaws.com", "PutEventSelectors", "us-west-2",
                                  sso_ident(R_ADMIN_B, "devops@example.com", t), OFFICE_B[1], UA_CONSOLE,
                                  req={"trailName": "dev-management-events", "eventSelectors": sel},
                                  resp={"trailARN": TRAIL_B, "eventSelectors": sel}, console=True)))


# ---------------------------------------------------------------------------------------------------------
# Policies. Agent roles get what the seed guide (shared/seed/agentcore-iam-permissions.md) grants, adapted to
# their resources, plus the execution-role statements of the AgentCore Developer Guide page "IAM Permissions for
# AgentCore Runtime" (logs; for the starter-toolkit role also ECR, X-Ray, CloudWatch, workload identity).
# ---------------------------------------------------------------------------------------------------------
def agentcore_trust(acct, region, extra_principal=None):
    st = [{"Effect": "Allow", "Principal": {"Service": "bedrock-agentcore.amazonaws.com"}, "Action": "sts:AssumeRole",
           "Condition": {"StringEquals": {"aws:SourceAccount": acct},
                         "ArnLike": {"aws:SourceArn": f"arn:aws:bedrock-agentcore:{region}:{acct}:*"}}}]
    if extra_principal:
        st.append({"Sid": "LocalDebugging", "Effect": "Allow", "Principal": {"AWS": extra_principal},
                   "Action": "sts:AssumeRole"})
    return {"Version": "2012-10-17", "Statement": st}


def service_trust(svc):
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": svc},
                                                    "Action": "sts:AssumeRole"}]}


def seed_bedrock(region):
    return {"Sid": "GrantBedrockAccess", "Effect": "Allow",
            "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
            "Resource": [f"arn:aws:bedrock:{region}::foundation-model/anthropic.claude-*"]}


def seed_s3(bucket):
    return {"Sid": "GrantS3Access", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}


def seed_ddb(region, table):
    return {"Sid": "GrantDynamoDBAccess", "Effect": "Allow",
            "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
            "Resource": f"arn:aws:dynamodb:{region}:{A}:table/{table}"}


def seed_secret(prefix):
    return [{"Sid": "AgentRoleNeedsSecret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
             "Resource": f"arn:aws:secretsmanager:us-east-1:{A}:secret:{prefix}/*"},
            {"Sid": "DecryptSecretViaSecretsManager", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": KMS_SECRETS,
             "Condition": {"StringEquals": {"kms:ViaService": "secretsmanager.us-east-1.amazonaws.com"}}}]


SEED_MEMORY = {"Sid": "MemoryServicePermissions", "Effect": "Allow",
               "Action": ["bedrock-agentcore:CreateMemory", "bedrock-agentcore:GetMemory", "bedrock-agentcore:UpdateMemory",
                          "bedrock-agentcore:DeleteMemory", "bedrock-agentcore:SearchMemory"],
               "Resource": "arn:aws:bedrock-agentcore:*:*:memory/*"}
MEMORY_DATA = {"Sid": "MemoryDataPlane", "Effect": "Allow",
               "Action": ["bedrock-agentcore:CreateEvent", "bedrock-agentcore:RetrieveMemoryRecords",
                          "bedrock-agentcore:ListEvents"],
               "Resource": "arn:aws:bedrock-agentcore:*:*:memory/*"}
SEED_GATEWAY = {"Sid": "GatewayPermissions", "Effect": "Allow",
                "Action": ["bedrock-agentcore:CreateGatewayTool", "bedrock-agentcore:InvokeGatewayTool",
                           "bedrock-agentcore:ListGatewayTools"],
                "Resource": "arn:aws:bedrock-agentcore:*:*:gateway/*"}


def runtime_logs(region, acct=A):
    return [{"Sid": "RuntimeLogGroups", "Effect": "Allow", "Action": ["logs:DescribeLogStreams", "logs:CreateLogGroup"],
             "Resource": [f"arn:aws:logs:{region}:{acct}:log-group:/aws/bedrock-agentcore/runtimes/*"]},
            {"Sid": "DescribeLogGroups", "Effect": "Allow", "Action": ["logs:DescribeLogGroups"],
             "Resource": [f"arn:aws:logs:{region}:{acct}:log-group:*"]},
            {"Sid": "RuntimeLogStreams", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
             "Resource": [f"arn:aws:logs:{region}:{acct}:log-group:/aws/bedrock-agentcore/runtimes/*:log-stream:*"]}]


def toolkit_execution(region, acct, agent):
    """The execution-role policy of the AgentCore Developer Guide ("IAM Permissions for AgentCore Runtime",
    execution role) as the starter toolkit creates it."""
    return [{"Sid": "ECRImageAccess", "Effect": "Allow", "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
             "Resource": [f"arn:aws:ecr:{region}:{acct}:repository/*"]},
            {"Sid": "ECRTokenAccess", "Effect": "Allow", "Action": ["ecr:GetAuthorizationToken"], "Resource": "*"}] + \
        runtime_logs(region, acct) + [
            {"Sid": "XRay", "Effect": "Allow", "Action": ["xray:PutTraceSegments", "xray:PutTelemetryRecords",
                                                          "xray:GetSamplingRules", "xray:GetSamplingTargets"],
             "Resource": ["*"]},
            {"Sid": "CloudWatchMetrics", "Effect": "Allow", "Resource": "*", "Action": "cloudwatch:PutMetricData",
             "Condition": {"StringEquals": {"cloudwatch:namespace": "bedrock-agentcore"}}},
            {"Sid": "GetAgentAccessToken", "Effect": "Allow",
             "Action": ["bedrock-agentcore:GetWorkloadAccessToken", "bedrock-agentcore:GetWorkloadAccessTokenForJWT",
                        "bedrock-agentcore:GetWorkloadAccessTokenForUserId"],
             "Resource": [f"arn:aws:bedrock-agentcore:{region}:{acct}:workload-identity-directory/default",
                          f"arn:aws:bedrock-agentcore:{region}:{acct}:workload-identity-directory/default/workload-identity/{agent}-*"]},
            {"Sid": "BedrockModelInvocation", "Effect": "Allow",
             "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
             "Resource": ["arn:aws:bedrock:*::foundation-model/*", f"arn:aws:bedrock:{region}:{acct}:*"]}]


def doc(*statements):
    st = []
    for s in statements:
        st.extend(s if isinstance(s, list) else [s])
    return {"Version": "2012-10-17", "Statement": st}


def policy_set():
    """principal arn -> dict(kind, trust (roles), inline {name: doc}, aws_managed [arns], groups, issues)"""
    P = {}
    P[R_SUPPORT] = dict(trust=agentcore_trust(A, "us-east-1"), inline={"SupportAgentAccess": doc(
        seed_bedrock("us-east-1"), seed_s3(B_KB), seed_ddb("us-east-1", T_TICKETS), seed_secret("support-agent"),
        SEED_MEMORY, MEMORY_DATA, runtime_logs("us-east-1"))},
        issues=["non-existent action bedrock-agentcore:SearchMemory (seed guide)"])
    P[R_CLAIMS] = dict(trust=agentcore_trust(A, "us-east-1", extra_principal=f"arn:aws:iam::{A}:root"),
                       inline={"ClaimsAgentAccess": doc(seed_bedrock("us-east-1"), seed_s3(B_CLAIMS),
                                                        seed_ddb("us-east-1", T_CLAIMS), seed_secret("claims-agent"),
                                                        runtime_logs("us-east-1"))}, issues=[])
    P[R_DOCS] = dict(trust=agentcore_trust(A, "us-east-1"), inline={
        "BedrockAgentCoreRuntimeExecutionPolicy": doc(toolkit_execution("us-east-1", A, "docs_assistant")),
        "DocsAssistantData": doc(seed_s3(B_DOCS), seed_secret("docs-assistant"), SEED_MEMORY, MEMORY_DATA, SEED_GATEWAY)},
        issues=["non-existent actions bedrock-agentcore:SearchMemory, CreateGatewayTool, InvokeGatewayTool, "
                "ListGatewayTools (seed guide)"])
    P[R_RESEARCH] = dict(trust=agentcore_trust(A, "eu-central-1"), inline={"ResearchAgentAccess": doc(
        seed_bedrock("eu-central-1"), seed_s3(B_RESEARCH), runtime_logs("eu-central-1"))}, issues=[])
    P[R_NIGHTLY] = dict(trust=agentcore_trust(A, "us-west-2"), inline={"NightlyReportAccess": doc(
        seed_bedrock("us-west-2"), seed_ddb("us-west-2", T_REPORTS), runtime_logs("us-west-2"))}, issues=[])
    P[R_SANDBOX] = dict(trust=agentcore_trust(B, "us-west-2"), inline={"SandboxAgentCore": doc(
        {"Effect": "Allow", "Action": ["bedrock-agentcore:*"], "Resource": "*"},
        {"Sid": "SandboxData", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"],
         "Resource": [f"arn:aws:s3:::{B_SANDBOX}", f"arn:aws:s3:::{B_SANDBOX}/*"]})},
        aws_managed=["arn:aws:iam::aws:policy/AmazonBedrockFullAccess"],
        issues=["bedrock-agentcore:* on Resource * (seed guide 'Required Managed Policies')"])
    inv = lambda role_arn: {"Effect": "Allow", "Action": "bedrock-agentcore:InvokeAgentRuntime",
                            "Resource": [runtime_arn(*RT[role_arn]), runtime_arn(*RT[role_arn]) + "/runtime-endpoint/*"]}
    P[R_FRONTEND] = dict(trust=service_trust("ecs-tasks.amazonaws.com"), inline={"InvokeSupportAgent": doc(inv(R_SUPPORT))},
                         issues=[])
    P[R_CLAIMS_API] = dict(trust=service_trust("lambda.amazonaws.com"), inline={"InvokeClaimsAgent": doc(inv(R_CLAIMS))},
                           aws_managed=["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"], issues=[])
    P[R_REPORT_SCHED] = dict(trust=service_trust("lambda.amazonaws.com"), inline={"StartNightlyReport": doc(inv(R_NIGHTLY))},
                             aws_managed=["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"], issues=[])
    P[R_NIGHT_BATCH] = dict(trust=service_trust("lambda.amazonaws.com"), inline={"Summarize": doc(
        {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": f"arn:aws:bedrock:us-west-2::foundation-model/{M_HAIKU}"})},
        aws_managed=["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"], issues=[])
    P[R_KB_SYNC] = dict(trust=service_trust("lambda.amazonaws.com"), inline={"Embeddings": doc(
        {"Effect": "Allow", "Action": "bedrock:InvokeModel", "Resource": f"arn:aws:bedrock:us-east-1::foundation-model/{M_TITAN_EMB}"})},
        aws_managed=["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"], issues=[])
    P[R_MLENG_A] = dict(trust={"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
        "Federated": f"arn:aws:iam::{A}:saml-provider/AWSSSO_1a2b3c4d5e6f7a8b_DO_NOT_DELETE"},
        "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
        "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]},
        inline={"AwsSSOInlinePolicy": doc(
            {"Sid": "Models", "Effect": "Allow", "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
             "Resource": ["arn:aws:bedrock:*::foundation-model/*", f"arn:aws:bedrock:*:{A}:inference-profile/*"]},
            {"Sid": "Agents", "Effect": "Allow", "Action": ["bedrock-agentcore:InvokeAgentRuntime"],
             "Resource": [f"arn:aws:bedrock-agentcore:*:{A}:runtime/*"]},
            {"Sid": "DebugAgentRoles", "Effect": "Allow", "Action": "sts:AssumeRole",
             "Resource": f"arn:aws:iam::{A}:role/service-role/AgentCoreExec-*"})}, issues=[])
    P[U_PRIYA] = dict(inline={"DeveloperAgentCore": doc(
        {"Sid": "AgentCoreRuntime", "Effect": "Allow",
         "Action": ["bedrock-agentcore:CreateAgentRuntime", "bedrock-agentcore:UpdateAgentRuntime",
                    "bedrock-agentcore:DeleteAgentRuntime", "bedrock-agentcore:InvokeAgent", "bedrock-agentcore:GetAgentRuntime"],
         "Resource": "arn:aws:bedrock-agentcore:*:*:agent-runtime/*"},
        {"Sid": "BedrockModels", "Effect": "Allow", "Action": ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
         "Resource": "arn:aws:bedrock:*::foundation-model/*"},
        {"Sid": "ModelCatalog", "Effect": "Allow", "Action": ["bedrock:ListFoundationModels", "bedrock:GetFoundationModel"],
         "Resource": "*"})},
        issues=["non-existent action bedrock-agentcore:InvokeAgent and wrong ARN type agent-runtime/ (seed guide "
                "'Minimal Permissions')", "bedrock:GetFoundationModel on Resource * (supports foundation-model ARNs)"])
    P[U_ANALYTICS] = dict(inline={"AnalyticsExport": doc(
        {"Effect": "Allow", "Action": ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults"],
         "Resource": f"arn:aws:athena:us-east-1:{A}:workgroup/analytics"},
        {"Effect": "Allow", "Action": ["glue:GetTable", "glue:GetDatabase", "glue:GetPartitions"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
         "Resource": [f"arn:aws:s3:::analytics-results-{A}", f"arn:aws:s3:::analytics-results-{A}/*"]}),
        "BedrockPoC2024": doc({"Effect": "Allow", "Action": "bedrock:*", "Resource": "*"})},
        issues=["bedrock:* on Resource * (left over from a proof of concept)", "glue:Get* actions on Resource *"])
    P[U_CONTRACTOR] = dict(inline={"PaymentsBuild": doc(
        {"Effect": "Allow", "Action": ["codebuild:StartBuild", "codebuild:BatchGetBuilds"],
         "Resource": f"arn:aws:codebuild:us-east-1:{A}:project/payments-service"})}, issues=[])
    P[U_BUILDBOT] = dict(inline={}, aws_managed=["arn:aws:iam::aws:policy/PowerUserAccess"], issues=[])
    return P


def write_policies(out):
    P = policy_set()
    pdir = os.path.join(out, "policies")
    os.makedirs(pdir, exist_ok=True)
    written = []
    for arn, p in P.items():
        name = arn.rsplit("/", 1)[1]
        stmts = []
        for pn in sorted(p["inline"]):
            stmts += p["inline"][pn]["Statement"]
        if not stmts:
            continue
        fn = (name if ":role/" in arn else "user-" + name) + ".json"
        with open(os.path.join(pdir, fn), "w") as f:
            json.dump({"Version": "2012-10-17", "Statement": stmts}, f, indent=2)
            f.write("\n")
        written.append(fn)
    base = "2025-03-11T08:21:40+00:00"
    for acct in (A, B):
        users, roles = [], []
        for arn, p in P.items():
            if arn.split(":")[4] != acct:
                continue
            name = arn.rsplit("/", 1)[1]
            attached = [{"PolicyName": m.rsplit("/", 1)[1], "PolicyArn": m} for m in p.get("aws_managed", [])]
            if ":user/" in arn:
                users.append({"Path": "/", "UserName": name, "UserId": user_id(arn), "Arn": arn, "CreateDate": base,
                              "UserPolicyList": [{"PolicyName": n, "PolicyDocument": d} for n, d in sorted(p["inline"].items())],
                              "GroupList": [], "AttachedManagedPolicies": attached, "Tags": []})
            else:
                path = arn.split(":role", 1)[1][: -len(name)]
                roles.append({"Path": path, "RoleName": name, "RoleId": role_id(arn), "Arn": arn, "CreateDate": base,
                              "AssumeRolePolicyDocument": p["trust"], "InstanceProfileList": [],
                              "RolePolicyList": [{"PolicyName": n, "PolicyDocument": d} for n, d in sorted(p["inline"].items())],
                              "AttachedManagedPolicies": attached, "Tags": [], "RoleLastUsed": {}})
        fn = f"authorization-details-{acct}.json"
        with open(os.path.join(pdir, fn), "w") as f:
            json.dump({"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": [],
                       "IsTruncated": False}, f, indent=2)
            f.write("\n")
        written.append(fn)
    return sorted(written), P


def iam_name_for(rec):
    src, name = rec["eventSource"], rec["eventName"]
    prefix = {"monitoring.amazonaws.com": "cloudwatch"}.get(src, src.split(".")[0])
    name = {"Converse": "InvokeModel", "ConverseStream": "InvokeModelWithResponseStream",
            "ListBuckets": "ListAllMyBuckets"}.get(name, re.sub(r"20[0-9]{6}$", "", name))
    return f"{prefix}:{name}".lower()


def expected_policy_findings(P, events):
    """Posture findings the detection spec expects from the policies (not incidents): over-broad-grant for the
    documented issues of each document, unused-granted-action where granted write actions are never used."""
    used = {}
    for _, r in events:
        if r.get("errorCode"):
            continue
        ui = r.get("userIdentity") or {}
        p = ((ui.get("sessionContext") or {}).get("sessionIssuer") or {}).get("arn") or ui.get("arn")
        used.setdefault(p, set()).add(iam_name_for(r))
    out = []
    for arn, p in P.items():
        if p.get("issues"):
            out.append({"detector": "over-broad-grant", "principal": arn, "reasons": p["issues"]})
        unused_writes = []
        for d in p["inline"].values():
            for st in d["Statement"]:
                if st.get("Effect") != "Allow":
                    continue
                acts = st.get("Action", [])
                acts = [acts] if isinstance(acts, str) else acts
                for a in acts:
                    svc, nm = a.split(":", 1)
                    if "*" in nm:
                        unused_writes.append(a + " (wildcard)")
                        continue
                    if nm.startswith(READ_PREFIXES) or nm in ("InvokeModel", "InvokeModelWithResponseStream",
                                                               "InvokeAgentRuntime", "AssumeRole"):
                        continue
                    if a.lower() not in used.get(arn, set()):
                        unused_writes.append(a)
        if unused_writes:
            out.append({"detector": "unused-granted-action", "principal": arn,
                        "reasons": ["granted write actions never used successfully: " + ", ".join(sorted(set(unused_writes)))]})
    out.append({"detector": "long-term-credentials", "principal": U_PRIYA,
                "reasons": ["a developer's AKIA key calls Bedrock every working day (the spec reports long-term keys "
                            "on Bedrock as posture, medium)"]})
    return out


# ---------------------------------------------------------------------------------------------------------
# Near-misses declared up front (the actors append their event ids)
# ---------------------------------------------------------------------------------------------------------
def declare_near_misses(w):
    w.near_miss("N04", ["agent-role-outside-runtime"], AGENT_ROLES,
                "sts:AssumeRole of each execution role by bedrock-agentcore.amazonaws.com (userIdentity AWSService, "
                "sourceIPAddress/invokedBy the service, requestParameters.roleArn, responseElements.credentials."
                "accessKeyId = the ASIA key the role's later calls carry); one per runtime session and a new one about "
                "every hour in long sessions",
                docs=["IAM Permissions for AgentCore Runtime (execution role trust policy)",
                      "Logging IAM and AWS STS API calls with AWS CloudTrail"])
    w.near_miss("N05", ["agent-role-outside-runtime", "denied-calls"], AGENT_ROLES,
                "agent roles using exactly what the seed guide grants them: S3 GetObject, DynamoDB GetItem/PutItem/Query, "
                "Secrets Manager GetSecretValue (with the KMS Decrypt Secrets Manager makes on their behalf), "
                "AgentCore Memory",
                docs=["shared/seed/agentcore-iam-permissions.md", "Secret encryption and decryption in AWS Secrets Manager"])
    w.near_miss("N06", ["bedrock-recon", "denied-calls"], AGENT_ROLES + [R_NIGHT_BATCH],
                "background ThrottlingException (retried) and isolated ValidationException on model calls of roles that "
                "invoke successfully all day",
                docs=["Amazon Bedrock API Reference: InvokeModel errors (ThrottlingException, ValidationException)"])
    w.near_miss("N07", ["bedrock-recon"], U_PRIYA,
                "developer with an AKIA key: ListFoundationModels then invocations within minutes, every working day "
                "since before the baseline (long-term-credentials on this user is an expected posture finding)")
    w.near_miss("N11", ["audit-tampering"], [R_ADMIN_A, R_ADMIN_B, R_TRAILGUARD],
                "CloudTrail changes that ADD coverage: PutEventSelectors (advanced selectors) adding AgentCore Memory and "
                "Gateway data events while keeping management events; PutEventSelectors (basic) adding S3 data events; "
                "UpdateTrail enabling log-file validation and SSE-KMS; StartLogging by the remediation Lambda; the "
                "restore of management events in account B (at >= medium nothing should be reported)",
                docs=["AWS CloudTrail API Reference: PutEventSelectors, UpdateTrail, StartLogging"])
    w.near_miss("N13", ["unknown-source-ip", "agent-role-outside-runtime", "denied-calls", "new-region"],
                [R_WEBAPP, R_ORDERS, R_CONFIG_A, R_CI_B, R_FRONTEND, R_CLAIMS_API, R_REPORT_SCHED, R_KB_SYNC,
                 R_TRAILGUARD, "service:cloudtrail.amazonaws.com", R_MLENG_A],
                "ordinary role-session noise of EC2 / Lambda / ECS workloads and AWS services (ssm, ec2 Describe*, kms, "
                "logs, sts, secretsmanager; AssumeRole by ec2/lambda/ecs-tasks) and engineers invoking agent runtimes")


# ---------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------
def gz(data):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=6) as f:
        f.write(data)
    return buf.getvalue()


MAX_RECORDS_PER_FILE = 600


def delivery_stamp(r, t):
    """CloudTrail delivers a region's events about every 5 minutes; an event usually lands in a file delivered
    1-15 minutes after it happened (CloudTrail User Guide "How CloudTrail works" / "Finding your CloudTrail log
    files"). The file name carries the delivery time."""
    delay = 60 + h64("delay", r["eventID"]) % 540
    d = t + dt.timedelta(seconds=delay)
    base = d.replace(second=0, microsecond=0, minute=(d.minute // 5) * 5) + dt.timedelta(minutes=5)
    return base


def principal_key(ui):
    if not ui:
        return None
    issuer = ((ui.get("sessionContext") or {}).get("sessionIssuer") or {}).get("arn")
    if issuer:
        return issuer
    if ui.get("arn"):
        return ui["arn"]
    if ui.get("type") == "AWSService" and ui.get("invokedBy"):
        return "service:" + ui["invokedBy"]
    if ui.get("accountId"):
        return "account:" + ui["accountId"]
    return None


def write_realistic(out, seed):
    w = World(seed)
    declare_near_misses(w)
    ctx = {}
    ctx["support"] = gen_support(w)
    gen_claims(w)
    ctx["docs"] = gen_docs(w)
    gen_research(w)
    gen_nightly(w)
    gen_sandbox(w)
    gen_priya(w)
    gen_lambda_batches(w)
    gen_admins(w)
    gen_mleng(w)
    gen_users(w)
    gen_workloads(w)
    inject(w, ctx)

    events = sorted(w.events, key=lambda e: (e[0], e[1]["eventID"]))
    ids = [r["eventID"] for _, r in events]
    assert len(ids) == len(set(ids)), "duplicate eventID"
    idset = set(ids)
    for inc in w.incidents:
        missing = [i for i in inc["eventIds"] if i not in idset]
        assert not missing, (inc["id"], missing[:3])
    inc_ids = {i for inc in w.incidents for i in inc["eventIds"]}
    for nm in w.near.values():
        nm["eventIds"] = sorted(set(nm["eventIds"]) & idset)
        overlap = inc_ids & set(nm["eventIds"])
        assert not overlap, (nm["id"], sorted(overlap)[:3])

    files = {}
    for t, r in events:
        key = (r["recipientAccountId"], r["awsRegion"], delivery_stamp(r, t))
        files.setdefault(key, []).append(r)
    comp = unc = 0
    nfiles = 0
    for (acct, region, stamp), recs in sorted(files.items(), key=lambda kv: (kv[0][2], kv[0][0], kv[0][1])):
        for part in range(0, len(recs), MAX_RECORDS_PER_FILE):
            chunk = recs[part:part + MAX_RECORDS_PER_FILE]
            suffix = token(ALNUM, 16, "file", seed, acct, region, stamp.strftime("%Y%m%dT%H%MZ"), part)
            rel = (f"AWSLogs/{acct}/CloudTrail/{region}/{stamp:%Y/%m/%d}/"
                   f"{acct}_CloudTrail_{region}_{stamp:%Y%m%dT%H%MZ}_{suffix}.json.gz")
            data = json.dumps({"Records": chunk}, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            blob = gz(data)
            p = os.path.join(out, rel)
            os.makedirs(os.path.dirname(p), exist_ok=True)
            with open(p, "wb") as f:
                f.write(blob)
            comp += len(blob)
            unc += len(data)
            nfiles += 1
    pol_files, P = write_policies(out)

    def count(fn):
        c = {}
        for _, r in events:
            k = fn(r)
            if k is not None:
                c[k] = c.get(k, 0) + 1
        return dict(sorted(c.items()))
    principals = sorted({principal_key(r.get("userIdentity")) for _, r in events} - {None})
    span = (events[-1][0] - events[0][0]).total_seconds()
    labels = {
        "generator": "Scripts/gen_cloudtrail.py --realistic", "seed": seed,
        "window": {"start": ts(START), "end": ts(END), "days": DAYS, "firstEvent": ts(events[0][0]),
                   "lastEvent": ts(events[-1][0]), "baselineFraction": BASELINE_FRACTION,
                   "baselineEnd": ts(events[0][0] + dt.timedelta(seconds=span * BASELINE_FRACTION)),
                   "incidentsAfter": ts(INJECT_AFTER)},
        "accounts": {A: "production: 5 AgentCore execution roles, workloads, developers (own multi-region trail "
                        "org-audit-trail, advanced event selectors)",
                     B: "development: sandbox agent, CI (own multi-region trail dev-management-events)",
                     EXT: "partner account (caller only)"},
        "trailTimeline": [
            {"time": ts(A_ADD_MEMGW), "account": A, "change": "PutEventSelectors adds AgentCore Memory and Gateway data events"},
            {"time": ts(B_ADD_S3), "account": B, "change": "PutEventSelectors adds S3 data events of the sandbox bucket"},
            {"time": ts(A_UPDATE_TRAIL), "account": A, "change": "UpdateTrail: log file validation + SSE-KMS"},
            {"time": ts(A_STOP), "account": A, "change": "StopLogging (incident I05): nothing delivered until StartLogging"},
            {"time": ts(A_START), "account": A, "change": "StartLogging by the remediation Lambda"},
            {"time": ts(B_DISABLE_MGMT), "account": B, "change": "PutEventSelectors includeManagementEvents=false (incident I06)"},
            {"time": ts(B_RESTORE_MGMT), "account": B, "change": "PutEventSelectors restores management events"}],
        "files": nfiles, "records": len(events), "recordsNotDeliveredByTrail": w.dropped,
        "compressedBytes": comp, "uncompressedBytes": unc,
        "recordsPerAccount": count(lambda r: r["recipientAccountId"]),
        "recordsPerRegion": count(lambda r: r["awsRegion"]),
        "recordsPerEventSource": count(lambda r: r["eventSource"]),
        "recordsPerEventCategory": count(lambda r: r["eventCategory"]),
        "errorCodes": count(lambda r: r.get("errorCode")),
        "distinctPrincipals": len(principals),
        "agentRoles": AGENT_ROLES,
        "policies": pol_files,
        "incidents": sorted(w.incidents, key=lambda i: i["firstSeen"]),
        "nearMisses": [dict(v, eventCount=len(v["eventIds"])) for _, v in sorted(w.near.items())],
        "expectedFindings": expected_policy_findings(P, events),
        "matching": "A finding matches an incident when its detector is the incident's detector or one of its "
                    "alsoExpected detectors AND (its evidence event ids intersect the incident's eventIds, or its "
                    "principal is the incident's principal for that detector). Recall counts, per incident, a finding "
                    "of `detector` naming `principal`. expectedFindings are posture findings the detection spec asks "
                    "for (matched by detector + principal); they are neither incidents nor false positives. A finding "
                    "whose evidence hits a nearMisses entry listing its detector in mustNotFire is a false positive on "
                    "that near-miss.",
    }
    with open(os.path.join(out, "labels.json"), "w") as f:
        json.dump(labels, f, indent=1)
        f.write("\n")
    print(f"realistic: {len(events)} records ({w.dropped} not delivered by the trails), {nfiles} files, "
          f"{comp} bytes gz, {unc} bytes json, {len(w.incidents)} incidents, {len(w.near)} near-misses",
          file=sys.stderr)
    return labels


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args(argv)
    write_realistic(a.out, a.seed)


if __name__ == "__main__":
    main()

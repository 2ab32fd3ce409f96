"""Real-shaped and tiny-file benchmark archives (gen_cloudtrail.py --real-shaped / --tiny-files; stdlib only).

A bench corpus shaped like a busy account's trail rather than like the project's own sample:

- About three quarters of the records are made by role sessions of ordinary workloads that have nothing to do
  with AI: EC2 instance roles (session name = instance id, `ec2RoleDelivery` 2.0), ECS task roles (session name =
  task id) and Lambda execution roles (session name = function name) calling EC2 Describe*, KMS
  Decrypt/GenerateDataKey, STS GetCallerIdentity/AssumeRole, CloudWatch Logs, SSM/Secrets Manager, and S3 and
  DynamoDB data events (`eventCategory` "Data", `managementEvent` false, `resources[]`, `readOnly`,
  `vpcEndpointId` when the call went through a gateway/interface endpoint). The sessions' own
  `sts:AssumeRole` calls are made by the service (`userIdentity.type` AWSService, `invokedBy`, `sourceIPAddress`
  and `userAgent` = the service principal such as "ec2.amazonaws.com": the only records here that carry a
  service name as source); KMS calls S3 makes for SSE-KMS on a role's behalf carry "AWS Internal" as in the
  public samples. Everything else comes from private VPC addresses (with an endpoint id), NAT gateway addresses
  or, for Lambda outside a VPC, one AWS-owned address per execution environment.
- The rest is Bedrock / Bedrock AgentCore traffic: the records the sample generator (`--sample`) emits for
  `bedrock.amazonaws.com` and `bedrock-agentcore.amazonaws.com`, AgentCore's AssumeRole of its execution roles and
  the other calls of those roles, refilled with new times and ids, as the `--size` corpus does. Streams without
  such records in the sample (eu-west-1) carry workload traffic only.
- Files: CloudTrail's layout and names
  `AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 chars>.json.gz`,
  one compact `{"Records":[...]}` gzip member per file, records 1-6 (10 %: up to 15) minutes older than the file's
  time. Traffic is steady per account/region stream and 5-minute window (quiet eu-west-1: every third window), cut
  into files of at most 80-160 records, so the file count comes from --days and the streams and --size sets the
  records per file (240MB: ~2,800 files, ~57 records per file, median ~6.5 KB gzip); 25 % of the records are in
  burst files of 400-1,400 records of mostly one workload (a batch job), without Bedrock/AgentCore records.
  Tiny-file (`--tiny-files`): 1-10 records per file, so tens of thousands of files (`--files N` exactly).
- `policies/`: one `<RoleName>.json` per workload role, `authorization-details-<acct>.json` for the workload
  roles (trust policies, inline policies, AWS-managed attachments, not expanded), plus the sample's own
  `<RoleName>.json` files and `authorization-details.json` for the AI roles; `agenttrail scan --policies DIR/policies`.
- `manifest.json` (with --manifest): files, records, bytes, role-session and AI shares, gzip size percentiles.

Deterministic: each file depends only on (seed, its place in the plan); gzip mtime 0, no file name.
"""
import datetime as dt
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_cloudtrail as gc  # noqa: E402

A = gc.ACCT_A
B = gc.ACCT_B
START = dt.datetime(2025, 6, 2, 0, 0, 0, tzinfo=dt.timezone.utc)

# (account, region) -> weight of the stream in the archive; AI share of the records in that stream
STREAMS = [((A, "us-east-1"), 0.42), ((A, "us-west-2"), 0.16), ((A, "eu-west-1"), 0.08),
           ((B, "us-east-1"), 0.10), ((B, "us-west-2"), 0.16), ((B, "eu-west-1"), 0.08)]
# Share of Bedrock/AgentCore records in the ordinary files of streams that have such records in the sample (all but
# eu-west-1): chosen so that ~25 % of all records are Bedrock/AgentCore. Real-shaped large files are workload
# bursts without AI records (~30 % of the records), hence the higher share there.
AI_SHARE = {False: 0.39, True: 0.30}   # keyed by tiny
BURST_SHARE = 0.8                       # in a large file, records of the one workload that makes the burst
LARGE = 400                             # records: a real-shaped file this large is a burst

UA_GO = "aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 m/E"
UA_JAVA_EC2 = ("aws-sdk-java/2.25.60 Linux/6.1.97-104.177.amzn2023.x86_64 OpenJDK_64-Bit_Server_VM/21.0.3+9-LTS "
               "Java/21.0.3 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy")
UA_CWAGENT = "CWAgent/1.300041.0b681 (go1.22.4; linux; amd64) inputs:(cpu disk mem) outputs:(cloudwatch cloudwatchlogs)"
UA_SSM = "aws-sdk-go/1.54.6 (go1.22.4; linux; amd64) amazon-ssm-agent/3.3.484.0"
UA_LAMBDA_PY = ("Boto3/1.34.145 md/Botocore#1.34.145 ua/2.0 os/linux#5.10.219-229.862.amzn2.x86_64 md/arch#x86_64 "
                "lang/python#3.12.4 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.145")
UA_LAMBDA_NODE = ("aws-sdk-js/3.596.0 ua/2.1 os/linux#5.10.219-229.862.amzn2.x86_64 lang/js md/nodejs#20.15.0 "
                  "exec-env/AWS_Lambda_nodejs20.x m/E")


def role_arn(acct, name):
    return f"arn:aws:iam::{acct}:role/{name}"


def kms_key(acct, region, n):
    return f"arn:aws:kms:{region}:{acct}:key/{gc.stable_token('0123456789abcdef', 8, 'key', acct, region, n)}-" \
           f"{gc.stable_token('0123456789abcdef', 4, 'k2', acct, region, n)}-4" \
           f"{gc.stable_token('0123456789abcdef', 3, 'k3', acct, region, n)}-a" \
           f"{gc.stable_token('0123456789abcdef', 3, 'k4', acct, region, n)}-" \
           f"{gc.stable_token('0123456789abcdef', 12, 'k5', acct, region, n)}"


def vpce(*parts):
    return "vpce-0" + gc.stable_token("0123456789abcdef", 16, "vpce", *parts)


# ---------------------------------------------------------------------------------------------------------
# The workloads. kind: ec2 | ecs | lambda; ops: (weight, op name) drawn per record; regions: where they run.
# ---------------------------------------------------------------------------------------------------------
WORKLOADS = [
    dict(acct=A, role="WebFrontendInstanceRole", kind="ec2", regions=["us-east-1", "us-west-2"], weight=0.22,
         sessions=10, ua=UA_JAVA_EC2, bucket=f"web-assets-{A}", table=None, log_group="/app/web-frontend",
         ops=[(10, "ec2-describe-tags"), (5, "ec2-describe-instances"), (14, "kms-decrypt"), (22, "s3-get"),
              (4, "s3-head"), (9, "logs-create-stream"), (6, "logs-describe-streams"), (8, "ssm-get-parameters"),
              (3, "sts-gci"), (4, "secret-get")]),
    dict(acct=A, role="OrdersApiTaskRole", kind="ecs", regions=["us-east-1", "eu-west-1"], weight=0.24,
         sessions=12, ua=UA_GO, bucket=f"orders-receipts-{A}", table="orders", log_group="/ecs/orders-api",
         ops=[(18, "ddb-get"), (10, "ddb-put"), (12, "ddb-query"), (6, "ddb-update"), (3, "ddb-batchget"),
              (10, "kms-decrypt"), (7, "kms-gdk"), (8, "s3-put"), (4, "s3-get"), (3, "sts-gci"),
              (2, "sts-assume-reports"), (3, "secret-get"), (2, "logs-describe-streams")]),
    dict(acct=A, role="ReportsReadOnlyRole", kind="chained", regions=["us-east-1"], weight=0.03,
         sessions=1, ua=UA_GO, bucket=f"orders-reports-{A}", table="orders", log_group=None,
         ops=[(6, "s3-get"), (3, "s3-list"), (4, "ddb-query"), (2, "kms-decrypt")]),
    dict(acct=A, role="ThumbnailerLambdaRole", kind="lambda", regions=["us-east-1"], weight=0.12,
         sessions=1, fn="thumbnailer", ua=UA_LAMBDA_NODE, bucket=f"user-uploads-{A}", table=None,
         log_group="/aws/lambda/thumbnailer",
         ops=[(30, "s3-get"), (22, "s3-put"), (18, "kms-via-s3"), (2, "s3-head")]),
    dict(acct=A, role="InvoiceExporterLambdaRole", kind="lambda", regions=["us-east-1", "us-west-2"], weight=0.06,
         sessions=1, fn="invoice-exporter", ua=UA_LAMBDA_PY, bucket=f"invoice-exports-{A}", table="invoices",
         log_group="/aws/lambda/invoice-exporter",
         ops=[(14, "ddb-query"), (4, "ddb-get"), (10, "s3-put"), (8, "kms-gdk"), (2, "sts-gci")]),
    dict(acct=A, role="EtlWorkerInstanceRole", kind="ec2", regions=["us-west-2", "eu-west-1"], weight=0.10,
         sessions=6, ua=UA_JAVA_EC2, bucket=f"datalake-raw-{A}", table=None, log_group="/app/etl-worker",
         ops=[(20, "s3-get"), (10, "s3-put"), (8, "s3-list"), (10, "kms-decrypt"), (6, "kms-gdk"),
              (4, "ec2-describe-instances"), (3, "ec2-describe-volumes"), (4, "logs-create-stream"),
              (3, "ssm-get-parameters")]),
    dict(acct=B, role="LedgerServiceTaskRole", kind="ecs", regions=["us-east-1", "us-west-2"], weight=0.12,
         sessions=8, ua=UA_GO, bucket=f"ledger-snapshots-{B}", table="ledger-entries", log_group="/ecs/ledger",
         ops=[(16, "ddb-get"), (12, "ddb-put"), (10, "ddb-query"), (4, "ddb-batchwrite"), (10, "kms-decrypt"),
              (6, "kms-gdk"), (4, "s3-put"), (3, "sts-gci"), (3, "secret-get")]),
    dict(acct=B, role="InventoryCollectorRole", kind="lambda", regions=["us-east-1", "us-west-2", "eu-west-1"],
         weight=0.06, sessions=1, fn="inventory-collector", ua=UA_LAMBDA_PY, bucket=None, table=None,
         log_group="/aws/lambda/inventory-collector",
         ops=[(10, "ec2-describe-instances"), (6, "ec2-describe-volumes"), (5, "ec2-describe-sgs"),
              (4, "ec2-describe-snapshots"), (3, "logs-describe-groups"), (2, "sts-gci")]),
    dict(acct=B, role="BackupAgentInstanceRole", kind="ec2", regions=["us-west-2", "eu-west-1"], weight=0.05,
         sessions=3, ua=UA_SSM, bucket=f"backup-vault-{B}", table=None, log_group="/app/backup-agent",
         ops=[(6, "ec2-describe-snapshots"), (6, "ec2-describe-volumes"), (10, "s3-put"), (5, "kms-gdk"),
              (4, "ssm-get-parameters"), (3, "logs-create-stream")]),
]
SERVICE_OF = {"ec2": "ec2.amazonaws.com", "ecs": "ecs-tasks.amazonaws.com", "lambda": "lambda.amazonaws.com"}
for _w in WORKLOADS:
    _w["arn"] = role_arn(_w["acct"], _w["role"])
    _w["opnames"] = [o for _, o in _w["ops"]]
    _w["opweights"] = [x for x, _ in _w["ops"]]


def stream_workloads(acct, region):
    ws = [w for w in WORKLOADS if w["acct"] == acct and region in w["regions"]]
    return ws, [w["weight"] for w in ws]


def nat_ips(acct, region):
    return ["3." + ".".join(str(gc.h64("nat", acct, region, i, j) % 250 + 2) for j in range(3)) for i in range(2)]


def lambda_ip(acct, region, env):
    h = gc.h64("lambda-env", acct, region, env)
    first = {"us-east-1": "44.", "us-west-2": "35.", "eu-west-1": "54."}.get(region, "52.")
    return first + ".".join(str((h >> (8 * j)) % 250 + 2) for j in range(3))


def private_ip(acct, region, session):
    h = gc.h64("priv", acct, region, session)
    second = {"us-east-1": 20, "us-west-2": 30, "eu-west-1": 40}.get(region, 50) + (0 if acct == A else 100)
    return f"10.{second}.{(h >> 8) % 64}.{h % 250 + 4}"


def session_name(w, region, i):
    if w["kind"] == "ec2":
        return "i-0" + gc.stable_token("0123456789abcdef", 16, "inst", w["role"], region, i)
    if w["kind"] == "ecs":
        return gc.stable_token("0123456789abcdef", 32, "task", w["role"], region, i)
    if w["kind"] == "lambda":
        return w["fn"]
    return "orders-api-reports"


class Ctx:
    """Per-file state: a Gen whose rng is the file's, and memoised identities."""

    def __init__(self, seed, rng):
        self.g = gc.Gen(seed)
        self.g.rng = rng
        self.rng = rng
        self.seed = seed


_IDENT = {}


def identity(w, session, region, t, invoked_by=None):
    """AssumedRole userIdentity; credentials rotate every 6 hours for EC2, hourly otherwise."""
    block = t.hour // 6 if w["kind"] == "ec2" else t.hour
    k = (w["arn"], session, region, t.date(), block, invoked_by)
    d = _IDENT.get(k)
    if d is None:
        hours = 6 if w["kind"] == "ec2" else 1
        created = t.replace(hour=(t.hour // hours) * hours, minute=0, second=0) - dt.timedelta(
            minutes=gc.h64(w["arn"], session, t.date(), block) % 20)
        d = gc.Gen(0).assumed(w["arn"], session, t, ec2=(w["kind"] == "ec2"), invoked_by=invoked_by,
                              key_parts=("rs", region, block), created=created)
        if len(_IDENT) > 200000:
            _IDENT.clear()
        _IDENT[k] = d
    return d


def source(w, region, session, env, service, via_endpoint):
    """(sourceIPAddress, vpcEndpointId or None) for a workload call to `service`."""
    acct = w["acct"]
    if w["kind"] == "lambda":
        return lambda_ip(acct, region, env), None
    if via_endpoint:
        return private_ip(acct, region, session), vpce(acct, region, service)
    return nat_ips(acct, region)[gc.h64(session) % 2], None


def workload_record(c, w, acct, region, t):
    """One record of workload w; returns the record dict."""
    g, rng = c.g, c.rng
    op = rng.choices(w["opnames"], w["opweights"])[0]
    i = rng.randrange(w["sessions"])
    session = session_name(w, region, i)
    env = rng.randrange(24) if w["kind"] == "lambda" else 0
    ua = w["ua"]
    # Services reached through endpoints: S3/DynamoDB gateway endpoints for EC2/ECS; KMS, Logs, Secrets Manager,
    # SSM interface endpoints for ECS only; STS always via NAT.
    svc = op.split("-", 1)[0]
    if w["kind"] in ("ec2", "ecs", "chained"):
        via = svc in ("s3", "ddb") or (w["kind"] == "ecs" and svc in ("kms", "logs", "secret", "ssm"))
    else:
        via = False
    ip, ep = source(w, region, session, env, svc, via)
    ident = identity(w, session, region, t)
    err = msg = None
    if op.startswith("ec2-"):
        name = {"ec2-describe-tags": "DescribeTags", "ec2-describe-instances": "DescribeInstances",
                "ec2-describe-volumes": "DescribeVolumes", "ec2-describe-sgs": "DescribeSecurityGroups",
                "ec2-describe-snapshots": "DescribeSnapshots"}[op]
        if name == "DescribeTags":
            req = {"filterSet": {"items": [{"name": "resource-id", "valueSet": {"items": [{"value": session}]}}]}}
        elif name == "DescribeInstances":
            req = {"instancesSet": {"items": [{"instanceId": session}]}, "filterSet": {}} if w["kind"] == "ec2" \
                else {"instancesSet": {}, "filterSet": {}, "maxResults": 1000}
        elif name == "DescribeSnapshots":
            req = {"snapshotSet": {}, "ownersSet": {"items": [{"owner": "self"}]}, "filterSet": {}, "sharedUsersSet": {}}
        else:
            req = {"filterSet": {}, "maxResults": 500} if name != "DescribeVolumes" else {"volumeSet": {}, "filterSet": {}}
        if rng.random() < 0.002:
            err, msg = "Client.RequestLimitExceeded", "Request limit exceeded."
        ua = UA_CWAGENT if name == "DescribeTags" and w["kind"] == "ec2" else ua
        return g.rec(t, "ec2.amazonaws.com", name, region, ident, ip, ua, req=req, resp=None, err=err, msg=msg,
                     read_only=True, version="1.10")
    if op in ("kms-decrypt", "kms-gdk", "kms-via-s3"):
        key = kms_key(acct, region, w["role"])
        name = "Decrypt" if op == "kms-decrypt" or (op == "kms-via-s3" and rng.random() < 0.6) else "GenerateDataKey"
        if op == "kms-via-s3":
            ctx = {"aws:s3:arn": f"arn:aws:s3:::{w['bucket']}/{rng.choice(['in', 'out'])}/{rng.randrange(10**6):06d}.jpg"}
            req = {"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": ctx} if name == "Decrypt" else \
                {"keyId": key, "keySpec": "AES_256", "encryptionContext": ctx}
            return g.rec(t, "kms.amazonaws.com", name, region, ident, "AWS Internal", "AWS Internal", req=req,
                         resp=None, resources=[{"accountId": acct, "type": "AWS::KMS::Key", "ARN": key}],
                         read_only=True, version="1.08")
        ctx = {"service": w["role"].replace("Role", "").lower(), "purpose": rng.choice(["config", "payload", "token"])}
        req = {"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": ctx} if name == "Decrypt" else \
            {"keyId": f"alias/{ctx['service']}", "numberOfBytes": 32, "encryptionContext": ctx}
        if rng.random() < 0.0005:
            err = "AccessDeniedException"
            msg = (f"User: {ident['arn']} is not authorized to perform: kms:{name} on this resource because the "
                   "resource does not exist in this Region, no resource-based policies allow access, or a "
                   "resource-based policy explicitly denies access")
        return g.rec(t, "kms.amazonaws.com", name, region, ident, ip, ua, req=req, resp=None, err=err, msg=msg,
                     resources=[{"accountId": acct, "type": "AWS::KMS::Key", "ARN": key}], read_only=True,
                     vpce=ep, version="1.08")
    if op.startswith("s3-"):
        bucket = w["bucket"]
        host = f"{bucket}.s3.{region}.amazonaws.com"
        if op == "s3-list":
            prefix = rng.choice(["2025/06/", "incoming/", "reports/daily/"])
            req = {"bucketName": bucket, "Host": host, "list-type": "2", "prefix": prefix, "encoding-type": "url"}
            addl = {"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 0,
                    "AuthenticationMethod": "AuthHeader", "x-amz-id-2": gc.stable_token(gc.ALNUM, 56, "x2", rng.random()),
                    "bytesTransferredOut": rng.randrange(600, 40000)}
            return g.rec(t, "s3.amazonaws.com", "ListObjects", region, ident, ip, ua, req=req, resp=None, addl=addl,
                         resources=[{"accountId": acct, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"}],
                         mgmt=False, category="Data", vpce=ep, recipient=acct, host=host, version="1.10",
                         read_only=True)
        name = {"s3-get": "GetObject", "s3-put": "PutObject", "s3-head": "HeadObject"}[op]
        key = f"{rng.choice(['in', 'out', 'static', 'data'])}/{t:%Y/%m/%d}/{rng.randrange(10**7):07d}.{rng.choice(['json', 'jpg', 'parquet', 'csv'])}"
        if name in ("GetObject", "HeadObject") and rng.random() < 0.005:
            err, msg = "NoSuchKey", "The specified key does not exist."
        r = gc.s3_object_event(g, t, ident, ip, ua, region, bucket, key, name=name, vpce=ep, err=err, msg=msg,
                               recipient=acct, size=rng.randrange(400, 900000))
        if name == "HeadObject":
            r["readOnly"] = True
            r["additionalEventData"]["bytesTransferredOut"] = 0
        return r
    if op.startswith("ddb-"):
        table = w["table"]
        name = {"ddb-get": "GetItem", "ddb-put": "PutItem", "ddb-query": "Query", "ddb-update": "UpdateItem",
                "ddb-batchget": "BatchGetItem", "ddb-batchwrite": "BatchWriteItem"}[op]
        hidden = "HIDDEN_DUE_TO_SECURITY_REASONS"
        tarn = f"arn:aws:dynamodb:{region}:{acct}:table/{table}"
        if name in ("GetItem", "UpdateItem"):
            req = {"tableName": table, "key": {"pk": hidden}}
            if name == "UpdateItem":
                req.update({"updateExpression": "SET #s = :s", "expressionAttributeNames": {"#s": "status"},
                            "expressionAttributeValues": {":s": hidden}})
            else:
                req["consistentRead"] = False
        elif name == "PutItem":
            req = {"tableName": table, "item": {"pk": hidden, "sk": hidden, "payload": hidden},
                   "conditionExpression": "attribute_not_exists(pk)"}
            if rng.random() < 0.01:
                err, msg = "ConditionalCheckFailedException", "The conditional request failed"
        elif name == "Query":
            req = {"tableName": table, "keyConditionExpression": "pk = :pk",
                   "expressionAttributeValues": {":pk": hidden}, "limit": 50}
        elif name == "BatchGetItem":
            req = {"requestItems": [{"tableName": table, "keys": [{"pk": hidden}, {"pk": hidden}]}]}
        else:
            req = {"requestItems": [{"tableName": table, "putRequests": [{"item": {"pk": hidden}}] * 3}]}
        return g.rec(t, "dynamodb.amazonaws.com", name, region, ident, ip, ua, req=req, resp=None, err=err, msg=msg,
                     resources=[{"accountId": acct, "type": "AWS::DynamoDB::Table", "ARN": tarn}], mgmt=False,
                     category="Data", vpce=ep, recipient=acct, version="1.09",
                     read_only=name in ("GetItem", "Query", "BatchGetItem"))
    if op.startswith("logs-"):
        lg = w["log_group"]
        if op == "logs-create-stream":
            return g.rec(t, "logs.amazonaws.com", "CreateLogStream", region, ident, ip, UA_CWAGENT if w["kind"] == "ec2" else ua,
                         req={"logGroupName": lg, "logStreamName": f"{session}/{t:%Y-%m-%d}"}, resp=None,
                         read_only=False, vpce=ep, version="1.08")
        if op == "logs-describe-groups":
            return g.rec(t, "logs.amazonaws.com", "DescribeLogGroups", region, ident, ip, ua,
                         req={"logGroupNamePrefix": "/aws/lambda/"}, resp=None, read_only=True, vpce=ep, version="1.08")
        return g.rec(t, "logs.amazonaws.com", "DescribeLogStreams", region, ident, ip, UA_CWAGENT if w["kind"] == "ec2" else ua,
                     req={"logGroupName": lg, "logStreamNamePrefix": session}, resp=None, read_only=True, vpce=ep,
                     version="1.08")
    if op == "ssm-get-parameters":
        names = [f"/{w['role'].replace('Role', '').lower()}/{p}" for p in ("db-host", "feature-flags")]
        return g.rec(t, "ssm.amazonaws.com", "GetParameters", region, ident, ip, ua,
                     req={"names": names, "withDecryption": False}, resp=None, read_only=True, vpce=ep, version="1.08")
    if op == "secret-get":
        sid = f"arn:aws:secretsmanager:{region}:{acct}:secret:{w['role'].replace('Role', '').lower()}/db-credentials-" \
              + gc.stable_token(gc.ALNUM, 6, "sec", w["role"], region)
        return g.rec(t, "secretsmanager.amazonaws.com", "GetSecretValue", region, ident, ip, ua,
                     req={"secretId": sid}, resp=None, read_only=True, vpce=ep, version="1.08",
                     resources=None)
    if op == "sts-gci":
        ip2 = ip if w["kind"] == "lambda" else nat_ips(acct, region)[gc.h64(session) % 2]
        return g.rec(t, "sts.amazonaws.com", "GetCallerIdentity", region, ident, ip2, ua, req=None, resp=None,
                     read_only=True, version="1.08", host=f"sts.{region}.amazonaws.com")
    if op == "sts-assume-reports":
        target = role_arn(acct, "ReportsReadOnlyRole")
        sess = "orders-api-reports"
        akid = gc.Gen.asia(target, sess, t.strftime("%Y%m%d"), t.hour)
        ip2 = nat_ips(acct, region)[gc.h64(session) % 2]
        return g.rec(t, "sts.amazonaws.com", "AssumeRole", region, ident, ip2, ua,
                     req={"roleArn": target, "roleSessionName": sess, "durationSeconds": 3600},
                     resp={"credentials": {"accessKeyId": akid, "sessionToken": "HIDDEN_DUE_TO_SECURITY_REASONS",
                                           "expiration": (t + dt.timedelta(hours=1)).strftime("%b %-d, %Y, %-I:%M:%S %p")},
                           "assumedRoleUser": {"assumedRoleId": f"{gc.role_id(target)}:{sess}",
                                               "arn": f"arn:aws:sts::{acct}:assumed-role/ReportsReadOnlyRole/{sess}"}},
                     resources=[{"accountId": acct, "type": "AWS::IAM::Role", "ARN": target}], read_only=True,
                     version="1.08", host=f"sts.{region}.amazonaws.com")
    raise AssertionError(op)


def service_assume_record(c, w, acct, region, t):
    """The service's own sts:AssumeRole that starts a workload session (AWSService identity)."""
    i = c.rng.randrange(w["sessions"])
    session = session_name(w, region, i)
    if w["kind"] == "lambda":
        session = f"awslambda_{c.rng.randrange(1000)}_{t:%Y%m%d%H%M%S}{c.rng.randrange(1000):03d}"
    return gc.assume_role_by_service(c.g, t, w["arn"], session, SERVICE_OF[w["kind"]], region)


# ---------------------------------------------------------------------------------------------------------
# Bedrock / AgentCore templates from the sample
# ---------------------------------------------------------------------------------------------------------
_AI = None


def ai_templates(seed):
    global _AI
    if _AI is None:
        pool = gc.build_templates(seed)
        _AI = {}
        for k, v in pool.items():
            ai = [s for s in v if '"eventSource":"bedrock' in s or ":role/service-role/AgentCoreRuntime-" in s
                  or ":role/AgentCoreRuntime-" in s
                  or ('"eventSource":"sts.amazonaws.com"' in s and "bedrock-agentcore.amazonaws.com" in s)]
            if ai:
                _AI[k] = ai
    return _AI


def new_id(rng):
    return "%08x-%04x-4%03x-%04x-%012x" % (rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                                           0x8000 | rng.getrandbits(14), rng.getrandbits(48))


# ---------------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------------
def rel_path(seed, acct, region, stamp, idx):
    suffix = gc.stable_token(gc.ALNUM, 16, "rsfile", seed, acct, region, stamp.strftime("%Y%m%dT%H%MZ"), idx)
    return (f"AWSLogs/{acct}/CloudTrail/{region}/{stamp:%Y/%m/%d}/"
            f"{acct}_CloudTrail_{region}_{stamp:%Y%m%dT%H%MZ}_{suffix}.json.gz")


def build_records(seed, acct, region, stamp, idx, n, tiny=False, large=False):
    """n records for one file (sorted by eventTime); returns (list of JSON strings, role-session count, ai count).
    A large file is a burst of one workload (a batch job, a backlog being drained): BURST_SHARE of its records come
    from that workload, the rest from the usual workload mix, none from Bedrock/AgentCore."""
    rng = random.Random(gc.h64("rsrec", seed, acct, region, stamp.isoformat(), idx))
    c = Ctx(seed, rng)
    ws, wweights = stream_workloads(acct, region)
    ai = None if large else ai_templates(seed).get((acct, region))
    ai_share = AI_SHARE[tiny]
    burst = None
    if large:
        bs = [w for w in ws if w["kind"] != "chained"]
        burst = rng.choices(bs, [w["weight"] for w in bs])[0]
    times = sorted(stamp - dt.timedelta(seconds=rng.randrange(60, 900 if rng.random() < 0.1 else 360)) for _ in range(n))
    out = []
    n_role = n_ai = 0
    for t in times:
        if ai and rng.random() < ai_share:
            s = rng.choice(ai)
            out.append(s.replace("\\u0000T\\u0000", gc.ts(t)).replace("\\u0000E\\u0000", new_id(rng))
                       .replace("\\u0000R\\u0000", new_id(rng)))
            n_ai += 1
            continue
        w = burst if burst is not None and rng.random() < BURST_SHARE else rng.choices(ws, wweights)[0]
        if w["kind"] != "chained" and rng.random() < 0.02:
            r = service_assume_record(c, w, acct, region, t)
        else:
            r = workload_record(c, w, acct, region, t)
            n_role += 1
        out.append(json.dumps(r, separators=(",", ":")))
    return out, n_role, n_ai




def rs_file(args):
    seed, out, acct, region, stamp_iso, idx, n, tiny = args
    stamp = dt.datetime.fromisoformat(stamp_iso)
    recs, n_role, n_ai = build_records(seed, acct, region, stamp, idx, n, tiny, large=not tiny and n >= LARGE)
    data = ('{"Records":[' + ",".join(recs) + "]}").encode()
    blob = gc.gz(data)
    p = os.path.join(out, rel_path(seed, acct, region, stamp, idx))
    os.makedirs(os.path.dirname(p), exist_ok=True)
    tmp = p + ".tmp"
    with open(tmp, "wb") as f:
        f.write(blob)
    os.replace(tmp, p)
    return len(data), len(blob), n, n_role, n_ai


def bytes_per_record(seed):
    """Mean record size over a fixed probe (deterministic), used to plan how many records make --size."""
    stamp = START + dt.timedelta(hours=12)
    total = count = 0
    for (acct, region), _ in STREAMS:
        recs, _, _ = build_records(seed, acct, region, stamp, 999999, 300)
        big, _, _ = build_records(seed, acct, region, stamp, 999998, 150, large=True)
        recs += big
        total += sum(len(s) + 1 for s in recs)
        count += len(recs)
    return total / count


BURST_FRACTION = 0.25   # real-shaped: share of the records in large burst files (400-1,400 records each)
QUIET_EVERY = {"eu-west-1": 3}   # quiet regions: activity (periodic jobs) only in every 3rd 5-minute window


def plan(seed, size, days, tiny, files=None):
    """[(acct, region, stamp, idx, records)], sorted by time.

    Traffic is steady: each account/region stream gets its share of the records in every 5-minute window (every
    third one in quiet eu-west-1), with lognormal noise (sigma 0.3), so no principal's rate jumps from one window to
    the next; a window's records are cut into files of at most 80-160 records (tiny: 1-10). Real-shaped archives
    also get burst files (400-1,400 records of mostly one workload, BURST_FRACTION of the records) at random
    windows. Record count from --size / the mean record size, or (tiny) about 5.5 per file for --files N, which
    is then met exactly by dropping or adding small files."""
    rng = random.Random(gc.h64("rsplan", seed, tiny, days))
    want = int(files * 5.5) if files else int(size / bytes_per_record(seed))
    windows = days * 288
    ordinary = want if tiny else int(want * (1 - BURST_FRACTION))
    chosen = []      # (stamp, acct, region, records)
    for (acct, region), weight in STREAMS:
        every = QUIET_EVERY.get(region, 1)
        active = [w for w in range(windows) if w % every == 0]
        mean = ordinary * weight / len(active)
        for w in active:
            stamp = START + dt.timedelta(minutes=5 * w + 5)
            n = int(mean * rng.lognormvariate(-0.045, 0.3) + rng.random())
            while n > 0:
                k = min(n, rng.randint(1, 10) if tiny else rng.randint(80, 160))
                if not tiny and n - k > 0 and n - k < 20:
                    k = n    # no sliver files: the last file of a window takes the rest
                k = min(k, LARGE - 1)
                chosen.append((stamp, acct, region, k))
                n -= k
    if not tiny:
        streams = [st for st, _ in STREAMS]
        sweights = [wt for _, wt in STREAMS]
        budget = want - ordinary
        while budget > 0:
            acct, region = rng.choices(streams, sweights)[0]
            every = QUIET_EVERY.get(region, 1)
            w = rng.randrange(windows // every) * every
            n = max(LARGE, min(rng.randint(LARGE, 1400), budget))
            chosen.append((START + dt.timedelta(minutes=5 * w + 5), acct, region, n))
            budget -= n
    elif files is not None:
        if len(chosen) > files:
            drop = set(rng.sample(range(len(chosen)), len(chosen) - files))
            chosen = [c for i, c in enumerate(chosen) if i not in drop]
        while len(chosen) < files:
            stamp, acct, region, _ = chosen[rng.randrange(len(chosen))]
            chosen.append((stamp, acct, region, rng.randint(1, 10)))
    chosen.sort(key=lambda x: (x[0], x[1], x[2]))
    seen = {}
    out = []
    for stamp, acct, region, n in chosen:
        k = (stamp, acct, region)
        idx = seen.get(k, 0)
        seen[k] = idx + 1
        out.append((acct, region, stamp, idx, n))
    return out


# ---------------------------------------------------------------------------------------------------------
# Policies for the workload roles
# ---------------------------------------------------------------------------------------------------------
def workload_policy(w):
    acct, regions = w["acct"], w["regions"]
    st = []
    ops = set(w["opnames"])
    if any(o.startswith("ec2-") for o in ops):
        st.append({"Sid": "Describe", "Effect": "Allow", "Action": ["ec2:Describe*"], "Resource": "*"})
    kms_actions = sorted({"kms:Decrypt" for o in ops if o in ("kms-decrypt", "kms-via-s3")} |
                         {"kms:GenerateDataKey" for o in ops if o in ("kms-gdk", "kms-via-s3")})
    if kms_actions:
        s = {"Sid": "Kms", "Effect": "Allow", "Action": kms_actions,
             "Resource": [kms_key(acct, r, w["role"]) for r in regions]}
        if "kms-via-s3" in ops:
            s["Condition"] = {"StringEquals": {"kms:ViaService": [f"s3.{r}.amazonaws.com" for r in regions]}}
        st.append(s)
    s3a = sorted({"s3:GetObject" for o in ops if o in ("s3-get", "s3-head")} | {"s3:PutObject" for o in ops if o == "s3-put"})
    if s3a:
        st.append({"Sid": "Objects", "Effect": "Allow", "Action": s3a, "Resource": f"arn:aws:s3:::{w['bucket']}/*"})
    if "s3-list" in ops:
        st.append({"Sid": "List", "Effect": "Allow", "Action": "s3:ListBucket", "Resource": f"arn:aws:s3:::{w['bucket']}"})
    ddb = sorted({{"ddb-get": "dynamodb:GetItem", "ddb-put": "dynamodb:PutItem", "ddb-query": "dynamodb:Query",
                   "ddb-update": "dynamodb:UpdateItem", "ddb-batchget": "dynamodb:BatchGetItem",
                   "ddb-batchwrite": "dynamodb:BatchWriteItem"}[o] for o in ops if o.startswith("ddb-")})
    if ddb:
        s = {"Sid": "Table", "Effect": "Allow", "Action": ddb,
             "Resource": [f"arn:aws:dynamodb:{r}:{acct}:table/{w['table']}" for r in regions]}
        if w["kind"] == "ecs":
            s["Condition"] = {"StringEquals": {"aws:SourceVpce": [vpce(acct, r, "ddb") for r in regions]}}
        st.append(s)
    logs = sorted({"logs:CreateLogStream" for o in ops if o == "logs-create-stream"} |
                  {"logs:DescribeLogStreams" for o in ops if o == "logs-describe-streams"} |
                  {"logs:DescribeLogGroups" for o in ops if o == "logs-describe-groups"})
    if logs:
        st.append({"Sid": "Logs", "Effect": "Allow", "Action": logs + ["logs:PutLogEvents"],
                   "Resource": [f"arn:aws:logs:{r}:{acct}:log-group:{w['log_group']}:*" for r in regions]
                   if "logs:DescribeLogGroups" not in logs else "*"})
    if "ssm-get-parameters" in ops:
        st.append({"Sid": "Params", "Effect": "Allow", "Action": ["ssm:GetParameters", "ssm:GetParameter"],
                   "Resource": [f"arn:aws:ssm:{r}:{acct}:parameter/{w['role'].replace('Role', '').lower()}/*" for r in regions]})
    if "secret-get" in ops:
        st.append({"Sid": "Secret", "Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                   "Resource": [f"arn:aws:secretsmanager:{r}:{acct}:secret:{w['role'].replace('Role', '').lower()}/*" for r in regions]})
    if "sts-assume-reports" in ops:
        st.append({"Sid": "Reports", "Effect": "Allow", "Action": "sts:AssumeRole",
                   "Resource": role_arn(acct, "ReportsReadOnlyRole")})
    return {"Version": "2012-10-17", "Statement": st}


def workload_trust(w):
    if w["kind"] == "chained":
        return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
            "AWS": role_arn(w["acct"], "OrdersApiTaskRole")}, "Action": "sts:AssumeRole"}]}
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": SERVICE_OF[w["kind"]]},
                                                    "Action": "sts:AssumeRole"}]}


MANAGED = {"ec2": ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
                   "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
           "lambda": ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"], "ecs": [], "chained": []}


def write_workload_policies(out):
    pdir = os.path.join(out, "policies")
    os.makedirs(pdir, exist_ok=True)
    written = gc.write_policies(out)            # the AI roles of the sample (RoleName.json, authorization-details.json)
    base = "2024-11-04T16:20:11+00:00"
    for acct in (A, B):
        roles = []
        for w in WORKLOADS:
            if w["acct"] != acct:
                continue
            doc = workload_policy(w)
            with open(os.path.join(pdir, w["role"] + ".json"), "w") as f:
                json.dump(doc, f, indent=2)
                f.write("\n")
            pname = w["role"].replace("Role", "") + "Access"
            roles.append({"Path": "/", "RoleName": w["role"], "RoleId": gc.role_id(w["arn"]), "Arn": w["arn"],
                          "CreateDate": base, "AssumeRolePolicyDocument": workload_trust(w),
                          "InstanceProfileList": [], "RolePolicyList": [{"PolicyName": pname, "PolicyDocument": doc}],
                          "AttachedManagedPolicies": [{"PolicyName": m.rsplit("/", 1)[1], "PolicyArn": m}
                                                      for m in MANAGED[w["kind"]]],
                          "Tags": [], "RoleLastUsed": {}})
        with open(os.path.join(pdir, f"authorization-details-{acct}.json"), "w") as f:
            json.dump({"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": roles, "Policies": [],
                       "IsTruncated": False}, f, indent=2)
            f.write("\n")
    return sorted(os.listdir(pdir))


# ---------------------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------------------
def write_realshaped(out, seed, size, days, tiny, jobs, files=None):
    items = plan(seed, size, days, tiny, files)
    args = [(seed, out, acct, region, stamp.isoformat(), idx, n, tiny) for acct, region, stamp, idx, n in items]
    if jobs > 1:
        import multiprocessing as mp
        with mp.Pool(jobs) as pool:
            res = pool.map(rs_file, args, chunksize=16)
    else:
        res = [rs_file(a) for a in args]
    pols = write_workload_policies(out)
    unc = sum(r[0] for r in res)
    comp = sorted(r[1] for r in res)
    recs = sum(r[2] for r in res)
    role = sum(r[3] for r in res)
    ai = sum(r[4] for r in res)

    def pct(p):
        return comp[min(len(comp) - 1, int(p * len(comp)))] if comp else 0
    m = {"mode": "tiny-files" if tiny else "real-shaped", "seed": seed, "days": days, "files": len(res),
         "records": recs, "uncompressedBytes": unc, "compressedBytes": sum(comp),
         "recordsPerFile": round(recs / max(1, len(res)), 1),
         "workloadRoleSessionRecords": role, "workloadRoleSessionShare": round(role / max(1, recs), 3),
         "bedrockAgentCoreRecords": ai, "bedrockAgentCoreShare": round(ai / max(1, recs), 3),
         "gzipBytesPercentiles": {"p10": pct(0.1), "p50": pct(0.5), "p90": pct(0.9), "p99": pct(0.99),
                                  "max": comp[-1] if comp else 0},
         "policies": pols}
    print(f"{m['mode']}: {len(res)} files, {recs} records ({m['workloadRoleSessionShare']:.0%} workload role sessions, "
          f"{m['bedrockAgentCoreShare']:.0%} Bedrock/AgentCore), {unc} bytes JSON, {m['compressedBytes']} bytes gzip, "
          f"median file {pct(0.5)} bytes gzip", file=sys.stderr)
    return m

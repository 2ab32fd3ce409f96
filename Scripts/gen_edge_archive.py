#!/usr/bin/env python3
"""Writes Tests/AgentTrailTests/Fixtures/archive-edge/: a small CloudTrail archive of edge cases + manifest.json.

Deterministic (seeded records, gzip mtime 0). Every expected number in the manifest is computed from the bytes
written, e.g. the recoverable records of the truncated file come from inflating the truncated bytes with
zlib.decompressobj and counting the complete record objects that precede the cut.

  python3 Scripts/gen_edge_archive.py [--out Tests/AgentTrailTests/Fixtures/archive-edge]
"""
import argparse
import datetime as dt
import json
import os
import shutil
import sys
import zlib

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_cloudtrail as G  # noqa: E402

ACCT = "111122223333"
REGION = "us-east-1"
DAY = dt.datetime(2025, 7, 14, tzinfo=dt.timezone.utc)
BASE = f"AWSLogs/{ACCT}/CloudTrail/{REGION}/2025/07/14"


def name(stamp, suffix, ext=".json.gz"):
    return f"{BASE}/{ACCT}_CloudTrail_{REGION}_20250714T{stamp}Z_{suffix}{ext}"


def records(g, n, start_minute, sources=None):
    """n realistic records (Bedrock, AgentCore, S3, STS mix) starting at 2025-07-14T03:<start_minute>."""
    out = []
    t = DAY + dt.timedelta(hours=3, minutes=start_minute)
    kinds = sources or ["invoke", "converse", "agentcore", "s3", "sts", "ec2"]
    for i in range(n):
        t += dt.timedelta(seconds=g.rng.randrange(1, 9))
        k = kinds[i % len(kinds)]
        ident = g.assumed(G.role(ACCT, "AgentCoreRuntime-support-bot", "/service-role/"), "BedrockAgentCore-edge", t)
        ip = "10.20.31.17"
        if k == "invoke":
            r = G.bedrock_invoke(g, t, ident, ip, G.UA_AGENT, REGION, G.M_SONNET)
        elif k == "converse":
            r = G.bedrock_invoke(g, t, ident, ip, G.UA_AGENT, REGION, G.M_HAIKU, name="Converse")
        elif k == "agentcore":
            r = G.agentcore_data(g, t, ident, ip, G.UA_AGENT, "RetrieveMemoryRecords", G.MEM_SUPPORT,
                                 "AWS::BedrockAgentCore::Memory",
                                 {"memoryId": G.MEM_SUPPORT_ID, "namespace": f"/support/customer-{i:04d}/facts",
                                  "searchCriteria": {"searchQuery": "HIDDEN_DUE_TO_SECURITY_REASONS", "topK": 5}},
                                 REGION, ACCT)
        elif k == "s3":
            r = G.s3_object_event(g, t, ident, ip, G.UA_AGENT, REGION, G.B_SUPPORT_KB, f"kb/articles/billing/{100 + i}.md")
        elif k == "sts":
            r = g.rec(t, "sts.amazonaws.com", "GetCallerIdentity", REGION, ident, ip, G.UA_AGENT, req=None)
        else:
            r = g.rec(t, "ec2.amazonaws.com", "DescribeInstances", REGION,
                      g.iam_user(ACCT, "ci-deployer", G.AKIA["ci-deployer"]), "20.42.18.7", G.UA_CLI,
                      req={"instancesSet": {"items": [{"instanceId": f"i-0{i:016x}"}]}, "filterSet": {}})
        out.append(r)
    return out


def dumps(obj):
    return json.dumps(obj, separators=(",", ":"))


def doc(recs):
    return ('{"Records":[' + ",".join(dumps(r) for r in recs) + "]}").encode()


def count_sources(recs, acc):
    for r in recs:
        if isinstance(r, dict):
            s = r.get("eventSource", "")
            acc[s] = acc.get(s, 0) + 1


def recoverable_records(partial):
    """Complete record objects at the start of a (possibly cut) `{"Records":[...` text."""
    text = partial.decode("utf-8", errors="ignore")
    prefix = '{"Records":['
    assert text.startswith(prefix)
    dec = json.JSONDecoder()
    pos = len(prefix)
    got = []
    while pos < len(text):
        try:
            obj, end = dec.raw_decode(text, pos)
        except json.JSONDecodeError:
            break
        # an object is complete only when the closing brace is present in the text
        got.append(obj)
        pos = end
        if pos < len(text) and text[pos] == ",":
            pos += 1
        else:
            break
    return got


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="Tests/AgentTrailTests/Fixtures/archive-edge")
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    out = a.out
    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    g = G.Gen(a.seed)
    files = []

    def put(rel, data):
        p = os.path.join(out, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(data)

    def entry(rel, kind, outcome, recs=None, reason=None, malformed=0, **extra):
        srcs = {}
        count_sources(recs or [], srcs)
        e = {"path": rel, "kind": kind, "outcome": outcome, "reasonKind": reason,
             "records": sum(1 for r in (recs or []) if isinstance(r, dict)), "malformed": malformed,
             "perEventSource": dict(sorted(srcs.items())), "bytes": os.path.getsize(os.path.join(out, rel))}
        e.update(extra)
        files.append(e)

    # 1. a normal file
    recs = records(g, 6, 0)
    rel = name("0305", "Nm4rMaLf1Le0001a")
    put(rel, G.gz(doc(recs)))
    entry(rel, "normal", "read", recs)

    # 2. truncated gzip: cut in the middle of the deflate stream
    recs = records(g, 60, 5)
    data = doc(recs)
    blob = G.gz(data)
    cut = len(blob) * 11 // 20
    trunc = blob[:cut]
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    partial = d.decompress(trunc)
    assert not d.eof, "cut must be inside the stream"
    got = recoverable_records(partial)
    assert 0 < len(got) < len(recs)
    assert got == recs[: len(got)], "recovered records must equal the originals"
    tail = partial[len(doc(recs[: len(got)])) - 2:]  # bytes after the last complete record (",{..." partial)
    assert len(tail) > 1, "the cut must fall inside a record"
    rel = name("0310", "TrUnCaTeD0000002")
    put(rel, trunc)
    entry(rel, "truncated-gzip", "failed", got, reason="truncated", totalRecordsBeforeCut=len(recs),
          recoverableRecords=len(got), inflatedBytes=len(partial), fullUncompressedBytes=len(data),
          cutAtCompressedByte=cut, fullCompressedBytes=len(blob),
          note="records fully recoverable before the cut are counted in records; the file is reported as failed "
               "(unexpected end of gzip stream) after yielding them")

    # 3. multi-member gzip: one document split at arbitrary byte points, each part its own gzip member
    recs = records(g, 9, 15)
    data = doc(recs)
    p1, p2 = len(data) // 3 + 7, 2 * len(data) // 3 + 3
    assert data[p1 - 1:p1 + 1] != b'",'
    blob = G.gz(data[:p1]) + G.gz(data[p1:p2]) + G.gz(data[p2:])
    rel = name("0315", "MuLtIMeMbEr00003")
    put(rel, blob)
    entry(rel, "multi-member-gzip", "read", recs, members=3, splitAtUncompressedBytes=[p1, p2])

    # 4. empty file (0 bytes) and 5. a valid gzip member of zero bytes
    rel = name("0320", "EmPtYfIlE0000004")
    put(rel, b"")
    entry(rel, "empty-file", "empty", [], reason="empty",
          note="0 bytes: no records; should be reported (warning), must not abort the scan")
    rel = name("0325", "EmPtYmEmBeR00005")
    put(rel, G.gz(b""))
    entry(rel, "empty-gzip-member", "empty", [], reason="empty",
          note="valid gzip whose content is 0 bytes: no records; must not abort the scan")

    # 6. plain uncompressed .json (pretty-printed, as a user might save it)
    recs = records(g, 4, 30)
    rel = name("0330", "PlAiNjSoN0000006", ext=".json")
    put(rel, (json.dumps({"Records": recs}, indent=2) + "\n").encode())
    entry(rel, "plain-json", "read", recs)

    # 7. JSON Lines export (CloudTrail Lake / Athena / SIEM), outside the AWSLogs layout
    recs = records(g, 5, 35)
    rel = "exports/cloudtrail-lake-export-2025-07-14.jsonl"
    put(rel, ("\n".join(dumps(r) for r in recs) + "\n").encode())
    entry(rel, "jsonl", "read", recs)

    # 8. digest file (no Records)
    start = DAY + dt.timedelta(hours=2)
    digest = {
        "awsAccountId": ACCT, "digestStartTime": G.ts(start), "digestEndTime": G.ts(start + dt.timedelta(hours=1)),
        "digestS3Bucket": f"aws-cloudtrail-logs-{ACCT}",
        "digestS3Object": f"AWSLogs/{ACCT}/CloudTrail-Digest/{REGION}/2025/07/14/{ACCT}_CloudTrail-Digest_{REGION}_management-trail_{REGION}_20250714T030000Z.json.gz",
        "digestPublicKeyFingerprint": "8e1f4c2b7a9d0e3f5a6b7c8d9e0f1a2b", "digestSignatureAlgorithm": "SHA256withRSA",
        "newestEventTime": G.ts(start + dt.timedelta(minutes=58)), "oldestEventTime": G.ts(start + dt.timedelta(minutes=1)),
        "previousDigestS3Bucket": f"aws-cloudtrail-logs-{ACCT}",
        "previousDigestS3Object": f"AWSLogs/{ACCT}/CloudTrail-Digest/{REGION}/2025/07/14/{ACCT}_CloudTrail-Digest_{REGION}_management-trail_{REGION}_20250714T020000Z.json.gz",
        "previousDigestHashValue": "a3f1c9e2b4d6f8a0c2e4f6a8b0d2f4a6c8e0b2d4f6a8c0e2b4d6f8a0c2e4f6a8",
        "previousDigestHashAlgorithm": "SHA-256", "previousDigestSignature": "5f1e" * 64,
        "logFiles": [{"s3Bucket": f"aws-cloudtrail-logs-{ACCT}", "s3Object": name("0305", "Nm4rMaLf1Le0001a"),
                      "hashValue": "9b2c4e6a8f0d1b3c5e7a9f1d3b5c7e9a1f3d5b7c9e1a3f5d7b9c1e3a5f7d9b1c",
                      "hashAlgorithm": "SHA-256", "newestEventTime": G.ts(start + dt.timedelta(minutes=58)),
                      "oldestEventTime": G.ts(start + dt.timedelta(minutes=1))}],
    }
    rel = (f"AWSLogs/{ACCT}/CloudTrail-Digest/{REGION}/2025/07/14/"
           f"{ACCT}_CloudTrail-Digest_{REGION}_management-trail_{REGION}_20250714T0300Z.json.gz")
    put(rel, G.gz(dumps(digest).encode()))
    entry(rel, "digest", "skipped", [], reason="digest")

    # 9. insight file (insight events, not API calls)
    ins = []
    for state, minute in (("Start", 0), ("End", 40)):
        t = DAY + dt.timedelta(hours=1, minutes=minute)
        ins.append({"eventVersion": "1.08", "eventTime": G.ts(t), "awsRegion": REGION, "eventID": g.uuid(),
                    "eventType": "AwsCloudTrailInsight", "recipientAccountId": ACCT, "sharedEventID": "4c1b7f6e-0d2a-4b3c-9e8f-1a2b3c4d5e6f",
                    "insightDetails": {"state": state, "eventSource": "bedrock.amazonaws.com", "eventName": "InvokeModel",
                                       "insightType": "ApiCallRateInsight",
                                       "insightContext": {"statistics": {"baseline": {"average": 0.0416},
                                                                         "insight": {"average": 2.35} if state == "Start" else {"average": 2.1},
                                                                         **({"insightDuration": 40} if state == "End" else {})},
                                                          "attributions": [{"attribute": "userIdentityArn",
                                                                            "insight": [{"value": f"arn:aws:sts::{ACCT}:assumed-role/BatchSummarizerRole/batch-summarizer", "average": 2.3}],
                                                                            "baseline": [{"value": f"arn:aws:sts::{ACCT}:assumed-role/BatchSummarizerRole/batch-summarizer", "average": 0.04}]}]}},
                    "eventCategory": "Insight"})
    rel = (f"AWSLogs/{ACCT}/CloudTrail-Insight/{REGION}/2025/07/14/"
           f"{ACCT}_CloudTrail-Insight_{REGION}_20250714T0145Z_InSiGhT00000009.json.gz")
    put(rel, G.gz(doc(ins)))
    entry(rel, "insight", "skipped", [], reason="insight", insightEvents=len(ins))

    # 10. a malformed record in the middle (a JSON value that is not an object); the rest must be read
    recs = records(g, 4, 45)
    items = [dumps(recs[0]), dumps(recs[1]), '"HIDDEN_DUE_TO_SECURITY_REASONS"', dumps(recs[2]), dumps(recs[3])]
    rel = name("0345", "MaLfOrMeDrEc0010")
    put(rel, G.gz(('{"Records":[' + ",".join(items) + "]}").encode()))
    entry(rel, "malformed-record", "read", recs, malformed=1,
          note="third element of Records is a JSON string, not an object: count it as malformed, keep the other 4")

    # 11. unicode: \u escapes, a surrogate pair, raw UTF-8, escaped quotes/backslashes/slashes
    recs = records(g, 3, 50, sources=["invoke"])
    r = recs[1]
    r["userIdentity"]["arn"] = r["userIdentity"]["arn"].replace("BedrockAgentCore-edge", "jos\u00e9.garc\u00eda")
    r["userIdentity"]["principalId"] = r["userIdentity"]["principalId"].replace("BedrockAgentCore-edge", "jos\u00e9.garc\u00eda")
    body = dumps(r)
    # write some non-ASCII characters as raw UTF-8 and others as escapes, plus an astral character as a surrogate pair
    body = body.replace('"userAgent":"' + G.UA_AGENT + '"',
                        '"userAgent":"caf\u00e9-agent/1.0 (\u65e5\u672c) \\"quoted\\" back\\\\slash http:\\/\\/x"')
    body = body.replace('"errorCode"', '"errorCode"')  # (no error on this record)
    body = body.replace('"requestParameters":{"modelId":"' + G.M_SONNET + '"',
                        '"requestParameters":{"modelId":"' + G.M_SONNET + '","note":"caf\\u00e9 \\ud83d\\ude00 \\u2028 tab\\tnl\\n"')
    text = '{"Records":[' + dumps(recs[0]) + "," + body + "," + dumps(recs[2]) + "]}"
    parsed = json.loads(text)["Records"][1]
    assert parsed["requestParameters"]["note"] == "caf\u00e9 \U0001F600 \u2028 tab\tnl\n"
    assert parsed["userAgent"] == 'caf\u00e9-agent/1.0 (\u65e5\u672c) "quoted" back\\slash http://x'
    assert "jos\u00e9.garc\u00eda" in parsed["userIdentity"]["arn"]
    rel = name("0350", "UnIcOdEeScApE011")
    put(rel, G.gz(text.encode("utf-8")))
    entry(rel, "unicode", "read", recs,
          expect={"eventID": parsed["eventID"], "userAgent": parsed["userAgent"],
                  "userIdentity.arn": parsed["userIdentity"]["arn"],
                  "requestParameters.note": parsed["requestParameters"]["note"],
                  "sessionName": "jos\u00e9.garc\u00eda"})

    total_src = {}
    for e in files:
        for k, v in e["perEventSource"].items():
            total_src[k] = total_src.get(k, 0) + v
    manifest = {
        "generator": "Scripts/gen_edge_archive.py", "seed": a.seed,
        "outcomes": {"read": "records decoded", "failed": "file error after yielding what was recoverable",
                     "empty": "no content; warn, do not abort", "skipped": "digest / insight file, not API records"},
        "files": len(files),
        "filesByOutcome": {o: sum(1 for e in files if e["outcome"] == o) for o in ("read", "failed", "empty", "skipped")},
        "records": sum(e["records"] for e in files),
        "recordsExcludingTruncated": sum(e["records"] for e in files if e["kind"] != "truncated-gzip"),
        "malformed": sum(e["malformed"] for e in files),
        "perEventSource": dict(sorted(total_src.items())),
        "perFile": files,
    }
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(json.dumps({k: v for k, v in manifest.items() if k != "perFile"}), file=sys.stderr)


if __name__ == "__main__":
    main()

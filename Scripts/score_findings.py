#!/usr/bin/env python3
"""Score AgentTrail's findings against the labels of a `gen_cloudtrail.py --realistic` archive (stdlib only).

  python3 Scripts/score_findings.py ARCHIVE                     # runs agenttrail scan ARCHIVE --policies ARCHIVE/policies --format json
  python3 Scripts/score_findings.py ARCHIVE --findings out.json # reads a saved `scan --format json` output instead
  options: --agenttrail BIN (default $AGENTTRAIL_BIN, else .build/release/agenttrail, else agenttrail on PATH)
           --min-severity medium (default) | --labels FILE (default ARCHIVE/labels.json)
           --format text|json | --all (list every unmatched finding, not one line per detector+principal)

Only findings at or above --min-severity are scored. For each finding:
  incident   its detector is an incident's detector (or one of the incident's alsoExpected detectors) and its
             evidence event ids intersect the incident's event ids; when the finding lists no event ids, or lists
             only its earliest ones and its time span covers the incident, naming the incident's principal for
             that detector is enough;
  related    its evidence intersects an incident's event ids although the detector is not listed for it
             (it still points an analyst at the incident);
  posture    not an incident, but a finding the detection spec asks for (labels.expectedFindings: policy
             problems, long-term keys on Bedrock), matched by detector + principal;
  false pos. everything else; the near-misses whose events it cites (and whose mustNotFire lists the detector)
             are named.
Recall: per incident, is there a finding of the incident's detector naming the incident's principal? The strict
figure also requires that finding to be matched to the incident as above (it cites the incident's events). Precision = (incident + related) / scored findings; the "with posture" figure also
counts posture findings as correct.
Exit status: 0 (scoring is a report, not a gate).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

SEVERITY = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


def find_binary(arg):
    if arg:
        return arg
    if os.environ.get("AGENTTRAIL_BIN"):
        return os.environ["AGENTTRAIL_BIN"]
    here = os.path.dirname(os.path.abspath(__file__))
    local = os.path.join(os.path.dirname(here), ".build", "release", "agenttrail")
    if os.path.exists(local):
        return local
    return shutil.which("agenttrail") or "agenttrail"


def run_scan(binary, archive):
    archive = os.path.abspath(archive)
    cmd = [binary, "scan", archive, "--policies", os.path.join(archive, "policies"), "--format", "json"]
    # Run from an empty directory so that no ./agenttrail.yml is picked up: the archive is scored with defaults.
    with tempfile.TemporaryDirectory() as cwd:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode not in (0, 2):
        sys.stderr.write(p.stderr.decode("utf-8", "replace"))
        sys.exit(f"score_findings: {' '.join(cmd)} exited {p.returncode}")
    return json.loads(p.stdout), cmd


def as_list(x):
    return x if isinstance(x, list) else [x]


def evidence_ids(f):
    ids = set(f.get("eventIds") or [])
    for e in f.get("evidence") or []:
        if e.get("eventId"):
            ids.add(e["eventId"])
    return ids


def truncated(f):
    listed = len(f.get("eventIds") or [])
    return (f.get("evidenceTotal") or f.get("count") or 0) > listed


def overlaps(f, inc):
    a, b = f.get("firstSeen"), f.get("lastSeen")
    if not a or not b:
        return True
    return a[:19] <= inc["lastSeen"][:19] and b[:19] >= inc["firstSeen"][:19]


def score(report, labels, min_sev):
    floor = SEVERITY[min_sev]
    findings = [f for f in report.get("findings", []) if SEVERITY.get(f.get("severity"), 0) >= floor]
    incidents = labels["incidents"]
    inc_ids = {i["id"]: set(i["eventIds"]) for i in incidents}
    near = [dict(n, ids=set(n["eventIds"])) for n in labels.get("nearMisses", [])]
    expected = {(e["detector"], e["principal"]) for e in labels.get("expectedFindings", [])}

    rows = []
    for f in findings:
        ev = evidence_ids(f)
        det, pr = f.get("detector"), f.get("principal")
        matched = []
        for inc in incidents:
            pairs = [(inc["detector"], inc["principal"])] + [(a["detector"], a["principal"]) for a in inc["alsoExpected"]]
            if det not in {d for d, _ in pairs}:
                continue
            if ev & inc_ids[inc["id"]]:
                matched.append((inc["id"], "events"))
            elif (det, pr) in pairs and (not ev or (truncated(f) and overlaps(f, inc))):
                # No event ids to compare (policy-style finding), or the finding lists only its earliest events
                # and its time span covers the incident: fall back to detector + principal.
                matched.append((inc["id"], "principal"))
        row = {"detector": det, "severity": f.get("severity"), "principal": pr, "title": f.get("title"),
               "subject": f.get("subject"), "eventIds": sorted(ev)[:5]}
        if matched:
            row["class"] = "incident"
            row["incidents"] = [m[0] for m in matched]
            row["by"] = sorted({m[1] for m in matched})
        else:
            rel = [inc["id"] for inc in incidents if ev & inc_ids[inc["id"]]]
            if rel:
                row["class"] = "related"
                row["incidents"] = rel
            elif (det, pr) in expected:
                row["class"] = "posture"
            else:
                row["class"] = "false-positive"
                hits = [n["id"] for n in near if det in n["mustNotFire"] and ev & n["ids"]]
                if not hits and not ev:
                    hits = [n["id"] for n in near if det in n["mustNotFire"] and pr in as_list(n["principal"])]
                row["nearMisses"] = hits
        rows.append(row)

    recall = []
    for inc in incidents:
        hits = [r for r in rows if r["detector"] == inc["detector"] and r["principal"] == inc["principal"]]
        by_events = [r for r in rows if r["detector"] == inc["detector"] and r["principal"] == inc["principal"]
                     and set(r.get("incidents", [])) >= {inc["id"]} and "events" in r.get("by", [])]
        also = sorted({(r["detector"], r["principal"]) for r in rows
                       if inc["id"] in r.get("incidents", []) and r["detector"] != inc["detector"]})
        recall.append({"id": inc["id"], "detector": inc["detector"], "principal": inc["principal"],
                       "summary": inc["summary"], "detected": bool(hits), "citesIncidentEvents": bool(by_events),
                       "findings": len(hits), "otherDetectorsOnIncident": [d for d, _ in also]})

    n = len(rows)
    c = {k: sum(1 for r in rows if r["class"] == k) for k in ("incident", "related", "posture", "false-positive")}
    return {"minSeverity": min_sev, "scored": n, "classes": c,
            "recall": {"detected": sum(1 for r in recall if r["detected"]), "incidents": len(recall),
                       "citingIncidentEvents": sum(1 for r in recall if r["citesIncidentEvents"])},
            "precision": (c["incident"] + c["related"]) / n if n else None,
            "precisionWithPosture": (c["incident"] + c["related"] + c["posture"]) / n if n else None,
            "perIncident": recall, "findings": rows}


def short(arn):
    return arn.replace("arn:aws:iam::", "").replace("role/aws-reserved/sso.amazonaws.com/", "sso/") if arn else str(arn)


def print_text(res, labels, show_all, cmd):
    out = sys.stdout.write
    if cmd:
        out("scan: " + " ".join(cmd) + "\n")
    out(f"labels: {labels.get('generator')} seed {labels.get('seed')}, {labels.get('records')} records, "
        f"{len(labels['incidents'])} incidents, {len(labels.get('nearMisses', []))} near-misses\n")
    r = res["recall"]
    out(f"\nRECALL (severity >= {res['minSeverity']}): {r['detected']}/{r['incidents']} incidents have a finding of the "
        f"expected detector naming the expected principal ({r['citingIncidentEvents']} citing the incident's events)\n")
    for i in res["perIncident"]:
        mark = "hit " if i["detected"] else "MISS"
        ev = " (cites its events)" if i["citesIncidentEvents"] else (" (principal only)" if i["detected"] else "")
        other = f"; other detectors on it: {', '.join(sorted(set(i['otherDetectorsOnIncident'])))}" if i["otherDetectorsOnIncident"] else ""
        out(f"  {mark} {i['id']} {i['detector']:<27} {short(i['principal'])}{ev}{other}\n")
    c = res["classes"]
    p = res["precision"]
    pp = res["precisionWithPosture"]
    out(f"\nPRECISION (severity >= {res['minSeverity']}): {res['scored']} findings: {c['incident']} incident, "
        f"{c['related']} related to an incident, {c['posture']} expected posture, {c['false-positive']} false positive\n")
    if p is not None:
        out(f"  precision = (incident + related) / all = {c['incident'] + c['related']}/{res['scored']} = {p:.3f}\n")
        out(f"  counting expected posture findings as correct: {c['incident'] + c['related'] + c['posture']}/{res['scored']} = {pp:.3f}\n")
    fps = [x for x in res["findings"] if x["class"] == "false-positive"]
    out(f"\nFALSE POSITIVES ({len(fps)})" + ("" if show_all else ", grouped by detector and principal") + ":\n")
    if show_all:
        for x in sorted(fps, key=lambda x: (x["detector"], x["principal"] or "", x["title"] or "")):
            nm = ",".join(x["nearMisses"]) or "-"
            out(f"  [{x['severity']}] {x['detector']} {short(x['principal'])} near-miss {nm}: {x['title']}\n")
    else:
        groups = {}
        for x in fps:
            groups.setdefault((x["detector"], x["principal"]), []).append(x)
        for (d, pr), xs in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0][0], kv[0][1] or "")):
            nms = sorted({n for x in xs for n in x["nearMisses"]})
            sev = "/".join(sorted({x["severity"] for x in xs}, key=lambda s: -SEVERITY[s]))
            out(f"  {len(xs):>5} x [{sev}] {d} {short(pr)} (near-miss {','.join(nms) or 'none'})\n"
                f"          e.g. {xs[0]['title']}\n")
    post = [x for x in res["findings"] if x["class"] == "posture"]
    if post:
        out(f"\nEXPECTED POSTURE FINDINGS ({len(post)}; not incidents, asked for by the detection spec):\n")
        for x in post:
            out(f"  [{x['severity']}] {x['detector']} {short(x['principal'])}: {x['title']}\n")
    rel = [x for x in res["findings"] if x["class"] == "related"]
    if rel:
        out(f"\nRELATED TO AN INCIDENT BY EVIDENCE, OTHER DETECTOR ({len(rel)}):\n")
        for x in rel:
            out(f"  [{x['severity']}] {x['detector']} {short(x['principal'])} -> {','.join(x['incidents'])}: {x['title']}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("archive")
    ap.add_argument("--findings", help="saved output of `agenttrail scan --format json` (else the scan is run)")
    ap.add_argument("--agenttrail", help="agenttrail binary")
    ap.add_argument("--labels", help="labels file (default ARCHIVE/labels.json)")
    ap.add_argument("--min-severity", default="medium", choices=list(SEVERITY))
    ap.add_argument("--format", default="text", choices=["text", "json"])
    ap.add_argument("--all", action="store_true", help="list every false positive")
    a = ap.parse_args()
    with open(a.labels or os.path.join(a.archive, "labels.json")) as f:
        labels = json.load(f)
    cmd = None
    if a.findings:
        with open(a.findings) as f:
            report = json.load(f)
    else:
        report, cmd = run_scan(find_binary(a.agenttrail), a.archive)
    res = score(report, labels, a.min_severity)
    if a.format == "json":
        json.dump(res, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print_text(res, labels, a.all, cmd)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Validate AgentTrail's Sigma rule pack against its fixtures (a test oracle independent of the Swift engine).

  Scripts/check-rule-pack.py [--pack DIR] [--fixtures DIR] [--reallogs DIR] [-v]

Needs pySigma (PyPI `pysigma`), e.g. in a venv:
  python3 -m venv .build/venv && .build/venv/bin/pip install pysigma
  .build/venv/bin/python Scripts/check-rule-pack.py

What it checks (exit status 1 on any failure):
  (a) every `.yml` under the pack parses with pySigma (multi-document files: a base rule plus its correlation rules),
      and pySigma's offline validators find nothing of medium or high severity (low ones are printed);
  (b) every rule has id (UUID), title, level, references, tags; detection rules have `logsource: {product: aws,
      service: cloudtrail}`; ids are unique; every file has a fixtures folder `<slug>/` with >= 1 `positive*.json` and
      >= 1 `negative*.json`;
  (c) evaluation on the fixtures: for a file without correlation, every positive file has >= 1 record the rule
      matches and no negative record matches; for a file with correlation rules, the base rule matches >= 1 record of
      every positive file, at least one correlation fires on every positive file, every correlation fires on at least
      one positive file, and none fires on a negative file.
Then it runs every rule (and every correlation) over every negative file of every other rule and over
../shared/reallogs beside the clone (when present) and prints the matches at level medium or above; these are reported for review,
they do not fail the run.

Matching conventions (the ones the Swift engine implements; see Docs/RulePack.md):
  - field names are dotted paths; a path step over a JSON array applies to every element, and a final array value
    is flattened, so any element matching is enough;
  - string comparison is case-insensitive unless `|cased`; `*` and `?` are wildcards; JSON booleans and numbers are
    compared through their JSON text (`true`, `false`, `5`);
  - a missing field never matches (also not under `|re`, `|contains`, ...); `null` matches a field that is missing
    or JSON null; `|exists: true` needs the field present and not null;
  - `|fieldref` compares with the value of another field of the same record (case-insensitive); missing -> no match;
  - `|cidr` for IP addresses, `|gt` `|gte` `|lt` `|lte` for numbers or numeric strings, `|re` is a Python/ICU-
    compatible regular expression searched anywhere in the value (`(?i)` only when written);
  - correlation `event_count`: base-rule matches grouped by the `group-by` fields (an event that lacks a group-by
    field is not counted), counted in a sliding window of `timespan` on `eventTime`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import glob
import gzip
import ipaddress
import json
import os
import re
import sys
import uuid

try:
    from sigma.collection import SigmaCollection
    from sigma.conditions import (ConditionAND, ConditionFieldEqualsValueExpression, ConditionNOT, ConditionOR,
                                  ConditionValueExpression)
    from sigma.correlations import SigmaCorrelationRule
    from sigma.rule import SigmaRule
    from sigma.types import (SigmaBool, SigmaCIDRExpression, SigmaCompareExpression, SigmaExists,
                             SigmaCasedString, SigmaFieldReference, SigmaNull, SigmaNumber, SigmaRegularExpression,
                             SigmaString, SpecialChars, CompareOperators)
except ImportError:  # pragma: no cover
    sys.exit("pySigma is missing: python3 -m venv .build/venv && .build/venv/bin/pip install pysigma")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LEVELS = ["informational", "low", "medium", "high", "critical"]
MISSING = object()


# ---------------------------------------------------------------- record access

def resolve(record, path):
    """All values at a dotted path (arrays fan out, a final array is flattened). Returns (present, values)."""
    current = [record]
    for step in path.split("."):
        nxt = []
        for node in current:
            if isinstance(node, list):
                for el in node:
                    if isinstance(el, dict) and step in el:
                        nxt.append(el[step])
            elif isinstance(node, dict) and step in node:
                nxt.append(node[step])
        current = nxt
        if not current:
            return False, []
    values = []
    for v in current:
        if isinstance(v, list):
            values.extend(v)
        else:
            values.append(v)
    return True, values


def scalar_text(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)
    if isinstance(v, str):
        return v
    return None  # objects, null


def sigma_string_regex(s: SigmaString, cased: bool):
    parts = []
    for p in s.s:
        if p == SpecialChars.WILDCARD_MULTI:
            parts.append(".*")
        elif p == SpecialChars.WILDCARD_SINGLE:
            parts.append(".")
        else:
            parts.append(re.escape(p))
    return re.compile("^" + "".join(parts) + "$", re.S | (0 if cased else re.I))


def as_number(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            return float(v)
        except ValueError:
            return None
    return None


_regex_cache = {}


def match_value(record, field, value, cased=False):
    present, values = resolve(record, field) if field is not None else (True, all_strings(record))
    non_null = [v for v in values if v is not None]
    if isinstance(value, SigmaNull):
        return (not present) or any(v is None for v in values) or not values
    if isinstance(value, SigmaExists):
        # present and not null; a present empty array (`[]`) counts as existing
        exists = present and (len(non_null) > 0 or values == [])
        return exists if value.exists else not exists
    if not non_null:
        return False
    if isinstance(value, SigmaFieldReference):
        _, other = resolve(record, value.field)
        other_t = {scalar_text(o).lower() for o in other if scalar_text(o) is not None}
        return any(scalar_text(v) is not None and scalar_text(v).lower() in other_t for v in non_null)
    if isinstance(value, SigmaString):
        key = (str(value), tuple(value.s), cased)
        rx = _regex_cache.get(key)
        if rx is None:
            rx = _regex_cache[key] = sigma_string_regex(value, cased)
        return any(scalar_text(v) is not None and rx.match(scalar_text(v)) for v in non_null)
    if isinstance(value, SigmaBool):
        want = "true" if value.boolean else "false"
        return any(scalar_text(v) is not None and scalar_text(v).lower() == want for v in non_null)
    if isinstance(value, SigmaNumber):
        return any(as_number(v) is not None and as_number(v) == value.number for v in non_null)
    if isinstance(value, SigmaRegularExpression):
        flags = 0
        for f in getattr(value, "flags", set()) or set():
            name = getattr(f, "name", str(f)).upper()
            flags |= {"IGNORECASE": re.I, "MULTILINE": re.M, "DOTALL": re.S}.get(name, 0)
        pattern = value.regexp.original if hasattr(value.regexp, "original") else str(value.regexp)
        rx = re.compile(pattern, flags)
        return any(scalar_text(v) is not None and rx.search(scalar_text(v)) for v in non_null)
    if isinstance(value, SigmaCIDRExpression):
        for v in non_null:
            try:
                if ipaddress.ip_address(str(v)) in value.network:
                    return True
            except ValueError:
                pass
        return False
    if isinstance(value, SigmaCompareExpression):
        n = value.number.number
        op = value.op
        for v in non_null:
            x = as_number(v)
            if x is None:
                continue
            if ((op == CompareOperators.GT and x > n) or (op == CompareOperators.GTE and x >= n)
                    or (op == CompareOperators.LT and x < n) or (op == CompareOperators.LTE and x <= n)):
                return True
        return False
    raise ValueError(f"unsupported value type {type(value).__name__} for {field}")


def all_strings(record):
    out = []

    def walk(n):
        if isinstance(n, dict):
            for v in n.values():
                walk(v)
        elif isinstance(n, list):
            for v in n:
                walk(v)
        elif n is not None:
            out.append(n)
    walk(record)
    return out


def evaluate(node, record):
    if isinstance(node, ConditionAND):
        return all(evaluate(a, record) for a in node.args)
    if isinstance(node, ConditionOR):
        return any(evaluate(a, record) for a in node.args)
    if isinstance(node, ConditionNOT):
        return not evaluate(node.args[0], record)
    if isinstance(node, ConditionFieldEqualsValueExpression):
        return match_value(record, node.field, node.value, isinstance(node.value, SigmaCasedString))
    if isinstance(node, ConditionValueExpression):
        return match_value(record, None, node.value)
    raise ValueError(f"unsupported condition node {type(node).__name__}")


class CompiledRule:
    def __init__(self, rule: SigmaRule):
        self.rule = rule
        self.trees = [c.parsed for c in rule.detection.parsed_condition]

    def matches(self, record):
        return any(evaluate(t, record) for t in self.trees)


# ---------------------------------------------------------------- time and correlation

def parse_time(s):
    if not isinstance(s, str):
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%SZ",
                "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(s[:26] if "." in s and fmt.endswith(".%f") else s, fmt)
        except ValueError:
            continue
    return None


def correlation_fires(corr: SigmaCorrelationRule, base_by_ref, records):
    kind = corr.type.name.lower()
    if kind not in ("event_count", "value_count"):
        raise ValueError(f"unsupported correlation type {corr.type}")
    value_field = getattr(corr.condition, "fieldref", None) if kind == "value_count" else None
    bases = []
    for ref in corr.rules:
        key = ref.reference
        base = base_by_ref.get(key) or base_by_ref.get(getattr(ref, "rule", None) and ref.rule.name)
        if base is None:
            raise ValueError(f"correlation {corr.title}: base rule {key} not found")
        bases.append(base)
    groups = {}
    for r in records:
        if not any(b.matches(r) for b in bases):
            continue
        key = tuple(",".join(sorted(scalar_text(v) or "" for v in resolve(r, f)[1])) for f in corr.group_by or [])
        if any(k == "" for k in key):
            continue  # an event without a group-by value is not counted
        t = parse_time(r.get("eventTime"))
        value = None
        if value_field:
            leaves = [scalar_text(v) for v in resolve(r, value_field)[1]]
            leaves = [v for v in leaves if v is not None]
            if not leaves:
                continue  # value_count counts events that have the field
            value = leaves[0]
        groups.setdefault(key, []).append((t, value))
    span = dt.timedelta(seconds=corr.timespan.seconds)
    op, count = corr.condition.op.name.lower(), corr.condition.count
    for key, events in groups.items():
        events = sorted((e for e in events if e[0] is not None), key=lambda e: e[0])
        times = [e[0] for e in events]
        best = 0
        j = 0
        for i in range(len(times)):
            while times[i] - times[j] > span:
                j += 1
            # event_count: events in the window; value_count: distinct values in it.
            best = max(best, i - j + 1 if not value_field else len({e[1] for e in events[j:i + 1]}))
        if ((op == "gte" and best >= count) or (op == "gt" and best > count) or (op == "eq" and best == count)
                or (op == "lte" and 0 < best <= count) or (op == "lt" and 0 < best < count)):
            return True, key, best
    return False, None, 0


# ---------------------------------------------------------------- loading

def load_records(path):
    op = gzip.open if path.endswith(".gz") else open
    with op(path, "rt", encoding="utf-8") as f:
        data = json.load(f)
    recs = data.get("Records") if isinstance(data, dict) else data
    return [r for r in recs or [] if isinstance(r, dict)]


class PackFile:
    def __init__(self, path, collection):
        self.path = path
        self.slug = os.path.splitext(os.path.basename(path))[0]
        self.rules = [r for r in collection.rules if isinstance(r, SigmaRule)]
        self.correlations = [r for r in collection.rules if isinstance(r, SigmaCorrelationRule)]
        self.compiled = [CompiledRule(r) for r in self.rules]
        self.by_ref = {}
        for c in self.compiled:
            self.by_ref[str(c.rule.id)] = c
            if c.rule.name:
                self.by_ref[c.rule.name] = c


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pack", default=os.path.join(ROOT, "Sources/AgentTrail/Resources/rules"))
    ap.add_argument("--fixtures", default=os.path.join(ROOT, "Tests/AgentTrailTests/Fixtures/rules"))
    ap.add_argument("--reallogs", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "reallogs"))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    failures = []
    files = []
    ids = {}
    n_rules = n_corr = 0
    for path in sorted(glob.glob(os.path.join(args.pack, "*.yml"))):
        text = open(path, encoding="utf-8").read()
        try:
            coll = SigmaCollection.from_yaml(text, collect_errors=True)
            coll.resolve_rule_references()
        except Exception as e:  # noqa: BLE001
            failures.append(f"{path}: pySigma cannot parse: {e}")
            continue
        errs = [e for r in coll.rules for e in (r.errors or [])] + list(getattr(coll, "errors", []) or [])
        if errs:
            failures.append(f"{path}: pySigma errors: {errs}")
            continue
        pf = PackFile(path, coll)
        if not pf.rules:
            failures.append(f"{path}: no detection rule")
            continue
        files.append(pf)
        # (b) metadata
        raw_docs = [d for d in text.split("\n---\n")]
        for r in pf.rules + pf.correlations:
            kind = "correlation" if isinstance(r, SigmaCorrelationRule) else "rule"
            where = f"{os.path.basename(path)} [{r.title}]"
            if r.id is None:
                failures.append(f"{where}: no id")
            else:
                if uuid.UUID(str(r.id)).version != 4 or str(r.id) != str(r.id).lower():
                    failures.append(f"{where}: id is not a lower-case UUID v4")
                if str(r.id) in ids:
                    failures.append(f"{where}: duplicate id {r.id} (also {ids[str(r.id)]})")
                ids[str(r.id)] = where
            if not r.title:
                failures.append(f"{where}: no title")
            if r.level is None or r.level.name.lower() not in LEVELS:
                failures.append(f"{where}: no/unknown level")
            if not r.references:
                failures.append(f"{where}: no references")
            if not r.tags:
                failures.append(f"{where}: no tags")
            if r.author != "AgentTrail":
                failures.append(f"{where}: author is not AgentTrail")
            if not r.description:
                failures.append(f"{where}: no description")
            if not r.falsepositives:
                failures.append(f"{where}: no falsepositives")
            if kind == "rule":
                n_rules += 1
                ls = r.logsource
                if (ls.product or "").lower() != "aws" or (ls.service or "").lower() != "cloudtrail":
                    failures.append(f"{where}: logsource is not aws/cloudtrail")
            else:
                n_corr += 1
        del raw_docs

    # pySigma's own validators (the offline ones: the ATT&CK/D3FEND tag validators download MITRE data)
    validator_notes = []
    try:
        from sigma.validators.core import validators as _validators
        from sigma.validation import SigmaValidator
        offline = {k: v for k, v in _validators.items()
                   if not any(x in k.lower() for x in ("attack", "d3fend", "tag", "car"))}
        sv = SigmaValidator(offline.values())
        for pf in files:
            coll = SigmaCollection.from_yaml(open(pf.path, encoding="utf-8").read())
            coll.resolve_rule_references()
            for issue in sv.validate_rules(coll):
                sev = getattr(getattr(issue, "severity", None), "name", "").lower()
                note = f"{pf.slug}: {type(issue).__name__} ({sev})"
                if sev in ("high", "medium"):
                    failures.append("pySigma validator: " + note)
                else:
                    validator_notes.append(note)
    except ImportError:
        validator_notes.append("pySigma validators not available")

    # fixtures and evaluation
    for pf in files:
        fdir = os.path.join(args.fixtures, pf.slug)
        pos = sorted(glob.glob(os.path.join(fdir, "positive*.json")))
        fired_on = {}
        neg = sorted(glob.glob(os.path.join(fdir, "negative*.json")))
        if not pos or not neg:
            failures.append(f"{pf.slug}: fixtures need >=1 positive*.json and >=1 negative*.json in {fdir}")
            continue
        for p in pos:
            recs = load_records(p)
            if not any(c.matches(r) for c in pf.compiled for r in recs):
                failures.append(f"{pf.slug}: {os.path.basename(p)}: no record matches the rule")
            if pf.correlations:
                fired_any = False
                for corr in pf.correlations:
                    fired, key, n = correlation_fires(corr, pf.by_ref, recs)
                    if fired:
                        fired_on.setdefault(id(corr), []).append(p)
                        fired_any = True
                if not fired_any:
                    failures.append(f"{pf.slug}: {os.path.basename(p)}: no correlation rule fires")
        for corr in pf.correlations:
            if id(corr) not in fired_on:
                failures.append(f"{pf.slug}: correlation '{corr.title}' fires on none of the positive files")
        for p in neg:
            recs = load_records(p)
            if pf.correlations:
                for corr in pf.correlations:
                    fired, key, n = correlation_fires(corr, pf.by_ref, recs)
                    if fired:
                        failures.append(f"{pf.slug}: {os.path.basename(p)}: correlation '{corr.title}' fires "
                                        f"(group {key}, {n} events)")
            else:
                for i, r in enumerate(recs):
                    if any(c.matches(r) for c in pf.compiled):
                        failures.append(f"{pf.slug}: {os.path.basename(p)}: record {i} ({r.get('eventName')}) "
                                        f"matches")
        if args.verbose:
            print(f"ok  {pf.slug}: {len(pos)} positive, {len(neg)} negative file(s)")

    # cross-check: medium+ matches on other rules' negatives and on public samples
    def medium_plus(level):
        return level is not None and LEVELS.index(level.name.lower()) >= 2

    corpora = []
    for pf in files:
        for p in sorted(glob.glob(os.path.join(args.fixtures, pf.slug, "negative*.json"))):
            corpora.append((pf.slug, os.path.relpath(p, args.fixtures), load_records(p)))
    if args.reallogs and os.path.isdir(args.reallogs):
        for p in sorted(glob.glob(os.path.join(args.reallogs, "*.json*"))):
            try:
                corpora.append((None, "reallogs/" + os.path.basename(p), load_records(p)))
            except Exception as e:  # noqa: BLE001
                print(f"note: cannot read {p}: {e}")
    cross = []
    n_records = sum(len(c[2]) for c in corpora)
    for pf in files:
        for c in pf.compiled:
            if not medium_plus(c.rule.level):
                continue
            for owner, name, recs in corpora:
                if owner == pf.slug:
                    continue
                for i, r in enumerate(recs):
                    if c.matches(r):
                        cross.append((c.rule.level.name.lower(), pf.slug, name, i, r.get("eventSource"),
                                      r.get("eventName")))
        for corr in pf.correlations:
            if not medium_plus(corr.level):
                continue
            for owner, name, recs in corpora:
                if owner == pf.slug:
                    continue
                fired, key, n = correlation_fires(corr, pf.by_ref, recs)
                if fired:
                    cross.append((corr.level.name.lower(), pf.slug + " (correlation)", name, "-", key, n))

    print(f"rule files: {len(files)}; detection rules: {n_rules}; correlation rules: {n_corr}")
    if validator_notes:
        print(f"pySigma validator notes (low severity, not failures): {sorted(set(validator_notes))}")
    print(f"cross-check corpus: {len(corpora)} files, {n_records} records (other rules' negatives + reallogs)")
    if cross:
        print(f"medium+ matches outside the rule's own fixtures ({len(cross)}), for review:")
        for row in cross:
            print("  " + " | ".join(str(x) for x in row))
    else:
        print("medium+ matches outside the rule's own fixtures: none")
    if failures:
        print(f"FAILED ({len(failures)}):")
        for f in failures:
            print("  " + f)
        return 1
    print("OK: all rules parse, metadata complete, positives match, negatives do not")
    return 0


if __name__ == "__main__":
    sys.exit(main())

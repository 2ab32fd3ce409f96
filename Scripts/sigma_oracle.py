#!/usr/bin/env python3
"""Independent Sigma oracle for AWS CloudTrail records.

    python3 Scripts/sigma_oracle.py --rules PATH [--rules PATH ...] FILE_OR_DIR...

pySigma (PyPI `pysigma` 2.x) only parses the rules: modifiers are applied by pySigma, and the
condition string is parsed by it without post-processing. Everything that decides whether a
record matches is written here from the Sigma specification v2 (rules + modifiers appendix),
not taken from pySigma or from AgentTrail's Swift engine. Output: one JSON line per match,
sorted, {"file": ..., "index": <0-based in Records>, "rule": "<rule id>"}.

Conventions where the specification leaves things open. Agreed with AgentTrail's engine:
- Field names are dotted paths into the record's JSON, matched against keys exactly (case
  matters). A path step that meets a JSON array applies to every element; the final value, if an
  array, matches if any element matches.
- A missing field never matches a value, not even '*'. `field: null` matches when the field is
  missing or JSON null; `|exists: true` when the field is present (even null), `|exists: false`
  the opposite.
- Leaf text: strings are themselves, numbers their JSON text exactly as written in the file
  (`200`, `1.5`), booleans `true`/`false`; objects never match a string pattern. `|gt/gte/lt/lte`
  compare numbers, and strings that parse as numbers, by value.
- `|cidr`: the leaf must be an IPv4/IPv6 address inside the network.
- `|fieldref`: equal (case-insensitively, or cased with `|cased`) to the referenced field's
  value; missing either side: no match.
This oracle's own readings of what is left (a difference there is a question, not surely a bug):
- Array fan-out collects the values found in all elements, nested arrays flattened; a field is
  missing only when the path reaches no value at all (`a.b` on [{"b":1},{}] is present, not null).
  `null` also matches an array holding null; `[]` is present, not null, and matches no value.
- null, objects and arrays without elements have no text: they never match a string, number,
  bool, regex, cidr, compare or fieldref value (so `field: '*'` does not match null).
- Strings are wildcard patterns (`*` any run, `?` one Unicode code point, backslash escapes, as
  pySigma parses them) over the whole leaf text, case-insensitive as Python re IGNORECASE unless
  `|cased`. A rule number matches the leaf text equal to its decimal form (`200`, `1.5`; YAML `1.0`
  is pySigma's number 1, so `1`), a rule bool `true`/`false`, both case-insensitively.
- `|re` is a Python `re.search` (not anchored), case-sensitive unless `|i`; `|m`, `|s` add
  MULTILINE, DOTALL. pySigma already refuses what RE2 cannot parse (lookaround, backreferences);
  a regex Python reads differently (a POSIX class like [[:alpha:]]) is refused here.
- A number string for `|gt`...: [+-]digits[.digits][e[+-]digits], no blanks, no inf/nan/hex;
  compared exactly (Decimal). Booleans are not numbers.
- `|cidr`: the address must be of the network's version (::ffff:10.0.0.1 is not in 10.0.0.0/8).
- `|fieldref|startswith/endswith/contains`: the referenced text is a prefix/suffix/substring.
  Either side may be an array: any pair of texts.
- Keywords (values without a field) match when any leaf of the record (every string, number and
  bool, at any depth, keys excluded) matches the value as a whole, as a field value would: no
  implicit `contains`.
- A list of values is OR, or AND with `|all`: each value may be met by a different array element.
  Values expanded by pySigma (`|base64offset`, `|windash`) are OR among themselves. An empty value
  list means null (as pySigma reads it). `|neq` negates the whole detection item (so it also
  matches when the field is missing).
- `1 of them` / `all of them` cover the search identifiers not starting with `_`; a pattern
  (`1 of sel*`, `*` = any run) likewise, except that a pattern starting with `_` may match `_`
  identifiers (this is how pySigma's applied filters name theirs). A list of conditions is OR.
- Rules: only `logsource: product: aws, service: cloudtrail` (any category, any status). A rule needs
  an `id`; the first rule with a given id wins. Sigma filters found among the rules are applied by
  pySigma (`(rule condition) and (filter condition)`) to the rules they name. Correlation rules,
  placeholders (`|expand`), time-part modifiers (`|minute`...), and keyword items with `|fieldref`
  are not evaluated: the rule is skipped with a note on stderr, as is any rule pySigma refuses.
- Logs: a file argument is read as given; a directory is walked recursively for regular files (not
  symlinks) named *.json or *.json.gz, reported as os.path.join(directory, relative path). gzip is
  recognised by its magic bytes. A file must be UTF-8 JSON `{"Records": [...]}` (NaN/Infinity are
  refused), else it is skipped with a note on stderr. Duplicate keys in an object: the last wins.
  A match is printed once even when its file is reached twice.
"""

import argparse
import gzip
import ipaddress
import json
import os
import re
import stat
import sys
import warnings
import zlib
from decimal import Decimal, InvalidOperation
from importlib.metadata import version

if int(version("pysigma").split(".")[0]) < 2:
    sys.exit(f"sigma_oracle: needs pysigma 2.x, found {version('pysigma')}")

from sigma.collection import SigmaCollection  # noqa: E402 (after the version check)
from sigma.conditions import (ConditionAND, ConditionIdentifier, ConditionNOT, ConditionOR,
                              ConditionSelector)
from sigma.correlations import SigmaCorrelationRule
from sigma.filters import SigmaFilter
from sigma.modifiers import SigmaCaseSensitiveModifier
from sigma.rule import SigmaDetectionItem, SigmaRule
from sigma.types import (CompareOperators, Placeholder, SigmaBool, SigmaCasedString,
                         SigmaCIDRExpression, SigmaCompareExpression, SigmaExists, SigmaExpansion,
                         SigmaFieldReference, SigmaNull, SigmaNumber, SigmaRegularExpression,
                         SigmaRegularExpressionFlag, SigmaString, SigmaTimestampPart, SpecialChars)


class Unsupported(Exception):
    """A rule construct this oracle does not evaluate: the rule is skipped."""


class JSONNumber:
    """A JSON number leaf, kept as the exact text it had in the file."""
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


MISSING = object()
DECIMAL_RE = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?\Z")
RE_FLAGS = {SigmaRegularExpressionFlag.IGNORECASE: re.IGNORECASE,
            SigmaRegularExpressionFlag.MULTILINE: re.MULTILINE,
            SigmaRegularExpressionFlag.DOTALL: re.DOTALL}


# ---------------------------------------------------------------- record access

def flatten(value):
    """A value, or the elements of an array (recursively)."""
    if isinstance(value, list):
        for element in value:
            yield from flatten(element)
    else:
        yield value


def resolve(record, path):
    """The nodes a dotted path reaches; arrays met on the way fan out to their elements."""
    nodes = [record]
    for step in path.split("."):
        found = []
        for node in nodes:
            for element in flatten(node):
                if isinstance(element, dict) and step in element:
                    found.append(element[step])
        nodes = found
    return nodes


def field_leaves(record, path):
    """Leaves of a field, or MISSING when the path reaches nothing."""
    nodes = resolve(record, path)
    if not nodes:
        return MISSING
    return [leaf for node in nodes for leaf in flatten(node)]


def all_leaves(value):
    """Every scalar value of a record at any depth (for keywords)."""
    if isinstance(value, dict):
        for child in value.values():
            yield from all_leaves(child)
    elif isinstance(value, list):
        for child in value:
            yield from all_leaves(child)
    else:
        yield value


def leaf_text(leaf):
    if isinstance(leaf, str):
        return leaf
    if isinstance(leaf, bool):
        return "true" if leaf else "false"
    if isinstance(leaf, JSONNumber):
        return leaf.text
    return None  # null, object, anything else: no text


def leaf_number(leaf):
    if isinstance(leaf, JSONNumber):
        text = leaf.text
    elif isinstance(leaf, str) and DECIMAL_RE.match(leaf):
        text = leaf
    else:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


# ---------------------------------------------------------------- compiling rule values

def glob_regex(parts, cased):
    """A Sigma string (plain parts, `*`, `?`) as a compiled regex over the whole text."""
    out = []
    for part in parts:
        if part is SpecialChars.WILDCARD_MULTI:
            out.append(".*")
        elif part is SpecialChars.WILDCARD_SINGLE:
            out.append(".")
        elif isinstance(part, str):
            out.append(re.escape(part))
        elif isinstance(part, Placeholder):
            raise Unsupported(f"placeholder %{part.name}% (|expand) is not evaluated")
        else:
            raise Unsupported(f"string part {part!r}")
    flags = re.DOTALL | (0 if cased else re.IGNORECASE)
    return re.compile("".join(out) + r"\Z", flags)


def text_matcher(regex):
    def match(leaf):
        text = leaf_text(leaf)
        return text is not None and regex.match(text) is not None
    return match


def compile_leaf_value(value):
    """A predicate on one leaf for a value that is matched leaf by leaf."""
    if isinstance(value, SigmaString):
        return text_matcher(glob_regex(value.s, isinstance(value, SigmaCasedString)))
    if isinstance(value, SigmaTimestampPart):
        raise Unsupported("time-part modifiers (|minute, |hour, ...) are not evaluated")
    if isinstance(value, SigmaNumber):
        return text_matcher(glob_regex([str(value.number)], cased=False))
    if isinstance(value, SigmaBool):
        return text_matcher(glob_regex(["true" if value.boolean else "false"], cased=False))
    if isinstance(value, SigmaRegularExpression):
        flags = 0
        for flag in value.flags:
            flags |= RE_FLAGS[flag]
        pattern = value.regexp.to_plain(regex=True)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # e.g. FutureWarning for a POSIX class [[:alpha:]]
                regex = re.compile(pattern, flags)
        except (re.error, Warning) as e:
            raise Unsupported(f"regex {pattern!r} is not a Python regex of the spec's subset: {e}")

        def search(leaf):
            text = leaf_text(leaf)
            return text is not None and regex.search(text) is not None
        return search
    if isinstance(value, SigmaCIDRExpression):
        network = ipaddress.ip_network(value.cidr)

        def in_network(leaf):
            if not isinstance(leaf, str):
                return False
            try:
                address = ipaddress.ip_address(leaf)
            except ValueError:
                return False
            return address.version == network.version and address in network
        return in_network
    if isinstance(value, SigmaCompareExpression):
        bound = Decimal(str(value.number.number))
        test = {CompareOperators.GT: lambda n: n > bound, CompareOperators.GTE: lambda n: n >= bound,
                CompareOperators.LT: lambda n: n < bound, CompareOperators.LTE: lambda n: n <= bound,
                CompareOperators.NEQ: lambda n: n != bound}[value.op]

        def compare(leaf):
            number = leaf_number(leaf)
            return number is not None and test(number)
        return compare
    raise Unsupported(f"value type {type(value).__name__} is not evaluated")


def compile_value(value, field, cased):
    """A predicate on a record for one value of a detection item."""
    if isinstance(value, SigmaExpansion):
        alternatives = [compile_value(v, field, cased) for v in value.values]
        return lambda record: any(alt(record) for alt in alternatives)
    if field is None:  # keyword: any leaf of the record
        if isinstance(value, (SigmaNull, SigmaExists, SigmaFieldReference)):
            raise Unsupported(f"keyword value of type {type(value).__name__}")
        leaf_match = compile_leaf_value(value)
        return lambda record: any(leaf_match(leaf) for leaf in all_leaves(record))
    if isinstance(value, SigmaNull):
        def is_null(record):
            leaves = field_leaves(record, field)
            return leaves is MISSING or any(leaf is None for leaf in leaves)
        return is_null
    if isinstance(value, SigmaExists):
        return lambda record: bool(resolve(record, field)) == value.exists
    if isinstance(value, SigmaFieldReference):
        return compile_fieldref(field, value, cased)
    leaf_match = compile_leaf_value(value)

    def match(record):
        leaves = field_leaves(record, field)
        return leaves is not MISSING and any(leaf_match(leaf) for leaf in leaves)
    return match


def compile_fieldref(field, ref, cased):
    def match(record):
        mine, theirs = field_leaves(record, field), field_leaves(record, ref.field)
        if mine is MISSING or theirs is MISSING:
            return False
        texts = [t for t in map(leaf_text, mine) if t is not None]
        for other in theirs:
            other_text = leaf_text(other)
            if other_text is None:
                continue
            parts = ([SpecialChars.WILDCARD_MULTI] if ref.ends_with else []) + [other_text] + \
                    ([SpecialChars.WILDCARD_MULTI] if ref.starts_with else [])
            regex = glob_regex(parts, cased)
            if any(regex.match(text) for text in texts):
                return True
        return False
    return match


def compile_item(item):
    """A predicate on a record for a SigmaDetectionItem (field + modified values)."""
    cased = SigmaCaseSensitiveModifier in item.modifiers
    values = item.value if item.value else [SigmaNull()]
    if item.field is None and not item.value:
        raise Unsupported("empty keyword list")
    predicates = [compile_value(v, item.field, cased) for v in values]
    combine = all if item.value_linking is ConditionAND else any
    negated = item.negated

    def match(record):
        return combine(p(record) for p in predicates) != negated
    return match


def compile_detection(detection):
    """A map is AND of its items, a list of maps OR (pySigma's item_linking says which)."""
    parts = [compile_item(i) if isinstance(i, SigmaDetectionItem) else compile_detection(i)
             for i in detection.detection_items]
    combine = all if detection.item_linking is ConditionAND else any
    return lambda record: combine(p(record) for p in parts)


# ---------------------------------------------------------------- conditions

def selector_names(selector, names):
    if selector.pattern == "them":
        regex, allow_underscore = re.compile(".*"), False
    else:
        regex = re.compile(".*".join(re.escape(p) for p in selector.pattern.split("*")))
        allow_underscore = selector.pattern.startswith("_")
    chosen = [n for n in names if regex.fullmatch(n) and (allow_underscore or not n.startswith("_"))]
    if not chosen:
        raise Unsupported(f"'{selector.args[0]} of {selector.pattern}' matches no search identifier")
    return chosen


def compile_condition(node, detections):
    """A predicate on a record for a parsed (not post-processed) pySigma condition tree."""
    if isinstance(node, ConditionIdentifier):
        if node.identifier not in detections:
            raise Unsupported(f"condition names unknown search identifier '{node.identifier}'")
        return detections[node.identifier]
    if isinstance(node, ConditionSelector):
        chosen = [detections[n] for n in selector_names(node, list(detections))]
        combine = all if node.cond_class is ConditionAND else any
        return lambda record: combine(d(record) for d in chosen)
    if isinstance(node, ConditionNOT):
        inner = compile_condition(node.args[0], detections)
        return lambda record: not inner(record)
    if isinstance(node, (ConditionAND, ConditionOR)):
        parts = [compile_condition(a, detections) for a in node.args]
        combine = all if isinstance(node, ConditionAND) else any
        return lambda record: combine(p(record) for p in parts)
    raise Unsupported(f"condition element {type(node).__name__}")


def compile_rule(rule):
    detections = {name: compile_detection(d) for name, d in rule.detection.detections.items()}
    conditions = [compile_condition(c.parse(postprocess=False), detections)
                  for c in rule.detection.parsed_condition]
    return lambda record: any(c(record) for c in conditions)


# ---------------------------------------------------------------- loading

def note(message):
    print(message, file=sys.stderr)


def walk(path, suffixes):
    """A file argument as given; a directory's regular files with a suffix, sorted."""
    if not os.path.isdir(path):
        return [path]
    found = []
    for root, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            full = os.path.join(root, name)
            if name.endswith(suffixes) and stat.S_ISREG(os.lstat(full).st_mode):
                found.append(os.path.join(path, os.path.relpath(full, path)))
    return found


def is_cloudtrail(rule):
    return rule.logsource.product == "aws" and rule.logsource.service == "cloudtrail"


def load_rules(paths):
    """[(rule id, predicate)] for the CloudTrail rules under the paths."""
    rules, filters = [], []  # rules: (file, SigmaRule)
    for path in paths:
        for file in walk(path, (".yml", ".yaml")):
            try:
                with open(file, encoding="utf-8") as f:
                    collection = SigmaCollection.from_yaml(
                        f.read(), collect_errors=True, collect_filters=True, resolve_references=False)
            except Exception as e:  # YAML or structure errors pySigma raises even when collecting
                note(f"skip {file}: {e}")
                continue
            owned = set()
            for item in collection.rules + collection.filters:
                owned.update(map(id, item.errors))
                if item.errors:
                    note(f"skip {file}: {item.errors[0]}")
                elif isinstance(item, SigmaCorrelationRule):
                    note(f"skip {file}: correlation rule {item.id or item.title!r} is out of scope")
                elif isinstance(item, SigmaFilter):
                    filters.append(item)
                elif isinstance(item, SigmaRule):
                    rules.append((file, item))
            for error in collection.errors:
                if id(error) not in owned:
                    note(f"skip {file}: {error}")

    compiled, seen = [], set()
    for file, rule in rules:
        if not is_cloudtrail(rule):
            note(f"skip {file}: logsource is not product aws, service cloudtrail")
            continue
        if rule.id is None:
            note(f"skip {file}: rule {rule.title!r} has no id")
            continue
        rule_id = str(rule.id).lower()
        if rule_id in seen:
            note(f"skip {file}: duplicate rule id {rule_id}")
            continue
        try:
            for flt in filters:
                rule = flt.apply_on_rule(rule)
            for condition in rule.detection.parsed_condition:
                condition.parsed  # pySigma's own check: identifiers exist, selectors match
            compiled.append((rule_id, compile_rule(rule)))
            seen.add(rule_id)
        except Unsupported as e:
            note(f"skip {file}: {e}")
        except Exception as e:
            note(f"skip {file}: {type(e).__name__}: {e}")
    return compiled


def refuse_constant(name):
    raise ValueError(f"{name} is not JSON")


def read_records(file):
    """The Records list of a CloudTrail file, or None (with a note) when it is not one."""
    try:
        with open(file, "rb") as f:
            data = f.read()
        if data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        document = json.loads(data.decode("utf-8"), parse_int=JSONNumber, parse_float=JSONNumber,
                              parse_constant=refuse_constant)
    except (OSError, EOFError, ValueError, zlib.error, RecursionError) as e:  # BadGzipFile is an OSError
        note(f"skip {file}: {e}")
        return None
    if not isinstance(document, dict) or not isinstance(document.get("Records"), list):
        note(f"skip {file}: not a {{\"Records\": [...]}} document")
        return None
    return document["Records"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", action="append", required=True, metavar="PATH",
                        help="Sigma rule file or folder (repeatable)")
    parser.add_argument("--stats", metavar="FILE",
                        help='also write {"rules": K, "files": F, "records": M} to FILE')
    parser.add_argument("logs", nargs="+", metavar="FILE_OR_DIR", help="CloudTrail .json/.json.gz")
    args = parser.parse_args(argv)
    for path in args.rules + args.logs:
        if not os.path.exists(path):
            parser.error(f"no such file or directory: {path}")

    rules = load_rules(args.rules)
    matches, files, count = set(), 0, 0
    for path in args.logs:
        for file in walk(path, (".json", ".json.gz")):
            records = read_records(file)
            if records is None:
                continue
            files, count = files + 1, count + len(records)
            for index, record in enumerate(records):
                for rule_id, predicate in rules:
                    if predicate(record):
                        matches.add((file, index, rule_id))
    for file, index, rule_id in sorted(matches):
        print(json.dumps({"file": file, "index": index, "rule": rule_id}, separators=(",", ":")))
    if args.stats:
        with open(args.stats, "w") as f:
            json.dump({"rules": len(rules), "files": files, "records": count}, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())

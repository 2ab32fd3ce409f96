#!/usr/bin/env python3
"""Self-test of Scripts/sigma_oracle.py: hand-written rules and records, each with records that
must match and records that must not. Run with the oracle's venv python (needs pysigma):

    .build/sigma-oracle-venv/bin/python Scripts/test_sigma_oracle.py
"""

import contextlib
import gzip
import io
import json
import os
import sys
import tempfile
import textwrap
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import sigma_oracle  # noqa: E402

RULE_ID = "0b3e6d1c-4a8e-4c55-9a51-1f7c7a4e0001"


def rule_yaml(detection, rule_id=RULE_ID, logsource="product: aws\n    service: cloudtrail"):
    return (f"title: test\nid: {rule_id}\nlogsource:\n    {logsource}\n"
            f"detection:\n{textwrap.indent(textwrap.dedent(detection).strip(), '    ')}\n")


class OracleCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, content):
        path = os.path.join(self.dir, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(content if isinstance(content, bytes) else content.encode())
        return path

    def run_oracle(self, rules, logs):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = sigma_oracle.main(sum((["--rules", r] for r in rules), []) + logs)
        self.assertEqual(code, 0)
        return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()

    def matched(self, detection, records):
        """Indices of the records (JSON texts) that the rule with this detection matches."""
        rules = self.write("rule.yml", rule_yaml(detection))
        logs = self.write("log.json", '{"Records":[' + ",".join(records) + "]}")
        out, err = self.run_oracle([rules], [logs])
        self.assertEqual(err, "", "the rule must load")
        return [m["index"] for m in out]

    def check(self, detection, yes, no):
        """Every record of `yes` matches, none of `no`."""
        got = self.matched(detection, yes + no)
        self.assertEqual(got, list(range(len(yes))), f"matched {got} of yes={yes} no={no}")

    def skipped(self, rule_text):
        rules = self.write("rule.yml", rule_text)
        logs = self.write("log.json", '{"Records":[{"a":"x"}]}')
        out, err = self.run_oracle([rules], [logs])
        self.assertEqual(out, [])
        self.assertIn("skip " + rules + ":", err)
        return err


class Structure(OracleCase):
    def test_map_is_and(self):
        self.check("sel:\n    a: x\n    b: y\ncondition: sel",
                   ['{"a":"x","b":"y","c":1}'], ['{"a":"x"}', '{"a":"x","b":"z"}', '{}'])

    def test_list_of_maps_is_or(self):
        self.check("sel:\n    - a: x\n    - b: y\ncondition: sel",
                   ['{"a":"x"}', '{"b":"y"}'], ['{"a":"y","b":"x"}'])

    def test_value_list_is_or(self):
        self.check("sel:\n    a:\n        - x\n        - y\ncondition: sel",
                   ['{"a":"x"}', '{"a":"Y"}'], ['{"a":"z"}', '{"a":"xy"}'])

    def test_all_modifier(self):
        self.check("sel:\n    a|contains|all:\n        - foo\n        - bar\ncondition: sel",
                   ['{"a":"bar and foo"}', '{"a":["foo","bar"]}'], ['{"a":"foo"}', '{"a":"fo bar"}'])

    def test_empty_value_list_is_null(self):
        self.check("sel:\n    a: []\ncondition: sel", ['{"a":null}', '{}'], ['{"a":"x"}'])


class Strings(OracleCase):
    def test_wildcards(self):
        self.check("sel:\n    a: 'ab*c?'\ncondition: sel",
                   ['{"a":"abc1"}', '{"a":"ABxxxcZ"}', '{"a":"ab\\nc1"}'],
                   ['{"a":"abc"}', '{"a":"abc12"}', '{"a":"xabc1"}'])

    def test_escapes(self):
        # YAML 'a\*b\\*c\d' is the pattern: literal "a*b\", any run, literal "c\d"
        self.check("sel:\n    a: 'a\\*b\\\\*c\\d'\ncondition: sel",
                   ['{"a":"a*b\\\\c\\\\d"}', '{"a":"a*b\\\\zzc\\\\d"}'],
                   ['{"a":"axb\\\\c\\\\d"}', '{"a":"a*bc\\\\d"}'])

    def test_case_insensitive_by_default(self):
        self.check("sel:\n    a: ConsoleLogin\ncondition: sel",
                   ['{"a":"consolelogin"}', '{"a":"CONSOLELOGIN"}'], ['{"a":"ConsoleLogin2"}'])

    def test_cased(self):
        self.check("sel:\n    a|cased: ConsoleLogin\ncondition: sel",
                   ['{"a":"ConsoleLogin"}'], ['{"a":"consolelogin"}'])

    def test_contains_startswith_endswith(self):
        self.check("sel:\n    a|contains: mid\ncondition: sel", ['{"a":"xMIDx"}', '{"a":"mid"}'], ['{"a":"mi d"}'])
        self.check("sel:\n    a|startswith: pre\ncondition: sel", ['{"a":"prefix"}'], ['{"a":"xpre"}'])
        self.check("sel:\n    a|endswith: fix\ncondition: sel", ['{"a":"suffix"}'], ['{"a":"fixed"}'])

    def test_base64(self):
        # base64("foo") = Zm9v
        self.check("sel:\n    a|base64: foo\ncondition: sel", ['{"a":"Zm9v"}'], ['{"a":"foo"}', '{"a":"xZm9v"}'])
        # base64offset|contains: any of the three shifts, anywhere
        self.check("sel:\n    a|base64offset|contains: foo\ncondition: sel",
                   ['{"a":"QUFmb28="}', '{"a":"xZm9vx"}'], ['{"a":"Zm8="}'])

    def test_windash(self):
        self.check("sel:\n    a|windash|contains: ' -x'\ncondition: sel",
                   ['{"a":"cmd -x"}', '{"a":"cmd /x"}'], ['{"a":"cmd x"}'])

    def test_neq(self):
        self.check("sel:\n    a|neq: x\ncondition: sel", ['{"a":"y"}', '{}'], ['{"a":"X"}'])


class Regex(OracleCase):
    def test_search_not_anchored_and_case_sensitive(self):
        self.check("sel:\n    a|re: 'b+c'\ncondition: sel",
                   ['{"a":"abbbcd"}', '{"a":"bc"}'], ['{"a":"ABC"}', '{"a":"ac"}'])

    def test_anchors(self):
        self.check("sel:\n    a|re: '^ab$'\ncondition: sel", ['{"a":"ab"}'], ['{"a":"xab"}', '{"a":"x\\nab"}'])

    def test_i_m_s(self):
        self.check("sel:\n    a|re|i: 'abc'\ncondition: sel", ['{"a":"xABCx"}'], ['{"a":"ab"}'])
        self.check("sel:\n    a|re|m: '^ab$'\ncondition: sel", ['{"a":"x\\nab\\ny"}'], ['{"a":"x ab"}'])
        self.check("sel:\n    a|re|s: 'a.b'\ncondition: sel", ['{"a":"a\\nb"}'], ['{"a":"ab"}'])
        self.check("sel:\n    a|re: 'a.b'\ncondition: sel", ['{"a":"axb"}'], ['{"a":"a\\nb"}'])

    def test_numbers_as_text(self):
        self.check("sel:\n    a|re: '^2\\d\\d$'\ncondition: sel", ['{"a":200}', '{"a":"204"}'], ['{"a":2000}'])


class Networks(OracleCase):
    def test_cidr(self):
        self.check("sel:\n    a|cidr: 10.0.0.0/8\ncondition: sel",
                   ['{"a":"10.1.2.3"}', '{"a":["1.1.1.1","10.0.0.0"]}'],
                   ['{"a":"11.0.0.1"}', '{"a":"::ffff:10.0.0.1"}', '{"a":"AWS Internal"}', '{"a":167772161}'])

    def test_cidr_v6(self):
        self.check("sel:\n    a|cidr: '2001:db8::/32'\ncondition: sel",
                   ['{"a":"2001:db8::1"}', '{"a":"2001:DB8:ffff::"}'], ['{"a":"2001:db9::1"}', '{"a":"10.0.0.1"}'])


class Presence(OracleCase):
    def test_exists(self):
        self.check("sel:\n    a|exists: true\ncondition: sel",
                   ['{"a":"x"}', '{"a":null}', '{"a":[]}', '{"a":{}}'], ['{"b":1}'])
        self.check("sel:\n    a|exists: false\ncondition: sel", ['{"b":1}'], ['{"a":null}'])

    def test_null(self):
        self.check("sel:\n    a: null\ncondition: sel", ['{"a":null}', '{"b":1}', '{"a":[1,null]}'],
                   ['{"a":""}', '{"a":0}', '{"a":[]}'])

    def test_fan_out_presence(self):
        # a.b is present as soon as one element has b; null only when none has it or one holds null
        self.check("sel:\n    a.b: null\ncondition: sel", ['{"a":[{"c":1}]}', '{"a":[{"b":1},{"b":null}]}'],
                   ['{"a":[{"b":1},{}]}'])

    def test_missing_never_matches(self):
        self.check("sel:\n    a: '*'\ncondition: sel", ['{"a":""}', '{"a":false}', '{"a":["x"]}'],
                   ['{}', '{"a":null}', '{"a":{"b":"c"}}', '{"a":[]}'])


class Numbers(OracleCase):
    def test_compare(self):
        self.check("sel:\n    a|gt: 10\ncondition: sel", ['{"a":11}', '{"a":"10.5"}', '{"a":1e3}'],
                   ['{"a":10}', '{"a":"x"}', '{"a":true}', '{"a":" 11"}', '{}'])
        self.check("sel:\n    a|gte: 10\ncondition: sel", ['{"a":10}', '{"a":"10.0"}'], ['{"a":9.99}'])
        self.check("sel:\n    a|lt: 1.5\ncondition: sel", ['{"a":1.49}', '{"a":-3}', '{"a":[9,1]}'], ['{"a":1.5}'])
        self.check("sel:\n    a|lte: -2\ncondition: sel", ['{"a":-2}', '{"a":"-2e0"}'], ['{"a":-1}'])

    def test_number_values_compare_as_json_text(self):
        self.check("sel:\n    a: 200\ncondition: sel", ['{"a":200}', '{"a":"200"}'], ['{"a":200.0}', '{"a":2e2}'])
        self.check("sel:\n    a: 1.5\ncondition: sel", ['{"a":1.5}'], ['{"a":1.50}'])
        self.check("sel:\n    a: '1.50'\ncondition: sel", ['{"a":1.50}'], ['{"a":1.5}'])

    def test_booleans(self):
        self.check("sel:\n    a: true\ncondition: sel", ['{"a":true}', '{"a":"TRUE"}'], ['{"a":false}', '{"a":1}'])
        self.check("sel:\n    a: 'false'\ncondition: sel", ['{"a":false}'], ['{"a":true}'])
        self.check("sel:\n    a|cased: 'true'\ncondition: sel", ['{"a":true}'], ['{"a":"True"}'])
        self.check("sel:\n    a|cased: 'True'\ncondition: sel", ['{"a":"True"}'], ['{"a":true}'])
        self.check("sel:\n    a|re: '^fal'\ncondition: sel", ['{"a":false}'], ['{"a":null}'])


class FieldRef(OracleCase):
    def test_equal(self):
        self.check("sel:\n    a|fieldref: b\ncondition: sel",
                   ['{"a":"X","b":"x"}', '{"a":5,"b":"5"}', '{"a":["p","q"],"b":"q"}'],
                   ['{"a":"x","b":"xy"}', '{"a":"x"}', '{"b":"x"}', '{"a":null,"b":null}'])

    def test_cased(self):
        self.check("sel:\n    a|cased|fieldref: b\ncondition: sel", ['{"a":"x","b":"x"}'], ['{"a":"X","b":"x"}'])

    def test_with_position(self):
        self.check("sel:\n    a|fieldref|startswith: b\ncondition: sel", ['{"a":"abc","b":"AB"}'], ['{"a":"abc","b":"bc"}'])
        self.check("sel:\n    a|fieldref|endswith: b\ncondition: sel", ['{"a":"abc","b":"bc"}'], ['{"a":"abc","b":"ab"}'])
        self.check("sel:\n    a|fieldref|contains: b\ncondition: sel", ['{"a":"abc","b":"b"}'], ['{"a":"abc","b":"d"}'])

    def test_nested_paths(self):
        self.check("f:\n    userIdentity.arn|fieldref: requestParameters.userName\ncondition: not f",
                   ['{"userIdentity":{"arn":"a"},"requestParameters":{"userName":"b"}}', '{}'],
                   ['{"userIdentity":{"arn":"a"},"requestParameters":{"userName":"A"}}'])


class Keywords(OracleCase):
    def test_any_leaf_as_a_whole(self):
        self.check("kw:\n    - evil\n    - '*bad*'\ncondition: kw",
                   ['{"a":{"b":["x","EVIL"]}}', '{"c":"very bad"}'],
                   ['{"evil":"x"}', '{"a":"evil service"}', '{"a":null}'])

    def test_number_and_bool_leaves(self):
        self.check("kw:\n    - 403\ncondition: kw", ['{"a":{"b":403}}', '{"a":"403"}'], ['{"a":4030}'])
        self.check("kw:\n    - 'tru?'\ncondition: kw", ['{"a":[true]}'], ['{"a":false}'])

    def test_all(self):
        self.check("kw:\n    '|all':\n        - foo\n        - bar\ncondition: kw",
                   ['{"a":"foo","b":{"c":"bar"}}'], ['{"a":"foo"}', '{"a":"foobar"}'])


class Paths(OracleCase):
    def test_dotted_and_arrays(self):
        self.check("sel:\n    r.items.ip|cidr: 0.0.0.0/0\ncondition: sel",
                   ['{"r":{"items":[{"ip":"10.0.0.1"},{"x":1}]}}', '{"r":[{"items":{"ip":["1.2.3.4"]}}]}',
                    '{"r":{"items":[[{"ip":"1.1.1.1"}]]}}'],
                   ['{"r":{"items":[{"x":1}]}}', '{"r":{"items.ip":"1.1.1.1"}}', '{"R":{"items":{"ip":"1.1.1.1"}}}'])

    def test_field_names_are_case_sensitive(self):
        self.check("sel:\n    eventName: x\ncondition: sel", ['{"eventName":"x"}'], ['{"eventname":"x"}'])


class Conditions(OracleCase):
    DET = "sel_a:\n    a: 1\nsel_b:\n    b: 1\n_hidden:\n    c: 1\n"

    def test_one_of_and_all_of_pattern(self):
        self.check(self.DET + "condition: 1 of sel_*", ['{"a":1}', '{"b":1}'], ['{"c":1}'])
        self.check(self.DET + "condition: all of sel_*", ['{"a":1,"b":1}'], ['{"a":1}', '{"b":1,"c":1}'])
        self.check(self.DET + "condition: 1 of *_b", ['{"b":1}'], ['{"a":1}'])

    def test_them_skips_underscore(self):
        self.check(self.DET + "condition: all of them", ['{"a":1,"b":1}'], ['{"a":1,"c":1}'])
        self.check(self.DET + "condition: 1 of them", ['{"a":1}'], ['{"c":1}'])
        self.check(self.DET + "condition: sel_a and _hidden", ['{"a":1,"c":1}'], ['{"a":1}'])

    def test_not_and_precedence(self):
        self.check(self.DET + "condition: sel_a and not sel_b", ['{"a":1}'], ['{"a":1,"b":1}', '{"b":1}'])
        self.check(self.DET + "condition: sel_a or sel_b and _hidden", ['{"a":1}', '{"b":1,"c":1}'], ['{"b":1}'])
        self.check(self.DET + "condition: (sel_a or sel_b) and _hidden", ['{"b":1,"c":1}'], ['{"a":1}'])
        self.check(self.DET + "condition: not (sel_a or sel_b)", ['{"c":1}'], ['{"b":1}'])
        self.check(self.DET + "condition: sel_a and not 1 of sel_b*", ['{"a":1}'], ['{"a":1,"b":1}'])

    def test_condition_list_is_or(self):
        self.check(self.DET + "condition:\n    - sel_a\n    - sel_b", ['{"a":1}', '{"b":1}'], ['{"c":1}'])


class Loading(OracleCase):
    def filtered(self, filter_detection):
        rule = rule_yaml("sel:\n    a: x\ncondition: sel")
        flt = textwrap.dedent(f"""\
            title: f
            id: 0b3e6d1c-4a8e-4c55-9a51-1f7c7a4e00ff
            logsource:
                product: aws
                service: cloudtrail
            filter:
                rules:
                    - {RULE_ID}
            """) + textwrap.indent(textwrap.dedent(filter_detection), "    ")
        rules = self.write("rules/r.yml", rule)
        self.write("rules/sub/f.yaml", flt)
        logs = self.write("log.json", '{"Records":[{"a":"x"},{"a":"x","b":"y"},{"a":"x","c":"z"}]}')
        out, err = self.run_oracle([os.path.dirname(rules)], [logs])
        self.assertEqual(err, "")
        return [m["index"] for m in out]

    def test_filter_document(self):
        self.assertEqual(self.filtered("selection:\n    b: y\ncondition: not selection\n"), [0, 2])
        self.assertEqual(self.filtered("f_b:\n    b: y\nf_c:\n    c: z\ncondition: not 1 of f_*\n"), [0])
        self.assertEqual(self.filtered("f_b:\n    b: y\nf_c:\n    c: z\ncondition: not 1 of them\n"), [0])

    def test_skips(self):
        self.skipped(rule_yaml("sel:\n    a: x\ncondition: sel", logsource="product: windows"))
        self.skipped("title: t\nlogsource:\n    product: aws\n    service: cloudtrail\n"
                     "detection:\n    sel:\n        a: x\n    condition: sel\n")  # no id
        self.skipped(rule_yaml("sel:\n    a|nosuchmodifier: x\ncondition: sel"))
        self.skipped(rule_yaml("sel:\n    a: x\ncondition: sel and missing"))
        self.skipped(rule_yaml("sel:\n    a|expand: '%servers%'\ncondition: sel"))
        self.skipped(rule_yaml("sel:\n    a|hour: 3\ncondition: sel"))
        self.skipped(rule_yaml("sel:\n    '|fieldref': b\ncondition: sel"))
        self.skipped(rule_yaml("sel:\n    a|re: '[[:alpha:]]+'\ncondition: sel"))
        self.skipped(rule_yaml("sel:\n    a|re: '(?=x)x'\ncondition: sel"))
        self.skipped(rule_yaml("sel:\n    a|cidr: 10.0.0.1/8\ncondition: sel"))
        err = self.skipped(textwrap.dedent(f"""\
            title: c
            id: 0b3e6d1c-4a8e-4c55-9a51-1f7c7a4e00cc
            correlation:
                type: event_count
                rules:
                    - {RULE_ID}
                group-by:
                    - a
                timespan: 1h
                condition:
                    gte: 2
            """))
        self.assertIn("correlation", err)

    def test_duplicate_id_first_wins(self):
        self.write("rules/a.yml", rule_yaml("sel:\n    a: x\ncondition: sel"))
        self.write("rules/b.yml", rule_yaml("sel:\n    a: y\ncondition: sel"))
        logs = self.write("log.json", '{"Records":[{"a":"x"},{"a":"y"}]}')
        out, err = self.run_oracle([os.path.join(self.dir, "rules")], [logs])
        self.assertEqual([m["index"] for m in out], [0])
        self.assertIn("duplicate rule id", err)


class Files(OracleCase):
    def test_walk_gzip_and_bad_files(self):
        rules = self.write("r.yml", rule_yaml("sel:\n    a: x\ncondition: sel"))
        self.write("logs/b/one.json.gz", gzip.compress(b'{"Records":[{"a":"y"},{"a":"x"}]}'))
        self.write("logs/a.json", gzip.compress(b'{"Records":[{"a":"X"}]}'))  # gzip by magic bytes
        self.write("logs/c.json", '{"records":[{"a":"x"}]}')
        self.write("logs/d.json", '{"Records":[{"a":NaN}]}')
        self.write("logs/e.txt", '{"Records":[{"a":"x"}]}')
        self.write("logs/f.json.gz", gzip.compress(b'{"Records":[]}')[:-12] + b"garbage12345")
        single = self.write("single.log", '{"Records":[{"a":"x"}]}')
        logs = os.path.join(self.dir, "logs") + "/"
        out, err = self.run_oracle([rules], [logs, single])
        self.assertEqual([(m["file"], m["index"]) for m in out],
                         sorted([(logs + "a.json", 0), (logs + "b/one.json.gz", 1), (single, 0)]))
        self.assertIn("skip " + logs + "c.json", err)
        self.assertIn("skip " + logs + "d.json", err)
        self.assertIn("skip " + logs + "f.json.gz", err)
        self.assertNotIn("e.txt", err)

    def test_output_format(self):
        rules = self.write("r.yml", rule_yaml("sel:\n    a: x\ncondition: sel"))
        logs = self.write("l.json", '{"Records":[{"a":"x"}]}')
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            sigma_oracle.main(["--rules", rules, logs])
        self.assertEqual(buf.getvalue(), '{"file":"%s","index":0,"rule":"%s"}\n' % (logs, RULE_ID))


if __name__ == "__main__":
    unittest.main()

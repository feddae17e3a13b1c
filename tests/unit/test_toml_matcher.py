"""The [match] language of own rules: name resolution, conditions, validation, loading."""

from __future__ import annotations

import ast
import sys
import types
from pathlib import Path

import pytest

from bastion.analyzers.base import ImportContext, UnitSource
from bastion.analyzers.expr_values import is_formatted
from bastion.analyzers.match_compile import compile_match, validate_match
from bastion.analyzers.toml_rules import RuleError, TomlRulesAnalyzer, compile_rule
from bastion.config import Config
from bastion.engine.engine import Engine
from bastion.model import Level


def rule(match: dict, **extra) -> dict:
    table = {"id": "BST999", "name": "test_rule", "title": "Test rule", "severity": "high",
             "confidence": "medium", "cwe": {"id": 1}, "match": match}
    table.update(extra)
    return table


def lines(match: dict, source: str) -> list[int]:
    """1-based lines where the rule reports, through the real engine (units, import context)."""
    analysis = Engine([TomlRulesAnalyzer.from_tables([rule(match)])]).analyse(
        source, "case.py", Config())
    return sorted(f.line + 1 for f in analysis.findings)


JWT_NOVERIFY = {"calls": ["jwt.decode"],
                "keyword": {"name": "options",
                            "dict_item": {"key": "verify_signature", "equals": False}}}
BAD = 'x = {}(t, options={{"verify_signature": False}})\n'


# ---- qualified names --------------------------------------------------------------------------

@pytest.mark.parametrize("imports, call, expected", [
    ("import jwt\n", "jwt.decode", [2]),
    ("import jwt as j\n", "j.decode", [2]),
    ("from jwt import decode\n", "decode", [2]),
    ("from jwt import decode as d\n", "d", [2]),
    ("import jwt.api_jwt as api\n", "api.decode", []),  # jwt.api_jwt.decode is another name
    ("import pyjwt as jwt\n", "jwt.decode", []),  # the alias hides a different module
    ("from mylib import jwt\n", "jwt.decode", []),  # mylib.jwt.decode
    ("", "decode", []),
])
def test_call_names_resolve_through_import_aliases(imports, call, expected):
    assert lines(JWT_NOVERIFY, imports + BAD.format(call)) == expected


def test_an_import_inside_the_unit_counts_from_that_point_on():
    source = ("def f(t):\n"
              "    d(t, options={'verify_signature': False})\n"
              "    from jwt import decode as d\n"
              "    return d(t, options={'verify_signature': False})\n")
    assert lines(JWT_NOVERIFY, source) == [4]


def test_imports_of_earlier_units_reach_class_members():
    source = ("import jwt as j\n\n"
              "class Auth:\n"
              "    def claims(self, t):\n"
              "        return j.decode(t, options={'verify_signature': False})\n")
    assert lines(JWT_NOVERIFY, source) == [5]


def test_nested_attribute_chains_and_glob_names():
    match = {"calls": ["google.cloud.storage.Client.*"]}
    source = ("from google.cloud import storage as gcs\n"
              "gcs.Client.from_service_account_json(p)\n"
              "gcs.Bucket(p)\n")
    assert lines(match, source) == [2]


def test_methods_match_any_receiver_and_imported_gates_them():
    match = {"methods": ["get"], "imported": ["aiohttp"],
             "keyword": {"name": "ssl", "equals": False}}
    call = "session.get(url, ssl=False)\n"
    assert lines(match, call) == []
    assert lines(match, "import aiohttp\n" + call) == [2]
    assert lines(match, "from aiohttp import web\n" + call) == [2]
    assert lines(match, "import aiohttp_jinja2\n" + call) == []


def test_chains_through_calls_keep_a_call_marker():
    match = {"assign": {"targets": ["requests.Session().verify"], "value": {"equals": False}}}
    assert lines(match, "import requests\nrequests.Session().verify = False\n") == [2]


# ---- assignments --------------------------------------------------------------------------------

DEBUG = {"assign": {"targets": ["DEBUG", "django.conf.settings.DEBUG", "*[DEBUG]", "*.debug"],
                    "value": {"equals": True}, "module_level": True}}


@pytest.mark.parametrize("source, expected", [
    ("DEBUG = True\n", [1]),
    ("DEBUG: bool = True\n", [1]),
    ("A = DEBUG = True\n", [1]),
    ("DEBUG = False\n", []),
    ("DEBUG = 1\n", []),  # equals is typed: true is not 1
    ("debug = True\n", []),
    ("from django.conf import settings\nsettings.DEBUG = True\n", [2]),
    ("from myapp import settings\nsettings.DEBUG = True\n", []),  # myapp.settings.DEBUG
    ("app.config['DEBUG'] = True\n", [1]),
    ("app.config['TESTING'] = True\n", []),
    ("app.debug = True\n", [1]),
    ("if os.environ.get('X'):\n    DEBUG = True\n", [2]),
    ("class Dev:\n    DEBUG = True\n", [2]),
    ("def f():\n    DEBUG = True\n", []),  # module_level: not inside functions
    ("DEBUG, X = True, True\n", []),  # tuple unpacking is not matched
])
def test_assignment_targets(source, expected):
    assert lines(DEBUG, source) == expected


# ---- call conditions --------------------------------------------------------------------------

@pytest.mark.parametrize("call, expected", [
    ("f(a, b)", True),
    ("f(a, mode=b)", True),
    ("f(a)", False),
    ("f(a, *rest)", False),  # hidden behind *args
    ("f(*args, mode=b)", True),
])
def test_arg_by_position_or_keyword(call, expected):
    match = {"calls": ["f"], "arg": {"index": 1, "name": "mode"}}
    assert lines(match, call + "\n") == ([1] if expected else [])


@pytest.mark.parametrize("call, expected", [
    ("torch_load(f)", True),
    ("torch_load(f, weights_only=True)", False),
    ("torch_load(f, map_location='cpu')", True),
    ("torch_load(f, **options)", False),  # **kwargs may pass it
])
def test_missing_keyword(call, expected):
    match = {"calls": ["torch_load"], "missing_keyword": ["weights_only"]}
    assert lines(match, call + "\n") == ([1] if expected else [])


CORS = {"calls": ["CORS"], "keyword": {"name": "supports_credentials", "equals": True},
        "any": [{"missing_keyword": "origins"},
                {"keyword": {"name": "origins", "contains_string": "*"}}],
        "not": {"keyword": {"name": "send_wildcard", "equals": True}}}


@pytest.mark.parametrize("call, expected", [
    ("CORS(app, supports_credentials=True)", True),
    ("CORS(app, origins='*', supports_credentials=True)", True),
    ("CORS(app, origins=['https://a.example', '*'], supports_credentials=True)", True),
    ("CORS(app, origins=['https://a.example'], supports_credentials=True)", False),
    ("CORS(app, origins='*')", False),
    ("CORS(app, supports_credentials=True, send_wildcard=True)", False),
])
def test_all_any_not(call, expected):
    assert lines(CORS, call + "\n") == ([1] if expected else [])


def test_any_arg_and_receiver():
    match = {"methods": ["info"], "receiver": {"names_match": "^(logger|log)$"},
             "any_arg": {"names_match": "(?i)^password$"}}
    source = ("logger.info('x %s', password)\n"
              "logger.info('x %s', user)\n"
              "report.info('x %s', password)\n"
              "log.info('x', extra=password)\n")
    assert lines(match, source) == [1, 4]


# ---- expression conditions --------------------------------------------------------------------

def expr_lines(condition: dict, *expressions: str) -> list[int]:
    match = {"calls": ["sink"], "arg": {"index": 0, **condition}}
    return lines(match, "".join(f"sink({e})\n" for e in expressions))


@pytest.mark.parametrize("expression, formatted", [
    ('f"SELECT {x}"', True),
    ('f"SELECT {TABLE}"', False),  # UPPER_CASE names count as constants
    ('f"plain"', False),
    ('"a {}".format(x)', True),
    ('QUERY.format(x)', True),
    ('"a {}".format("b")', False),
    ('"a %s" % x', True),
    ('QUERY % name', True),
    ('"a %s" % ("b",)', False),
    ('"a " + x', True),
    ('x + " a"', True),
    ('"a" + "b"', False),
    ('a + b', False),  # no string part: could be numbers
    ('"a " + TABLE', False),
    ('x', False),
    ('"literal"', False),
    ('("a " + x).strip()', False),
])
def test_formatted_string(expression, formatted):
    assert is_formatted(ast.parse(expression, mode="eval").body) is formatted
    assert expr_lines({"kind": "formatted_string"}, expression) == ([1] if formatted else [])


@pytest.mark.parametrize("condition, expressions, expected", [
    ({"equals": False}, ["False", "0", "None", "'False'"], [1]),
    ({"equals": "data"}, ["'data'", "'DATA'", "data"], [1]),
    ({"one_of": ["CERT_NONE", 0]}, ["'CERT_NONE'", "0", "False", "'x'"], [1, 2]),
    ({"kind": "literal"}, ["b'0' * 16", "(1, 'a')", "-1", "x", "[x]", "f()"], [1, 2, 3]),
    ({"kind": "bytes"}, ["b'x'", "'x'"], [1]),
    ({"kind": "none"}, ["None", "False"], [1]),
    ({"kind": "reference"}, ["a", "a.b", "a['k']", "a()"], [1, 2, 3]),
    ({"contains_string": ["none"]}, ["['HS256', 'None']", "'none'", "['HS256']", "('NONE',)",
                                     "nonex"], [1, 2, 4]),
    ({"string_matches": "(?i)drop table"}, ["'DROP TABLE ' + t", "f'drop table {t}'", "t"],
     [1, 2]),
    ({"names_match": "(?i)(^|_)password$"},
     ["password", "user.password.encode()", "form['password']", "str(new_password)",
      "len(password)", "mask(password)", "password_hint", "password.strip().encode()",
      "password.strip", "':'.join([salt, pwd_password])"], [1, 2, 3, 4, 8, 10]),
    ({"dict_item": {"key": "verify", "equals": False}},
     ["{'verify': False}", "dict(verify=False)", "{'verify': True}", "{'other': False}", "opts"],
     [1, 2]),
    ({"dict_item": {"key": "verify"}}, ["{'verify': 1}", "{}"], [1]),
    ({"bits_set": 0o002}, ["0o777", "0o755", "stat.S_IRWXU | stat.S_IWOTH", "stat.S_IRWXO",
                           "stat.S_IRWXU", "mode"], [1, 3, 4]),
    ({"less_than": 100_000}, ["1000", "600_000", "10 ** 4", "n", "99_999.0"], [1, 3]),
    ({"qualname": ["ssl.CERT_NONE", "*.MODE_ECB"]},
     ["ssl.CERT_NONE", "CERT_NONE", "AES.MODE_ECB", "AES.MODE_GCM"], [1, 3]),
    ({"call_to": ["bytes"]}, ["bytes(16)", "bytes", "os.urandom(16)"], [1]),
    ({"not": {"kind": "constant"}}, ["1", "x"], [2]),
    ({"any": [{"equals": 1}, {"equals": 2}]}, ["1", "2", "3"], [1, 2]),
    ({"all": [{"kind": "number"}, {"less_than": 5}]}, ["1", "9", "'1'"], [1]),
])
def test_expression_conditions(condition, expressions, expected):
    prefix = "import stat, ssl\n"
    found = lines({"calls": ["sink"], "arg": {"index": 0, **condition}},
                  prefix + "".join(f"sink({e})\n" for e in expressions))
    assert [n - 1 for n in found] == expected


def test_references_resolve_the_request_object():
    cond = {"references": ["flask.request.args", "request.GET"]}
    source = ("from flask import request\n"
              "sink(request.args.get('next'))\n"
              "sink(request.args['next'] + '/x')\n"
              "sink(request.form['next'])\n"
              "sink(url_for('index'))\n")
    assert lines({"calls": ["sink"], "arg": {"index": 0, **cond}}, source) == [2, 3]
    django = "def view(request):\n    return sink(request.GET.get('next'))\n"
    assert lines({"calls": ["sink"], "arg": {"index": 0, **cond}}, django) == [2]


def test_stat_flags_resolve_through_aliases():
    match = {"calls": ["os.chmod"], "arg": {"index": 1, "bits_set": 0o002}}
    source = "import os\nfrom stat import S_IRWXO as O\nos.chmod(p, O)\n"
    assert lines(match, source) == [3]


# ---- compare and decorators -------------------------------------------------------------------

def test_compare():
    match = {"compare": {"ops": ["=="], "any_operand": {"names_match": "^signature$"},
                         "all_operands": {"not": {"kind": "constant"}}}}
    source = ("ok = expected == signature\n"
              "ok = signature == None\n"
              "ok = expected != signature\n"
              "if a == b and signature == expected:\n    pass\n")
    assert lines(match, source) == [1, 4]


def test_decorators_plain_and_called():
    match = {"decorators": ["django.views.decorators.csrf.csrf_exempt", "*.exempt"]}
    source = ("from django.views.decorators.csrf import csrf_exempt as ce\n"
              "@ce\ndef a(request):\n    pass\n"
              "@app.route('/')\n@csrf.exempt\ndef b():\n    pass\n"
              "@ce()\nclass C:\n    pass\n"
              "@login_required\ndef d(request):\n    pass\n")
    assert lines(match, source) == [2, 6, 9]


def test_any_of_patterns_reports_a_node_once():
    match = {"any": [{"calls": ["f"]}, {"methods": ["f"]}, {"calls": ["m.f"]}]}
    assert lines(match, "import m\nm.f()\nf()\n") == [2, 3]


# ---- findings ---------------------------------------------------------------------------------

def test_finding_fields_span_and_statement_lines():
    analyzer = TomlRulesAnalyzer.from_tables([rule(JWT_NOVERIFY)])
    source = ("import jwt\n"
              "claims = jwt.decode(\n"
              "    token,\n"
              "    options={'verify_signature': False},\n"
              ")\n")
    [finding] = Engine([analyzer]).analyse(source, "x.py", Config()).findings
    assert (finding.rule_id, finding.name, finding.source) == ("BST999", "test_rule", "bastion")
    assert (finding.severity, finding.confidence, finding.cwe) == (Level.HIGH, Level.MEDIUM, 1)
    assert finding.message == "Test rule"
    assert (finding.span.start_line, finding.span.start_col) == (1, 9)
    assert (finding.span.end_line, finding.span.end_col) == (4, 1)
    assert finding.lines == (1, 2, 3, 4)


def test_analyse_unit_directly_uses_the_context_aliases():
    analyzer = TomlRulesAnalyzer.from_tables([rule(JWT_NOVERIFY)])
    tree = ast.parse("j.decode(t, options={'verify_signature': False})\n")
    unit = UnitSource(tree, ["j.decode(t, options={'verify_signature': False})"], "x.py",
                      ImportContext(frozenset({"jwt"}), (("j", "jwt"),)))
    assert [f.rule_id for f in analyzer.analyse_unit(unit)] == ["BST999"]
    bare = UnitSource(tree, unit.lines, "x.py", ImportContext())
    assert analyzer.analyse_unit(bare) == []


# ---- validation -------------------------------------------------------------------------------

@pytest.mark.parametrize("table, message", [
    ([], "match: expected a table"),
    ({}, "expected one of calls"),
    ({"bogus": 1}, "unknown key(s) bogus"),
    ({"calls": "jwt.decode", "keyword": {"nam": "verify"}}, "match.keyword: unknown key 'nam'"),
    ({"calls": ["f"], "keyword": {"equals": False}}, "keyword needs `name`"),
    ({"calls": ["f"], "arg": {"equals": False}}, "arg needs `index`, `name` or both"),
    ({"calls": ["f"], "arg": {"index": -1}}, "match.arg.index: expected a non-negative integer"),
    ({"calls": [1]}, "match.calls: expected a string or an array of strings"),
    ({"calls": ["f"], "arg": {"index": 0, "kind": "fstring"}}, "unknown kind 'fstring'"),
    ({"calls": ["f"], "arg": {"index": 0, "names_match": "("}}, "invalid regular expression"),
    ({"calls": ["f"], "arg": {"index": 0, "equals": [1]}}, "expected a boolean, number or string"),
    ({"calls": ["f"], "arg": {"index": 0, "bits_set": "0o2"}}, "expected a positive integer mask"),
    ({"calls": ["f"], "any": {"keyword": {"name": "x"}}}, "match.any: expected a non-empty array"),
    ({"calls": ["f"], "not": [{"keyword": {"name": "x"}}]}, "match.not: expected a table"),
    ({"calls": ["f"], "assign": {"targets": ["X"]}}, "exactly one of"),
    ({"assign": {"targets": [], "value": {"equals": True}}}, "expected at least one target"),
    ({"assign": {"targets": ["X"], "module_level": "yes"}}, "expected true or false"),
    ({"assign": {"targets": ["X"], "valeu": {}}}, "match.assign: unknown key 'valeu'"),
    ({"compare": {"ops": ["=~"]}}, "unknown operator '=~'"),
    ({"any": []}, "match.any: expected a non-empty array of patterns"),
    ({"any": [{"calls": ["f"]}, {"imported": ["x"]}]}, "match.any[1]: a pattern has exactly one"),
    ({"calls": ["f"], "imported": "os", "receiver": {"kind": "name", "x": 1}},
     "match.receiver: unknown key 'x'"),
])
def test_validate_match_reports_problems(table, message):
    errors = validate_match(table)
    assert any(message in e for e in errors), errors


def test_validate_match_accepts_every_shipped_construct():
    assert validate_match(JWT_NOVERIFY) == []
    assert validate_match(CORS) == []
    assert validate_match(DEBUG) == []
    assert validate_match({"any": [{"decorators": ["a.b"]}, {"compare": {"ops": ["is not"]}}],
                           "imported": ["a"]}) == []


def test_every_error_is_collected():
    errors = validate_match({"calls": 3, "keyword": {"nam": 1}, "zzz": 1})
    assert len(errors) >= 3


# ---- rules and loading ------------------------------------------------------------------------

def test_compile_rule_rejects_bad_metadata():
    with pytest.raises(RuleError) as caught:
        compile_rule({"id": "B999", "name": "Bad Name", "severity": "extreme",
                      "confidence": "low", "cwe": {"id": -1}, "match": {"calls": 1}}, "x.toml")
    text = str(caught.value)
    for part in ("x.toml", "id:", "name:", "severity:", "cwe.id", "match.calls"):
        assert part in text
    with pytest.raises(RuleError, match="check"):
        compile_rule(rule({"calls": ["f"]}, check="python:x"))
    with pytest.raises(RuleError, match="no python check"):
        compile_rule({k: v for k, v in rule({}).items() if k != "match"} | {"check": "python:nope"})


def test_python_checks_are_looked_up_by_name(monkeypatch):
    class Check:
        node_types = (ast.Lambda,)

        def __call__(self, node, env):
            return not node.args.args

    module = types.ModuleType("bastion.analyzers.python_checks")
    module.CHECKS = {"bare_lambda": Check()}
    monkeypatch.setitem(sys.modules, "bastion.analyzers.python_checks", module)
    table = {k: v for k, v in rule({}).items() if k != "match"} | {"check": "python:bare_lambda"}
    analyzer = TomlRulesAnalyzer.from_tables([table])
    found = Engine([analyzer]).analyse("f = lambda: 1\ng = lambda x: x\n", "x.py", Config())
    assert [f.line for f in found.findings] == [0]


GOOD = '''id = "BST901"
name = "good_rule"
title = "Good"
severity = "low"
confidence = "low"
[cwe]
id = 1
[match]
calls = ["f"]
'''


def test_from_catalog_skips_bad_files_and_versions_by_content(tmp_path: Path, caplog):
    (tmp_path / "BST901.toml").write_text(GOOD)
    (tmp_path / "BST902.toml").write_text("id = 'BST902'\nname = [")  # TOML syntax error
    (tmp_path / "BST903.toml").write_text(GOOD.replace("901", "903").replace("good_rule", "r3")
                                          .replace('calls = ["f"]', "calls = 3"))
    (tmp_path / "BST904.toml").write_text(GOOD)  # duplicate id and name
    (tmp_path / "BST905.toml").write_bytes(b"\xff\xfe")
    analyzer = TomlRulesAnalyzer.from_catalog(tmp_path)
    assert analyzer.rule_ids() == {"BST901": "good_rule"}
    assert "BST902.toml" in caplog.text and "BST903.toml" in caplog.text
    first = analyzer.version
    assert TomlRulesAnalyzer.from_catalog(tmp_path).version == first
    (tmp_path / "BST901.toml").write_text(GOOD.replace('calls = ["f"]', 'calls = ["g"]'))
    assert TomlRulesAnalyzer.from_catalog(tmp_path).version != first


def test_from_catalog_on_a_missing_folder_is_empty(tmp_path: Path):
    analyzer = TomlRulesAnalyzer.from_catalog(tmp_path / "nope")
    assert analyzer.rule_ids() == {}
    assert Engine([analyzer]).analyse("f()\n", "x.py", Config()).findings == ()


def test_shipped_catalog_loads_every_rule_file():
    analyzer = TomlRulesAnalyzer.from_catalog()
    from bastion.analyzers.taint.analyzer import TaintAnalyzer
    from bastion.catalog.paths import rules_dir
    taint = set(TaintAnalyzer().rule_ids())  # [taint] rules: the taint analyzer reports them
    # `analyzer = "..."` rules (secrets, deps): the analyzer named reports them
    own = {p.stem for p in (rules_dir() / "bastion").glob("BST*.toml")
           if p.read_text(encoding="utf-8").count('\nanalyzer = "')}
    files = sorted(p.stem for p in (rules_dir() / "bastion").glob("BST*.toml")
                   if p.stem not in taint and p.stem not in own)
    assert len(taint) == 17
    assert sorted(analyzer.rule_ids()) == files
    assert len(set(analyzer.rule_ids().values())) == len(files)


def test_compile_match_returns_patterns_once():
    patterns, errors = compile_match({"any": [{"calls": ["a"]}, {"methods": ["b"]}]})
    assert errors == [] and len(patterns) == 2

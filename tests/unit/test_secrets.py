"""The secrets rules (BST301-BST306): each format found in every kind of file, placeholders and
fixtures left alone, suppressions, one finding per literal with bandit, and no value in clear.

Planted values are assembled from pieces, so that this file holds none in a scannable form.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.secrets.analyzer import RULES, SecretsAnalyzer, fingerprint
from bastion.config import Config
from bastion.engine.registry import create_engine
from bastion.filekinds import FileKind

ENGINE = create_engine()
SECRETS = SecretsAnalyzer()


def j(*parts: str) -> str:
    return "".join(parts)


AWS_ID = j("AKIA", "Z3MDTQ7WLX5RJ4NB")
AWS_SECRET = j("kq8vLr2T/9mZpWc4Ye1X", "bNf7Hs3Ug6Ja0DtRiEoQ")
GITHUB = j("ghp_", "R7kq2Lm9Xv4Tn8Wb3Hc6", "Jd1Fs5Gy0Zp2Qa4U")
GITLAB = j("glpat-", "Xk3Rt9Lm2Vq7Wz5Np8Hs")
SLACK = j("xoxb-", "184029375612-", "A9kLm3Tq7RvX2wZp")
SLACK_HOOK = j("https://hooks.slack.com/services/", "T0A1B2C3D/", "B4E5F6G7H/",
               "Q8wErT5yUi2oPa9sDf4gHj6k")
STRIPE = j("sk_live_", "51Hq8Lk2Vm9Xt4Rb7Nc3Wd6Y")
TWILIO = j("SK", "3f9a1c7e5b2d4f6a8c0e9b7d5f3a1c2e")
SENDGRID = j("SG.", "Xk3Rt9Lm2Vq7Wz5Np8Hs4A", ".", "bC6dE8fG0hI2jK4lM6nO8pQ0rS2tU4vW6xY8zA0bC2d")
GOOGLE = j("AIza", "SyB3kLm9Xv4Tn8Wb3Hc6Jd1Fs5Gy0Zp2Qa7")
AZURE_AD = j("Xk3", "8Q~", "Rt9Lm2Vq7Wz5Np8Hs4Ab6Cd8Ef0Gh2Ij")
JWT = j("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9", ".", "eyJyb2xlIjoic2VydmljZV9yb2xlIn0",
        ".", "4pQm8vT2xLr9NcW7bZs1Kd3Jy6Hf0Ge5")
PEM_BODY = ("MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n"
            "MzEfYyjiWA4R4/M2bS1GB4t7NXp98C3SC6dVMvDuictGeurT8jNbvJZHtCSuYEvu\n")
PEM = j("-----BEGIN ", "PRIVATE KEY-----\n", PEM_BODY, "-----END PRIVATE KEY-----")
DB_URL = j("postgresql://shop:", "Gr4pe-Vine-22", "@db.internal/shop")
GENERIC = j("q8Lx2vN7", "rT4mZ9sK1wB6")


def found(text: str, path: str) -> list[tuple[str, int]]:
    analysis = ENGINE.analyse(text, path, Config())
    assert not analysis.errors
    return [(f.rule_id, f.line) for f in analysis.findings if f.rule_id.startswith("BST3")]


@pytest.mark.parametrize(("rule", "value"), [
    ("BST301", AWS_ID), ("BST302", GITHUB), ("BST302", GITLAB), ("BST302", SLACK),
    ("BST302", STRIPE), ("BST302", TWILIO), ("BST302", SENDGRID), ("BST302", GOOGLE),
    ("BST302", AZURE_AD), ("BST304", JWT),
])
@pytest.mark.parametrize(("path", "template"), [
    ("deploy/.env", "TOKEN_X={}\n"), ("ci.yml", "env:\n  X: {}\n"), ("a.json", '{{"x": "{}"}}\n'),
    ("conf.ini", "[s]\nx = {}\n"), ("run.sh", "export X='{}'\n"), ("Dockerfile", "ENV X={}\n"),
    ("app.py", 'X = "{}"\n'), ("pyproject.toml", '[tool.x]\nx = "{}"\n'),
])
def test_each_format_in_each_kind(rule, value, path, template):
    text = template.format(value)
    line = text[:text.index(value)].count("\n")
    assert found(text, path) == [(rule, line)]


def test_multi_part_formats():
    assert found(f"aws_secret_access_key = {AWS_SECRET}\n", "creds.ini") == [("BST301", 0)]
    assert found(f"url: {SLACK_HOOK}\n", "hooks.yaml") == [("BST302", 0)]
    assert found(f'key = """{PEM}"""\n', "keys.py") == [("BST303", 0)]
    assert found(f"DATABASE_URL={DB_URL}\n", ".env") == [("BST305", 0)]
    escaped = PEM.replace("\n", "\\n")
    assert found(f'{{"private_key": "{escaped}"}}\n', "sa.json") == [("BST303", 0)]


def test_generic_secret_needs_a_credential_key_and_a_random_value():
    assert found(f"DB_PASSWORD={GENERIC}\n", ".env") == [("BST306", 0)]
    assert found(f"api_key: '{GENERIC}'\n", "settings.yaml") == [("BST306", 0)]
    assert found(f'PAYMENTS_API_KEY = "{GENERIC}"\n', "app.py") == [("BST306", 0)]
    for text in ("DB_PASSWORD=hunter22\n", "PASSWORD_FILE=/run/secrets/db\n",
                 "token_type: bearer_token_kind\n", "password: ${DB_PASSWORD}\n",
                 "password = get_password()\n", "SECRET_NAME=prod-db-credentials\n",
                 f"description = the {GENERIC} password\n", "input_token: NextPageToken\n",
                 "client_token = 0f8fad5b-d9cb-469f-a165-70867728950e\n",
                 "Token.Prompt = #ansigreen\n"):
        assert found(text, "conf.ini") == [], text


@pytest.mark.parametrize("value", [
    "AKIAIOSFODNN7EXAMPLE", j("ghp_", "x" * 36), j("sk_live_", "<your-key-here>0123456789"),
    "postgresql://user:password@localhost/db", "postgresql://u:${DB_PASSWORD}@db/x",
    "redis://:{password}@cache:6379", j("-----BEGIN ", "PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----"),
    "API_KEY=changeme", "SECRET=<insert secret>", "password: example-password-123",
])
def test_placeholders_are_not_reported(value):
    assert found(f"X={value}\n" if "=" not in value else value + "\n", "conf/.env") == []


@pytest.mark.parametrize("path", ["project/tests/fixtures/.env", "svc/test_settings.py",
                                  "docs/config.yaml", "api/examples-1.json", ".env.sample"])
def test_fixtures_keep_formats_but_not_generic_values(path):
    text = f'DB_PASSWORD="{GENERIC}"\nKEY="{AWS_ID}"\n'
    analysis = ENGINE.analyse(text, path, Config())
    assert [(f.rule_id, f.confidence.label) for f in analysis.findings
            if f.rule_id.startswith("BST")] == [("BST301", "medium")]


def test_suppressions_by_id_and_name_per_kind():
    assert found(f"K={AWS_ID}  # nosec BST301\n", ".env") == []
    assert found(f"k: {AWS_ID} # nosec aws_credentials\n", "a.yaml") == []
    assert found(f'K = "{AWS_ID}"  # nosec BST301\n', "a.py") == []
    assert found(f"K={AWS_ID}  # nosec BST302\n", ".env") == [("BST301", 0)]  # another rule


def test_one_finding_per_literal_with_bandit():
    py = f'DB_PASSWORD = "{GENERIC}"\ngithub_token = "{GITHUB}"\n'
    ids = [(f.rule_id, f.line) for f in ENGINE.analyse(py, "app.py", Config()).findings]
    # bandit's B105 wins over the generic rule; the provider format wins over B105
    assert ids == [("B105", 0), ("BST302", 1)]


def test_messages_carry_a_redacted_form_and_a_fingerprint_only():
    analysis = ENGINE.analyse(f"K={STRIPE}\nL={STRIPE}\n", ".env", Config())
    messages = [f.message for f in analysis.findings]
    assert messages[0] == messages[1]
    assert fingerprint(STRIPE) in messages[0] and STRIPE not in repr(analysis)
    assert "[redacted: 32 characters, s...Y]" in messages[0]


def test_rules_have_catalog_files_and_the_kinds_are_all_text_kinds():
    from bastion.engine.registry import default_rule_ids

    assert set(RULES) <= default_rule_ids()
    assert SECRETS.kinds == frozenset(k for k in FileKind if k is not FileKind.PYTHON)


def test_a_crafted_line_is_answered():
    """Correctness only (no timing here: bench/secrets_bench.py measures it)."""
    hostile = ("AKIA" * 50_000 + "://a:" * 20_000 + "eyJ" * 20_000 + "password=" * 20_000
               + "-----BEGIN PRIVATE KEY-----" * 2_000)
    assert isinstance(SECRETS.analyse_text(hostile, "x.env", FileKind.DOTENV), list)


def _backtracking_risks(items, outer: float = 1) -> list[str]:
    """What could make a pattern super-linear on a backtracking engine (conservative): a repeat
    without an upper bound of anything but one character (class), or a variable-length repeat
    inside a repeat (`outer`: how many times the enclosing repeats may run) where the two can
    share out the same characters in more than a few hundred ways."""
    try:
        from re import _constants as sre_constants
        from re import _parser as sre_parse
    except ImportError:  # Python 3.10
        import sre_constants
        import sre_parse
    if isinstance(items, str):
        items = sre_parse.parse(items)
    single = {sre_constants.IN, sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.ANY}
    found = []
    for op, arg in items:
        if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) or op.name == "POSSESSIVE_REPEAT":
            low, high, body = arg
            most = float("inf") if high == sre_constants.MAXREPEAT else high
            if most == float("inf") and not (len(body) == 1 and body[0][0] in single):
                found.append("an unbounded repeat of more than one character")
            if outer > 1 and low != high and outer * most > 400:
                found.append("variable-length repeats nested too deep")
            found += _backtracking_risks(body, outer * most)
        elif op == sre_constants.SUBPATTERN:
            found += _backtracking_risks(arg[-1], outer)
        elif op == sre_constants.BRANCH:
            for branch in arg[1]:
                found += _backtracking_risks(branch, outer)
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            found += _backtracking_risks(arg[1], outer)
    return found


def test_patterns_run_on_whole_lines_cannot_backtrack_badly():
    """The provider formats and the generic assignment pattern run over whole lines that a
    repository controls: checked structurally (bench/secrets_bench.py measures the time)."""
    from bastion.analyzers.secrets import generic
    from bastion.analyzers.secrets.formats import FORMATS

    patterns = {f"{f.rule_id} {f.label}": f.pattern for f in FORMATS}
    patterns["generic assignment"] = generic._ASSIGNED
    risky = {name: risks for name, pattern in patterns.items()
             if (risks := _backtracking_risks(pattern.pattern))}
    assert risky == {}
    # and the check does find what it looks for
    assert _backtracking_risks(r"(a+)+b") and _backtracking_risks(r"(?:\w{0,40}){0,40}x")
    assert not _backtracking_risks(r"AKIA[0-9A-Z]{16}") and not _backtracking_risks(r"(?:ab_?)?c")


def test_baseline_fingerprint_depends_on_the_redacted_form_only():
    from bastion.baseline.fingerprint import fingerprints

    def printed(value: str, path: str) -> str:
        text = f"A=1\nAWS_ACCESS_KEY_ID={value}\n"
        analysis = ENGINE.analyse(text, path, Config())
        return list(fingerprints(analysis.findings, text).values())[0]

    other = AWS_ID[:5] + "Q7WLX5RJ4Z3MDT" + AWS_ID[-1]  # same length and ends
    assert printed(AWS_ID, ".env") == printed(other, ".env")
    assert printed(AWS_ID, ".env") != printed(j("ASIA", AWS_ID[4:-1], "C"), ".env")


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from(["PassWord", "password", "TOKEN", "to\u212aen", "İ", "ſecret",
                                  "api_KEY", "SECRET", "x", " = '", "\n"]), max_size=12).map("".join))
def test_keywords_are_found_at_the_offsets_of_an_ascii_lowering(text):
    """_keywords lowers ASCII letters only, whatever the text holds (str.lower on an ASCII
    text, a translation table otherwise): the hits are those of the table on every text."""
    from bastion.analyzers.secrets.generic import _ASCII_LOWER, _KEYWORDS, _keywords

    low, expected = text.translate(_ASCII_LOWER), []
    for keyword in _KEYWORDS:
        at = low.find(keyword)
        while at >= 0:
            expected.append((at, at + len(keyword)))
            at = low.find(keyword, at + len(keyword))
    expected.sort()
    assert _keywords(text, 0, len(text)) == expected

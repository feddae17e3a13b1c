"""`# nosec` suppressions and the "suppress" quick-fix edit, checked against the bandit CLI.

Every case is also run through `bandit -f json` (once for all cases, with and without
`--ignore-nosec`), so the engine's reported/suppressed split provably follows bandit's semantics,
including bandit's own quirks (`# nosec B602,B607` only names B607; the first commented line of
the flagged statement wins).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.config import Config
from bastion.engine.engine import Engine
from bastion.engine.suppress import parse_comment
from bastion.engine.suppress_edit import LineEdit, suppress_edit
from bastion.engine.suppress_govern import suppression_for
from bastion.model import Suppression

ENGINE = Engine([BanditAdapter()])
CONFIG = Config()
BANDIT = Path(sys.executable).with_name("bandit")

SHELL = "import subprocess\n"

# name -> (source, expected reported ids+lines, expected suppressed ids+lines); lines 0-based.
CASES: dict[str, tuple[str, set, set]] = {
    "no_comment": (SHELL + "subprocess.call(cmd, shell=True)\n", {("B404", 0), ("B602", 1)}, set()),
    "blanket": (
        SHELL + "subprocess.call(cmd, shell=True)  # nosec\n",
        {("B404", 0)},
        {("B602", 1)},
    ),
    "blanket_no_space": (
        SHELL + "subprocess.call(cmd, shell=True)  #nosec\n",
        {("B404", 0)},
        {("B602", 1)},
    ),
    "uppercase_is_not_nosec": (
        SHELL + "subprocess.call(cmd, shell=True)  # NOSEC\n",
        {("B404", 0), ("B602", 1)},
        set(),
    ),
    "by_id": (
        SHELL + "subprocess.call(cmd, shell=True)  # nosec B602\n",
        {("B404", 0)},
        {("B602", 1)},
    ),
    "by_id_colon": (
        SHELL + "subprocess.call(cmd, shell=True)  # nosec: B602\n",
        {("B404", 0)},
        {("B602", 1)},
    ),
    "by_test_name": (
        SHELL
        + "subprocess.call(cmd, shell=True)  # nosec subprocess_popen_with_shell_equals_true\n",
        {("B404", 0)},
        {("B602", 1)},
    ),
    "by_blacklist_name": ("import pickle  # nosec import_pickle\n", set(), {("B403", 0)}),
    "wrong_id": (
        SHELL + "subprocess.call(cmd, shell=True)  # nosec B601\n",
        {("B404", 0), ("B602", 1)},
        set(),
    ),
    "wrong_name": (
        SHELL + "subprocess.call(cmd, shell=True)  # nosec paramiko_calls\n",
        {("B404", 0), ("B602", 1)},
        set(),
    ),
    "unknown_id_is_blanket": (
        SHELL + "subprocess.call(cmd, shell=True)  # nosec B999\n",
        {("B404", 0)},
        {("B602", 1)},
    ),
    "free_text_is_blanket": (
        SHELL + "subprocess.call(cmd, shell=True)  # nosec: reviewed\n",
        {("B404", 0)},
        {("B602", 1)},
    ),
    "id_with_reason": (
        SHELL + "subprocess.call(cmd, shell=True)  # nosec B602 -- reviewed by appsec\n",
        {("B404", 0)},
        {("B602", 1)},
    ),
    "after_other_comment": (
        SHELL + "subprocess.call(cmd, shell=True)  # noqa: S602  # nosec B602\n",
        {("B404", 0)},
        {("B602", 1)},
    ),
    # Two findings on one line (B602 LOW for a literal command, B607 partial path).
    "two_ids_space": (
        SHELL + "subprocess.call('ls -l', shell=True)  # nosec B602, B607\n",
        {("B404", 0)},
        {("B602", 1), ("B607", 1)},
    ),
    "two_ids_plain_space": (
        SHELL + "subprocess.call('ls -l', shell=True)  # nosec B602 B607\n",
        {("B404", 0)},
        {("B602", 1), ("B607", 1)},
    ),
    # bandit's regex keeps only the last id of a comma-joined run: `B602,B607` silences B607 only.
    "two_ids_comma": (
        SHELL + "subprocess.call('ls -l', shell=True)  # nosec B602,B607\n",
        {("B404", 0), ("B602", 1)},
        {("B607", 1)},
    ),
    "one_of_two": (
        SHELL + "subprocess.call('ls -l', shell=True)  # nosec B607\n",
        {("B404", 0), ("B602", 1)},
        {("B607", 1)},
    ),
    # Multi-line call: B602 is reported on the `shell=` line; a comment anywhere in the call's
    # lines applies (bandit reads the finding's line and the first commented line of the call).
    "multiline_first": (
        SHELL + "subprocess.call(  # nosec B602\n    cmd,\n    shell=True,\n)\n",
        {("B404", 0)},
        {("B602", 3)},
    ),
    "multiline_middle": (
        SHELL + "subprocess.call(\n    cmd,  # nosec B602\n    shell=True,\n)\n",
        {("B404", 0)},
        {("B602", 3)},
    ),
    "multiline_finding_line": (
        SHELL + "subprocess.call(\n    cmd,\n    shell=True,  # nosec B602\n)\n",
        {("B404", 0)},
        {("B602", 3)},
    ),
    "multiline_last": (
        SHELL + "subprocess.call(\n    cmd,\n    shell=True,\n)  # nosec B602\n",
        {("B404", 0)},
        {("B602", 3)},
    ),
    "multiline_wrong_id": (
        SHELL + "subprocess.call(\n    cmd,\n    shell=True,\n)  # nosec B601\n",
        {("B404", 0), ("B602", 3)},
        set(),
    ),
    # Only the *first* commented line of the statement counts: its B601 hides the later B602.
    "multiline_first_comment_wins": (
        SHELL + "subprocess.call(  # nosec B601\n    cmd,  # nosec B602\n    shell=True,\n)\n",
        {("B404", 0), ("B602", 3)},
        set(),
    ),
    # ...but the finding's own line is always read too, and the two are combined.
    "multiline_union_with_own_line": (
        SHELL + "subprocess.call(  # nosec B601\n    cmd,\n    shell=True,  # nosec B602\n)\n",
        {("B404", 0)},
        {("B602", 3)},
    ),
    "line_after_does_not_apply": (
        SHELL + "subprocess.call(cmd, shell=True)\n# nosec\n",
        {("B404", 0), ("B602", 1)},
        set(),
    ),
    "line_before_does_not_apply": (
        SHELL + "# nosec B602\nsubprocess.call(cmd, shell=True)\n",
        {("B404", 0), ("B602", 2)},
        set(),
    ),
    "string_is_not_a_comment": ("eval('1 + 1  # nosec')\n", {("B307", 0)}, set()),
    # A FunctionDef finding's lines are the whole function: a nosec anywhere in the body applies.
    "function_body_quirk": (
        "def login(user, password='hunter2'):\n    x = 1  # nosec\n    return x\n",
        set(),
        {("B107", 0)},
    ),
    "decorator_line_does_not_apply": (
        "@route  # nosec\ndef login(user, password='hunter2'):\n    return user\n",
        {("B107", 1)},
        set(),
    ),
    # A string check uses its parent's lines: the closing bracket line is outside them.
    "string_parent_lines": (
        "query = (\n    'SELECT * FROM users WHERE id = %s'\n    % uid\n)  # nosec B608\n",
        {("B608", 1)},
        set(),
    ),
    "string_parent_lines_inside": (
        "query = (\n    'SELECT * FROM users WHERE id = %s'\n    % uid  # nosec B608\n)\n",
        set(),
        {("B608", 1)},
    ),
    "in_method": (
        "import yaml\n\nclass Store:\n    def read(self, fh):\n"
        "        return yaml.load(fh)  # nosec B506\n",
        set(),
        {("B506", 4)},
    ),
    "in_nested_class_method": (
        "import yaml\n\nclass Outer:\n    class Inner:\n        def read(self, fh):\n"
        "            return yaml.load(\n                fh,\n            )  # nosec yaml_load\n",
        set(),
        {("B506", 5)},
    ),
    "import_line": (
        "import subprocess  # nosec B404\nimport pickle\n",
        {("B403", 1)},
        {("B404", 0)},
    ),
    "same_line_statements": (
        "import subprocess; import pickle  # nosec B403\n",
        {("B404", 0)},
        {("B403", 0)},
    ),
    "crlf": (
        "import subprocess\r\nsubprocess.call(cmd, shell=True)  # nosec B602\r\n",
        {("B404", 0)},
        {("B602", 1)},
    ),
    "non_ascii": (
        SHELL + "subprocess.call('café ☕ ' + cmd, shell=True)  # nosec B602\n",
        {("B404", 0)},
        {("B602", 1)},
    ),
}

# Cases where the engine once disagreed with bandit (fixed bugs, kept as regressions):
# name -> (source, what went wrong)
KNOWN_DIVERGENT: dict[str, tuple[str, str]] = {
    "builtin_blacklist_id": (
        SHELL + "subprocess.call(cmd, shell=True)  # nosec B001\n",
        "B001 (bandit's built-in blacklist id) is a valid id to bandit (Manager.check_id), so `# "
        "nosec B001` silences nothing in bandit; the engine's lookup does not know B001, "
        "treats it as unknown and the comment becomes a blanket nosec that silences B602",
    ),
    "capitalised_word_after_id": (
        SHELL + "subprocess.call('ls -l', shell=True)  # nosec B602,Reviewed\n",
        "bandit's NOSEC_COMMENT_TESTS is compiled with re.IGNORECASE, the engine's _NOSEC_TESTS is "
        "not: bandit reads `B602,Reviewed` as one run whose last capture `Reviewed` is unknown, so "
        "the comment is a blanket nosec (B602 and B607 silenced); the engine reads {B602} and "
        "still reports B607",
    ),
    "trojansource_comment_line": (
        "x = 1\n# note \u202e  # nosec\ny = 2\n",
        "a nosec on a comment-only line between statements belongs to no unit, so the engine "
        "never sees it; bandit silences the B613 finding reported on that very line",
    ),
    "trojansource_first_line": (
        "# nosec\nx = 1\ny = 'a\u202e'\n",
        "bandit checks B613 against line 1 (its linerange is [0, 1]) and the adapter copies that "
        "into Finding.lines, but a comment-only line 1 is in no unit, so its nosec is never read",
    ),
}


def analyse(text: str):
    return ENGINE.analyse(text, "case.py", CONFIG)


def pairs(findings) -> set:
    return {(f.rule_id, f.span.start_line) for f in findings}


# ---- the bandit CLI, run once over every case and every edited file ---------------------------


def run_bandit(folder: Path, *extra: str) -> dict[str, set]:
    proc = subprocess.run(
        [str(BANDIT), "-f", "json", "-q", *extra, "-r", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == [], report["errors"]
    out: dict[str, set] = {p.name: set() for p in folder.glob("*.py")}
    for result in report["results"]:
        out[Path(result["filename"]).name].add((result["test_id"], result["line_number"] - 1))
    return out


def write(folder: Path, name: str, text: str) -> None:
    (folder / f"{name}.py").write_bytes(text.encode("utf-8"))


# ---- suppress_edit cases --------------------------------------------------------------------

# name -> (source, rule id to silence, expected line of the edit, expected new text of that line)
EDIT_CASES: dict[str, tuple[str, str, int, str | None]] = {
    "single_line": (
        SHELL + "subprocess.call(cmd, shell=True)\n",
        "B602",
        1,
        "subprocess.call(cmd, shell=True)  # nosec B602",
    ),
    "multiline_call": (
        SHELL + "subprocess.call(\n    cmd,\n    shell=True,\n)\n",
        "B602",
        3,
        "    shell=True,  # nosec B602",
    ),
    "multiline_call_from_first_line": (
        "import requests\nrequests.get(\n    url,\n    timeout=None,\n)\n",
        "B113",
        1,
        "requests.get(  # nosec B113",
    ),
    # The finding's line ends inside a triple-quoted string: the comment goes on the next line
    # of the statement.
    "triple_quoted_finding_line": (
        SHELL + 'subprocess.call(cmd, shell=True, env={"A": """x\ny"""})\n',
        "B602",
        2,
        'y"""})  # nosec B602',
    ),
    "triple_quoted_sql": (
        'cursor.execute("""SELECT * FROM users\nWHERE id = %s""" % uid)\n',
        "B608",
        1,
        'WHERE id = %s""" % uid)  # nosec B608',
    ),
    # The finding's line ends with a backslash continuation.
    "backslash_continuation": (
        'import os\nos.system("ls " + \\\n    path)\n',
        "B605",
        2,
        "    path)  # nosec B605",
    ),
    "method": (
        "import yaml\n\nclass Store:\n    def read(self, fh):\n        return yaml.load(fh)\n",
        "B506",
        4,
        "        return yaml.load(fh)  # nosec B506",
    ),
    "function_default": (
        "def login(user, password='hunter2'):\n    return user\n",
        "B107",
        0,
        "def login(user, password='hunter2'):  # nosec B107",
    ),
    "merge_existing": (
        SHELL + "subprocess.call(cmd, shell=True)  # nosec B601\n",
        "B602",
        1,
        "subprocess.call(cmd, shell=True)  # nosec B601, B602",
    ),
    "merge_existing_with_reason": (
        SHELL + "subprocess.call(cmd, shell=True)  # nosec B601  # reviewed\n",
        "B602",
        1,
        "subprocess.call(cmd, shell=True)  # nosec B601, B602  # reviewed",
    ),
    "merge_existing_on_statement_first_line": (
        SHELL + "subprocess.call(  # nosec B601\n    cmd,\n    shell=True,\n)\n",
        "B602",
        1,
        "subprocess.call(  # nosec B601, B602",
    ),
    "merge_keeps_other_findings": (
        SHELL + "subprocess.call('ls -l', shell=True)  # nosec: B601\n",
        "B607",
        1,
        "subprocess.call('ls -l', shell=True)  # nosec: B601, B607",
    ),
    "non_ascii_line": (
        SHELL + "subprocess.call('café ☕ ' + cmd, shell=True)\n",
        "B602",
        1,
        "subprocess.call('café ☕ ' + cmd, shell=True)  # nosec B602",
    ),
    "crlf": (
        "import subprocess\r\nsubprocess.call(cmd, shell=True)\r\n",
        "B602",
        1,
        "subprocess.call(cmd, shell=True)  # nosec B602",
    ),
}


def apply_edit(text: str, edit: LineEdit) -> str:
    lines = text.split("\n")
    line = lines[edit.line]
    cr = "\r" if line.endswith("\r") else ""
    body = line.removesuffix("\r")
    lines[edit.line] = body[: edit.start] + edit.text + body[edit.end :] + cr
    return "\n".join(lines)


def finding_for(analysis, rule_id: str):
    matching = [f for f in analysis.findings if f.rule_id == rule_id]
    assert len(matching) == 1, matching
    return matching[0]


def edited(name: str) -> tuple[str, LineEdit]:
    text, rule_id, _, _ = EDIT_CASES[name]
    analysis = analyse(text)
    edit = suppress_edit(finding_for(analysis, rule_id), text.split("\n"), analysis.directives)
    assert edit is not None, f"no edit for {name}"
    return apply_edit(text, edit), edit


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nosec_cases")
    for name, (text, _, _) in CASES.items():
        write(folder, f"case_{name}", text)
    for name, (text, _) in KNOWN_DIVERGENT.items():
        write(folder, f"div_{name}", text)
    for name, (text, *_rest) in EDIT_CASES.items():
        write(folder, f"before_{name}", text)
        write(folder, f"after_{name}", edited(name)[0])
    return {"nosec": run_bandit(folder), "all": run_bandit(folder, "--ignore-nosec")}


# ---- parsing -------------------------------------------------------------------------------


NAMES = {**{i: i for i in ENGINE.rule_names}, **{n: i for i, n in ENGINE.rule_names.items()}}


@pytest.mark.parametrize(
    ("comment", "ids", "unknown"),
    [
        ("# nosec", set(), ()),
        ("#nosec", set(), ()),
        ("# nosec B602", {"B602"}, ()),
        ("# nosec: B602", {"B602"}, ()),
        ("# nosec B602, B607", {"B602", "B607"}, ()),
        ("# nosec B602 B607", {"B602", "B607"}, ()),
        ("# nosec B602,B607", {"B607"}, ()),  # bandit's regex: last capture of a repeated group
        ("# nosec subprocess_popen_with_shell_equals_true", {"B602"}, ()),
        ("# nosec import_pickle", {"B403"}, ()),
        ("# nosec B999", set(), ("B999",)),
        ("# nosec B602  # because", {"B602"}, ()),
    ],
)
def test_parse_comment(comment, ids, unknown):
    directive = parse_comment(comment, 7, NAMES)
    assert directive is not None
    assert directive.line == 7
    assert directive.ids == frozenset(ids)
    assert directive.unknown == unknown
    assert directive.text == comment


@pytest.mark.parametrize("comment", ["# NOSEC", "# no sec", "# noqa", "# nosecurity-review"])
def test_not_a_nosec_comment(comment):
    directive = parse_comment(comment, 0, NAMES)
    if comment == "# nosecurity-review":
        # bandit's regex has no word boundary either: `nosecurity` still reads as `nosec`.
        assert directive is not None
    else:
        assert directive is None


# ---- engine vs expectations vs bandit CLI ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(CASES))
def test_nosec_case(name):
    text, reported, suppressed = CASES[name]
    ast.parse(text)
    analysis = analyse(text)
    assert pairs(analysis.findings) == reported
    assert pairs(analysis.suppressed) == suppressed


@pytest.mark.parametrize("name", sorted(CASES))
def test_nosec_case_matches_bandit_cli(cli, name):
    text, _, _ = CASES[name]
    analysis = analyse(text)
    assert pairs(analysis.findings) == cli["nosec"][f"case_{name}.py"]
    assert pairs(analysis.findings) | pairs(analysis.suppressed) == cli["all"][f"case_{name}.py"]


@pytest.mark.parametrize("name", sorted(KNOWN_DIVERGENT))
def test_former_divergence_from_bandit_cli(cli, name):
    text, _ = KNOWN_DIVERGENT[name]
    analysis = analyse(text)
    assert pairs(analysis.findings) == cli["nosec"][f"div_{name}.py"]
    assert pairs(analysis.findings) | pairs(analysis.suppressed) == cli["all"][f"div_{name}.py"]
    assert pairs(analysis.findings) == cli["nosec"][f"div_{name}.py"]


def test_suppressed_by_records_the_comment():
    text = SHELL + "subprocess.call(\n    cmd,  # nosec B602\n    shell=True,\n)\n"
    analysis = analyse(text)
    (finding,) = analysis.suppressed
    assert finding.rule_id == "B602"
    assert finding.suppressed_by == Suppression("nosec", 2, "# nosec B602")
    assert finding.span.start_line == 3
    assert [f.rule_id for f in analysis.findings] == ["B404"]


def test_suppressed_by_prefers_the_finding_line():
    text = SHELL + "subprocess.call(  # nosec B601\n    cmd,\n    shell=True,  # nosec B602\n)\n"
    (finding,) = analyse(text).suppressed
    assert finding.suppressed_by == Suppression("nosec", 3, "# nosec B602")


def test_suppressed_finding_is_kept_whole():
    plain = analyse(SHELL + "subprocess.call(cmd, shell=True)\n")
    silenced = analyse(SHELL + "subprocess.call(cmd, shell=True)  # nosec\n")
    before = next(f for f in plain.findings if f.rule_id == "B602")
    after = silenced.suppressed[0]
    assert after.suppressed_by == Suppression("nosec", 1, "# nosec")
    assert (after.rule_id, after.span, after.severity, after.confidence, after.message) == (
        before.rule_id,
        before.span,
        before.severity,
        before.confidence,
        before.message,
    )


def test_suppression_is_applied_after_rule_selection():
    text = SHELL + "subprocess.call(cmd, shell=True)  # nosec B602\n"
    analysis = ENGINE.analyse(text, "case.py", Config(select=("B404",)))
    assert pairs(analysis.findings) == {("B404", 0)}
    assert analysis.suppressed == ()


def test_directives_are_exposed_with_document_lines():
    text = (
        "import yaml\n\nclass Store:\n    def read(self, fh):\n"
        "        return yaml.load(fh)  # nosec B506\n"
    )
    directives = analyse(text).directives
    assert set(directives) == {4}
    assert directives[4].ids == frozenset({"B506"})


def test_suppression_for_without_directives():
    finding = analyse(SHELL + "subprocess.call(cmd, shell=True)\n").findings[1]
    assert suppression_for(finding, {}) is None


# ---- suppress_edit -------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EDIT_CASES))
def test_suppress_edit_places_the_comment(name):
    text, rule_id, line, new_line = EDIT_CASES[name]
    after, edit = edited(name)
    assert edit.line == line
    assert after.split("\n")[line].removesuffix("\r") == new_line
    ast.parse(after)


@pytest.mark.parametrize("name", sorted(EDIT_CASES))
def test_suppress_edit_silences_exactly_that_finding(name):
    text, rule_id, _, _ = EDIT_CASES[name]
    before = analyse(text)
    target = finding_for(before, rule_id)
    after = analyse(edited(name)[0])
    assert pairs(after.findings) == pairs(before.findings) - {(rule_id, target.span.start_line)}
    assert (rule_id, target.span.start_line) in pairs(after.suppressed)


@pytest.mark.parametrize("name", sorted(EDIT_CASES))
def test_suppress_edit_is_honoured_by_bandit_cli(cli, name):
    text, rule_id, _, _ = EDIT_CASES[name]
    target = finding_for(analyse(text), rule_id)
    before = cli["nosec"][f"before_{name}.py"]
    after = cli["nosec"][f"after_{name}.py"]
    assert (rule_id, target.span.start_line) in before
    assert after == before - {(rule_id, target.span.start_line)}
    # and the engine agrees with bandit on the edited file
    assert pairs(analyse(edited(name)[0]).findings) == after


def test_suppress_edit_is_idempotent():
    after, _ = edited("single_line")
    analysis = analyse(after)
    assert not [f for f in analysis.findings if f.rule_id == "B602"]
    # Asking again for an already silenced finding yields no edit.
    silenced = analysis.suppressed[0]
    assert suppress_edit(silenced, after.split("\n"), analysis.directives) is None


def test_suppress_edit_under_blanket_nosec_is_none():
    text = SHELL + "subprocess.call('ls -l', shell=True)  # nosec\n"
    analysis = analyse(text)
    for finding in analysis.suppressed:
        assert suppress_edit(finding, text.split("\n"), analysis.directives) is None


def test_suppress_edit_gives_up_when_no_line_can_carry_the_comment():
    # The call is on a line ending in a backslash and bandit reads only that line: there is no
    # place for a comment bandit would honour, so no edit is offered (rather than a broken one).
    text = SHELL + "result = subprocess.call(cmd, shell=True) \\\n    or fallback()\n"
    analysis = analyse(text)
    finding = finding_for(analysis, "B602")
    assert finding.lines == (1,)
    assert suppress_edit(finding, text.split("\n"), analysis.directives) is None


def test_suppress_edit_sequence_for_two_findings_on_one_line():
    text = SHELL + "subprocess.call('ls -l', shell=True)\n"
    analysis = analyse(text)
    first = finding_for(analysis, "B602")
    text = apply_edit(text, suppress_edit(first, text.split("\n"), analysis.directives))
    analysis = analyse(text)
    second = finding_for(analysis, "B607")
    text = apply_edit(text, suppress_edit(second, text.split("\n"), analysis.directives))
    assert text.split("\n")[1] == "subprocess.call('ls -l', shell=True)  # nosec B602, B607"
    analysis = analyse(text)
    assert pairs(analysis.findings) == {("B404", 0)}
    assert pairs(analysis.suppressed) == {("B602", 1), ("B607", 1)}

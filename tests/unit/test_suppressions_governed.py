"""Suppressions everywhere, governed: ruff's `# noqa`, `# bastion: ignore[...]`, and the hints.

`# nosec` itself is pinned to bandit by test_nosec.py; these tests cover the other dialects, the
governance options (`require_reason`, `unsuppressible`, `until=`) and the hints about unused,
blanket, expired, reason-less, unsuppressible, unknown-id and malformed suppression comments.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import attrs
import pytest

from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.config import Config, ConfigError, build_config, load_pyproject, validate_layer
from bastion.engine import suppress
from bastion.engine.cache_entry import decode, encode, text_key
from bastion.engine.engine import Analysis, Engine, RawAnalysis, apply_config
from bastion.engine.splitter import split_document
from bastion.engine.suppress import (
    NOQA_TO_BANDIT,
    RUFF_ONLY_BANDIT_CODES,
    Directive,
    comment_directives,
    parse_comment,
    parse_directive,
)
from bastion.engine.suppress_govern import SuppressionHint, format_hint
from bastion.model import Suppression

ENGINE = Engine([BanditAdapter()])
NAMES = ENGINE._lookup
SHELL = "import subprocess  # nosec B404\n"  # line 0; findings below are on line 1
CALL = "subprocess.call(cmd, shell=True)"  # B602
TODAY = date(2026, 3, 1)


def analyse(text: str, config: Config | None = None, today: date = TODAY) -> Analysis:
    return apply_config(ENGINE.analyse_raw(text, "case.py"), "case.py", config or Config(), today)


def analyse_by_units(text: str, config: Config | None = None, today: date = TODAY) -> Analysis:
    """The per-keystroke path: the document split into units, each unit's comments read alone."""
    raw = ENGINE.analyse_raw(text, "case.py", split_document(text), text.split("\n"))
    return apply_config(raw, "case.py", config or Config(), today)


def pairs(findings) -> set:
    return {(f.rule_id, f.span.start_line) for f in findings}


def hint_kinds(analysis: Analysis) -> list[tuple[int, str]]:
    return sorted((h.line, h.kind) for h in analysis.hints)


def only(findings, rule_id: str):
    (found,) = [f for f in findings if f.rule_id == rule_id]
    return found


# ---- ruff's noqa ------------------------------------------------------------------------------


@pytest.mark.parametrize("comment", [
    "# noqa: S602",
    "# noqa:S602",
    "#noqa: S602",
    "# NOQA: S602",
    "# noqa : S602",
    "# noqa: S105, S602",
    "# noqa: S105,S602",
    "# noqa: S105 S602",
    "# noqa: E501, S602",
    "# noqa: S602 the command is a constant",
    "# type: ignore  # noqa: S602",
])
def test_noqa_with_the_flake8_bandit_code_silences_the_bandit_rule(comment):
    analysis = analyse(SHELL + f"{CALL}  {comment}\n")
    assert pairs(analysis.findings) == set()
    finding = only(analysis.suppressed, "B602")
    assert finding.suppressed_by.kind == "noqa"
    assert finding.suppressed_by.text == comment
    assert finding.suppressed_by.line == 1


def test_noqa_with_several_codes_silences_each_of_them():
    text = SHELL + "subprocess.call('ls -l', shell=True)  # noqa: S602, S607\n"
    analysis = analyse(text)
    assert pairs(analysis.findings) == set()
    assert pairs(analysis.suppressed) == {("B404", 0), ("B602", 1), ("B607", 1)}
    assert not [h for h in analysis.hints if h.line == 1]


def test_noqa_naming_another_code_does_not_silence():
    text = SHELL + "subprocess.call('ls -l', shell=True)  # noqa: S607\n"
    analysis = analyse(text)
    assert pairs(analysis.findings) == {("B602", 1)}
    assert pairs(analysis.suppressed) == {("B404", 0), ("B607", 1)}


@pytest.mark.parametrize("comment", ["# noqa", "#noqa", "# NoQA", "# noqa  # reviewed",
                                     "# noqa S602", "# noqa the command is a constant"])
def test_bare_noqa_silences_everything_on_its_line_and_is_called_blanket(comment):
    # ruff: a noqa alone, or followed by words without a colon, is a blanket noqa.
    text = SHELL + f"subprocess.call('ls -l', shell=True)  {comment}\n"
    analysis = analyse(text)
    assert pairs(analysis.findings) == set()
    assert {f.suppressed_by.kind for f in analysis.suppressed if f.span.start_line == 1} == {"noqa"}
    (hint,) = [h for h in analysis.hints if h.line == 1]
    assert hint.kind == "blanket"
    assert "B602, B607" in hint.message


@pytest.mark.parametrize("comment", [
    "# noqa: E501",  # another linter's code
    "# noqa: B602",  # B is flake8-bugbear in ruff, not bandit
    "# noqa:",  # ruff: missing codes, not a directive
    "# noqa; S602",  # ruff: invalid suffix
    "#noqaS602",  # ruff: invalid suffix
    "# noqa: S602abc",  # ruff: invalid code suffix
    "# ruff: noqa: S602",  # file-level exemption syntax, not a line directive
    "# see noqa docs",
])
def test_not_a_noqa_for_bandit_rules(comment):
    analysis = analyse(SHELL + f"{CALL}  {comment}\n")
    assert pairs(analysis.findings) == {("B602", 1)}
    assert not [h for h in analysis.hints if h.line == 1]


def test_noqa_applies_to_the_findings_own_line_only():
    # bandit's nosec would also read the statement's first line; ruff's noqa does not.
    noqa = SHELL + "subprocess.call(  # noqa: S602\n    cmd,\n    shell=True,\n)\n"
    nosec = noqa.replace("# noqa: S602", "# nosec B602")
    assert pairs(analyse(noqa).findings) == {("B602", 3)}
    assert pairs(analyse(nosec).findings) == set()
    assert hint_kinds(analyse(noqa)) == [(1, "unused")]
    on_line = SHELL + "subprocess.call(\n    cmd,\n    shell=True,  # noqa: S602\n)\n"
    assert pairs(analyse(on_line).findings) == set()


def test_noqa_reason_is_its_trailing_text():
    for comment, reason in [("# noqa: S602  # constant command", "constant command"),
                            ("# noqa: S602 constant command", "constant command"),
                            ("# noqa: S602  # nosec B602  # constant", "constant"),
                            ("# noqa: S602", None)]:
        finding = only(analyse(SHELL + f"{CALL}  {comment}\n").suppressed, "B602")
        assert finding.suppressed_by.reason == reason, comment


def test_noqa_unknown_flake8_bandit_code():
    analysis = analyse(SHELL + f"{CALL}  # noqa: S602, S999\n")
    assert pairs(analysis.findings) == set()
    (hint,) = [h for h in analysis.hints if h.line == 1]
    assert hint.kind == "unknown-id"
    assert "S999" in hint.message


def test_ruff_only_codes_are_left_to_ruff():
    # S320/S410 have no bandit 1.9 counterpart: neither unknown nor unused for Bastion.
    assert pairs(analyse(SHELL + "x = 1  # noqa: S320, S410\n").findings) == set()
    assert not [h for h in analyse(SHELL + "x = 1  # noqa: S320, S410\n").hints if h.line == 1]


def test_noqa_mapping_is_same_numbered_and_known_to_bandit():
    assert NOQA_TO_BANDIT["S602"] == "B602"
    assert NOQA_TO_BANDIT["S105"] == "B105"
    assert NOQA_TO_BANDIT["S704"] == "B704"
    for code, rule in NOQA_TO_BANDIT.items():
        assert rule == "B" + code[1:]
        assert rule in ENGINE.rule_names, rule
    for code in RUFF_ONLY_BANDIT_CODES:
        assert "B" + code[1:] not in ENGINE.rule_names


RUFF = Path(sys.executable).with_name("ruff")


@pytest.mark.skipif(not RUFF.exists() and not shutil.which("ruff"), reason="ruff not installed")
def test_noqa_mapping_matches_ruffs_rule_table():
    """Every flake8-bandit rule of ruff (`ruff rule --all`) is mapped, or left to ruff."""
    ruff = str(RUFF) if RUFF.exists() else shutil.which("ruff")
    out = subprocess.run([ruff, "rule", "--all", "--output-format", "json"],
                         capture_output=True, text=True, check=True).stdout
    codes = {r["code"] for r in json.loads(out) if r.get("linter") == "flake8-bandit"}
    assert codes == set(NOQA_TO_BANDIT) | RUFF_ONLY_BANDIT_CODES


# ---- bastion: ignore ---------------------------------------------------------------------------


def test_bastion_ignore_with_reason_and_future_until():
    comment = '# bastion: ignore[B602] reason="cmd is a constant" until=2026-12-31'
    analysis = analyse(SHELL + f"{CALL}  {comment}\n")
    assert pairs(analysis.findings) == set()
    finding = only(analysis.suppressed, "B602")
    assert finding.suppressed_by == Suppression("bastion", 1, comment, "cmd is a constant",
                                                date(2026, 12, 31))
    assert analysis.hints == ()


def test_bastion_ignore_until_is_the_last_day_it_silences():
    comment = '# bastion: ignore[B602] reason="x" until=2026-03-01'
    assert pairs(analyse(SHELL + f"{CALL}  {comment}\n", today=date(2026, 3, 1)).findings) == set()
    after = analyse(SHELL + f"{CALL}  {comment}\n", today=date(2026, 3, 2))
    assert pairs(after.findings) == {("B602", 1)}


def test_expired_bastion_ignore_reports_the_finding_again_and_says_so():
    comment = "# bastion: ignore[B602] reason='reviewed' until=2026-01-31"
    analysis = analyse(SHELL + f"{CALL}  {comment}\n")
    finding = only(analysis.findings, "B602")
    assert finding.message.endswith("(suppression expired 2026-01-31)")
    assert finding.suppressed_by is None
    (hint,) = [h for h in analysis.hints if h.line == 1]
    assert hint.kind == "expired"
    assert "2026-01-31" in hint.message


def test_expired_bastion_ignore_does_not_hide_a_nosec_that_still_holds():
    comment = "# bastion: ignore[B602] reason='r' until=2026-01-31  # nosec B602"
    analysis = analyse(SHELL + f"{CALL}  {comment}\n")
    assert only(analysis.suppressed, "B602").suppressed_by.kind == "nosec"
    assert [h.kind for h in analysis.hints if h.line == 1] == ["expired"]


def test_bastion_ignore_several_ids():
    text = SHELL + "subprocess.call('ls -l', shell=True)  # bastion: ignore[B602, b607]\n"
    analysis = analyse(text)
    assert pairs(analysis.findings) == set()
    assert {f.suppressed_by.kind for f in analysis.suppressed if f.line == 1} == {"bastion"}


def test_bastion_ignore_only_silences_the_named_ids():
    text = SHELL + "subprocess.call('ls -l', shell=True)  # bastion: ignore[B607] reason=\"r\"\n"
    assert pairs(analyse(text).findings) == {("B602", 1)}


def test_bastion_ignore_on_the_statements_first_line():
    text = (SHELL + 'subprocess.call(  # bastion: ignore[B602] reason="r"\n'
            "    cmd,\n    shell=True,\n)\n")
    analysis = analyse(text)
    assert pairs(analysis.findings) == set()
    assert only(analysis.suppressed, "B602").suppressed_by.line == 1


def test_noqa_and_bastion_comments_do_not_shadow_a_later_nosec_of_the_statement():
    # bandit reads the first *nosec* comment of the statement: other comments do not count.
    text = (SHELL + 'subprocess.call(  # noqa: E501  # bastion: ignore[B105] reason="r"\n'
            "    cmd,\n    shell=True,  # nosec B602\n)\n")
    analysis = analyse(text)
    assert pairs(analysis.findings) == set()
    by = only(analysis.suppressed, "B602").suppressed_by
    assert by == Suppression("nosec", 3, "# nosec B602")


def test_blanket_bastion_ignore():
    analysis = analyse(SHELL + f'{CALL}  # bastion: ignore reason="legacy"\n')
    assert pairs(analysis.findings) == set()
    assert [h.kind for h in analysis.hints if h.line == 1] == ["blanket"]


def test_bastion_ignore_unknown_id():
    analysis = analyse(SHELL + f'{CALL}  # bastion: ignore[B602, B999] reason="r"\n')
    assert pairs(analysis.findings) == set()
    (hint,) = [h for h in analysis.hints if h.line == 1]
    assert (hint.kind, "B999" in hint.message) == ("unknown-id", True)


@pytest.mark.parametrize("comment", [
    "# bastion: ignore[B602] until=2026-02-30",
    "# bastion: ignore[B602] untill=2020-01-01",
    "# bastion: ignore[B602] because",
    "# bastion: ignore[]",
    "# bastion: ignore[B602",
])
def test_malformed_bastion_ignore_silences_nothing(comment):
    analysis = analyse(SHELL + f"{CALL}  {comment}\n")
    finding = only(analysis.findings, "B602")
    assert finding.message.endswith("(suppression ignored: malformed comment)")
    assert "malformed" in [h.kind for h in analysis.hints if h.line == 1]


def test_bastion_ignore_free_text_after_a_hash_is_allowed():
    analysis = analyse(SHELL + f'{CALL}  # bastion: ignore[B602] reason="r"  # see #123\n')
    assert pairs(analysis.findings) == set()
    assert only(analysis.suppressed, "B602").suppressed_by.reason == "r"


# ---- require_reason ----------------------------------------------------------------------------

REASONS = Config(require_reason=("bastion", "nosec", "noqa"))


def test_require_reason_bastion_ignore_without_reason_does_not_silence():
    config = Config(require_reason=("bastion",))
    analysis = analyse(SHELL + f"{CALL}  # bastion: ignore[B602]\n", config)
    finding = only(analysis.findings, "B602")
    assert finding.message.endswith("(suppression ignored: no reason given)")
    (hint,) = [h for h in analysis.hints if h.line == 1]
    assert hint.kind == "missing-reason"


def test_require_reason_bastion_ignore_with_reason_silences():
    analysis = analyse(SHELL + f'{CALL}  # bastion: ignore[B602] reason="constant"\n', REASONS)
    assert ("B602", 1) in pairs(analysis.suppressed)


def test_require_reason_empty_reason_is_no_reason():
    analysis = analyse(SHELL + f'{CALL}  # bastion: ignore[B602] reason=""\n', REASONS)
    assert ("B602", 1) in pairs(analysis.findings)


def test_require_reason_for_bastion_only_leaves_nosec_and_noqa_alone():
    config = Config(require_reason=("bastion",))
    assert ("B602", 1) in pairs(analyse(SHELL + f"{CALL}  # nosec B602\n", config).suppressed)
    assert ("B602", 1) in pairs(analyse(SHELL + f"{CALL}  # noqa: S602\n", config).suppressed)


@pytest.mark.parametrize(("comment", "silenced"), [
    ("# nosec B602", False),
    ("# nosec B602  # the command is a constant", True),
    ("# noqa: S602", False),
    ("# noqa: S602  # the command is a constant", True),
    ("# noqa: S602 the command is a constant", True),
])
def test_require_reason_for_nosec_and_noqa(comment, silenced):
    analysis = analyse(SHELL + f"{CALL}  {comment}\n", REASONS)
    assert (("B602", 1) in pairs(analysis.suppressed)) is silenced
    assert ("missing-reason" in [h.kind for h in analysis.hints if h.line == 1]) is not silenced


def test_nosec_reason_is_recorded_for_reports():
    text = SHELL + f"{CALL}  # nosec B602  # reviewed: constant\n"
    finding = only(analyse(text).suppressed, "B602")
    assert finding.suppressed_by == Suppression("nosec", 1, "# nosec B602  # reviewed: constant",
                                                "reviewed: constant")


# ---- unsuppressible ----------------------------------------------------------------------------


@pytest.mark.parametrize("comment", ["# nosec B602", "# nosec", "# noqa: S602", "# noqa",
                                     '# bastion: ignore[B602] reason="r"'])
def test_unsuppressible_rule_is_reported_whatever_the_comment(comment):
    config = Config(unsuppressible=("B602",))
    analysis = analyse(SHELL + f"{CALL}  {comment}\n", config)
    finding = only(analysis.findings, "B602")
    assert "cannot be suppressed" in finding.message
    kinds = [h.kind for h in analysis.hints if h.line == 1]
    assert "unsuppressible" in kinds
    assert "unused" not in kinds


def test_unsuppressible_prefix_leaves_other_rules_suppressible():
    config = Config(unsuppressible=("B6",))
    text = SHELL + "import pickle  # nosec B403\n" + f"{CALL}  # nosec B602\n"
    analysis = analyse(text, config)
    assert pairs(analysis.findings) == {("B602", 2)}
    assert ("B403", 1) in pairs(analysis.suppressed)


# ---- unused and blanket -------------------------------------------------------------------------


def test_unused_nosec_is_a_hint_on_the_comment():
    text = SHELL + "x = 1  # nosec B602\n"
    analysis = analyse_by_units(text)
    (hint,) = [h for h in analysis.hints if h.line == 1]
    assert hint.kind == "unused"
    line = text.split("\n")[1]
    assert (hint.start_col, hint.end_col) == (line.index("#"), len(line))


@pytest.mark.parametrize("comment", ["# nosec B602", "# nosec", "# noqa: S602",
                                     '# bastion: ignore[B602] reason="r"', "# bastion: ignore"])
def test_unused_in_every_dialect(comment):
    analysis = analyse(SHELL + f"x = 1  {comment}\n")
    assert [h.kind for h in analysis.hints if h.line == 1] == ["unused"]


def test_bare_noqa_that_silences_nothing_may_serve_other_linters():
    assert not [h for h in analyse(SHELL + "x = 1  # noqa\n").hints if h.line == 1]


def test_partly_unused_ids():
    analysis = analyse(SHELL + f"{CALL}  # nosec B602, B607\n")
    (hint,) = [h for h in analysis.hints if h.line == 1]
    assert hint.kind == "unused"
    assert "B607" in hint.message and "B602" not in hint.message


def test_a_comment_for_a_rule_the_configuration_does_not_report_is_not_unused():
    # Thresholds and selections differ between editor and CI: the comment may still be needed.
    analysis = analyse(SHELL + f"{CALL}  # nosec B602\n", Config(ignore=("B602",)))
    assert analysis.findings == () and not [h for h in analysis.hints if h.line == 1]


def test_comments_in_code_being_typed_are_not_called_unused():
    text = SHELL + "def f():\n    x = g(1,  # nosec B602\n"
    analysis = analyse_by_units(text)
    assert analysis.broken
    assert not [h for h in analysis.hints if h.kind == "unused"]


def test_blanket_nosec_that_silences_is_a_hint():
    analysis = analyse(SHELL + "subprocess.call('ls -l', shell=True)  # nosec\n")
    (hint,) = [h for h in analysis.hints if h.line == 1]
    assert hint.kind == "blanket"
    assert "B602, B607" in hint.message


def test_specific_and_used_comments_have_no_hints():
    text = (SHELL + f"{CALL}  # nosec B602\n" + f"{CALL}  # noqa: S602\n"
            + f'{CALL}  # bastion: ignore[B602] reason="r" until=2027-01-01\n')
    analysis = analyse(text)
    assert analysis.findings == ()
    assert analysis.hints == ()


def test_unknown_nosec_id_is_a_hint_and_blanket_as_in_bandit():
    analysis = analyse(SHELL + f"{CALL}  # nosec B999\n")
    assert pairs(analysis.findings) == set()  # bandit: an unknown id leaves a blanket nosec
    assert sorted(h.kind for h in analysis.hints if h.line == 1) == ["blanket", "unknown-id"]
    assert "B999" in next(h.message for h in analysis.hints if h.kind == "unknown-id")


def test_hints_are_sorted_by_line_and_cost_no_findings():
    text = SHELL + "x = 1  # nosec B602\n" + f"{CALL}  # nosec\n"
    analysis = analyse(text)
    assert [h.line for h in analysis.hints] == [1, 2]
    assert pairs(analysis.findings) == set()


# ---- positions, formats, caches -------------------------------------------------------------


def test_hint_columns_cover_the_clause():
    line = f'{CALL}  # noqa: E501  # bastion: ignore[B602] reason="r" until=2020-01-01'
    analysis = analyse_by_units(SHELL + line + "\n")
    (hint,) = [h for h in analysis.hints if h.line == 1]
    assert hint.kind == "expired"
    assert line[hint.start_col:hint.end_col] == \
        '# bastion: ignore[B602] reason="r" until=2020-01-01'


def test_unit_and_whole_file_paths_agree():
    text = (SHELL + "class A:\n    def f(self):\n        x = 1  # nosec B602\n"
            f"        {CALL}  # noqa\n")
    by_units, whole = analyse_by_units(text), analyse(text)
    assert [(h.line, h.kind, h.message) for h in by_units.hints] == [
        (h.line, h.kind, h.message) for h in whole.hints]
    assert [(h.line, h.kind) for h in by_units.hints] == [(3, "unused"), (4, "blanket")]
    lines = text.split("\n")
    assert [h.columns(lines[h.line]) for h in by_units.hints] == \
           [h.columns(lines[h.line]) for h in whole.hints]


def test_directives_rebuilt_from_line_text_ids_unknown_are_whole():
    """The disk cache stores (line, text, ids, unknown): the dialects come back from the text."""
    text = SHELL + f'{CALL}  # noqa: S602  # bastion: ignore[B602, B999] reason="r"\n'
    raw = ENGINE.analyse_raw(text, "case.py", split_document(text), text.split("\n"))
    key = text_key(text, ENGINE.version_key)
    findings, directives, broken = decode(
        encode(key, text, raw.findings, raw.directives, raw.broken), key, text, ENGINE.rule_names)
    again = apply_config(RawAnalysis(findings, directives, broken), "case.py", Config(), TODAY)
    fresh = apply_config(raw, "case.py", Config(), TODAY)
    assert again.suppressed == fresh.suppressed
    assert [(h.line, h.kind, h.message) for h in again.hints] == \
           [(h.line, h.kind, h.message) for h in fresh.hints]
    line = text.split("\n")[1]
    assert [h.columns(line) for h in again.hints] == [h.columns(line) for h in fresh.hints]


def test_format_hint():
    hint = SuppressionHint(4, 10, 17, "unused", "unused suppression: `# nosec` silences nothing")
    assert format_hint(hint) == "5:11: hint[unused] unused suppression: `# nosec` silences nothing"
    assert format_hint(hint, "a.py").startswith("a.py:5:11: hint[unused] ")
    assert format_hint(attrs.evolve(hint, start_col=None, end_col=None)).startswith("5: hint[")


def test_analysis_keeps_its_positional_fields():
    analysis = Analysis((), (), (), ("e",), {})
    assert analysis.hints == () and analysis.errors == ("e",)


def test_analysis_directives_are_the_nosec_ones():
    # The "suppress" quick fix extends `# nosec` comments; other dialects are not its business.
    text = SHELL + "x = 1  # noqa: S602\n" + "y = 2  # nosec B602\n"
    assert set(analyse(text).directives) == {0, 2}


def test_disabled_or_excluded_has_no_hints():
    text = SHELL + "x = 1  # nosec B602\n"
    assert analyse(text, Config(enabled=False)).hints == ()


def test_parse_comment_stays_nosec_only():
    assert parse_comment("# noqa: S602", 0, NAMES) is None
    assert parse_comment('# bastion: ignore[B602] reason="r"', 0, NAMES) is None
    both = parse_comment("# noqa: S602  # nosec B602", 3, NAMES)
    assert both is not None and both.ids == frozenset({"B602"})
    assert parse_directive("# noqa: E501", 0, NAMES) is None  # another linter's only
    assert parse_directive("# todo", 0, NAMES) is None
    directive = parse_directive("# noqa: S602", 0, NAMES, col=7)
    assert directive is not None and directive.col == 7 and directive.ids == frozenset()
    assert [c.kind for c in directive.clauses] == ["noqa"]


def test_comment_directives_does_not_tokenize_units_without_suppressions(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("tokenized")

    monkeypatch.setattr(suppress.tokenize, "generate_tokens", boom)
    assert comment_directives("x = 1  # just a comment\nprint(x)\n", 0, NAMES) == {}


def test_comment_directives_finds_each_dialect_with_its_column():
    text = "a = 1  # nosec\nb = 2  # NOQA: S105\n    # bastion: ignore[B101]\n"
    found = comment_directives(text, 10, NAMES)
    assert {line: d.col for line, d in found.items()} == {10: 7, 11: 7, 12: 4}
    assert {line: d.clauses[0].kind for line, d in found.items()} == {
        10: "nosec", 11: "noqa", 12: "bastion"}


def test_directive_equality_ignores_derived_fields():
    a = Directive(1, "# noqa: S602", frozenset(), (), col=4)
    b = Directive(1, "# noqa: S602", frozenset())
    assert a == b and a.clauses == b.clauses


# ---- configuration ----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    (True, ("bastion", "nosec", "noqa")),
    (False, ()),
    (["bastion"], ("bastion",)),
    (["Bastion", "noqa", "noqa"], ("bastion", "noqa")),
])
def test_config_require_reason(value, expected):
    values, warnings = validate_layer({"require_reason": value})
    assert values == {"require_reason": expected} and warnings == []


@pytest.mark.parametrize("value", ["yes", ["pylint"], [1], 1])
def test_config_require_reason_invalid(value):
    with pytest.raises(ConfigError, match="require_reason"):
        validate_layer({"require_reason": value})


def test_config_unsuppressible():
    values, _ = validate_layer({"unsuppressible": ["b602", "B6", "BST101"]})
    assert values == {"unsuppressible": ("B602", "B6", "BST101")}
    with pytest.raises(ConfigError, match="unsuppressible"):
        validate_layer({"unsuppressible": ["S602"]})


def test_config_client_settings_camel_case():
    values, warnings = validate_layer({"requireReason": True, "unsuppressible": ["B602"]},
                                      camel=True)
    assert warnings == []
    config = build_config(values)
    assert config.require_reason == ("bastion", "nosec", "noqa")
    assert config.unsuppressible == ("B602",)


def test_config_pyproject(tmp_path):
    path = tmp_path / "pyproject.toml"
    path.write_text('[tool.bastion]\nrequire_reason = ["bastion"]\nunsuppressible = ["B602"]\n')
    layer = load_pyproject(path)
    assert layer.warnings == ()
    config = build_config(layer.values)
    assert (config.require_reason, config.unsuppressible) == (("bastion",), ("B602",))


def test_config_defaults_change_nothing():
    assert Config().require_reason == () and Config().unsuppressible == ()


def test_noqa_with_a_bastion_rule_id_silences_that_rule():
    """Bastion's own ids read as noqa codes (ruff accepts them with `lint.external = ["BST"]`)."""
    from bastion.engine.registry import create_engine

    engine = create_engine()
    key = 'KEY_ID = "AKIAQ4NRT6ZLMJ2H7XWB"'
    assert "BST301" in {f.rule_id for f in engine.analyse(key + "\n", "s.py", Config()).findings}
    silenced = engine.analyse(key + "  # noqa: BST301\n", "s.py", Config())
    assert "BST301" not in {f.rule_id for f in silenced.findings}
    assert {f.suppressed_by.kind for f in silenced.suppressed if f.rule_id == "BST301"} == {"noqa"}
    other = engine.analyse(key + "  # noqa: BST302\n", "s.py", Config())
    assert "BST301" in {f.rule_id for f in other.findings}
    unknown = engine.analyse(key + "  # noqa: BST301, BST999\n", "s.py", Config())
    assert [h.kind for h in unknown.hints if "BST999" in h.message] == ["unknown-id"]

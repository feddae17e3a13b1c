"""Poetry's caret and tilde constraints (issue 15): what they admit under Poetry's semantics,
what the finding says, and the bump that keeps the operator, quotes, inline-table keys and
comments. Each vulnerable case has a safe twin; versions are from the shipped PyPA snapshot."""

from __future__ import annotations

import pytest

from bastion.config import Config
from bastion.deps import analysis, fix, store
from bastion.deps.location import shipped_index_path
from bastion.engine.registry import create_engine
from bastion.model import Level

PATH = "/w/pyproject.toml"


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


def manifest(line: str, table: str = "tool.poetry.dependencies") -> str:
    return f'[tool.poetry]\nname = "app"\n\n[{table}]\npython = "^3.10"\n{line}\n'


def findings(text: str, index) -> list:
    return [f for f in analysis.analyse(PATH, text, "/w", index).findings if f.rule_id != "BST403"]


def apply(text: str, bump: fix.Bump) -> str:
    lines = text.split("\n")
    line = lines[bump.span.start_line]
    lines[bump.span.start_line] = line[:bump.span.start_col] + bump.new_text + line[bump.span.end_col:]
    return "\n".join(lines)


@pytest.mark.parametrize(("line", "after", "title"), [
    ('requests = "^2.19"  # http client', 'requests = "^2.31.0"  # http client', "^2.31.0"),
    ("django = '~3.2.1'", "django = '~3.2.25'", "~3.2.25"),
    # `~3` allows any 3.x: `~3.2.25` would allow 3.2.x only, so the user's upper bound is kept
    # explicitly (later 3.x minors, and their fixes, stay allowed)
    ('django = "~3"', 'django = ">=3.2.25,<4"', ">=3.2.25,<4"),
    # `~2.10` allows 2.10.x, all affected: the next minor's patches, as precise as written
    ('jinja2 = "~2.10"', 'jinja2 = "~2.11.3"', "~2.11.3"),
    ('requests = {version = "^2.19", extras = ["socks"], optional = true}',
     'requests = {version = "^2.31.0", extras = ["socks"], optional = true}', "^2.31.0"),
    # every 0.12 release is affected, and ^2.2.5 would still admit 2.3.0-2.3.1 (CVE-2023-30861):
    # the first fix whose caret range is clean
    ('flask = "^0.12"', 'flask = "^2.3.2"', "^2.3.2"),
    ('jinja2 = ">=2.10,<4"', 'jinja2 = ">=2.11.3,<4"', ">= 2.11.3"),
    ('urllib3 = "1.26.4"', 'urllib3 = "1.26.18"', "to 1.26.18"),
])
@pytest.mark.parametrize("table", ["tool.poetry.dependencies", "tool.poetry.group.dev.dependencies"])
def test_poetry_bump_keeps_the_style_and_clears_the_finding(shipped, line, after, title, table):
    text = manifest(line, table)
    (finding,) = findings(text, shipped)
    assert finding.rule_id in ("BST401", "BST402") and finding.span.start_line == 5
    bump = fix.bump(PATH, text, 5, finding.span.start_col, shipped)
    assert bump is not None and title in bump.title
    fixed = apply(text, bump)
    assert fixed == manifest(after, table)
    assert findings(fixed, shipped) == []


@pytest.mark.parametrize("line", ['flask = "^0.12"', 'django = "~3"', 'requests = "^2.19"',
                                  'jinja2 = ">=2.10,<4"', "django = '~3.2.1'"])
def test_the_message_names_the_bound_the_fix_writes(shipped, line):
    text = manifest(line)
    (finding,) = findings(text, shipped)
    bump = fix.bump(PATH, text, 5, finding.span.start_col, shipped)
    assert finding.message.endswith(f"Require `{bump.new_text}`, the smallest raise of the lower "
                                    "bound after which no allowed version is affected.")


def test_without_a_bump_the_message_names_the_smallest_fix(shipped):
    text = manifest('jinja2 = ">=2.0,<2.10"')  # the cap keeps every fix out
    (finding,) = findings(text, shipped)
    assert finding.message.endswith("Require at least 2.11.3, the smallest version that fixes "
                                    "every advisory.")


SUB_TABLES = """[tool.poetry.dependencies.flask]
version = "{flask}"
extras = ["dotenv"]

[[tool.poetry.group.dev.dependencies.pyyaml]]
version = "^5.4"
python = ">=3.8"

[[tool.poetry.group.dev.dependencies.pyyaml]]
version = "{pyyaml}"
python = "<3.8"

[tool.poetry.group.docs.dependencies]
requests = [
  {{ version = "2.31.0", python = ">=3.8" }},  # [the newer Pythons]
  {{ version = '{requests}', python = "<3.8" }},
]
jinja2 = [{{version = "2.11.3", markers = "sys_platform == 'win32'"}}, {{version = "{jinja2}"}}]
"""


def test_sub_tables_and_lists_of_constraints_are_read_and_bumped(shipped):
    text = SUB_TABLES.format(flask="^0.12", pyyaml="5.3.1", requests="2.19.0", jinja2="~2.10")
    found = findings(text, shipped)
    lines = text.split("\n")
    assert [(f.rule_id, f.span.start_line, lines[f.span.start_line][f.span.start_col:f.span.end_col])
            for f in found] == [("BST402", 1, "^0.12"), ("BST401", 9, "5.3.1"),
                                ("BST401", 15, "2.19.0"), ("BST402", 17, "~2.10")]
    for finding in found:
        text = apply(text, fix.bump(PATH, text, finding.span.start_line, finding.span.start_col,
                                    shipped))
    assert text == SUB_TABLES.format(flask="^2.3.2", pyyaml="5.4", requests="2.31.0",
                                     jinja2="~2.11.3")
    assert findings(text, shipped) == []


def test_the_name_of_a_sub_table_is_checked_for_typosquats(shipped):
    text = '[tool.poetry.dependencies.reqeusts]\nversion = "2.31.0"\n'
    (finding,) = [f for f in analysis.analyse(PATH, text, "/w", shipped).findings]
    assert finding.rule_id == "BST403" and finding.span.start_line == 0 \
        and text[finding.span.start_col:finding.span.end_col] == "reqeusts"


@pytest.mark.parametrize("line", ['requests = "^2.31.0"', 'django = "~3.2.25"',
                                  'flask = {version = "^2.3.2", extras = ["dotenv"]}',
                                  'urllib3 = "1.26.18"'])
def test_safe_twins_have_no_finding_and_no_bump(shipped, line):
    text = manifest(line)
    assert findings(text, shipped) == []
    assert fix.bump(PATH, text, 5, line.index("=") + 3, shipped) is None


@pytest.mark.parametrize(("line", "every"), [
    # ^0.12 admits only 0.12.x, every one before Flask 1.0's fix
    ('flask = "^0.12"', True),
    # ^1.0 admits 1.0 ... <2: 1.x after 1.0 is not affected by the pre-1.0 advisory, but every 1.x
    # is before 2.2.5 (CVE-2023-30861): all affected
    ('flask = "^1.0"', True),
    # ~3.2.1 admits 3.2.1 ... <3.3: affected early, fixed by 3.2.25
    ('django = "~3.2.1"', False),
    # ^2.19 admits 2.19 ... <3: 2.31.0 and later are safe
    ('requests = "^2.19"', False),
    # ~2 admits 2.x, ~2.19 only 2.19.x: all before 2.20.0's fix
    ('requests = "~2.19"', True),
    ('requests = "~2"', False),
])
def test_what_the_finding_says_follows_poetry_semantics(shipped, line, every):
    (finding,) = findings(manifest(line), shipped)
    written = line.split('"')[1]
    assert f"`{written}` (`>=" in finding.message
    if every:
        assert finding.message.startswith("every version") and finding.confidence == Level.HIGH
    else:
        assert "allows versions affected" in finding.message and finding.severity == Level.LOW


def test_no_bump_when_no_fix_keeps_the_range_clean(shipped):
    # the cap keeps out every release that fixes the advisories
    text = manifest('jinja2 = ">=2.0,<2.10"')
    (finding,) = findings(text, shipped)
    assert fix.bump(PATH, text, 5, finding.span.start_col, shipped) is None


def test_the_engine_offers_the_poetry_bump(tmp_path):
    engine = create_engine(disk_cache=False)
    path = str(tmp_path / "pyproject.toml")
    text = manifest('requests = {version = "^2.19", extras = ["socks"]}  # http client')
    config = Config(root=str(tmp_path))
    (finding,) = [f for f in engine.analyse(text, path, config).findings if f.rule_id != "BST403"]
    assert finding.rule_id == "BST402" and "`^2.19` (`>=2.19,<3`)" in finding.message
    (bump,) = engine.text_fixes(text, path, finding)
    assert bump.title.startswith("Require requests ^2.31.0") and bump.safety == "review"
    (edit,) = bump.edits
    fixed = apply(text, fix.Bump(edit.span, edit.new_text, bump.title))
    assert fixed == manifest('requests = {version = "^2.31.0", extras = ["socks"]}  # http client')
    assert [f for f in engine.analyse(fixed, path, config).findings if f.rule_id != "BST403"] == []

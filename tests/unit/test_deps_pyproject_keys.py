"""pyproject.toml written with dotted keys and inline tables (issue 15): values come from
tomllib, findings sit on the version string and the bump edits only it. Each vulnerable case has
a safe twin (a fixed version) that stays silent; versions are from the shipped PyPA snapshot."""

from __future__ import annotations

import pytest

from bastion.deps import analysis, fix, store
from bastion.deps.location import shipped_index_path

PATH = "/w/pyproject.toml"


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


def advisories(text: str, index) -> list[tuple[str, int, str]]:
    lines = text.split("\n")
    return [(f.rule_id, f.span.start_line, lines[f.span.start_line][f.span.start_col:f.span.end_col])
            for f in analysis.analyse(PATH, text, "/w", index).findings if f.rule_id != "BST403"]


def bumped(text: str, line: int, col: int, index) -> str:
    bump = fix.bump(PATH, text, line, col, index, "/w")
    lines = text.split("\n")
    row = lines[bump.span.start_line]
    lines[bump.span.start_line] = row[:bump.span.start_col] + bump.new_text + row[bump.span.end_col:]
    return "\n".join(lines)


# (document with {v} for the version, the vulnerable version, its safe twin, the line, the bump)
CASES = [
    ('[tool.poetry.dependencies]\npython = "^3.10"\nrequests.version = "{v}"\n'
     'requests.extras = ["socks"]\n', "2.19.0", "2.31.0", 2, "2.31.0"),
    ('tool.poetry.dependencies.requests = "{v}"  # http\n', "2.19.0", "2.31.0", 0, "2.31.0"),
    ("tool . poetry . dependencies . 'jinja2' = {{ version = '{v}' }}\n", "2.10", "2.11.3", 0,
     "2.11.3"),
    ('[tool.poetry]\nname = "app"\ndependencies = {{ python = "^3.10", flask = "{v}" }}\n',
     "^0.12", "^2.3.2", 2, "^2.3.2"),
    ('[tool]\npoetry.group.dev.dependencies = {{ urllib3 = {{ version = "{v}" }} }}\n',
     "1.26.4", "1.26.18", 1, "1.26.18"),
    ('project.name = "app"\nproject.dependencies = ["flask>=3", "django=={v}"]\n', "3.2.5",
     "3.2.25", 1, "3.2.25"),
    ('[project]\noptional-dependencies.dev = [\n  "pyyaml=={v}",\n]\n', "5.3.1", "5.4", 2, "5.4"),
]


@pytest.mark.parametrize(("text", "bad", "good", "line", "after"), CASES)
def test_dotted_keys_and_inline_tables_are_read_and_bumped(shipped, text, bad, good, line, after):
    vulnerable = text.format(v=bad)
    (found,) = advisories(vulnerable, shipped)
    assert found[1] == line and found[2].endswith(bad)
    at = vulnerable.split("\n")[line].index(bad)
    assert bumped(vulnerable, line, at, shipped) == text.format(v=after)
    assert advisories(text.format(v=good), shipped) == []


def test_a_name_that_occurs_twice_is_located_at_its_own_key(shipped):
    # The same version string under two names: each finding on its own line.
    text = ('[tool.poetry.dependencies]\nrequests = "2.19.0"\n'
            '[tool.poetry.group.dev.dependencies]\nurllib3 = "1.26.4"\nrequests = "2.19.0"\n')
    assert advisories(text, shipped) == [("BST401", 1, "2.19.0"), ("BST401", 3, "1.26.4"),
                                         ("BST401", 4, "2.19.0")]


def test_a_description_equal_to_a_requirement_is_not_taken_for_it(shipped):
    text = ('[project]\ndescription = "django==3.2.5"\ndependencies = [\n'
            '  "django==3.2.5",\n]\n')
    assert advisories(text, shipped) == [("BST401", 3, "==3.2.5")]

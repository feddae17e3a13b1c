"""The editor's per-dependency results for pyproject.toml (deps/pyproject_memo.py) equal a
whole-file analysis: random edits (lines added, removed and changed in PEP 621 lists, Poetry
tables, dotted keys and inline tables; lines that break the TOML) to a manifest, each analysed
with one memo and from scratch."""

from __future__ import annotations

import random

import pytest

from bastion.deps import analysis, store
from bastion.deps.location import shipped_index_path
from bastion.deps.pyproject_memo import Memo

HEAD = ['[project]', 'name = "app"', 'dependencies = [']
PEP621 = ['  "django==3.2.5",', '  "django==3.2.25",', '  "requests[socks]>=2.0",', '  "flask",',
          '  "reqeusts==2.31.0",', '  "not a requirement ===",', '  "jinja2==2.10", "urllib3==1.26.4",',
          '  "pyyaml==5.3.1"  # pinned', '  # "django==3.2.5",', '']
MIDDLE = [']', '', '[tool.poetry.dependencies]', 'python = "^3.10"']
POETRY = ['requests{n} = "2.19.0"', 'requests{n} = "^2.31"', 'flask{n} = "^0.12"',
          'jinja2{n} = {{ version = "~2.10", extras = ["i18n"] }}', 'django{n}.version = "3.2.5"',
          'pillow{n} = [{{ version = "8.0.0", python = "<3.8" }}, {{ version = "^10.3" }}]',
          'aiohttp{n} = "3.8.0 || 3.9.0"', 'urllib3{n} = "1.26.4"  # note', '', '# a comment',
          'broken{n} = ', 'reqeusts{n} = "2.31.0"']


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


def test_memo_equals_the_whole_file(shipped):
    rng = random.Random(15)
    memo = Memo()
    count = 0
    for _round in range(8):
        pep621 = [rng.choice(PEP621) for _ in range(rng.randint(0, 8))]
        poetry = [rng.choice(POETRY) for _ in range(rng.randint(0, 8))]
        for _edit in range(20):
            part = pep621 if rng.random() < 0.5 else poetry
            pieces = PEP621 if part is pep621 else POETRY
            at = rng.randint(0, len(part))
            action = rng.random()
            if action < 0.4 and at < len(part):
                part[at] = rng.choice(pieces)
            elif action < 0.7:
                part.insert(at, rng.choice(pieces))
            elif at < len(part):
                del part[at]
            names = [line.format(n=count + i) for i, line in enumerate(poetry)]
            count += 1
            if rng.random() < 0.3:  # the same names again: results from an earlier read
                count -= 1
            text = "\n".join([*HEAD, *pep621, *MIDDLE, *names]) + "\n"
            scratch = analysis.analyse("/w/pyproject.toml", text, "/w", shipped)
            mine = analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
            assert (mine.findings, mine.not_analysed) == (scratch.findings,
                                                          scratch.not_analysed), text


def test_an_edit_derives_only_the_changed_dependency(shipped, monkeypatch):
    from bastion.deps import match

    lines = [f'  "package-{i}==1.{i}",' for i in range(200)]
    text = "\n".join([*HEAD, *lines, "]"]) + "\n"
    memo = Memo()
    analysis.analyse("/w/pyproject.toml", text, "/w", shipped, memo=memo)
    matched = []
    original = match.findings
    monkeypatch.setattr(match, "findings", lambda deps, *a: matched.extend(deps) or original(deps, *a))
    edited = text.replace('"package-7==1.7"', '"django==3.2.5"')
    result = analysis.analyse("/w/pyproject.toml", edited, "/w", shipped, memo=memo)
    assert [d.name for d in matched] == ["django"]
    assert result.findings == analysis.analyse("/w/pyproject.toml", edited, "/w", shipped).findings

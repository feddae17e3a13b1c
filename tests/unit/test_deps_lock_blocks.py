"""The editor's per-package results for TOML lock files (deps/lock_blocks.py) equal a whole-file
analysis: random edits (packages added, removed, changed; tables that only the whole file can
judge, strings and arrays that hold a `[[package]]` line, invalid TOML) to uv.lock, poetry.lock
and pylock.toml texts, each analysed with one cache and from scratch."""

from __future__ import annotations

import random

import pytest

from bastion.deps import analysis, store
from bastion.deps.location import shipped_index_path
from bastion.deps.lock_blocks import LockCache

PACKAGE = ['\n[[{b}]]\nname = "requests"\nversion = "2.19.0"\n',
           '\n[[{b}]]\nname = "requests"\nversion = "2.32.3"\n',
           '\n[[{b}]]\nname = "django"\nversion = "3.2.5"\nsource = {{ registry = "x" }}\n',
           '\n[[{b}]]\nname = "jinja2"\nversion = "2.10"\n[{b}.source]\ntype = "git"\n',
           '\n[[{b}]]\nname = "urllib3"\nversion = "1.26.4"\n[[{b}.wheels]]\nurl = "u"\n',
           '\n[[{b}]]\nname = "flask"\nversion = "not a version"\n',
           '\n[[{b}]]\nname = "pyyaml"\n',
           '\n[[{b}]]\nversion = "5.3.1"\nname = "pyyaml"\n']
ODD = ['\n[metadata]\nlock-version = "2.0"\n', '\n[metadata.files]\nx = []\n',
       '\ndescription = """\n[[{b}]]\n"""\n', '\nx = [\n[[{b}]]\n]\n', '\n[[ "{b}" ]]\nname = "q"\n',
       "\n{b} = 1\n", "\nbroken = \n", '\n[[{b}]] # note\nname = "aiohttp"\nversion = "3.8.0"\n',
       '\n  [[{b}]]\nname = "pillow"\nversion = "8.0.0"\n', "\r\n", "\n[other]\na = 1\n"]


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


def results(result):
    return result.findings, result.not_analysed


@pytest.mark.parametrize(("name", "block"), [("uv.lock", "package"), ("poetry.lock", "package"),
                                             ("pdm.lock", "package"), ("pylock.toml", "packages")])
def test_pieces_equal_the_whole_file(shipped, name, block):
    rng = random.Random(f"{name}-15")
    path = f"/w/{name}"
    cache = LockCache()
    for _round in range(12):
        parts = ["version = 1\n"] + [rng.choice(PACKAGE) for _ in range(rng.randint(1, 12))]
        for _edit in range(15):
            at = rng.randint(1, len(parts))
            action = rng.random()
            if action < 0.5:
                parts.insert(at, rng.choice(PACKAGE))
            elif action < 0.65:
                parts.insert(at, rng.choice(ODD))
            elif at < len(parts):
                del parts[at]
            if rng.random() < 0.2 and len(parts) > 1:  # an edit inside one package
                at = rng.randrange(1, len(parts))
                parts[at] = parts[at].replace("2.19.0", "2.31.0").replace("3.2.5", "3.2.25")
            text = "".join(parts).format(b=block)
            scratch = analysis.analyse(path, text, "/w", shipped)
            mine = analysis.analyse(path, text, "/w", shipped, pieces=cache)
            assert results(mine) == results(scratch), text


def test_an_edit_reads_only_the_changed_package(shipped, monkeypatch):
    from bastion.deps import lock_blocks

    text = "version = 1\n" + "".join(p.format(b="package") for p in PACKAGE[:5] * 20)
    cache = LockCache()
    analysis.analyse("/w/uv.lock", text, "/w", shipped, pieces=cache)
    read = []
    original = lock_blocks._read
    monkeypatch.setattr(lock_blocks, "_read", lambda *a: read.append(a[2]) or original(*a))
    edited = text.replace('version = "3.2.5"', 'version = "3.2.25"', 1)
    result = analysis.analyse("/w/uv.lock", edited, "/w", shipped, pieces=cache)
    assert len(read) == 1 and "3.2.25" in read[0]
    assert results(result) == results(analysis.analyse("/w/uv.lock", edited, "/w", shipped))


@pytest.mark.parametrize("text", [
    'version = 1\npackage = []\n[[package]]\nname = "requests"\nversion = "2.19.0"\n',
    '[[package]]\nname = "requests"\nversion = "2.19.0"\n[metadata]\na = 1\n'
    '[[package]]\nname = "django"\nversion = "3.2.5"\n[metadata]\nb = 1\n',
    'x = """\n[[package]]\nname = "requests"\nversion = "2.19.0"\n"""\n',
    '[[package]]\nname = "requests"\n[["package"]]\nname = "django"\nversion = "3.2.5"\n'])
def test_what_only_the_whole_file_shows_is_read_whole(shipped, text):
    cache = LockCache()
    for _ in range(2):  # the first read and a read from kept pieces
        mine = analysis.analyse("/w/uv.lock", text, "/w", shipped, pieces=cache)
        assert results(mine) == results(analysis.analyse("/w/uv.lock", text, "/w", shipped))

"""Requirements includes stay inside what was asked to be checked (issue 11): the folder given to
`bastion check` (a named file: its own folder), not the nearest ancestor holding a
pyproject.toml or .git. And a file that includes another is never served from the result
cache: the included file, and the folder includes may be read from, change its findings."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples
from tests.unit.test_cli_text_files import bastion

from bastion.analyzers import text_registry
from bastion.deps import requirements_txt
from bastion.deps.include_lines import may_include
from bastion.engine.registry import default_text_analyzers

VULNERABLE = "django==1.11.0\n"  # BST401 in the shipped index
NOT_READ = "include '../outside/reqs.txt' is outside {}: not read"  # what limits reads, named


def _home(tmp_path):
    """home/ is a git repository; home/proj has neither pyproject.toml nor .git."""
    home = tmp_path / "home"
    (home / ".git").mkdir(parents=True)
    (home / "outside").mkdir()
    (home / "outside" / "reqs.txt").write_text(VULNERABLE, encoding="utf-8")
    (home / "proj").mkdir()
    (home / "proj" / "requirements.txt").write_text("flask==3.0.3\n-r ../outside/reqs.txt\n",
                                                    encoding="utf-8")
    return home


def _report(*args, cwd, cache):
    proc = bastion("check", "--output-format", "json", "--no-cache", *args, cwd=cwd, cache=cache)
    report = json.loads(proc.stdout)
    results = [(r["rule_id"], r["line"]) for r in report["results"]]
    problems = [(e["line"], e["reason"]) for f in report["files"] for e in f["not_analysed"]]
    return results, problems


def test_an_include_outside_the_checked_folder_is_not_read(tmp_path):
    home = _home(tmp_path)
    for args, cwd, limit in (((".",), home / "proj", "the scan root '.'"),
                             (("proj",), home, "the scan root 'proj'"),
                             (("requirements.txt",), home / "proj",
                              "the folder of 'requirements.txt'")):
        results, problems = _report(*args, cwd=cwd, cache=tmp_path / "c")
        assert results == [] and problems == [(2, NOT_READ.format(limit))], (args, problems)


def test_an_include_inside_the_checked_folder_is_read(tmp_path):
    home = _home(tmp_path)
    (home / "proj" / "sub").mkdir()
    (home / "proj" / "base.txt").write_text(VULNERABLE, encoding="utf-8")
    (home / "proj" / "sub" / "requirements.txt").write_text("-r ../base.txt\n", encoding="utf-8")
    results, problems = _report(".", cwd=home / "proj", cache=tmp_path / "c")
    assert results == [("BST401", 1)] and problems == [
        (2, NOT_READ.format("the scan root '.'"))]  # sub/ and proj/
    results, problems = _report(".", cwd=home, cache=tmp_path / "c")  # home/ checked: read
    assert results == [("BST401", 2), ("BST401", 1)] and problems == []


def test_a_file_with_includes_is_not_served_from_the_cache(tmp_path):
    home = _home(tmp_path)
    cache = tmp_path / "cache"

    def cached_run():
        proc = bastion("check", "--output-format", "json", ".", cwd=home, cache=cache)
        return [(r["rule_id"], r["line"]) for r in json.loads(proc.stdout)["results"]]

    assert cached_run() == [("BST401", 2)]
    (home / "outside" / "reqs.txt").write_text("django==4.2.16\n", encoding="utf-8")
    assert cached_run() == []
    (home / "outside" / "reqs.txt").write_text(VULNERABLE, encoding="utf-8")
    assert cached_run() == [("BST401", 2)]


# Texts made of the pieces an include is spelled with, and of what resembles one.
PIECES = st.sampled_from(["-r", "-c", "--requirement", "--constraint", "--require-hashes", "--re",
                          "quirement", "-", "r", "c", " ", "\t", "\x0c", "\x1c", "\u2028", "=",
                          "a.txt", "\\", "\n", "\r", "\r\n", "#", "x==1", "--hash=sha256:0"])


@settings(max_examples=examples(3000), deadline=None)
@given(st.lists(PIECES, max_size=24).map("".join))
def test_every_include_is_seen_without_parsing(text):
    """The cache's cheap test never misses an include that the parser reads."""
    includes, _ = requirements_txt.parse(text)
    if includes:
        assert may_include(text)


def test_hash_lines_and_plain_requirements_stay_cacheable():
    assert not may_include("django==4.2 \\\n    --hash=sha256:00 \\\n    --hash=sha256:11\n"
                           "--require-hashes\n-e .\n--index-url https://x\n")
    assert may_include("a==1\n  -r base.txt\n") and may_include("--constraint=c.txt")


def test_the_registry_agrees_with_the_analyzers():
    """`text_registry.dependency_key` (a scan served from the cache) and the analyzers' own."""
    analyzers = default_text_analyzers()
    for text, path in (("-r b.txt\n", "requirements.txt"), ("a==1\n", "requirements.txt"),
                       ("-r b.txt\n", "x.env"), ("[project]\n", "pyproject.toml")):
        keys = [a.dependency_key(text, path) for a in analyzers]
        joined = None if None in keys else "".join(keys)
        assert text_registry.dependency_key(text, path) == joined

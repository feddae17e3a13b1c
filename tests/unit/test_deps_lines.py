"""The editor's per-line results for requirements files (deps/lines.py) equal a whole-file
analysis: random edits (replaced, inserted and deleted lines, continuations, comments, bad lines,
includes) to a manifest, each analysed incrementally with one cache and from scratch."""

from __future__ import annotations

import random

import pytest

from bastion.config import Config
from bastion.deps import analysis, match, requirements_txt, store
from bastion.deps.lines import LineCache
from bastion.deps.location import shipped_index_path
from bastion.engine.registry import create_engine
from bastion.model import Finding

PIECES = ["requests==2.19.0", "requests==2.31.0", "django==3.2.5  # web", "jinja2>=2.10,<4",
          "urllib3>=1.26,<1.27", "flask", "reqeusts==2.31.0", "numpy==1.26.4",
          "pyyaml==5.3.1 --hash=sha256:0123456789abcdef", "requests[socks]==2.19.0 ; python_version > '3.8'",
          "django>=3.2 \\", "    ,<3.3", "# a comment \\", "", "   ", "not a requirement ===",
          "-r base.txt", "-c constraints.txt", "-r missing.txt", "--index-url https://example.org/simple",
          "-e .", "./local/pkg", "urllib3==1.26.4 \\", "  --hash=sha256:ab", "aiohttp==3.8.0\t# tab",
          "pillow==8.0.0 \\"]


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


@pytest.fixture
def workspace(tmp_path):
    (tmp_path / "base.txt").write_text("requests==2.19.0\nnot valid ===\n")
    (tmp_path / "constraints.txt").write_text("django==3.2.5\n")
    return tmp_path


def scratch(path, text, root, index):
    result = analysis.analyse(path, text, root, index)
    return result.findings, result.not_analysed


def incremental(cache, path, text, root, index):
    result = analysis.analyse(path, text, root, index, lines=cache)
    return result.findings, result.not_analysed


def edit(rng: random.Random, lines: list[str]) -> list[str]:
    lines = list(lines)
    for _ in range(rng.randint(1, 3)):
        at = rng.randint(0, len(lines))
        action = rng.random()
        if action < 0.4 and at < len(lines):
            lines[at] = rng.choice(PIECES)
        elif action < 0.7:
            lines[at:at] = [rng.choice(PIECES) for _ in range(rng.randint(1, 3))]
        elif at < len(lines):
            del lines[at:at + rng.randint(1, 3)]
    return lines


@pytest.mark.parametrize("seed", range(8))
def test_random_edits_incremental_equals_scratch(shipped, workspace, seed):
    rng = random.Random(seed)
    path, root = str(workspace / "requirements.txt"), str(workspace)
    lines = [rng.choice(PIECES) for _ in range(60)]
    cache = LineCache()
    for step in range(40):
        text = "\n".join(lines) + rng.choice(["\n", "", "\n\n", "\\"])
        assert incremental(cache, path, text, root, shipped) == scratch(path, text, root, shipped), \
            (seed, step, text)
        lines = edit(rng, lines)
    assert len(cache) > 0


def test_a_small_cache_and_another_index_still_agree(workspace, shipped):
    path, root = str(workspace / "requirements.txt"), str(workspace)
    text = "\n".join(PIECES) + "\n"
    cache = LineCache(size=4)  # every analysis evicts most lines
    for _ in range(2):
        assert incremental(cache, path, text, root, shipped) == scratch(path, text, root, shipped)
    assert len(cache) == 4
    # Another index (here none: typosquats only): what the old one found is not served
    manifest = analysis.parse_manifest(path, text, root)
    findings, _ = cache.read(path, text, root, None, requirements_txt.read_file)
    assert sorted(findings, key=Finding.sort_key) == sorted(
        match.findings(manifest.dependencies, None), key=Finding.sort_key)
    assert {f.rule_id for f in findings} == {"BST403"}


def test_an_edit_reads_only_the_changed_line(shipped, workspace, monkeypatch):
    path, root = str(workspace / "requirements.txt"), str(workspace)
    lines = [f"package-{i}==1.{i % 7}.0" for i in range(2000)] + ["requests==2.19.0"]
    cache = LineCache()
    incremental(cache, path, "\n".join(lines), root, shipped)
    parsed = []
    original = requirements_txt.parse_lines
    monkeypatch.setattr(requirements_txt, "parse_lines",
                        lambda chunk: parsed.append(chunk) or original(chunk))
    lines[1000] = "django==3.2.5"
    lines.insert(10, "urllib3==1.26.4")
    findings, _ = incremental(cache, path, "\n".join(lines), root, shipped)
    assert parsed == [["urllib3==1.26.4"], ["django==3.2.5"]]
    assert [f.span.start_line for f in findings] == [10, 1001, 2001]
    cache.forget()
    assert len(cache) == 0


def test_the_engine_forgets_the_lines_with_its_caches(tmp_path):
    engine = create_engine(disk_cache=False)
    (deps,) = [a for a in engine.text_analyzers if a.id == "deps"]
    path = str(tmp_path / "requirements.txt")
    text = "requests==2.19.0\nflask==3.0.3\n"
    first = engine.analyse(text, path, Config(root=str(tmp_path))).findings
    assert [f.rule_id for f in first] == ["BST401"] and len(deps._lines) == 2
    engine.clear_cache()
    assert len(deps._lines) == 0
    assert engine.analyse(text, path, Config(root=str(tmp_path))).findings == first


@pytest.mark.parametrize("seed", range(6))
def test_files_read_in_turn_with_other_line_ends_still_agree(shipped, workspace, seed):
    """Two files share a cache; lines end in CRLF, a lone CR or a form feed (line breaks to
    `str.splitlines`), and backslashes end comments, bare lines and the file."""
    rng = random.Random(seed)
    root = str(workspace)
    paths = [str(workspace / "requirements.txt"), str(workspace / "requirements-dev.txt")]
    pieces = [*PIECES, "requests==2.19.0\r", "django==3.2.5\x0c", "x \\", "\\",
              "requests==2.19.0 # c \\"]
    lines = {path: [rng.choice(pieces) for _ in range(30)] for path in paths}
    cache = LineCache()
    for step in range(30):
        path = rng.choice(paths)
        text = rng.choice(["\n", "\r\n"]).join(lines[path]) + rng.choice(["\n", "", "\\", "\r"])
        assert incremental(cache, path, text, root, shipped) == scratch(path, text, root, shipped), \
            (seed, step, text)
        lines[path] = [rng.choice(pieces) if rng.random() < 0.1 else line
                       for line in edit(rng, lines[path])]

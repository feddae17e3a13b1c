"""Files linked out of the scanned tree are not read (issue 11): a repository whose `app.py`,
`.env`, `requirements.txt` or `uv.lock` is a symbolic link to a file outside it (~/.ssh/config,
/etc/passwd) must not make `bastion check` read that file. Each is skipped with "symlink out of
the tree" in every output format; links that stay inside the tree are read as before; a file
named on the command line is read wherever it links to (the user chose it)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from tests.unit.test_cli_text_files import bastion

from bastion.files import OUT_OF_TREE, UnreadableSource, read_source

KEY = "AKIAZ3MDTQ7WLX5RJ4NB"
SHELL = "import subprocess\n\n\ndef run(cmd):\n    subprocess.call(cmd, shell=True)\n"
LINKED = ("evil.py", ".env", "requirements.txt", "uv.lock")
pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")


@pytest.fixture
def tree(tmp_path) -> Path:
    """proj/ holds app.py, lib/inner.py and a link to it (inside), and links to outside/."""
    outside, proj = tmp_path / "outside", tmp_path / "proj"
    outside.mkdir()
    (proj / "lib").mkdir(parents=True)
    # Each outside file would give findings if it were read: a shell call, a key, a typosquat.
    (outside / "evil.py").write_text(SHELL, encoding="utf-8")
    (outside / ".env").write_text(f"AWS_ACCESS_KEY_ID={KEY}\n", encoding="utf-8")
    (outside / "requirements.txt").write_text("reqeusts==1.0\n", encoding="utf-8")
    (outside / "uv.lock").write_text('version = 1\n\n[[package]]\nname = "reqeusts"\n'
                                     'version = "1.0"\n', encoding="utf-8")
    (proj / "app.py").write_text(SHELL, encoding="utf-8")
    (proj / "lib" / "inner.py").write_text(SHELL, encoding="utf-8")
    (proj / "inner_link.py").symlink_to(proj / "lib" / "inner.py")
    for name in LINKED:
        (proj / name).symlink_to(outside / name)
    return proj


def _report(tree: Path, tmp_path: Path, form: str) -> tuple[subprocess.CompletedProcess, str]:
    proc = bastion("check", "--output-format", form, ".", cwd=tree, cache=tmp_path / "cache")
    return proc, proc.stdout + proc.stderr


@pytest.mark.parametrize("form", ["text", "concise", "json", "sarif", "github"])
def test_check_skips_files_linked_out_of_the_tree_in_every_format(tree, tmp_path, form):
    proc, out = _report(tree, tmp_path, form)
    assert proc.returncode == 1, out  # app.py's findings
    assert out.count(OUT_OF_TREE) == len(LINKED), out
    assert all(name in out for name in LINKED)
    assert KEY[4:-4] not in out and "reqeusts" not in out  # the key's findings would say A...B
    assert "AKIA" not in out.replace("AKIA...", "")  # no finding on the outside .env


def test_json_lists_each_skipped_file_and_reads_links_inside_the_tree(tree, tmp_path):
    proc, _ = _report(tree, tmp_path, "json")
    report = json.loads(proc.stdout)
    assert sorted(e["path"] for e in report["errors"]) == sorted(LINKED)
    assert {e["message"] for e in report["errors"]} == {f"skipped: {OUT_OF_TREE}"}
    findings = {(f["path"], f["rule_id"]) for f in report["results"]}
    assert {("app.py", "B602"), ("inner_link.py", "B602"),
            (os.path.join("lib", "inner.py"), "B602")} <= findings
    assert not {path for path, _ in findings} & set(LINKED)


def test_a_file_named_on_the_command_line_is_read_where_it_links(tree, tmp_path):
    """The user typed the name: they could as well have typed the target."""
    proc = bastion("check", "--output-format", "json", "evil.py", cwd=tree, cache=tmp_path / "c")
    report = json.loads(proc.stdout)
    assert report["errors"] == []
    assert {f["rule_id"] for f in report["results"]} >= {"B602"}


def test_a_linked_folder_named_on_the_command_line_is_the_tree(tmp_path):
    """`bastion check proj` where proj is a link: the files under its target are inside."""
    real = tmp_path / "real"
    real.mkdir()
    (real / "app.py").write_text(SHELL, encoding="utf-8")
    (tmp_path / "proj").symlink_to(real)
    proc = bastion("check", "--output-format", "json", "proj", cwd=tmp_path, cache=tmp_path / "c")
    report = json.loads(proc.stdout)
    assert report["errors"] == [] and [f["rule_id"] for f in report["results"]][-1] == "B602"


def test_fix_and_baseline_skip_them_too(tree, tmp_path):
    proc = bastion("check", "--fix", ".", cwd=tree, cache=tmp_path / "cache")
    assert f"evil.py: error: skipped: {OUT_OF_TREE}" in proc.stdout + proc.stderr
    assert (tree.parent / "outside" / "evil.py").read_text(encoding="utf-8") == SHELL
    proc = bastion("baseline", "create", "-o", str(tmp_path / "b.json"), ".", cwd=tree,
                   cache=tmp_path / "cache")
    assert f"evil.py: skipped: {OUT_OF_TREE}" in proc.stderr, proc.stderr
    assert "reqeusts" not in (tmp_path / "b.json").read_text(encoding="utf-8")


def test_read_source_within(tree):
    assert read_source(tree / "inner_link.py", (str(tree),)).text == SHELL
    assert read_source(tree / "evil.py").text == SHELL  # no tree given: read
    for name in LINKED:
        with pytest.raises(UnreadableSource, match=OUT_OF_TREE):
            read_source(tree / name, (str(tree),))
    # A sibling folder whose name starts like the tree's is not inside it.
    with pytest.raises(UnreadableSource, match=OUT_OF_TREE):
        read_source(tree / "app.py", (str(tree)[:-1],))


def test_requirements_includes_out_of_the_tree_are_not_read(tmp_path):
    """`-r ../../etc/passwd` and `-r inc.txt` where inc.txt links out: neither is read."""
    outside, proj = tmp_path / "outside", tmp_path / "proj"
    outside.mkdir()
    proj.mkdir()
    (proj / ".git").mkdir()  # the workspace root includes are read below
    (outside / "inc.txt").write_text("reqeusts==1.0\n", encoding="utf-8")
    (proj / "inc.txt").symlink_to(outside / "inc.txt")
    (proj / "requirements.txt").write_text("-r ../outside/inc.txt\n-r inc.txt\n"
                                           "-r ../../../../../../etc/passwd\n", encoding="utf-8")
    proc = bastion("check", "--output-format", "json", ".", cwd=proj, cache=tmp_path / "c")
    out = proc.stdout + proc.stderr
    assert "reqeusts" not in out and "root:" not in out
    report = json.loads(proc.stdout)
    problems = [(e["line"], e["reason"]) for f in report["files"] for e in f["not_analysed"]]
    assert [line for line, reason in problems
            if reason.endswith("is outside the scan root '.': not read")] == [1, 2, 3], problems


def test_a_pyproject_linked_out_of_its_folder_is_not_read_as_settings(tree, tmp_path):
    """Found beside the scanned files it is refused (exit 2, as for a FIFO there); named with
    --config it is read: the user chose it."""
    outside = tree.parent / "outside" / "pyproject.toml"
    outside.write_text('[tool.bastion]\nexclude = ["app.py"]\n', encoding="utf-8")
    (tree / "pyproject.toml").symlink_to(outside)
    proc = bastion("check", ".", cwd=tree, cache=tmp_path / "cache")
    assert proc.returncode == 2
    assert f"pyproject.toml: not read: {OUT_OF_TREE}" in proc.stderr, proc.stderr
    proc = bastion("check", "--output-format", "json", "--config", str(outside), "app.py",
                   cwd=tree, cache=tmp_path / "cache")
    assert json.loads(proc.stdout)["results"] == []  # its exclude applied

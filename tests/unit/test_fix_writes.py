"""`bastion check --fix` writes keep what a file is — a symlink, its hard links, its owner and
mode — or leave it alone and say why. Real files, links and owners in temp folders."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from tests.unit.test_fixes_cli import APP, bastion

from bastion.fixes.files import WriteRefused, read_snapshot, write_atomic

FIXED = "yaml.safe_load(fh)"
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="changing owners needs root")


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[project]\nname = "t"\n', encoding="utf-8")
    return project


def test_a_symlink_stays_a_symlink_and_its_target_is_fixed(tmp_path):
    project = _project(tmp_path)
    (project / "real").mkdir()
    target = project / "real" / "app.py"
    target.write_text(APP, encoding="utf-8")
    (project / "app.py").symlink_to(Path("real") / "app.py")
    proc = bastion("check", "--fix", "--unsafe-fixes", "app.py", cwd=project)
    assert (project / "app.py").is_symlink(), proc.stderr
    assert os.readlink(project / "app.py") == os.path.join("real", "app.py")
    assert FIXED in target.read_text(encoding="utf-8")


def test_a_symlink_out_of_the_scanned_paths_is_left_alone(tmp_path):
    project = _project(tmp_path)
    outside = tmp_path / "elsewhere.py"
    outside.write_text(APP, encoding="utf-8")
    (project / "app.py").symlink_to(outside)
    proc = bastion("check", "--fix", "--unsafe-fixes", ".", cwd=project)
    # Not even read (issue 11); the writer refuses it on its own too (below).
    assert "app.py: error: skipped: symlink out of the tree" in proc.stdout, proc.stdout
    assert (project / "app.py").is_symlink()
    assert outside.read_text(encoding="utf-8") == APP
    with pytest.raises(WriteRefused, match="outside the scanned paths"):
        write_atomic(read_snapshot(project / "app.py"), APP, roots=[project])


def test_a_hard_linked_file_is_left_alone_with_its_links(tmp_path):
    project = _project(tmp_path)
    (project / "app.py").write_text(APP, encoding="utf-8")
    os.link(project / "app.py", tmp_path / "other-name.py")
    proc = bastion("check", "--fix", "--unsafe-fixes", ".", cwd=project)
    assert "other hard link" in proc.stdout + proc.stderr
    assert (project / "app.py").stat().st_ino == (tmp_path / "other-name.py").stat().st_ino
    assert (project / "app.py").stat().st_nlink == 2
    assert (project / "app.py").read_text(encoding="utf-8") == APP
    assert sorted(p.name for p in project.iterdir()) == ["app.py", "pyproject.toml"]


@needs_root
def test_owner_and_mode_are_kept(tmp_path):
    project = _project(tmp_path)
    app = project / "app.py"
    app.write_text(APP, encoding="utf-8")
    os.chown(app, 1234, 5678)
    app.chmod(0o640)
    proc = bastion("check", "--fix", "--unsafe-fixes", ".", cwd=project)
    info = app.stat()
    assert FIXED in app.read_text(encoding="utf-8"), proc.stderr
    assert (info.st_uid, info.st_gid, info.st_mode & 0o7777) == (1234, 5678, 0o640)


@needs_root
def test_an_owner_that_cannot_be_kept_is_refused_not_changed():
    """As an unprivileged user who may write the file and its folder but not chown it."""
    folder = Path(tempfile.mkdtemp(prefix="bastion-owner-"))
    try:
        folder.chmod(0o777)
        app = folder / "app.py"
        app.write_text(APP, encoding="utf-8")
        os.chown(app, 1234, 5678)
        app.chmod(0o666)
        snapshot = read_snapshot(app)
        pid = os.fork()
        if pid == 0:  # the child drops to nobody and tries the write
            code = 1
            try:
                os.setgid(65534)
                os.setuid(65534)
                write_atomic(snapshot, APP.replace("yaml.load(fh, Loader=yaml.Loader)", FIXED))
                code = 0
            except WriteRefused as exc:
                code = 3 if "not permitted" in str(exc) else 4
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 3
        info = app.stat()
        assert (info.st_uid, info.st_gid) == (1234, 5678)
        assert app.read_text(encoding="utf-8") == APP
        assert [p.name for p in folder.iterdir()] == ["app.py"]
    finally:
        shutil.rmtree(folder)

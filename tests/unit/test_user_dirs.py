"""user_dirs: the cache and data folders are platformdirs' own, whether computed (Linux, plain
XDG variables and HOME) or asked of platformdirs (anything else)."""

from __future__ import annotations

import sys

import platformdirs
import pytest

from bastion import user_dirs

VARIABLES = ("XDG_CACHE_HOME", "XDG_DATA_HOME")
linux = pytest.mark.skipif(sys.platform != "linux" or hasattr(sys, "getandroidapilevel"),
                           reason="the computed answer is Linux's")


def _env(monkeypatch, home, xdg) -> None:
    monkeypatch.delenv("ANDROID_DATA", raising=False)
    for name, value in (("HOME", home), *((variable, xdg) for variable in VARIABLES)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


def _both() -> tuple[tuple[str, str], tuple[str, str]]:
    return ((user_dirs.user_cache_dir(), user_dirs.user_data_dir()),
            (platformdirs.user_cache_dir("bastion"), platformdirs.user_data_dir("bastion")))


@linux
@pytest.mark.parametrize(("home", "xdg"), [
    ("/home/u", None), ("/home/u/", ""), ("/", None), ("/home/u", "/x/y"), ("/home/u", "/x/y/"),
    ("relative", "/x/y"), (None, "/x"),
])
def test_plain_cases_are_computed_as_platformdirs_gives_them(monkeypatch, home, xdg):
    _env(monkeypatch, home, xdg)
    assert user_dirs._plain("XDG_CACHE_HOME", "~/.cache") is not None
    mine, theirs = _both()
    assert mine == theirs


@linux
@pytest.mark.parametrize(("home", "xdg"), [("/home/u", "relative/dir"), ("/home/u", " "),
                                           ("relative", None), (None, None), ("", "")])
def test_other_cases_are_platformdirs_answer(monkeypatch, home, xdg):
    _env(monkeypatch, home, xdg)
    assert user_dirs._plain("XDG_DATA_HOME", "~/.local/share") is None
    mine, theirs = _both()
    assert mine == theirs


def test_android_and_other_systems_ask_platformdirs(monkeypatch):
    _env(monkeypatch, "/home/u", None)
    monkeypatch.setenv("ANDROID_DATA", "/data")
    assert user_dirs._plain("XDG_CACHE_HOME", "~/.cache") is None
    monkeypatch.delenv("ANDROID_DATA")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert user_dirs._plain("XDG_CACHE_HOME", "~/.cache") is None


@linux
def test_an_index_where_platformdirs_puts_it_changes_every_cache_key(tmp_path, monkeypatch):
    """The advisory index's identity is part of the result cache's version key (read without
    loading the analyzers): an index `bastion db` wrote to platformdirs' data folder is found."""
    from bastion.deps.location import FILE_NAME
    from bastion.engine.registry import default_version_key

    _env(monkeypatch, str(tmp_path), None)
    monkeypatch.delenv("BASTION_DATA_DIR", raising=False)
    shipped = default_version_key()
    index = tmp_path / ".local" / "share" / "bastion" / FILE_NAME
    assert str(index.parent) == platformdirs.user_data_dir("bastion")
    index.parent.mkdir(parents=True)
    index.write_bytes(b"x" * 7)
    key = default_version_key()
    assert key != shipped and f"|deps=1:7-{index.stat().st_mtime_ns}" in key

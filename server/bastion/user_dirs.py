"""Bastion's per-user cache and data folders, as platformdirs names them, told without importing
platformdirs where its answer is plain.

Every check needs both: the result cache lives in the cache folder, and the advisory index's
identity (part of every cache key) is read from the data folder. Importing platformdirs was
some 10 ms of a check served from the cache. On Linux (not Android), with the XDG variable
unset, empty or an absolute path and HOME an absolute path, every platformdirs 4 release gives
`$XDG_..._HOME/bastion`, else `~/<default>/bastion`: that is computed here. Anything else
(another system, a relative XDG variable or HOME, no HOME) is platformdirs' to answer
(tests/unit/test_user_dirs.py compares the two).
"""

from __future__ import annotations

import os
import sys

_APP = "bastion"


def _plain(variable: str, default: str) -> str | None:
    """The folder platformdirs gives, where it is plain; None elsewhere."""
    if sys.platform != "linux" or hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in os.environ:
        return None
    base = os.environ.get(variable, "")
    if base:
        return os.path.join(base, _APP) if base.startswith("/") else None
    if not os.environ.get("HOME", "").startswith("/"):
        return None
    return os.path.join(os.path.expanduser(default), _APP)


def user_cache_dir() -> str:
    plain = _plain("XDG_CACHE_HOME", "~/.cache")
    if plain is not None:
        return plain
    import platformdirs

    return platformdirs.user_cache_dir(_APP)


def user_data_dir() -> str:
    plain = _plain("XDG_DATA_HOME", "~/.local/share")
    if plain is not None:
        return plain
    import platformdirs

    return platformdirs.user_data_dir(_APP)

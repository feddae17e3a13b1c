"""TOML values from the standard library's parser (`tomli` on Python 3.10); where they sit in
the text is `toml_keys.KeyIndex`'s concern.

State: the values of the last large text parsed with `keep` (or its error), kept for the next
read of an equal text, and whether they are a lock preview's (dropped by the next `take`).
A 5 MB pyproject.toml opened in the editor was parsed (~0.7 s of CPU each) by the advisory-age hint,
the settings read (`config.load_pyproject`), the preview of its lines in view (which shows
findings only when the whole text is valid TOML) and its whole analysis: once now. A large lock
file's values (41 MB for a 5 MB uv.lock) are kept from its preview only for its whole read,
which takes them (`take`) to build its per-package results; a lock read takes them whatever its
text, so that values of a text edited between the preview and the whole read do not outlive that
read. `drop_preview` drops them when the editor drops the analysis after its preview (the
document closed: the next analyses may be served from the result cache and read no lock).
Callers only read the values (they are shared). Emptied by `forget()` (the deps analyzer's: no
document open any more). No lock: threads that race parse twice.
"""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError

_KEPT_CHARS = 256 * 1024  # a smaller text is parsed again (milliseconds; a lock's pieces)
_last: tuple[str, dict | TOMLDecodeError, bool] | None = None  # text, values, a lock preview's


def forget() -> None:
    global _last
    _last = None


def drop_preview() -> None:
    """The values kept are dropped if they are a lock preview's (no whole read will take them);
    a pyproject.toml's stay."""
    global _last
    last = _last
    if last is not None and last[2] and _last is last:  # called off the engine's lock: a race
        _last = None  # lost only costs a parse


def take(text: str) -> dict | None:
    """For a lock's read: the values kept of `text` (None if none, or its error), no longer
    kept, nor are a lock preview's values of another text."""
    global _last
    last = _last
    if last is None or (last[0] != text and not last[2]):
        return None
    _last = None
    return last[1] if last[0] == text and isinstance(last[1], dict) else None


def loads(text: str, keep: bool = True, preview: bool = False) -> dict:
    """`keep`: keep the values of a large text (not for a lock file's whole read, which has no
    later reader); `preview`: a lock's, kept for the next lock read only (`take`)."""
    global _last
    if len(text) < _KEPT_CHARS:
        return tomllib.loads(text)
    last = _last
    if last is not None and last[0] == text:
        if isinstance(last[1], TOMLDecodeError):
            raise TOMLDecodeError(*last[1].args)
        return last[1]
    if not keep:
        return tomllib.loads(text)
    try:
        values = tomllib.loads(text)
    except TOMLDecodeError as exc:
        _last = (text, exc, preview)
        raise
    _last = (text, values, preview)
    return values

"""TOML values from the standard library's parser (`tomli` on Python 3.10); where they sit in
the text is `toml_keys.KeyIndex`'s concern.

State: the values of the last large text parsed (or its error) are kept for the next read of
an equal text. A 5 MB pyproject.toml opened in the editor is parsed (~0.7 s of CPU) by the
preview of its lines in view (which shows findings only when the whole text is valid TOML),
then by its whole analysis, then by the advisory-age hint: once now. Callers only read the
values (they are shared). No lock: threads that race parse twice, one result is kept.
"""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError

_KEPT_CHARS = 256 * 1024  # a smaller text is parsed again (milliseconds; a lock's pieces)
_last: tuple[str, dict | TOMLDecodeError] | None = None


def forget() -> None:
    global _last
    _last = None


def loads(text: str) -> dict:
    global _last
    if len(text) < _KEPT_CHARS:
        return tomllib.loads(text)
    last = _last
    if last is not None and last[0] == text:
        if isinstance(last[1], TOMLDecodeError):
            raise TOMLDecodeError(*last[1].args)
        return last[1]
    try:
        values = tomllib.loads(text)
    except TOMLDecodeError as exc:
        _last = (text, exc)
        raise
    _last = (text, values)
    return values

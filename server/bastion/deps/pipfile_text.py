"""A large Pipfile.lock's JSON values, parsed by its preview (deps/lock_preview.py) and kept for
its whole read (deps/pipfile_lines.py), which takes them: a 5 MB lock opened in the editor was
parsed by both, now once. Only values with no key written twice are kept (the preview reads no
other): they are then exactly `json.loads`' of the same text.

State: the last large text previewed and its values, dropped by the next whole read of a
Pipfile.lock whatever its text (they are for that read only: a text edited in between must not
keep them alive) and by `forget()` (the deps analyzer's: no document open any more, or the
analysis after the preview dropped: `preview_unused`). Callers
only read the values (they are shared). No lock: threads that race parse twice.
"""

from __future__ import annotations

_KEPT_CHARS = 256 * 1024  # a smaller text is parsed again (milliseconds)
_last: tuple[str, object] | None = None


def forget() -> None:
    global _last
    _last = None


def keep(text: str, values: object) -> None:
    """Keep `values`, parsed from `text`, for the whole read of `text` (a large one only)."""
    global _last
    if len(text) >= _KEPT_CHARS:
        _last = (text, values)


def take(text: str) -> object | None:
    """The values kept of `text` (None if none); nothing is kept afterwards."""
    global _last
    last, _last = _last, None
    return last[1] if last is not None and last[0] == text else None

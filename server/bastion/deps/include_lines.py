"""Whether a requirements file may include another (`-r` / `-c`), told without parsing it, and
what else a manifest's findings depend on besides its text and kind (`dependency_key`).

The findings of a file that includes another depend on that file and on the folder includes
may be read from, not only on its text: the result cache must not keep them. Asked before every
cache lookup (a scan served from the cache, a keystroke in the editor), so it is one regular
expression search, no import of the parser.
"""

from __future__ import annotations

from bastion.deferred_patterns import deferred
from bastion.deps.names import lock_format
from bastion.filekinds import FileKind, kind_of

# A logical line is an include when, joined, it starts (after blanks) with -r, -c, --requirement
# or --constraint (requirements_txt._INCLUDE). Its first physical line then starts with blanks and
# either the whole option, or a piece of it that a continuation backslash ends (pip joins `--re\`
# and `quirement x`); a line of blanks and a backslash lets the option start on the next line,
# which is matched in turn. Blanks: any whitespace but the line ends (\n, \r: text_lines).
# Hash lines (`    --hash=...  \`) do not match. Every include matches: tests/unit/
# test_deps_include_root.py compares with the parser on random texts.
_MAY_INCLUDE = r"[^\S\r\n]*(?:-[rc]|--(?:requirement|constraint)|(?:-{0,2}|--[rc][a-z]*)\\(?=[\r\n]|\Z))"
_AT_START = deferred(_MAY_INCLUDE)
# Searched from a line end, a literal one: a leading look-behind made the search try every
# position, a class of both line ends every line end (5.2 ms on a 1 MB file, 2.2 ms now).
_AFTER_LF = deferred("\n" + _MAY_INCLUDE)
_AFTER_CR = deferred("\r" + _MAY_INCLUDE)


def may_include(text: str) -> bool:
    return (_AT_START().match(text) is not None or _AFTER_LF().search(text) is not None
            or ("\r" in text and _AFTER_CR().search(text) is not None))


def dependency_key(text: str, path: str) -> str | None:
    """The deps analyzer's `dependency_key`: None (not to be cached) for a requirements file
    that may include another; a lock file's format, which its name tells (the result is kept by
    text and kind, and the same text is read otherwise as a Pipfile.lock than as a uv.lock, and
    its findings name the tool's lock command); else "" (its findings depend on its text
    alone)."""
    kind = kind_of(path)
    if kind is FileKind.LOCK:
        return lock_format(path)
    return None if kind is FileKind.REQUIREMENTS and may_include(text) else ""

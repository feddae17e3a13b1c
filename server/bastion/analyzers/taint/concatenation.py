"""Strings built from parts (`concat`: f-strings, `+`, `%`, `format`, `join`) and whether the
constant text before a URL's untrusted part fixes its host (`fixes_host`): what a built string
is safe for follows from its parts in order. Moved as is from domain.py (the values and how they
join), which had reached the module size limit. JSON whose `</` is escaped (`SCRIPT_LITERAL`:
Tornado's `json_encode`) is safe markup where the text before it opens a `<script>` element,
outside a quoted string: no `</script>` in it can end the element (`_in_script`).
"""

from __future__ import annotations

import functools
from operator import attrgetter

from bastion.analyzers.taint.domain import (
    APP_PATH,
    APPENDED,
    CLEAN,
    EVERY_CLASS,
    SAFE,
    SCRIPT_LITERAL,
    UNKNOWN,
    Step,
    Value,
    constant,
)
from bastion.deferred_patterns import deferred

_HOST_FIXED = deferred(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\]+[/?#]|/[^/\\]|[\w.~%!$&'()*+,;=@-][^:/?#\\]*[/?#]")
# Text first that the request did not write and whose value is not known: a configured base URL
# (`settings.API_URL + "/users/" + uid`); a path or query after it leaves its host.
_BASE = "\x00"
_AFTER_BASE = deferred(r"/[^/\\]|[?#]")
_OPERATORS = frozenset({"env", "argv", "stdin"})  # who runs the program writes these
_KIND = attrgetter("kind")
_HOST_KEPT = frozenset({"redirect"})


@functools.lru_cache(maxsize=1024)  # a module's few constant prefixes, met at every `+` / f-string
def fixes_host(prefix: str) -> bool:
    """Whether a URL starting with `prefix` goes to the host it names (`https://a.example/`)
    or to this site (`/static/`, not `//`; `items/`, a relative path: no scheme follows a first
    segment without `:`, nor a space a browser strips); `prefix` may start with `_BASE`."""
    if prefix.startswith(_BASE):
        return _AFTER_BASE().match(prefix, 1) is not None
    return _HOST_FIXED().match(prefix) is not None


def concat(parts: list[Value], step: Step | None = None) -> Value:
    """A string built from `parts` in order (f-string, `+`, `%`, `format`, `join`)."""
    taint: frozenset = frozenset()
    clean = EVERY_CLASS
    steps: tuple = ()
    modelled = True
    prefix = False
    configured = False  # the operator's text first, and the host still open
    fixed = ""  # the constant text before the first tainted part
    host_fixed = False
    consts: list[str] | None = []
    known = True
    reported: frozenset | None = None  # what every tainted part has reported
    kept: frozenset = frozenset()
    based = False  # text the request did not write before the first tainted part: a base
    for index, part in enumerate(parts):
        part = part.flat() if part.items else part
        known = known and part.known
        if not taint and not part.taint and part.const != "":
            based = True
        if part.taint:
            if not host_fixed and _OPERATORS.issuperset(map(_KIND, part.taint)):  # in C
                # the operator's configuration (`os.environ["API_URL"]`) as a base URL
                fixed += "x" if fixed else _BASE
                host_fixed = fixes_host(fixed) or not part.prefix
                configured = not host_fixed
            else:
                if not host_fixed and part.prefix:
                    prefix = True
                    # a whole URL of the host the browser asked for first (Flask's
                    # `request.url_root`, its source's `cleans`): what follows stays on it
                    kept = part.clean & _HOST_KEPT if not taint and not fixed else kept
                host_fixed = True  # past the first tainted part the host is decided
            if SCRIPT_LITERAL in part.clean and _in_script(parts, index):
                part = part.evolve(clean=part.clean | {"html"})
            taint |= part.taint
            reported = part.reported if reported is None else reported & part.reported
            clean &= part.clean
            if not steps or len(part.steps) < len(steps):
                steps = part.steps
            modelled = modelled and part.modelled
        elif not host_fixed:
            fixed += part.const if isinstance(part.const, str) else "/x" if part.kind == APP_PATH \
                else "x" if fixed else _BASE
            host_fixed = fixes_host(fixed)
        if consts is not None:
            consts = consts + [part.const] if isinstance(part.const, str) else None
    if not taint:
        if consts is not None:
            return constant("".join(consts))
        if parts and parts[0].kind == APP_PATH or host_fixed:
            # url_for(...) + "?a=1", settings.API_URL + "/users/": what is appended to it
            # cannot move its host
            return Value(clean=EVERY_CLASS, kind=APP_PATH, known=known)
        return SAFE if known else CLEAN
    prefix = prefix or configured and not host_fixed  # what follows may still name the host
    if based and APPENDED in clean:
        clean |= {"path"}  # a name without `..` appended to a base stays under it
    # a literal only where this string puts it: the next concatenation asks its own text
    out = Value(taint, (clean | kept) - {SCRIPT_LITERAL}, UNKNOWN, None, None, prefix, steps, modelled, known,
                reported or frozenset())
    return out.with_step(step)


def _in_script(parts: list[Value], index: int) -> bool:
    """Whether the constant text before `parts[index]` leaves a `<script>` element open, the
    value not inside a quoted JavaScript string (`var q = '...'`, which JSON's `"` cannot close),
    every part between being constant or a JSON literal (neither can hold `</script`)."""
    text = ""
    for part in reversed(parts[:index]):
        if isinstance(part.const, str):
            text = part.const + text
        elif not part.taint or SCRIPT_LITERAL not in part.clean:
            return False
    text = text.lower()
    opened = text.rfind("<script")
    stripped = text.rstrip()
    return opened >= 0 and "</script" not in text[opened:] and not stripped.endswith(("'", '"', "`"))

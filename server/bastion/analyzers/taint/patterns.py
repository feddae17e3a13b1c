"""What a regular expression lets through, for the guards `re.fullmatch(PATTERN, x)` and an
anchored `re.match` / `re.search`: a value it matched whole holds only the characters the
pattern can match, so it is safe for the sink classes none of whose dangerous characters are
among them (`[a-z0-9.]+` for a shell command, not `.+`). A pattern whose language is finite and
spelled out (`(api|cdn)\\.example\\.com`) is an allowlist: safe for every class.

The pattern is parsed with the standard library's own regular expression parser (`re._parser`,
`sre_parse` before Python 3.11: the one module that knows that syntax exactly), behind
`_parse`; a pattern it cannot parse proves nothing.
"""

from __future__ import annotations

import ast
import functools
import re
import string
import sys

from bastion import attrs_classes
from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.domain import COMPONENT

if sys.version_info >= (3, 11):
    from re import _constants as _sre
    from re import _parser as _sre_parse
else:  # pragma: no cover - Python 3.10
    import sre_constants as _sre
    import sre_parse as _sre_parse

_ASCII = frozenset(chr(i) for i in range(128))
_WHITESPACE = frozenset(" \t\n\r\f\v")
_WORD = frozenset(string.ascii_letters + string.digits + "_")
_CATEGORIES = {
    _sre.CATEGORY_DIGIT: frozenset(string.digits), _sre.CATEGORY_SPACE: _WHITESPACE,
    _sre.CATEGORY_WORD: _WORD,
}
# Line boundaries outside ASCII (NEL, LINE / PARAGRAPH SEPARATOR: `str.splitlines` cuts at them).
# Unicode `\w` and `\d` match letters and digits beyond ASCII, none of them a line boundary.
_LINE_BREAKS = frozenset("\x85\u2028\u2029")
# Characters that let a value change the meaning of the text it is put in, per sink class.
_DANGEROUS = {
    "shell": frozenset(";&|$`<>(){}[]*?!~#'\"\\") | _WHITESPACE,
    "path": frozenset("/\\\x00"),
    "sql": frozenset("'\"`\\;()=<>*/#%") | _WHITESPACE,
    "html": frozenset("<>\"'&`="),
    "log": frozenset("\r\n"),
    "redirect": frozenset(":/\\") | _WHITESPACE,
    "ldap": frozenset("*()\\\x00=,+<>#;\"'"),
    "ldap_dn": frozenset("\\\x00=,+<>#;\""),
    "xpath": frozenset("'\"[]()=/|*@"),
    "template": frozenset("{}%#$<>"),
    "regex": frozenset(".^$*+?{}[]\\|()"),
    "nosql": frozenset("'\"`\\;(){}[]$=<>&|!+"),
    # an argument starting with `-` is an option; only a class without `-` proves it is not one
    "argument": frozenset("-"),
    "code": frozenset(string.ascii_letters + "_[]{}'\"\\.:;=,@`") | {"\n"},
}


def broken_by(chars: str) -> frozenset[str]:
    """The sink classes one of `chars` can change the meaning of the text of."""
    return frozenset(cls for cls, bad in _DANGEROUS.items() if not bad.isdisjoint(chars))


# Validated data kept in the session is the point of the trust-boundary rule.
_ALWAYS = frozenset({"trust"})
_MAX_FINITE = 256
_MAX_PATTERN = 4096  # a validation pattern is short; a longer one proves nothing (bounded cost)


@functools.lru_cache(maxsize=512)
def cleaned_by(pattern: str | bytes, flags: int, how: str) -> frozenset[str]:
    """The sink classes a value is safe for once `pattern` matched it, `how` being the `re`
    function (`fullmatch`; `match` and `search` prove something only when the pattern is
    anchored at the end, and for `search` at the start too); empty when it proves nothing."""
    if len(pattern) > _MAX_PATTERN:
        return frozenset()
    try:
        parsed = _sre_parse.parse(pattern, flags)
    except (re.error, RecursionError, OverflowError, ValueError):
        return frozenset()
    items = list(parsed)
    flags = parsed.state.flags
    trailing_newline = False
    if how != "fullmatch":
        if flags & re.MULTILINE or not items:
            return frozenset()
        at_end = items[-1]
        if at_end == (_sre.AT, _sre.AT_END_STRING):
            items = items[:-1]
        elif at_end == (_sre.AT, _sre.AT_END):
            # `$` lets one newline through, last: nothing of the sender's follows it, so it ends
            # a command or a query where the value ends, and breaks only a log line
            items, trailing_newline = items[:-1], True
        else:
            return frozenset()
        if items and items[0][0] is _sre.AT and items[0][1] in (
                _sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING):
            items = items[1:]
        elif how == "search":
            return frozenset()
    seen = _Seen(flags)
    try:
        seen.walk(items)
    except (_Unknown, RecursionError):
        return frozenset()
    if seen.finite and not seen.open:
        cleans = frozenset(_DANGEROUS) | _ALWAYS | {"ssrf", "deserialize", "xxe", COMPONENT}
    else:
        cleans = _ALWAYS | frozenset(cls for cls, bad in _DANGEROUS.items()
                                     if not (seen.chars & bad) and not (seen.breaks_lines and cls == "log"))
        if "path" in cleans:
            cleans |= {COMPONENT}  # no separator: not absolute
    return cleans - {"log"} if trailing_newline else cleans


_FLAGS = {"re.I": re.I, "re.IGNORECASE": re.I, "re.A": re.A, "re.ASCII": re.A, "re.X": re.X,
          "re.VERBOSE": re.X, "re.S": re.S, "re.DOTALL": re.S, "re.M": re.M,
          "re.MULTILINE": re.M, "re.U": re.U, "re.UNICODE": re.U}


COMPILED_PATTERN = "re.compile()"  # the kind of a value holding a Compiled constant


@attrs_classes.frozen
class Compiled:
    """What `re.compile(r"...", flags)` returns, as a value's constant (so that it flows through
    assignments and joins like one): the pattern and flags a guard judges."""
    pattern: str | bytes
    flags: int


def compiled_pattern(call: ast.Call, env: Env) -> tuple[str | bytes, int] | None:
    """The constant pattern and flags of `re.compile(r"...", re.I | re.A)`, else None."""
    if not call.args or not isinstance(call.args[0], ast.Constant) \
            or not isinstance(call.args[0].value, (str, bytes)):
        return None
    given = call.args[1] if len(call.args) > 1 else next(
        (k.value for k in call.keywords if k.arg == "flags"), None)
    flags = _flags(given, env) if given is not None else 0
    return None if flags is None else (call.args[0].value, flags)


def _flags(node: ast.expr, env: Env) -> int | None:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        left, right = _flags(node.left, env), _flags(node.right, env)
        return None if left is None or right is None else left | right
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return node.value
    name = env.qualname(node)
    return int(_FLAGS[name]) if name in _FLAGS else None


@functools.lru_cache(maxsize=256)
def _ascii_range(low: int, high: int) -> frozenset[str]:
    return frozenset(chr(c) for c in range(low, min(high, 127) + 1))


class _Unknown(Exception):
    """A construct whose characters are not worked out: the pattern proves nothing."""


class _Seen:
    """The ASCII characters a parsed pattern may match (`breaks_lines`: a line boundary outside
    ASCII too), whether its language is finite, and whether it has a class of characters (`.`,
    `[a-z]`, `\\w`)."""

    def __init__(self, flags: int) -> None:
        self.flags = flags
        self.chars: set[str] = set()
        self.breaks_lines = False
        self.finite = True
        self.open = False

    def walk(self, items) -> None:
        for op, argument in items:
            if op is _sre.LITERAL:
                self._add(frozenset(chr(argument)))
            elif op is _sre.NOT_LITERAL:
                self._any(_ASCII - {chr(argument)})
            elif op is _sre.ANY:
                self._any(_ASCII if self.flags & re.DOTALL else _ASCII - {"\n"})
            elif op is _sre.IN:
                self._in(argument)
            elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)):
                low, high, inner = argument
                if high is _sre.MAXREPEAT or high > _MAX_FINITE:
                    self.finite = False
                self.walk(inner)
            elif op is _sre.SUBPATTERN:
                self.walk(argument[-1])
            elif op is _sre.BRANCH:
                for branch in argument[1]:
                    self.walk(branch)
            elif op is _sre.AT:
                continue  # an anchor matches no character
            elif op is getattr(_sre, "ATOMIC_GROUP", None):
                self.walk(argument)
            else:  # back-references, look-arounds, conditionals
                raise _Unknown

    def _add(self, chars: set[str] | frozenset[str]) -> None:
        ascii_chars = chars & _ASCII
        self.chars |= ascii_chars
        if not _LINE_BREAKS.isdisjoint(chars):
            self.breaks_lines = True
        if self.flags & re.IGNORECASE:
            self.chars |= {char.swapcase() for char in ascii_chars}

    def _any(self, chars: frozenset[str]) -> None:
        self.open = True
        self.breaks_lines = True
        self._add(set(chars))

    def _in(self, members) -> None:
        self.open = True  # a class of characters: no longer a list of the developer's strings
        negate = bool(members) and members[0][0] is _sre.NEGATE
        found: set[str] = set()
        for op, argument in members[1:] if negate else members:
            if op is _sre.LITERAL:
                found.add(chr(argument))
            elif op is _sre.RANGE:
                low, high = argument
                found |= _ascii_range(low, high)
                if any(low <= ord(char) <= high for char in _LINE_BREAKS):
                    self.breaks_lines = True
            elif op is _sre.CATEGORY and argument in _CATEGORIES:
                found.update(_CATEGORIES[argument])
                if not self.flags & re.ASCII and argument == _sre.CATEGORY_SPACE:
                    self.breaks_lines = True
            else:  # a negated category (\W, \S, \D)
                raise _Unknown
        if negate:
            self._any(_ASCII - found)
        else:
            self._add(found)

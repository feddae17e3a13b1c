"""Jinja macros a rendered template calls with its context: `{% macro field(value) %}{{
value|safe }}{% endmacro %}`, defined in the template or in one it imports (`{% import
"forms.html" as forms %}`, `{% from "forms.html" import field %}`), called as `{{
forms.field(body) }}`: the context variable `body` is printed as the macro prints its parameter.

Only calls whose arguments are plain names (positional or by keyword) are read, as a print (`{{
field(body) }}`) or a call block (`{% call field(body) %}...{% endcall %}`, whose body is the
calling template's own text). A macro passing its parameter to another macro of its file prints it
as that one does (`{% macro row(v) %}<td>{{ cell(v) }}</td>{% endmacro %}`); a macro calling one
it imports from another file is not followed. Every expression here is bounded (no unclosed construct makes a
search run to the end of the file from each of its starts): a 1 MiB template parses in linear time.
template_files.py reads the imported files (bounded like includes) and turns each call into the
prints it makes.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

import attrs

from bastion import attrs_classes
from bastion.deferred_patterns import deferred

if TYPE_CHECKING:
    from bastion.analyzers.taint.template_parse import Print, Template

_NAME = r"[A-Za-z_]\w*"
_FILE = r"""(["'])([\w][\w./-]{0,200})\1"""
_MACRO = deferred(r"\{%-?\s*macro\s+(" + _NAME + r")\s*\(([^()]{0,500})\)\s*-?%\}")
_END = deferred(r"\{%-?\s*endmacro\b")
_IMPORT = deferred(r"\{%-?\s*import\s+" + _FILE + r"\s+as\s+(" + _NAME + ")")
# The names are read up to the tag's end and split in Python: an expression with whitespace on
# both sides of them (`import\s+([\w\s,]+?)\s*`) tried every split of a long blank run, 75 s
# for 52 kB of unclosed tags.
_FROM = deferred(r"\{%-?\s*from\s+" + _FILE + r"\s+import\b([^%]{1,500})%\}")
_CONTEXT = deferred(r"\s(?:with|without)\s+context\s*-?\s*$|\s*-\s*$")
_CALLEE = "(" + _NAME + r")(?:\s*\.\s*(" + _NAME + r"))?\s*\(([^(){}]{0,500})\)"
# `{{ field(body) }}`, or `{% call field(body) %}` / `{% call(user) field(body) %}`
_CALL = deferred(r"\{\{-?\s*" + _CALLEE + r"|\{%-?\s*call\b\s*(?:\([^(){}%]{0,500}\)\s*)?" + _CALLEE)
_MAX_MACROS = 256


@attrs_classes.frozen
class Macro:
    params: tuple[str, ...]
    unescaped: dict[str, Print]  # by parameter: its first print without escaping
    printed: dict[str, Print]  # by parameter: its first print


@attrs_classes.frozen
class MacroCall:
    library: str | None  # `forms` in `forms.field(body)`; None for a bare `field(body)`
    name: str
    args: tuple[str | None, ...]  # the context variable at each position (None: no plain name)
    keywords: tuple[tuple[str, str], ...]  # (parameter, context variable)


@attrs_classes.frozen
class Macros:
    defined: dict[str, Macro] = attrs.Factory(dict)
    imports: dict[str, str] = attrs.Factory(dict)  # alias -> the file it names
    imported: dict[str, tuple[str, str]] = attrs.Factory(dict)  # local name -> (file, macro)
    calls: tuple[MacroCall, ...] = ()

    def libraries(self) -> list[str]:
        """The files this template's calls take macros from, in order."""
        files = [self.imports.get(c.library) if c.library else self.imported.get(c.name, ("",))[0]
                 for c in self.calls]
        return list(dict.fromkeys(f for f in files if f))


NO_MACROS = Macros()


def parse_macros(text: str, prints: list[tuple[int, str, Print, bool]]) -> Macros:
    """The macros of a template's text, given its prints (start offset, first name, where,
    unescaped) in order."""
    if "{%" not in text:  # no macro defined nor imported
        return NO_MACROS
    defined: dict[str, Macro] = {}
    bodies: list[tuple[int, int, str]] = []  # (start, end, macro) of each macro read
    ends = [m.start() for m in _END().finditer(text)]
    starts = [start for start, _, _, _ in prints]
    body_end = -1
    for match in _MACRO().finditer(text):
        if match.start() < body_end or len(defined) >= _MAX_MACROS:
            continue  # inside the last macro's body (Jinja has no nested definitions to read)
        at = bisect.bisect_left(ends, match.end())
        body_end = ends[at] if at < len(ends) else len(text)
        params = tuple(p.split("=", 1)[0].strip() for p in match.group(2).split(","))
        unescaped: dict[str, Print] = {}
        printed: dict[str, Print] = {}
        first = bisect.bisect_left(starts, match.end())
        for _, name, where, raw in prints[first:bisect.bisect_left(starts, body_end)]:
            if name in params:
                printed.setdefault(name, where)
                if raw:
                    unescaped.setdefault(name, where)
        if match.group(1) not in defined:
            defined[match.group(1)] = Macro(tuple(p for p in params if p), unescaped, printed)
            bodies.append((match.end(), body_end, match.group(1)))
    imports = {m.group(3): m.group(2) for m in _IMPORT().finditer(text) if _inside(m.group(2))}
    imported = {}
    for match in _FROM().finditer(text):
        for item in _CONTEXT().sub("", match.group(3)).split(","):
            name, _, alias = (part.strip() for part in item.partition(" as "))
            if name.isidentifier() and _inside(match.group(2)):
                imported[alias or name] = (match.group(2), name)
    if not (defined or imports or imported):
        return NO_MACROS
    calls: list[MacroCall] = []
    inner: list[tuple[Macro, MacroCall]] = []  # (the macro whose body calls, a macro of this file)
    body_starts = [start for start, _, _ in bodies]
    for match in _CALL().finditer(text):
        call = _call(match)
        if call.library in imports or call.library is None and call.name in imported:
            calls.append(call)
        elif call.library is None and call.name in defined:
            calls.append(call)
            at = bisect.bisect_right(body_starts, match.start()) - 1
            if at >= 0 and match.start() < bodies[at][1]:
                inner.append((defined[bodies[at][2]], call))
        if len(calls) >= _MAX_MACROS:
            break
    _print_through(defined, inner)
    return Macros(defined, imports, imported, tuple(calls))


def _print_through(defined: dict[str, Macro], inner: list[tuple[Macro, MacroCall]]) -> None:
    """A macro prints the parameter it passes to another as that one prints it, to a fixed point
    (macros pass it on); each round adds a print, so it ends."""
    changed = True
    while changed:
        changed = False
        for caller, call in inner:
            callee = defined[call.name]
            for param, var in _given(callee, call).items():
                if var not in caller.params:
                    continue
                for own, theirs in ((caller.unescaped, callee.unescaped), (caller.printed, callee.printed)):
                    if param in theirs and var not in own:
                        own[var] = theirs[param]
                        changed = True


def called(template: Template, libraries: dict[str, Template | None]
           ) -> list[tuple[str, dict[str, Print], dict[str, Print]]]:
    """(the file that prints, unescaped prints, prints), by context variable, of the macros
    `template` calls; `libraries` holds the files it imports, by name."""
    found: dict[str, tuple[dict[str, Print], dict[str, Print]]] = {}
    macros = template.macros
    for call in macros.calls:
        library: Template | None = template
        name = call.name
        if call.library is not None:
            library = libraries.get(macros.imports.get(call.library, ""))
        elif name in macros.imported:
            file, name = macros.imported[name]
            library = libraries.get(file)
        macro = library.macros.defined.get(name) if library is not None else None
        if library is None or macro is None:
            continue
        unescaped, printed = found.setdefault(library.path, ({}, {}))
        for param, var in _given(macro, call).items():
            if param in macro.unescaped:
                unescaped.setdefault(var, macro.unescaped[param])
            if param in macro.printed:
                printed.setdefault(var, macro.printed[param])
    return [(path, unescaped, printed) for path, (unescaped, printed) in found.items() if printed]


def _given(macro: Macro, call: MacroCall) -> dict[str, str]:
    """The plain names `call` passes, by the parameter of `macro` they go to."""
    given = {param: var for param, var in zip(macro.params, call.args, strict=False) if var}
    given.update((param, var) for param, var in call.keywords if param in macro.params)
    return given


def _call(match: re.Match) -> MacroCall:
    first, second, arguments = match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6)
    library, name = (first, second) if second else (None, first)
    args: list[str | None] = []
    keywords = []
    for arg in arguments.split(","):
        key, equals, value = (part.strip() for part in arg.partition("="))
        if equals and key.isidentifier() and value.isidentifier():
            keywords.append((key, value))
        elif not equals:
            args.append(key if key.isidentifier() else None)
    return MacroCall(library, name, tuple(args), tuple(keywords))


def _inside(name: str) -> bool:
    return ".." not in name.split("/")

"""Jinja macros a rendered template calls with its context: `{% macro field(value) %}{{
value|safe }}{% endmacro %}`, defined in the template or in one it imports (`{% import
"forms.html" as forms %}`, `{% from "forms.html" import field %}`), called as `{{
forms.field(body) }}`: the context variable `body` is printed as the macro prints its parameter.

Only calls whose arguments are plain names (positional or by keyword) are read, and a macro
calling another is not followed. Every expression here is bounded (no unclosed construct makes a
search run to the end of the file from each of its starts): a 1 MiB template parses in linear time.
template_files.py reads the imported files (bounded like includes) and turns each call into the
prints it makes.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from bastion.analyzers.taint.template_files import Print, Template

_NAME = r"[A-Za-z_]\w*"
_FILE = r"""(["'])([\w][\w./-]{0,200})\1"""
_MACRO = re.compile(r"\{%-?\s*macro\s+(" + _NAME + r")\s*\(([^()]{0,500})\)\s*-?%\}")
_END = re.compile(r"\{%-?\s*endmacro\b")
_IMPORT = re.compile(r"\{%-?\s*import\s+" + _FILE + r"\s+as\s+(" + _NAME + ")")
# The names are read up to the tag's end and split in Python: an expression with whitespace on
# both sides of them (`import\s+([\w\s,]+?)\s*`) tried every split of a long blank run, 75 s
# for 52 kB of unclosed tags.
_FROM = re.compile(r"\{%-?\s*from\s+" + _FILE + r"\s+import\b([^%]{1,500})%\}")
_CONTEXT = re.compile(r"\s(?:with|without)\s+context\s*-?\s*$|\s*-\s*$")
_CALL = re.compile(r"\{\{-?\s*(" + _NAME + r")(?:\s*\.\s*(" + _NAME + r"))?\s*\(([^(){}]{0,500})\)")
_MAX_MACROS = 256


@attrs.frozen
class Macro:
    params: tuple[str, ...]
    unescaped: dict[str, Print]  # by parameter: its first print without escaping
    printed: dict[str, Print]  # by parameter: its first print


@attrs.frozen
class MacroCall:
    library: str | None  # `forms` in `forms.field(body)`; None for a bare `field(body)`
    name: str
    args: tuple[str | None, ...]  # the context variable at each position (None: no plain name)
    keywords: tuple[tuple[str, str], ...]  # (parameter, context variable)


@attrs.frozen
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
    ends = [m.start() for m in _END.finditer(text)]
    starts = [start for start, _, _, _ in prints]
    body_end = -1
    for match in _MACRO.finditer(text):
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
        defined.setdefault(match.group(1), Macro(tuple(p for p in params if p), unescaped, printed))
    imports = {m.group(3): m.group(2) for m in _IMPORT.finditer(text) if _inside(m.group(2))}
    imported = {}
    for match in _FROM.finditer(text):
        for item in _CONTEXT.sub("", match.group(3)).split(","):
            name, _, alias = (part.strip() for part in item.partition(" as "))
            if name.isidentifier() and _inside(match.group(2)):
                imported[alias or name] = (match.group(2), name)
    if not (defined or imports or imported):
        return NO_MACROS
    calls = (_call(m) for m in _CALL.finditer(text)
             if m.group(2) and m.group(1) in imports or not m.group(2)
             and (m.group(1) in imported or m.group(1) in defined))
    return Macros(defined, imports, imported, tuple(itertools.islice(calls, _MAX_MACROS)))


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
        given = {param: var for param, var in zip(macro.params, call.args, strict=False) if var}
        given.update((param, var) for param, var in call.keywords if param in macro.params)
        unescaped, printed = found.setdefault(library.path, ({}, {}))
        for param, var in given.items():
            if param in macro.unescaped:
                unescaped.setdefault(var, macro.unescaped[param])
            if param in macro.printed:
                printed.setdefault(var, macro.printed[param])
    return [(path, unescaped, printed) for path, (unescaped, printed) in found.items() if printed]


def _call(match: re.Match) -> MacroCall:
    library, name = (match.group(1), match.group(2)) if match.group(2) else (None, match.group(1))
    args: list[str | None] = []
    keywords = []
    for arg in match.group(3).split(","):
        key, equals, value = (part.strip() for part in arg.partition("="))
        if equals and key.isidentifier() and value.isidentifier():
            keywords.append((key, value))
        elif not equals:
            args.append(key if key.isidentifier() else None)
    return MacroCall(library, name, tuple(args), tuple(keywords))


def _inside(name: str) -> bool:
    return ".." not in name.split("/")

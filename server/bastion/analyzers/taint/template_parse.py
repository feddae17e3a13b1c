"""A template file's text as the analyzer reads it: what it prints (`{{ name }}`, and the
prints its engine leaves unescaped: Jinja's and Django's `|safe` and autoescape-off blocks,
Bottle's `{{!name}}`, Tornado's `{% raw name %}`), the templates it includes or extends, and its
macros (template_macros.py). Every expression is bounded (a 1 MiB template parses in linear
time). Moved as is from template_files.py, which reads the files; no state.
"""

from __future__ import annotations

import bisect
import re

from bastion import attrs_classes
from bastion.analyzers.taint.template_macros import NO_MACROS, Macros, parse_macros
from bastion.deferred_patterns import deferred
from bastion.model.text import visible

# The variable a print starts with (`{{ post.body|safe }}` prints `post`), up to its `}}` (or,
# unclosed, up to the next brace or the end)
_PRINT = deferred(r"\{\{-?\s*([A-Za-z_]\w*)([^{}]*?)(?:-?\}\}|(?=[{}])|\Z)")
_SAFE = deferred(r"\|\s*safe\b")
# Bottle's SimpleTemplate prints `{{!name}}` as it is (`{{name}}` escaped); no Jinja or Django print
_BANG = deferred(r"\{\{\s*!\s*([A-Za-z_]\w*)([^{}]*?)(?:\}\}|(?=[{}])|\Z)")
# Tornado's unescaped print, `{% raw name %}` (Jinja's `{% raw %}` block takes no expression)
_RAW = deferred(r"\{%-?\s*raw\s+([A-Za-z_]\w*)([^{}]*?)(?:-?%\}|(?=[{}])|\Z)")
_OFF = deferred(r"\{%-?\s*autoescape\s+(?:false|off)\s*-?%\}(.*?)(?:\{%-?\s*endautoescape|\Z)",
                  re.DOTALL)
# A template another renders with the same context: `{% include "row.html" %}`, `{% extends
# "base.html" %}` (Jinja and Django); a macro `{% import %}` gets its own arguments instead
_INCLUDE = deferred(r"""\{%-?\s*(?:include|extends)\s+(["'])([\w][\w./-]{0,200})\1""")
MAX_CHAIN = 8  # templates one render reads: the file, what it includes and extends, theirs
# Flask turns Jinja's autoescape on for these extensions only (flask.Flask.select_jinja_autoescape)
FLASK_ESCAPED = (".html", ".htm", ".xml", ".xhtml", ".svg")


@attrs_classes.frozen
class Print:
    line: int  # 0-based, in the template
    col: int
    end_col: int
    text: str  # the print as written, `{{ name|safe }}`, its control characters escaped


@attrs_classes.frozen
class Template:
    path: str
    unescaped: dict[str, Print]  # `|safe`, or inside an autoescape-off block: first print of each
    printed: dict[str, Print]  # every print: first print of each name
    includes: tuple[str, ...] = ()  # the templates it includes or extends, by name
    macros: Macros = NO_MACROS  # those it defines, imports and calls (template_macros.py)

    def unescaped_by_flask(self) -> dict[str, Print]:
        """What Flask renders unescaped: every print of a template whose extension it does not
        escape."""
        return self.unescaped if self.path.lower().endswith(FLASK_ESCAPED) else self.printed


def parse_template(path: str, text: str) -> Template:
    unescaped: dict[str, Print] = {}
    printed: dict[str, Print] = {}
    off = [(m.start(1), m.end(1)) for m in _OFF().finditer(text)]  # in order, not overlapping
    off_starts = [start for start, _ in off]
    starts = _line_starts(text)
    prints = []  # (start, name, where, unescaped), for the macros
    for match in _PRINT().finditer(text):
        name, where = match.group(1), _print_at(match, starts, len(text))
        printed.setdefault(name, where)
        block = bisect.bisect_right(off_starts, match.start()) - 1
        raw = bool(_SAFE().search(match.group(2))) or block >= 0 and match.start() < off[block][1]
        if raw:
            unescaped.setdefault(name, where)
        prints.append((match.start(), name, where, raw))
    for match in (*_RAW().finditer(text), *_BANG().finditer(text)):
        name, where = match.group(1), _print_at(match, starts, len(text))
        printed.setdefault(name, where)
        unescaped.setdefault(name, where)
    includes = tuple(dict.fromkeys(m.group(2) for m in _INCLUDE().finditer(text)
                                   if ".." not in m.group(2).split("/")))[:MAX_CHAIN]
    return Template(path, unescaped, printed, includes, parse_macros(text, prints))


def _print_at(match: re.Match[str], starts: list[int], size: int) -> Print:
    """Where a print is, and its text (over lines: its first)."""
    line = bisect.bisect_right(starts, match.start()) - 1
    line_end = starts[line + 1] - 1 if line + 1 < len(starts) else size
    return Print(line, match.start() - starts[line], min(match.end(), line_end) - starts[line],
                 visible(" ".join(match.group(0).split())[:120]))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts

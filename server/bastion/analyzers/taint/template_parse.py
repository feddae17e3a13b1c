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
# Bottle's SimpleTemplate renders another file with the context and the keywords given, a line of
# Python: `% include('row', item=post)`, `% rebase('base', title=title)`
_STPL_INCLUDE = deferred(r"""^[ \t]*%[ \t]*(include|rebase)\([ \t]*(["'])([\w][\w./-]{0,200})\2"""
                         r"([^\n]{0,500})\)[ \t]*$", re.MULTILINE)
_KEYWORD = deferred(r"([A-Za-z_]\w*)\s*=\s*([^,]*)")
_LEADING_NAME = deferred(r"\s*([A-Za-z_]\w*)")
# Jinja's escaping filters: what an environment without autoescape (Bottle's `jinja2_template`)
# prints escaped
_ESCAPED = deferred(r"\|\s*(?:e|escape|forceescape)\b")
# Tornado's `{% raw json_encode(name) %}`: `tornado.escape.json_encode` is `json.dumps` with `</`
# written `<\/`, so in a `<script>` block the value stays a JSON literal (no `</script>` ends the
# block); elsewhere its `<`, `>` are the page's markup
_JSON_ENCODED = deferred(r"\s*\(\s*([A-Za-z_]\w*)\s*\)")
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
    bare: dict[str, Print] = {}  # every print but those through `|e`: first print of each name
    # by the name of a file it includes with keywords (Bottle's `% include('row', item=post)`):
    # each keyword with the name of this template's context it holds (None: none, `title='Hi'`)
    renames: dict[str, tuple[tuple[str, str | None], ...]] = {}

    def unescaped_by_flask(self) -> dict[str, Print]:
        """What Flask renders unescaped: every print but through `|e` of a template whose
        extension it does not escape."""
        return self.unescaped if self.path.lower().endswith(FLASK_ESCAPED) else self.bare

    def renamed(self, names: dict[str, str | None]) -> Template:
        """This template's prints named as the context of the render holds them: each name of
        `names` as the name it maps to (None: no value of the context)."""
        def mapped(prints: dict[str, Print]) -> dict[str, Print]:
            out: dict[str, Print] = {}
            for name, where in prints.items():
                outer = names.get(name, name)
                if outer is not None:
                    out.setdefault(outer, where)
            return out

        return Template(self.path, mapped(self.unescaped), mapped(self.printed), self.includes,
                        self.macros, mapped(self.bare), self.renames)


def parse_template(path: str, text: str) -> Template:
    unescaped: dict[str, Print] = {}
    printed: dict[str, Print] = {}
    bare: dict[str, Print] = {}
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
        if not _ESCAPED().search(match.group(2)):
            bare.setdefault(name, where)
        prints.append((match.start(), name, where, raw))
    lowered = None
    for match in (*_RAW().finditer(text), *_BANG().finditer(text)):
        name, where = match.group(1), _print_at(match, starts, len(text))
        encoded = _JSON_ENCODED().match(match.group(2)) if name == "json_encode" else None
        if encoded is not None:
            name = encoded.group(1)
            lowered = text.lower() if lowered is None else lowered
            if lowered.rfind("<script", 0, match.start()) > lowered.rfind("</script", 0, match.start()):
                printed.setdefault(name, where)
                continue  # JSON in a script block: a string literal, its `</` escaped
        printed.setdefault(name, where)
        unescaped.setdefault(name, where)
        bare.setdefault(name, where)
    renames = _stpl_includes(text) if "%" in text else {}
    names = (*(m.group(2) for m in _INCLUDE().finditer(text)), *renames)
    includes = tuple(dict.fromkeys(n for n in names if ".." not in n.split("/")))[:MAX_CHAIN]
    return Template(path, unescaped, printed, includes, parse_macros(text, prints), bare, renames)


def _stpl_includes(text: str) -> dict[str, tuple[tuple[str, str | None], ...]]:
    """The files a SimpleTemplate includes or rebases on, each with its keywords and the name of
    the context each holds (a value starting with a name, `item=post`, `n=post.title`; None for
    a literal). Bottle hands a rebased file its caller's output as `base`."""
    found: dict[str, tuple[tuple[str, str | None], ...]] = {}
    for match in _STPL_INCLUDE().finditer(text):
        given: dict[str, str | None] = {"base": None} if match.group(1) == "rebase" else {}
        for keyword in _KEYWORD().finditer(match.group(4)):
            leading = _LEADING_NAME().match(keyword.group(2))
            held = leading.group(1) if leading else None
            given[keyword.group(1)] = None if held in ("True", "False", "None") else held
        found.setdefault(match.group(3), tuple(given.items()))
    return found


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

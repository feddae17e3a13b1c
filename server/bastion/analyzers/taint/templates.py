"""Jinja2 used directly: whether what a template renders is escaped for HTML. `Template(...)`
and `Environment(...)` escape only with `autoescape` on (a true constant, or a value such as
`select_autoescape()`, which escapes templates made from strings); their objects get a kind that
says so, which the templates they make keep, and their `render` is clean for HTML. A view
returning an unescaped render is an HTML response (statements.py)."""

from __future__ import annotations

import re

from bastion.analyzers.taint.domain import EVERY_CLASS, UNKNOWN, Value, join_all

_JINJA = {"jinja2.Template": "jinja2.Template", "jinja2.environment.Template": "jinja2.Template",
          "jinja2.Environment": "jinja2.Environment",
          "jinja2.environment.Environment": "jinja2.Environment"}
# What an unescaped render returns: text a view may send as HTML.
UNESCAPED_RENDERS = frozenset({"jinja2.Template().render()",
                               "jinja2.Environment().from_string().render()",
                               "jinja2.Environment().get_template().render()"})


# Flask renders a template string with autoescape on; these names are rendered unescaped
# anyway: `{{ name|safe }}` (the first name of the expression), and every `{{ name }}` inside
# `{% autoescape false %}`.
STRING_RENDERS = frozenset({"flask.render_template_string", "flask.templating.render_template_string"})
_SAFE_FILTER = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)[^{}]*?\|\s*safe\b")
_UNESCAPED_BLOCK = re.compile(r"\{%-?\s*autoescape\s+false\s*-?%\}(.*?)(?:\{%-?\s*endautoescape|\Z)",
                              re.DOTALL)
_PRINTED = re.compile(r"\{\{-?\s*([A-Za-z_]\w*)")


def unescaped_names(template: str) -> set[str]:
    """The variables a Flask template string prints without escaping."""
    names = set(_SAFE_FILTER.findall(template))
    for block in _UNESCAPED_BLOCK.findall(template):
        names.update(_PRINTED.findall(block))
    return names


def jinja_object(name: str | None, keywords: dict[str | None, Value],
                 inputs: list[Value]) -> Value | None:
    """The object `Template(...)` / `Environment(...)` makes, or None for any other call (and
    for a template built from request data, which the template sink reports)."""
    base = _JINJA.get(name) if name else None
    if base is None or any(v.tainted for v in inputs):
        return None
    flag = keywords.get("autoescape")
    escaping = flag is not None and (flag.const is UNKNOWN or bool(flag.const))
    return Value(clean=EVERY_CLASS, kind=f"{base}(autoescape)()" if escaping else f"{base}()")


def escaped_render(receiver: Value | None, method: str | None, inputs: list[Value]) -> Value | None:
    """A template of an escaping object: `from_string` / `get_template` keep the escaping kind,
    `render` returns its data clean for HTML. None for anything else."""
    kind = receiver.kind if receiver is not None else None
    if not kind or not kind.startswith(("jinja2.Template(autoescape)", "jinja2.Environment(autoescape)")):
        return None
    if method in ("from_string", "get_template") and not any(v.tainted for v in inputs):
        return Value(clean=EVERY_CLASS, kind=f"{kind}.{method}()")
    if method in ("render", "render_async"):
        out = join_all(inputs)
        return out.evolve(clean=out.clean | {"html"})
    return None

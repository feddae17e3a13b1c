"""Jinja2 used directly: whether what a template renders is escaped for HTML. `Template(...)`
and `Environment(...)` escape only with `autoescape` on (a true constant, or a value such as
`select_autoescape()`, which escapes templates made from strings); their objects get a kind that
says so, which the templates they make keep, and their `render` is clean for HTML. A view
returning an unescaped render is an HTML response (statements.py). Tornado's
`template.Template(source)` escapes unless told not to, and its `generate` is then clean too.

A template file a view renders with a context (`render_template("hello.html", name=q)`) is a sink
for the variables the file prints unescaped (template_files.py reads the files)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion import attrs_classes
from bastion.analyzers.taint.domain import ANY, EVERY_CLASS, UNKNOWN, Step, Value, join_all
from bastion.analyzers.taint.template_parse import parse_template
from bastion.deferred_patterns import deferred

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator
    from bastion.analyzers.taint.template_parse import Template

_JINJA = {"jinja2.Template": "jinja2.Template", "jinja2.environment.Template": "jinja2.Template",
          "jinja2.Environment": "jinja2.Environment",
          "jinja2.environment.Environment": "jinja2.Environment"}
_TORNADO = "tornado.template.Template"
# What turns Tornado's escaping off in a template's text: `{% autoescape None %}` (any
# `autoescape` directive: its function is not known here), and `{% raw x %}`, printed as it is
_TORNADO_UNESCAPED = deferred(r"\{%-?\s*(?:raw|autoescape)\b")
# The calls jinja_object, tornado_template and escaped_render answer (calls.py runs them for
# these alone)
JINJA_NAMES = frozenset({*_JINJA, _TORNADO})
RENDER_METHODS = frozenset({"from_string", "get_template", "render", "render_async", "generate"})
# What an unescaped render returns: text a view may send as HTML.
UNESCAPED_RENDERS = frozenset({"jinja2.Template().render()",
                               "jinja2.Environment().from_string().render()",
                               "jinja2.Environment().get_template().render()"})


# Flask renders a template string with autoescape on; these names are rendered unescaped
# anyway: `{{ name|safe }}` (the first name of the expression), and every `{{ name }}` inside
# `{% autoescape false %}` (template_files.parse_template, which reads template files too).
# Bottle's `template(source, **values)` (a source is a name holding `{`, `%`, `$` or a line
# break) escapes `{{ name }}`; `{{!name}}` prints the value as it is. Its `jinja2_template`
# escapes only `{{ name|e }}`.
STRING_RENDERS = frozenset({"flask.render_template_string", "flask.templating.render_template_string",
                            "bottle.template", "bottle.jinja2_template"})
_BOTTLE_RAW = deferred(r"\{\{\s*!\s*([A-Za-z_]\w*)")


def unescaped_names(template: str) -> set[str]:
    """The variables a Flask template string prints without escaping."""
    return set(parse_template("", template).unescaped)


def printed_raw(render: str | None, args: list[Value], keywords: dict[str | None, Value]) -> list[Value]:
    """The values of request data a constant template string given to `render` (one of
    STRING_RENDERS) prints without escaping (`{{ q|safe }}`, Bottle's `{{!q}}`): the page holds
    them as they are."""
    if render not in STRING_RENDERS or not args or not isinstance(args[0].const, str) \
            or len(args[0].const) >= 100_000:
        return []
    source = args[0].const
    if render == "bottle.template":
        names = set(_BOTTLE_RAW().findall(source))
    elif render == "bottle.jinja2_template":
        names = set(parse_template("", source).bare)
    else:
        names = unescaped_names(source)
    printed = [keywords[n] for n in names if n in keywords]
    return printed if any(v.tainted for v in printed) else []


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


def tornado_template(name: str | None, args: list[Value], keywords: dict[str | None, Value]) -> Value | None:
    """The object Tornado's `Template(source)` makes from a constant text that escapes what it
    prints (`autoescape` left to its default, `xhtml_escape`, and no directive in the text
    turning it off); None for any other call."""
    if name != _TORNADO or not args or not isinstance(args[0].const, str) \
            or _TORNADO_UNESCAPED().search(args[0].const):
        return None
    flag = keywords.get("autoescape")
    if flag is not None and (flag.const is UNKNOWN or not flag.const):
        return None  # `autoescape=None` prints as is; another function, not known here
    return Value(clean=EVERY_CLASS, kind=f"{_TORNADO}(autoescape)()")


def module_jinja_kind(called: str, call: ast.Call) -> str:
    """The kind of a module-level `Template(...)` / `Environment(...)` (`env = Environment(
    loader=..., autoescape=True)`, used by the views): escaping as `jinja_object` says, from the
    syntax alone (a constant, or a value such as `select_autoescape()`)."""
    base = _JINJA.get(called)
    flag = next((k.value for k in call.keywords if k.arg == "autoescape"), None)
    if base is None or flag is None or isinstance(flag, ast.Constant) and not flag.value:
        return called + "()"
    return f"{base}(autoescape)()"


def escaped_render(receiver: Value | None, method: str | None, inputs: list[Value]) -> Value | None:
    """A template of an escaping object: `from_string` / `get_template` keep the escaping kind,
    `render` returns its data clean for HTML. None for anything else."""
    kind = receiver.kind if receiver is not None else None
    if not kind or not kind.startswith(("jinja2.Template(autoescape)", "jinja2.Environment(autoescape)",
                                        f"{_TORNADO}(autoescape)")):
        return None
    if method in ("from_string", "get_template") and not any(v.tainted for v in inputs):
        return Value(clean=EVERY_CLASS, kind=f"{kind}.{method}()")
    if method in ("render", "render_async", "generate"):
        out = join_all(inputs)
        return out.evolve(clean=out.clean | {"html"})
    return None


# Sink models of a template file rendered with a context (template_files.py): Flask escapes by
# the file's extension; Django, Starlette's Jinja2Templates and aiohttp_jinja2 always (but
# `|safe` and autoescape-off blocks); Bottle's `jinja2_template` never (its Jinja2Template makes
# an `Environment` without `autoescape`): only `|e` escapes, unless `template_settings` says
# otherwise.
TEMPLATE_FILE_MODELS = frozenset({"template_file", "escaped_template_file", "unescaped_template_file"})
# A decorator rendering a template file with what the view returns (template_views.py), with the
# template-file model its render is judged by: the decorator's call itself is no sink
TEMPLATE_VIEW_MODELS = {"escaped_template_view": "escaped_template_file",
                        "unescaped_template_view": "unescaped_template_file"}
_NAME_KEYWORDS = ("name", "template_name")


def template_file_value(ev: Evaluator, model: str, positions: tuple[int, ...] | None,
                        args: list[Value], keywords: dict[str | None, Value]) -> Value | None:
    """A render of a template file the module found (`render_template("hello.html", name=q)`):
    the context values the file prints unescaped, each with a step at its print; None when the
    file is not known. The file is named by the first of `positions` holding a string (or a
    `name` keyword); its context is the other keywords, `**context`, `context=` and the
    dictionaries after the name."""
    named = template_named(ev, positions, args, keywords)
    if named is None:
        return None
    context: dict[object, Value] = {k: v for k, v in keywords.items()
                                    if k not in (None, "context", "request", "template_settings",
                                                 named.keyword)}
    for given in (keywords.get(None), keywords.get("context"), *args[named.context_from:]):
        if given is not None and given.items is not None:  # a dictionary
            context.update(given.items)
        elif given is not None and given.taint and given.kind is None:
            context[ANY] = given  # a context not known key by key
    found, reported = [], set()
    if model == "unescaped_template_file" and _escaping(keywords.get("template_settings")):
        model = "escaped_template_file"
    for template in named.templates:  # the file first, then what it includes or extends
        prints = template.unescaped_by_flask() if model == "template_file" else \
            template.bare if model == "unescaped_template_file" else template.unescaped
        for name, where in prints.items():
            value = context.get(name) or context.get(ANY)
            if name not in reported and value is not None and value.tainted:
                reported.add(name)
                step = Step(where.line, where.col, where.line, where.end_col,
                            f"printed unescaped: `{where.text}`", template.path)
                found.append(value.flat().with_step(step))
    return join_all(found) if found else Value(clean=EVERY_CLASS)


def _escaping(settings: Value | None) -> bool:
    """Whether Bottle's `template_settings={"autoescape": ...}` may turn Jinja's escaping on."""
    if settings is None:
        return False
    if settings.items is None:
        return True  # settings not known key by key
    flag = settings.items.get("autoescape")
    return flag is not None and (flag.const is UNKNOWN or bool(flag.const))


@attrs_classes.frozen
class NamedTemplate:
    """A template file a render names: its name as written, and where the context starts."""

    name: str
    templates: tuple[Template, ...]  # the file, then those it includes or extends
    keyword: str | None  # the keyword that named it (`name=`), None for a position
    context_from: int  # the first position after the name


def template_named(ev: Evaluator, positions: tuple[int, ...] | None, args: list[Value],
                   keywords: dict[str | None, Value]) -> NamedTemplate | None:
    """The template file a render names: by the first of `positions` holding a string, else
    a `name` keyword; None when the module found no such file."""
    for at in positions or (0,):
        if at < len(args) and isinstance(args[at].const, str):
            template = ev.module.templates.get(args[at].const)
            return NamedTemplate(args[at].const, template, None, at + 1) if template else None
    for keyword in _NAME_KEYWORDS:
        given = keywords.get(keyword)
        if given is not None and isinstance(given.const, str):
            template = ev.module.templates.get(given.const)
            return NamedTemplate(given.const, template, keyword, len(args)) if template else None
    return None

"""A view whose decorator renders a template file with what the view returns: aiohttp_jinja2's
`@aiohttp_jinja2.template("page.html")` hands the returned dict to `render_template` as the
context (its `setup()` makes an environment with `autoescape=True` unless told otherwise, so a
variable is markup only where the file prints it with `|safe` or in an autoescape-off block);
Bottle's `@view("hello")` hands a returned dict to `template` (`{{!name}}` unescaped), with the
decorator's keywords: `@jinja2_view(..., template_settings={"autoescape": True})` escapes.
The models name the decorator as a sink of the `*_template_view` models, with the position of
the template's name; the returned value is checked as the render's context would be
(templates.template_file_value). Asked by statements.py for each `return` of a decorated
function; no state."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import Value
from bastion.analyzers.taint.results import Hit
from bastion.analyzers.taint.templates import TEMPLATE_VIEW_MODELS, template_file_value, template_named
from bastion.analyzers.taint.upstream import upstream_line

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

def template_view_hits(ev: Evaluator, node: ast.Return, returned: Value) -> None:
    """The hits of `returned`, the context a template decorator of the function renders."""
    for decorator in ev.function.node.decorator_list:
        if type(decorator) is not ast.Call:
            continue
        for sink in ev.models.sinks.by_name(ev.qualname(decorator.func)):
            model = TEMPLATE_VIEW_MODELS.get(sink.model)
            if model is None:
                continue
            args = [Value(const=a.value) if isinstance(a, ast.Constant) else Value() for a in decorator.args]
            context = {"context": returned}
            for keyword in decorator.keywords:  # Bottle's view hands its keywords to `template`
                if keyword.arg == "template_settings":
                    context["template_settings"] = ev.eval(keyword.value)
            value = template_file_value(ev, model, sink.args, args, context)
            if value is None or not value.taint or sink.sink_class in value.clean \
                    or upstream_line(value, sink.sink_class) is not None:
                continue
            named = template_named(ev, sink.args, args, context)
            ev.hits.append(Hit(sink.sink_class, f"the template `{named.name}`, which prints it unescaped",
                               node.value, node, value))

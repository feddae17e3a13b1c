"""B308/B703: `mark_safe(f"<b>{name}</b>")` -> `format_html("<b>{}</b>", name)`: the markup stays
trusted, the interpolated values are escaped."""

from __future__ import annotations

import libcst as cst

from bastion.fixes.base import REVIEW, Rewrite, recipe
from bastion.fixes.target import Target

MARK_SAFE = ("django.utils.safestring.mark_safe", "django.utils.html.mark_safe")
FORMAT_HTML = "from django.utils.html import format_html"


def _template(node: cst.FormattedString) -> tuple[str, list[cst.BaseExpression]] | None:
    """The str.format template and the values of an f-string (f-string and str.format escape
    braces the same way, `{{`/`}}`, so text parts are copied as written)."""
    body, values = "", []
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            body += part.value
            continue
        spec = ""
        if part.format_spec is not None:
            if not all(isinstance(p, cst.FormattedStringText) for p in part.format_spec):
                return None  # a computed format spec
            spec = ":" + "".join(p.value for p in part.format_spec)
        conversion = f"!{part.conversion}" if part.conversion else ""
        if part.equal is not None:
            return None  # f"{x=}" also prints the expression
        body += "{" + conversion + spec + "}"
        values.append(part.expression)
    return (body, values) if values else None


@recipe("B308", "B703")
def format_html_instead_of_mark_safe(t: Target):
    call = t.at_finding(cst.Call)
    if not isinstance(call, cst.Call) or t.call_qualname(call) not in MARK_SAFE:
        return None
    if len(call.args) != 1 or call.args[0].keyword or call.args[0].star:
        return None
    value = call.args[0].value
    if not isinstance(value, cst.FormattedString) or value.lpar:
        return None
    made = _template(value)
    if made is None:
        return None
    body, values = made
    prefix = value.prefix.replace("f", "").replace("F", "")
    quote = value.end
    template = cst.SimpleString(f"{prefix}{value.start[len(value.prefix):]}{body}{quote}")
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    args = [cst.Arg(template, comma=comma)] + [cst.Arg(v, comma=comma) for v in values]
    args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    bound = t.aliases.get("format_html")
    if bound not in (None, "django.utils.html.format_html"):
        return None
    new = cst.Call(func=cst.Name("format_html"), args=args, lpar=call.lpar, rpar=call.rpar)
    return Rewrite("format-html", "build the HTML with format_html (escapes the values)", REVIEW,
                   t.replace(call, new), imports=(FORMAT_HTML,) if bound is None else (),
                   note="values that contained markup are now shown escaped: check whether any "
                        "value is trusted HTML (wrap it in mark_safe on its own)",
                   check="values that are trusted HTML")

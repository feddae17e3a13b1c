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


def _escaped(t: Target, value: cst.BaseExpression) -> cst.BaseExpression:
    escape = cst.Attribute(cst.Name(t.module_name("html")), cst.Name("escape"))
    return cst.Call(func=escape, args=[cst.Arg(value)])


def _is_escape(t: Target, node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and t.call_qualname(node) in (
        "html.escape", "markupsafe.escape", "django.utils.html.escape")


def _escape_values(t: Target, node: cst.BaseExpression) -> cst.BaseExpression | None:
    """The HTML built by an f-string, `+` or `%` with each interpolated value escaped; None for
    any other expression, or when there is nothing left to escape."""
    if isinstance(node, cst.FormattedString):
        parts, changed = [], False
        for part in node.parts:
            if isinstance(part, cst.FormattedStringExpression):
                if part.conversion or part.format_spec or part.equal:
                    return None  # `{x!r}`, `{n:>5}`: the value is formatted first
                if not _is_escape(t, part.expression):
                    part = part.with_changes(expression=_escaped(t, part.expression))
                    changed = True
            parts.append(part)
        return node.with_changes(parts=parts) if changed else None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left = node.left if isinstance(node.left, (cst.SimpleString, cst.BinaryOperation)) \
            or _is_escape(t, node.left) else _escaped(t, node.left)
        if isinstance(left, cst.BinaryOperation):
            left = _escape_values(t, left) or left
        right = node.right if isinstance(node.right, cst.SimpleString) or _is_escape(t, node.right) \
            else _escaped(t, node.right)
        new = node.with_changes(left=left, right=right)
        return new if not new.deep_equals(node) else None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo) \
            and isinstance(node.left, cst.SimpleString):
        right = node.right
        if isinstance(right, cst.Tuple):
            if any(not isinstance(e, cst.Element) for e in right.elements):
                return None
            right = right.with_changes(elements=[
                e if _is_escape(t, e.value) else e.with_changes(value=_escaped(t, e.value))
                for e in right.elements])
        elif isinstance(right, cst.Dict) or _is_escape(t, right):
            return None
        else:
            right = _escaped(t, right)
        return node.with_changes(right=right)
    return None


@recipe("BST203")
def escape_request_values(t: Target):
    """`make_response("<h1>" + name + "</h1>")`, `return f"<p>{q}</p>"` -> each value in the
    HTML escaped with `html.escape`."""
    node = t.at_finding(cst.BaseExpression)
    if isinstance(node, cst.Call):  # a response built from the HTML: its first argument
        args = [a for a in node.args if not a.keyword and not a.star]
        node = args[0].value if args else None
    if node is None:
        return None
    new = _escape_values(t, node)
    if new is None:
        return None
    return Rewrite("escape", "escape the values put into the HTML with html.escape", REVIEW,
                   t.replace(node, new), imports=("html",),
                   note="each value is escaped for HTML text and quoted attributes: check that "
                        "none was meant to be markup, and that each is a string (html.escape "
                        "raises for a number: wrap it in str())",
                   check="no value was meant to be markup")

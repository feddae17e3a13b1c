"""B608 and BST204: a query built with `%`, an f-string or `+` in the `execute` call becomes a
parameterised query, when every interpolated value sits where SQL expects a value (`= {x}`,
`VALUES ({a}, {b})`, `LIMIT {n}`), never where it names a table or column, and the driver's
placeholder style is known from the imports (`sqlite3` uses `?`; psycopg, PyMySQL, MySQLdb and
Django's cursor use `%s`)."""

from __future__ import annotations

import re

import libcst as cst

from bastion.fixes.base import REVIEW, Rewrite, recipe
from bastion.fixes.target import Target, positional

# Django's cursor takes `%s` whatever the database ("Executing custom SQL directly").
DRIVERS = {"sqlite3": "?", "psycopg2": "%s", "psycopg": "%s", "pymysql": "%s", "MySQLdb": "%s",
           "mysql.connector": "%s", "django.db": "%s"}
_VALUE_BEFORE = re.compile(r"(=|<|>|<=|>=|<>|!=|,|\(|\bLIKE|\bLIMIT|\bOFFSET|\bBETWEEN|\bAND"
                           r"|\bVALUES\s*\()\s*$", re.I)
_IN_LIST = re.compile(r"\bIN\s*\(\s*$", re.I)
_VALUE_AFTER = re.compile(r"^\s*($|[,);]|\s)")
_PERCENT = re.compile(r"%(%|[sdifr])")


def paramstyle(t: Target) -> str | None:
    found = {style for module, style in DRIVERS.items()
             if module in t.imports or any(i.startswith(module + ".") for i in t.imports)}
    return found.pop() if len(found) == 1 else None


def _query_of(call: cst.CSTNode | None) -> cst.BaseExpression | None:
    """The query of `x.execute(query)` called with that one argument."""
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == "execute" and len(call.args) == 1):
        return None
    args = positional(call)
    return args[0].value if args else None


def _pieces_from_percent(op: cst.BinaryOperation) -> tuple[list[str], list] | None:
    """Literal SQL pieces around each `%s`, and the values: `"a=%s" % x`."""
    if not isinstance(op.left, cst.SimpleString) or "b" in op.left.prefix.lower():
        return None
    text = op.left.evaluated_value
    pieces, last = [], 0
    count = 0
    for match in _PERCENT.finditer(text):
        if match.group(1) == "%":
            continue
        if match.group(1) == "r":
            return None
        pieces.append(text[last:match.start()])
        last = match.end()
        count += 1
    pieces.append(text[last:])
    pieces = [p.replace("%%", "%") for p in pieces]
    right = op.right
    if isinstance(right, cst.Tuple) and not any(isinstance(e, cst.StarredElement)
                                                for e in right.elements):
        values = [e.value for e in right.elements]
    elif count == 1 and not isinstance(right, (cst.Tuple, cst.Dict, cst.DictComp)):
        values = [right]
    else:
        return None
    return (pieces, values) if len(values) == count and count else None


def _pieces_from_concat(op: cst.BinaryOperation) -> tuple[list[str], list] | None:
    """`"a = '" + x + "'"`: literal pieces between the values, each value a single operand."""
    operands: list[cst.BaseExpression] = []

    def flatten(node: cst.BaseExpression) -> None:
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add) \
                and not node.lpar:
            flatten(node.left)
            flatten(node.right)
        else:
            operands.append(node)
    flatten(op)
    pieces, values, current, literal_last = [], [], "", True
    for operand in operands:
        if isinstance(operand, cst.SimpleString):
            if "b" in operand.prefix.lower() or not isinstance(operand.evaluated_value, str):
                return None
            current += operand.evaluated_value
            literal_last = True
        elif literal_last:
            pieces.append(current)
            values.append(operand)
            current, literal_last = "", False
        else:
            return None  # two values side by side: not one SQL value each
    pieces.append(current)
    return (pieces, values) if values and isinstance(operands[0], cst.SimpleString) else None


def _query_pieces(node: cst.BaseExpression) -> tuple[list[str], list] | None:
    if isinstance(node, cst.FormattedString):
        return _pieces_from_fstring(node)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Modulo):
        return _pieces_from_percent(node)
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return _pieces_from_concat(node)
    return None


def _leftmost(node: cst.BaseExpression) -> cst.BaseExpression:
    while isinstance(node, cst.BinaryOperation):
        node = node.left
    return node


def _pieces_from_fstring(node: cst.FormattedString) -> tuple[list[str], list] | None:
    if "b" in node.prefix.lower() or "r" in node.prefix.lower():
        return None
    pieces, values, current = [], [], ""
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            if "\\" in part.value:
                return None
            current += part.value.replace("{{", "{").replace("}}", "}")
        else:
            if part.conversion is not None or part.format_spec is not None:
                return None
            pieces.append(current)
            values.append(part.expression)
            current = ""
    pieces.append(current)
    return (pieces, values) if values else None


def parameterise(pieces: list[str], style: str) -> str | None:
    """Join the literal pieces with placeholders, or None when a value is not in a value spot."""
    pieces = list(pieces)
    for index in range(len(pieces) - 1):
        before, after = pieces[index], pieces[index + 1]
        if before.endswith("'") and after.startswith("'"):
            before, after = before[:-1], after[1:]  # '{name}' was a quoted SQL literal
        elif before.endswith(("'", '"')) or after.startswith(("'", '"')):
            return None
        if _IN_LIST.search(before) or not _VALUE_BEFORE.search(before) or \
                not _VALUE_AFTER.match(after):
            return None
        pieces[index], pieces[index + 1] = before, after
    if style == "%s":
        pieces = [p.replace("%", "%%") for p in pieces]
    return style.join(pieces)


@recipe("B608", "BST204")
def query_parameters(t: Target):
    """`cur.execute("... id = %s" % uid)` -> `cur.execute("... id = ?", (uid,))`."""
    style = paramstyle(t)
    if style is None:
        return None
    if t.finding.rule_id == "BST204":  # the finding is the execute call
        call = t.at_finding(cst.Call)
    else:  # B608: the finding is the query's first string
        node = t.at_finding((cst.SimpleString, cst.FormattedString))
        call = next((c for c in t.nodes(cst.Call)
                     if (q := _query_of(c)) is not None and _leftmost(q) is node), None)
    query = _query_of(call)
    made = _query_pieces(query) if query is not None else None
    if call is None or made is None:
        return None
    pieces, values = made
    sql = parameterise(pieces, style)
    if sql is None:
        return None
    quote = '"' if '"' not in sql else "'"
    if quote in sql or "\\" in sql or "\n" in sql:
        return None
    elements = [cst.Element(v, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                for v in values]
    elements[-1] = elements[-1].with_changes(
        comma=cst.Comma() if len(elements) == 1 else cst.MaybeSentinel.DEFAULT)
    params = cst.Tuple(elements)
    first = call.args[0].with_changes(value=cst.SimpleString(f"{quote}{sql}{quote}"),
                                      comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    new = call.with_changes(args=[first, cst.Arg(params)])
    return Rewrite("parameters", "pass the values as query parameters", REVIEW,
                   t.replace(call, new),
                   note="values are sent to the database as parameters: check the placeholder "
                        f"style ({style}) matches the driver, and that no value was meant to be "
                        "SQL (a sort order, a column list)",
                   check=f"the {style} placeholders suit the driver")

"""Whether a module's container name (a list, dict or set bound at module level) may be changed
in place, for bindings.py's constants: an item stored or deleted through the name, a method
called on it that is not known to only read it, or the name handed to a call or bound to another
name. It is looked for in the module's text, around each occurrence of the name (a few container
constants per module, each a search of the text; walking every function's tree would cost a third
of the parse), and counted when in doubt (an occurrence in a string or comment counts too).
Without the text, a statement's tree is walked (`changed_in_tree`).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.nodes import nodes
from bastion.analyzers.taint.readers import READERS, READING_METHODS
from bastion.deferred_patterns import deferred

# no aliases: its `qualname` spells a callee as the text writes it (`json.dumps`)
_AS_WRITTEN = Env({}, frozenset())
# After `NAME`: a method call, an item (its bracket is matched by hand), or anything else.
_METHOD = re.compile(r"\s*\.\s*(\w+)\s*\(")
_ITEM = re.compile(r"\s*\[")
_ATTRIBUTE = re.compile(r"\s*\.\s*\w+")
_COMMA = re.compile(r"\s*,")
_STORED = re.compile(r"\s*(?:=(?!=)|[-+*/%&|^@]=|//=|\*\*=|>>=|<<=)")
# ... or the line's end: `return host in ALLOWED` (the last line of the text or not)
_READ_AFTER = re.compile(r"\s*(?:\.\s*\w+(?!\s*\()|[)\]}:]|==|!=|\bin\b|\bnot\b|\bif\b|\bfor\b"
                         r"|\belse\b|\band\b|\bor\b|(?m:$))")
_BEFORE_DEL = re.compile(r"\bdel\s*$")
# `NAME + [x]`, `NAME | {x}`, `NAME & OTHER`, `NAME - {x}`: a new vector or set of its elements
_ADDED_TO = re.compile(r"\s*[-+|&^](?!=)")
# `y or NAME`, `a if c else NAME`: the operand may be the expression's value
_VALUE_OPERATORS = ("or", "and", "else")
_STATEMENT_VALUE = deferred(r"\s*(?:return|yield)\b")  # `return k or NAME`
_RECEIVER = deferred(r"\w+(?:\s*\.\s*\w+)*\s*$")  # `self`, `Policy`, `app.policy` before `.NAME`
_BOUNDARY = re.compile(r"\b")  # matched at a position: the characters on both sides are read


class Span:
    """An occurrence's span, as `changed_at` reads a match (its `start()` and `end()`)."""

    def __init__(self, start: int, end: int) -> None:
        self._start, self._end = start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end


def name_occurrences(name: str, text: str) -> Iterator[Span]:
    """`name` as a whole name, not an attribute (`(?<![\\w.])name\\b`), as `re.finditer` finds
    them (never overlapping). Found by `str.find`, the boundary tested after: a pattern per name
    compiled is more than `re`'s cache holds on a large scan (0.1 ms each), and the look-behind
    leading a pattern kept `re` from searching for the name's letters first (4 ms per name on a
    230 KB module)."""
    size = len(name)
    position = text.find(name)
    while position != -1:
        end = position + size
        if _BOUNDARY.match(text, end) is None:
            position = text.find(name, position + 1)
            continue
        if not (position and (text[position - 1].isalnum() or text[position - 1] in "_.")):
            yield Span(position, end)
        position = text.find(name, end if size else end + 1)


def changed_in_text(name: str, text: str) -> bool:
    """Every occurrence of `name` but its own binding reads it (`NAME[key]`, `NAME.get(...)`,
    `x in NAME`, `len(NAME)`), or the container may change. Past a thousand occurrences it is
    taken as changed (the cost stays linear)."""
    return changed_at(name_occurrences(name, text), text, attribute=False)


def attribute_changed_in_text(name: str, text: str) -> bool:
    """As `changed_in_text` for a class attribute's container, every `.NAME` of the text (of
    whatever object: `self.ALLOWED.add(h)`, `x = Policy.ALLOWED`) read, never stored to."""
    pattern = re.compile(r"\.\s*" + re.escape(name) + r"\b")
    return changed_at(pattern.finditer(text), text, attribute=True)


def changed_at(occurrences: Iterator[re.Match | Span], text: str, attribute: bool) -> bool:
    for count, match in enumerate(occurrences):
        if count > 1000:
            return True
        start, end = match.start(), match.end()
        line_start = max(text.rfind("\n", 0, start) + 1, start - 200)
        line = text[line_start:start]
        if attribute:  # what precedes the object (`x = self`, `return Policy`) hands it on
            line = _RECEIVER().sub("", line)
        if _BEFORE_DEL.search(line):
            return True
        method = _METHOD.match(text, end)
        if method is not None:
            if method.group(1) not in READING_METHODS:
                return True
            continue
        if _ITEM.match(text, end):
            if _item_changed(text, end):
                return True
            continue
        if not attribute and not line.strip() and _STORED.match(text, end):
            continue  # its binding (`Bindings` counts how many)
        comma = _COMMA.match(text, end)
        before = _bracket_lines(text, line_start, line) if comma or line.rstrip().endswith((",", "=")) \
            or not line.strip() or _operator_before(line.rstrip()) else line
        if not attribute and (_spread(before) or _ADDED_TO.match(text, end)
                              or before.rstrip().endswith(("+", "|", "&"))
                              and not before.rstrip().endswith("++")):
            continue  # `[*NAME, x]`, `{**NAME, k: v}`, `f(*NAME, x)`, `NAME + [x]`: its elements copied
        # followed by a comma, only a reader's argument is read (`json.dumps(NAME, indent=2)`)
        read = _in_reader(before.rstrip()) if comma else _READ_AFTER.match(text, end)
        if not read or _handed_on(before.rstrip()):
            return True  # `fill(NAME)`, `alias = NAME`, `return NAME`, `[NAME]`
    return False


def _bracket_lines(text: str, line_start: int, line: str) -> str:
    """`line` (before a name on its line) and, when a bracket opened above holds the name
    (`json.dumps(\n    NAME,\n)`), the lines above too, read as one line is: within 200
    characters, comments cut, after any line with a quote (in doubt, `line` alone)."""
    if _open_bracket(line) is not None or "'" in line or '"' in line or text[line_start - 1:line_start] \
            not in ("", "\n"):  # a bracket of its own line, a quote, or a line cut at 200
        return line
    floor = max(line_start - 200, 0)
    above = text[floor:max(line_start - 1, floor)]
    quote = max(above.rfind("'"), above.rfind('"'))
    if quote >= 0 or floor and text[floor - 1] != "\n":  # from the line after a quote or a part line
        cut = above.find("\n", max(quote, 0))
        above = "" if cut < 0 else above[cut + 1:]
    if "#" in above:
        above = "\n".join(code.split("#", 1)[0] for code in above.split("\n"))
    joined = f"{above}\n{line}"
    return joined if _open_bracket(joined) is not None else line


def _in_reader(before: str) -> bool:  # the innermost bracket open at its end is a reader call's
    opened = _open_bracket(before)
    return opened is not None and before[opened] == "(" \
        and _reader(before[:opened + 1], later=bool(before[opened + 1:].strip()))


def _spread(before: str) -> bool:
    """Whether the name is unpacked into a display or a call: a `*` or `**` right after the
    opening bracket or a comma (not a product: `(2 * NAME`)."""
    stripped = before.rstrip()
    if not stripped.endswith("*"):
        return False
    return stripped.rstrip("*").rstrip().endswith(("[", "(", "{", ",")) \
        and len(stripped) - len(stripped.rstrip("*")) <= 2


def _handed_on(before: str) -> bool:
    """Whether what precedes the name passes it on: a call's argument (not of a reader such as
    `len(`, also after other arguments: `url_has_allowed_host_and_scheme(url, allowed_hosts=`),
    a value assigned, returned, or put in a display; also as an operand that may be the value of
    the expression holding it (`fill(x, y or NAME)`, `alias = a if c else NAME`)."""
    if _operator_before(before):
        return _operand_handed_on(before)
    if before.endswith("("):
        return not _reader(before)
    if before.endswith((",", "=")) and not before.endswith(("==", "!=", "<=", ">=")):
        opened = None if before.endswith(":=") else _open_bracket(before)  # `(alias := NAME`
        return opened is None or before[opened] != "(" or not _reader(before[:opened + 1], later=True)
    return before.endswith(("return", "yield", "[", "{", ":"))


def _operator_before(before: str) -> bool:
    """Whether `before` ends with the word `or`, `and` or `else`."""
    for word in _VALUE_OPERATORS:
        if before.endswith(word):
            previous = before[-len(word) - 1:-len(word)]
            return not (previous.isalnum() or previous in ("_", "."))
    return False


def _operand_handed_on(before: str) -> bool:
    """The name is an operand of `or` / `and` / a conditional expression, which may have it as
    its value: handed on as the whole expression is, by what precedes its first operand (the
    bracket, comma or assignment at its depth, `return`); in doubt (a quote) it is."""
    at = _open_bracket(before, stops=",:=")
    if at is None:
        return "'" in before or '"' in before or _STATEMENT_VALUE().match(before) is not None
    if before[at] == "(" and _spread(before[:at]):
        return False  # `f(*(k or NAME))` unpacks NAME's elements: copies
    return _handed_on(before[:at + 1])


def _reader(before: str, later: bool = False) -> bool:
    """Whether `before` ends with the opening bracket of a call of a reader. `later`: for an
    argument after the first, where `dict(a=NAME)` keeps the container itself as a value."""
    callee = re.search(r"([\w.]+)\s*\($", before)
    name = callee.group(1) if callee else ""
    if later and name in ("dict", "builtins.dict"):
        return False
    return name in READERS or name.rsplit(".", 1)[-1] in READING_METHODS


def _open_bracket(before: str, stops: str = "") -> int | None:
    """Where the innermost bracket left open at the end of `before` opens, or where the last of
    `stops` at its depth is (`=` alone, not in `==` / `<=`); None when a quote comes first (a
    bracket in a string is not one) or none is there."""
    depth = 0
    for index in range(len(before) - 1, -1, -1):
        char = before[index]
        if char in "'\"":
            return None
        if char in ")]}":
            depth += 1
        elif char in "([{":
            if depth == 0:
                return index
            depth -= 1
        elif depth == 0 and char in stops and (char != "=" or before[index - 1:index] not in "=!<>"
                                               and before[index + 1:index + 2] != "="):
            return index
    return None


def _item_changed(text: str, end: int) -> bool:
    """After `NAME`: `[key]`, then any more `[...]` or `.attr`, stored to or called with a
    method that is not a reader (`NAME[k][j] = v`, `NAME[k].append(v)`)."""
    position = end
    for _ in range(20):
        if _ITEM.match(text, position):
            close = _closing_bracket(text, text.index("[", position))
            if close is None:
                return True
            position = close + 1
            continue
        method = _METHOD.match(text, position)
        if method is not None:
            return method.group(1) not in READING_METHODS
        attribute = _ATTRIBUTE.match(text, position)
        if attribute is None:
            return _STORED.match(text, position) is not None
        position = attribute.end()
    return True


def _closing_bracket(text: str, start: int) -> int | None:
    depth = 0
    for index in range(start, min(len(text), start + 200)):
        char = text[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                return index
    return None


def changed_in_tree(node: ast.AST) -> frozenset[str]:
    """The names a statement may change in place (without the text: every node is walked)."""
    changed: set[str] = set()
    for child in nodes(node):
        if isinstance(child, (ast.Subscript, ast.Attribute)) and isinstance(
                child.ctx, (ast.Store, ast.Del)) and isinstance(child.value, ast.Name):
            changed.add(child.value.id)
        elif isinstance(child, ast.Call):
            func = child.func
            method = func.attr if isinstance(func, ast.Attribute) else None
            if method is not None and method not in READING_METHODS \
                    and isinstance(func.value, ast.Name):
                changed.add(func.value.id)
            reader = method in READING_METHODS or _AS_WRITTEN.qualname(func) in READERS
            if not reader:
                # `f(**NAME)` hands on a copy of its items, as `f(*NAME)` does
                for argument in [*child.args, *(k.value for k in child.keywords if k.arg is not None)]:
                    changed.update(_handed_names(argument))
        elif isinstance(child, ast.Assign):
            changed.update(_handed_names(child.value))
    return frozenset(changed)


def _handed_names(value: ast.expr) -> Iterator[str]:
    """The names a value hands on themselves: a name, an operand of `or` / `and` or a branch
    of a conditional expression (either may be the value), an element of a starred display
    (`*[k, NAME]`; `*NAME` hands on copies of its elements)."""
    if isinstance(value, ast.Name):
        yield value.id
    elif isinstance(value, ast.BoolOp):
        for operand in value.values:
            yield from _handed_names(operand)
    elif isinstance(value, ast.IfExp):
        yield from _handed_names(value.body)
        yield from _handed_names(value.orelse)
    elif isinstance(value, ast.Starred) and isinstance(value.value, (ast.List, ast.Tuple, ast.Set)):
        for element in value.value.elts:
            yield from _handed_names(element)

"""What a recipe works on: one statement parsed with libcst, the node at the finding, the names
in scope, and helpers to build the rewritten statement text.

Only the statement is parsed (inside a synthetic `if 1:` when it is indented, so columns stay
true); libcst positions are code points, like finding spans.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from bastion.fixes.statement import Statement
from bastion.model import Finding


class Target:
    def __init__(self, finding: Finding, statement: Statement, lines: list[str],
                 aliases: dict[str, str], bound: frozenset[str],
                 unit_tree: ast.AST | None = None,
                 module_names: dict[str, str] | None = None,
                 imports: frozenset[str] = frozenset(), path: str | None = None) -> None:
        self.finding = finding
        self.statement = statement
        self.lines = lines
        self.aliases = aliases  # local name -> qualified name, as bandit resolves calls
        self.bound = bound  # names bound anywhere in the unit (conflicts for added imports)
        self.unit_tree = unit_tree  # the unit's `ast`, for read-only lookups around the statement
        self.imports = imports  # every module bandit has seen imported (for context checks)
        self.module_names = module_names or {}  # module -> name it is imported as, at top level
        self.path = path  # the file's path, when it is a file
        self.text = statement.text(lines)
        self.newline = "\r\n" if self.text.endswith("\r\n") else "\n"
        self.wrapped = bool(statement.indent)
        source = ("if 1:" + self.newline + self.text) if self.wrapped else self.text
        self.module = cst.parse_module(source)
        wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
        self.positions: dict[cst.CSTNode, CodeRange] = dict(wrapper.resolve(PositionProvider))
        self._offset = statement.start - (1 if self.wrapped else 0)

    # -- positions -------------------------------------------------------------------------
    def doc_position(self, node: cst.CSTNode) -> tuple[int, int]:
        pos = self.positions[node].start
        return pos.line - 1 + self._offset, pos.column

    def at_finding(self, kind: type | tuple[type, ...],
                   where: Callable[[cst.CSTNode], bool] | None = None) -> cst.CSTNode | None:
        """The node of `kind` the finding is about: same start and end; else the same end and
        column (bandit may report the line of an argument, `shell=True`, with the call's
        column); else the innermost node starting at the finding's start."""
        span = self.finding.span
        want, want_end = (span.start_line, span.start_col), (span.end_line, span.end_col)
        best, best_rank = None, None
        for node, rng in self.positions.items():
            if not isinstance(node, kind) or (where is not None and not where(node)):
                continue
            start = (rng.start.line - 1 + self._offset, rng.start.column)
            end = (rng.end.line - 1 + self._offset, rng.end.column)
            if start == want and end == want_end:
                rank = 0
            elif end == want_end and start[0] <= want[0]:
                rank = 1 if start[1] == want[1] else 2  # the column may be clamped to the line

            elif start == want:
                rank = 3
            elif isinstance(node, cst.FormattedString) and start <= want and want_end <= end:
                # Python 3.12+ gives an f-string's literal parts their own positions, and
                # bandit reports the part: the finding is about the whole f-string.
                rank = 4
            else:
                continue
            size = (end[0] - start[0], end[1] - start[1] if end[0] == start[0] else end[1])
            key = (rank, size)
            if best_rank is None or key < best_rank:
                best, best_rank = node, key
        return best

    def nodes(self, kind: type | tuple[type, ...]) -> list[cst.CSTNode]:
        return [n for n in self.positions if isinstance(n, kind)]

    def statement_nodes(self) -> list[cst.CSTNode]:
        """The top-level statements of the parsed text (inside the `if 1:` wrapper)."""
        body = self.module.body
        if self.wrapped:
            body = body[0].body.body
        return list(body)

    # -- names -----------------------------------------------------------------------------
    def qualname(self, expr: cst.BaseExpression) -> str | None:
        """`sp.call` -> `subprocess.call` through the import aliases, like bandit."""
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        if head in self.aliases:
            head = self.aliases[head]
        return f"{head}.{rest}" if rest else head

    def call_qualname(self, call: cst.Call) -> str | None:
        return self.qualname(call.func)

    def module_name(self, module: str) -> str:
        """How to refer to a module here: its top-level import name, else its own name (the
        planner then adds `import module`)."""
        return self.module_names.get(module, module)

    def can_bind(self, name: str, module: str) -> bool:
        """Adding `import module` may bind `name` here: it is not used for something else."""
        if name in self.bound:
            return False
        target = self.aliases.get(name)
        return target is None or target == module or target.startswith(module + ".")

    def unused_name(self, candidates: tuple[str, ...]) -> str | None:
        """The first name a rewrite can bind here without clashing: not bound in the unit, not
        an import's, and not in the statement's text."""
        for name in candidates:
            if name not in self.bound and name not in self.aliases \
                    and not re.search(rf"\b{name}\b", self.text):
                return name
        return None

    def simple_line(self) -> cst.SimpleStatementLine | None:
        """The statement, when it is one simple statement on its line (not `a; b`, not a block):
        where lines can be added in front of it (`lines_before`)."""
        statements = self.statement_nodes()
        line = statements[0] if len(statements) == 1 else None
        return line if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None

    # -- output ----------------------------------------------------------------------------
    def code(self, module: cst.Module) -> str:
        text = module.code
        if self.wrapped:
            text = text.split(self.newline, 1)[1] if self.newline in text else text
        return text

    def replace(self, old: cst.CSTNode, new) -> str:
        """The statement text with `old` replaced (a node, FlattenSentinel or RemovalSentinel)."""
        return self.code(self.module.visit(_Replace(old, new)))

    def lines_before(self, line: cst.SimpleStatementLine, code: str,
                     old: cst.CSTNode | None = None, new: cst.CSTNode | None = None) -> str:
        """The statement text with the statements of `code` added in front of `line` (at its
        indentation; the comments and blank lines above it stay above them), and `old`
        replaced by `new` in `line`."""
        added = list(cst.parse_module(code).body)
        added[0] = added[0].with_changes(leading_lines=line.leading_lines)
        kept = line.with_changes(leading_lines=[])
        if old is not None:
            kept = kept.deep_replace(old, new)
        return self.replace(line, cst.FlattenSentinel([*added, kept]))

    def node_code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)


class _Replace(cst.CSTTransformer):
    def __init__(self, old: cst.CSTNode, new) -> None:
        self.old, self.new = old, new

    def on_leave(self, original_node, updated_node):
        if original_node is self.old:
            return self.new
        return updated_node


def _contains(outer: CodeRange, inner: CodeRange) -> bool:
    return (outer.start.line, outer.start.column) <= (inner.start.line, inner.start.column) and \
        (outer.end.line, outer.end.column) >= (inner.end.line, inner.end.column)


def dotted_name(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        head = dotted_name(expr.value)
        return f"{head}.{expr.attr.value}" if head else None
    return None


def bound_names(tree: ast.AST) -> frozenset[str]:
    """Every name a unit binds: assignments, parameters, definitions, imports, handlers."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.alias):
            if node.asname:
                names.add(node.asname)
            elif "." not in node.name:
                names.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            names.update(node.names)
        elif isinstance(node, ast.MatchAs) and node.name:
            names.add(node.name)
    return frozenset(names)


# -- small builders shared by recipes ------------------------------------------------------
def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword is not None and a.keyword.value == name), None)


def positional(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword is None and not a.star]


def has_star(call: cst.Call) -> bool:
    return any(a.star for a in call.args)


def drop_arg(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """Remove one argument, keeping the trailing-comma layout of the call."""
    args = [a for a in call.args if a is not arg]
    if args and call.args[-1] is arg:
        args[-1] = args[-1].with_changes(comma=arg.comma)
    return call.with_changes(args=args)


def set_arg_value(call: cst.Call, arg: cst.Arg, value: cst.BaseExpression) -> cst.Call:
    return call.with_changes(args=[a.with_changes(value=value) if a is arg else a
                                   for a in call.args])


def set_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """`name=value`: the existing keyword's value replaced, or the keyword appended."""
    arg = keyword(call, name)
    return set_arg_value(call, arg, value) if arg is not None else add_keyword(call, name, value)


def add_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """Append `name=value`, following the call's layout (one argument per line, or inline)."""
    new = cst.Arg(value=value, keyword=cst.Name(name),
                  equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                        whitespace_after=cst.SimpleWhitespace("")))
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    inline = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if len(args) > 1 and isinstance(args[-2].comma, cst.Comma):
        separator = args[-2].comma
    elif isinstance(last.comma, cst.Comma) and isinstance(call.whitespace_before_args,
                                                           cst.ParenthesizedWhitespace):
        separator = cst.Comma(whitespace_after=call.whitespace_before_args)
    else:
        separator = inline
    args[-1] = last.with_changes(comma=separator)
    args.append(new.with_changes(comma=last.comma) if isinstance(last.comma, cst.Comma) else new)
    return call.with_changes(args=args)


def has_double_star(call: cst.Call) -> bool:
    return any(a.star == "**" for a in call.args)


def expr(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


def attr_call(dotted: str, args: list[cst.Arg]) -> cst.Call:
    return cst.Call(func=expr(dotted), args=args)


def string_value(node: cst.CSTNode) -> str | None:
    """The value of a plain (non-f, non-bytes) string literal, implicit concatenation included."""
    if isinstance(node, cst.SimpleString):
        if "b" in node.prefix.lower():
            return None
        try:
            value = node.evaluated_value
        except Exception:
            return None
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        return None if left is None or right is None else left + right
    return None

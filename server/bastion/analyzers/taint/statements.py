"""The flow-sensitive forward walk over one function's statements.

Python's structured statements are the join points: `if` (constant tests prune the dead branch,
other tests refine each branch through guards.py), loops (loops.py: at most three rounds, then
the state is taken as is), `try` (handlers start from the join of the states before and after
the body), `with` and `match`. `env` is None on a path that cannot continue (after return,
raise, abort).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.assignments import bind as bind_target
from bastion.analyzers.taint.closures import closure, generates, local_function
from bastion.analyzers.taint.concatenation import concat
from bastion.analyzers.taint.containers import merged
from bastion.analyzers.taint.domain import (
    ANY,
    CLEAN,
    EVERY_CLASS,
    NONE,
    UNKNOWN,
    Value,
    join,
)
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.environments import join_env, joined_fields, owned
from bastion.analyzers.taint.escapes import capture, escape_assignment
from bastion.analyzers.taint.expressions import Evaluator
from bastion.analyzers.taint.folding import truth_of
from bastion.analyzers.taint.guards import checked, refine
from bastion.analyzers.taint.handler_calls import calls_handler
from bastion.analyzers.taint.loops import break_loop, continue_loop, for_loop, while_loop
from bastion.analyzers.taint.matching import captures, case_matches, matched_value
from bastion.analyzers.taint.no_return import NO_RETURN
from bastion.analyzers.taint.nodes import nodes
from bastion.analyzers.taint.parameters import parameters
from bastion.analyzers.taint.regex_tests import regex_subject
from bastion.analyzers.taint.responses import response_hits
from bastion.analyzers.taint.results import FunctionResult
from bastion.analyzers.taint.sink_aliases import named_sink
from bastion.analyzers.taint.states import fork
from bastion.analyzers.taint.summaries import attributes
from bastion.analyzers.taint.template_views import template_view_hits
from bastion.analyzers.taint.url_hosts import HOST_FIELDS, URL_PARSERS, host_of
from bastion.analyzers.taint.wrappers import as_function

MAX_STATEMENTS = 1500
_STATEMENTS: dict[type, object] = {}  # statement type -> the Interpreter method for it


def count_statements(node: ast.AST) -> int:
    return sum(1 for child in nodes(node) if isinstance(child, ast.stmt))


class Interpreter(Evaluator):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.returns, self.returned = NONE, False
        self.returned_fields: dict[str, Value] = {}  # the `self` fields at each `return`, joined
        self.yielded: Value | None = None  # a generator's values, joined
        self.loops: list[tuple[list, list]] = []
        # per enclosing `try`, the states its body may raise in (joined): any statement may
        self.raising: list[dict] = []
        # name -> the URL expression it holds the parse of (`p = urlparse(url)`), or the host of
        # (`host = urlparse(url).hostname`): a test of the host checks that URL (guards.py)
        self.parsed_from: dict[str, ast.expr] = {}
        self.host_from: dict[str, tuple[ast.expr, frozenset[str]]] = {}  # and what a test proves
        # `m = re.fullmatch(PATTERN, name)`: the test, and the values `m` and `name` held then
        # (guards.py reads `if not m:` as the test while both still hold them)
        self.matched_from: dict[str, tuple[ast.Call, Value, Value]] = {}
        # names an attribute was stored on (`job.cmd = ...`, kept in `env` by path): binding the
        # name again drops those paths, which were the old object's
        self.attributed: set[str] = set()

    def run(self, function: Function, walk: Callable[[list[ast.stmt]], None] | None = None
            ) -> FunctionResult:
        """`walk`: what runs the body's statements, `block` or a resumable walk (resume.py)."""
        node = function.node
        size = 0
        if (node.end_lineno or node.lineno) - node.lineno >= MAX_STATEMENTS:  # else it cannot be over
            size = count_statements(node)
            if size > MAX_STATEMENTS:
                return FunctionResult(CLEAN, [], {}, size, skipped=True)
        self.function = function
        self.dispatcher = calls_handler(function)
        self.env = fork(parameters(self, function))  # a state whose branches say what they wrote
        (walk or self.block)(function.node.body)
        fields = joined_fields(self.returned_fields, self.env) if self.handed is None else self.handed
        returns = self.returns if self.returned else NONE
        if self.yielded is not None:  # a call makes an iterator over what the body yields
            returns = Value(clean=EVERY_CLASS, items={ANY: self.yielded})
        return FunctionResult(returns, self.hits, fields, size, seen=self.seen,
                              handed_on=bool(self.handed_on))

    # ---- statements ----

    def block(self, body: list[ast.stmt]) -> None:
        for statement in body:
            if self.env is None:
                return
            self.statement = statement
            kind = type(statement)
            if kind in _STATEMENTS:  # as Evaluator.eval: no call of `get` a statement
                method = _STATEMENTS[kind]
            else:
                method = _STATEMENTS[kind] = getattr(Interpreter, "s_" + kind.__name__,
                                                     Interpreter.s_other)
            method(self, statement)
            if self.raising and self.env is not None:
                self.raising[-1] = join_env(self.raising[-1], self.env)

    def s_other(self, node: ast.stmt) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.eval(child)

    def s_Pass(self, node: ast.stmt) -> None:
        return None

    s_Global = s_Nonlocal = s_Pass

    def s_Expr(self, node: ast.Expr) -> None:
        self.eval(node.value)
        if isinstance(node.value, ast.Call):
            # read once: nothing runs between this read and checked()'s, in the same state
            name = self.qualname(node.value.func)
            if name in NO_RETURN:
                self.env = None
            else:
                self.env = checked(self, node.value, self.env, name)

    def s_Assign(self, node: ast.Assign) -> None:
        source = node.value
        shape = type(source)  # branched on once: what each target then learns depends on it
        value = named_sink(self, source, self.eval(source))  # `fn = eval`
        if shape is ast.Call:  # `rel = p.relative_to(BASE)`
            self.env = checked(self, source, self.env)
        targets = node.targets  # read once: an AST node's attribute is a generic (dict) read
        escape_assignment(self, targets, source)
        helper = as_function(targets[0].id, source, self.names) if type(
            targets[0]) is ast.Name and (shape is ast.Call or shape is ast.Lambda) else None
        for target in targets:
            self.bind(target, value if helper is None else local_function(helper), "assigned to")
            if type(target) is not ast.Name:
                continue
            if shape is ast.Call:
                if source.args and self.qualname(source.func) in URL_PARSERS:
                    self.parsed_from[target.id] = source.args[0]
                subject = regex_subject(self, source)
                if subject is not None and subject.id in self.env:
                    self.matched_from[target.id] = (source, self.env[target.id], self.env[subject.id])
            elif shape is ast.Attribute and source.attr in HOST_FIELDS:
                found = host_of(self, source)
                if found is not None:
                    self.host_from[target.id] = found

    def s_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.bind(node.target, self.eval(node.value), "assigned to")

    def s_AugAssign(self, node: ast.AugAssign) -> None:
        old = self.eval(node.target)
        new = self.eval(node.value)
        value = concat([old, new]) if isinstance(node.op, ast.Add) else join(old.flat(), new.flat())
        if isinstance(node.op, ast.BitOr) and (keyed := merged(old, new)) is not None:
            value = keyed  # `opts |= {"q": name}`: each key's value, as `opts | {...}` has
        if isinstance(node.op, ast.Add) and old.items is not None:  # list += list
            value = old.evolve(items={**old.items, ANY: join(old.item(ANY), new.item(ANY))},
                               const=UNKNOWN)
        self.bind(node.target, value, "assigned to")

    def s_Return(self, node: ast.Return) -> None:
        value = closure(self, node.value, self.eval(node.value)) if node.value is not None else NONE
        sink = self.function.return_sink if self.function else None
        if sink and node.value is not None:
            response_hits(self, sink, node, value)
        if self.function is not None and self.function.node.decorator_list and node.value is not None:
            template_view_hits(self, node, value)
        if isinstance(node.value, ast.Name) and (node.value.id in self.attributed
                                                 or node.value.id == "self"):
            # `job = cls(); job.cmd = ...; return job`: the caller's instance holds them; so does
            # a fluent builder's `return self` (`q = Query().where(c)`)
            fields = attributes(self.env, node.value.id)
            if fields:
                value = value.evolve(items={**(value.items or {}), **fields})
            if node.value.id == "self" and self.class_name is not None and not value.taint:
                value = value.evolve(kind=f"{self.class_name}()")  # its methods chain on
        self.returns = join(self.returns, value) if self.returned else value
        self.returned = True
        # `self.parts.append(c); return self`: what a path stored before returning is stored
        self.returned_fields = joined_fields(self.returned_fields, self.env)
        self.env = None

    def e_Yield(self, node: ast.Yield) -> Value:
        self._yield(self.eval(node.value) if node.value is not None else NONE)
        return CLEAN  # what the caller sends in, not modelled

    def e_YieldFrom(self, node: ast.YieldFrom) -> Value:
        self._yield(self.eval(node.value).item(ANY))
        return CLEAN

    def _yield(self, value: Value) -> None:
        self.yielded = value if self.yielded is None else join(self.yielded, value)

    def s_Raise(self, node: ast.Raise) -> None:
        self.s_other(node)
        if self.raising and self.env is not None:
            self.raising[-1] = join_env(self.raising[-1], self.env)
        self.env = None

    def s_Assert(self, node: ast.Assert) -> None:
        self.eval(node.test)
        self.env = refine(self, node.test, self.env, True)

    def s_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.env.pop(target.id, None)
            elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) \
                    and target.value.id in self.env:  # `del d[k]`: its keys are not known now
                self.env[target.value.id] = self.env[target.value.id].evolve(const=UNKNOWN)

    def s_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        if self.names is self.module.env:
            self.names = Env(dict(self.names.aliases), set(self.names.imports))
            self.aliases = self.names.aliases
        self.names.add_import(node)
        for alias in node.names:
            self.env.pop(alias.asname or alias.name.split(".")[0], None)

    s_ImportFrom = s_Import

    def s_FunctionDef(self, node: ast.stmt) -> None:
        # a helper is run where it is called (closures.py), and so is an async generator (a
        # streamed response iterates it); a decorator may replace it
        plain = (isinstance(node, ast.FunctionDef) or isinstance(node, ast.AsyncFunctionDef)
                 and generates(node)) and not node.decorator_list
        self.env[node.name] = local_function(node) if plain else CLEAN
        capture(self, node)

    s_AsyncFunctionDef = s_ClassDef = s_FunctionDef

    def s_If(self, node: ast.If) -> None:
        truth = truth_of(self.eval(node.test))
        if truth is not None:
            self.block(node.body if truth else node.orelse)
            return
        before = self.env
        self.env = owned(refine(self, node.test, before, True), before)
        self.block(node.body)
        after_body = self.env
        # an `else` of its own too: a branch written into the state both branches came from
        # would leave the join to compare every name (states.py)
        self.env = refine(self, node.test, before, False)
        if node.orelse:
            self.env = owned(self.env, before)
        self.block(node.orelse)
        self.env = join_env(after_body, self.env)

    # ---- loops (loops.py) ----

    s_For = s_AsyncFor = for_loop
    s_While = while_loop
    s_Break = break_loop
    s_Continue = continue_loop

    def s_Try(self, node: ast.Try) -> None:
        before = self.env
        self.env = fork(before)
        self.raising.append(fork(before))
        self.block(node.body)
        raised = self.raising.pop()
        if self.raising:  # what no handler here catches, the enclosing `try` does
            self.raising[-1] = join_env(self.raising[-1], raised)
        after_body = self.env
        start = join_env(raised, after_body)
        outs = []
        self.env = after_body
        self.block(node.orelse)
        outs.append(self.env)
        for handler in node.handlers:
            self.env = fork(start) if start is not None else None
            if handler.type is not None and self.env is not None:
                self.eval(handler.type)
            if handler.name and self.env is not None:
                self.env[handler.name] = CLEAN
            self.block(handler.body)
            outs.append(self.env)
        self.env = join_env(*outs)
        if node.finalbody:
            if self.env is None:
                self.env = start
                self.block(node.finalbody)
                self.env = None
            else:
                self.block(node.finalbody)

    s_TryStar = s_Try

    def s_With(self, node: ast.With) -> None:
        for item in node.items:
            value = self.eval(item.context_expr)
            if item.optional_vars is not None:
                self.bind(item.optional_vars, value, "opened as")
        self.block(node.body)

    s_AsyncWith = s_With

    def s_Match(self, node: ast.Match) -> None:
        subject = self.eval(node.subject)
        before = self.env
        outs = []
        exhaustive = False
        for case in node.cases:
            matched = case_matches(case.pattern, subject)
            if matched is False:
                continue
            self.env = fork(before)
            for name, value in captures(self, case.pattern, subject, node.subject).items():
                self.env[name] = value
            holds = matched_value(case.pattern) if isinstance(node.subject, ast.Name) else None
            if holds is not None and node.subject.id in self.env:
                self.env[node.subject.id] = holds  # `case "png" | "jpg":` holds one of them
            if case.guard is not None:
                self.eval(case.guard)
                self.env = refine(self, case.guard, self.env, True)
            self.block(case.body)
            outs.append(self.env)
            if matched is True and case.guard is None:
                exhaustive = True
                break
        self.env = join_env(*outs, *(() if exhaustive else (before,)))

    # ---- assignment (assignments.py) ----

    bind = bind_target

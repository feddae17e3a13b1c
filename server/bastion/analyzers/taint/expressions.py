"""Expressions in the abstract domain: constants fold, strings concatenate, containers keep their
slots, calls go through the models (sinks, sanitizers, sources, propagators), then same-file
summaries, then the default model (argument taint flows to the result, at lower confidence).

`Evaluator` owns one function's analysis state while it runs: `env` (name -> Value; attribute
paths such as `self.x` are keys too), the sink `hits` found so far and the enclosing statement.
Container expressions (containers.py) and truth values and comparisons (folding.py) are module
functions assigned as its `e_` methods; so are its names and source reads (qualnames.py).
"""

from __future__ import annotations

import ast

from bastion.analyzers.taint import containers, qualnames
from bastion.analyzers.taint.attribute_calls import REFLECTING, attribute_call
from bastion.analyzers.taint.attribute_reads import attribute_of
from bastion.analyzers.taint.callbacks import call_back, run_overridden
from bastion.analyzers.taint.calls import evaluate_call
from bastion.analyzers.taint.class_instances import class_read
from bastion.analyzers.taint.closures import Budget, LocalFunction, call_local
from bastion.analyzers.taint.concatenation import concat
from bastion.analyzers.taint.context_record import ModuleContext
from bastion.analyzers.taint.domain import (
    CLEAN,
    EVERY_CLASS,
    NONE,
    SAFE,
    UNKNOWN,
    Step,
    Value,
    as_component,
    constant,
    join,
)
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.escapes import capture, changeable, escape_call, seen_through
from bastion.analyzers.taint.evaluating import Evaluating
from bastion.analyzers.taint.folding import (
    KNOWN_ATTRIBUTES,
    REPR_CLEANS,
    bool_op,
    compare,
    fold_binary,
    percent_parts,
    truth_of,
    unary_op,
)
from bastion.analyzers.taint.global_stores import stored_global, stored_name
from bastion.analyzers.taint.handler_calls import hand_over
from bastion.analyzers.taint.held_calls import factory_made
from bastion.analyzers.taint.keyword_splats import keyword_values
from bastion.analyzers.taint.markup import markup_operation
from bastion.analyzers.taint.queues import queue_read
from bastion.analyzers.taint.reflection import builtin_named
from bastion.analyzers.taint.request_items import item_read
from bastion.analyzers.taint.results import HeldCall, Hit, Summary
from bastion.analyzers.taint.scoped import SCOPED
from bastion.analyzers.taint.self_dispatch import dispatched
from bastion.analyzers.taint.self_fields import field_read, forget_fields, keep_nested, nested_read
from bastion.analyzers.taint.sinks import check_call_sinks, is_module
from bastion.analyzers.taint.specs import Models
from bastion.analyzers.taint.summaries import class_method
from bastion.analyzers.taint.tables import picked_call
from bastion.analyzers.taint.top_level_sources import imported_global
from bastion.analyzers.taint.upstream import with_reported
from bastion.analyzers.taint.verdicts import see_string

_EXPRESSIONS: dict[type, object] = {}  # expression type -> the Evaluator method for it
_REPR_CONVERSIONS = frozenset({ord("r"), ord("a")})  # `f"{x!r}"`, `f"{x!a}"`


class Evaluator:
    read_ahead = False  # set by a read of all of the function's statements (read_ahead.py)

    def __init__(self, module: ModuleContext, models: Models, summaries: dict[str, Summary],
                 class_name: str | None = None, fields: dict[str, Value] | None = None) -> None:
        self.module = module
        self.models = models
        self.summaries = summaries
        self.class_name = class_name
        self.fields = fields or {}
        self.env: dict[str, Value] | None = {}
        self.names = module.env  # replaced by a copy when the function imports something
        self.aliases = module.env.aliases
        self.module_names: dict[ast.Attribute, tuple[str, str | None]] = {}  # qualnames.py's memos
        self.global_reads: dict[str, Value] = {}
        self.hits: list[Hit] = []
        self.held: list[HeldCall] = []  # calls on what a parameter holds (held_calls.py)
        self.statement: ast.stmt | None = None
        # Verdicts by position (verdicts.py); strings are judged only in functions with SQL text.
        self.seen: dict[tuple[int, int, int, int], tuple[str | None, str | None]] = {}
        self.sql_strings = False
        self.declared_types: dict[int, bool] = {}  # sinks.py's `handler_write`, by class node
        # Calls on `self` / `super()` not (yet) resolved to a summary: they may store what they
        # are given in fields no summary shows (calls.py)
        self.handed_on: set[ast.Call] = set()
        self.escaped: set[str] = set()  # containers and objects others may change (escapes.py)
        self.rebound_inside: set[str] = set()  # names a nested function declares `nonlocal`
        self.reading_top: dict[str, Value] = {}  # top-level globals being read: their value so far
        self.depth = 0  # helpers defined in the function, being run in place (closures.py)
        self.budget = Budget()
        self.function: Function | None = None  # the function being run (statements.py), if any
        # the names a `:=` binds in the comprehension being evaluated: they outlive it (containers.py)
        self.walrus_targets: set[str] | None = None
        # the function runs the handler (Django's `dispatch`): the names it binds to the handler
        self.dispatcher: frozenset[str] | None = None
        self.handed: dict[str, Value] | None = None  # the fields at those calls (handler_calls.py)
        self.documents: dict[ast.Call, tuple[Value, dict | None]] = {}  # json.dumps' (propagated.py)

    def evaluating_in(self, env: dict) -> Evaluating:
        """Expressions evaluated in `env` (a guard's branch state), the walk's own restored."""
        return Evaluating(self, env)

    def step(self, node: ast.AST, note: str) -> Step:
        return Step(node.lineno - 1, node.col_offset, (node.end_lineno or node.lineno) - 1,
                    node.end_col_offset or node.col_offset, note)

    # ---- names and source reads (qualnames.py) ----

    qualname = qualnames.qualname
    source_value = qualnames.source_value

    # ---- expressions ----

    def eval(self, node: ast.expr) -> Value:
        kind = type(node)
        if kind is ast.Constant:  # a literal (~270 a long view): made here, a frame less each
            return constant(node.value)
        if kind in _EXPRESSIONS:  # tested and read by the operators: no call of `get` an expression
            return _EXPRESSIONS[kind](self, node)
        method = _EXPRESSIONS[kind] = getattr(type(self), "e_" + kind.__name__, Evaluator.e_other)
        return method(self, node)

    def e_other(self, node: ast.expr) -> Value:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.expr):
                self.eval(child)
        return CLEAN

    def e_Name(self, node: ast.Name) -> Value:
        env = self.env  # tested and read by the operators: no call of `get` a read
        name = node.id  # read once: an AST node's attribute is a generic (dict) read
        local = env[name] if name in env else None
        if local is not None:
            if name in self.rebound_inside or name in self.escaped and changeable(local):
                return seen_through(local)
            return local
        if name in self.module.constants:
            return self.module.constants[name]
        if name in self.global_reads and self.aliases is self.module.env.aliases:
            return self.global_reads[name]  # what qualnames.global_value found at an earlier read
        return qualnames.global_value(self, node)

    def e_Attribute(self, node: ast.Attribute) -> Value:
        path = path_of(node)
        if path is not None and path in self.env:
            found = self.env[path]
            return seen_through(found) if path.split(".", 1)[0] in self.escaped else found
        if path is not None and self.module.stored_globals and (held := stored_name(self, path)):
            return stored_global(self, node, held)  # `Config.target = q` in a view, `self.cmd`
        if path is not None and (self.module.class_constants or self.module.self_constants
                                 or self.module.class_instances):  # `self.TABLE`, `Product.objects`
            found = class_read(self.module, self.class_name, self.env, path)
            if found is not None:
                return found
        name = self.qualname(node)
        if name in KNOWN_ATTRIBUTES and name not in self.module.text_user_keys:
            return KNOWN_ATTRIBUTES[name]
        found = self.source_value(name, node)
        if found is not None:
            return found
        if self.module.external is not None and name is not None and type(node.value) is ast.Name \
                and (node.value.id in self.aliases or node.value.id in self.module.env.imports) \
                and node.value.id not in self.env \
                and (found := imported_global(self, node, name)) is not None:  # `settings.TARGET`
            return found
        if self.module.scoped and name is not None and name.rpartition(".")[0] in SCOPED \
                and node.attr in self.module.scoped:
            return qualnames.scoped_value(self, node)
        if path is not None and path.startswith("self.") and path[5:] in self.fields:
            found = field_read(self, path[5:], self.fields[path[5:]])  # a guard narrows it
            return seen_through(found) if "self" in self.escaped else found
        if path is not None and path.count(".") == 2 and path.startswith("self.") \
                and self.env is not None and "self" not in self.escaped:
            found = nested_read(self, path)  # `self.form.name`, a guard narrowed since
            if found is not None:
                return found
        found = attribute_of(self, node, name)
        if path is not None and path.count(".") == 2 and path.startswith("self."):
            keep_nested(self, path, found)
        return found

    def e_JoinedStr(self, node: ast.JoinedStr) -> Value:
        parts = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                value = self.eval(part.value)
                if part.format_spec is not None:
                    self.eval(part.format_spec)
                if part.conversion in _REPR_CONVERSIONS and value.taint:
                    value = value.evolve(clean=value.clean | REPR_CLEANS)
                parts.append(value.evolve(const=UNKNOWN) if part.format_spec else value)
            else:
                parts.append(self.eval(part))
        return self._built(node, concat(parts))

    def _built(self, node: ast.expr, value: Value) -> Value:
        """A string built from parts, seen where SQL may be built (B608's positions)."""
        if self.sql_strings:
            see_string(self, node, value)
        return value

    def e_BinOp(self, node: ast.BinOp) -> Value:
        left, right = self.eval(node.left), self.eval(node.right)
        if left.const is not UNKNOWN and right.const is not UNKNOWN:
            folded = fold_binary(type(node.op), left.const, right.const)
            if folded is not UNKNOWN:
                return self._built(node, constant(folded)) if isinstance(folded, str) \
                    else containers.folded_sequences(node.op, left, right, folded)
        marked = markup_operation(node.op, left, right)
        if marked is not None:
            return marked
        if isinstance(node.op, ast.Add):
            return containers.joined_sequences(left, right) or self._built(node, concat([left, right]))
        if isinstance(node.op, ast.Mod) and (isinstance(left.const, str) or left.taint):
            return self._built(node, concat(percent_parts(left, node.right, right)))
        kind = left.kind if isinstance(node.op, ast.Div) else None  # `Path(base) / name`
        right = as_component(right) if kind is not None else right
        if not left.taint and not right.taint and not left.items and not right.items:
            known = left.known and right.known
            return Value(clean=EVERY_CLASS, kind=kind, known=known) if kind or known else CLEAN
        return join(left.flat(), right.flat()).evolve(kind=kind)

    # ---- truth values and comparisons (folding.py) ----

    e_BoolOp = bool_op
    e_UnaryOp = unary_op
    e_Compare = compare

    def e_IfExp(self, node: ast.IfExp) -> Value:
        from bastion.analyzers.taint.guards import refine

        truth = truth_of(self.eval(node.test))
        if truth is not None:
            return self.eval(node.body if truth else node.orelse)
        saved = self.env
        self.env = refine(self, node.test, saved, True)
        self.env = dict(self.env) if self.env is saved else self.env  # `(x := ...)` in a branch
        body = self.eval(node.body) if self.env is not None else CLEAN
        self.env = refine(self, node.test, saved, False)
        other = self.eval(node.orelse) if self.env is not None else CLEAN
        self.env = saved
        return join(body, other)

    # ---- containers (containers.py) ----

    e_Subscript = containers.subscript
    e_Dict = containers.dict_display
    e_Tuple = e_List = e_Set = containers.sequence_display
    e_Starred = containers.starred
    e_ListComp = e_SetComp = e_GeneratorExp = e_DictComp = containers.comprehension

    def e_Await(self, node: ast.Await) -> Value:
        return self.eval(node.value)

    def e_NamedExpr(self, node: ast.NamedExpr) -> Value:
        value = self.eval(node.value)
        self.env[node.target.id] = value
        if self.walrus_targets is not None:
            self.walrus_targets.add(node.target.id)
        return value

    def e_Lambda(self, node: ast.Lambda) -> Value:
        capture(self, node)
        return CLEAN

    # ---- calls ----

    def e_Call(self, node: ast.Call) -> Value:
        func = node.func
        if type(func) is ast.Name and func.id in REFLECTING \
                and (attribute := attribute_call(self, node)) is not None:
            return attribute  # `getattr(obj, "name")`, `setattr(obj, "name", value)`
        args = list(map(self.eval, node.args))  # no comprehension's frame a call
        keywords = keyword_values(self, node.keywords) if node.keywords else {}
        value = self.call(node, args, keywords)
        if self.dispatcher is not None:
            hand_over(self, node)  # `super().dispatch(...)`: the handler gets the fields as they are
        if type(func) is ast.Attribute:
            forget_fields(self, node)  # `self.refresh()` may change the fields it read
            if value.taint and func.attr == "get" and not node.keywords \
                    and 1 <= len(args) <= 2:  # `request.args.get("n")`
                return item_read(self, node, value, args[1] if len(args) == 2 else NONE)
        return value

    def call(self, node: ast.Call, args: list[Value], keywords: dict[str | None, Value]) -> Value:
        """The call's value, its arguments' values given (callbacks.py calls a function so)."""
        func = node.func
        callee = type(func)  # branched on once: a method, a name, or a computed callee
        env = self.env  # tested and read by the operators: no call of `get` a call
        called = func.id if callee is ast.Name else None  # read once: an AST node's is a dict read
        held = env[called] if called is not None and env and called in env else None
        if held is None and called is not None and called in self.module.enums:
            return SAFE  # `Color(q)`: a member of the module's Enum (context.py), or it raises
        if self.module.queues and (read := queue_read(self, node)) is not None:
            return read  # `jobs.get()` of a queue a view fed (queues.py)
        if held is not None and isinstance(held.const, LocalFunction) \
                and (returned := call_local(self, held.const, node, args, keywords, held)) is not None:
            escape_call(self, node, None)
            return returned
        on_module = False  # `re.search(...)`: a module's function, not a method of a value
        if callee is ast.Attribute:
            owner = func.value
            receiver = self.eval(owner)
            method = func.attr
            base = self.qualname(owner)
            name = None if base is None else f"{base}.{method}"
            if name in self.aliases:
                name = self.aliases[name]
            if name is not None:
                qualnames.called_as(self, func, name)  # the statement's own asks after the call
            on_module = is_module(self, base)
            if receiver.kind and (name is None or base != receiver.kind
                                  and (receiver.kind.startswith("pathlib.") or type(func.value) is ast.Call)):
                # `(BASE / name).read_text()`, `path_of(name).read_text()`: a path's method;
                # `make_parser().parse_args()`: the method of what the call returned, as it is
                # once bound (`parser = make_parser()`)
                name = f"{receiver.kind}.{method}"
        else:  # `XPath(q)(doc)`: the callee is itself computed
            method = None
            # `getattr(self, "do_" + action)(request)`: its class's methods (self_dispatch.py)
            picked = dispatched(self, node, args, keywords) if self.class_name is not None else None
            if picked is None and callee is not ast.Name:
                picked = picked_call(self, node, args, keywords)
            if picked is not None:  # `ACTIONS[kind](host)`: a module table's functions
                escape_call(self, node, None)
                return picked
            receiver = None if callee is ast.Name else containers.slot_value(self, func)
            if receiver is not None and isinstance(receiver.const, LocalFunction) and (  # `(lambda: x)()`
                    returned := call_local(self, receiver.const, node, args, keywords, receiver)) is not None:
                escape_call(self, node, None)
                return returned
            name = builtin_named(self, func) or self.qualname(func)  # `getattr(builtins, "eval")`
        entry = self.models.call_entries[name, method]
        if entry.callbacks:
            call_back(self, node, name, args, keywords, receiver, on_module)
        elif method is not None and not on_module:
            run_overridden(self, node, method, receiver)  # what call_back runs of every method
        if method is not None and not on_module \
                and not receiver.items and self.module.external is not None \
                and any(v.tainted for v in (*args, *keywords.values())):
            receiver = factory_made(self, receiver, func.value)  # `notes().find(q)`, `services.svc.find(q)`
        # A method of a class of this module is judged by its summary, not by the sinks of
        # same-named methods (a `Repo.execute` that binds its parameters).
        # (asked once: the sinks and evaluate_call's sanitizer and file-read models use it;
        # `static`, a static or class method called on its class, by summary_for too)
        own, static = class_method(self, func, receiver) if method is not None else (False, False)
        before = len(self.hits)
        instead = check_call_sinks(self, node, name, args, keywords, receiver, on_module, own) \
            if entry.sinks else None
        value = evaluate_call(self, node, name, args, keywords, receiver, on_module, own, entry, static)
        if value.taint:  # only data carries the findings of its sinks (upstream.py)
            value = with_reported(value, node, self.hits[before:])
        escape_call(self, node, name, entry)
        if instead is not None and (value.taint or instead.taint):
            value = instead if value.kind is None else instead.evolve(kind=value.kind)
        if method == "format" or method == "replace":
            return self._built(node, value)
        return value

    def bind(self, target: ast.expr, value: Value, note: str | None) -> None:
        """Assignment of `value` to `target` (implemented by the statement interpreter)."""
        raise NotImplementedError

    def share(self, outer: Evaluator) -> None:
        """This walk runs a helper `outer` called (closures.py): it sees the same imports, and
        what escapes or is handed on in it does in `outer`; its verdicts stay its own."""
        self.names, self.aliases = outer.names, outer.aliases
        self.escaped, self.rebound_inside, self.handed_on = (outer.escaped, outer.rebound_inside,
                                                             outer.handed_on)
        self.sql_strings = outer.sql_strings
        self.depth, self.budget = outer.depth + 1, outer.budget


def path_of(node: ast.AST) -> str | None:
    """`self.x`, `obj.a.b` for an attribute chain rooted at a name (depth <= 3)."""
    if type(node) is not ast.Attribute:
        return None
    parts = [node.attr]
    node = node.value
    for _ in range(2):  # the type read once a level, the depth counted: no isinstance or len()
        if type(node) is not ast.Attribute:
            break
        parts.append(node.attr)
        node = node.value
    if type(node) is ast.Name:
        return ".".join([node.id, *reversed(parts)])
    return None

"""What a call returns in the abstract domain, in the design's resolution order: models
(sanitizers, sources, propagators), same-file summaries, string and container methods, then the
default model (argument and receiver taint flow to the result, marked not modelled)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.configs import config_call
from bastion.analyzers.taint.domain import (
    ANY,
    APP_PATH,
    APP_PATH_BUILDERS,
    CLEAN,
    EVERY_CLASS,
    MARKUP_KINDS,
    SAFE,
    UNKNOWN,
    Value,
    concat,
    constant,
    elements,
    join,
    join_all,
    ordered,
)
from bastion.analyzers.taint.escapes import CONTAINER_TYPES
from bastion.analyzers.taint.sequences import EDITS, edit_list
from bastion.analyzers.taint.sinks import (
    SAX_EXTERNAL_ENTITIES,
    SAX_PARSER,
    UNSAFE_PARSER,
    UNSAFE_SAX_PARSER,
)
from bastion.analyzers.taint.templates import escaped_render, jinja_object

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator, Summary

_FILE_OPENERS = frozenset({"open", "builtins.open", "io.open", "codecs.open"})
_STRING_BUILDERS = frozenset({"format", "format_map"})
_PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"})
_XPATH_QUOTES = frozenset({"'", '"'})
# Methods of str / bytes / containers whose result carries the receiver's (and arguments') data.
STRING_METHODS = frozenset({
    "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title", "capitalize", "encode",
    "decode", "split", "rsplit", "splitlines", "partition", "rpartition", "removeprefix",
    "removesuffix", "zfill", "center", "ljust", "rjust", "expandtabs", "swapcase", "copy",
    "get", "getlist", "getall", "getone", "values", "items", "keys", "pop", "setdefault", "lists",
    "dict", "to_dict", "read", "readline", "readlines", "getvalue", "model_dump",
})
MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "appendleft", "write",
                      "writelines", "set"})


def evaluate_call(ev: Evaluator, node: ast.Call, name: str | None, args: list[Value],
                  keywords: dict[str | None, Value], receiver: Value | None,
                  on_module: bool) -> Value:
    """`on_module`: the callee is a module's attribute (`shlex.quote`)."""
    models = ev.models
    method = node.func.attr if isinstance(node.func, ast.Attribute) else None
    inputs = [*args, *keywords.values()]
    if receiver is not None and not on_module:
        inputs.append(receiver)  # `shlex.quote(x)`'s `shlex` is no input
    sanitizer = models.sanitizers.by_name(name) or (
        models.sanitizers.methods.get(method, [])
        if method and not class_method(ev, node.func, receiver) else [])
    if sanitizer:
        model = sanitizer[0]
        if model.cleans == EVERY_CLASS:
            return SAFE
        flowing = inputs if model.args is None else [args[i] for i in model.args if i < len(args)]
        joined = _joined(flowing)
        return joined.evolve(clean=joined.clean | model.cleans,
                             kind=APP_PATH if name in APP_PATH_BUILDERS else joined.kind)
    if name in _FILE_OPENERS:
        # What a file holds is data of kind `file`, not modelled as a source (off by default).
        return Value(clean=EVERY_CLASS, kind="open()")
    found = ev.source_value(name, node)
    if found is not None:
        return found
    if any(v.tainted for v in inputs) and isinstance(node.func, (ast.Name, ast.Attribute)):
        built = _construct(ev, node, name, args, keywords)
        if built is not None:
            return built
    own = ev.class_name is not None and _on_self(node.func)
    if own:
        ev.handed_on.add(node)  # until a summary shows what the callee stores in `self`
    summary = _summary_for(ev, node, inputs, receiver)
    called = node
    if summary is None and own and _base_method(ev, node) is not None:
        # `Base.__init__(self, url)`: the base's method, `self` passed by hand
        summary = ev.summaries.get(_base_method(ev, node))
        called = ast.copy_location(ast.Call(node.func, node.args[1:], node.keywords), node)
        args = args[1:]
    if summary is not None:
        returned = apply_summary(ev, called, summary, args, keywords, receiver)
        if own:
            # what the callee stored is known even when it may store more elsewhere
            _store_fields(ev, called, summary, args, keywords)
            if not summary.hands_on:
                ev.handed_on.discard(node)
        elif summary.fields and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) and node.func.value.id in ev.env \
                and receiver is not None and receiver.kind is not None \
                and receiver.kind.endswith("()"):
            _set_instance_fields(ev, node, node.func.value.id, receiver, summary, args, keywords)
        return returned
    made = jinja_object(name, keywords, inputs) or escaped_render(receiver, method, inputs)
    if made is not None:
        return made
    if name == "lxml.etree.XMLParser":
        entities = keywords.get("resolve_entities")
        if entities is not None and entities.const is True:
            return Value(clean=EVERY_CLASS, kind=UNSAFE_PARSER)
    if models.propagators.by_name(name) or (method and method in models.propagators.methods):
        return _joined(inputs, name)
    if method is not None and receiver is not None:
        if method == "join" and len(args) == 1 and isinstance(receiver.const, str) \
                and isinstance(args[0].const, tuple) and all(type(p) is str for p in args[0].const) \
                and sum(map(len, args[0].const)) < 10_000:
            return constant(receiver.const.join(args[0].const))  # ", ".join(["?"] * 3)
        if method in _STRING_BUILDERS or method == "join" and args:
            built = concat([receiver, args[0].item(ANY)]) if method == "join" \
                else concat([receiver, *args, *keywords.values()])
            if receiver.kind in MARKUP_KINDS and not receiver.taint:
                return built.evolve(clean=built.clean | {"html"}, kind=receiver.kind)
            return built
        if method == "replace":
            return _replace(receiver, args)
        if method == "setFeature" and receiver.kind == SAX_PARSER and isinstance(
                node.func.value, ast.Name) and _enables_external_entities(ev, node, args):
            ev.env[node.func.value.id] = receiver.evolve(kind=UNSAFE_SAX_PARSER)
            return CLEAN
        configured = config_call(receiver, method, args, keywords)
        if configured is not None:
            if configured[1] is not None and isinstance(node.func.value, ast.Name):
                ev.env[node.func.value.id] = configured[1]
            return configured[0]
        if method in EDITS and not keywords and isinstance(node.func.value, ast.Name) \
                and node.func.value.id in ev.env:
            edited = edit_list(receiver, method, args)
            if edited is not None:
                ev.env[node.func.value.id] = edited[1]
                return edited[0]
        if method in MUTATORS and isinstance(node.func.value, ast.Name):
            _mutate(ev, node.func.value.id, receiver, method, args, keywords)
            return CLEAN
        if method == "get" and receiver.items is not None and args:
            key = args[0].const if args[0].const is not UNKNOWN else ANY
            found = receiver.item(key)
            return join(found, args[1]) if len(args) > 1 else found
        if method in STRING_METHODS:
            return _joined(inputs, None)
    if not any(v.taint or v.items for v in inputs):
        return Value(clean=EVERY_CLASS, kind=name + "()") if name else CLEAN
    result = _joined(inputs, name)
    return result.evolve(modelled=False) if result.taint else result


def class_method(ev: Evaluator, func: ast.expr, receiver: Value | None) -> bool:
    """Whether the call is a method of a class of this module (`self.find(...)`,
    `Repo().find(...)`) or a function of another workspace module (`Repository.count(...)`,
    `repo.count(...)`): its summary says what it does, not a model of a same-named method of
    str or of a connection (`str.count`, `cursor.execute`)."""
    if not isinstance(func, ast.Attribute):
        return False
    if isinstance(func.value, ast.Name) and func.value.id in ("self", "cls") \
            and ev.class_name is not None:
        return ev.module.inherited(ev.class_name, func.attr) is not None
    instance = receiver is not None and receiver.kind is not None and receiver.kind.endswith("()")
    return _on_module_class(ev, func) or (
        instance and ev.module.inherited(receiver.kind[:-2], func.attr) is not None) or (
        _workspace_function(ev, func, receiver.kind[:-2] if instance else None))


def _workspace_function(ev: Evaluator, func: ast.Attribute, instance_of: str | None) -> bool:
    external = ev.module.external
    if external is None:
        return False
    if instance_of is not None:
        return external(f"{instance_of}.{func.attr}", True) is not None
    root = func.value
    while isinstance(root, ast.Attribute):
        root = root.value
    name = ev.qualname(func) if isinstance(root, ast.Name) and root.id not in ev.env else None
    return name is not None and external(name, True) is not None


def _on_module_class(ev: Evaluator, func: ast.Attribute) -> bool:
    """`Class.method` of a class of this module whose method takes no instance (a staticmethod
    or classmethod): the call's arguments are its parameters."""
    if not isinstance(func.value, ast.Name) or func.value.id in ev.env:
        return False
    name = ev.module.inherited(func.value.id, func.attr)
    function = ev.module.function_named(name) if name is not None else None
    return function is not None and (function.implicit_params == 0 or any(
        isinstance(d, ast.Name) and d.id == "classmethod" for d in function.node.decorator_list))


def _joined(values: list[Value], name: str | None = None) -> Value:
    """The values' data together, as a modelled operation (a propagator, a string method)
    returns it: known when every value is."""
    out = join_all(values)
    if name is not None and out.taint:
        out = out.evolve(kind=name + "()", const=UNKNOWN)
    elif name in _PATH_TYPES or name in CONTAINER_TYPES:
        # `Path("/srv") / name`: the path's methods are sinks; `dict(a=1)` may be filled later
        out = out.evolve(kind=name + "()")
    if all(v.known for v in values):
        out = SAFE if out is CLEAN else out.evolve(known=True)
    return out


def _replace(receiver: Value, args: list[Value]) -> Value:
    value = receiver.flat()
    if not value.taint or len(args) < 2:
        return value
    old = args[0].const
    cleans: set[str] = set()
    if old in _XPATH_QUOTES and args[1].const not in (UNKNOWN, "'", '"'):
        cleans.add("xpath")
    if isinstance(old, str) and old in ("\n", "\r", "\r\n") and "\n" not in str(args[1].const):
        cleans.add("log")
    return value.evolve(clean=value.clean | cleans) if cleans else value


def _enables_external_entities(ev: Evaluator, node: ast.Call, args: list[Value]) -> bool:
    """`parser.setFeature(feature_external_ges, True)` (the feature by name or by its URI)."""
    if len(args) < 2 or args[1].const not in (True, 1) or not node.args:
        return False
    feature = args[0].const if isinstance(args[0].const, str) else ev.qualname(node.args[0])
    return feature in SAX_EXTERNAL_ENTITIES


def _mutate(ev: Evaluator, name: str, receiver: Value, method: str, args: list[Value],
            keywords: dict[str | None, Value]) -> None:
    """`items.append(x)`, `d.update(...)`, `buf.write(x)`: the container now holds the data. A
    mapping whose keys are not known may replace any slot (`d.update(config)`)."""
    added = _joined([*args, *keywords.values()])
    if receiver.items is None and added.known and not added.taint:
        return  # nothing known of its elements changes
    items = elements(receiver)
    given = args[0].items if len(args) == 1 and args[0].items is not None else {} if not args else None
    if method == "update" and given is not None and ANY not in given and None not in keywords:
        for key, value in [*given.items(), *keywords.items()]:
            items[key] = value if key not in items else join(items[key], value)
    elif method == "update":
        items = {key: join(value, added) for key, value in items.items()}
        items.setdefault(ANY, added)
    else:
        items[ANY] = join(items[ANY], added) if ANY in items else added
    ev.env[name] = receiver.evolve(items=items, const=UNKNOWN)


def _summary_for(ev: Evaluator, node: ast.Call, inputs: list[Value],
                 receiver: Value | None) -> Summary | None:
    func = node.func
    if isinstance(func, ast.Name) and func.id not in ev.env and func.id in ev.summaries:
        return ev.summaries[func.id]
    if (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
            and func.value.id in ("self", "cls") and ev.class_name is not None):
        return next((found for cls in ev.module.lineage(ev.class_name)
                     if (found := ev.summaries.get(f"{cls}.{func.attr}")) is not None), None) \
            or _inherited_from_workspace(ev, ev.class_name, func.attr, inputs)
    if isinstance(func, ast.Attribute) and _on_module_class(ev, func):
        # `Student.get(conn, sid)`: a staticmethod or classmethod of a class of this module
        return ev.summaries.get(ev.module.inherited(func.value.id, func.attr))
    if isinstance(func, ast.Attribute) and _is_super(func.value) and ev.class_name is not None:
        # `super().__init__(url)`: the method of the nearest base of this file defining it
        for cls in ev.module.lineage(ev.class_name)[1:]:
            name = ev.module.inherited(cls, func.attr)
            if name is not None:
                return ev.summaries.get(name)
        return None
    if isinstance(func, ast.Attribute) and receiver is not None and not receiver.taint \
            and receiver.kind is not None and receiver.kind.endswith("()"):
        # `Repo(root).read(name)`: a method of a class of this module (or of its base of this
        # file), on an instance of it
        name = ev.module.inherited(receiver.kind[:-2], func.attr)
        method = ev.summaries.get(name) if name is not None else None
        if method is not None:
            return method
    external = ev.module.external
    if external is not None and not (isinstance(func, ast.Name) and func.id in ev.env):
        # A function of another workspace module, a method of its module-level instance
        # (`db.query`), or of an instance of its class (`Repo(root).read`) (workspace.py).
        tainted = any(v.tainted for v in inputs)
        name = ev.qualname(func)
        found = external(name, tainted) if name is not None else None
        if found is None and isinstance(func, ast.Attribute) and receiver is not None \
                and not receiver.taint and receiver.kind is not None and receiver.kind.endswith("()"):
            found = external(f"{receiver.kind[:-2]}.{func.attr}", tainted) \
                or _inherited_from_workspace(ev, receiver.kind[:-2], func.attr, inputs)
        return found
    return None


def _inherited_from_workspace(ev: Evaluator, class_name: str, method: str,
                              inputs: list[Value]) -> Summary | None:
    """The method a class of this module inherits from a class of another workspace module
    (`class Remote(Runner)`, `Runner` in runner.py), when no class of this file defines it."""
    external = ev.module.external
    if external is None or class_name not in ev.module.class_bases \
            or ev.module.inherited(class_name, method) is not None:
        return None
    tainted = any(v.tainted for v in inputs)
    return next((found for base in ev.module.class_bases[class_name] if base is not None
                 and (found := external(f"{base}.{method}", tainted)) is not None), None)


def _construct(ev: Evaluator, node: ast.Call, name: str | None, args: list[Value],
               keywords: dict[str | None, Value]) -> Value | None:
    """`Fetcher(request.args["url"])`, of a class of this module or of another workspace
    module: an instance whose fields hold what its `__init__` stored from the arguments (its
    methods bind them, apply_summary), after the sinks `__init__` itself reaches."""
    func = node.func
    init = None
    if isinstance(func, ast.Name) and func.id not in ev.env:
        # a subclass of this file without its own `__init__` is built by its base's
        found = ev.module.inherited(func.id, "__init__")
        init = ev.summaries.get(found) if found is not None \
            else _inherited_from_workspace(ev, func.id, "__init__", args)
        kind = f"{func.id}()"
    if init is None and ev.module.external is not None and name is not None \
            and not (isinstance(func, ast.Name) and func.id in ev.env):
        init = ev.module.external(f"{name}.__init__", True)
        kind = f"{name}()"
    if init is None or not init.fields or init.hands_on:
        return None  # what an unresolved `super().__init__(x)` stores is not seen: the default model
    bound = _bind_arguments(init.params, node, args, keywords)
    apply_summary(ev, node, init, args, keywords)
    call_step = ev.step(node, f"passed to `{ast.unparse(func)}`")
    fields = {field: _instantiated(value.flat(), bound, call_step)
              for field, value in init.fields.items()}
    if not any(v.taint for v in fields.values()):
        return Value(clean=EVERY_CLASS, kind=kind)
    return Value(clean=EVERY_CLASS, items=fields, kind=kind)


def _on_self(func: ast.expr) -> bool:
    """`self.setup(...)`, `super().__init__(...)`, `Base.__init__(self, ...)`: calls that may
    store their arguments in the instance's fields."""
    if not isinstance(func, ast.Attribute):
        return False
    owner = func.value
    return func.attr == "__init__" or (isinstance(owner, ast.Name) and owner.id == "self") \
        or _is_super(owner)


def _base_method(ev: Evaluator, node: ast.Call) -> str | None:
    """`Base.method(self, ...)` in a method of a subclass of this file's `Base`: that method
    (or the one `Base` inherits), by name."""
    func = node.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and node.args
            and isinstance(node.args[0], ast.Name) and node.args[0].id == "self"
            and func.value.id in ev.module.lineage(ev.class_name)[1:]):
        return None
    return ev.module.inherited(func.value.id, func.attr)


def _is_super(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


def _store_fields(ev: Evaluator, node: ast.Call, summary: Summary, args: list[Value],
                  keywords: dict[str | None, Value]) -> None:
    """The fields a method of the instance stored (`self.url = url` in a helper or the base's
    `__init__`) are the caller's own now, its parameters replaced by the arguments."""
    if not summary.fields or ev.env is None:
        return
    bound = _bind_arguments(summary.params, node, args, keywords)
    call_step = ev.step(node, f"passed to `{ast.unparse(node.func)}`")
    for field, value in summary.fields.items():
        ev.env[f"self.{field}"] = _instantiated(value.flat(), bound, call_step)


def _set_instance_fields(ev: Evaluator, node: ast.Call, name: str, receiver: Value,
                        summary: Summary, args: list[Value],
                        keywords: dict[str | None, Value]) -> None:
    """`f.configure(request.args["url"])` on a local instance: the fields the method set are
    the instance's now (its later `f.fetch()` reads them, calls.py `_field_values`)."""
    bound = _bind_arguments(summary.params, node, args, keywords)
    call_step = ev.step(node, f"passed to `{ast.unparse(node.func)}`")
    items = dict(receiver.items or {})
    for field, value in summary.fields.items():
        items[field] = _instantiated(value.flat(), bound, call_step)
    ev.env[name] = receiver.evolve(items=items if any(v.tainted for v in items.values()) else None)


def apply_summary(ev: Evaluator, node: ast.Call, summary: Summary, args: list[Value],
                  keywords: dict[str | None, Value], receiver: Value | None = None) -> Value:
    """The callee's effect at this call: its parameters replaced by the arguments, the fields
    of `self` it reads (`field_params`) by the receiver's."""
    from bastion.analyzers.taint.expressions import Hit

    bound = _bind_arguments(summary.params, node, args, keywords)
    if summary.with_fields is not None:
        fields = _field_values(ev, node, summary.with_fields, receiver)
        if any(v.tainted for v in fields.values()):
            summary = summary.with_fields
            bound.update(fields)
    callee = ast.unparse(node.func)
    call_step = ev.step(node, f"passed to `{callee}`")
    for hit in summary.sinks:
        for origin in ordered(hit.value.taint):
            argument = bound.get(origin.param) if origin.kind == "param" else None
            if argument is None or not argument.taint or hit.sink_class in argument.clean:
                continue
            value = argument.with_step(call_step)
            value = value.evolve(modelled=value.modelled and hit.value.modelled)
            ev.hits.append(Hit(hit.sink_class, hit.sink, node, ev.statement, value,
                               via=inner_steps(hit)))
    return _instantiated(summary.returns.flat(), bound, call_step)


def _instantiated(returns: Value, bound: dict[int, Value], call_step) -> Value:
    """A value of the callee (its return value, a field its `__init__` stored) with its
    parameters' part replaced by the arguments bound to them."""
    real = frozenset(o for o in returns.taint if o.kind != "param")
    known = returns.known
    for origin in returns.taint:  # a parameter's part is as known as the argument passed
        if origin.kind == "param":
            argument = bound.get(origin.param)
            known = known and argument is not None and argument.flat().known
    out = Value(real, returns.clean if real else EVERY_CLASS, returns.const if not returns.taint
                else UNKNOWN, None, returns.kind, returns.prefix, returns.steps if real else (),
                returns.modelled, known)
    for origin in ordered(returns.taint):
        argument = bound.get(origin.param) if origin.kind == "param" else None
        if argument is not None and argument.tainted:
            passed = argument.flat()
            passed = passed.evolve(clean=passed.clean | returns.clean,
                                   modelled=passed.modelled and returns.modelled)
            out = join(out, passed.with_step(call_step))
    return out


def _field_values(ev: Evaluator, node: ast.Call, summary: Summary,
                  receiver: Value | None) -> dict[int, Value]:
    """The values of the fields a method reads, by their parameter number: in a method,
    `self.fetch()` sees the caller's own fields; `f.fetch()`, the instance's."""
    func = node.func
    own = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
        and func.value.id == "self" and ev.class_name is not None
    first = len(summary.params)
    found: dict[int, Value] = {}
    for index, field in enumerate(summary.field_params):
        if own:
            value = ev.env.get(f"self.{field}") or ev.fields.get(field)
        else:
            value = receiver.items.get(field) if receiver is not None and receiver.items else None
        if value is not None:
            found[first + index] = value
    return found


def inner_steps(hit) -> tuple:
    """The path inside the callee, from its parameter to the sink."""
    steps = tuple(s for s in hit.value.steps if not s.note.startswith("parameter "))
    return steps + (hit.via or (hit.sink_step(),))


def _bind_arguments(params: tuple[str, ...], node: ast.Call, args: list[Value],
                    keywords: dict[str | None, Value]) -> dict[int, Value]:
    bound: dict[int, Value] = {}
    for index, value in enumerate(args):
        if any(isinstance(a, ast.Starred) for a in node.args[:index + 1]):
            for slot in range(index, len(params)):
                bound[slot] = join(bound[slot], value) if slot in bound else value
            break
        if index < len(params):
            bound[index] = value
    for name, value in keywords.items():
        if name is None:
            for slot in range(len(params)):
                bound.setdefault(slot, value)
        elif name in params:
            bound[params.index(name)] = value
    return bound

"""What a call returns in the abstract domain, in the design's resolution order: models
(sanitizers, sources, propagators), same-file summaries, string and container methods
(method_calls.py), then the default model (argument and receiver taint flow to the result,
marked not modelled)."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argparse_choices import builds_parser, built_parser, parsed_namespace
from bastion.analyzers.taint.argv import LOOKUPS, found_program, starts_with_word
from bastion.analyzers.taint.charsets import SUBSTITUTIONS, substitution
from bastion.analyzers.taint.class_calls import unbound_method
from bastion.analyzers.taint.closures import LocalFunction
from bastion.analyzers.taint.constant_instances import built_constant
from bastion.analyzers.taint.containers import keyed_mapping
from bastion.analyzers.taint.domain import (
    ANY,
    APP_PATH,
    APP_PATH_BUILDERS,
    CLEAN,
    COMPONENT,
    EVERY_CLASS,
    FILE_OPENERS,
    NONE,
    SAFE,
    UNKNOWN,
    Value,
    as_component,
    elements,
    join,
    join_all,
    keyed,
    params_only,
)
from bastion.analyzers.taint.forms import built_as_record, form_called, form_instance, instance_form
from bastion.analyzers.taint.getter_types import converts
from bastion.analyzers.taint.handed_requests import READS, MethodResult, bare_param, hands_request
from bastion.analyzers.taint.held_calls import hold, holds_instance
from bastion.analyzers.taint.instances import (
    class_called,
    construct,
    record_instance,
    set_instance_fields,
    store_fields,
)
from bastion.analyzers.taint.iterators import ITERATORS, NEXT, iterated, next_of, pairs_dict
from bastion.analyzers.taint.key_presence import DEFAULT_DICTS, default_dict
from bastion.analyzers.taint.mapped import REDUCE, mapped, reduced
from bastion.analyzers.taint.method_calls import CONTAINER_READS, METHOD_NAMES, PATH_TYPES, method_result
from bastion.analyzers.taint.method_calls import joined as _joined
from bastion.analyzers.taint.model_rows import ROW_READS, ROW_SHORTCUTS, model_row
from bastion.analyzers.taint.patterns import COMPILED_PATTERN, Compiled, compiled_pattern
from bastion.analyzers.taint.propagated import DUMPS, propagated, serialized
from bastion.analyzers.taint.regex_tests import REGEX_TESTS, match_value
from bastion.analyzers.taint.sinks import LXML_PARSERS, YAML_LOADERS, loader_kind, parser_kind
from bastion.analyzers.taint.string_templates import SUBSTITUTES, template_substituted
from bastion.analyzers.taint.string_transforms import ESCAPING_CODECS, REMAKERS, TABLES, remade, translation
from bastion.analyzers.taint.summaries import apply_summary, on_self, summary_for
from bastion.analyzers.taint.templates import (
    JINJA_NAMES,
    RENDER_METHODS,
    STRING_RENDERS,
    escaped_render,
    jinja_object,
    printed_raw,
    tornado_template,
)

if TYPE_CHECKING:
    from bastion.analyzers.taint.call_entries import CallEntry
    from bastion.analyzers.taint.expressions import Evaluator

_PATH_JOINS = frozenset({"os.path.join", "posixpath.join", "ntpath.join"})
# Of a path (pathlib, zipfile.Path, importlib.resources): what the file holds, whatever its name
_PATH_READS = frozenset({"read_text", "read_bytes"})


# `dict(k=v)`, `OrderedDict(k=v)`: the display `{"k": v}`, slot by slot; a namespace's
# attributes are read from those slots (`SimpleNamespace(cmd=v).cmd`)
_KEYWORD_DICTS = frozenset({"dict", "collections.OrderedDict"})
_KEYWORD_RECORDS = _KEYWORD_DICTS | {"types.SimpleNamespace"}
_FROMKEYS = frozenset({"dict.fromkeys", "collections.OrderedDict.fromkeys"})
_SPLITEXT = frozenset({"os.path.splitext", "posixpath.splitext", "ntpath.splitext"})
_SHLEX_SPLIT = frozenset({"shlex.split"})
_MAPS = frozenset({"map", "builtins.map"})
# Insert into the list they are given, where the values' order puts the new one: at any slot
_ORDERED_INSERTS = frozenset({"heapq.heappush", "bisect.insort", "bisect.insort_left", "bisect.insort_right"})
_STATUS_OUTPUT = frozenset({"subprocess.getstatusoutput", "commands.getstatusoutput"})
# A listening socket's `accept()`: (the connection, a socket whose `recv` the models name, the
# peer's address)
_ACCEPTS = frozenset({"socket.socket().accept", "socket.create_server().accept"})

# Dispatch by call shape (issue 12: each call ran ~40 checks in turn): the blocks of checks a call
# can meet, by the qualified name it resolves to and by its final attribute, built from the sets
# the checks read. A call of none (`helper(v)`, `escape(x)`, `abort(400)`) meets only the open
# checks: models, sources, forms, constructors, summaries, propagators and the default. Inside a
# block the checks keep their order; one added to a block needs its names or methods here.
# `get` and `getlist` meet one check only, a converter's (getter_types.py): a block of its own,
# else a long view's ~45 `request.args.get(...)` would each ask the ~18 others of `_SHAPED`.
_EARLY, _PATHS, _SHAPED, _METHODS, _CONVERTS = 1, 2, 4, 8, 16


def _table(*blocks: tuple[int, frozenset[str]]) -> dict[str, int]:
    table: dict[str, int] = {}
    for flag, keys in blocks:
        for key in keys:
            table[key] = table.get(key, 0) | flag
    return table


_BY_NAME = _table(
    (_EARLY, _MAPS | NEXT | REDUCE | ITERATORS | DEFAULT_DICTS | _KEYWORD_RECORDS | _FROMKEYS
     | _ORDERED_INSERTS | TABLES),
    (_PATHS, _PATH_JOINS | PATH_TYPES | FILE_OPENERS | LOOKUPS | {"re.compile"}),
    (_SHAPED, JINJA_NAMES | _SPLITEXT | _STATUS_OUTPUT | _ACCEPTS | _SHLEX_SPLIT | LXML_PARSERS | YAML_LOADERS
     | STRING_RENDERS | SUBSTITUTIONS | REMAKERS | frozenset(REGEX_TESTS) | {"vars", "builtins.vars"}))
_BY_METHOD = _table(
    (_EARLY, frozenset({"maketrans"})), (_PATHS, _PATH_READS | {"joinpath"}),
    (_SHAPED, RENDER_METHODS | SUBSTITUTES | READS | frozenset(REGEX_TESTS.values())
     | {"encode", "decode", "translate", "sub"}),
    (_CONVERTS, frozenset({"get", "getlist"})),
    (_METHODS, METHOD_NAMES))


def checks_met(name: str | None, method: str | None) -> int:
    """The blocks of checks a call of this name and final attribute can meet (call_entries.py)."""
    return _BY_NAME.get(name, 0) | _BY_METHOD.get(method, 0)


def evaluate_call(ev: Evaluator, node: ast.Call, name: str | None, args: list[Value],
                  keywords: dict[str | None, Value], receiver: Value | None,
                  on_module: bool, own: bool, entry: CallEntry, static: bool) -> Value:
    """`on_module`: the callee is a module's attribute (`shlex.quote`); `own`: a method of a
    class of this module or a workspace module's function, `static` a static or class method
    called on its class (summaries.py's `class_method`); `entry`: what the models say of the
    callee (call_entries.py)."""
    func = node.func  # read once: an AST node's attribute is a generic (dict) read
    callee = type(func)  # read once: no isinstance call a call
    method = func.attr if callee is ast.Attribute else None
    inputs = [*args, *keywords.values()] if keywords else [*args]
    for value in inputs:  # a factory's closure (closures.py) is code, no data: `key=by(field)`
        if value.items is not None and type(value.const) is LocalFunction:
            inputs = [v for v in inputs if type(v.const) is not LocalFunction]
            break
    if receiver is not None and not on_module:
        inputs.append(receiver)  # `shlex.quote(x)`'s `shlex` is no input
        if receiver.taint and method is not None:  # `self.repo.find(q)`: for a caller (held_calls.py)
            hold(ev, node, receiver, args, keywords)
    elif callee is ast.Name and (env := ev.env) and func.id in env and env[func.id].taint \
            and (called := hold(ev, node, env[func.id], args, keywords)) is not None:
        return called  # `func(value)`, `func` a parameter: what the function a caller hands returns
    shape = entry.shape  # the checks it can meet
    if shape & _EARLY:
        if name in _MAPS and len(args) > 1 and not keywords:
            return mapped(ev, node, args[1:], _joined([iterable.item(ANY) for iterable in args[1:]]))
        if (kept := next_of(ev, node) if name in NEXT else reduced(ev, node, args) if name in REDUCE
                else None) is not None:  # `next(iter(["ls", q]))` is "ls"; reduce over a list in order
            return kept
        if name in DEFAULT_DICTS and (kept := default_dict(node)) is not None:  # a missing key's constant
            return kept
        if name in ITERATORS and not any(isinstance(a, ast.Starred) for a in node.args) \
                and (kept := iterated(name, args, keywords)) is not None:
            return kept
        if name in _ORDERED_INSERTS and len(node.args) == 2 and not keywords \
                and isinstance(node.args[0], ast.Name) and node.args[0].id in (ev.env or {}):
            # `heapq.heappush(heap, q)`: any slot of the list may now hold q
            slots = {k: join(v, args[1]) for k, v in elements(args[0]).items()}
            ev.env[node.args[0].id] = args[0].evolve(items={ANY: args[1], **slots}, const=UNKNOWN)
            return NONE
        if name in _FROMKEYS and 1 <= len(args) <= 2 and not keywords:  # `dict.fromkeys(names, 0)`
            return keyed_mapping(args[0].iterated(), args[1] if len(args) == 2 else NONE)
        if name in _KEYWORD_RECORDS and not args and keywords and None not in keywords:  # `{"k": v}`
            return Value(clean=EVERY_CLASS, items=dict(keywords),
                         known=all(v.known for v in keywords.values()))
        if name in _KEYWORD_DICTS and len(args) == 1 and not keywords \
                and (kept := pairs_dict(args[0])) is not None:  # `dict(zip(KEYS, values))`
            return kept
        if (kept := translation(name, method, receiver, args, keywords)) is not None:
            return kept  # `ord("\n")`, `str.maketrans("", "", "\r\n")`: a translation's table
    if (method in ROW_READS or name in ROW_SHORTCUTS) and (row := model_row(ev, node, name)) is not None:
        return row  # `get_object_or_404(Post, pk=pk)`: a `Post`, its methods the class's
    # a method's name alone is no sanitizer of a call a propagator names (`soup.find("a")` is
    # the tag of the parsed document, not `str.find`'s number)
    sanitizer = entry.sanitizers or (entry.method_sanitizers if not own else [])
    # Bottle's `template` escapes, but for the values its source prints raw
    if sanitizer and sanitizer[0].cleans_at(name, keywords) and not printed_raw(name, args, keywords):
        model = sanitizer[0]
        if model.cleans == EVERY_CLASS:
            return SAFE
        flowing = inputs if model.args is None else [args[i] for i in model.args if i < len(args)]
        joined = _joined(flowing, name)  # `json.loads(body)` is known as what json.loads made
        cleaned = joined.evolve(clean=joined.clean | model.cleans_given(args, keywords),
                                kind=APP_PATH if name in APP_PATH_BUILDERS else joined.kind)
        return serialized(ev, node, args, cleaned) if name in DUMPS else cleaned  # `json.dumps(...)`
    if shape & _PATHS:
        if name in _PATH_JOINS or name in PATH_TYPES or method == "joinpath" and receiver is not None \
                and (receiver.kind or "").startswith("pathlib."):
            # `os.path.join(BASE, name)`: a later part that may be absolute replaces the base
            first = 0 if method == "joinpath" else 1
            args = [*args[:first], *map(as_component, args[first:])]
            inputs = [*args, *keywords.values(), *([receiver] if receiver is not None and not on_module
                                                     else [])]
        if name in FILE_OPENERS or method in _PATH_READS and not on_module \
                and not own:
            # What a file holds is data of kind `file`, not modelled as a source (off by default).
            return Value(clean=EVERY_CLASS, kind="open()")
        if name in LOOKUPS and (program := found_program(args, keywords)) is not None:
            return program
        if name == "re.compile":
            compiled = compiled_pattern(node, ev.names)
            if compiled is not None:  # kept as the value's constant, for the guards that use it
                return Value(clean=EVERY_CLASS, kind=COMPILED_PATTERN, const=Compiled(*compiled))
    found = ev.source_value(name, node) if entry.sources else None
    if found is not None:
        read = parsed_namespace(found, name, node, args, keywords, ev.module, receiver)
        # a source safe for some class holds its arguments too, where untrusted data may start
        # them (`build_absolute_uri(location)` returns an absolute location as it is)
        started = [v for v in args if v.tainted and v.prefix] if read.clean else []
        return join_all([read, *started]) if started else read
    carries = _carries(inputs)  # asked by the checks below: once a call
    form = (form_called(ev.module.forms, node, ev.env)
            or instance_form(ev.module.forms, receiver, method)) if ev.module.forms else None
    if form is not None and form not in ev.module.class_bases \
            and built_as_record(ev.module.external, name):
        form = None  # a record class of another module: its `__init__` summary holds each field
    if form is not None and carries:  # `AgeForm(request.POST)`
        # a record class built field by field (`Body(name="x", cmd=...)`) holds each argument
        # in its field; built from a mapping, or a form of another kind, it is the data whole
        fields = ev.module.records.get(form) if callee is ast.Name else None
        built = record_instance(ev, node, fields, args, keywords, ev.module.forms[form].clean) \
            if fields is not None else None
        return built if built is not None else form_instance(ev.module.forms[form],
                                                             _joined(inputs, name), f"{form}()")
    if form is not None and callee is ast.Name and not node.args and "formdata" not in keywords:
        # Flask-WTF's `PageForm()` reads the submitted form itself
        read = next(filter(None, (ev.source_value(source, node)
                                  for source in sorted(ev.module.forms[form].reads))), None)
        if read is not None:
            return form_instance(ev.module.forms[form], read, f"{form}()")
    if callee is ast.Name or callee is ast.Attribute and ev.module.external is not None:
        # `Params(request)`: what `__init__` keeps of the request object (`self.args = req.args`);
        # `Runner()`: the constants it stores (constant_instances.py). A method builds an
        # instance only as another workspace module's class (`models.Repo(root)`).
        built = construct(ev, node, name, args, keywords) \
            if carries or hands_request(ev, node) \
            else built_constant(ev, node, args, keywords)
        if built is None and holds_instance(inputs):
            # `UserService(UserRepository(conn))`: an instance holding another (held_calls.py)
            built = construct(ev, node, name, args, keywords)
            built = built if built is not None and built.items else None
        if built is not None:
            return built
    own = ev.class_name is not None and on_self(func)
    if own and (func.attr != "__init__" or _hands_data(node, args, keywords)):
        ev.handed_on.add(node)  # until a summary shows what the callee stores in `self`
    summary = summary_for(ev, node, inputs, receiver, static)
    called = node
    if callee is ast.Attribute and node.args and type(func.value) is ast.Name \
            and (summary is not None or func.value.id in ev.module.class_bases) \
            and (base := unbound_method(ev, node, summary, args[0])) is not None:
        summary = base  # `Base.__init__(self, url)`, `Command.run(cmd, line)`: the instance by hand
        called = ast.copy_location(ast.Call(func, node.args[1:], node.keywords), node)
        receiver = args[0]
        args = args[1:]
    if summary is not None:
        returned = apply_summary(ev, called, summary, args, keywords, receiver)
        if receiver is not None and receiver.items and returned.kind is not None \
                and returned.kind == receiver.kind and not returned.taint:
            # a fluent setter's `return self`: the instance keeps the fields it had
            returned = returned.evolve(items={**receiver.items, **(returned.items or {})})
        if own:
            # what the callee stored is known even when it may store more elsewhere
            store_fields(ev, called, summary, args, keywords)
            if not summary.hands_on:
                ev.handed_on.discard(node)
        elif summary.fields and callee is ast.Attribute \
                and type(func.value) is ast.Name and func.value.id in ev.env \
                and receiver is not None and receiver.kind is not None \
                and receiver.kind.endswith("()"):
            set_instance_fields(ev, node, func.value.id, receiver, summary, args, keywords)
        return returned
    if shape & _SHAPED:  # the checks of a few names or methods each, in their order
        made = jinja_object(name, keywords, inputs) or tornado_template(name, args, keywords) \
            or escaped_render(receiver, method, inputs)
        if made is not None:
            return made
        if (matched := match_value(ev, node, name, args, keywords)) is not None:
            return matched  # `re.fullmatch(r"(\d+)-(\d+)", text)`: its groups
        if name in _SPLITEXT and len(args) == 1 and args[0].taint:
            # (root, extension): an extension is a dot and what follows the last one, no separator
            whole = _joined(args, name)
            return Value(clean=EVERY_CLASS, items={
                0: whole, 1: whole.evolve(clean=whole.clean | {"path", COMPONENT})})
        if name in _STATUS_OUTPUT:
            # (exit status, output): the output as `getoutput` returns it, no text of the view's
            result = _joined(inputs, name)
            output = result.evolve(modelled=False) if result.taint else result
            return Value(clean=EVERY_CLASS, items={0: SAFE, 1: output}, kind=name + "()")
        if name in _ACCEPTS:  # `conn, addr = server.accept()`
            return Value(clean=EVERY_CLASS, items={0: Value(clean=EVERY_CLASS, kind="socket.socket()"),
                                                   1: SAFE})
        if name in _SHLEX_SPLIT and len(node.args) == 1 and args[0].taint \
                and starts_with_word(node.args[0]):
            # `shlex.split(f"convert {name} out.png")`: the program an argv runs is the
            # developer's; the request's words are its arguments
            words = _joined(args, name).evolve(const=UNKNOWN, kind=None)
            return Value(clean=EVERY_CLASS, items={0: SAFE, ANY: words})
        entities = keywords.get("resolve_entities")
        parser = parser_kind(name, entities is None and None not in keywords,
                             entities is not None and entities.const is True)
        if parser is not None:  # lxml's default: a sink by its version
            return Value(clean=EVERY_CLASS, kind=parser)
        if name in YAML_LOADERS and "typ" in keywords and not carries \
                and (loader := loader_kind(name, keywords["typ"].const)) is not None:
            return Value(clean=EVERY_CLASS, kind=loader + "()")
    if shape & _CONVERTS and converts(ev, node, method):
        # Werkzeug's `request.args.get("page", type=int)`: the converter's result, or the
        # default; `getlist("id", type=int)`: the values that converted (the others are dropped)
        return SAFE if method == "getlist" else \
            join(SAFE, args[1] if len(args) > 1 else keywords.get("default", NONE))
    if shape & _SHAPED:
        if printed := printed_raw(name, args, keywords):  # `{{ q|safe }}`: the page holds `q` as it is
            return _joined(printed).evolve(kind=None, const=UNKNOWN)
        if (templated := template_substituted(ev, node, method, args, keywords)) is not None:
            return templated  # `string.Template("$x").substitute(x=a, y=b)` holds `a` only
        if (substituted := substitution(ev, node, name, args, keywords, receiver)) is not None:
            kept = _joined([substituted[0]], name)  # the text, with what the substitution proves of it
            return kept.evolve(clean=kept.clean | substituted[1])
        if method == "encode" and receiver is not None and not on_module and args \
                and args[0].const in ESCAPING_CODECS:
            # `text.encode("unicode_escape")`: every line break and control character as `\n`, `\x1b`
            escaped = _joined([receiver], name)
            return escaped.evolve(clean=escaped.clean | {"log"})
        if method == "translate" and not on_module \
                and (kept := translation(name, method, receiver, args, keywords)) is not None:
            return kept  # `name.translate(str.maketrans("", "", "\r\n"))`: one log line
        remaking = remade(name, method, receiver if not on_module else None, args, keywords)
        if remaking is not None and remaking[0].taint:  # `unicodedata.normalize("NFKC", q)`: `／` is `/`
            text = _joined([remaking[0]], name)
            return text.evolve(clean=remaking[1], prefix=text.prefix or remaking[1] != text.clean)
        if name in ("vars", "builtins.vars") and len(args) == 1 and args[0].items and not keywords:
            return args[0].evolve(kind=None)  # `vars(args)["count"]`: attributes are its keys
        if method in READS and receiver is not None and not on_module and bare_param(receiver) \
                and not any(v.tainted for v in [*args, *keywords.values()]):
            # `req.read()` of a parameter: the source of that name of a request handed there
            read = _joined(inputs, name)
            return read.evolve(taint=keyed(read.taint, MethodResult(method)))
    propagator = entry.propagators
    if propagator:
        return propagated(ev, node, propagator[0], name, inputs, args, keywords)
    if shape & _METHODS and method is not None and receiver is not None \
            and (by_method := method_result(ev, node, method, args, keywords, receiver, inputs)) is not None:
        # a module's function named as a container read (`requests.get(url)`) carries its
        # arguments' taint, but returns what a server or the system sends: not known text
        return by_method.evolve(known=False) if on_module and method in CONTAINER_READS else by_method
    if builds_parser(name, inputs):  # with what its parents of other modules prove
        return built_parser(keywords.get("parents"))
    if not carries:
        # a constant tuple, list or record is no data either (`create_server(("", 8000))`)
        built = class_called(ev, func) if callee is ast.Name \
            and func.id in ev.env else None  # `cls()` in a classmethod: an instance
        return Value(clean=EVERY_CLASS, kind=(built or name) + "()") if built or name else CLEAN
    result = _joined(inputs, name)
    given = [*args, *keywords.values()]
    if method is not None and receiver is not None and receiver.taint and not on_module \
            and (not any(v.tainted for v in given) or bare_param(receiver)
                 and all(o.kind == "param" for v in given for o in v.taint)):
        # `req.get_json()` of a parameter, `handler.get_argument(name)` of the helper's
        # parameters: what that method of the argument returns, judged at the call (a request
        # reads its source of that name there, handed_requests.py; another argument, or one
        # handed to the method, is any of its data, not modelled: summaries.passed)
        result = result.evolve(taint=keyed(result.taint, f"{method}()"))
        if params_only(result.taint):
            return result
    return result.evolve(modelled=False) if result.taint else result


def _carries(values: list[Value]) -> bool:
    """`any(v.tainted for v in values)`, a value's `taint` read before the property that looks
    into its slots too: no generator's frame and no property call a value (~1,000 calls of a
    long view's ~2,100 calls)."""
    for value in values:
        if value.taint or value.items and value.tainted:
            return True
    return False


def _hands_data(node: ast.Call, args: list[Value], keywords: dict[str | None, Value]) -> bool:
    """Whether a base's `__init__` is handed data (`super().__init__(name=name)`): one handed
    constants only (`threading.Thread.__init__(self, daemon=True)`) stores none of the caller's."""
    return any(v.tainted for a, v in zip(node.args, args, strict=False)
               if not (isinstance(a, ast.Name) and a.id == "self")) \
        or any(v.tainted for v in keywords.values())


"""What a module's top-level statements bind, before any function is classified (context.py
builds the rest of a module context on it): the import / alias table, constant globals (folded
literals), the kinds of global objects built by calls, compiled patterns, module-level
wrappers (`sh = lambda c: os.system(c)`), and the definitions and expressions the context's
passes read.
"""

from __future__ import annotations

import ast

import attrs

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.bindings import Bindings
from bastion.analyzers.taint.context_reuse import keep_level, kept_level, kept_wrapper, text_words
from bastion.analyzers.taint.derived_tables import derived_constant
from bastion.analyzers.taint.domain import UNKNOWN, Value, constant
from bastion.analyzers.taint.entries import FUNCTIONS
from bastion.analyzers.taint.factories import resolve
from bastion.analyzers.taint.folding import KNOWN_ATTRIBUTES
from bastion.analyzers.taint.patterns import compiled_pattern
from bastion.analyzers.taint.sinks import (
    SAX_EXTERNAL_ENTITIES,
    SAX_PARSER,
    UNSAFE_SAX_PARSER,
    loader_kind,
    parser_kind,
)
from bastion.analyzers.taint.templates import module_jinja_kind
from bastion.engine.cache import LRU

_CONST_TYPES = (str, int, float, bool, bytes, type(None))
MAX_CONTAINERS = 64  # module-level lists / dicts / sets checked for changes in place
_DEFINITIONS = (*FUNCTIONS, ast.ClassDef)
_DEFINITION_TYPES = frozenset(_DEFINITIONS)


@attrs.frozen
class ModuleLevel:
    """What a module's top-level statements bind, before any function is classified: kinds
    and patterns kept for the names bound once, definitions with the wrappers so bound."""

    env: Env
    constants: dict[str, Value]  # every folded constant (`module_context` keeps the unchanged)
    kinds: dict[str, str]
    patterns: dict[str, tuple[str | bytes, int]]
    containers: set[str]
    definitions: list[ast.stmt]
    expressions: list[ast.stmt]
    imported: set[str]
    bindings: Bindings
    named: dict[str, str]  # `run = os.system`: name -> the dotted name's qualified name

    def unchanged(self, tree: ast.Module, foreign: frozenset[str] = frozenset()) -> dict[str, Value]:
        """The constants bound once that nothing changes: no function's `TOOLS.append(x)`, no
        other module of a scan (`foreign`: foreign_changes.py); past MAX_CONTAINERS containers,
        each a search of the text, no container."""
        containers, bindings = self.containers, self.bindings
        return {k: v for k, v in self.constants.items() if bindings.constant(k) and k not in foreign
                and not (k in containers and (len(containers) > MAX_CONTAINERS
                                              or bindings.changed(k, tree.body)))}

    def fixed(self, tree: ast.Module, name: str, foreign: frozenset[str] = frozenset()) -> Value | None:
        """The constant `name` holds where nothing changes it, read statement by statement: a
        container handed to a call the text search of `unchanged` cannot tell from one handing
        it on (`SelectField("Tool", choices=TOOLS)`; readers.py)."""
        value = self.constants.get(name)
        if value is None or not self.bindings.constant(name) or name in foreign:
            return None
        if name in self.containers and self.bindings.changed_in_trees(name, tree.body):
            return None
        return value


def module_level(tree: ast.Module, memo: LRU | None, text: str | None) -> ModuleLevel:
    """`memo`: keeps what the statements other than definitions bind for the next text of a
    document, whose block parser hands back the nodes of the blocks an edit did not change
    (`kept_level`): a keystroke in a function or class binds nothing new there."""
    # each statement told by its class, a read (the parser makes no subclass of them), and
    # the definitions in a list display where no `if` / `try` holds one: no call a statement,
    # ~100 a keystroke in _pydecimal.py
    body = tree.body
    others = [node for node in body if node.__class__ not in _DEFINITION_TYPES]
    bound = kept_level(memo, others)
    if bound is None:
        bound = _bound(others, memo)
        keep_level(memo, others, bound)
    nested = bound.nested
    definitions: list[ast.stmt] = [node for node in body if node.__class__ in _DEFINITION_TYPES] \
        if not nested else [d for node in body for d in (
            (node,) if node.__class__ in _DEFINITION_TYPES else nested.get(id(node), ()))]
    bindings = Bindings(tree.body, memo, text, text_words(memo))
    kinds = {k: v for k, v in bound.kinds.items() if bindings.once(k)}
    patterns = {k: v for k, v in bound.patterns.items() if k in kinds}
    definitions += [w for w in bound.wrappers if bindings.once(w.name)]
    # copies: the kept ones serve the next text too
    return ModuleLevel(Env(dict(bound.env.aliases), set(bound.env.imports)), dict(bound.constants),
                       kinds, patterns, set(bound.containers), definitions,
                       list(bound.expressions), set(bound.imported), bindings, dict(bound.named))


@attrs.frozen
class _Bound:
    """What a module's top-level statements other than its definitions bind (`_bound`). It
    depends on those statements alone, in their order: an import binds in the table the
    assignments after it resolve calls with; a definition binds only its name (Bindings counts
    it) and resolves nothing for a later statement."""

    env: Env
    constants: dict[str, Value]
    kinds: dict[str, str]  # all, before `Bindings` keeps those bound once
    patterns: dict[str, tuple[str | bytes, int]]
    containers: set[str]
    wrappers: list[ast.FunctionDef]  # `sh = lambda c: os.system(c)` (wrappers.py)
    expressions: list[ast.stmt]
    imported: set[str]
    nested: dict[int, list[ast.stmt]]  # id of a statement -> the definitions in its `if` / `try`
    named: dict[str, str]  # `run = os.system` (sink_aliases.py)


def _bound(statements: list[ast.stmt], memo: LRU | None) -> _Bound:
    bound = _Bound(Env({}, set()), {}, {}, {}, set(), [], [], set(), {}, {})
    env, constants, kinds = bound.env, bound.constants, bound.kinds
    displays: dict[str, ast.expr] = {}  # lists and tuples that did not fold (derived_tables)
    for statement in statements:
        for node in module_statements([statement]):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                env.add_import(node)
                bound.imported.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name):
                        folded = fold_constant(node.value, env)
                        if folded is UNKNOWN:
                            folded = derived_constant(node.value, lambda name: constants[name].const
                                                      if name in constants else UNKNOWN, displays)
                        if isinstance(node.value, (ast.List, ast.Tuple)):
                            displays[target.id] = node.value
                        if folded is not UNKNOWN:
                            constants[target.id] = _table(node.value, constant(folded))
                            if not isinstance(node.value, (ast.Constant, ast.Tuple)) \
                                    and not isinstance(folded, str):
                                bound.containers.add(target.id)  # a list, dict or set
                        elif isinstance(node.value, ast.Call):
                            called = _called(node.value.func, env, kinds)
                            if called is not None:
                                kinds[target.id] = _module_kind(called, node.value)
                            if called == "re.compile":
                                compiled = compiled_pattern(node.value, env)
                                if compiled is not None:
                                    bound.patterns[target.id] = compiled
                        elif isinstance(node.value, (ast.Name, ast.Attribute)):
                            dotted = env.qualname(node.value)
                            if dotted is not None:
                                bound.named[target.id] = dotted
                        wrapper = kept_wrapper(memo, target.id, node.value, env) \
                            if isinstance(node.value, (ast.Lambda, ast.Call)) else None
                        if wrapper is not None:
                            bound.wrappers.append(wrapper)
                if isinstance(node.value, (ast.Call, ast.List, ast.Tuple)):
                    bound.expressions.append(node)  # a table of routes (factories.registrations)
            elif isinstance(node, _DEFINITIONS):
                bound.nested.setdefault(id(statement), []).append(node)
            elif isinstance(node, ast.Expr):
                bound.expressions.append(node)
                if (configured := _configured_parser(node.value, env, kinds)) is not None:
                    kinds[configured[0]] = configured[1]
    return bound


def _configured_parser(call: ast.expr, env: Env, kinds: dict[str, str]) -> tuple[str, str] | None:
    """(name, kind) of a global SAX parser a module-level `parser.setFeature(feature_external_ges,
    True)` configures: every function parsing with it fetches external entities, as with one
    configured in the function (method_calls.py); a constant false switches it back."""
    if type(call) is not ast.Call or type(call.func) is not ast.Attribute or call.func.attr != "setFeature" \
            or type(call.func.value) is not ast.Name or len(call.args) != 2 \
            or kinds.get(call.func.value.id) not in (SAX_PARSER, UNSAFE_SAX_PARSER):
        return None
    feature, flag = call.args
    named = feature.value if type(feature) is ast.Constant else env.qualname(feature)
    if named not in SAX_EXTERNAL_ENTITIES or type(flag) is not ast.Constant \
            or flag.value not in (True, False):
        return None
    return call.func.value.id, UNSAFE_SAX_PARSER if flag.value else SAX_PARSER


def _called(func: ast.expr, env: Env, kinds: dict[str, str]) -> str | None:
    """The qualified name of a global's building call; a method of a global bound before by a call
    is its kind's (`session = boto3.Session()`, then `s3 = session.client("s3")`: the client of
    a session, whose `download_file` is a sink as `boto3.Session().client("s3")`'s is)."""
    root = func
    while isinstance(root, ast.Attribute):
        root = root.value
    if root is not func and isinstance(root, ast.Name) and root.id in kinds:
        return resolve(func, env, kinds)
    return env.qualname(func)


def _module_kind(called: str, call: ast.Call) -> str:
    """The kind of a global built by a call: a parser resolving entities, or left at lxml's
    default, serves every function that parses with it, as one built in the function does
    (calls.py)."""
    entities = [k.value for k in call.keywords if k.arg in ("resolve_entities", None)]
    parser = parser_kind(called, not entities,
                         any(isinstance(v, ast.Constant) and v.value is True for v in entities))
    if parser is not None:
        return parser
    typ = next((fold_constant(k.value) for k in call.keywords if k.arg == "typ"), None)
    loader = loader_kind(called, typ) if typ is not None else None
    return loader + "()" if loader is not None else module_jinja_kind(called, call)


def module_statements(body: list[ast.stmt]):
    """Module-level statements, looking into module-level `if` / `try` (optional imports)."""
    for node in body:
        if isinstance(node, ast.If):
            yield from module_statements(node.body)
            yield from module_statements(node.orelse)
        elif isinstance(node, ast.Try):
            yield from module_statements(node.body)
            for handler in node.handlers:
                yield from module_statements(handler.body)
        else:
            yield node


def _table(node: ast.expr, folded: Value) -> Value:
    """A folded constant; a dict whose values fold too keeps them by key (`REDIRECTS.values()`
    an allow-list, containers.members)."""
    if not isinstance(node, ast.Dict) or not node.values:
        return folded
    values = [fold_constant(v) for v in node.values]
    if any(v is UNKNOWN for v in values):
        return folded
    keys = [fold_constant(k) for k in node.keys]
    return folded.evolve(items={k: constant(v) for k, v in zip(keys, values, strict=True)})


# Pieces of text joined with `+` that fold: an allow-list's few, not a generated expression's
# thousands (`0 + 0 + ...`), which a recursive fold would follow as deep as the chain is long
_MAX_JOINED = 64


def _joined_text(node: ast.BinOp, env: Env) -> object:
    texts: list[str] = []
    pending: list[ast.expr] = [node]
    while pending:
        piece = pending.pop()
        if isinstance(piece, ast.BinOp) and isinstance(piece.op, ast.Add):
            pending += (piece.right, piece.left)  # the left one taken first: the text's order
            if len(pending) > _MAX_JOINED:
                return UNKNOWN
            continue
        text = fold_constant(piece, env)
        if not isinstance(text, str):
            return UNKNOWN
        texts.append(text)
    return "".join(texts)


def fold_constant(node: ast.expr, env: Env | None = None) -> object:
    """The constant of a literal (nested tuples, lists, sets, dict keys), else UNKNOWN. With the
    module's imports (`env`), also the `string` module's constants and text joined with `+`
    (`set(string.ascii_letters + "-_")`: an allow-list of characters, charsets.py)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, _CONST_TYPES):
        return node.value
    if env is not None and isinstance(node, ast.Attribute):
        known = KNOWN_ATTRIBUTES.get(env.qualname(node) or "")
        return UNKNOWN if known is None else known.const
    if env is not None and isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _joined_text(node, env)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) <= 4096:
        items = list(map(fold_constant, node.elts))  # a map and `in`: no comprehension's frame
        if UNKNOWN in items:  # constants and UNKNOWN (an `object()`): `in` is an identity test
            return UNKNOWN
        return frozenset(items) if isinstance(node, ast.Set) else tuple(items)
    if isinstance(node, ast.Dict) and len(node.keys) <= 4096:
        if None in node.keys:  # `{**more}`: keys not written out
            return UNKNOWN
        keys = list(map(fold_constant, node.keys))
        if UNKNOWN in keys:
            return UNKNOWN
        return frozenset(keys)  # membership tests read the keys
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
            "frozenset", "set", "tuple") and len(node.args) == 1 and not node.keywords:
        inner = fold_constant(node.args[0], env)  # a string's: its characters
        return frozenset(inner) if isinstance(inner, (tuple, frozenset, str)) else UNKNOWN
    return UNKNOWN

"""What a function's cached outcome is keyed by (analysis.py's cache, owned by the analyzer):
its text, the module context's digest and what that context made of it (entries.py), the
summaries of its callees, the texts of the callees it reads as tests, and what a method reads
of its class. Not its first line, nor its callees' (their summaries' fingerprints tell a line
by the function holding it: places.py): an outcome found at other lines is moved (moves.py).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.context_record import ModuleContext
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.entry_models import EntryModel
from bastion.analyzers.taint.helper_paths import helper_paths, kept_paths_found, may_help
from bastion.analyzers.taint.injected_keywords import decorators_of
from bastion.analyzers.taint.media_types import sets_content_type
from bastion.analyzers.taint.moves import first_line
from bastion.analyzers.taint.nodes import LastCall, nodes
from bastion.analyzers.taint.parameters import hook_form
from bastion.analyzers.taint.rebound import definition_lines
from bastion.analyzers.taint.specs import Models
from bastion.analyzers.taint.wrappers import MODULE_BODY
from bastion.digests import blake2b


def function_key(function: Function, callees_of: CalleeMemo, module: ModuleContext, models: Models,
                 callees: list[tuple[str, bytes]]) -> bytes:
    """`uncached_key`, kept with the function's node (`CalleeMemo.key`) with what else it is
    made of: the node stands for its name's text; a method's, with what it reads of its class
    (its bases, kept by the class's node, which an edit in another of its methods makes anew)."""
    later = callees_of.later(function)
    tests = helper_tests(callees, module, callees_of) + decorator_texts(function, module, callees_of)
    inputs = (function.name, module.digest, models.digest, callees, later, classification(function), tests)
    if function.name == MODULE_BODY:
        inputs += (definition_lines(module.functions),)
    if function.class_node is not None:
        inputs += class_inputs(function, callees_of, module)
    return callees_of.key(function, inputs,
                          lambda: uncached_key(function, callees_of.digest(function), module,
                                               models, callees, later,
                                               callees_of.texts[function.name], tests,
                                               callees_of.sets_content_type))


def class_inputs(function: Function, callees_of: CalleeMemo, module: ModuleContext) -> tuple:
    """What a method's key reads of its class: its bases (kept by the class's node, which an edit
    in another of its methods makes anew), whether it sets a Content-Type, the hook's form."""
    cls = function.class_node
    return (callees_of.last_call(b"class bases").get(cls, _bases),
            callees_of.sets_content_type(cls), hook_form(function, module))


def inputs_key(function: Function, callees_of: CalleeMemo, module: ModuleContext, models: Models,
               callees: list[tuple[str, bytes]], sql: bool) -> bytes:
    """What `function_key` covers of a module-level function but its text (and `sql`, which its
    text decides): the key of its walk's kept states (resume.py)."""
    return blake2b(repr((function.name, module.digest, models.digest, callees,
                         sorted(callees_of.later(function)), classification(function),
                         helper_tests(callees, module, callees_of),
                         decorator_texts(function, module, callees_of), sql)).encode(),
                   digest_size=16).digest()


def helper_tests(callees: list[tuple[str, bytes]], module: ModuleContext,
                 callees_of: CalleeMemo) -> list[bytes]:
    """The texts of the callees a call of which in a condition is read as a test: their bodies,
    not their summaries, say what the caller's branch proves (helper_guards.py)."""
    found: list[bytes] = []
    if not callees:
        return found
    shapes = callees_of.last_call(b"guard helper")
    for name, _ in callees:
        callee = module.function_named(name)
        # whether it is one is kept by its node, as the block parser hands back an unedited
        # callee's: each of views.py's 60 views calls helpers, walked again at every key
        if callee is not None and _is_guard_helper(callees_of, callee.node, module, shapes):  # a method too
            found.append(callees_of.digest(callee))
    return found


def decorator_texts(function: Function, module: ModuleContext, callees_of: CalleeMemo) -> list[bytes]:
    """The texts of the module's functions decorating `function`: the keywords they store are
    its parameters' values (injected_keywords.py)."""
    if not function.node.decorator_list:
        return []
    return [callees_of.digest(d) for d in decorators_of(function, module)]


def _is_guard_helper(callees_of: CalleeMemo, node: ast.FunctionDef | ast.AsyncFunctionDef,
                     module: ModuleContext, shapes: LastCall) -> bool:
    kept = shapes.get(node, _guard_shape)
    # a helper with a loop is one by the module's constants it may iterate: kept by their values
    return kept_paths_found(callees_of.cache, module, node) if kept is None else kept


def _guard_shape(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool | None:
    """Whether the node is a guard helper whatever the module's constants; None if it may be
    one and loops (a long method with a loop, argparse.py's, was read again at every key)."""
    if any(n.__class__ is ast.For for n in nodes(node)):
        return None if may_help(node) else False
    return helper_paths(node) is not None


def uncached_key(function: Function, text_digest: bytes, module: ModuleContext, models: Models,
                 callees: list[tuple[str, bytes]], later: frozenset[str], text: str,
                 tests: list[bytes],
                 declared: Callable[[ast.ClassDef], bool] = sets_content_type) -> bytes:
    """`declared`: `sets_content_type`, or the same kept per class (`CalleeMemo`)."""
    # Not a function's first line: its outcome found at another line is moved (`cached_at`). The
    # module's top-level code is one text of statements far apart: its places are in its key,
    # with those of the definitions its calls may run (rebound.py).
    node = function.node
    places = [[s.lineno for s in node.body], definition_lines(module.functions)] \
        if function.name == MODULE_BODY else []
    digest = blake2b(digest_size=20)
    for part in (function.name.encode(), str(places).encode(), text_digest,
                 module.digest, models.digest.encode(), repr((callees, tests)).encode(),
                 repr((_class_context(function, text, declared, module), sorted(later),
                       classification(function))).encode()):
        digest.update(part + b"\0")
    return digest.digest()


def classification(function: Function) -> tuple:
    """What the module context made of the function (entries.py), which its text alone does not
    say: an entry by its class's bases, its parameters' kinds, `self`'s."""
    entry = function.entry
    # most functions are no entry (asked of each at every keystroke): repr(None) without a call
    return ("None" if entry is None else _entry_repr(entry), function.tainted_params,
            function.request_params, function.validated_params, function.validated_fields,
            function.pattern_params, function.return_sink, function.helper, function.request_kinds,
            function.self_kind, function.setup_methods, function.dependencies,
            function.response_params)


# Each entry model's repr, by its id, with the model (held: its id is no other object's while
# it is here). A model is frozen, so its repr never changes; it costs 50-100 us (its name sets),
# asked for every entry function at every keystroke: 3 ms a key in a module of 60 views. The
# models are few and live as long as the analyzer; the table is emptied when new ones (a
# reload) fill it.
_ENTRY_REPRS: dict[int, tuple[EntryModel, str]] = {}
_MAX_ENTRY_REPRS = 1024


def _entry_repr(entry: object) -> str:
    known = _ENTRY_REPRS.get(id(entry))
    if known is not None and known[0] is entry:  # a model's: the table holds no other
        return known[1]
    if not isinstance(entry, EntryModel):
        return repr(entry)
    text = repr(entry)
    if len(_ENTRY_REPRS) >= _MAX_ENTRY_REPRS:
        _ENTRY_REPRS.clear()
    _ENTRY_REPRS[id(entry)] = (entry, text)
    return text


def _class_context(function: Function, text: str, declared: Callable[[ast.ClassDef], bool],
                   module: ModuleContext) -> tuple:
    """What a method's analysis reads of its class but its name: its bases, for a method
    that writes, whether the class sets a Content-Type (in any method: sinks.py judges a
    handler's `write` by it), and for a generic view's hook the form class it is handed."""
    if function.class_node is None:
        return ()
    sets = "write" in text and declared(function.class_node)
    return (function.class_name, _bases(function.class_node), sets, hook_form(function, module))


def _bases(node: ast.ClassDef) -> tuple[str, ...]:
    return tuple(ast.unparse(b) for b in node.bases)


class _FunctionTexts(dict):
    """Function name -> its lines, joined when first asked for: a keystroke's analysis reads
    the texts of the functions whose nodes changed, not of every function."""

    def __init__(self, module: ModuleContext, lines: list[str]) -> None:
        super().__init__()
        self._module = module
        self._lines = lines

    def __missing__(self, name: str) -> str:
        function = self._module.function_named(name)
        node = function.node
        if name == MODULE_BODY:  # its statements' lines, not the definitions between them
            text = "\n".join(line for statement in node.body
                             for line in self._lines[statement.lineno - 1:statement.end_lineno])
        else:
            text = "\n".join(self._lines[first_line(node):node.end_lineno or node.lineno])
        self[name] = text
        return text


def function_texts(module: ModuleContext, lines: list[str]) -> dict[str, str]:
    return _FunctionTexts(module, lines)

"""The record of what the interpreter knows about a module before it looks inside a function
(`ModuleContext`, built by context.py) and its look-ups of the module's functions by name.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from bastion import attrs_classes
from bastion.analyzers.matchers import Env
from bastion.analyzers.taint.argparse_helpers import Helped
from bastion.analyzers.taint.closures import LocalFunction
from bastion.analyzers.taint.declared_versions import NONE as NO_DECLARATIONS
from bastion.analyzers.taint.declared_versions import Declared
from bastion.analyzers.taint.domain import Value
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.forms import Forms
from bastion.analyzers.taint.template_parse import Template
from bastion.analyzers.taint.top_level_sources import Chain


@attrs_classes.define
class ModuleContext:
    env: Env
    constants: dict[str, Value]
    kinds: dict[str, str]  # global name -> kind of its value
    functions: list[Function]
    digest: bytes  # everything above that a function's analysis depends on, but its own text
    # Summaries of other workspace modules' functions, by qualified name (workspace.py).
    # (qualified name, whether an argument is tainted) -> summary or None
    external: Callable[[str, bool], object] | None = None
    # the bases of another workspace module's class, by qualified name (workspace.py)
    external_bases: Callable[[str], tuple[str, ...]] | None = None
    # a global holding a parser another module's factory returns (`PARSER = build_parser()`),
    # or bound more than once, a parser by some binding: the parser, its clean destinations
    # with it; and what each binding of the latter is (argparse_globals.py)
    factory_parsers: dict[str, Value] = attrs.Factory(dict)
    factory_calls: dict[str, str] = attrs.Factory(dict)  # their kinds as bound (analysis.py)
    parser_bindings: dict[str, frozenset[str | None]] = attrs.Factory(dict)
    # class -> its ancestors defined in this module, nearest first (inherited methods)
    parents: dict[str, tuple[str, ...]] = attrs.Factory(dict)
    # global name -> (pattern, flags) of a `re.compile` with constant arguments, bound once
    patterns: dict[str, tuple[str | bytes, int]] = attrs.Factory(dict)
    # class -> its bases resolved, also those of its ancestors (what another module's classes
    # derived from it inherit: workspace.py)
    class_bases: dict[str, tuple[str | None, ...]] = attrs.Factory(dict)
    # `Class.NAME` -> its constant; class -> {NAME -> the constant its `self.NAME` reads}
    # (class_constants.py)
    class_constants: dict[str, Value] = attrs.Factory(dict)
    self_constants: dict[str, dict[str, Value]] = attrs.Factory(dict)
    # class -> {attribute -> the class it holds an instance of} (class_instances.py)
    class_instances: dict[str, dict[str, str]] = attrs.Factory(dict)
    # class -> {field -> the class its annotation names} (declared_classes.py)
    declared_fields: dict[str, dict[str, str]] = attrs.Factory(dict)
    # attribute of Flask's `g` -> the line a function stored request data in it (scoped.py), or
    # (file, line) of a store in a module this one imports (workspace.py)
    scoped: dict[str, int | tuple[str, int]] = attrs.Factory(dict)
    forms: Forms = attrs.Factory(dict)  # the module's form classes (forms.py)
    routes: dict[str, dict[str, frozenset[str]]] = attrs.Factory(dict)  # url_routes.py
    # the template files the module names, by the name it writes (template_files.py)
    templates: dict[str, tuple[Template, ...]] = attrs.Factory(dict)
    # the versions its project declares of the packages some sinks depend on (declared_versions.py)
    declared: Declared = NO_DECLARATIONS
    # record class (a dataclass, named tuple, pydantic model) -> its fields (classes.py)
    records: dict[str, tuple[str, ...]] = attrs.Factory(dict)
    # class -> the form class its body names for a generic view's hooks (parameters.py)
    class_forms: dict[str, str] = attrs.Factory(dict)
    # the objects of other modules it only calls methods of, as written (object_uses.py)
    built: frozenset[str] = frozenset()
    # which of `sorted` / `tuple` / `list` it binds: no copy of a constant (helper_paths.py)
    shadowed: frozenset[str] = frozenset()
    # argparse destinations validated into a number or a constant choice (argparse_choices.py)
    argparse_clean: frozenset[str] = frozenset()
    # its Enum classes without methods: `Color(q)`, `Color[q]` is a constant member or raises
    enums: frozenset[str] = frozenset()
    # the signed-in user's keys its own user model makes text, not a number (user_keys.py)
    text_user_keys: frozenset[str] = frozenset()
    # its dicts of functions picked by a key: `ACTIONS[kind](host)` runs each (tables.py)
    tables: dict[str, tuple[tuple[object, LocalFunction], ...]] = attrs.Factory(dict)
    # global queue -> the line a function of it puts request data in it (queues.py)
    queues: dict[str, int] = attrs.Factory(dict)
    # global / `Class.attribute` -> the line a function of it writes request data in it (global_stores.py)
    stored_globals: dict[str, int] = attrs.Factory(dict)
    # global -> its top-level bindings from a source (`DATA = sys.argv[1]`, top_level_sources.py)
    top_sources: dict[str, Chain] = attrs.Factory(dict)
    # global -> the module's functions its top-level bindings call (`CONFIG = load_config(path)`)
    top_calls: dict[str, frozenset[str]] = attrs.Factory(dict)
    # whether it may declare arguments of its own, argparse imported or not (argparse_choices.py)
    argparse_declares: bool = True
    # what it declares when it hands a parser to functions of other modules (argparse_helpers.py)
    argparse_helped: Helped | None = None
    # function node -> (constants, shadowed, its helper_paths by them): asked again at each test
    # calling it and each summary (helper_paths.module_paths); dies with the module's analysis
    helper_memo: dict = attrs.field(factory=dict, eq=False, repr=False)
    _by_name: dict[str, Function] = attrs.Factory(dict)
    # (class, method) -> `inherited`'s answer: the names of `_by_name` and `parents` are all it
    # reads, so it is emptied with each new table and each other `parents` (asked ~35 times a
    # key on argparse.py, each a lineage and a look-up per class of it: ~500 calls a key)
    _inherited: dict[tuple[str, str], str | None] = attrs.Factory(dict)
    # the list and its length `_by_name` was read from (a module defining a name twice, a method
    # per platform in subprocess.py, read it again at each of ~180 look-ups a keystroke), and the
    # `parents` of `_inherited`'s answers
    _named: tuple[list[Function] | None, int, dict | None] = (None, 0, None)

    def lineage(self, class_name: str) -> tuple[str, ...]:
        """The class and its ancestors of this module, where `self.method` is looked up."""
        return (class_name, *self.parents.get(class_name, ()))

    def inherited(self, class_name: str, method: str) -> str | None:
        """`Class.method` of the nearest class of the lineage that defines `method`: a subclass
        without its own `__init__` is built by its base's."""
        named = self._named
        if named[0] is not self.functions or named[1] != len(self.functions) or named[2] is not self.parents:
            self._read_names()
        key = (class_name, method)
        if key in self._inherited:
            return self._inherited[key]
        names = self._by_name
        if class_name not in self.parents:
            # no ancestor of this module (a name that is no class of it, `subprocess.run`, the
            # most of ~2 look-ups a call): its lineage is itself, without building the tuple
            name = f"{class_name}.{method}"
            found = name if name in names else None
        else:
            found = next((f"{cls}.{method}" for cls in self.lineage(class_name)
                          if f"{cls}.{method}" in names), None)
        self._inherited[key] = found
        return found

    def take_inherited(self, last: tuple | None) -> tuple:
        """`inherited`'s answers of another record (the document's last context) that had the
        names of these functions and these parents, all they read; and what the next record
        compares: these names and parents (copies), with this record's answers."""
        names = self.by_name()
        if last is not None and last[1] == self.parents and last[0] == names.keys():
            self._inherited = last[2]
        return frozenset(names), dict(self.parents), self._inherited

    def function_named(self, name: str) -> Function | None:
        if self._named[0] is not self.functions or self._named[1] != len(self.functions):
            self._read_names()
        return self._by_name.get(name)

    def by_name(self) -> dict[str, Function]:
        """`function_named`'s table (the last function of each name), for a loop asking it of
        every function (one look-up, not three calls, each): another after the list changes."""
        if self._named[0] is not self.functions or self._named[1] != len(self.functions):
            self._read_names()
        return self._by_name

    def _read_names(self) -> None:
        self._by_name = {f.name: f for f in self.functions}
        self._inherited = {}
        self._named = (self.functions, len(self.functions), self.parents)

"""What the summary store (workspace.py) keeps of one workspace module, and what it gives an
analysis: `ModuleEntry` (the module parsed, its import table, its summaries as computed and then
published, its classes' bases), `External` (what one file's analysis may use of the workspace)
and what it is made from (`Imports`), the bases of a workspace class resolved across entries
(`class_bases`), the methods of a class a module only re-exports (`reexported_methods`), and
the fingerprint of a published entry. Data and pure functions over
entries; the store's state, its lock and its computation stay in workspace.py.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

import attrs

from bastion import attrs_classes
from bastion.analyzers.taint.analysis import FunctionOutcome
from bastion.analyzers.taint.context_record import ModuleContext
from bastion.analyzers.taint.exports import Exports
from bastion.analyzers.taint.fingerprints import summary_fingerprint
from bastion.analyzers.taint.forms import Forms, may_define_forms
from bastion.analyzers.taint.module_level import module_statements
from bastion.analyzers.taint.modules import ImportStatements, import_statements
from bastion.analyzers.taint.results import Summary
from bastion.analyzers.taint.scoped_hooks import view_registrars
from bastion.analyzers.taint.specs import Models
from bastion.analyzers.taint.top_level_sources import AS_READ
from bastion.analyzers.taint.workspace_names import exported_names, reexported_names, split_name
from bastion.deferred_patterns import deferred
from bastion.digests import blake2b

# How many modules a re-export is followed through (imports may go round).
REEXPORT_HOPS = 8


@attrs_classes.frozen
class External:
    """What one file's analysis may use of the workspace: `lookup` by qualified name
    (`myapp.db.run_query`), and a digest of everything it can return (part of cache keys)."""

    lookup: Callable[[str, bool], Summary | None]
    digest: bytes
    # the bases of a class of another workspace module, resolved there (`tornado.web.RequestHandler`
    # for `handlers.base.BaseHandler`), with those of its own workspace bases
    bases: Callable[[str], tuple[str, ...]] = lambda _name: ()
    # attribute of Flask's `g` -> (file, 0-based line) where a module the file imports stores
    # request data in it (scoped.py); `digest` covers them
    scoped: dict[str, tuple[str, int]] = attrs.Factory(dict)
    # the form classes of the modules it imports, by qualified name (`forms.SearchForm` of
    # `from .forms import SearchForm`); `digest` covers them
    forms: Forms = attrs.Factory(dict)
    # what Django's urls.py routes declare of its views' parameters (url_routes.py); `digest`
    # covers them
    routes: dict[str, dict[str, frozenset[str]]] = attrs.Factory(dict)
    # the `Annotated` aliases of the modules it imports, by qualified name (`deps.CommonsDep`:
    # type_aliases.py); `digest` covers them
    aliases: dict[str, ast.Subscript] = attrs.Factory(dict)
    # the file's import table (prefix -> workspace file), which `bases` and `aliases` read
    table: dict[str, str] = attrs.Factory(dict)


@attrs_classes.frozen
class Imports:
    """What `SummaryStore.external` reads of a parsed module: its imports (its functions' too) and
    whether it imports Flask's `g` (and then what its views are registered on). Small: the
    taint analyzer keeps it per text, and finds the result of a text met before (typing back
    over it) without parsing it again."""

    statements: ImportStatements
    flask_g: bool
    # what it registers its views on, when it imports `g` (scoped_hooks.view_registrars)
    registrars: tuple[str, ...] = ()
    django: bool = False  # it imports Django or its REST framework: a urls.py may route its views


def imports_of(tree: ast.Module, text: str) -> Imports:
    flask_g = reads_scoped(tree)
    statements = import_statements(tree, text)
    django = any((module or name).partition(".")[0] in ("django", "rest_framework")
                 for _level, module, names in statements for name in (names if module is None else ("",)))
    return Imports(statements, flask_g, view_registrars(tree) if flask_g else (), django)


@attrs_classes.define
class ModuleEntry:
    """One workspace module as the store keeps it, at the text whose digest is `digest`."""

    path: str
    digest: str
    tree: ast.Module
    # the text as the import graph read it (capped, regular files only: ModuleGraph.text), which
    # the scan reads too: the context built from it is the scan's (workspace_summarise.py)
    text: str
    lines: list[str]
    table: dict[str, str]  # its own imports: prefix -> workspace file
    summaries: Exports | dict[str, Summary | None] = attrs.Factory(dict)  # a dict once published
    summarised: bool = False  # every function (else those in `done`, what a scan asked for)
    # the interpreted functions' outcomes and the module's context, while summaries are added
    done: dict[str, FunctionOutcome] = attrs.Factory(dict)
    context: ModuleContext | None = None
    _exported: tuple[set[str], dict[str, str]] | None = None
    _reexported: dict[str, str] | None = None
    fingerprint: str = ""  # of the summaries and classes, once published
    closure: frozenset[str] = frozenset()  # the files they were computed from, once published
    # the files of the classes whose instances they return or hold, once published (exports.py's
    # `path::Class()` kinds: held_calls.py looks those classes' methods up there)
    held: frozenset[str] = frozenset()
    classes: dict[str, tuple[str | None, ...]] | None = None  # class -> its bases, resolved
    records: dict[str, Summary] | None = None  # with `classes`: workspace_records.py
    scoped: dict[str, int] | None = None  # with `classes`: its stores into Flask's `g`
    forms: Forms | None = None  # with `classes`: its form classes (forms.py)
    aliases: dict[str, ast.Subscript] | None = None  # with `classes`: type_aliases.portable

    def exported(self) -> tuple[set[str], dict[str, str]]:
        """`exported_names(tree)`, once, with the globals it binds at top level (`TARGET =
        sys.argv[1]`: another module may import one, workspace_summarise.py)."""
        if self._exported is None:
            functions, instances = exported_names(self.tree, self.reexported())
            bound = [node for node in module_statements(self.tree.body)
                     if type(node) in (ast.Assign, ast.AnnAssign)]
            self._exported = (functions | {target.id + AS_READ for node in bound for target in (
                node.targets if type(node) is ast.Assign else [node.target]) if type(target) is ast.Name},
                instances)
        return self._exported

    def reexported(self) -> dict[str, str]:
        """`reexported_names(tree)`, once."""
        if self._reexported is None:
            self._reexported = reexported_names(self.tree)
        return self._reexported

    def reexport(self, name: str) -> tuple[str | None, str]:
        """The workspace file and name there of `name` (`f`, `Class.method`, an instance's
        `service.search` of a class it imports) when the module only imports it
        (`reexported_names`); (None, name) for any other."""
        head, dot, rest = name.partition(".")
        if dot and head not in self.reexported():
            head = self.exported()[1].get(head, head)
        qualified = self.reexported().get(head)
        return (None, name) if qualified is None else split_name(f"{qualified}{dot}{rest}", self.table)


def class_bases(name: str, table: dict[str, str], modules: Callable[[str], ModuleEntry | None],
                seen: frozenset[tuple[str, str]] = frozenset(),
                visited: set[str] | None = None) -> tuple[str, ...]:
    """The bases of the workspace class `name` (as `table`'s module imports it), resolved
    in its module, then theirs; () for a name that is no class of a workspace module, or
    one whose module `modules` does not give (editor mode: not yet published)."""
    target, cls = split_name(name, table)
    if target is None or (target, cls) in seen or len(seen) > 16:
        return ()
    module = modules(target)
    if module is None or module.classes is None or cls not in module.classes:
        return ()
    if visited is not None:
        visited.add(target)
    found: list[str] = []
    for base in module.classes[cls]:
        if base is not None:
            found.append(base)
            found.extend(class_bases(base, module.table, modules, seen | {(target, cls)}, visited))
    return tuple(dict.fromkeys(found))


def returns_source(summary: Summary, models: Models) -> bool:
    """Also in a slot of what it returns (`{"q": request.args["q"]}`: exports keep slots), or
    an object whose methods or attributes are sources (`build_parser()`'s parser, whose
    `parse_args()` reads the command line: summaries.instantiated keeps its kind)."""
    kind = summary.returns.kind
    return any(o.kind != "param" for o in summary.returns.deep_taint()) \
        or kind is not None and models.holds_sources(kind)


def entry_fingerprint(summaries: dict[str, Summary | None],
                      classes: dict[str, tuple[str | None, ...]] | None,
                      scoped: dict[str, int] | None = None, forms: Forms | None = None,
                      aliases: dict[str, ast.Subscript] | None = None) -> str:
    parts = sorted((name, summary_fingerprint(s).hex() if s is not None else "-")
                   for name, s in summaries.items())
    return blake2b(repr((parts, sorted((classes or {}).items()),
                                 sorted((scoped or {}).items()),
                                 sorted((k, *form.sorted_fields())
                                        for k, form in (forms or {}).items()),
                                 sorted((k, ast.dump(v)) for k, v in (aliases or {}).items()))).encode(),
                           digest_size=16).hexdigest()


def imported_forms(table: dict[str, str], modules: Callable[[str], ModuleEntry | None],
                   texts: Callable[[str], tuple[str, str] | None] | None = None,
                   models: Models | None = None) -> Forms:
    """The form classes of the modules in a file's import table, by the qualified name the file
    spells them with (`forms.SearchForm`): a form a view builds from request data holds its
    validated fields as safe, wherever the form is declared (forms.py). With `texts` (a
    module's text and digest by path) and `models`, a module whose text cannot define a form
    (forms.may_define_forms) is not asked of `modules`: a cold scan of the stdlib set parsed
    76 of its 221 imported modules for nothing else."""
    found: Forms = {}
    for prefix, target in table.items():
        text = texts(target) if texts is not None and models is not None else None
        if text is not None and not may_define_forms(text[0], models):
            continue
        module = modules(target)
        for name, form in ((module.forms or {}) if module is not None else {}).items():
            found[f"{prefix}.{name}"] = form
    return found


def imported_aliases(table: dict[str, str], modules: Callable[[str], ModuleEntry | None],
                     texts: Callable[[str], tuple[str, str] | None] | None = None
                     ) -> dict[str, ast.Subscript]:
    """The `Annotated` aliases of the modules in a file's import table, by the qualified name
    the file spells them with (`deps.CommonsDep`). With `texts`, a module whose text does not
    name `Annotated` is not asked of `modules` (not parsed for them)."""
    found: dict[str, ast.Subscript] = {}
    for prefix, target in table.items():
        text = texts(target) if texts is not None else None
        if text is not None and "Annotated" not in text[0]:
            continue
        module = modules(target)
        for name, alias in ((module.aliases or {}) if module is not None else {}).items():
            found[f"{prefix}.{name}"] = alias
    return found


def scoped_stores(targets: list[str], modules: Callable[[str], ModuleEntry | None]
                  ) -> dict[str, tuple[str, int]]:
    """What the modules at `targets` (sorted) store in Flask's `g` from request data: attribute
    -> (file, line) of the first store."""
    found: dict[str, tuple[str, int]] = {}
    for target in targets:
        module = modules(target)
        for attribute, line in ((module.scoped or {}) if module is not None else {}).items():
            found.setdefault(attribute, (target, line))
    return found


def reads_scoped(source: str | ast.Module) -> bool:
    """Whether the module imports Flask's `g` (`from flask import g`, or `import flask`), from
    its tree or, without parsing, its text (the language server asks with the text)."""
    if isinstance(source, str):
        return _IMPORTS_G().search(source) is not None
    return any(isinstance(node, ast.ImportFrom) and node.module in ("flask", "flask.globals")
               and any(alias.name == "g" for alias in node.names)
               or isinstance(node, ast.Import) and any(a.name == "flask" for a in node.names)
               for node in source.body)


# a superset of the tree's test: an import in a string or a function counts too
_IMPORTS_G = deferred(r"^[ \t]*(?:from[ \t]+flask(?:\.globals)?[ \t]+import\b[^\n]*\bg\b"
                        r"|import[ \t]+flask\b)", re.MULTILINE)


def reexported_methods(module: ModuleEntry, modules: Callable[[str], ModuleEntry | None]) -> list[str]:
    """The methods (`Repo.by_name`) of the classes `module` only re-exports (`from .models
    import Repo`), as the module they are defined in names them, followed `REEXPORT_HOPS` modules
    on at most: an importer's call `Repo.by_name` reads them from `module`'s summaries."""
    found: list[str] = []
    for name in module.reexported():
        owner: ModuleEntry | None = module
        cls = name
        for _ in range(REEXPORT_HOPS):
            target, cls = owner.reexport(cls)
            owner = modules(target) if target is not None else None
            if owner is None or cls not in owner.reexported():
                break
        if owner is not None:
            found.extend(f"{name}.{function.partition('.')[2]}" for function in owner.exported()[0]
                         if function.partition(".")[0] == cls and "." in function)
    return found

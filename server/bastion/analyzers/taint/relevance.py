"""Which of a module's functions a keystroke's analysis starts from (analysis.py): those that
can read untrusted data themselves (entries, functions whose text names a source as this module
spells it or an attribute of Flask's `g` a hook filled from one, methods of a class whose
`__init__` does) and those holding a call or SQL text a judged pattern rule flags. The source
expression is built from the module's import table (with the workspace helpers returning
untrusted data that its text calls through a module's name, `http.query_arg(...)`) and kept by
the module context's digest and those helpers. `Carriers`, the functions whose callers are
interpreted next, is built per analysis and owned by it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from itertools import islice

from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.context_record import ModuleContext
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.needles import without_match
from bastion.analyzers.taint.scoped import SCOPED
from bastion.analyzers.taint.specs import Models
from bastion.analyzers.taint.verdicts import TRIGGER, TRIGGER_NEEDLES


def relevant_functions(module: ModuleContext, callees_of: CalleeMemo, models: Models) -> set[str]:
    """Entries, functions whose text names a source as this module can spell it (a regular
    expression built from the import table: `request.args`, `sys.argv`, `input`), and the
    methods of a class whose `__init__` does. No other function can read untrusted data
    itself; the callers of those that return it are added later (analyse_module). Functions
    that may hold a call or SQL text a judged pattern rule flags are interpreted too, for the
    verdicts on those findings (verdicts.py)."""
    found = _module_trigger(module, models, callees_of)
    relevant = {f.name for f in module.functions if f.entry is not None}
    rest = [f for f in module.functions if f.entry is None]
    relevant |= _matching(callees_of, rest, TRIGGER, TRIGGER_NEEDLES, callees_of.judged)
    if found is not None:
        trigger, needles = found
        rest = [f for f in rest if f.name not in relevant]
        relevant |= _matching(callees_of, rest, trigger, needles,
                              lambda f, absent: callees_of.reads_source(f, trigger, absent))
    # each class's `__init__` looked up once, not once a method (~1,100 a key in _pydecimal.py)
    inits: dict[str, str | None] = {}
    for f in module.functions:
        owner = f.class_name
        if owner is None:
            continue
        if owner not in inits:
            inits[owner] = module.inherited(owner, "__init__")
        if inits[owner] in relevant:
            relevant.add(f.name)
    return relevant


def _matching(callees_of: CalleeMemo, functions: list[Function], check: re.Pattern,
              needles: tuple[str, ...], ask: Callable[[Function, set[str]], bool]) -> set[str]:
    """Names of `functions` whose text `check` matches: the answers their nodes keep from an
    earlier text, and `ask`'s for the others, given the names of the texts one scan of those
    it would search found hold none of `needles` (one of which every match of `check` holds)."""
    texts = callees_of.texts
    matching, asked, searched = callees_of.kept_reads(functions, check)
    absent = without_match(needles, ((f.name, texts[f.name]) for f in searched))
    return matching | {f.name for f in asked if ask(f, absent)}


def _module_trigger(module: ModuleContext, models: Models,
                    callees_of: CalleeMemo) -> tuple[re.Pattern, tuple[str, ...]] | None:
    """The expression and its needles, kept in the memo's cache by the module context's digest
    (its imports) and the helpers its functions call through a module's name."""
    helpers = _module_helpers(module, callees_of)
    cache = callees_of.cache
    key = b"trigger" + module.digest + models.digest.encode() + repr(helpers).encode()
    if cache is not None:
        found = cache.get(key)
        if found is not None:
            return found or None
    trigger = _trigger(module, models, helpers)
    if cache is not None:
        cache.put(key, trigger or False)
    return trigger


def _trigger(module: ModuleContext, models: Models,
             helpers: tuple[str, ...]) -> tuple[re.Pattern, tuple[str, ...]] | None:
    roots: dict[str, str] = {**{i: i for i in module.env.imports if "." not in i},
                             **module.env.aliases, **module.kinds}
    self_kinds = {f.self_kind for f in module.functions if f.self_kind is not None}
    patterns = _source_patterns(models, roots, self_kinds)
    # a function of another workspace module returning untrusted data (`from utils import
    # get_arg`, its summary says so): a function calling it reads a source as one naming it does
    if module.external is not None:
        patterns.update(re.escape(local) for local, qualified in module.env.aliases.items()
                        if "." in qualified and module.external(qualified, False) is not None)
    patterns.update(helpers)
    # `g.user_dir`, which a hook filled from the request (scoped.py): read in a view of an
    # object the module imports (`@app.route` on `from shop import app`), no entry of its own
    for local, qualified in roots.items():
        if module.scoped and qualified in SCOPED:
            patterns.update(_dotted([local, attribute]) for attribute in module.scoped)
    if not patterns:
        return None
    ordered = sorted(patterns)
    return (re.compile(r"\b(?:" + "|".join(ordered) + r")\b"),
            tuple(_longest_part(pattern) for pattern in ordered))


def _module_helpers(module: ModuleContext, callees_of: CalleeMemo) -> tuple[str, ...]:
    """The pattern of each function of another workspace module returning untrusted data that
    the module's functions call through a name bound to its module (`from app.utils import
    http`, `import app.utils.http`: `http.query_arg(...)`), as a from-imported one's name: the
    summaries are asked for the attributes called on an imported name in the module's text, and
    answer at once for a module not of the workspace (`os.path.join`). Searched function by
    function, each kept by its node (2.6 ms a key in `argparse.py` when searched whole): a call
    only the module's text outside its functions holds would match none of their texts."""
    lines = callees_of.lines
    if module.external is None or not lines:
        return ()
    bound = {**{name: name for name in module.env.imports}, **module.env.aliases}
    if not bound:
        return ()
    read = _attribute_reads(tuple(sorted(bound, key=lambda name: (-len(name), name))))
    pairs = callees_of.found_in(module.functions, read)
    found = {(re.sub(r"\s+", "", local), attribute)
             for local, attribute in (read.findall("\n".join(lines)) if pairs is None else pairs)}
    return tuple(sorted(_dotted([*local.split("."), attribute]) for local, attribute in found
                        if module.external(f"{bound[local]}.{attribute}", False) is not None))


@functools.lru_cache(maxsize=256)
def _attribute_reads(names: tuple[str, ...]) -> re.Pattern:
    """(name, attribute) of each `name.attribute(` of one of `names` (longest first), not itself
    an attribute (`self.http.get`): a helper is called (`os.sep`, `os.path.join` of `import os`
    are not asked for)."""
    spelled = "|".join(_dotted(name.split(".")) for name in names)
    return re.compile(r"(?<![\w.])(" + spelled + r")\s*\.\s*([A-Za-z_]\w*)\s*\(")


def _source_patterns(models: Models, roots: dict[str, str], self_kinds: set[str]) -> set[str]:
    """Each source as this module can spell it: its name or its first two parts (whatever
    the imports, kept per models), through a local name of one of its prefixes, on `self` in
    a handler class."""
    index = _index(models)
    patterns = set(index.spelled)
    for local, qualified in roots.items():
        if qualified in index.dotted:
            patterns.add(re.escape(local))
        # the sources `qualified` starts with, followed by a dot
        patterns.update(_dotted([local, part]) for part in index.next_parts.get(qualified, ()))
    # A handler class's sources are spelled on `self` (`self.request.GET`) in any of its
    # methods, the framework's hooks (`get_queryset`) and helpers included.
    for kind in self_kinds:
        patterns.update(_dotted(["self", part]) for part in index.next_parts.get(kind, ()))
    return patterns


class _Index:
    """What `_source_patterns` reads of the models, independent of the module: the cold scan
    of the stdlib rebuilt it for every module (1 s of its 1.5 s of relevance CPU)."""

    def __init__(self, models: Models) -> None:
        self.spelled = frozenset(re.escape(name) if "." not in name else _dotted(name.split(".")[:2])
                                 for name in models.sources.exact)
        self.dotted = frozenset(name for name in models.sources.exact if "." in name)
        # each dotted prefix of a source name -> the parts that follow it in one
        next_parts: dict[str, set[str]] = {}
        for name in self.dotted:
            parts = name.split(".")
            for i in range(1, len(parts)):
                next_parts.setdefault(".".join(parts[:i]), set()).add(parts[i])
        self.next_parts = {prefix: frozenset(found) for prefix, found in next_parts.items()}
        # the kinds of objects a source is read from (`argparse.ArgumentParser()`)
        self.holders = frozenset(name[:end + 2] for name in models.sources.exact
                                 for end in (m.start() for m in re.finditer(r"\(\)", name)))


def source_holders(models: Models) -> frozenset[str]:
    """The kinds of the objects whose methods read untrusted data (`argparse.ArgumentParser()`,
    `socket.socket()`): a function returning one (`build_parser()`) makes its callers readers
    of a source, as one returning untrusted data does (analysis.py)."""
    return _index(models).holders


class Carriers:
    """The settled functions returning untrusted data or storing it in `self`, or returning a
    source holder (`parser = build_parser()`: its caller parses): those whose callers analysis.py
    interprets next. A round's outcomes are final (the next rounds add others, `done` keeping
    its order), so each is asked once, not once a round (argparse.py's ~80 a key)."""

    def __init__(self, models: Models) -> None:
        self._holders = source_holders(models)
        self._names: list[str] = []
        self._asked = 0  # the outcomes of `done`, in its order, asked already

    def of(self, done: dict) -> list[str]:
        """The carriers among `done`'s outcomes (not to be changed: this object's)."""
        holders = self._holders
        self._names += [name for name, outcome in islice(done.items(), self._asked, None)
                        if outcome.carries_taint() or outcome.summary.returns.kind in holders]
        self._asked = len(done)
        return self._names


_INDEXES: dict[str, _Index] = {}  # the models' digest -> its `_Index`


def _index(models: Models) -> _Index:
    found = _INDEXES.get(models.digest)
    if found is None:
        found = _INDEXES[models.digest] = _Index(models)
    return found


_JOIN = r"\s*\.\s*"


def _dotted(parts: list[str]) -> str:
    return _JOIN.join(re.escape(p.removesuffix("()")) for p in parts)


def _longest_part(pattern: str) -> str:
    """The longest literal part of a pattern `_dotted` or `re.escape` built: every match holds
    it as it is."""
    parts = [re.sub(r"\\(.)", r"\1", part, flags=re.DOTALL) for part in pattern.split(_JOIN)]
    return max(parts, key=len)

"""Taint models as data: `rules/taint/*.toml` loaded, validated and indexed by qualified name.

A model file holds arrays of tables: `source`, `entry` (functions whose parameters are untrusted:
routes, views, handlers), `sink`, `sanitizer`, `guard` and `propagator` (see rules/taint/README.md).
Names are qualified names as the own rules resolve them (`bastion.analyzers.matchers.Env`), or
names rooted at a value's kind (`django.http.HttpRequest.GET`: the attribute of a request
parameter). What TOML cannot say is a named Python model (`model = "..."`) whose name is checked
here. `load_models` never raises: a bad file is reported and left out.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from bastion.analyzers.matchers import NameSet
from bastion.analyzers.rule_tables import folder_tables
from bastion.analyzers.taint.domain import EVERY_CLASS, SINK_CLASSES
from bastion.analyzers.versions import models_digest, taint_models_dir

# Modules nearly every file imports: their sources are recognised by the source's own name.
_EVERYWHERE = frozenset({"os", "sys", "builtins", "io"})
SECTIONS = ("source", "entry", "sink", "sanitizer", "guard", "propagator", "form")
SOURCE_KINDS = ("remote", "argv", "stdin", "env", "file")
PARAM_RULES = ("path", "all", "after_first")
# Named Python models a sink or guard may reference (implemented in sinks.py / guards.py).
SINK_MODELS = ("subprocess", "xml_parser", "yaml_load", "view_return", "log_format",
               "response_type", "declared_html", "handler_write", "query_document",
               "location_header", "template_file", "django_template_file")
GUARD_MODELS = ("dotdot", "quote", "path_containment", "url_allowlist", "allowlist", "equality",
                "pattern")
_KEYS = {
    "source": {"names", "kind", "label", "confidence", "reaches"},
    "entry": {"label", "decorators", "function_names", "class_bases", "methods", "params",
              "request_kind", "request_annotations", "not_when_default", "return_sink",
              "imported", "kind", "first_param", "clean_annotations", "return_sink_when",
              "validated_models", "self_kind", "class_decorators", "request_params",
              "registrars", "signature", "parameter_markers"},
    "sink": {"class", "calls", "methods", "args", "keywords", "receiver", "when", "model",
             "subscript_of", "prefix_only", "result_untainted", "key"},
    "sanitizer": {"calls", "methods", "cleans", "args"},
    "guard": {"calls", "methods", "cleans", "arg", "model"},
    "propagator": {"calls", "methods"},
    "form": {"bases", "data", "clean_fields"},
}


@attrs.frozen
class SourceModel:
    kind: str
    label: str
    low_confidence: bool = False
    reaches: frozenset[str] = SINK_CLASSES  # the sink classes this source is reported at


@attrs.frozen
class EntryModel:
    label: str
    decorators: NameSet
    function_names: frozenset[str]
    class_bases: NameSet
    methods: frozenset[str]
    params: str | tuple[str, ...]
    request_kind: str | None
    request_annotations: NameSet
    not_when_default: NameSet
    return_sink: str | None
    imported: tuple[str, ...]
    kind: str = "remote"
    first_param: frozenset[str] = frozenset()  # a function entry also needs this first parameter
    # annotations the framework validates into data no injection fits in (`user_id: int`)
    clean_annotations: NameSet = NameSet([])
    # the return value is a sink only when the decorator's keyword names one of these
    # (`response_class=HTMLResponse`)
    return_sink_when: tuple[str, NameSet] | None = None
    # base classes of request bodies the framework validates field by field (pydantic's
    # BaseModel): a field annotated with one of clean_annotations holds no injection
    validated_models: NameSet = NameSet([])
    # the kind of `self` in every method of a class with one of `class_bases` (a Tornado
    # handler reads the request through `self.get_argument`)
    self_kind: str | None = None
    # a class is the entry's (with `methods`) when it or one of its methods has one of these
    # decorators (Pyramid's `@view_defaults` / `@view_config` on a class-based view)
    class_decorators: NameSet = NameSet([])
    # parameters that hold the framework's request object, by name (`__init__(self, request)`)
    request_params: frozenset[str] = frozenset()
    # calls that register a function as the entry's, standing for its decorator
    # (`app.add_url_rule(rule, endpoint, view)`: see factories.py)
    registrars: NameSet = NameSet([])
    # a module-level function whose positional parameters are named so is an entry whatever
    # its name (a Lambda handler `def get_item(event, context)`): one set of names a parameter
    signature: tuple[frozenset[str], ...] = ()
    # a function with a parameter declared with one of these (as its default or in
    # `Annotated`) is called by the framework, as a route is: FastAPI's `q: str = Query()` in a
    # dependency of another module
    parameter_markers: NameSet = NameSet([])


@attrs.frozen
class FormModel:
    """Classes that validate request data field by field (a Django form, a DRF serializer): in
    the `data` attributes of an instance, a field declared with one of `clean_fields` holds
    data no injection fits in (`cleaned_data["age"]` of an `IntegerField`)."""

    bases: NameSet
    data: frozenset[str]
    clean_fields: NameSet


@attrs.frozen
class SinkModel:
    sink_class: str
    args: tuple[int, ...] | None  # None: every positional argument
    keywords: tuple[str, ...]
    receiver: bool
    when: tuple[str, object] | None  # (keyword, required constant)
    model: str | None
    prefix_only: bool
    result_untainted: bool = False  # the call returns what it produced (rows), not its argument
    key: str | None = None  # a subscript sink: only an item of this key (`headers["Location"]`)


@attrs.frozen
class CleanModel:
    cleans: frozenset[str]
    args: tuple[int, ...] | None = None  # sanitizer: arguments that flow; guard: the tested one


@attrs.define
class ModelProblem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class _Index:
    """Models by exact qualified name, by `*` glob and by method name; look-ups are memoized
    (the same few names recur in every function)."""

    def __init__(self) -> None:
        self.exact: dict[str, list] = {}
        self.globs: list[tuple[NameSet, object]] = []
        self.methods: dict[str, list] = {}
        self._memo: dict[str, list] = {}

    def add(self, names: list[str], methods: list[str], model: object) -> None:
        self._memo.clear()
        for name in names:
            if "*" in name:
                self.globs.append((NameSet([name]), model))
            else:
                self.exact.setdefault(name, []).append(model)
        for method in methods:
            self.methods.setdefault(method, []).append(model)

    def by_name(self, name: str | None) -> list:
        found = self._memo.get(name)
        if found is None:
            if name is None:
                return []
            found = self.exact.get(name, [])
            if self.globs:
                found = found + [m for names, m in self.globs if name in names]
            if len(self._memo) > 50_000:
                self._memo.clear()
            self._memo[name] = found
        return found


class Models:
    """Every model of a set of files, indexed for the interpreter."""

    def __init__(self) -> None:
        self.sources = _Index()
        self.sinks = _Index()
        self.subscript_sinks = _Index()
        self.sanitizers = _Index()
        self.guards = _Index()
        self.propagators = _Index()
        self.entries: list[EntryModel] = []
        self.forms: list[FormModel] = []
        # The top-level packages of the entries' body model bases (pydantic): only a module
        # importing one can define a body model (context.py checks each module against them).
        self.body_model_roots: tuple[str, ...] = ()
        self.reaches: dict[str, frozenset[str]] = {}  # source kind -> sink classes it is reported at
        self.guard_models: set[str] = set()
        self.digest = ""
        self.problems: list[ModelProblem] = []
        self._gate: list[tuple[str, re.Pattern]] | None = None
        self._holders: dict[str, bool] = {}  # holds_sources' answers
        self._registrar_names: frozenset[str] | None = None

    def may_read_sources(self, text: str) -> bool:
        """False when `text` cannot read any modelled source: no import of a framework or
        library a source or entry belongs to, no `sys.argv` / `os.environ` / `input(` ...
        Checked on the whole text before anything is parsed: a substring test per word, then
        that word's own expression, which starts with a literal so that `re` searches it fast
        (a leading `\\b` or one expression with many alternatives is slow on a large file)."""
        return self.source_match(text) is not None

    def source_match(self, text: str) -> tuple[int, int] | None:
        """Where `text` first names a source as `may_read_sources` looks for one, else None."""
        for needle, check in self.gate():
            if needle in text:
                match = check.search(text)
                if match is not None:
                    return match.span()
        return None

    def registrar_names(self) -> frozenset[str]:
        """The names the entries' registrars are called by (`Depends` of `fastapi.Depends`)."""
        if self._registrar_names is None:
            self._registrar_names = frozenset(
                name.rsplit(".", 1)[-1].removesuffix("()") for entry in self.entries
                for name in entry.registrars.exact)
        return self._registrar_names

    def holds_sources(self, kind: str) -> bool:
        """Whether a value of `kind` has attributes that are sources (a request object:
        `flask.request`, `django.http.HttpRequest`)."""
        found = self._holders.get(kind)
        if found is None:
            prefix = kind + "."
            found = self._holders[kind] = any(name.startswith(prefix) for name in self.sources.exact)
        return found

    def gate(self) -> list[tuple[str, re.Pattern]]:
        if self._gate is None:
            words: dict[str, str] = {}
            for name in [*self.sources.exact, *(p.split("*")[0] for _, p in self.sources.globs)]:
                parts = name.split(".")
                if len(parts) == 1 or parts[0] == "builtins":
                    words[parts[-1]] = re.escape(parts[-1]) + r"\s*\("
                elif parts[0] in _EVERYWHERE:
                    word = parts[-1].removesuffix("()")
                    words[word] = re.escape(word) + r"\b"
                else:
                    words[parts[0]] = re.escape(parts[0]) + r"\b"
            for entry in self.entries:
                for name in [*entry.decorators.exact, *entry.class_bases.exact,
                             *entry.class_decorators.exact, *entry.registrars.exact,
                             *entry.parameter_markers.exact, *entry.imported]:
                    root = name.split(".")[0]
                    words[root] = re.escape(root) + r"\b"
                for name in entry.function_names:
                    words[name] = r"def\s+" + re.escape(name) + r"\b"
                for first in entry.signature[:1]:
                    for name in first:
                        words[name] = r"def\s+\w+\s*\(\s*" + re.escape(name) + r"\b"
            self._gate = [(word, re.compile(pattern)) for word, pattern in sorted(words.items())]
        return self._gate


def load_models(directory: Path | None = None) -> Models:
    directory = directory or taint_models_dir()
    models = Models()
    for path, table, error in folder_tables(directory):
        if table is None:
            models.problems.append(ModelProblem(path.name, "file", f"cannot be read: {error}"))
            continue
        models.problems.extend(_add_file(models, table, path.name))
    models.digest = models_digest(directory)
    return models


def validate_models(directory: Path) -> list[ModelProblem]:
    """Every problem in the model files of `directory` (`bastion rules validate`)."""
    if not Path(directory).is_dir():
        return [ModelProblem(str(directory), "file", "no such folder")]
    models = load_models(directory)
    if not models.sources.exact or not models.sinks.exact:
        models.problems.append(ModelProblem(str(directory), "file", "no sources or no sinks"))
    return models.problems


def _add_file(models: Models, table: dict, file: str) -> list[ModelProblem]:
    """Validates the whole file first: a file with any problem adds nothing."""
    problems: list[ModelProblem] = []
    staged = Models()
    for key in sorted(set(table) - set(SECTIONS) - {"description"}):
        problems.append(ModelProblem(file, key, f"unknown section (expected {', '.join(SECTIONS)})"))
    for section in SECTIONS:
        items = table.get(section, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            problems.append(ModelProblem(file, section, "expected an array of tables"))
            continue
        for index, item in enumerate(items):
            check = _Checker(file, f"{section}[{index}]", item, problems)
            check.keys(_KEYS[section])
            getattr(check, section)(staged)
    if problems:
        return problems
    for name in ("sources", "sinks", "subscript_sinks", "sanitizers", "guards", "propagators"):
        mine, theirs = getattr(models, name), getattr(staged, name)
        for key, found in theirs.exact.items():
            mine.exact.setdefault(key, []).extend(found)
        for key, found in theirs.methods.items():
            mine.methods.setdefault(key, []).extend(found)
        mine.globs.extend(theirs.globs)
        mine._memo.clear()
    models.entries.extend(staged.entries)
    models.forms.extend(staged.forms)
    models.body_model_roots = tuple(sorted({name.split(".")[0] for entry in models.entries
                                            for name in entry.validated_models.exact}))
    for kind, classes in staged.reaches.items():
        models.reaches[kind] = models.reaches.get(kind, frozenset()) | classes
    models.guard_models |= staged.guard_models
    return []


@attrs.define
class _Checker:
    file: str
    where: str
    item: dict
    problems: list[ModelProblem]

    def error(self, field: str, message: str) -> None:
        self.problems.append(ModelProblem(self.file, f"{self.where}.{field}", message))

    def keys(self, allowed: set[str]) -> None:
        for key in sorted(set(self.item) - allowed):
            self.error(key, f"unknown key (expected one of {', '.join(sorted(allowed))})")

    def strings(self, key: str, required: bool = False) -> list[str]:
        value = self.item.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.error(key, "expected an array of non-empty strings")
            return []
        if required and not value:
            self.error(key, "missing or empty")
        return value

    def text(self, key: str, choices: tuple[str, ...] | frozenset[str] | None = None,
             required: bool = True) -> str | None:
        value = self.item.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(key, "expected a non-empty string")
            return None
        if choices is not None and value not in choices:
            self.error(key, f"{value!r} is not one of {', '.join(sorted(choices))}")
            return None
        return value

    def indexes(self, key: str) -> tuple[int, ...] | None:
        if key not in self.item:
            return None
        value = self.item[key]
        if isinstance(value, int) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value):
            self.error(key, "expected a non-negative integer or an array of them")
            return None
        return tuple(value)

    def classes(self, key: str) -> frozenset[str]:
        names = self.strings(key, required=True)
        if names == ["*"]:
            return EVERY_CLASS
        for name in names:
            if name not in EVERY_CLASS:
                expected = ", ".join(sorted(EVERY_CLASS))
                self.error(key, f"unknown sink class {name!r} (expected {expected} or *)")
        return frozenset(names) & EVERY_CLASS

    def named(self) -> tuple[list[str], list[str]]:
        calls, methods = self.strings("calls"), self.strings("methods")
        return calls, methods

    # ---- sections ----

    def source(self, models: Models) -> None:
        names = self.strings("names", required=True)
        kind = self.text("kind", SOURCE_KINDS)
        label = self.text("label")
        confidence = self.text("confidence", ("low", "medium", "high"), required=False)
        reaches = self.classes("reaches") if "reaches" in self.item else SINK_CLASSES
        if kind and label:
            models.sources.add(names, [], SourceModel(kind, label, confidence in ("low", "medium"),
                                                      reaches))
            models.reaches[kind] = models.reaches.get(kind, frozenset()) | reaches

    def entry(self, models: Models) -> None:
        label = self.text("label")
        decorators, function_names = self.strings("decorators"), self.strings("function_names")
        class_bases, methods = self.strings("class_bases"), self.strings("methods")
        class_decorators, registrars = self.strings("class_decorators"), self.strings("registrars")
        signature = tuple(frozenset(names.split("|")) for names in self.strings("signature"))
        markers = self.strings("parameter_markers")
        if not (decorators or function_names or class_bases or class_decorators or registrars
                or signature or markers or self.item.get("first_param")):
            self.error("decorators", "an entry needs decorators, registrars, function_names, "
                                     "signature, parameter_markers, first_param, class_bases or "
                                     "class_decorators")
        if class_decorators and not methods:
            self.error("class_decorators", "class_decorators needs methods")
        params = self.item.get("params", "all")
        if isinstance(params, list):
            params = tuple(self.strings("params"))
        elif params not in PARAM_RULES:
            self.error("params", f"expected {', '.join(PARAM_RULES)} or an array of names")
        return_sink = self.text("return_sink", SINK_CLASSES, required=False)
        kind = self.text("kind", SOURCE_KINDS, required=False) or "remote"
        request_kind = self.text("request_kind", required=False)
        if self.item.get("self_kind") is not None and not class_bases:
            self.error("self_kind", "self_kind needs class_bases")
        when = self.item.get("return_sink_when")
        return_when = None
        if when is not None:
            if (not isinstance(when, dict) or set(when) != {"keyword", "is"}
                    or not isinstance(when["keyword"], str) or not isinstance(when["is"], list)
                    or not all(isinstance(n, str) and n for n in when["is"])):
                self.error("return_sink_when", 'expected { keyword = "name", is = ["qualified '
                                               'name", ...] }')
            else:
                return_when = (when["keyword"], NameSet(when["is"]))
        if label:
            models.entries.append(EntryModel(
                label, NameSet(decorators), frozenset(function_names), NameSet(class_bases),
                frozenset(methods), params, request_kind, NameSet(self.strings("request_annotations")),
                NameSet(self.strings("not_when_default")), return_sink,
                tuple(self.strings("imported")), kind, frozenset(self.strings("first_param")),
                NameSet(self.strings("clean_annotations")), return_when,
                NameSet(self.strings("validated_models")),
                self.text("self_kind", required=False), NameSet(class_decorators),
                frozenset(self.strings("request_params")), NameSet(registrars), signature,
                NameSet(markers)))

    def sink(self, models: Models) -> None:
        sink_class = self.text("class", SINK_CLASSES)
        calls, methods = self.named()
        subscripts = self.strings("subscript_of")
        model = self.text("model", SINK_MODELS, required=False)
        if not (calls or methods or subscripts or model == "view_return"):
            self.error("calls", "a sink needs calls, methods or subscript_of")
        when = self.item.get("when")
        condition = None
        if when is not None:
            if (not isinstance(when, dict) or set(when) != {"keyword", "equals"}
                    or not isinstance(when.get("keyword"), str)):
                self.error("when", "expected { keyword = \"name\", equals = <constant> }")
            else:
                condition = (when["keyword"], when["equals"])
        receiver = self.item.get("receiver", False)
        prefix_only = self.item.get("prefix_only", False)
        untainted = self.item.get("result_untainted", False)
        for key, flag in (("receiver", receiver), ("prefix_only", prefix_only),
                          ("result_untainted", untainted)):
            if not isinstance(flag, bool):
                self.error(key, "expected true or false")
        key = self.item.get("key")
        if key is not None and (not isinstance(key, str) or not key or not subscripts):
            self.error("key", "expected a non-empty string, with subscript_of")
            key = None
        if sink_class:
            sink = SinkModel(sink_class, self.indexes("args"), tuple(self.strings("keywords")),
                             receiver is True, condition, model, prefix_only is True,
                             untainted is True, key)
            models.sinks.add(calls, methods, sink)
            models.subscript_sinks.add(subscripts, [], sink)

    def sanitizer(self, models: Models) -> None:
        calls, methods = self.named()
        if not (calls or methods):
            self.error("calls", "a sanitizer needs calls or methods")
        models.sanitizers.add(calls, methods, CleanModel(self.classes("cleans"), self.indexes("args")))

    def guard(self, models: Models) -> None:
        model = self.text("model", GUARD_MODELS, required=False)
        if model is not None:
            if set(self.item) != {"model"}:
                self.error("model", "a named guard model takes no other keys")
            models.guard_models.add(model)
            return
        calls, methods = self.named()
        if not (calls or methods):
            self.error("calls", "a guard needs calls, methods or model")
        models.guards.add(calls, methods, CleanModel(self.classes("cleans"), self.indexes("arg")))

    def form(self, models: Models) -> None:
        bases, data = self.strings("bases", required=True), self.strings("data", required=True)
        models.forms.append(FormModel(NameSet(bases), frozenset(data),
                                      NameSet(self.strings("clean_fields", required=True))))

    def propagator(self, models: Models) -> None:
        calls, methods = self.named()
        if not (calls or methods):
            self.error("calls", "a propagator needs calls or methods")
        models.propagators.add(calls, methods, CleanModel(frozenset()))

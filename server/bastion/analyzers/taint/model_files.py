"""The taint model files (`rules/taint/*.toml`) read and validated into `Models` (specs.py).

A model file holds arrays of tables: `source`, `entry` (functions whose parameters are untrusted:
routes, views, handlers), `sink`, `sanitizer`, `guard`, `propagator`, `form`, `callback` and
`program` (a program's options that take a value, arguments.py; see rules/taint/README.md).
What TOML cannot say is a named Python model (`model = "..."`) whose name is checked
here, each field read by model_fields.py. `load_models` never raises: a bad file is reported and
left out.
"""

from __future__ import annotations

from pathlib import Path

from bastion import attrs_classes
from bastion.analyzers.matchers import NameSet
from bastion.analyzers.rule_tables import folder_tables
from bastion.analyzers.taint.domain import SINK_CLASSES
from bastion.analyzers.taint.entry_models import EntryModel
from bastion.analyzers.taint.model_fields import FieldReader
from bastion.analyzers.taint.model_keys import (
    ARRAYS,
    GUARD_MODELS,
    KEYS,
    PARAM_RULES,
    SECTIONS,
    SINK_MODELS,
    SOURCE_KINDS,
)
from bastion.analyzers.taint.specs import (
    PROXY_RESPONSE,
    CallbackModel,
    CleanModel,
    FormModel,
    ModelProblem,
    Models,
    PropagatorModel,
    SinkModel,
    SourceModel,
)
from bastion.analyzers.versions import models_digest, taint_models_dir, toml_files


def load_models(directory: Path | None = None) -> Models:
    """Every file's models, each table checked as it is added; a file with any problem adds
    nothing. Every file is added to the same models, unstaged (a copy of each file's models
    merged in was a tenth of the load every start pays): when one has a problem, the good ones
    are added again without it."""
    directory = directory or taint_models_dir()
    models = Models()
    files = toml_files(directory)  # read once: the digest is of the bytes the models come from
    checked: list[tuple[str, dict, bool]] = []  # (file, table, good)
    for path, table, error in folder_tables(directory, files):
        if table is None:
            models.problems.append(ModelProblem(path.name, "file", f"cannot be read: {error}"))
            continue
        problems = _add_file(models, table, path.name)
        models.problems.extend(problems)
        checked.append((path.name, table, not problems))
    if not all(good for _, _, good in checked):
        kept = Models()
        kept.problems = models.problems
        for file, table, good in checked:
            if good:
                _add_file(kept, table, file)
        models = kept
    # the top-level packages of the body model bases (context.py)
    models.body_model_roots = tuple(sorted({name.split(".")[0] for entry in models.entries
                                            for name in entry.validated_models.exact}))
    models.digest = models_digest(files=files)
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
    """Checks each table of a file and adds its models to `models`; the file's problems."""
    problems: list[ModelProblem] = []
    for key in sorted(set(table) - set(SECTIONS) - {"description"}):
        problems.append(ModelProblem(file, key, f"unknown section (expected {', '.join(SECTIONS)})"))
    for section in SECTIONS:
        items = table.get(section, [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            problems.append(ModelProblem(file, section, "expected an array of tables"))
            continue
        for index, item in enumerate(items):
            check = _Checker(file, f"{section}[{index}]", item, problems)
            check.keys(KEYS[section], ARRAYS[section])
            getattr(check, section)(models)
    return problems


@attrs_classes.define
class _Checker(FieldReader):
    """One table of a model file checked and added to `Models`, section by section."""

    # ---- sections ----

    def source(self, models: Models) -> None:
        names = self.strings("names")
        kind = self.text("kind", SOURCE_KINDS)
        label = self.text("label")
        confidence = self.text("confidence", ("low", "medium", "high"), required=False)
        reaches = self.classes("reaches") if "reaches" in self.item else SINK_CLASSES
        cleans = self.classes("cleans") if "cleans" in self.item else frozenset()
        if kind and label:
            models.sources.add(names, [], SourceModel(kind, label, confidence in ("low", "medium"),
                                                      reaches, cleans))
            models.reaches[kind] = models.reaches.get(kind, frozenset()) | reaches

    def entry(self, models: Models) -> None:
        label = self.text("label")
        get = self.names.get
        decorators, function_names = get("decorators", ()), get("function_names", ())
        class_bases, methods = get("class_bases", ()), get("methods", ())
        if any("*" in m[:-1] for m in methods):
            self.error("methods", "a `*` may only end a method's name (a prefix: `resolve_*`)")
        prefixes = tuple(m[:-1] for m in methods if m.endswith("*"))
        class_decorators, registrars = get("class_decorators", ()), get("registrars", ())
        signature = tuple(frozenset(names.split("|")) for names in get("signature", ()))
        markers = get("parameter_markers", ())
        factory_params = get("factory_params", ())
        if not (decorators or function_names or class_bases or class_decorators or registrars
                or signature or markers or self.item.get("first_param") or factory_params):
            self.error("decorators", "an entry needs decorators, registrars, function_names, "
                                     "signature, parameter_markers, first_param, factory_params, "
                                     "class_bases or class_decorators")
        if factory_params and not self.item.get("imported"):
            self.error("factory_params", "factory_params needs imported")
        if class_decorators and not methods:
            self.error("class_decorators", "class_decorators needs methods")
        if get("class_routes", ()) and not class_bases:
            self.error("class_routes", "class_routes needs class_bases")
        params = self.item.get("params", "all")
        if isinstance(params, list):
            params = tuple(self._array("params", params))
        elif params not in PARAM_RULES:
            self.error("params", f"expected {', '.join(PARAM_RULES)} or an array of names")
        return_sink = self.text("return_sink", SINK_CLASSES | {PROXY_RESPONSE}, required=False)
        kind = self.text("kind", SOURCE_KINDS, required=False) or "remote"
        request_kind = self.text("request_kind", required=False)
        if self.item.get("self_kind") is not None and not class_bases:
            self.error("self_kind", "self_kind needs class_bases")
        setup = get("setup_methods", ())
        if setup and (self.item.get("self_kind") is None or not set(setup) <= set(methods)):
            self.error("setup_methods", "setup_methods needs self_kind, each one of methods")
        if get("init_params", ()) and not (class_bases and self.item.get("imported")):
            self.error("init_params", "init_params needs class_bases and imported")
        if get("response_params", ()) and self.item.get("response_kind") is None:
            self.error("response_params", "response_params needs response_kind")
        callers = get("handler_callers", ())
        if not set(callers) <= set(setup):
            self.error("handler_callers", "handler_callers needs setup_methods, each one of them")
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
                frozenset(m for m in methods if not m.endswith("*")), params, request_kind,
                NameSet(get("request_annotations", ())),
                NameSet(get("not_when_default", ())), return_sink,
                tuple(get("imported", ())), kind, frozenset(get("first_param", ())),
                NameSet(get("clean_annotations", ())), return_when,
                NameSet(get("validated_models", ())),
                self.text("self_kind", required=False), NameSet(class_decorators),
                frozenset(get("request_params", ())), NameSet(registrars), signature,
                NameSet(markers), prefixes, tuple(setup),
                frozenset(callers), NameSet(get("response_annotations", ())),
                self.text("second_kind", required=False),
                frozenset(get("init_params", ())), frozenset(get("response_params", ())),
                self.text("response_kind", required=False), frozenset(factory_params),
                class_routes=NameSet(get("class_routes", ())),
                return_sink_unless=NameSet(get("return_sink_unless", ())),
                param_kind=self.text("param_kind", required=False)))

    def sink(self, models: Models) -> None:
        sink_class = self.text("class", SINK_CLASSES)
        calls, methods = self.named()
        subscripts = self.names.get("subscript_of", ())
        attributes = self.names.get("attribute_of", ())
        model = self.text("model", SINK_MODELS, required=False)
        if not (calls or methods or subscripts or attributes or model == "view_return"):
            self.error("calls", "a sink needs calls, methods, subscript_of or attribute_of")
        condition = self.keyword_condition("when", absent=True)
        before = self.before()
        receiver = self.item.get("receiver", False)
        prefix_only = self.item.get("prefix_only", False)
        untainted = self.item.get("result_untainted", False)
        module_too = self.item.get("module_too", False)
        from_receiver = self.item.get("result_from_receiver", False)
        reads_file = self.item.get("reads_file", False)
        for key, flag in (("receiver", receiver), ("prefix_only", prefix_only),
                          ("result_untainted", untainted), ("module_too", module_too),
                          ("result_from_receiver", from_receiver), ("reads_file", reads_file)):
            if not isinstance(flag, bool):
                self.error(key, "expected true or false")
        key = self.item.get("key")
        if key is not None and (not isinstance(key, str) or not key or not subscripts):
            self.error("key", "expected a non-empty string, with subscript_of")
            key = None
        receivers = frozenset(self.names.get("receivers", ()))
        if receivers and (calls or not methods):
            self.error("receivers", "only with methods")
        if sink_class:
            sink = SinkModel(sink_class, self.indexes("args"), tuple(self.names.get("keywords", ())),
                             receiver is True, condition, model, prefix_only is True,
                             untainted is True, key, before, tuple(self.names.get("imported", ())),
                             module_too is True, from_receiver is True and untainted is True,
                             receivers, reads_file is True)
            models.sinks.add(calls, methods, sink)
            if before is not None:
                models.versioned.add(before[0])
            models.subscript_sinks.add(subscripts, [], sink)
            models.attribute_sinks.add(attributes, [], sink)

    def sanitizer(self, models: Models) -> None:
        calls, methods = self.named()
        if not (calls or methods):
            self.error("calls", "a sanitizer needs calls or methods")
        kept = self.item.get("kept")
        if kept is not None and not (isinstance(kept, dict) and set(kept) == {"keyword", "position"}
                                     and isinstance(kept["keyword"], str) and type(kept["position"]) is int):
            self.error("kept", 'expected { keyword = "name", position = <int> }')
        models.sanitizers.add(calls, methods, CleanModel(
            self.classes("cleans"), self.indexes("args"), unless=self.keyword_condition("unless"),
            not_through=tuple(self.names.get("not_through", ())),
            kept=(kept["keyword"], kept["position"]) if isinstance(kept, dict) else None))

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
        models.guards.add(calls, methods, CleanModel(self.classes("cleans"), self.indexes("arg"),
                                                     self.text("keyword", required=False)))

    def form(self, models: Models) -> None:
        bases, data = self.strings("bases"), self.names.get("data", ())
        patterns = self.item.get("pattern_fields", {})
        if not isinstance(patterns, dict) or not all(isinstance(p, str) for p in patterns.values()):
            self.error("pattern_fields", "expected a table: field class = the pattern it searches")
            patterns = {}
        models.forms.append(FormModel(NameSet(bases), frozenset(data),
                                      NameSet(self.strings("clean_fields")),
                                      frozenset(self.names.get("constructors", ())),
                                      NameSet(self.names.get("file_fields", ())),
                                      frozenset(self.names.get("reads", ())),
                                      NameSet(self.names.get("choice_validators", ())),
                                      tuple(sorted(patterns.items())),
                                      NameSet(self.names.get("choice_fields", ()))))

    def propagator(self, models: Models) -> None:
        calls, methods = self.named()
        if not (calls or methods):
            self.error("calls", "a propagator needs calls or methods")
        decodes, reads_file = self.item.get("decodes", False), self.item.get("reads_file", False)
        for key, flag in (("decodes", decodes), ("reads_file", reads_file)):
            if not isinstance(flag, bool):
                self.error(key, "expected true or false")
        models.propagators.add(calls, methods, PropagatorModel(
            decodes is True, self.indexes("args"), tuple(self.names.get("keywords", ())), reads_file is True))

    def program(self, models: Models) -> None:
        names, valued = self.strings("names"), self.strings("valued")
        if any(not option.startswith("-") or "=" in option for option in valued):
            self.error("valued", "expected options, each starting with - and without =")
        for name in names:
            models.valued_options[name] = models.valued_options.get(name, frozenset()) | frozenset(valued)

    def callback(self, models: Models) -> None:
        calls, methods = self.named()
        if not (calls or methods):
            self.error("calls", "a callback needs calls or methods")
        overridden = self.text("overridden", required=False)
        if overridden is not None:
            if not overridden.isidentifier() or set(self.item) - {"calls", "methods", "overridden"}:
                self.error("overridden", "expected a method name, with `calls` / `methods` only")
            elif calls or methods:
                models.callbacks.add(calls, methods, CallbackModel(None, overridden=overridden))
            return
        on_receiver = self.item.get("function") == {"receiver": True}
        function = (None, None) if on_receiver else self.place("function", required=True)
        rest = self.indexes("rest")
        if rest is not None and len(rest) != 1:
            self.error("rest", "expected one position")
        args, kwargs = self.place("args"), self.place("kwargs")
        if rest is not None and args is not None:
            self.error("args", "a callback takes its arguments from `rest` or from `args`, not both")
        flags = {key: self.item.get(key, False) for key in ("keywords", "mapped")}
        for key, flag in flags.items():
            if not isinstance(flag, bool):
                self.error(key, "expected true or false")
        if flags["mapped"] is True and rest is None:
            self.error("mapped", "needs `rest`: the arguments holding the iterables")
        if function is not None:
            models.callbacks.add(calls, methods, CallbackModel(
                function, rest[0] if rest else None, args, kwargs, flags["keywords"] is True,
                flags["mapped"] is True, on_receiver=on_receiver))

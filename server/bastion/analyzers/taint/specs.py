"""Taint models as data: the models of `rules/taint/*.toml` (model_files.py reads them) indexed
by qualified name.

Names are qualified names as the own rules resolve them (`bastion.analyzers.matchers.Env`), or
names rooted at a value's kind (`django.http.HttpRequest.GET`: the attribute of a request
parameter).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bastion import attrs_classes
from bastion.analyzers.matchers import NameSet
from bastion.analyzers.taint.domain import SINK_CLASSES, UNKNOWN, Value
from bastion.analyzers.taint.entry_models import EntryModel
from bastion.analyzers.taint.model_index import ModelIndex
from bastion.deferred_patterns import deferred

# Modules nearly every file imports: their sources are recognised by the source's own name.
_EVERYWHERE = frozenset({"os", "sys", "builtins", "io"})
# An entry's `return_sink` that is no sink class: the return value is an API Gateway / ALB /
# function URL proxy response dict (responses.py), whose parts reach different sinks.
PROXY_RESPONSE = "proxy_response"


@attrs_classes.frozen
class SourceModel:
    kind: str
    label: str
    low_confidence: bool = False
    reaches: frozenset[str] = SINK_CLASSES  # the sink classes this source is reported at
    # the sink classes its value is safe for as it comes: the application's own absolute URL
    # (`request.url`) goes to the host the victim's browser asked, not one the request chose
    cleans: frozenset[str] = frozenset()


@attrs_classes.frozen
class FormModel:
    """Classes that validate request data field by field (a Django form, a DRF serializer, a
    pydantic model): in the `data` attributes of an instance (none: the instance itself), a
    field declared with one of `clean_fields` (`age = IntegerField()`, or annotated:
    `age: int`) holds data no injection fits in (`cleaned_data["age"]` of an `IntegerField`).
    `constructors`: class methods that build such an instance (`Model.model_validate(data)`),
    or methods of an instance built without data that return the validated data (marshmallow's
    `PageSchema().load(data)`);
    `file_fields`: field classes whose value is an uploaded file object, not a name
    (`forms.FileField()`: `cleaned_data["data"]` is what `request.FILES["data"]` is)."""

    bases: NameSet
    data: frozenset[str]
    clean_fields: NameSet
    constructors: frozenset[str] = frozenset()
    file_fields: NameSet = NameSet([])
    # sources a form built without data reads itself (Flask-WTF's `PageForm()`: the submitted form)
    reads: frozenset[str] = frozenset()
    # validators that accept only the constants they list: marshmallow's `validate=OneOf([...])`
    choice_validators: NameSet = NameSet([])
    # field classes that validate against a fixed pattern, with it: Django's `SlugField`
    pattern_fields: tuple[tuple[str, str], ...] = ()
    # field classes whose validation accepts only the choices they are declared with (WTForms'
    # `SelectField(choices=[...])`): one of those constants once the form validated
    choice_fields: NameSet = NameSet([])


# A sink's `when` keyword that must not be given (`{ keyword = "resolve_entities", absent = true }`)
ABSENT = object()


@attrs_classes.frozen
class SinkModel:
    sink_class: str
    args: tuple[int, ...] | None  # None: every positional argument
    keywords: tuple[str, ...]
    receiver: bool
    when: tuple[str, object] | None  # (keyword, required constant or ABSENT)
    model: str | None
    prefix_only: bool
    result_untainted: bool = False  # the call returns what it produced (rows), not its argument
    key: str | None = None  # a subscript sink: only an item of this key (`headers["Location"]`)
    # (package, version): a sink only while the project's declared package is older
    # (declared_versions.py); undeclared or undecided, at medium confidence
    before: tuple[str, str] | None = None
    # a sink only in a module that imports one of these: a method name another library uses
    # too (asyncpg's `fetch` on a connection of unknown type, not Tornado's HTTP `fetch`)
    imported: tuple[str, ...] = ()
    # a method sink also on a module's attribute (`from db import cursor` may bind a module):
    # no library's module has a function of this name but one doing what the sink does
    module_too: bool = False
    # with result_untainted: what it produced is the receiver's entries (a document's elements),
    # so it carries the receiver's data, not the arguments'
    result_from_receiver: bool = False
    # a method sink only on a receiver so named (a name, or the last attribute of one): a logger
    # handed in as a parameter or imported from another module, whose type is not followed
    receivers: frozenset[str] = frozenset()
    # it reads its arguments whole as a document or a stream: a request object handed there is
    # read as the file it also is (handed_requests.read_as_file)
    reads_file: bool = False


@attrs_classes.frozen
class CleanModel:
    cleans: frozenset[str]
    args: tuple[int, ...] | None = None  # sanitizer: arguments that flow; guard: the tested one
    keyword: str | None = None  # guard: the tested argument's name, when given by keyword
    # sanitizer: no sanitizer when this keyword is given this constant, or maybe so (a name, in
    # `**options`): pandas' `to_html(escape=False)`
    unless: tuple[str, object] | None = None
    # sanitizer: no sanitizer on a receiver reached through one of these attributes: a
    # DataFrame's `style` is a Styler, whose `to_html` escapes nothing by default
    not_through: tuple[str, ...] = ()
    # sanitizer: (keyword, position) of the characters it is told to leave as they are too
    # (`quote(x, safe="<>")`): the classes they can break are not cleaned, nor any when they are
    # not a constant
    kept: tuple[str, int] | None = None

    def cleans_given(self, args: list[Value], keywords: dict[str | None, Value]) -> frozenset[str]:
        """`cleans` less what the characters kept at this call can break."""
        if self.kept is None:
            return self.cleans
        from bastion.analyzers.taint.patterns import broken_by  # patterns.py reads the domain

        keyword, position = self.kept
        given = keywords.get(keyword) or (args[position] if position < len(args) else None)
        if given is None:
            return frozenset() if None in keywords else self.cleans  # maybe in `**options`
        chars = given.const.decode("latin-1") if isinstance(given.const, bytes) else given.const
        return self.cleans - broken_by(chars) if isinstance(chars, str) else frozenset()

    def cleans_at(self, name: str | None, keywords: dict[str | None, Value]) -> bool:
        """Whether the sanitizer cleans at a call of `name` given these keywords."""
        if self.unless is not None:
            keyword, wanted = self.unless
            given = keywords.get(keyword)
            # not given, unless maybe in `**options`; given, unless as another constant
            if None in keywords if given is None else given.const is UNKNOWN or given.const == wanted:
                return False
        if not self.not_through:  # most sanitizers: no name split for nothing to look for
            return True
        parts = (name or "").replace("()", "").split(".")[:-1]
        return not any(attribute in parts for attribute in self.not_through)


@attrs_classes.frozen
class PropagatorModel:
    """A call whose result carries its arguments' data (`args` / `keywords`: only those; None:
    every argument); `decodes`: their text decoded (base64, percent-encoding, HTML entities), so
    what an encoding of it made safe is unsafe again; `reads_file`: it reads a file or stream it
    is handed (`json.load(request)`: handed_requests.read_as_file)."""
    decodes: bool = False
    args: tuple[int, ...] | None = None
    keywords: tuple[str, ...] = ()
    reads_file: bool = False


@attrs_classes.frozen
class CallbackModel:
    """A call that calls a function it is given (`executor.submit(fn, x)`): where the function
    is, each place an (argument position, keyword) pair, either of them None."""

    function: tuple[int | None, str | None] | None
    rest: int | None = None  # the positional arguments from here on are the function's
    args: tuple[int | None, str | None] | None = None  # the tuple of its positional arguments
    kwargs: tuple[int | None, str | None] | None = None  # the dict of its keyword arguments
    keywords: bool = False  # the call's keywords (but those above) are the function's
    mapped: bool = False  # the `rest` arguments are iterables: the function gets their elements
    # no function handed: the call (a base class's method) runs this method of the receiver's
    # class (`threading.Thread.start` runs a subclass's `run`)
    overridden: str | None = None
    # the function is the call's receiver (a Celery task's `ping.delay(host)` runs `ping(host)`)
    on_receiver: bool = False


@attrs_classes.define
class ModelProblem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


class Models:
    """Every model of a set of files, indexed for the interpreter."""

    def __init__(self) -> None:
        self.sources = ModelIndex()
        self.sinks = ModelIndex()
        self.subscript_sinks = ModelIndex()
        self.attribute_sinks = ModelIndex()  # `attribute_of`: `resp.location = url`
        self.sanitizers = ModelIndex()
        self.guards = ModelIndex()
        self.propagators = ModelIndex()
        self.callbacks = ModelIndex()
        self.entries: list[EntryModel] = []
        self.forms: list[FormModel] = []
        # The top-level packages of the entries' body model bases (pydantic): only a module
        # importing one can define a body model (context.py checks each module against them).
        self.body_model_roots: tuple[str, ...] = ()
        self.reaches: dict[str, frozenset[str]] = {}  # source kind -> sink classes it is reported at
        self.guard_models: set[str] = set()
        self.versioned: set[str] = set()  # the packages of the sinks' `before` conditions
        # program word -> its options that take the next argument as their value (`grep -e`)
        self.valued_options: dict[str, frozenset[str]] = {}
        self.digest = ""
        self.problems: list[ModelProblem] = []
        # the gate's words, each with its expression compiled at its first use (most words are in
        # no text): `source_match` and `gate` share the compiled patterns
        self._words: list[tuple[str, Callable[[], re.Pattern[str]]]] | None = None
        self._named: dict[str, bytes] = {}  # the gate's whole-word names (`_name`), in ASCII
        self._holders: dict[str, bool] = {}  # holds_sources' answers
        self._sink_holders: dict[str, bool] = {}  # holds_sinks' answers
        self._registrar_names: frozenset[str] | None = None
        self._handler_bases: frozenset[str] | None = None
        self._form_bases: NameSet | None = None
        # what a call's callee meets (imported here: its module imports calls.py, which imports
        # this one); kept for the models' life, which do not change once loaded
        from bastion.analyzers.taint.call_entries import CallEntries
        self.call_entries = CallEntries(self)

    def may_read_sources(self, text: str) -> bool:
        """False when `text` cannot read any modelled source: no import of a framework or
        library a source or entry belongs to, no `sys.argv` / `os.environ` / `input(` ...
        Checked on the whole text before anything is parsed: a substring test per word, then
        that word's own expression, which starts with a literal so that `re` searches it fast
        (a leading `\\b` or one expression with many alternatives is slow on a large file). A
        name is looked for as a whole word (`_name`): `ws` in `news` reads nothing."""
        return self.source_match(text) is not None

    def source_match(self, text: str) -> tuple[int, int] | None:
        """Where `text` first names a source as `may_read_sources` looks for one, else None.
        In an ASCII text, a whole-word name is looked up among the text's words, found once:
        89 substring searches of each text were a tenth of a cold scan's taint analysis."""
        gate = self._gate_words()
        words = _ascii_words(text) if text.isascii() else None
        for needle, compiled in gate:
            if words is not None and needle in self._named:
                if self._named[needle] not in words:
                    continue  # its expression matches exactly where it is a whole word
            elif needle not in text:
                continue
            match = compiled().search(text)
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

    def handler_bases(self) -> frozenset[str]:
        """The request handler classes the entries name (`django.views.View`): a class derived
        from them is built by the framework, its class attributes configuration."""
        if self._handler_bases is None:
            self._handler_bases = frozenset(
                name for entry in self.entries for name in entry.class_bases.exact)
        return self._handler_bases

    def form_bases(self) -> NameSet:
        """Every form model's bases in one set (forms.py asks whether any class derives from
        one at each keystroke)."""
        if self._form_bases is None:
            self._form_bases = NameSet([base for form in self.forms
                                        for base in (*form.bases.exact, *form.bases.globs)])
        return self._form_bases

    def holds_sources(self, kind: str) -> bool:
        """Whether a value of `kind` has attributes that are sources (a request object:
        `flask.request`, `django.http.HttpRequest`)."""
        found = self._holders.get(kind)
        if found is None:
            found = self._holders[kind] = self.sources.holds_members(kind)
        return found

    def holds_sinks(self, kind: str) -> bool:
        """Whether a method of a value of `kind` is a sink (`logging.Logger().info`)."""
        found = self._sink_holders.get(kind)
        if found is None:
            found = self._sink_holders[kind] = self.sinks.holds_members(kind)
        return found

    def gate(self) -> list[tuple[str, re.Pattern]]:
        """The words `source_match` looks for, each with its expression, compiled."""
        return [(word, compiled()) for word, compiled in self._gate_words()]

    def _gate_words(self) -> list[tuple[str, Callable[[], re.Pattern[str]]]]:
        """(word, its expression's getter: `deferred_patterns.deferred`), by word."""
        if self._words is None:
            words: dict[str, str] = {}
            # a source of a handler's `self` (`http.server.BaseHTTPRequestHandler.path`) is read
            # only in a class its entry names: that class's word stands for it
            kinds = tuple(e.self_kind + "." for e in self.entries if e.self_kind)
            # a glob's word is what its text before the first `*` starts with
            globbed = [glob.split("*")[0] for names, _ in self.sources.globs for glob in names.globs]
            for name in [*self.sources.exact, *globbed]:
                parts = name.split(".")
                if name.startswith(kinds):
                    continue
                if len(parts) == 1 or parts[0] == "builtins":
                    words[parts[-1]] = re.escape(parts[-1]) + r"\s*\("
                elif parts[0] in _EVERYWHERE:
                    word = parts[-1].removesuffix("()")
                    words[word] = whole_name(word)
                else:
                    words[parts[0]] = whole_name(parts[0])
            for entry in self.entries:
                for name in [*entry.decorators.exact, *entry.class_decorators.exact,
                             *entry.registrars.exact, *entry.parameter_markers.exact,
                             *entry.imported]:
                    root = name.split(".")[0]
                    words[root] = whole_name(root)
                for name in entry.class_bases.exact:  # a subclass names its base class
                    word = name.rsplit(".", 1)[-1]
                    words[word] = whole_name(word)
                for name in entry.function_names:
                    words[name] = r"def\s+" + re.escape(name) + r"\b"
                words.update(_signature_words(entry.signature))
            self._words = [(word, deferred(pattern)) for word, pattern in sorted(words.items())]
            self._named = {word: word.encode() for word, pattern in words.items()
                           if pattern == whole_name(word) and _ASCII_WORD.fullmatch(word)}
        return self._words


def _signature_words(signature: tuple[frozenset[str], ...]) -> dict[str, str]:
    """Words for a signature's entry (`def get_item(event, context)`): each name of the position
    whose shortest name is longest (a word in nearly every text, `e`, gates nothing). The name
    alone: an annotation (`event: dict[str, Any]`) or a default may stand between the names."""
    if not signature:
        return {}
    position = max(signature, key=lambda names: min(map(len, names)))
    return {name: whole_name(name) for name in position}


_ASCII_WORD = re.compile(r"[A-Za-z0-9_]+")
# ASCII bytes that are not word characters (`\\w` in an ASCII text: letters, digits, `_`) -> space
_WORD_BYTES = bytes(c if chr(c).isalnum() and c < 128 or c == 95 else 32 for c in range(256))


def _ascii_words(text: str) -> set[bytes]:
    """The words of an ASCII text (its longest runs of word characters), 5x faster than
    `re.findall(r"\\w+")`."""
    return set(text.encode("ascii").translate(_WORD_BYTES).split())


def whole_name(word: str) -> str:
    """`word` as a whole name: a text names a module, class or parameter only as a whole word
    (`ws` in `news` or `rows`, 12 of the email package's 20 modules, read nothing). The check
    before it follows the literal, which `re` then still searches for first: a leading `\\b`
    made each search 50 times slower."""
    escaped = re.escape(word)
    return rf"{escaped}(?<!\w{escaped})\b"

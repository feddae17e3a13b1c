"""Sinks of a call: which of its values matter (models' `args` / `keywords` / `receiver`, their
`when` condition, and the named models TOML cannot express), and the hit when one is tainted and
not sanitized for the sink's class."""

from __future__ import annotations

import ast
from operator import attrgetter
from typing import TYPE_CHECKING

from bastion.analyzers.taint.archive_members import members_value
from bastion.analyzers.taint.arguments import ARGV_MODELS, argv_model
from bastion.analyzers.taint.argv import subprocess_value
from bastion.analyzers.taint.call_conditions import CONDITIONS
from bastion.analyzers.taint.command_vectors import handed_vector
from bastion.analyzers.taint.confined_parsers import see_parse
from bastion.analyzers.taint.domain import CLEAN, JSON_ELEMENT, SAFE, UNKNOWN, Value
from bastion.analyzers.taint.folding import conversions
from bastion.analyzers.taint.handed_requests import read_as_file
from bastion.analyzers.taint.media_types import (
    declared_html,
    declared_not_html,
    location_header,
    together,
    typed_html,
    typed_later,
    written_as_json_or_declared,
)
from bastion.analyzers.taint.nodes import last_name
from bastion.analyzers.taint.patterns import COMPILED_PATTERN
from bastion.analyzers.taint.reflection import called_attribute, package_fixed
from bastion.analyzers.taint.response_writes import written_not_html
from bastion.analyzers.taint.specs import ABSENT, SinkModel
from bastion.analyzers.taint.templates import (
    TEMPLATE_FILE_MODELS,
    TEMPLATE_VIEW_MODELS,
    template_file_value,
    template_named,
)
from bastion.analyzers.taint.upstream import upstream_line
from bastion.analyzers.taint.url_paths import not_a_name
from bastion.analyzers.taint.verdicts import XML_DOCUMENTS, see_call, see_xml_document

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

_SAFE_YAML_LOADERS = frozenset({"yaml.SafeLoader", "yaml.CSafeLoader", "yaml.BaseLoader",
                                "yaml.CBaseLoader"})
UNSAFE_PARSER = "lxml.etree.XMLParser(resolve_entities)"
# A parser left at lxml's default, which resolved external entities before lxml 5.0 (the
# `default_xml_parser` model, by the project's lxml version)
DEFAULT_PARSER = "lxml.etree.XMLParser(default)"
# ETCompatXMLParser kept resolving them by default until lxml 6.1 (CVE-2026-41066): the
# `etcompat_default_parser` model
ETCOMPAT_DEFAULT_PARSER = "lxml.etree.ETCompatXMLParser(default)"
# objectify's makeparser(**options) hands its options to an XMLParser (remove_blank_text on), an
# XMLPullParser is one that also keeps its events: both resolve entities as XMLParser does
_DEFAULT_PARSERS = {"lxml.etree.XMLParser": DEFAULT_PARSER,
                    "lxml.etree.ETCompatXMLParser": ETCOMPAT_DEFAULT_PARSER,
                    "lxml.objectify.makeparser": DEFAULT_PARSER, "lxml.etree.XMLPullParser": DEFAULT_PARSER}
LXML_PARSERS = frozenset(_DEFAULT_PARSERS)  # the calls parser_kind answers
# ruamel.yaml's `YAML(typ="unsafe")` builds any Python object a document names (its default
# round-trip loader and "safe" do not): a kind of its own, whose `load` the deserialization sink
# names (`loader_kind`)
_UNSAFE_LOADERS = {"ruamel.yaml.YAML": "ruamel.yaml.YAML(unsafe)",
                   "ruamel.yaml.main.YAML": "ruamel.yaml.YAML(unsafe)"}
YAML_LOADERS = frozenset(_UNSAFE_LOADERS)
_RESULT_UNTAINTED = attrgetter("result_untainted")
# An xml.sax parser after `setFeature(feature_external_ges, True)` (off by default since
# Python 3.7.1): it fetches the external entities a document declares.
SAX_PARSER = "xml.sax.make_parser()"
UNSAFE_SAX_PARSER = "xml.sax.make_parser(feature_external_ges)"
SAX_EXTERNAL_ENTITIES = frozenset({"xml.sax.handler.feature_external_ges",
                                   "http://xml.org/sax/features/external-general-entities"})
# `%r` and `%a` escape line breaks, and a number conversion refuses a string (TypeError), so a
# log argument formatted by one of these cannot forge a line.
_ESCAPING = frozenset("radiouxXeEfFgG")
# Jinja's environments made to run untrusted templates (each attribute and call checked).
_SANDBOXES = ("jinja2.sandbox.",)
# A MongoDB query's operators that run server-side JavaScript: a string there is code.
_CODE_OPERATORS = ("$where", "$function", "$accumulator")
# A request's parsed body or container as a whole (`request.get_json()`, `json.loads(request.body)`
# keeps the body's kind): a document whose keys, operators included, the sender chose.
_REQUEST_DOCUMENTS = (".json", ".get_json", ".data", ".body", ".args", ".form", ".GET", ".POST",
                      ".to_dict", ".dict", ".query_params", ".query", "json.loads()", "json.load()")


def sink_text(node: ast.Call) -> str:
    text = ast.unparse(node.func)
    return text if len(text) <= 40 else text[:37] + "..."


def check_call_sinks(ev: Evaluator, node: ast.Call, name: str | None, args: list[Value],
                     keywords: dict[str | None, Value], receiver: Value | None,
                     on_module: bool, own: bool) -> Value | None:
    """Record the hits of the call's sinks; what its result is instead of what it carries when
    the sinks say (a query run returns rows, not the query text: CLEAN; a document's query its
    entries: the receiver's data), else None. `on_module`: the callee is a module's attribute;
    `own`: a method of a class of this module, which its summary judges, not a method sink."""
    if name in XML_DOCUMENTS:
        see_xml_document(ev, node, name, args, keywords)
    sinks = ev.models.sinks
    candidates = sinks.by_name(name)  # the index's own list: not changed here
    attribute = isinstance(node.func, ast.Attribute)
    method = node.func.attr if attribute else bound_method(ev, node.func, name)  # `ex = cur.execute`
    if method in sinks.methods and not own and (receiver is None or receiver.kind != COMPILED_PATTERN):
        # `re.search(...)` is a module's function, not the method of a connection or a tree;
        # what `from db import cursor` binds may be a module, and is a cursor to `module_too`
        # (a bound method's receiver is not a module, and has no name here); a compiled
        # pattern's `search` is no directory's: its match holds the text searched
        held = last_name(node.func.value) if attribute else None
        candidates = [*candidates, *(m for m in sinks.methods[method]
                                     if m not in candidates and (m.module_too or not on_module)
                                     and (not m.receivers or held in m.receivers))]
    if not candidates:
        return None  # most calls: no list made
    # nor is a method of a library the module does not import (nor its result untainted by it)
    kept = []
    for sink in candidates:  # a loop: no comprehension's frame a sink's call
        if not sink.imported or ev.names.imported(sink.imported):
            kept.append(sink)
    candidates = kept
    for sink in candidates:
        older = ev.module.declared.below(*sink.before) if sink.before is not None else True
        if older is False:
            continue  # the project's version is not affected
        value = _sink_value(ev, sink, node, args, keywords, receiver)
        if value is not None:
            # A URL whose host a constant prefix fixes is safe for a redirect or a request.
            fixed = sink.prefix_only and value.taint and not value.prefix
            see_call(ev, node, sink.sink_class,
                     value.evolve(clean=value.clean | {sink.sink_class}) if fixed else value,
                     args, keywords)
            if sink.sink_class == "xxe":
                see_parse(ev, node, name, value)
        if value is None or not value.taint or sink.sink_class in value.clean:
            continue
        if sink.sink_class == "redirect":
            # imported here: it reads site_paths, whose guards read the evaluator, which reads this
            from bastion.analyzers.taint.redirect_encodings import kept_on_site

            if kept_on_site(value.clean, name):
                continue  # `/\evil.com` sent as `/%5Cevil.com`
        if sink.prefix_only and not value.prefix or _reported_inside(ev, node, sink.sink_class) \
                or upstream_line(value, sink.sink_class) is not None:
            continue
        from bastion.analyzers.taint.results import Hit

        text = sink_text(node)
        named = template_named(ev, sink.args, args, keywords) \
            if sink.model in TEMPLATE_FILE_MODELS else None
        if named is not None:
            text = f"the template `{named.name}`, which prints it unescaped"
        if sink.before is not None:
            text = _versioned(ev, sink.before, text, older)
            if older is None:  # undeclared, or a range across the version: it may not be a sink
                value = value.evolve(modelled=False)
        ev.hits.append(Hit(sink.sink_class, text, node, ev.statement, value,
                           vector=sink.model == "subprocess" and handed_vector(args, keywords)))
    return produced(candidates, receiver)


def produced(candidates: list[SinkModel], receiver: Value | None) -> Value | None:
    """What a call of these sinks returns instead of its inputs' data (None: their data): CLEAN
    for what it produced (rows, a response); the receiver's data for a document's entries
    (`root.findall(query)`, `doc.xpath(query)`: what the document held, not the query)."""
    untainted = list(filter(_RESULT_UNTAINTED, candidates))  # in C: no comprehension's frame
    if not untainted:
        return None
    if receiver is None or not receiver.taint or not all(s.result_from_receiver for s in untainted):
        return CLEAN
    return receiver.flat().evolve(kind=None, const=UNKNOWN, items=None, known=False)


def parser_kind(name: str, unset: bool, resolving: bool) -> str | None:
    """The kind of an lxml parser built by the call `name` (None: another call, or a parser
    that resolves no external entity): `resolving`, given resolve_entities=True; `unset`,
    given no resolve_entities (nor `**options` that may hold it), lxml's default."""
    if name not in _DEFAULT_PARSERS:
        return None
    if resolving:
        return UNSAFE_PARSER
    return _DEFAULT_PARSERS[name] if unset else None


def loader_kind(name: str, typ: object) -> str | None:
    """The kind of a YAML object built by the call `name` given the constant `typ` (a string,
    or ruamel's list of them) when it loads any Python object; None for another call or type."""
    unsafe = typ == "unsafe" or isinstance(typ, tuple) and "unsafe" in typ
    return _UNSAFE_LOADERS.get(name) if unsafe else None


def _versioned(ev: Evaluator, before: tuple[str, str], text: str, older: bool | None) -> str:
    package, version = before
    declaration = ev.module.declared.found.get(package)
    if declaration is None:
        why = f"no manifest of the project declares {package}: the installed version decides"
    else:
        why = declaration.shown(package) + ("" if older else ": the installed version decides")
    return f"the call `{text}` (a sink before {package} {version}; {why})"


def _reported_inside(ev: Evaluator, node: ast.Call, sink_class: str) -> bool:
    """Whether an argument is itself a call reported for this sink class: the flow already has
    its finding (`conn.execute(text(query))` is one SQL injection, at `text`)."""
    inner = {id(a) for a in node.args} | {id(k.value) for k in node.keywords}
    return any(hit.sink_class == sink_class and id(hit.node) in inner for hit in ev.hits)


def is_module(ev: Evaluator, name: str | None) -> bool:
    if name is None or name.endswith(")") or not ev.names.names_module(name):
        return False
    # `from .models import Item` binds a class another workspace module defines (with bases:
    # a peewee model), whose methods are a value's (`Item.raw(sql)`), not a module's functions
    bases_of = ev.module.external_bases
    return bases_of is None or not bases_of(name)


def bound_method(ev: Evaluator, func: ast.expr, name: str | None) -> str | None:
    """The method a local name called as `func` is bound to (`ex = cur.execute; ex(q)`: the
    name's kind, so the call's `name`, is the receiver's kind and `.execute`), for the sinks of
    methods of that name (sink_aliases.py takes the exact sinks): None for any other callee, a
    module's function (`s = re.search`) or a method of a class of this module (its summary's)."""
    if type(func) is not ast.Name or name is None or ev.env is None or ev.env.get(func.id) is None:
        return None
    base, _, method = name.rpartition(".")
    if not base or method not in ev.models.sinks.methods \
            or base.split(".", 1)[0].split("(", 1)[0] in ev.module.class_bases or is_module(ev, base):
        return None
    return method


def quoted(sink: str) -> str:
    """`open`, or a description (the view's response) as it is."""
    return sink if sink.startswith("the ") else f"`{sink}`"


def _sink_value(ev: Evaluator, sink: SinkModel, node: ast.Call, args: list[Value],
                keywords: dict[str | None, Value], receiver: Value | None) -> Value | None:
    if sink.when is not None:
        keyword, wanted = sink.when
        given = keywords.get(keyword)
        if wanted is ABSENT:
            if given is not None or None in keywords:  # given, or maybe in `**options`
                return None
        elif given is None or given.const is UNKNOWN or given.const != wanted:
            return None
    if sink.model == "subprocess":
        return subprocess_value(args, keywords)
    if sink.model in CONDITIONS and not CONDITIONS[sink.model](ev, node):
        return None
    if sink.model == "called_attribute" and not (len(args) > 1 and args[1].taint
                                                 and called_attribute(ev, node)):
        return None
    if sink.model == "module_name" and package_fixed(ev, node):
        return None
    if sink.model in ARGV_MODELS:
        return argv_model(sink.model, node, args, keywords, sink.args[0] if sink.args else 1,
                          ev.models.valued_options)
    if sink.model == "file_save" and (len(args) > 1 and args[1].const is UNKNOWN
                                      or "content" in keywords):
        return None  # a storage's save(name, content): PIL's second argument is a format name
    if sink.model == "unfiltered_archive":
        # a constant filter other than fully_trusted, or a function of the program's, checks
        # each member before it is written
        given = keywords.get("filter")
        if given is not None and given.const != "fully_trusted":
            return None
        if receiver is not None:
            receiver = members_value(ev, node, receiver)  # read from a buffer: the sender's members
    if sink.model == "path_or_url" and not_a_name(ev, node, sink.keywords):
        return None  # a URL of a fixed host, an uploaded file: url_paths.py
    if sink.model in TEMPLATE_VIEW_MODELS:
        return None  # what the view returns is the render's context: template_views.py
    if sink.model in TEMPLATE_FILE_MODELS:
        return template_file_value(ev, sink.model, sink.args, args, keywords)
    if sink.model == "location_header":
        return location_header(keywords.get("headers") or (args[2] if len(args) > 2 else None))
    if sink.model == "yaml_load":
        loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
        if loader is None and len(node.args) > 1:
            loader = node.args[1]
        if loader is not None and ev.qualname(loader) in _SAFE_YAML_LOADERS:
            return SAFE  # strings, lists and dicts only: judged safe, so bandit's B506 goes too
    if sink.model == "response_type" and (declared_not_html(args, keywords) or typed_later(ev, node)):
        return None
    if sink.model == "declared_html" and not declared_html(ev, node, keywords):
        return None
    if sink.model == "handler_write" and written_as_json_or_declared(ev, args, keywords):
        return None
    if sink.model == "response_write" and written_not_html(ev, node):
        return None
    if sink.model == "typed_html" and not (type(node.func) is ast.Attribute
                                           and typed_html(ev, node.func.value)):
        return None  # aiohttp's `resp.write(chunk)` of a StreamResponse not typed as a page
    if sink.model == "unsandboxed" and receiver is not None \
            and (receiver.kind or "").startswith(_SANDBOXES):
        return None
    if sink.model in ("xml_parser", "default_xml_parser", "etcompat_default_parser"):
        parser = keywords.get("parser") or (args[1] if len(args) > 1 else None)
        kind = parser.kind if parser is not None else None
        if sink.model == "xml_parser" and kind not in (UNSAFE_PARSER, UNSAFE_SAX_PARSER):
            return None
        # lxml's default: no parser (nor `**options` that may hold one), or one left at it
        if sink.model == "default_xml_parser" and not (
                kind == DEFAULT_PARSER or parser is None and None not in keywords):
            return None
        if sink.model == "etcompat_default_parser" and kind != ETCOMPAT_DEFAULT_PARSER:
            return None
    picked: list[Value] = []
    indexes = range(len(args)) if sink.args is None else sink.args
    if sink.model == "log_format":
        escaped = _escaped_log_args(node, args)
        indexes = [i for i in indexes if i not in escaped]
    as_file = sink.reads_file
    for index in indexes:
        if index < len(args) and not _starred_before(node, index):
            picked.append(read_as_file(ev, args[index], node.args[index]) if as_file else args[index])
    splat = keywords.get(None)  # `**opts`: its constant keys are keyword arguments
    for keyword in sink.keywords:
        if keyword == "*":  # every keyword argument (`session.update(user=name)`)
            picked.extend(keywords.values())
        elif keyword in keywords:
            picked.append(keywords[keyword])
        elif splat is not None and splat.items and keyword in splat.items:
            picked.append(splat.items[keyword])
    if sink.args is None:
        picked.extend(v for k, v in keywords.items() if k is None)
    if sink.receiver and receiver is not None:
        picked.append(receiver)
    if sink.model == "query_document":
        # `find` is also a method of strings and trees: there only a request's document counts
        whole = node.func.attr != "find" if isinstance(node.func, ast.Attribute) else True
        picked = [part for part in (_query_part(v, whole) for v in picked) if part is not None]
    return together(picked)


def _query_part(query: Value, whole: bool) -> Value | None:
    """What of a query document the request must not write: the whole document when the
    request gave it (`{"password": {"$ne": ""}}` matches every user; `whole`: any tainted
    document counts, else only a request's own), else the code of its JavaScript operators
    (`{"$where": "this.name == '" + q + "'"}`), and the values read from a JSON body, which may
    be operators (`{"name": body["name"]}` given `{"name": {"$ne": ""}}`). A dict built with
    request strings as values (`{"name": q}`) is a parameterized query."""
    if query.items is None:
        if not query.taint:
            return None
        kind = query.kind or ""
        return query if whole or kind == JSON_ELEMENT or kind.endswith(_REQUEST_DOCUMENTS) else None
    return together([value for key, value in query.items.items() if key in _CODE_OPERATORS
                      or value.taint and value.kind == JSON_ELEMENT])


def _escaped_log_args(node: ast.Call, args: list[Value]) -> set[int]:
    """The lazily formatted arguments of a logging call (`log.info("user %r", name)`) whose
    conversion escapes line breaks; none when the message is not a constant that says so."""
    message = 1 if isinstance(node.func, ast.Attribute) and node.func.attr == "log" else 0
    if message >= len(args) or not isinstance(args[message].const, str) \
            or any(isinstance(a, ast.Starred) for a in node.args):
        return set()
    found = conversions(args[message].const)
    if found is None or any(m.group(1) for m in found):
        return set()  # a mapping or a `*` width: arguments do not line up with conversions
    return {message + 1 + n for n, m in enumerate(found) if m.group(4) in _ESCAPING}


def _starred_before(node: ast.Call, index: int) -> bool:
    for argument in node.args[:index + 1]:  # a loop: no generator's frame a sink's argument
        if type(argument) is ast.Starred:
            return True
    return False


def enables_external_entities(ev: Evaluator, node: ast.Call, args: list[Value]) -> bool:
    """`parser.setFeature(feature_external_ges, True)` (the feature by name or by its URI)."""
    if len(args) < 2 or args[1].const not in (True, 1) or not node.args:
        return False
    feature = args[0].const if isinstance(args[0].const, str) else ev.qualname(node.args[0])
    return feature in SAX_EXTERNAL_ENTITIES

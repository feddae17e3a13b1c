"""The module context a document's next text builds from the last one's (context_reuse.py: the
functions classified before, by node; the module body's function while its statements are the
same; the whole-text word searches, per edit) equals the
context built from nothing for the same tree, after random edits of characters and lines
anywhere in the text (imports, class headers, decorators, function bodies; edits that break
the syntax too); and an unedited function is not classified again."""

from __future__ import annotations

import ast
import functools

import attrs
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.matchers import Env
from bastion.analyzers.taint import bindings, class_constants, context_reuse, entries, helpers
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.blocks import BlockParser
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.domain import Value
from bastion.analyzers.taint.entry_models import EntryModel
from bastion.analyzers.taint.module_level import fold_constant
from bastion.analyzers.taint.wrappers import MODULE_BODY
from bastion.engine.cache import LRU

MODELS = load_models()
TEXT = '''import os
import tornado.web
from flask import Flask, request
from pyramid.view import view_defaults
app = Flask(__name__)
CMD = "ls"


def helper(req):
    return req.args["q"]


@app.route("/a")
def view():
    global CMD
    return helper(request)


def plain(value):
    os.system(value)


app.add_url_rule("/r", view_func=plain)


class Base(tornado.web.RequestHandler):
    def prepare(self):
        self.name = "x"


class Page(Base):
    def get(self, slug):
        os.system(slug)

    @staticmethod
    def build(req):
        return req


@view_defaults(route_name="home")
class Home:
    def __init__(self, request):
        self.request = request
''' + "\n\nclass Long(Base):\n" + "".join(  # parsed member by member (blocks.py)
    f"    def get_{i}(self):\n        return {i}\n\n" for i in range(30)) + "    if CMD:\n        LEVEL = 1\n"
LINES = ["import tornado.web", "from flask import request", "    global CMD", "def view(request):",
         "    return helper(request)", "@app.route('/z')", "class Page(tornado.web.RequestHandler):",
         "app.add_url_rule('/x', view_func=helper)", "", "    def get(self, slug):",
         "        Page.build(self.request)", "globals()['CMD'] = 1", "class Home(Base):",
         # a global and a class attribute written with request data, an instance every request
         # shares, a method registering another (global_stores.py, factories.py)
         "    CMD = request.args['q']", "        Page.target = request.args['t']", "HOME = Home(1)",
         "        self.cmd = request.args['c']", "        asyncio.start_server(self.get, 'h', 1)",
         # a module container a function fills, a global a function sets to its parameter
         # (global_stores.py)
         "HISTORY = []", "    HISTORY.append(request.args['h'])", "def remember(host):",
         "    global TARGET", "    TARGET = host", "    remember(request.args['x'])",
         # records: a decorator, a base, a field, an `__init__` (classes.record_fields)
         "from dataclasses import dataclass", "@dataclass", "from pydantic import BaseModel",
         "class Job(BaseModel):", "    name: str = 'x'", "    def __init__(self): pass",
         # an application factory: a view nested in it, one it registers, a resource its `Api`
         # registers (factories.nested_views, entry_params.registered_routes); a definition in
         # a module-level `if` (module_level.py)
         "def create_app():", "    @app.route('/n')", "    def inner(): pass",
         "    app.add_url_rule('/p', view_func=plain)", "from flask_restful import Api, Resource",
         "    api = Api(app)", "    api.add_resource(Page, '/p/<int:slug>')", "if CMD:",
         "    def later(): pass",
         # top-level bindings from a source, through a function of the module (top_level_sources.py)
         "import sys", "DATA = sys.argv[1]", "CONFIG = helper(DATA)",
         "ACTIONS = {'a': helper, 'b': plain}"]  # a table of functions (tables.py)
# `Base` made a dataclass (its subclasses records too) and given a field, a pydantic model `Job`
# with a field, then an `__init__`, then `Base` plain again
RECORDS = [("line", 0, "a", "from dataclasses import dataclass"), ("line", 26, "a", "@dataclass"),
           ("line", 28, "a", "    name: str = 'x'"), ("line", 1, "a", "from pydantic import BaseModel"),
           ("line", 34, "a", "class Job(BaseModel):"), ("line", 35, "a", "    name: str = 'x'"),
           ("line", 36, "a", "    def __init__(self): pass"), ("drop", 27, "a", "")]
# a factory nesting a view, registering a module-level one and a resource, then a second
# view of the name; a definition in a module-level `if`, then a second of the name
FACTORY = [("line", at, "a", line) for at, line in (
    (21, "def create_app():"), (22, "    @app.route('/n')"), (23, "    def inner(): pass"),
    (24, "    app.add_url_rule('/p', view_func=plain)"), (2, "from flask_restful import Api, Resource"),
    (26, "    api = Api(app)"), (27, "    api.add_resource(Page, '/p/<int:slug>')"),
    (25, "    def inner(): pass"), (6, "if CMD:"), (7, "    def later(): pass"),
    (8, "    def later(): pass"))]
# a global bound from a source, another through `helper`, a keystroke in `plain`, `helper`
# renamed `helperx` (CONFIG calls no function of the module) and back
TOP = [("line", 0, "a", "import sys"), ("line", 7, "a", "DATA = sys.argv[1]"),
       ("line", 8, "a", "CONFIG = helper(DATA)"), ("line", 23, "a", "    return helper(request)"),
       ("char", 198, "x", ""), ("delete", 198, "a", "")]
CHARS = ["a", " ", "\n", "(", ":", "_", "#", "'", "    "]
EDIT = st.tuples(st.sampled_from(["char", "delete", "line", "drop"]), st.integers(0, 10 ** 6),
                 st.sampled_from(CHARS), st.sampled_from(LINES))


def edited(text: str, edit: tuple) -> str:
    kind, at, char, line = edit
    if kind == "char":
        at %= len(text) + 1
        return text[:at] + char + text[at:]
    if kind == "delete":
        at %= max(len(text), 1)
        return text[:at] + text[at + 1:]
    lines = text.split("\n")
    at %= len(lines) + (kind == "line")
    if kind == "line":
        return "\n".join([*lines[:at], line, *lines[at:]])
    return "\n".join(lines[:at] + lines[at + 1:])


def versions(edits: list[tuple]):
    """(text, its tree) for TEXT, then after each edit, parsed by one block parser."""
    parser = BlockParser()
    text = TEXT
    for edit in [None, *edits]:
        text = edited(text, edit) if edit is not None else text
        yield text, parser.parse(text)


def facts(module) -> dict:
    """Everything the context holds, its functions by their fields (nodes by identity: both
    contexts are built from the same tree; the module body's function is made by each)."""
    functions = [{**{name: getattr(f, name) for name in attrs.fields_dict(type(f))
                     if name not in ("node", "class_node")},
                  "node": id(f.node) if f.name != MODULE_BODY else ast.dump(f.node),
                  "class_node": id(f.class_node)} for f in module.functions]
    return {"functions": functions, "digest": module.digest, "env": (module.env.aliases, module.env.imports),
            "constants": {k: v.const for k, v in module.constants.items()}, "kinds": module.kinds,
            "parents": module.parents, "patterns": module.patterns, "bases": module.class_bases,
            "members": {k: v.const for k, v in module.class_constants.items()},
            "self": {k: sorted(v) for k, v in module.self_constants.items()},
            "scoped": module.scoped, "records": module.records}


def whole(module, tree: ast.Module) -> dict:
    """Every field of the context (but the memo it lends its analysis and the table by name
    read from `functions`), a node of `tree` by its identity, a node made for it by its dump
    (the module body's function, a wrapper: made by each context)."""
    in_tree = {id(node) for node in ast.walk(tree)}

    def plain(value):
        if isinstance(value, ast.AST):
            return id(value) if id(value) in in_tree else ast.dump(value, include_attributes=True)
        if isinstance(value, Value):
            return ("Value", *(plain(getattr(value, slot)) for slot in Value.__slots__))
        if isinstance(value, EntryModel):
            return id(value)
        if isinstance(value, Env):
            return plain(value.aliases), plain(value.imports)
        if attrs.has(type(value)):
            return (type(value).__name__, *(plain(getattr(value, f.name)) for f in attrs.fields(type(value))))
        if isinstance(value, dict):
            return sorted((repr(plain(k)), plain(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return [plain(item) for item in value]
        if isinstance(value, (set, frozenset)):
            return sorted(repr(plain(item)) for item in value)
        return value
    return {f.name: plain(getattr(module, f.name)) for f in attrs.fields(type(module))
            if f.name not in ("helper_memo", "_by_name", "_inherited", "_named")}


@settings(max_examples=examples(150), deadline=None)
@example([("line", 2, "a", "def view(request):"), ("char", 33, "_", "")])  # `import tornado.web` broken
@example([("delete", 487, "a", "")])  # a class's name changed: its methods' names
@example([("char", 130, "a", "")])  # `CMD = "las"`: the module body's statements
@example([("line", 55, "a", "    global CMD")])  # in the long class: CMD bound twice
@given(st.lists(EDIT, min_size=1, max_size=8))
def test_a_reused_context_equals_a_fresh_one(edits):
    memo = LRU(4096)
    for text, tree in versions(edits):
        assert facts(module_context(tree, MODELS, memo, None, text)) == \
            facts(module_context(tree, MODELS, None, None, text)), text


@settings(max_examples=examples(150), deadline=None)
@example([("char", 130, "a", "")])  # `CMD = "las"`: the module body's statements
@example([("line", 55, "a", "    global CMD")])  # in the long class: CMD bound twice
@example(RECORDS)
@example(FACTORY)
@example(TOP)
@example([("line", 22, "a", "ACTIONS = {'a': helper, 'b': plain}"), ("line", 20, "a", "    return 1")])
@example([("line", 25, "a", "@dataclass"), ("line", 0, "a", "from dataclasses import dataclass")])
@given(st.lists(EDIT, min_size=1, max_size=8))
def test_a_reused_context_equals_a_fresh_one_field_by_field(edits):
    """Each field, not only those `facts` reads (the stores, queues, tables, registrations,
    argparse facts...): the parts kept by statement join as the whole module builds them."""
    memo = LRU(4096)
    for text, tree in versions(edits):
        assert whole(module_context(tree, MODELS, memo, None, text), tree) == \
            whole(module_context(tree, MODELS, None, None, text), tree), text


def recorded(monkeypatch, owner, attribute: str, old: str, new: str, text: str = TEXT
             ) -> tuple[list[str], object]:
    """The names of what `owner.attribute` is called with (a node without one: its type) while
    the context of `text` with `old` replaced by `new` is built after `text`'s, and that context."""
    parser = BlockParser()
    memo = LRU(4096)
    module_context(parser.parse(text), MODELS, memo, None, text)
    names: list[str] = []
    original = getattr(owner, attribute)

    @functools.wraps(original)  # its name keys the memo
    def counted(node, *args, **kwargs):
        names.append(getattr(node, "name", type(node).__name__))
        return original(node, *args, **kwargs)

    monkeypatch.setattr(owner, attribute, counted)
    edited = text.replace(old, new)
    return names, module_context(parser.parse(edited), MODELS, memo, None, edited)


def test_an_unedited_function_is_not_classified_again(monkeypatch):
    classified, module = recorded(monkeypatch, entries, "classify_kept", "os.system(value)",
                                  "os.system(value + 'x')")
    assert classified == ["plain"]
    assert module.function_named("Page.get").entry is not None


def test_an_unedited_class_is_taken_whole(monkeypatch):
    """A key in `plain` takes each unedited class whole, none method by method
    (`KeptFunctions.take`: on the commit before, 4 calls, one per class)."""
    taken, module = recorded(monkeypatch, context_reuse.KeptFunctions, "take", "os.system(value)",
                             "os.system(value + 'x')")
    assert taken == []
    long_methods = [f.name for f in module.functions if f.class_name == "Long"]
    assert long_methods == [f"Long.get_{i}" for i in range(30)]
    assert module.function_named("Page.get").entry is not None


def test_the_top_level_functions_are_taken_in_one_call(monkeypatch):
    """helper, view and plain in one `take_functions` call (on the commit before, one `take`
    call each)."""
    taken, module = recorded(monkeypatch, context_reuse.KeptFunctions, "take_functions",
                             "os.system(value)", "os.system(value + 'x')")
    assert len(taken) == 1
    assert [f.name for f in module.functions if f.class_name is None][:3] == ["helper", "view", "plain"]


def test_requests_handed_to_a_kept_function_are_found_again():
    """`helper` is handed Django's request by a view; once no function holds a request, the
    kept `helper` holds none either."""
    parser = BlockParser()
    memo = LRU(4096)
    text = ("from django.http import HttpResponse\n\n\ndef helper(req):\n    return req.GET['q']\n\n\n"
            "def index(request):\n    return helper(request)\n")
    for version in (text, text.replace("request", "other")):
        tree = parser.parse(version)
        module = module_context(tree, MODELS, memo, None, version)
        assert facts(module) == facts(module_context(tree, MODELS, None, None, version))
    assert module.function_named("helper").request_kinds == ()


def test_a_keystroke_in_a_long_class_looks_for_global_in_its_method_only(monkeypatch):
    """The block parser makes the long class a new node; its members are the last text's."""
    walked, module = recorded(monkeypatch, bindings, "declared_global", "return 7\n", "return 8\n")
    assert walked == ["get_7"]
    assert "CMD" not in module.constants  # `global CMD` in `view`


def test_a_global_declared_in_a_long_class_counts():
    """The class's declarations are its members' (the first, a later one, a method's body)."""
    lines = TEXT.split("\n")
    start = lines.index("class Long(Base):")
    for at, line in ((start + 1, "    global CMD"), (start + 10, "    global CMD"),
                     (lines.index("        return 20") + 1, "        global CMD")):
        text = "\n".join([*lines[:at], line, *lines[at:]])
        for memo in (None, LRU(4096)):
            assert bindings.Bindings(BlockParser().parse(text).body, memo, text).counts["CMD"] == 3


def test_a_keystroke_in_a_long_class_walks_its_method_only_for_calls(monkeypatch):
    """With a function entered by its first parameter, what the module calls by name is looked
    for in every statement: a long class's are its members' (and its header's)."""
    text = TEXT.replace("return 20\n", "return audit(self, 20)\n") + \
        "\ndef audit(request, action):\n    return action\n"
    walked, module = recorded(monkeypatch, helpers, "_walked", "return 7\n", "return 8\n", text)
    assert walked == ["Name", "get_7"]  # the class's base, the edited method
    assert module.function_named("audit").helper  # called by `Long.get_20`


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(EDIT, min_size=1, max_size=4))
def test_the_calls_of_a_class_are_those_of_its_walk(edits):
    text = TEXT.replace("return 20\n", "return audit(20)\n")
    for edit in edits:
        text = edited(text, edit)
    tree = BlockParser().parse(text)
    walked = {call.func.id for statement in tree.body for call in ast.walk(statement)
              if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)}
    for memo in (None, LRU(4096)):
        assert helpers.called_here(["audit", "helper", "view_defaults"], tree, memo) == \
            walked & {"audit", "helper", "view_defaults"}


def test_a_keystroke_in_a_long_class_walks_its_method_only_for_stored_names(monkeypatch):
    """A class body with more than assignments and definitions (`if CMD:`) binds every name
    stored in it: a long class's are its members' (and its header's)."""
    walked, _module = recorded(monkeypatch, class_constants, "_stored_names", "return 7\n",
                               "return 8\n")
    assert walked == ["Name", "get_7"]  # the class's base, the edited method


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(EDIT, min_size=1, max_size=6))
def test_the_names_a_class_stores_are_those_of_its_walk(edits):
    memo = LRU(4096)
    for text, tree in versions(edits):
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            bound, found = class_constants._body(node, fold_constant, memo)
            if found is None:
                defined = {item.name for item in node.body if isinstance(
                    item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
                targets = [t for item in node.body if isinstance(item, (ast.Assign, ast.AnnAssign))
                           for t in (item.targets if isinstance(item, ast.Assign) else [item.target])]
                starred = {"*"} if any(not isinstance(t, ast.Name) for t in targets) else set()
                assert bound == class_constants._stored_names(node) | defined | starred, text


def test_a_function_is_looked_up_in_the_functions_as_they_are():
    """The table by name is read again only when the functions change: a name defined twice
    (the last definition wins) does not make every look-up read it again."""
    text = "def run(cmd):\n    return cmd\n\n\ndef run(cmd, shell):\n    return shell\n"
    module = module_context(BlockParser().parse(text), MODELS, None, None, text)
    assert module.function_named("run").node.args.args[1].arg == "shell"
    table = module._by_name
    assert module.function_named("run") is module.functions[1] and module._by_name is table
    added = entries.Function(module.functions[0].node, "added")
    module.functions.append(added)
    assert module.function_named("added") is added
    module.functions = [added, *module.functions[:2]]  # another list of the same length
    module.functions[0] = entries.Function(added.node, "replaced")
    assert module.function_named("added") is None and module.function_named("replaced") is not None


def test_a_keystroke_in_a_function_reads_no_class_body_again(monkeypatch):
    """Each class's constants part is the last text's while the class is the same node at its
    place (context_parts.py); on the commit before, each of the four classes' was asked again."""
    read, _module = recorded(monkeypatch, class_constants, "_body", "os.system(value)",
                             "os.system(value + 'x')")
    assert read == []


def test_an_edited_class_alone_is_read_again(monkeypatch):
    read, _module = recorded(monkeypatch, class_constants, "_body", "return 7\n", "return 8\n")
    assert read == ["Long"]

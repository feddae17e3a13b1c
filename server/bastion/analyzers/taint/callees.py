"""Which same-file functions each function calls, and what each function's text holds (the
facts the module analysis plans with: calls, `self` fields read and set, SQL text; found by
text_facts.py); its searches of those texts are callee_searches.py's, its base.

`CalleeMemo` is built per analysed text and owned by that analysis; the facts it computes are
kept across texts in the LRU its owner passes (keyed by each function's text digest).

A module may define a name twice (`if PY3: def f ... else: def f ...`): at top level each
definition gets a name of its own (rebound.py; the module's top-level code calls each it may
run), but two nested views of one name may share it. A call in a function body runs after the
module has bound its last definition, so the call graph's node for a name is that definition
(`ModuleContext.function_named`): `found` holds the callees of it alone.
Facts are kept by the function's node, each definition its own, so that which of them is asked
first (a warm analysis takes walks a fresh one makes) changes no answer; a hidden definition's
text is not the name's (`texts` is by name), so its facts are those of its node with no text.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

import attrs

from bastion.analyzers.taint.callee_records import NodeRecord, last_records
from bastion.analyzers.taint.callee_searches import TextSearches
from bastion.analyzers.taint.context_record import ModuleContext
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.media_types import sets_content_type
from bastion.analyzers.taint.nodes import LastCall, any_kept, header_nodes, kept_by_node, twins
from bastion.analyzers.taint.rebound import definitions_of
from bastion.analyzers.taint.self_dispatch import candidates, picks
from bastion.analyzers.taint.signatures import every
from bastion.analyzers.taint.summaries import property_getters
from bastion.analyzers.taint.text_facts import (
    COMPREHENSION_STORE,
    TextFacts,
    is_factory,
    stored_fields,
    text_facts,
)
from bastion.analyzers.taint.top_level_sources import top_level_callees
from bastion.analyzers.taint.wrappers import MODULE_BODY
from bastion.digests import blake2b
from bastion.engine.cache import LRU


class CalleeMemo(TextSearches):
    """Same-file functions each function calls, and the facts of its text. Both are kept across
    analyses in `facts` (keyed by the text's digest, with the module's source trigger): a
    keystroke walks and searches only the functions it changed."""

    def __init__(self, module: ModuleContext, texts: dict[str, str] | None,
                 facts: LRU | None, lines: list[str] | None = None) -> None:
        self.module = module
        self.texts = texts
        self.lines = lines  # the module's, which `texts` are of: a long function's are kept by them
        self.cache = facts
        self.names = {f.name for f in module.functions}
        self._twice = len(self.names) != len(module.functions)  # a name defined twice
        # every class, also one without methods of its own (`class Sub(Fetcher): pass`)
        self.classes = set(module.parents)
        self.found: dict[str, frozenset[str]] = {}  # a name's callees: its last definition's
        # `found`, where each name is one function's: its callees read without a call (a key's
        # ~80 settled functions ask theirs), else none: a hidden definition's are not its name's
        self.known = self.found if not self._twice else {}
        self._hidden_found: dict[ast.AST, frozenset[str]] = {}  # by node: an earlier definition's
        self._records: dict[str, NodeRecord] = {}
        self._last_records, self._next_records = last_records(facts) if texts is not None else ({}, {})
        self._facts: dict[ast.AST, TextFacts] = {}  # by the function's node
        self._stores: dict[str, frozenset[str]] = {}  # class -> fields its methods set
        self._property_getters: dict[str, set[str]] | None = None  # class -> its `@property` methods
        self._patterns: dict[str | bytes, bytes] = {}  # a trigger's pattern -> its digest
        # a trigger's digest -> this text's table of its answers, by node (`kept_reads`)
        # (by the node itself, equal to itself alone: a look-up without calls)
        self._tables: dict[bytes, dict[ast.AST, bool]] = {}
        self._shape_digest: bytes | None = None
        self._content_types: dict[int, bool] = {}  # id of a class node -> `sets_content_type`
        self._inits: dict[str, tuple] = {}  # class -> the `__init__` it inherits, its text's digest
        self._kept_members: LastCall | None = None  # `_member_stores`' answers by node
        self._last_calls: dict[bytes, LastCall] = {}  # `last_call`'s, by tag

    def __call__(self, function: Function) -> frozenset[str]:
        if self._twice and self._hidden(function):  # no call a function in most modules
            found = self._hidden_found.get(function.node)
            if found is None:
                found = self._hidden_found[function.node] = frozenset(self._callees(function))
            return found
        found, name = self.found, function.name
        if name in found:  # a look-up without `get`, a call: asked ~100 times a key
            return found[name]
        record = self._record(function)
        inputs = self._callee_inputs(function) if record is not None else None
        if record is not None and record.callees is not None and record.callees[0] == inputs:
            found[name] = record.callees[1]
            return found[name]
        found[name] = callees = frozenset(self._callees(function))
        if record is not None:
            record.callees = (inputs, callees)
        return callees

    def _hidden(self, function: Function) -> bool:
        """Whether a later definition of the function's name hides it."""
        return self._twice and self.module.function_named(function.name) is not function

    def _callee_inputs(self, function: Function) -> tuple:
        """What a function's callees follow from but its node's text (the block parser reuses an
        unedited one): the module's shape and its dependencies; a method's also its name, the
        setup methods run before it and the text of the `__init__` it inherits (a key in one
        method found every method's callees again: argparse.py's ~80, 1 ms a key)."""
        # each function's first look at each text (Plan.closure's): the shape once made, a
        # class's `__init__` once found, and no setup methods without the property's call
        shape = self._shape_digest or self._shape()
        owner = function.class_name
        if owner is None:
            return shape, function.dependencies
        inits = self._inits
        if owner not in inits:  # once a class and text, not once a method
            init = self.module.inherited(owner, "__init__")
            init_function = self.module.function_named(init) if init is not None else None
            inits[owner] = (init, self.digest(init_function) if init_function is not None else None)
        return (shape, function.dependencies, function.name,
                function.set_up_before if function.setup_methods else (), *inits[owner])

    def sets_content_type(self, class_node: ast.ClassDef) -> bool:
        """`media_types.sets_content_type` of a class of the module, walked once: each method of it
        that writes asks for its cache key (161 walks of a class in a cold scan of the stdlib set).
        Its header's and each member's answer, a member's kept by its node: the block parser
        makes a new node of the class at each keystroke in one of its methods and hands back the
        others (the class walks cost 5 of argparse.py's 12 ms a key)."""
        found = self._content_types.get(id(class_node))
        if found is None:
            # kept by the class's node too: an unedited class is one look-up a key, not one a member
            found = self._content_types[id(class_node)] = kept_by_node(
                self.cache, b"class content type", class_node, self._class_sets_content_type, moved=True)
        return found

    def _class_sets_content_type(self, class_node: ast.ClassDef) -> bool:
        return any(map(sets_content_type, header_nodes(class_node))) or any_kept(
            self.cache, b"content type", class_node.body, sets_content_type, moved=True)

    def key(self, function: Function, inputs: tuple, make: Callable[[], bytes]) -> bytes:
        """A function's analysis cache key, made by `make` from its node and `inputs` (the rest
        of what it is made of): kept with the node for the next text."""
        record = self._record(function)
        if record is not None and record.key is not None and record.key[0] == inputs:
            return record.key[1]
        key = make()
        if record is not None:
            record.key = (inputs, key)
        return key

    def _shape(self) -> bytes:
        """What a function's callees depend on in the module but its own text: the names of
        its functions, its classes' ancestors, its globals' kinds and its class attributes'
        instances."""
        if self._shape_digest is None:
            self._shape_digest = blake2b(repr((
                sorted(self.names), sorted(self.module.parents.items()),
                sorted(self.module.kinds.items()),
                sorted((k, sorted(v.items())) for k, v in self.module.class_instances.items()),
                sorted((k, sorted(v.items())) for k, v in self.module.declared_fields.items()),
                sorted((k, sorted(v)) for k, v in self.module.top_calls.items()),
                )).encode(), digest_size=16).digest()
        return self._shape_digest

    def _callees(self, function: Function) -> set[str]:
        facts = self.facts(function)
        found = {n for n in facts.plain | facts.passed if n in self.names}
        if function.name == MODULE_BODY:  # it may call a definition a later one of its name hides
            found = {d for n in found for d in definitions_of(self.module.by_name(), n)}
        found |= {d for _, d in function.dependencies if d in self.names}  # `Depends(d)`
        # `Repo(root).read(name)`, `REPO.read(name)`: the methods called on an instance of
        # a class of this module, made in the function or held by a module global; and
        # `Job.from_request(request)`, on the class itself
        made = {self.module.kinds.get(r, "")[:-2] for r in facts.receivers}
        # `Product.objects.search(term)`, `self.finder.find(q)`: of the classes whose instance a
        # class attribute holds (class_instances.py), whichever class it is read on
        made |= {held for table in self.module.class_instances.values() for held in table.values()}
        # `self.repo.find(q)`, `svc.search(q)`: of the classes a field or a parameter is declared
        # as (declared_classes.py)
        made |= {held for table in self.module.declared_fields.values() for held in table.values()}
        made |= {a.annotation.id for a in every(function.node.args) if isinstance(a.annotation, ast.Name)}
        for cls in (facts.plain | made | facts.receivers) & self.classes:
            for ancestor in self.module.lineage(cls):
                found |= {f"{ancestor}.{m}" for m in facts.attributes} & self.names
                # `job.command` runs its getter (summaries.property_read), which no call names;
                # one the text does not read is no callee (Decimal's `real` in _pydecimal.py)
                if self._property_getters is None:
                    self._property_getters = property_getters(self.module.functions)
                if ancestor in self._property_getters:
                    text = self.texts.get(function.name) \
                        if self.texts is not None and not self._hidden(function) else None
                    read = {g for g in self._property_getters[ancestor]
                            if text is None or "." + g.rpartition(".")[2] in text}
                    # and its setter, which a store to it runs (property_stores.py)
                    found |= {d for g in read for d in definitions_of(self.module.by_name(), g)}
        built = facts.plain & self.classes - {function.class_name}
        if len(built) > 1:  # `ItemService(ItemRepository(conn))`: the methods one calls on the other
            found |= {n for n in self.names if n.partition(".")[0] in built}  # (held_calls.py)
        for cls in facts.plain & self.classes:  # `Fetcher(url)`: what `__init__` stores
            init = self.module.inherited(cls, "__init__")
            if init is not None:
                found.add(init)
        if self.module.top_calls:  # `os.system(CONFIG["cmd"])`, `CONFIG = load_config(path)`
            found |= {d for n in top_level_callees(self.module.top_calls, function, self.found_in)
                      for d in definitions_of(self.module.by_name(), n)} & self.names
        if function.class_name is not None:
            lineage = self.module.lineage(function.class_name)
            for cls in lineage:
                found |= {f"{cls}.{m}" for m in facts.methods} & self.names
            for cls in lineage[1:]:
                found |= {f"{cls}.{m}" for m in facts.supers} & self.names
                if cls in facts.receivers:  # `Base.__init__(self, url)`
                    found |= {f"{cls}.{m}" for m in facts.attributes} & self.names
            init = self.module.inherited(function.class_name, "__init__")
            # a helper `__init__` calls (`self.setup(url)`) is analysed before it, not after
            if function.node.name != "__init__" and init is not None and function.node.name \
                    not in self.facts(self.module.function_named(init)).methods:
                found.add(init)
            # Django's `dispatch` before its `get`: the fields it sets are the handler's
            found |= {self.module.inherited(function.class_name, m) for m in function.set_up_before}
            if "getattr" in facts.plain:
                # `getattr(self, "do_" + action)(request)`: each method it may pick (self_dispatch.py)
                # its picks kept by node: a method's callees are found again at each key
                found.update(m for pick in kept_by_node(self.cache, b"picks", function.node, picks,
                                                        moved=True)
                             for m in candidates(self.module, function, pick))
            found.discard(None)
        return found

    def later(self, function: Function) -> frozenset[str]:
        """The fields the method reads that other methods of its lineage but `__init__` set
        (`self.url = url` in `configure`), that a factory of it sets on the instance it
        builds (`inst = cls(); inst.url = url`), or a record's generated `__init__` (a
        dataclass's fields): a caller may have run one of them before."""
        if function.class_name is None or function.node.name == "__init__":
            return frozenset()
        reads = self.facts(function).reads
        if not reads:
            return frozenset()
        stores = self._stores.get(function.class_name)
        if stores is None:
            lineage = set(self.module.lineage(function.class_name))
            members = [f for f in self.module.functions if f.class_name in lineage]
            stores = self._stores[function.class_name] = frozenset().union(
                *self._member_stores(members), *(self.module.records.get(cls, ()) for cls in lineage))
        return stores & reads

    def _member_stores(self, members: list[Function]) -> list[frozenset[str]]:
        """What `later` reads of each member: the fields it sets but in `__init__`, and a
        factory's on the instance it builds; each kept by the member's node across texts, as
        its text decides them (a key in one method of argparse.py's ~20-method classes found
        every member's again). Not kept where the module defines a name twice: a hidden
        function's `stores` are its name's."""
        if len(self.module.by_name()) != len(self.module.functions):
            return [self._member_part(f) for f in members]
        if self._kept_members is None:  # one table a text, whichever classes ask
            self._kept_members = LastCall(self.cache, b"member stores")
        by_node = {f.node: f for f in members}
        return self._kept_members.each(list(by_node), lambda node: self._member_part(by_node[node]))

    def last_call(self, tag: bytes) -> LastCall:
        """The answers by node asked under `tag` (moved: they hold no line), one table a text
        (nodes.LastCall): function_keys.py asks whether each callee is a guard helper and each
        method's class bases at each key, an LRU look-up each (~1,000 on argparse.py's keys)."""
        calls = self._last_calls
        if tag not in calls:
            calls[tag] = LastCall(self.cache, tag, moved=True)
        return calls[tag]

    def _member_part(self, member: Function) -> frozenset[str]:
        node = member.node
        return (self.stores(member) if node.name != "__init__" else frozenset()) | (
            stored_fields(node, holder=None) if is_factory(node) else frozenset())

    def stores(self, function: Function) -> frozenset[str]:
        """`facts(function).stores`, found without walking every expression when the facts are
        not known yet: the first keystroke that makes a method of a long class relevant asks
        this of every method of its lineage (116 in `_pydecimal`'s `Decimal`: 150 ms walked)."""
        facts = self._facts.get(function.node)
        if facts is not None:
            return facts.stores
        record = self._record(function)
        if record is not None and (record.facts is not None or record.stores is not None):
            return record.facts.stores if record.facts is not None else record.stores
        if record is None or COMPREHENSION_STORE.search(self.texts[function.name]):
            return self.facts(function).stores
        key = record.digest + b"stores"  # the same text at another node
        record.stores = self.cache.get(key)
        if record.stores is None:
            facts = self.cache.get(record.digest)
            record.stores = facts.stores if facts is not None else stored_fields(function.node)
            self.cache.put(key, record.stores)
        return record.stores

    def _record(self, function: Function) -> NodeRecord | None:
        """What is known of the function's node, kept across texts while the block parser
        reuses the node (an unedited function's: the same node has the same text). Not of a
        function a later one of the same name hides: its name's text is the later one's."""
        records, name = self._records, function.name
        if name in records:
            record = records[name]
            return record if record.node is function.node else None
        named = self.module.by_name() if self.cache is not None and self.texts is not None else {}
        if (named[name] if name in named else None) is not function:
            return None
        node = function.node
        last = self._last_records
        record = last[node] if node in last else None
        if record is None:
            key = ("text digest", id(node))
            record = self.cache.get(key)
            if record is None or record.node is not node:
                record = self._moved(node) or NodeRecord(node, blake2b(
                    self.texts[name].encode("utf-8", "surrogatepass"), digest_size=16).digest())
                self.cache.put(key, record)
        self._next_records[node] = records[name] = record
        return record

    def _moved(self, node: ast.AST) -> NodeRecord | None:
        """The record of a node the same text was parsed to at other lines (block_twins.py), for
        `node`: what it holds is of the text (its cache key leaves the first line out), so an
        Enter above a function does not make its key again."""
        for twin in twins(self.cache, node):
            record = self._last_records.get(twin) or self.cache.get(("text digest", id(twin)))
            if record is not None and record.node is twin:
                return attrs.evolve(record, node=node, reads=dict(record.reads),
                                    finds=dict(record.finds))
        return None

    def digest(self, function: Function) -> bytes:
        record = self._record(function)
        if record is None:
            return blake2b(self.texts[function.name].encode("utf-8", "surrogatepass"),
                                   digest_size=16).digest()
        return record.digest

    def facts(self, function: Function) -> TextFacts:
        facts = self._facts.get(function.node)
        if facts is not None:
            return facts
        record = self._record(function)
        if record is None and self._twice and self._hidden(function):
            facts = text_facts(function, None)  # a hidden definition: `texts` has the name's
        elif record is not None and record.facts is not None:
            facts = record.facts
        elif record is not None:
            facts = self.cache.get(record.digest)  # the same text at another node
            if facts is None:
                facts = text_facts(function, self.texts[function.name], self.cache, self.lines)
                self.cache.put(record.digest, facts)
            record.facts = facts
        else:
            facts = text_facts(function, self.texts[function.name] if self.texts is not None
                                else None)
        self._facts[function.node] = facts
        return facts

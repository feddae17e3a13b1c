"""What a method of a value returns when the method's name says (`str.join` / `format` /
`replace`, a SAX parser's `setFeature`, a config parser's getters, list edits, container
mutators, `dict.get`, a model's `model_dump`, mapping views, the string methods), and what it
does to the name holding the value; and `joined`, the value every modelled call returns of its
inputs. Out of calls.py, which asks here once the models and summaries have not decided."""

from __future__ import annotations

import ast
from itertools import repeat
from operator import attrgetter, is_
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argv import in_order
from bastion.analyzers.taint.concatenation import concat
from bastion.analyzers.taint.configs import FOLLOWED, config_call
from bastion.analyzers.taint.containers import held_kind, mapping_view
from bastion.analyzers.taint.domain import (
    ANY,
    CLEAN,
    MARKUP_KINDS,
    SAFE,
    UNKNOWN,
    Value,
    constant,
    elements,
    is_json,
    join,
    join_all,
    params_only,
)
from bastion.analyzers.taint.escapes import CONTAINER_TYPES, SLOT_MUTATORS, followed_slot
from bastion.analyzers.taint.folding import before_fields, format_arguments, mapped_fields
from bastion.analyzers.taint.iterators import vector
from bastion.analyzers.taint.key_presence import dict_get
from bastion.analyzers.taint.queues import GETS, PUTS, local_queue
from bastion.analyzers.taint.sequences import EDITS, MUTATORS, edit_list
from bastion.analyzers.taint.sinks import SAX_PARSER, UNSAFE_SAX_PARSER, enables_external_entities
from bastion.analyzers.taint.string_transforms import filtered_characters, replace, transformed

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

STRING_BUILDERS = frozenset({"format", "format_map"})
_KNOWN = attrgetter("known")
PATH_TYPES = frozenset({"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath"})
# Reads of a container or a stream: what they return is what the receiver holds. A module's
# function of such a name is no read of one (`requests.get(url)` fetches what a server sends, not
# its argument): calls.py takes what it returns as not known.
CONTAINER_READS = frozenset({
    "get", "getlist", "getall", "getone", "values", "items", "keys", "pop", "setdefault", "lists",
    "dict", "to_dict", "read", "readline", "readlines", "getvalue", "model_dump",
})
# An ORM's row selections by field (`Product.objects.filter(name=q)`, SQLAlchemy's
# `query.filter_by(name=q)`, `exclude`): given keywords alone they bind the values as the
# query's parameters, and what they return is a query of the receiver's rows.
ROW_FILTERS = frozenset({"filter", "filter_by", "exclude"})
# Methods of str / bytes / containers whose result carries the receiver's (and arguments') data.
STRING_METHODS = frozenset({
    "strip", "lstrip", "rstrip", "lower", "upper", "casefold", "title", "capitalize", "encode",
    "decode", "split", "rsplit", "splitlines", "partition", "rpartition", "removeprefix",
    "removesuffix", "zfill", "center", "ljust", "rjust", "expandtabs", "swapcase", "copy",
}) | CONTAINER_READS
# The methods method_result answers (calls.py asks it for these alone)
METHOD_NAMES = frozenset({"join", "replace", "setFeature", "get", "model_dump", "dict", "items", "values",
                          "keys"}) | STRING_BUILDERS | FOLLOWED | EDITS | MUTATORS | STRING_METHODS \
    | ROW_FILTERS | PUTS | GETS


def method_result(ev: Evaluator, node: ast.Call, method: str, args: list[Value],
                  keywords: dict[str | None, Value], receiver: Value, inputs: list[Value]) -> Value | None:
    """`receiver.method(...)`'s value, or None when its name is none of those followed here."""
    if method == "join" and receiver.const == "" and len(node.args) == 1:
        cleans = filtered_characters(ev, node.args[0])
        if cleans:  # `"".join(c for c in name if c.isalnum())`
            kept = args[0].item(ANY)
            return kept.evolve(clean=kept.clean | cleans, kind=None, const=UNKNOWN)
    if method == "join" and len(args) == 1 and isinstance(receiver.const, str) \
            and isinstance(args[0].const, tuple) and all(type(p) is str for p in args[0].const) \
            and sum(map(len, args[0].const)) < 10_000:
        return constant(receiver.const.join(args[0].const))  # ", ".join(["?"] * 3)
    if method in STRING_BUILDERS or method == "join" and args:
        put = (format_arguments(receiver, _spread(ev, node, args), keywords) if method == "format"
               else mapped_fields(receiver, args)) or [*args, *keywords.values()]
        built = _joined(receiver, args[0]) if method == "join" \
            else concat([before_fields(receiver, put, True), *put])
        if receiver.kind in MARKUP_KINDS and not receiver.taint:
            return built.evolve(clean=built.clean | {"html"}, kind=receiver.kind)
        return built
    if method == "replace":
        return replace(receiver, args)
    if method == "setFeature" and receiver.kind == SAX_PARSER and isinstance(
            node.func.value, ast.Name) and enables_external_entities(ev, node, args):
        ev.env[node.func.value.id] = receiver.evolve(kind=UNSAFE_SAX_PARSER)
        return CLEAN
    if (method in PUTS or method in GETS) \
            and (queued := local_queue(ev, node, method, args, receiver)) is not None:
        return queued
    configured = config_call(receiver, method, args, keywords)
    if configured is not None:
        if configured[1] is not None and isinstance(node.func.value, ast.Name):
            ev.env[node.func.value.id] = configured[1]
        return configured[0]
    if method in EDITS and not keywords and isinstance(node.func.value, ast.Name) \
            and node.func.value.id in ev.env:
        edited = edit_list(receiver, method, args)
        if edited is not None:
            ev.env[node.func.value.id] = edited[1]
            return edited[0]
    if method in SLOT_MUTATORS:  # `session["cart"].append(sku)`: an item of a session changed
        from bastion.analyzers.taint.stores import item_changed  # stores.py reads expressions.py
        item_changed(ev, node.func.value, None, joined([*args, *keywords.values()]), node)
    held = _held(node.func.value)
    if method in MUTATORS and held is not None and (held in ev.env or held not in ev.aliases):
        # an imported object (`flask.session`) stays what it is named, for its next call
        changed = _mutated(receiver, method, args, keywords, _displayed(node))
        if changed is not None:
            ev.env[held] = changed
        return CLEAN
    slot = _defaulted_slot(node.func.value)  # `groups.setdefault(k, []).append(v)`: `groups[k]`
    if method in SLOT_MUTATORS and slot is not None and followed_slot(ev, slot):
        _slot_mutated(ev, slot, receiver, method, args, keywords, _displayed(node))
        return CLEAN
    if method == "setdefault" and len(args) == 2 and not keywords and isinstance(node.func.value, ast.Name) \
            and (ev.env or {}).get(node.func.value.id) is receiver and receiver.items is not None \
            and not receiver.taint:
        return _set_default(ev, node.func.value.id, receiver, args[0], args[1])
    if method == "get" and args and receiver.kind is not None and type(args[0].const) is str \
            and (held := held_kind(ev, receiver.kind, args[0].const)) is not None:
        # `environ.get("beaker.session")`: the server's own store, as its item is (containers.py)
        return joined([CLEAN if receiver.taint else receiver, *args[1:]], None).evolve(kind=held)
    if method == "get" and args and (receiver.items is not None or receiver.taint and (params_only(
            receiver.taint) or is_json(receiver.kind))
            or isinstance(receiver.const, frozenset)):
        # a parameter's element, by its key; a JSON body's element; one of a constant
        # table's entries, whatever the key (as `TABLE[key]` reads it)
        return dict_get(receiver, args, type(node.func.value) is ast.Dict or (  # key_presence.py
            type(node.func.value) is ast.Name and node.func.value.id in (ev.env or {})))
    if method == "get" and 0 < len(args) < 3 and not keywords and any(map(is_, inputs, repeat(receiver))):
        # `User.query.get(pk)`, `cache.get(key, fallback)`: what the receiver holds under the
        # key, or the default; the key itself is not returned
        return joined([receiver, *args[1:]], None)
    if method in ("model_dump", "dict") and not args and not keywords \
            and receiver.items is not None:
        return receiver.evolve(kind=None)  # a model's fields as a dict, each as it was
    if method == "copy" and not args and not keywords \
            and (receiver.items is not None and not receiver.taint or vector(receiver)):
        # a shallow copy of a dict or list holds what it did, slot by slot (`TOOLS[name].copy()`:
        # the program at 0)
        return receiver
    if not args and not keywords and (view := mapping_view(receiver, method)) is not None:
        return view
    if method in CONTAINER_READS | ROW_FILTERS and keywords and not args and None not in keywords \
            and any(map(is_, inputs, repeat(receiver))):
        # `User.objects.get(pk=q)`: no container is read by keywords alone; a query run so
        # returns its rows, not the values it filters by (a MultiDict's `default=` it may)
        return joined([receiver, *(keywords[k] for k in keywords if k == "default")], None)
    if method in STRING_METHODS:
        return transformed(method, joined(inputs, None), args, bool(keywords))
    return None


def joined(values: list[Value], name: str | None = None) -> Value:
    """The values' data together, as a modelled operation (a propagator, a string method)
    returns it: known when every value is."""
    out = join_all(values)
    if name is not None and out.taint:
        out = out.evolve(kind=name + "()", const=UNKNOWN)
    elif name in PATH_TYPES or name in CONTAINER_TYPES:
        # `Path("/srv") / name`: the path's methods are sinks; `dict(a=1)` may be filled later
        out = out.evolve(kind=name + "()")
    if all(map(_KNOWN, values)):  # in C: no generator's frame a value
        out = SAFE if out is CLEAN else out.evolve(known=True)
    return out


def _defaulted_slot(node: ast.expr) -> ast.Subscript | None:
    """`groups[k]` for `groups[k]` itself and for `groups.setdefault(k, default)`, which returns
    that slot once it holds the default (`_set_default`)."""
    if isinstance(node, ast.Subscript):
        return node
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
            and node.func.attr == "setdefault" and len(node.args) == 2 and not node.keywords \
            and isinstance(node.func.value, ast.Name):
        return ast.copy_location(ast.Subscript(node.func.value, node.args[0], ast.Load()), node)
    return None


def _set_default(ev: Evaluator, name: str, receiver: Value, key: Value, default: Value) -> Value:
    """`groups.setdefault(k, [])` of a local dict whose slots are followed: the slot's value, the
    default stored in it first when the key may be missing (as `groups[k] = []` stores it)."""
    from bastion.analyzers.taint.stores import with_slot  # stores.py reads expressions.py

    slot = key.const if isinstance(key.const, (str, int)) and not isinstance(key.const, bool) else ANY
    items = receiver.items or {}
    if slot is not ANY and slot in items:
        return items[slot]
    value = join(default, items[ANY]) if ANY in items else default
    ev.env[name] = with_slot(receiver, key, value)
    return value


def _held(node: ast.expr) -> str | None:
    """The name a mutated container is held by: a local, or a field of `self` (`self.parts`, as
    `self.parts = ...` stores it), which the method's summary hands to its instance."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "self":
        return f"self.{node.attr}"
    return None


def _slot_mutated(ev: Evaluator, held: ast.Subscript, receiver: Value, method: str, args: list[Value],
                  keywords: dict[str | None, Value], displayed: bool) -> None:
    """`groups[key].append(x)` of a local dict whose slots are followed (a `defaultdict(list)`'s
    missing key reads an empty list, key_presence.py): that slot is the container changed,
    stored back as `groups[key] = ...` stores it (a key not constant may be any slot)."""
    from bastion.analyzers.taint.stores import with_slot  # stores.py reads expressions.py

    changed = _mutated(receiver, method, args, keywords, displayed)
    if changed is not None and isinstance(held.value, ast.Name):
        ev.env[held.value.id] = with_slot(ev.env[held.value.id], ev.eval(held.slice), changed)


def _mutated(receiver: Value, method: str, args: list[Value], keywords: dict[str | None, Value],
             displayed: bool) -> Value | None:
    """`items.append(x)`, `d.update(...)`, `buf.write(x)`: the container now holds the data
    (None: nothing known of it changes). A mapping whose keys are not known may replace any
    slot (`d.update(config)`)."""
    added = joined([*args, *keywords.values()])
    if receiver.items is None and added.known and not added.taint:
        return None
    items = elements(receiver)
    given = args[0].items if len(args) == 1 and args[0].items is not None else {} if not args else None
    if method == "update" and given is not None and ANY not in given and None not in keywords:
        # a keyword, or a key of a dict display, is set as `d[key] = value` sets it; another
        # mapping's slot may be one only some paths set, a list's is an index of a pair
        for key, value in given.items():
            items[key] = value if key not in items or displayed else join(items[key], value)
        items.update(keywords)
    elif method == "update":
        items = {key: join(value, added) for key, value in items.items()}
        items.setdefault(ANY, added)
    else:
        items[ANY] = join(items[ANY], added) if ANY in items else added
    return receiver.evolve(items=items, const=UNKNOWN)


def _joined(separator: Value, parts: Value) -> Value:
    """`"/".join(["/static", name])`: a list of known slots is joined in its order, so that a
    constant first part keeps the text's start its own (a site path, a fixed host); other
    iterables as any element after the separator."""
    slots = in_order(parts) if not parts.taint else None
    if not slots:
        built = concat([separator, parts.iterated()])
        if "log" in built.clean and not _one_line(separator):
            # pieces of any number joined by a line break: the sender chooses the lines
            # (`"\n".join(q.split())`), though no piece holds a break
            return built.evolve(clean=built.clean - {"log"})
        return built
    pieces = [slots[0]]
    for slot in slots[1:]:
        pieces += (separator, slot)
    return concat(pieces)


def _one_line(separator: Value) -> bool:
    """A separator known to hold no line boundary `str.splitlines` cuts at."""
    return type(separator.const) is str and len(f"a{separator.const}a".splitlines()) == 1


def _displayed(node: ast.Call) -> bool:
    """`d.update({"k": v})`, `d.update(k=v)`: every key given is set (no `**other` among them)."""
    return not node.args or isinstance(node.args[0], ast.Dict) and None not in node.args[0].keys



def _spread(ev: Evaluator, node: ast.Call, args: list[Value]) -> list[Value]:
    """The positional arguments, each `*name` of a list of known length spread into its elements
    (`"echo {}".format(*args)` with `args = ["x", q]` prints "x" alone); as they are (a starred one
    its elements joined) when the length of one is not known."""
    spread: list[Value] = []
    for arg, value in zip(node.args, args, strict=True):
        if type(arg) is not ast.Starred:
            spread.append(value)
            continue
        vector = ev.eval(arg.value) if type(arg.value) is ast.Name else None
        if vector is None or not vector.items or ANY in vector.items \
                or set(vector.items) != set(range(len(vector.items))):
            return args
        spread.extend(vector.items[index] for index in range(len(vector.items)))
    return spread

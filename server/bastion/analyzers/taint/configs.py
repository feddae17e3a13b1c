"""A ConfigParser made in the function, element by element: `set(section, option, value)`
fills one slot and `get(section, option)` (or `parser[section][option]`) reads it, so that
request data stored under one option does not reach a read of another (TAINT.md §4). Options
are compared as ConfigParser compares them by default, lowercased; sections as written.

A slot is `(section, option)`, `(section, None)` for any option of that section (a section read
from a mapping whose options are not known: `read_dict({"user": request.json})`, `parser["user"]
= data`) and ANY for any option of any section (text read into it: `read_string(body)`,
`read_file`, `read_dict(data)`). A read finds its own slot, else what may be any option of its
section, of the `DEFAULT` section (every section's fallback) or of any; a value that interpolates
(`%(name)s`, `${name}`) may read any option of its section or `DEFAULT`.
"""

from __future__ import annotations

from bastion.analyzers.taint.domain import (
    ANY,
    CLEAN,
    EVERY_CLASS,
    SAFE,
    UNKNOWN,
    Value,
    elements,
    join,
    join_all,
)

KINDS = frozenset({"configparser.ConfigParser()", "configparser.RawConfigParser()",
                   "configparser.SafeConfigParser()"})
_TYPED_GETTERS = frozenset({"getint", "getfloat", "getboolean"})
_TEXT_READERS = frozenset({"read_string", "read_file"})  # every option may hold it
# Methods after which the parser holds what `config_call` says (it follows them, or they change
# no option): calling them does not make its options unknown (escapes.py). `read` (files by
# name) and `remove_option` are not followed.
FOLLOWED = frozenset({"set", "get", "add_section", "has_section", "has_option", "sections",
                      "options", "read_dict"}) | _TYPED_GETTERS | _TEXT_READERS
_DEFAULT = "DEFAULT"  # ConfigParser's `default_section`: its options are every section's


def config_call(receiver: Value, method: str, args: list[Value],
                keywords: dict[str | None, Value]) -> tuple[Value, Value | None] | None:
    """The call's result and the parser after it (None: unchanged), or None when this is not
    a call followed here."""
    if receiver.kind not in KINDS:
        return None
    if method in _TYPED_GETTERS:
        return SAFE, None  # a number or a bool: no injection fits in it
    if method == "set" and len(args) == 3:
        return SAFE, stored(receiver, args[0], args[1], args[2])
    if (method in _TEXT_READERS or method == "read_dict") and args:
        if not args[0].taint and not args[0].items:
            return SAFE, None
        if method == "read_dict" and args[0].items and not args[0].taint:
            items = elements(receiver)
            for section, options in args[0].items.items():
                items = _section_read(items, section, options)
            return SAFE, receiver.evolve(items=items, const=UNKNOWN)
        return SAFE, receiver.evolve(items=_anywhere(elements(receiver), ANY, args[0].flat()),
                                     const=UNKNOWN)
    if method == "get" and len(args) >= 2:
        found = option_read(receiver, args[0].const, args[1].const)
        fallback = keywords.get("fallback")
        return (join(found, fallback) if fallback is not None else found), None
    return None


def option_read(parser: Value, section: object, option: object) -> Value:
    """What `parser.get(section, option)` returns (constants, or UNKNOWN)."""
    if not parser.items or not isinstance(section, str) or not isinstance(option, str):
        return parser.item(ANY)
    items, option = parser.items, option.lower()
    found = items.get((section, option))
    if found is not None and not _interpolates(found):
        return found
    near = [v for k, v in items.items() if k is ANY or k[0] in (section, _DEFAULT)] if found is not None \
        else [items[k] for k in ((section, None), (_DEFAULT, option), (_DEFAULT, None), ANY) if k in items]
    return join_all(near) if near else CLEAN


def section_read(parser: Value, section: object) -> Value:
    """What `parser[section]` holds: a mapping of its options (any, for a section not known)."""
    if not parser.items or not isinstance(section, str):
        return parser.item(ANY)
    named = {k[1] for k in parser.items if k is not ANY and k[0] in (section, _DEFAULT) and k[1]}
    slots = {name: option_read(parser, section, name) for name in named}
    near = [parser.items[k] for k in ((section, None), (_DEFAULT, None), ANY) if k in parser.items]
    if near:
        slots[ANY] = join_all(near)
    return Value(clean=EVERY_CLASS, items=slots)


def stored(parser: Value, section: Value, option: Value, value: Value) -> Value:
    """The parser after `set(section, option, value)` or `parser[section][option] = value`."""
    items = elements(parser)
    slot = _slot(section, option)
    if slot == ANY:  # an option not known: any option read may be this one
        return parser.evolve(items=_anywhere(items, ANY, value), const=UNKNOWN)
    items[slot] = value
    return parser.evolve(items=items, const=UNKNOWN)


def section_replaced(parser: Value, section: Value, value: Value) -> Value:
    """The parser after `parser[section] = mapping`: that section holds the mapping's options
    (any section, for a section not known, may hold any of them)."""
    items = elements(parser)
    if not isinstance(section.const, str):
        return parser.evolve(items=_anywhere(items, ANY, value.flat()), const=UNKNOWN)
    items = {k: v for k, v in items.items() if k is ANY or k[0] != section.const}
    return parser.evolve(items=_section_read(items, section.const, value), const=UNKNOWN)


def _section_read(items: dict, section: object, options: Value) -> dict:
    """`items` after the options `options` holds were read into `section` (read_dict's)."""
    if not isinstance(section, str):
        return _anywhere(items, ANY, options.flat())
    if options.taint or not options.items:  # options not known: any of the section's
        return _anywhere(items, (section, None), options.flat())
    for name, value in options.items.items():
        if isinstance(name, str):
            items[(section, name.lower())] = value.flat() if value.items else value
        else:
            items = _anywhere(items, (section, None), value.flat())
    return items


def _anywhere(items: dict, slot: object, value: Value) -> dict:
    """`items` where any option of `slot`'s section (of every section: ANY) may hold `value`."""
    items = {k: join(v, value) if k is not ANY and (slot is ANY or k[0] == slot[0]) else v
             for k, v in items.items()}
    items[slot] = join(items[slot], value) if slot in items else value
    return items


def _interpolates(value: Value) -> bool:
    """Whether an option's value may name another (`%(home)s/bin`, `${home}`): not a constant
    free of both signs."""
    return not isinstance(value.const, str) or "%" in value.const or "$" in value.const


def _slot(section: Value, option: Value) -> object:
    if isinstance(section.const, str) and isinstance(option.const, str):
        return (section.const, option.const.lower())
    return ANY

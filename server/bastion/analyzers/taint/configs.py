"""A ConfigParser made in the function, element by element: `set(section, option, value)`
fills one slot and `get(section, option)` reads it, so that request data stored under one option
does not reach a read of another (TAINT.md §4). Options are compared as ConfigParser compares
them by default, lowercased.

Text or a dict read into it (`read_string`, `read_dict`, `read_file`) may be under any option.
What else fills it (a section's mapping) is left to the coarse container model in calls.py.
"""

from __future__ import annotations

from bastion.analyzers.taint.domain import ANY, SAFE, UNKNOWN, Value, elements, join

KINDS = frozenset({"configparser.ConfigParser()", "configparser.RawConfigParser()",
                   "configparser.SafeConfigParser()"})
_TYPED_GETTERS = frozenset({"getint", "getfloat", "getboolean"})
_READERS = frozenset({"read_string", "read_dict", "read_file"})  # every option may hold it
# Methods after which the parser holds what `config_call` says (it follows them, or they change
# no option): calling them does not make its options unknown (escapes.py). `read` (files by
# name) and `remove_option` are not followed.
FOLLOWED = frozenset({"set", "get", "add_section", "has_section", "has_option", "sections",
                      "options"}) | _TYPED_GETTERS | _READERS


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
    if method in _READERS and args:
        if not args[0].taint and not args[0].items:
            return SAFE, None
        items = elements(receiver)
        items[ANY] = join(items[ANY], args[0].flat()) if ANY in items else args[0].flat()
        return SAFE, receiver.evolve(items=items, const=UNKNOWN)
    if method == "get" and len(args) >= 2:
        found = receiver.item(_slot(args[0], args[1])) if receiver.items else receiver.item(ANY)
        fallback = keywords.get("fallback")
        return (join(found, fallback) if fallback is not None else found), None
    return None


def stored(parser: Value, section: Value, option: Value, value: Value) -> Value:
    """The parser after `set(section, option, value)` or `parser[section][option] = value`."""
    items = elements(parser)
    slot = _slot(section, option)
    if slot == ANY:  # an option not known: any option read may be this one
        items = {k: join(v, value) for k, v in items.items()}
        items.setdefault(ANY, value)
    else:
        items[slot] = value
    return parser.evolve(items=items, const=UNKNOWN)


def section_replaced(parser: Value, section: Value, value: Value) -> Value:
    """The parser after `parser[section] = mapping`: any option of that section (of any, for a
    section not known) may hold what the mapping holds."""
    name = section.const if isinstance(section.const, str) else None
    items = {k: join(v, value) if k == ANY or name is None or k[0] == name else v
             for k, v in elements(parser).items()}
    items[ANY] = join(items[ANY], value) if ANY in items else value
    return parser.evolve(items=items, const=UNKNOWN)


def _slot(section: Value, option: Value) -> object:
    if isinstance(section.const, str) and isinstance(option.const, str):
        return (section.const, option.const.lower())
    return ANY

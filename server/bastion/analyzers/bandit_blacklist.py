"""Which calls bandit's blacklist check (B001) can skip: the adapter's tester asks
`skips_call` before running it on a call node.

For a call, bandit's `blacklisting.blacklist` compares the call's qualified name with every
blacklisted name of every check, one by one (111 names): it ran on every call node and was
the costliest of bandit's 33 call checks (a tenth of their time over the `email` package).
It reports nothing when the name is none of them, unless the call is `__import__(...)` or
`importlib.import_module(...)` / `importlib.__import__(...)`, whose first argument is the name
looked up instead: those are always left to bandit. The names are read from the `config` the
check is given at the time (bandit's global state: the last test set built sets it), held
with that config so that a new one is read again.
"""

from __future__ import annotations

import ast

# Calls whose looked-up name is not the call's own (bandit's `blacklist`).
_NAME_FROM_ARGUMENT = frozenset({"importlib.import_module", "importlib.__import__"})

_names_of: tuple[object, frozenset[str]] | None = None  # (config, its call names)


def _call_names(config: dict) -> frozenset[str]:
    global _names_of
    if _names_of is None or _names_of[0] is not config:
        _names_of = (config, frozenset(name for check in config.get("Call", ())
                                       for name in check["qualnames"]))
    return _names_of[1]


def skips_call(context, config: dict) -> bool:
    """Whether `blacklist(context, config)` returns None without looking: a call node whose
    qualified name no blacklisted call has."""
    node = context.node
    if node.__class__.__name__ != "Call":
        return False
    func = node.func
    if isinstance(func, ast.Name) and func.id == "__import__":
        return False
    name = context.call_function_name_qual
    return name not in _NAME_FROM_ARGUMENT and name not in _call_names(config)

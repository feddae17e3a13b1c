"""Which module-level objects of other modules a module leaves as they were built: an object it
imports (`from .policies import policy`, `policies.policy` of `from . import policies`) or
builds once (`policy = UrlPolicy()`), whose method it calls in a condition
(`if not policy.allows(nxt):`), and with which it does nothing else than call its methods: no
attribute of it stored, read (a container read may be changed) or deleted, the object neither
handed on nor bound again. Only there does a method's proof made for an instance of its class
hold (helper_guards.imported_test: `self.ALLOWED` read as its class's constant, which the
class's module only reads).

Looked for in the text, around each occurrence of the few names tested so (an occurrence in a
string or comment counts too, against the proof); a text that may set attributes or globals by
name (`setattr`, `__dict__`, `vars(`, `globals`) leaves none.
"""

from __future__ import annotations

import re

from bastion.analyzers.taint.container_changes import name_occurrences

_DYNAMIC = ("setattr", "__dict__", "vars(", "globals", "sys.modules", "__class__")
_CHAIN = re.compile(r"(?:\s*\.\s*\w+)*")
_CALLED = re.compile(r"\s*\(")
_BOUND = re.compile(r"\s*(?::[^=\n]*)?=(?!=)")
# before a name in an import statement: `from .policies import (hosts,\n    policy`
# (each stretch of spaces has one way to be read: `\s*\\?\s*` between names made a failing match
# try every split of every stretch, exponential in the names listed; the spaces after a backslash
# are read only after one)
_IN_IMPORT = re.compile(
    r"import\s*(?:\(\s*)?(?:[\w.]+(?:\s+as\s+\w+)?\s*,\s*(?:\\\s*)?)*(?:[\w.]+\s+as\s+)?$")
_IMPORT_SPAN = 2000  # how far back an import statement's `import` is looked for

# a method called in a condition: `if not policy.allows(nxt):`, `elif policies.policy.allows(u)`
_TESTED = re.compile(r"if\s+(?:not\s+)?([A-Za-z_]\w*(?:\.\w+)*)\.\w+\s*\(")


def left_as_built(names: set[str], text: str | None) -> frozenset[str]:
    """The objects (`policy`, `policies.policy`) whose method the text calls in a condition, of
    a name of `names` (bound once at the top level by an import or a call), with which the
    module does nothing but call their methods."""
    if text is None or "if" not in text or any(word in text for word in _DYNAMIC):
        return frozenset()
    tested = {m.group(1) for m in _TESTED.finditer(text) if _word_start(text, m.start())
              or text[m.start() - 2:m.start()] == "el" and _word_start(text, m.start() - 2)}
    wanted = {chain for chain in tested if chain.split(".")[0] in names}
    if not wanted:
        return frozenset()
    uses = {root: _uses(root, text) for root in {chain.split(".")[0] for chain in wanted}}
    return frozenset(chain for chain in wanted
                     if _only_methods_called(uses[chain.split(".")[0]], tuple(chain.split("."))))


def _uses(name: str, text: str) -> set[tuple[tuple[str, ...], bool]]:
    """The distinct (attribute chain, called) of the occurrences of `name` but its binding and
    its imports."""
    uses = set()
    for match in name_occurrences(name, text):
        start, end = match.start(), match.end()
        line_start = text.rfind("\n", 0, start) + 1
        head = text.rfind("import", max(line_start - _IMPORT_SPAN, 0), start)
        if head >= 0 and (head == 0 or text[head - 1].isspace()) and _IN_IMPORT.match(text, head, start):
            continue
        if start == line_start and _BOUND.match(text, end):
            continue  # its one binding (`policy = UrlPolicy()`)
        chain = _CHAIN.match(text, end)
        parts = (name, *re.findall(r"\w+", chain.group()))
        uses.add((parts, _CALLED.match(text, chain.end()) is not None))
    return uses


def _only_methods_called(uses: set[tuple[tuple[str, ...], bool]], wanted: tuple[str, ...]) -> bool:
    depth = len(wanted)
    for parts, called in uses:
        if parts[:depth] != wanted:
            # a use of a chain leading to it: the module itself (`policies.helper()`) is read
            # only; handed on (`register(policies)`) or called, its attributes may change
            if wanted[:len(parts)] == parts:
                return False
            continue
        if called and len(parts) in (depth, depth + 1):
            continue  # `policy.allows(url)`, `policy(url)`
        return False
    return True


def _word_start(text: str, start: int) -> bool:
    return not start or not (text[start - 1].isalnum() or text[start - 1] in "_.")

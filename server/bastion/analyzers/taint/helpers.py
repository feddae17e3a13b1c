"""Functions the module calls itself. A function whose first parameter is named as a
framework's handlers name the request (`def audit(request, action)` in a Django module) is an
entry point; one the module also calls by name (`audit(request, "save")`) is a helper as well,
whose other parameters its callers fill (context.py)."""

from __future__ import annotations

import ast
import re


def called_here(names: list[str], tree: ast.Module, text: str | None) -> set[str]:
    """Those of `names` (module-level functions) that the module calls by name: counted in the
    text when there is one (a search per name, no walk of the tree), else in the tree."""
    if not names:
        return set()
    if text is None:
        calls = {node.func.id for node in ast.walk(tree)
                 if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}
        return {name for name in names if name in calls}
    found = set()
    for name in names:
        uses = len(re.findall(rf"(?<![\w.]){re.escape(name)}\s*\(", text))
        definitions = len(re.findall(rf"\bdef\s+{re.escape(name)}\s*\(", text))
        if uses > definitions:
            found.add(name)
    return found

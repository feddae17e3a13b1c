"""Whether a module naming no source reads one through another workspace module's function
(the analyzer's text gate, `SummaryStore.imports_source`): read from its import lines unparsed,
each imported function asked whether it returns untrusted data.
"""

from __future__ import annotations

from collections.abc import Callable

from bastion.analyzers.taint.modules import ModuleResolver, import_table, text_statements
from bastion.analyzers.taint.workspace_names import split_name


def imports_source(text: str, path: str | None, resolver: ModuleResolver,
                   returns_source: Callable[[str, str], bool]) -> bool:
    """Whether `text` from-imports a function of a workspace module (`from .web import arg`)
    for which `returns_source(file, function)` holds."""
    statements = tuple(text_statements(text)) if "import" in text else ()
    table = import_table(statements, path, resolver) if statements else None
    return any(returns_source(target, function) for target, function in (
        split_name(f"{module}.{name}", table) for _, module, names in statements
        if table and module in table for name in names) if target is not None)

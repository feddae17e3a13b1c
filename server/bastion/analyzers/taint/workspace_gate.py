"""Whether a module naming no source reads one through another workspace module's function or
global (the analyzer's text gate, `SummaryStore.imports_source`): read from its import lines
unparsed, each imported function asked whether it returns untrusted data.
"""

from __future__ import annotations

from collections.abc import Callable

from bastion.analyzers.taint.modules import ModuleResolver, import_table, text_statements
from bastion.analyzers.taint.top_level_sources import AS_READ
from bastion.analyzers.taint.workspace_names import split_name
from bastion.deferred_patterns import deferred

# an attribute called (`http.query_arg(`): what a module bound by an import may be asked for
_CALLED_ATTRIBUTE = deferred(r"\.\s*([A-Za-z_]\w*)\s*\(")
# any attribute (`settings.TARGET`): a global of a module bound by an import may be read
_ATTRIBUTE = deferred(r"\.\s*([A-Za-z_]\w*)")


def imports_source(text: str, path: str | None, resolver: ModuleResolver,
                   returns_source: Callable[[str, str], bool]) -> bool:
    """Whether `text` imports a function of a workspace module (`from .web import arg`), or a
    workspace module whose function it calls through the module's name (`from app.utils import
    http`, `import app.utils.http`: `http.query_arg(...)`), for which `returns_source(file,
    function)` holds; or a global of one bound to a source (`from settings import TARGET`,
    `settings.TARGET`: its reader, top_level_sources.AS_READ)."""
    statements = tuple(text_statements(text)) if "import" in text else ()
    table = import_table(statements, path, resolver) if statements else None
    if not table:
        return False
    if any(returns_source(target, function) or returns_source(target, function + AS_READ)
           for target, function in (split_name(f"{module}.{name}", table) for _, module, names in statements
                                    if module in table for name in names) if target is not None):
        return True  # a function returning a source, or a global bound to one (`TARGET = sys.argv[1]`)
    # the names bound to a module (not those `from` a package's `__init__`): only workspace
    # modules are in the table, so a text importing none (`os`, `subprocess`) reads no further
    modules = {table[bound] for _, module, names in statements for name in names
               if (bound := name if module is None else f"{module}.{name}") in table}
    if not modules:
        return False
    called = sorted(set(_CALLED_ATTRIBUTE().findall(text)))
    read = sorted({f"{name}{AS_READ}" for name in _ATTRIBUTE().findall(text)})  # `settings.TARGET`
    return any(returns_source(target, function) for target in sorted(modules) for function in called + read)

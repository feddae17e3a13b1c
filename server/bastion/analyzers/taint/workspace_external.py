"""What one file's analysis may use of the workspace (`External`, workspace_entries.py), as the
summary store (workspace.py) makes it from the file's imports: in a scan, the summaries computed
when first asked for; in the editor, those `prepare` published (stale while their module is
edited). Holds no state: the store's memo of its last answer stays in `SummaryStore.external`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.analyzers.taint.exports import stale
from bastion.analyzers.taint.modules import import_table
from bastion.analyzers.taint.results import Summary
from bastion.analyzers.taint.url_routes import Routes, routes_key
from bastion.analyzers.taint.workspace_entries import (
    External,
    Imports,
    class_bases,
    imported_aliases,
    imported_forms,
    reads_scoped,
    returns_source,
    scoped_stores,
)
from bastion.analyzers.taint.workspace_names import split_name
from bastion.digests import blake2b

if TYPE_CHECKING:
    from bastion.analyzers.taint.workspace import SummaryStore


def external_of(store: SummaryStore, source: str | Imports, path: str | None) -> External | None:
    """`SummaryStore.external`'s answer, made anew (under the store's lock where it computes)."""
    imports = source if isinstance(source, Imports) else None
    table = import_table(imports.statements if imports else source, path, store.graph.resolver)
    routes: Routes = {}
    if path is not None and (imports.django if imports else "django" in source):
        if store.compute:
            with store._lock:
                routes = store._routes.of(path)
        else:
            routes = store._routes.published.get(path, {})
    if not table and not routes:
        return None
    flask_g = reads_scoped(source) if imports is None else imports.flask_g
    targets = sorted(set(table.values()))
    scoped: dict[str, tuple[str, int]] = {}
    hooked: dict[str, tuple[str, int]] = {}
    if store.compute:
        def lookup(name: str, tainted: bool) -> Summary | None:
            target, function = split_name(name, table)
            return None if target is None else store.function(target, function, tainted)

        def bases(name: str) -> tuple[str, ...]:
            with store._lock:
                return class_bases(name, table, store._loaded)

        with store._lock:
            digest = store.graph.identity(targets, store.version).encode()
            forms = imported_forms(table, store._loaded, store.graph.text, store.models)
            aliases = imported_aliases(table, store._loaded, store.graph.text)
            if flask_g:
                scoped = scoped_stores(targets, store._loaded)
                hooked = store._hooks.stores(path, imports.registrars if imports else None, table)
    else:
        published = {t: store._published.get(t) for t in targets}
        # the classes their instances are of, looked up by file (workspace_publish.py)
        published.update((t, store._published.get(t)) for m in list(published.values())
                         if m is not None for t in m.held if t not in published)
        digest = repr(sorted((t, m.fingerprint if m else "-", t in store._dirty)
                             for t, m in published.items())).encode()

        def lookup(name: str, tainted: bool) -> Summary | None:
            target, function = split_name(name, table)
            entry = published.get(target) if target is not None else None
            found = entry.summaries.get(function) if entry is not None else None
            if found is None or not (tainted or returns_source(found, store.models)):
                return None
            return stale(found) if target in store._dirty else found

        def bases(name: str) -> tuple[str, ...]:
            return class_bases(name, table, published.get)

        forms = imported_forms(table, published.get)
        aliases = imported_aliases(table, published.get)
        if flask_g:
            scoped = scoped_stores(targets, published.get)
            hooked = store._hooks.published.get(path or "", {})
    for attribute, where in hooked.items():  # after the modules it imports
        scoped.setdefault(attribute, where)
    digest += repr(sorted(hooked.items())).encode() + routes_key(routes)
    return External(lookup, blake2b(digest, digest_size=16).digest(), bases, scoped,
                    forms, routes, aliases, table)


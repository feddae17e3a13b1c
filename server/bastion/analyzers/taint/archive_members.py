"""What a tar archive being extracted holds (the `unfiltered_archive` sink model): an archive
read from a file object (`tarfile.open(fileobj=io.BytesIO(body))`) holds the members that
object's bytes encode. An in-memory buffer names no file, so it is clean as a path
(sanitizers.toml), but the names of the members in it are still the sender's. Kept apart from
sinks.py: which archive a receiver is, found from the syntax of its binding, is a concern of its
own. Stateless."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.nodes import nodes
from bastion.analyzers.taint.read_ahead import whole_function

if TYPE_CHECKING:
    from bastion.analyzers.taint.domain import Value
    from bastion.analyzers.taint.expressions import Evaluator

_OPENERS = frozenset({"tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "tarfile.TarFile.gzopen",
                      "tarfile.TarFile.bz2open", "tarfile.TarFile.xzopen"})


def members_value(ev: Evaluator, node: ast.Call, receiver: Value) -> Value:
    """`receiver`, the archive `node` extracts from, as its members: not clean as a path when
    every opening of it the function writes reads a file object (`fileobj=`, or the third
    argument), at the call (`tarfile.open(fileobj=buf).extractall()`) or bound to its name
    (`with tarfile.open(fileobj=buf) as tar:`, `tar = ...`)."""
    if not receiver.taint or "path" not in receiver.clean or not isinstance(node.func, ast.Attribute):
        return receiver
    opened = _openings(ev, node.func.value)
    if not opened or not all(_from_object(ev, call) for call in opened):
        return receiver
    return receiver.evolve(clean=receiver.clean - {"path"})


def _openings(ev: Evaluator, archive: ast.expr) -> list[ast.expr]:
    """The values `archive` is: itself when it is not a name; else each value the function
    binds to the name (an assignment, a `with ... as`), none when it binds it otherwise too."""
    if not isinstance(archive, ast.Name):
        return [archive]
    function = whole_function(ev)
    if function is None:
        return []
    walked = nodes(function.node)
    stores = sum(1 for n in walked if isinstance(n, ast.Name) and n.id == archive.id
                 and isinstance(n.ctx, ast.Store))
    found = [n.value for n in walked if isinstance(n, ast.Assign) and len(n.targets) == 1
             and isinstance(n.targets[0], ast.Name) and n.targets[0].id == archive.id]
    found += [n.context_expr for n in walked if isinstance(n, ast.withitem)
              and isinstance(n.optional_vars, ast.Name) and n.optional_vars.id == archive.id]
    return found if len(found) == stores else []


def _from_object(ev: Evaluator, value: ast.expr) -> bool:
    return isinstance(value, ast.Call) and ev.qualname(value.func) in _OPENERS \
        and (len(value.args) > 2 or any(k.arg == "fileobj" for k in value.keywords))

"""What a tar archive being extracted holds (the `unfiltered_archive` sink model): an archive
read from a file object (`tarfile.open(fileobj=io.BytesIO(body))`) holds the members that
object's bytes encode. An in-memory buffer names no file, so it is clean as a path
(sanitizers.toml), but the names of the members in it are still the sender's. Kept apart from
sinks.py: which archive a receiver is, found from the syntax of its binding, is a concern of its
own. An archive opened by the name of a file the function saved an upload to (`upload.save(path);
tarfile.open(path)`, `tmp.write(upload.read()); tarfile.open(tmp.name)`) holds the sender's members
too, whatever the name (`_saved_uploads`); unless each member's resolved path is checked to stay
inside the destination before (the tarfile documentation's advice for Pythons without filters).
Stateless."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import FILE_OPENERS, Value, join_all
from bastion.analyzers.taint.no_return import NO_RETURN
from bastion.analyzers.taint.nodes import nodes
from bastion.analyzers.taint.read_ahead import whole_function
from bastion.analyzers.taint.verdicts import MEMBERS_CHECKED, SANITIZED, record_at

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

_OPENERS = frozenset({"tarfile.open", "tarfile.TarFile", "tarfile.TarFile.open", "tarfile.TarFile.gzopen",
                      "tarfile.TarFile.bz2open", "tarfile.TarFile.xzopen"})


def members_value(ev: Evaluator, node: ast.Call, receiver: Value) -> Value:
    """`receiver`, the archive `node` extracts from, as its members: not clean as a path when
    every opening of it the function writes reads a file object (`fileobj=`, or the third
    argument), at the call (`tarfile.open(fileobj=buf).extractall()`) or bound to its name
    (`with tarfile.open(fileobj=buf) as tar:`, `tar = ...`); the upload itself, not clean as a
    path, when it was saved at the name the archive is opened by. Clean when the function checks
    each member's path is inside a directory first (`_members_checked`)."""
    if not isinstance(node.func, ast.Attribute):
        return receiver
    checked = _members_checked(ev, node.func.value)
    if checked is not None:
        if checked:  # bandit's advice (B202) followed: verdicts.py retracts its finding
            record_at(ev, node, MEMBERS_CHECKED, SANITIZED)
        return receiver.evolve(clean=receiver.clean | {"path"})
    opened = _openings(ev, node.func.value)
    saved = _saved_uploads(ev, opened)
    if saved is not None:
        return join_all([receiver, saved.evolve(clean=saved.clean - {"path"})])
    if not receiver.taint or "path" not in receiver.clean:
        return receiver
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


# What a written file holds when the data is read whole from an upload (`upload.read()`)
_WHOLE_READS = frozenset({"read", "getvalue", "getbuffer"})


def _saved_uploads(ev: Evaluator, opened: list[ast.expr]) -> Value | None:
    """The request data the function saved at the name each opening reads (`tarfile.open(path)`):
    by a file's `save(path)` (Werkzeug's and Bottle's uploads), or written by `write` to the handle
    opened at that name or whose `name` it is (`with open(path, "wb") as out`, a named temporary
    file); None when it saved none there."""
    names = [_opened_name(ev, call) for call in opened]
    if not names or None in names:
        return None
    wanted = {ast.dump(name) for name in names if name is not None}
    handles = {name.value.id for name in names if isinstance(name, ast.Attribute) and name.attr == "name"
               and isinstance(name.value, ast.Name)}
    function = whole_function(ev)
    if function is None:
        return None
    walked = nodes(function.node)
    for node in walked:  # `with open(path, "wb") as out`, `out = open(path, "wb")`
        opener, bound = (node.context_expr, node.optional_vars) if isinstance(node, ast.withitem) \
            else (node.value, node.targets[0]) if isinstance(node, ast.Assign) and len(node.targets) == 1 \
            else (None, None)
        if isinstance(bound, ast.Name) and isinstance(opener, ast.Call) and opener.args \
                and ast.dump(opener.args[0]) in wanted and ev.qualname(opener.func) in FILE_OPENERS:
            handles.add(bound.id)
    written = [_written(ev, node) for node in walked if isinstance(node, ast.Call) and node.args
               and isinstance(node.func, ast.Attribute) and (
                   node.func.attr == "save" and ast.dump(node.args[0]) in wanted
                   or node.func.attr == "write" and isinstance(node.func.value, ast.Name)
                   and node.func.value.id in handles)]
    data = [value for value in written if value is not None and value.taint]
    return join_all(data) if data else None


def _opened_name(ev: Evaluator, call: ast.expr) -> ast.expr | None:
    """The file name an archive opening reads (`tarfile.open(path)`, `name=`)."""
    if not isinstance(call, ast.Call) or ev.qualname(call.func) not in _OPENERS:
        return None
    return call.args[0] if call.args else next((k.value for k in call.keywords if k.arg == "name"), None)


def _written(ev: Evaluator, call: ast.Call) -> Value | None:
    """What `upload.save(path)` or `out.write(data)` puts in the file: the upload, or the data
    (of `upload.read()`, the object read), when reading it again calls nothing."""
    if call.func.attr == "save":  # type: ignore[attr-defined]
        source = call.func.value  # type: ignore[attr-defined]
    else:
        source = call.args[0]
        if isinstance(source, ast.Call) and isinstance(source.func, ast.Attribute) \
                and source.func.attr in _WHOLE_READS and not source.args:
            source = source.func.value
    if any(isinstance(n, (ast.Call, ast.NamedExpr, ast.Lambda, ast.Await)) for n in nodes(source)):
        return None
    return ev.eval(source)


# Containment tests of a resolved path (`os.path.commonpath([dest, target]) == dest`,
# `target.startswith(dest + os.sep)`, `Path(target).is_relative_to(dest)`)
_CONTAINMENT = frozenset({"os.path.commonpath", "posixpath.commonpath", "startswith", "is_relative_to"})
_RESOLVERS = frozenset({"os.path.realpath", "os.path.abspath", "posixpath.realpath", "posixpath.abspath"})
_MEMBER_LISTS = frozenset({"getmembers", "getnames"})
_TYPE_TESTS = frozenset({"issym", "islnk", "isfile", "isreg", "isdev"})


def _members_checked(ev: Evaluator, archive: ast.expr) -> bool | None:
    """Whether the function loops over the archive's members (`for member in tar.getmembers()`,
    `for member in tar`) and, in that loop, leaves it (`raise`, `return`, `abort(400)`) when a
    containment test of a member's name, resolved (`os.path.realpath`, `Path.resolve`), fails
    (None: not so); True when the loop tests the member's type too (`member.issym()`,
    `isfile()`): a link written first and a member written through it pass the name's test, as
    its target does not exist yet when it is resolved."""
    function = whole_function(ev) if isinstance(archive, ast.Name) else None
    if function is None:
        return None
    for loop in nodes(function.node):
        if not isinstance(loop, ast.For) or not isinstance(loop.target, ast.Name) \
                or not _over_members(loop.iter, archive.id):
            continue
        body = [n for statement in loop.body for n in nodes(statement)]
        resolved = any(isinstance(n, ast.Call) and (ev.qualname(n.func) in _RESOLVERS or isinstance(
            n.func, ast.Attribute) and n.func.attr == "resolve") for n in body)
        named = any(isinstance(n, ast.Name) and n.id == loop.target.id for n in body)
        if resolved and named and any(isinstance(n, ast.If) and _contained(ev, n) for n in body):
            return any(isinstance(n, ast.If) and _types_refused(ev, n) for n in body)
    return None


def _over_members(iterated: ast.expr, archive: str) -> bool:
    if isinstance(iterated, ast.Call) and isinstance(iterated.func, ast.Attribute) \
            and iterated.func.attr in _MEMBER_LISTS:
        iterated = iterated.func.value
    return isinstance(iterated, ast.Name) and iterated.id == archive


def _contained(ev: Evaluator, test: ast.If) -> bool:
    """An `if` whose test calls a containment test and whose branch taken leaves the loop."""
    tests = any(isinstance(n, ast.Call) and (ev.qualname(n.func) in _CONTAINMENT or isinstance(
        n.func, ast.Attribute) and n.func.attr in _CONTAINMENT) for n in nodes(test.test))
    return tests and _leaves(ev, test)


def _types_refused(ev: Evaluator, test: ast.If) -> bool:
    """An `if` whose test asks a member's type (`member.issym()`, `isfile()`) and whose branch
    taken leaves the loop: a type asked only to count or log refuses nothing."""
    tests = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr in _TYPE_TESTS
                for n in nodes(test.test))
    return tests and _leaves(ev, test)


def _leaves(ev: Evaluator, test: ast.If) -> bool:
    return any(isinstance(n, (ast.Raise, ast.Return)) or isinstance(n, ast.Call)
               and ev.qualname(n.func) in NO_RETURN for branch in (test.body, test.orelse)
               for statement in branch for n in nodes(statement))

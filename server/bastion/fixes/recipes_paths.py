"""BST201: a request value joined under a base folder keeps only its file name
(`os.path.join(BASE, name)` -> `os.path.join(BASE, os.path.basename(name))`, the same for
`BASE / name`), so `../` cannot leave the folder. Offered only where a base folder is there: a
bare `open(name)` would change meaning (a name relative to the working directory)."""

from __future__ import annotations

import libcst as cst

from bastion.fixes.base import REVIEW, Rewrite, recipe
from bastion.fixes.target import Target, positional

_JOINS = ("os.path.join", "posixpath.join")
_BASENAMES = ("os.path.basename", "posixpath.basename", "werkzeug.utils.secure_filename")


def _basename(t: Target, value: cst.BaseExpression) -> cst.BaseExpression:
    func = cst.parse_expression(f"{t.module_name('os')}.path.basename")
    return cst.Call(func=func, args=[cst.Arg(value)])


_PATHS = ("pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath")


def _is_base(t: Target, node: cst.BaseExpression) -> bool:
    """A base folder: a string, a name or attribute (a module constant, a setting), or a path
    made of those (`Path("/srv") / "docs"`)."""
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.Name, cst.Attribute)):
        return True
    if isinstance(node, cst.Call) and t.call_qualname(node) in (*_PATHS, *_JOINS):
        return all(not a.keyword and not a.star and _is_base(t, a.value) for a in node.args)
    return (isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide)
            and _is_base(t, node.left) and _is_base(t, node.right))


def _kept(t: Target, node: cst.BaseExpression) -> bool:
    return _is_base(t, node) or (isinstance(node, cst.Call)
                                 and t.call_qualname(node) in _BASENAMES)


def _confined(t: Target, path: cst.BaseExpression) -> cst.BaseExpression | None:
    """The path with each joined value reduced to its file name, or None when the path has no
    constant base folder first or nothing to reduce."""
    if isinstance(path, cst.Call) and t.call_qualname(path) in _JOINS:
        args = positional(path)
        if len(args) != len(path.args) or len(args) < 2 or not _is_base(t, args[0].value):
            return None
        new = [a if i == 0 or _kept(t, a.value) else a.with_changes(value=_basename(t, a.value))
               for i, a in enumerate(path.args)]
        return path.with_changes(args=new) if new != list(path.args) else None
    if isinstance(path, cst.BinaryOperation) and isinstance(path.operator, cst.Divide) \
            and not isinstance(path.right, cst.BinaryOperation):
        if not _is_base(t, path.left) or _kept(t, path.right):
            return None
        return path.with_changes(right=_basename(t, path.right))
    return None


@recipe("BST201")
def keep_the_file_name(t: Target):
    call = t.at_finding(cst.Call)
    if not isinstance(call, cst.Call):
        return None
    args = positional(call)
    path = args[0].value if args else None
    if isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.BinaryOperation):
        path = call.func.value  # `(BASE / name).read_text()`
    new = _confined(t, path) if path is not None else None
    if new is None:
        return None
    return Rewrite("basename", "keep only the file name of the request value", REVIEW,
                   t.replace(path, new), imports=("os",),
                   note="only the last part of the value is used, so `../x` cannot leave the "
                        "base folder, but subfolders no longer work either, and a value of "
                        "`..` alone still names the folder above: check no caller needs a "
                        "subfolder and that `.` and `..` are refused where a folder is listed "
                        "(or resolve the path with os.path.realpath and check it is still under "
                        "the base folder)",
                   check="no caller needs a subfolder")

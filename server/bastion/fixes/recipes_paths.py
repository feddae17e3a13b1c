"""BST201: two fixes for a request value joined under a base folder.

- keep only its file name (`os.path.join(BASE, name)` -> `os.path.join(BASE,
  os.path.basename(name))`, the same for `BASE / name`), so `../` cannot leave the folder;
- or resolve the path and refuse it unless it is still inside the folder, in lines added before
  the statement (subfolders keep working):

      safe_path = os.path.realpath(os.path.join(BASE, name))
      if not safe_path.startswith(os.path.realpath(BASE) + os.sep):
          raise PermissionError("the path is outside the base folder")
      return open(safe_path).read()

  (`(BASE / name).resolve()` and `is_relative_to(BASE.resolve())` for pathlib paths), where the
  statement is one simple statement, the smallest place the check can go in front of.

Offered only where a base folder is there: a bare `open(name)` would change meaning (a name
relative to the working directory).
"""

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


def _sink_path(t: Target) -> cst.BaseExpression | None:
    """The path the sink call at the finding opens: its first argument, or the path a method is
    called on (`(BASE / name).read_text()`)."""
    call = t.at_finding(cst.Call)
    if not isinstance(call, cst.Call):
        return None
    if isinstance(call.func, cst.Attribute) and isinstance(call.func.value, cst.BinaryOperation):
        return call.func.value
    args = positional(call)
    return args[0].value if args else None


@recipe("BST201")
def keep_the_file_name(t: Target):
    path = _sink_path(t)
    new = _confined(t, path) if path is not None else None
    if new is None:
        return None
    return Rewrite("basename", "keep only the file name of the request value", REVIEW,
                   t.replace(path, new), imports=("os",),
                   note="only the last part of the value is used, so `../x` cannot leave the "
                        "base folder, but subfolders no longer work either, and a value of "
                        "`..` alone still names the folder above: check no caller needs a "
                        "subfolder and that `.` and `..` are refused where a folder is listed "
                        "(or take the containment check, which keeps subfolders)",
                   check="no caller needs a subfolder")


_NAMES = ("safe_path", "contained_path", "resolved_path")
_REFUSE = 'raise PermissionError("the path is outside the base folder")'


def _split_path(t: Target, path: cst.BaseExpression) -> tuple[cst.BaseExpression, bool] | None:
    """The base folder of a joined path, and whether the path is a pathlib one."""
    if isinstance(path, cst.Call) and t.call_qualname(path) in _JOINS:
        args = positional(path)
        if len(args) == len(path.args) and len(args) >= 2 and _is_base(t, args[0].value):
            return args[0].value, False
        return None
    if isinstance(path, cst.BinaryOperation) and isinstance(path.operator, cst.Divide) \
            and _is_base(t, path.left) and not _is_base(t, path.right):
        return path.left, True
    return None


def _atom(node: cst.BaseExpression, code: str) -> str:
    """`code` ready for a method call: an operation not already in parentheses gets them."""
    return f"({code})" if isinstance(node, cst.BinaryOperation) and not node.lpar else code


@recipe("BST201")
def check_containment(t: Target):
    path = _sink_path(t)
    split = _split_path(t, path) if path is not None else None
    line = t.simple_line()
    name = t.unused_name(_NAMES)
    if split is None or name is None or line is None:
        return None
    base, pathlib = split
    base_code, path_code = t.node_code(base), t.node_code(path)
    os_name = t.module_name("os")
    if pathlib:
        resolve = f"{name} = {_atom(path, path_code)}.resolve()"
        test = f"if not {name}.is_relative_to({_atom(base, base_code)}.resolve()):"
    else:
        resolve = f"{name} = {os_name}.path.realpath({path_code})"
        test = f"if not {name}.startswith({os_name}.path.realpath({base_code}) + {os_name}.sep):"
    text = t.lines_before(line, f"{resolve}\n{test}\n    {_REFUSE}\n", path, cst.Name(name))
    return Rewrite("containment", "refuse a path outside the base folder", REVIEW, text,
                   imports=("os",) if not pathlib and os_name == "os" else (),
                   note="the path is resolved (symbolic links and `..` followed) and refused "
                        "with PermissionError unless it is inside the base folder: subfolders "
                        "still work, but a link inside the folder that points out of it is now "
                        "refused. Check how a refused path should answer (in a web view, a 404 "
                        "or 400 rather than the 500 an uncaught PermissionError gives)",
                   check="the answer for a refused path")

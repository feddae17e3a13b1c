"""What a reader of a path or a URL is given (pandas' `read_csv`, `read_json`, ...: the
`path_or_url` sink model). Request data as the name is path traversal: one finding, BST201,
whether the value then names a local file, a `file://` URL or another host: a name the request
chooses whole can be any of them. Not data written after a constant URL of a fixed host
(`pd.read_csv(f"https://api.example.com/export.csv?id={item}")`: a document of that host, not
a file of the server nor another host), nor an uploaded file object, whose content is read
(`pd.read_csv(request.files["data"])`, its `.stream`, FastAPI's `upload.file`, each of
`request.files.getlist("rows")`, the `.file` of a field of aiohttp's `await request.post()`, a
Django form's `cleaned_data["data"]` of a `FileField`), as the code writes them at the call or in
every binding of the name it passes."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.taint.argv import leading_text
from bastion.analyzers.taint.domain import NONE, Value
from bastion.analyzers.taint.forms import UPLOADED
from bastion.analyzers.taint.nodes import nodes
from bastion.analyzers.taint.read_ahead import whole_function
from bastion.analyzers.taint.signatures import named, packed
from bastion.deferred_patterns import deferred

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# a scheme and a host, then the path, query or fragment: the host cannot change after it
_FIXED_HOST = deferred(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#@\\]+[/?#]")
_UPLOADS = (".files", ".FILES")  # a request's uploaded files by field name (Flask, Django, Quart)
_STREAMS = frozenset({"stream", "file"})  # an upload's file object: Werkzeug's, Starlette's
_LOOPS = (ast.For, ast.AsyncFor, ast.comprehension)
_FORM_POSTS = ("aiohttp.web.Request.post()", "aiohttp.web.BaseRequest.post()")  # fields by name


def not_a_name(ev: Evaluator, node: ast.Call, keywords: tuple[str, ...]) -> bool:
    """Whether the reader's first argument (or one of `keywords`) is a URL of a fixed host or an
    uploaded file, written so at the call or in every assignment in the function of the name
    passed (`url = f"https://host/{name}.csv"`, `upload = request.files["data"]`)."""
    given = node.args[0] if node.args else next(
        (k.value for k in node.keywords if k.arg in keywords), None)
    if not isinstance(given, ast.Name):
        return given is not None and _read_not_named(ev, given)
    # `for upload in request.files.getlist("rows")` / `.values()`: each an uploaded file
    return _bound_to_all(ev, given.id, lambda value: _read_not_named(ev, value),
                         lambda iterated: _uploads(ev, iterated))


def _bound_to_all(ev: Evaluator, name: str, test: Callable[[ast.expr], bool],
                  each: Callable[[ast.expr], bool] | None = None) -> bool:
    """Every binding of `name` in the function (one at least) is an assignment of a value
    passing `test`, or a loop over an iterable passing `each`."""
    function = whole_function(ev)
    if function is None or name in _parameters(function.node):
        return False  # a parameter holds the caller's value until it is bound again
    walked = nodes(function.node)
    bound = [n for n in walked if isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)]
    found = [test(n.value) for n in walked if isinstance(n, ast.Assign) and len(n.targets) == 1
             and isinstance(n.targets[0], ast.Name) and n.targets[0].id == name]
    found += [each is not None and each(n.iter) for n in walked if isinstance(n, _LOOPS)
              and isinstance(n.target, ast.Name) and n.target.id == name]
    return bool(found) and len(found) == len(bound) and all(found)


def uploaded_file(ev: Evaluator, node: ast.expr) -> bool:
    """Whether `node` is an uploaded file object, written so (`request.files["data"]`) or a name
    every binding of which is one, or a parameter typed `UploadFile`."""
    if isinstance(node, ast.Name):
        return _typed_upload(ev, node.id) or _bound_to_all(
            ev, node.id, lambda value: _upload(ev, value), lambda iterated: _uploads(ev, iterated))
    return _upload(ev, node)


def _read_not_named(ev: Evaluator, node: ast.expr) -> bool:
    return _FIXED_HOST().match(leading_text(node)) is not None or _upload(ev, node) \
        or _held(ev, node).kind == UPLOADED


def _held(ev: Evaluator, node: ast.expr, depth: int = 0) -> Value:
    """What a name's slot holds, read without evaluating anything: `form.cleaned_data["data"]`
    of a form's file field is an uploaded file (forms.py), its content read."""
    if isinstance(node, ast.Name):
        return (ev.env or {}).get(node.id, NONE)
    key = node.attr if isinstance(node, ast.Attribute) else node.slice.value \
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) else None
    if key is None or depth == 2:
        return NONE
    holder = _held(ev, node.value, depth + 1)
    return holder.items.get(key, NONE) if holder.items else NONE


def _upload(ev: Evaluator, node: ast.expr) -> bool:
    """`request.files["data"]`, `request.files.get("data")`, their `.stream`, the `.file` of a
    parameter typed `UploadFile`, and of a field of aiohttp's posted form (`form["data"].file`)."""
    if isinstance(node, ast.Attribute) and node.attr in _STREAMS:
        if isinstance(node.value, ast.Name) and node.attr == "file":
            return _typed_upload(ev, node.value.id) or _bound_to_all(
                ev, node.value.id, lambda value: _item_of(ev, value, _posted_form))
        if node.attr == "file" and _item_of(ev, node.value, _posted_form):
            return True
        node = node.value
    return _item_of(ev, node, _container)


def _item_of(ev: Evaluator, node: ast.expr, container: Callable[[Evaluator, ast.expr], bool]) -> bool:
    """`node` is `c["name"]` or `c.get("name")` of a `container`."""
    if isinstance(node, ast.Subscript):
        return container(ev, node.value)
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr == "get" and container(ev, node.func.value)


def _posted_form(ev: Evaluator, node: ast.expr) -> bool:
    """aiohttp's `await request.post()`, written there or bound to the name in the function."""
    if isinstance(node, ast.Name):
        # not through another name: `form = form` would never end
        return _bound_to_all(ev, node.id, lambda value: not isinstance(value, ast.Name)
                             and _posted_form(ev, value))
    return isinstance(node, ast.Await) and ev.qualname(node.value) in _FORM_POSTS


def _uploads(ev: Evaluator, node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
        and node.func.attr in ("getlist", "values") and _container(ev, node.func.value)


def _container(ev: Evaluator, node: ast.expr) -> bool:
    name = ev.qualname(node)
    return name is not None and name.endswith(_UPLOADS)


def _typed_upload(ev: Evaluator, name: str) -> bool:
    function = whole_function(ev)
    annotation = _parameters(function.node).get(name) if function is not None else None
    spelled = annotation.attr if isinstance(annotation, ast.Attribute) else \
        annotation.id if isinstance(annotation, ast.Name) else None
    return spelled == "UploadFile"


def _parameters(node: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.expr | None]:
    """The function's parameters by name, with their annotations."""
    arguments = node.args
    return {a.arg: a.annotation for a in (*named(arguments), *packed(arguments))}

"""Where a Django project's settings say its templates are: the folders of `TEMPLATES = [{"DIRS":
[...]}]` (or the old `TEMPLATE_DIRS`), and the `templates` folder of each of its `INSTALLED_APPS`
(Django's app directories loader); and where its user model is declared: `AUTH_USER_MODEL =
"accounts.User"` names the class `User` of the installed app labelled `accounts` (by default its
package's last name, else the `label` an AppConfig of its `apps.py` sets), in that app's
`models.py` (user_models.py reads it).

The settings module is the one `manage.py` names (`DJANGO_SETTINGS_MODULE`, "mysite.settings"),
else a `settings.py` beside the view or in one of its parent folders, up to the root; a settings
module that configures no templates is followed into the modules it star-imports relatively
(`from .base import *`). Settings are read, never imported: only constant forms are evaluated,
string literals, `__file__`, `Path(...)`, `/`, `.parent`, `.parents[n]`, `.resolve()`,
`os.path.join` / `dirname` / `abspath`, `str(...)` and lists joined by `+`, module-level names
bound to them. Files are read through `files.read_limited` (regular files, a size cap, inside
the root) and kept by (mtime, size); one the editor holds open is read from its text instead
(`opened`, the same limits), kept by its digest: an unsaved edit of settings.py moves the
templates as a saved one does. Each file looked at is stamped in the caller's identity, so
that an edited settings module changes the module digest (function memo, result caches).

Owner: template_files.TemplateFiles holds one `DjangoSettings` (guarded by its own lock);
user_models.ProjectUsers asks the same one, and keeps what it reads of a user model's file in it.
"""

from __future__ import annotations

import ast
import os
import re
import threading
from collections.abc import Callable

from bastion.digests import blake2b
from bastion.files import UnreadableSource, decode_source, lies_within, open_or_disk, read_opened
from bastion.parsing import parse_code

_MAX_SETTINGS_BYTES = 256 * 1024
_MAX_FILES = 4  # settings modules one project reads: the one named, what it star-imports
_MAX_APPS = 32
_MAX_CACHED = 128
_NAMED = re.compile(r"""DJANGO_SETTINGS_MODULE["']\s*,\s*["']([A-Za-z_][\w.]{0,200})["']""")
_PATH_CALLS = frozenset({"Path", "pathlib.Path", "PurePath", "pathlib.PurePath", "os.path.join"})
_SAME_CALLS = frozenset({"str", "os.path.abspath", "os.path.realpath", "os.path.normpath",
                         "os.fspath"})
_SAME_METHODS = frozenset({"resolve", "absolute", "expanduser"})

Value = str | list[str] | None
Opened = Callable[[str], str | None] | None


class DjangoSettings:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        # path -> ((mtime, size), what it yields): manage.py -> settings module name, a settings
        # module -> (template folders, app folders, star-imported modules)
        self._read: dict[str, tuple[tuple, object]] = {}

    def folders(self, walked: list[str], roots: tuple[str, ...], identity: blake2b,
                opened: Opened = None) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(the template folders the settings name, the template folders of the installed apps)
        for a view whose folder and parents are `walked`; `opened`: a normalised path -> the
        editor's text of that file, None when it is not open."""
        found = self._project(walked, roots, identity, opened)
        return (found[0], tuple(os.path.join(app, "templates") for app in found[1])) \
            if found is not None else ((), ())

    def user_model(self, walked: list[str], roots: tuple[str, ...], identity: blake2b,
                   opened: Opened = None) -> tuple[tuple[str, ...], str] | None:
        """(the files that may declare it, its class name) of the user model the settings name
        (`AUTH_USER_MODEL`), when it is one of the project's apps'; None without one."""
        found = self._project(walked, roots, identity, opened)
        if found is None or found[2] is None:
            return None
        label, _, name = found[2].rpartition(".")
        folders = [app for app in found[1] if os.path.basename(app) == label or label in (
            self.kept(os.path.join(app, "apps.py"), roots, identity, _config_labels, opened) or ())]
        return (tuple(path for app in folders for path in (os.path.join(app, "models.py"),
                                                           os.path.join(app, "models", "__init__.py"))),
                name) if folders and name.isidentifier() else None

    def _project(self, walked: list[str], roots: tuple[str, ...], identity: blake2b,
                 opened: Opened) -> tuple[tuple[str, ...], tuple[str, ...], str | None] | None:
        """What the project's settings say (`_settings`), found as `folders` says."""
        for folder in walked:
            manage = os.path.join(folder, "manage.py")
            named = self.kept(manage, roots, identity, _settings_name, opened)
            if isinstance(named, str):
                parts = named.split(".")
                module = os.path.join(folder, *parts)
                for candidate in (module + ".py", os.path.join(module, "__init__.py")):
                    found = self._settings(candidate, folder, roots, identity, opened)
                    if found is not None:
                        return found
        for folder in walked:  # its project is its parent folder (mysite/settings.py)
            project = os.path.dirname(folder) if folder != walked[-1] else folder
            found = self._settings(os.path.join(folder, "settings.py"), project, roots, identity,
                                   opened)
            if found is not None:
                return found
        return None

    def _settings(self, path: str, project: str, roots: tuple[str, ...], identity: blake2b, opened: Opened
                  ) -> tuple[tuple[str, ...], tuple[str, ...], str | None] | None:
        """(template folders, the installed apps' folders, `AUTH_USER_MODEL`) a settings module
        (and what it star-imports) configures; None when there is no such file."""
        dirs: list[str] = []
        apps: list[str] = []
        user: str | None = None
        waiting, seen, first = [path], set(), True
        while waiting and len(seen) < _MAX_FILES:
            current = waiting.pop(0)
            if current in seen:
                continue
            seen.add(current)
            read = self.kept(current, roots, identity, lambda t, p=current: _evaluate(t, p, project),
                              opened)
            if not isinstance(read, tuple):
                if first:
                    return None
                continue
            first = False
            found_dirs, found_apps, imported, found_user = read
            dirs.extend(found_dirs)
            apps.extend(found_apps)
            user = user or found_user
            if not found_dirs:  # (a user model named only in a module it star-imports is not found)
                waiting.extend(imported)
        return tuple(dict.fromkeys(dirs)), tuple(dict.fromkeys(apps))[:_MAX_APPS], user

    def kept(self, path: str, roots: tuple[str, ...], identity: blake2b, parse,
             opened: Opened) -> object:
        """What `parse` makes of the file's text (None when it is not a readable file), kept
        by its stamp; a file that exists, or is open, is stamped in `identity`. A project's
        user model file is read through it too (user_models.py): one parse a path."""
        data, stamp = open_or_disk(path, opened)
        if stamp is None:
            return None
        identity.update(f"settings\0{path}\0{stamp}\0".encode("utf-8", "replace"))
        with self._lock:
            kept = self._read.get(path)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        value = None
        if not roots or lies_within(path, roots):
            try:
                value = parse(decode_source(read_opened(path, data, _MAX_SETTINGS_BYTES, "settings")))
            except (UnreadableSource, UnicodeDecodeError, SyntaxError, ValueError, RecursionError):
                value = None
        with self._lock:
            if len(self._read) >= _MAX_CACHED:
                self._read.clear()
            self._read[path] = (stamp, value)
        return value

    def forget(self) -> None:
        with self._lock:
            self._read.clear()


def may_name_templates(path: str) -> bool:
    """Whether a Python file may be one a Django project's template folders are read from
    (manage.py, a settings module or package): its edit may change where templates are."""
    name = os.path.basename(path)
    return name == "manage.py" or "settings" in name \
        or os.path.basename(os.path.dirname(path)) == "settings"


def _settings_name(text: str) -> str | None:
    match = _NAMED.search(text)
    return match.group(1) if match else None


def _evaluate(text: str, path: str, project: str
              ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], str | None]:
    """(template folders, app folders, relatively star-imported modules, `AUTH_USER_MODEL`) of
    a settings module's text."""
    paths: dict[str, Value] = {"__file__": path}
    strings: dict[str, Value] = {}  # the same names, their strings as written (app lists)
    dirs: list[str] = []
    apps: list[str] = []
    imported: list[str] = []
    user = None
    here = os.path.dirname(path)
    for statement in parse_code(text).body:
        if isinstance(statement, ast.ImportFrom) and statement.level == 1 and statement.module \
                and any(alias.name == "*" for alias in statement.names):
            imported.append(os.path.join(here, *statement.module.split(".")) + ".py")
        if not isinstance(statement, ast.Assign) or len(statement.targets) != 1 \
                or not isinstance(statement.targets[0], ast.Name):
            continue
        target = statement.targets[0].id
        if target == "TEMPLATES" and isinstance(statement.value, ast.List | ast.Tuple):
            for backend in statement.value.elts:
                if isinstance(backend, ast.Dict):
                    dirs.extend(_dirs_of(backend, paths, project))
        elif target == "TEMPLATE_DIRS":
            dirs.extend(_paths(_value(statement.value, paths, project)))
        elif target == "AUTH_USER_MODEL" and isinstance(statement.value, ast.Constant) \
                and isinstance(statement.value.value, str):
            user = statement.value.value
        elif target == "INSTALLED_APPS":
            apps.extend(_app_folder(project, app)
                        for app in _paths(_value(statement.value, strings, project, literal=True)))
        else:
            paths[target] = _value(statement.value, paths, project)
            strings[target] = _value(statement.value, strings, project, literal=True)
    return tuple(dirs), tuple(a for a in apps if a), tuple(imported), user


def _config_labels(text: str) -> frozenset[str]:
    """The labels an app's `apps.py` gives it: an AppConfig's `label = "accounts"`, which
    `AUTH_USER_MODEL` names in place of the app's folder."""
    return frozenset(item.value.value for node in parse_code(text).body if isinstance(node, ast.ClassDef)
                     and any(ast.unparse(base).endswith("AppConfig") for base in node.bases)
                     for item in node.body if isinstance(item, ast.Assign) and len(item.targets) == 1
                     and isinstance(item.targets[0], ast.Name) and item.targets[0].id == "label"
                     and isinstance(item.value, ast.Constant) and isinstance(item.value.value, str))


def _dirs_of(backend: ast.Dict, names: dict[str, Value], project: str) -> list[str]:
    for key, value in zip(backend.keys, backend.values, strict=True):
        if isinstance(key, ast.Constant) and key.value == "DIRS" and value is not None:
            return _paths(_value(value, names, project))
    return []


def _paths(value: Value) -> list[str]:
    return value if isinstance(value, list) else []


def _app_folder(project: str, app: str) -> str | None:
    """The folder of an installed app ("blog", "blog.apps.BlogConfig"); None for Django's own
    and other installed packages' (not in the project: their folder is absent)."""
    parts = app.split(".")
    while parts and parts[-1][:1].isupper():  # an AppConfig class
        parts.pop()
    if len(parts) > 1 and parts[-1] == "apps":
        parts.pop()
    if not parts or parts[0] == "django" or any(not p.isidentifier() for p in parts):
        return None
    return os.path.join(project, *parts)


def _value(node: ast.expr, names: dict[str, Value], project: str, literal: bool = False) -> Value:
    """A path (absolute, normalised) or a list of them; with `literal`, strings as written."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if literal else os.path.normpath(os.path.join(project, node.value))
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.List | ast.Tuple):
        items = [_value(e, names, project, literal) for e in node.elts]
        return [i for i in items if isinstance(i, str)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _value(node.left, names, project, literal), _value(node.right, names, project,
                                                                         literal)
        return left + right if isinstance(left, list) and isinstance(right, list) else None
    if literal:
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return _joined([_value(node.left, names, project), _segment(node.right)])
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        return _up(_value(node.value, names, project), 1)
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) \
            and node.value.attr == "parents" and isinstance(node.slice, ast.Constant) \
            and isinstance(node.slice.value, int) and 0 <= node.slice.value < 32:
        return _up(_value(node.value.value, names, project), node.slice.value + 1)
    if isinstance(node, ast.Call) and not node.keywords:
        return _call(node, names, project)
    return None


def _call(node: ast.Call, names: dict[str, Value], project: str) -> Value:
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr in _SAME_METHODS and not node.args:
        return _value(func.value, names, project)
    if isinstance(func, ast.Attribute) and func.attr == "joinpath":
        return _joined([_value(func.value, names, project), *map(_segment, node.args)])
    called = ast.unparse(func)
    if called in _SAME_CALLS and len(node.args) == 1:
        return _value(node.args[0], names, project)
    if called == "os.path.dirname" and len(node.args) == 1:
        return _up(_value(node.args[0], names, project), 1)
    if called in _PATH_CALLS and node.args:
        return _joined([_value(node.args[0], names, project), *map(_segment, node.args[1:])])
    return None


def _segment(node: ast.expr) -> str | None:
    """A relative part joined to a path: a string literal."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _joined(parts: list) -> str | None:
    if not parts or not isinstance(parts[0], str) or not all(isinstance(p, str) for p in parts):
        return None
    return os.path.normpath(os.path.join(*parts))


def _up(value: Value, levels: int) -> str | None:
    if not isinstance(value, str):
        return None
    for _ in range(levels):
        value = os.path.dirname(value)
    return value

"""Template files a view renders (Flask's `render_template("hello.html", name=...)`, Django's
`render(request, "blog/post.html", {...})`): where each prints a context variable without
escaping it for HTML.

A module's templates are the string constants of its text that name a template file (by
extension), found as Flask and Django look for them: in a `templates` folder (or one the module
configures: `Flask(template_folder=...)`, `Jinja2Templates(directory=...)`, a Jinja2
`FileSystemLoader`; for Tornado, the folder itself, where a handler without `template_path`
looks) beside the module or beside one of its parent folders, up to the root the
module lies in (the workspace folder or scan root; without one, the module's folder and its
parent only); for a Django module, first in the folders its project's settings name and last in
its installed apps' (django_settings.py). The macros a template calls are read from it and
the files it imports (template_macros.py); what a file prints is parsed by template_parse.py.
A template is read through `files.read_limited` (a regular file, at most 1 MiB, inside that
root once links are resolved) and kept by (path, mtime, size): a keystroke costs one `stat` per
template the module names, and a changed template changes the module's digest (the function
memo, the result caches).

Owner: the TaintAnalyzer holds one `TemplateFiles`; its cache is guarded by a lock (the engine
analyses on several threads).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable

from bastion import attrs_classes
from bastion.analyzers.taint.django_settings import DjangoSettings
from bastion.analyzers.taint.template_macros import called
from bastion.analyzers.taint.template_parse import MAX_CHAIN, Template, parse_template
from bastion.deferred_patterns import deferred
from bastion.digests import blake2b
from bastion.files import UnreadableSource, decode_source, lies_within, open_or_disk, read_opened

MAX_TEMPLATE_BYTES = 1024 * 1024
# A module that renders a template file names one of these (`render_template`, `render`,
# `TemplateResponse`, `Jinja2Templates`, aiohttp_jinja2's `@template` decorator): the analyzer
# asks for its templates only then
RENDER_WORDS = ("render", "Template", "aiohttp_jinja2", "bottle")
_MAX_CACHED = 512
_MAX_PER_MODULE = 64
# A template's name as a view writes it, "hello.html", "blog/post.html": found by its extension
# and closing quote (a search led by a literal), then read back to its opening quote
TEMPLATE_SUFFIXES = ("html", "htm", "xhtml", "xml", "svg", "j2", "jinja", "jinja2", "txt", "tpl", "thtml",
                     "stpl")
_EXTENSION = deferred(r"\.(?:" + "|".join(TEMPLATE_SUFFIXES) + r""")(?=["'])""")
_NAME = deferred(r"[\w][\w./-]{0,200}")
# Bottle names a template without its extension, `template("hello", name=name)`, `@view("hello")`,
# and looks for it in its TEMPLATE_PATH (`./`, `./views/`), as named, then with each of these
_BOTTLE_NAME = deferred(r"""\b(?:jinja2_)?(?:view|template)\(\s*(["'])([\w][\w./-]{0,200})\1\s*[,)]""")
BOTTLE_FOLDERS = ("", "views")
BOTTLE_EXTENSIONS = ("tpl", "html", "thtml", "stpl")
# Tornado's handler without a `template_path` setting loads a template from the folder of the
# module calling `render` (RequestHandler.render_string: the caller's file's directory)
TORNADO_FOLDERS = ("",)
# A template folder the module names itself: Flask(template_folder="views"),
# Jinja2Templates(directory="ui/templates"), jinja2.FileSystemLoader("templates")
_FOLDER = deferred(r"""(?:template_folder\s*=\s*|Jinja2Templates\(\s*directory\s*=\s*|"""
                     r"""FileSystemLoader\(\s*)(["'])([\w][\w./-]{0,200})\1""")
@attrs_classes.frozen
class ModuleTemplates:
    # by the name the module writes: the file, then those it includes or extends (theirs too)
    found: dict[str, tuple[Template, ...]]
    digest: bytes  # identity of the files read (b"" when the module names none)


NONE = ModuleTemplates({}, b"")


class TemplateFiles:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read: dict[str, tuple[tuple, Template | None]] = {}
        # The editor's open documents that are not saved, by path (None: the file on disk): the
        # language server sets it (TaintAnalyzer.read_open_texts)
        self.open_texts: Callable[[str], str | None] | None = None
        # (module path, roots, names) -> each name with the paths it may have, nearest first
        self._candidates: dict[tuple, list[tuple[str, list[str]]]] = {}
        self._walks: dict[tuple[str, tuple[str, ...]], list[str]] = {}  # (folder, roots) -> walked_folders
        self._django = DjangoSettings()
        # the last answer, by the text object it was for: a keystroke asks twice (the findings,
        # then the verdicts) with the same text
        self._last: tuple[str, str, tuple[str, ...], ModuleTemplates] | None = None

    @property
    def django_settings(self) -> DjangoSettings:
        """The project settings it reads (user_models.ProjectUsers asks the same)."""
        return self._django

    def of_module(self, text: str, path: str, roots: tuple[str, ...]) -> ModuleTemplates:
        if not path or not any(word in text for word in RENDER_WORDS):
            return NONE
        last = self._last
        if last is not None and last[0] is text and last[1] == path and last[2] == roots:
            return last[3]
        found = self._found(text, path, roots)
        self._last = (text, path, roots, found)
        return found

    def _found(self, text: str, path: str, roots: tuple[str, ...]) -> ModuleTemplates:
        names = tuple(dict.fromkeys(template_names(text)))[:_MAX_PER_MODULE]
        if not names:
            return NONE
        folders = tuple(dict.fromkeys(("templates", *template_folders(text),
                                       *(BOTTLE_FOLDERS if "bottle" in text else ()),
                                       *(TORNADO_FOLDERS if "tornado" in text else ()))))
        found: dict[str, tuple[Template, ...]] = {}
        identity = blake2b(digest_size=16)
        walked = self._walked(path, roots)
        # Django looks in its settings' DIRS first, then in each installed app's templates
        django = self._django.folders(walked, roots, identity, self.open_texts) if "django" in text \
            else ((), ())
        where = (folders, *django)
        for name, candidates in self._candidates_of(path, roots, names, where):
            template = self._first(name, candidates, roots, identity)
            if template is None:
                continue
            chain, seen = [template], {name}
            # each file waiting with its names as the render's context holds them
            waiting = [(included, _passed(template, included, {})) for included in template.includes]
            while waiting and len(chain) < MAX_CHAIN:
                included, names = waiting.pop(0)
                if included in seen:
                    continue
                seen.add(included)
                for _, paths in self._candidates_of(path, roots, (included,), where):
                    found_one = self._first(included, paths, roots, identity)
                    if found_one is not None:
                        chain.append(found_one.renamed(names) if names else found_one)
                        waiting.extend((inner, _passed(found_one, inner, names))
                                       for inner in found_one.includes)
            chain.extend(self._macro_prints(chain, path, roots, where, identity))
            found[name] = tuple(chain)
        return ModuleTemplates(found, identity.digest()) if found else NONE

    def _macro_prints(self, chain: list[Template], path: str, roots: tuple[str, ...],
                      where: tuple[tuple[str, ...], ...], identity: blake2b) -> list[Template]:
        """What the macros the templates of `chain` call print of the context, each as a
        template of the file holding the macro; the files imported are read like includes (at
        most as many as a chain holds)."""
        libraries: dict[str, Template | None] = {}
        prints = []
        for template in chain:
            for library in template.macros.libraries():
                if library not in libraries and len(libraries) < MAX_CHAIN:
                    [(_, paths)] = self._candidates_of(path, roots, (library,), where) or [("", [])]
                    libraries[library] = self._first(library, paths, roots, identity)
            prints.extend(Template(file, unescaped, printed, bare=printed)
                          for file, unescaped, printed in called(template, libraries))
        return prints

    def _walked(self, path: str, roots: tuple[str, ...]) -> list[str]:
        key = (os.path.dirname(os.path.abspath(path)), roots)
        with self._lock:
            kept = self._walks.get(key)
        if kept is None:
            kept = walked_folders(key[0], roots)
            with self._lock:
                if len(self._walks) >= _MAX_CACHED:
                    self._walks.clear()
                self._walks[key] = kept
        return kept

    def _first(self, name: str, candidates: list[str], roots: tuple[str, ...],
               identity: blake2b) -> Template | None:
        """The first of `candidates` that is a template, each one looked at stamped in
        `identity` (a file that appears or changes changes it)."""
        for candidate in candidates:
            template, stamp = self._template(candidate, roots)
            if stamp is not None:
                identity.update(f"{name}\0{candidate}\0{stamp}\0".encode("utf-8", "replace"))
            if template is not None:
                return template
        return None

    def _candidates_of(self, path: str, roots: tuple[str, ...], names: tuple[str, ...],
                       where: tuple[tuple[str, ...], ...]) -> list[tuple[str, list[str]]]:
        """Each name with the paths it may have, nearest first: `where` holds the folder names
        looked for beside the module and its parents, then the absolute folders of a Django
        project's settings and those of its apps."""
        key = (path, roots, names, where)
        with self._lock:
            kept = self._candidates.get(key)
        if kept is None:
            walked = self._walked(path, roots)
            template_dirs, settings_dirs, app_dirs = where
            # a folder the settings name outside the root (or, without one, outside the
            # folders walked) is not looked in
            bounds = roots or walked[-1:]
            outer = [d for d in settings_dirs if lies_within(d, bounds)]
            inner = [os.path.join(folder, *w.split("/")) for folder in walked for w in template_dirs]
            apps = [d for d in app_dirs if lies_within(d, bounds)]
            kept = [(name, [file for folder in (*outer, *inner, *apps)
                            for file in _file_names(os.path.join(folder, *name.split("/")))])
                    for name in names if ".." not in name.split("/")]
            with self._lock:
                if len(self._candidates) >= _MAX_CACHED:
                    self._candidates.clear()
                self._candidates[key] = kept
        return kept

    def _template(self, path: str, roots: tuple[str, ...]) -> tuple[Template | None, tuple | None]:
        """The template at `path` (None: not one) and its stamp (None: no such file): an open
        document's text (`open_texts`) stamped by its digest, else the file on disk by its
        (mtime, size)."""
        data, stamp = open_or_disk(path, self.open_texts)
        if stamp is None:
            return None, None
        with self._lock:
            kept = self._read.get(path)
        if kept is not None and kept[0] == stamp:
            return kept[1], stamp
        template = None
        if not roots or lies_within(path, roots):
            try:
                text = decode_source(read_opened(path, data, MAX_TEMPLATE_BYTES, "template"))
                template = parse_template(path, text)
            except (UnreadableSource, UnicodeDecodeError, SyntaxError, ValueError):
                template = None
        with self._lock:
            if len(self._read) >= _MAX_CACHED:
                self._read.clear()
            self._read[path] = (stamp, template)
        return template, stamp

    def forget(self) -> None:
        with self._lock:
            self._read.clear()
            self._candidates.clear()
            self._walks.clear()
            self._last = None
        self._django.forget()

    def disk_changed(self) -> None:
        """A file changed on disk or in the editor: the last answer, kept by its text alone,
        may be stale (the others are checked by each template's stamp)."""
        self.forget_text()

    def forget_text(self) -> None:
        """Drop the last answer and the text it holds (or that text's document closed)."""
        with self._lock:
            self._last = None


def is_template_file(path: str) -> bool:
    """Whether a module may name the file as a template (by its extension)."""
    return path.rpartition(".")[2] in TEMPLATE_SUFFIXES


def _passed(template: Template, included: str, names: dict[str, str | None]) -> dict[str, str | None]:
    """The names of the file `template` includes as the render's context holds them: the
    keywords it hands on (Bottle's `% include('row', item=post)`), each as `names` maps the
    name it holds (`names`: those of `template`), the other names as `template` holds them."""
    given = template.renames.get(included, ())
    if not given:
        return names
    passed = dict(names)
    for keyword, held in given:
        passed[keyword] = None if held is None else names.get(held, held)
    return passed


def _file_names(path: str) -> tuple[str, ...]:
    """The files a template's path may be: itself, and for a name without a template file's
    extension (Bottle's), the name with each of Bottle's."""
    if is_template_file(path):
        return (path,)
    return (path, *(f"{path}.{extension}" for extension in BOTTLE_EXTENSIONS))


def template_names(text: str) -> list[str]:
    """The string constants of `text` that name a template file, in order (Bottle's names
    without extension last)."""
    names = []
    for match in _EXTENSION().finditer(text):
        start, quote = match.start(), text[match.end()]
        opening = text.rfind(quote, max(0, start - 202), start)
        if opening >= 0 and _NAME().fullmatch(text, opening + 1, start):
            names.append(text[opening + 1:match.end()])
    if "bottle" in text:
        names.extend(m.group(2) for m in _BOTTLE_NAME().finditer(text))
    return names


def template_folders(text: str) -> list[str]:
    """The template folders the module configures, relative to a folder of its tree."""
    if "template_folder" not in text and "Jinja2Templates" not in text \
            and "FileSystemLoader" not in text:
        return []
    return list(dict.fromkeys(m.group(2).rstrip("/") for m in _FOLDER().finditer(text)
                              if ".." not in m.group(2).split("/")))[:4]


def walked_folders(start: str, roots: tuple[str, ...]) -> list[str]:
    """The module's folder, then its parents up to the root it lies in (without one: its
    parent only)."""
    folders = [start]
    root = next((r for r in roots if lies_within(start, (r,))), None)
    limit = 1 if root is None else 32
    current = start
    while len(folders) <= limit:
        if root is not None and os.path.realpath(current) == os.path.realpath(root):
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        folders.append(parent)
        current = parent
    return folders

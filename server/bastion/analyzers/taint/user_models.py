"""Whether a Django module's signed-in user is keyed by text in a user model another module
declares: the project's settings name it (`AUTH_USER_MODEL = "accounts.User"`, read by
django_settings.py), and its app's `models.py` declares that class with a primary key that is not
a number (user_keys.declared_text_key). Then `request.user.pk` / `.id` stay the request's text
in the views (context.py's `text_user_keys`), as where the view module declares the model.

The models file is read as the settings are (DjangoSettings.kept: a regular file, a size cap,
inside the root, kept by its stamp; one the editor holds open is read from its text), the names
of the classes it keys by text kept. The settings and models files looked at are stamped in the
answer's digest, which joins the module's digest (the function memo, the result caches): an
edited user model or settings module changes the result. Asked only of a module that names
Django and reads a user's attribute; the last answer is kept by the text object (a keystroke
asks twice).

Owner: the TaintAnalyzer holds one `ProjectUsers`, which asks template_files' `DjangoSettings`
(guarded by its lock) and keeps only its last answer.
"""

from __future__ import annotations

import ast
import os

from bastion import attrs_classes
from bastion.analyzers.taint.django_settings import DjangoSettings, Opened
from bastion.analyzers.taint.folding import DJANGO_USER_KEYS
from bastion.analyzers.taint.template_files import walked_folders
from bastion.analyzers.taint.user_keys import declared_text_key
from bastion.digests import blake2b
from bastion.parsing import parse_code


@attrs_classes.frozen
class ProjectUser:
    keys: frozenset[str]  # the user's keys that hold text (DJANGO_USER_KEYS), or none
    digest: bytes  # identity of the files looked at (b"" when the module asks for none)


NO_USER = ProjectUser(frozenset(), b"")


class ProjectUsers:
    def __init__(self, settings: DjangoSettings) -> None:
        self._settings = settings
        self.open_texts: Opened = None  # as TemplateFiles.open_texts
        self._last: tuple[str, str, tuple[str, ...], ProjectUser] | None = None

    def of_module(self, text: str, path: str, roots: tuple[str, ...]) -> ProjectUser:
        if not path or "django" not in text or ".user." not in text:
            return NO_USER
        last = self._last
        if last is not None and last[0] is text and last[1] == path and last[2] == roots:
            return last[3]
        identity = blake2b(digest_size=16)
        walked = walked_folders(os.path.dirname(os.path.abspath(path)), roots)
        named = self._settings.user_model(walked, roots, identity, self.open_texts)
        keyed = named is not None and self._text_key(named[0], named[1], roots, identity)
        found = ProjectUser(DJANGO_USER_KEYS if keyed else frozenset(), identity.digest()) \
            if named is not None else NO_USER
        self._last = (text, path, roots, found)
        return found

    def _text_key(self, paths: tuple[str, ...], name: str, roots: tuple[str, ...], identity: blake2b) -> bool:
        """Whether the first of `paths` that is a file declares the class `name` keyed by text;
        also when it is there but could not be read (a FIFO, too large, not Python): its key is
        not known, and an unread file must not retract a finding."""
        for path in paths:
            keyed = self._settings.kept(path, roots, identity, _text_keyed, self.open_texts)
            if isinstance(keyed, frozenset):
                return name in keyed
            if os.path.lexists(path):
                return True
        return False

    def forget_text(self) -> None:
        """Drop the last answer, kept by its text alone: a file changed on disk or in the editor,
        the text's document closed, or the analyzer forgot all (what it read, the settings'
        cache holds: TemplateFiles.forget)."""
        self._last = None


def _text_keyed(text: str) -> frozenset[str]:
    """The classes of a models module's `text` that declare a primary key of text."""
    tree = parse_code(text)
    return frozenset(node.name for node in tree.body
                     if isinstance(node, ast.ClassDef) and declared_text_key(tree, node.name))

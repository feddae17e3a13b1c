"""The engine's `WorkspaceFiles` (engine/workspace_files.py): which files besides a document
the analyses read, as the analyzers declare them, gives the language server the answers it
worked out itself from taint internals before (lsp/features/configuration.py at 5ded41e)."""

from __future__ import annotations

import os

import pytest

from bastion.analyzers.taint.django_settings import may_name_templates
from bastion.analyzers.taint.template_files import TEMPLATE_SUFFIXES, is_template_file
from bastion.deps.names import manifest_kind
from bastion.engine.registry import create_engine

NAMES = ["app/views.py", "app/tool.pyw", "manage.py", "site/settings.py", "site/settings/base.py",
         "site/settings_local.py", "templates/index.html", "templates/mail.txt", "t/page.j2",
         "t/icon.svg", "t/feed.xml", "requirements.txt", "dev-requirements.txt",
         "requirements-dev.txt", "requirements/base.in", "MANIFEST.in", "uv.lock", "poetry.lock",
         "pdm.lock", "Pipfile.lock", "pylock.toml", "pylock.dev.toml", "setup.cfg", "tox.ini",
         "Dockerfile", ".env", "README.md", "data.json", "conf.toml", "app", "site/settings",
         "notes", "site/settings.md"]


@pytest.fixture(scope="module")
def files():
    return create_engine().files


def _before(path: str, gone: bool) -> tuple[set[str], bool]:
    """The kinds a file event concerned and whether it was a settings change, as the language
    server decided before (its pyproject.toml rule aside: the settings' file is its own)."""
    if path.endswith((".py", ".pyw")):
        return ({"templates"} if may_name_templates(path) else set()), False
    if manifest_kind(path) not in (None, "pyproject"):
        return {"declared versions"}, False
    if is_template_file(path) or gone:
        return {"templates"}, False  # a folder deleted may have held templates
    return set(), True


@pytest.mark.parametrize("gone", [False, True], ids=["changed", "deleted"])
def test_a_file_event_concerns_the_kinds_it_did(files, gone):
    for name in NAMES:
        path = os.path.join(os.sep, "ws", name)
        kinds = {kind.name for kind in files.changed(path, gone)}
        assert (kinds, not kinds and not path.endswith((".py", ".pyw"))) == _before(path, gone), name


def test_the_watched_patterns_are_those_registered_before(files):
    assert set(files.watched_patterns()) == {
        "**/{uv,poetry,pdm,Pipfile}.lock", "**/pylock*.toml", "**/*.py",
        f"**/*.{{{','.join(TEMPLATE_SUFFIXES)}}}"}


def test_an_open_template_and_a_settings_module_are_read_open_a_manifest_is_not(files):
    def read_open(path: str) -> bool:
        return any(kind.open_texts for kind in files.changed(path))

    assert read_open("/ws/templates/index.html") and read_open("/ws/site/settings.py")
    assert not read_open("/ws/requirements.txt") and not read_open("/ws/app/views.py")


def test_which_texts_read_a_kind(files):
    templates, versions = (next(k for k in files.kinds if k.name == name)
                           for name in ("templates", "declared versions"))
    assert templates.read_by('render_template("index.html")') and not templates.read_by("x = 1")
    assert files.rescanned_by('render("a.html")') and not files.rescanned_by("x = 1")
    assert versions.summarised and not templates.summarised

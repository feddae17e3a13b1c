"""The workspace files the taint analysis reads besides the analysed module, as an editor
watches them (`Analyzer.watched_files`): template files (and the modules that may say where a
Django project's templates are), and the manifests whose declared versions decide a sink.
Holds no state: the declared versions' packages asked so far are declared_versions.SHARED's."""

from __future__ import annotations

from bastion.analyzers.base import WatchedFiles
from bastion.analyzers.taint.declared_versions import SHARED as DECLARED
from bastion.analyzers.taint.django_settings import may_name_templates
from bastion.analyzers.taint.template_files import TEMPLATE_SUFFIXES, is_template_file, template_names
from bastion.deps.names import manifest_kind
from bastion.filekinds import FileKind, discovered_kind


def _template_or_settings(path: str) -> bool:
    """A template file (requirements.txt, of a template suffix, is a manifest), or a module that
    may say where a Django project's templates are (manage.py, a settings module)."""
    kind = discovered_kind(path)
    if kind is FileKind.PYTHON:
        return may_name_templates(path)
    return kind is None and is_template_file(path)


def _manifest(path: str) -> bool:
    """A manifest declaring versions (a pyproject.toml is the settings' file too: read again
    with them)."""
    return manifest_kind(path) not in (None, "pyproject")


TEMPLATES = WatchedFiles(
    "templates", (f"**/*.{{{','.join(TEMPLATE_SUFFIXES)}}}", "**/*.py"), _template_or_settings,
    lambda text: bool(template_names(text)), in_folders=True, open_texts=True, rescanned=True)
# requirements files are watched through the template suffixes' pattern (*.txt); a pattern of
# their own (*.in) would bring setuptools' MANIFEST.in, which is no manifest, as a settings change
DECLARED_VERSIONS = WatchedFiles(
    "declared versions", ("**/{uv,poetry,pdm,Pipfile}.lock", "**/pylock*.toml"), _manifest,
    DECLARED.names_asked, summarised=True)
KINDS = (TEMPLATES, DECLARED_VERSIONS)

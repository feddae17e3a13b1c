"""The text analyzers a default engine runs on files that are not Python.

To add one: a class implementing `analyzers/text_base.py`'s `TextAnalyzer`, constructible
without arguments and cheap to construct (load data lazily, on the first analysis), named below
by module and class, with its `id` and its version as analyzers/versions.py gives it: the result
cache's key is read from there without importing the analyzer (`versions_key`), and the class's
own `id` and `version` must be the same (tests/unit/test_text_documents.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from bastion.analyzers import versions

# (module, class, id, version), in the order their findings are produced.
TEXT_ANALYZERS: tuple[tuple[str, str, str, Callable[[], str]], ...] = (
    ("bastion.analyzers.secrets.analyzer", "SecretsAnalyzer", "secrets", lambda: versions.SECRETS),
    ("bastion.analyzers.deps.analyzer", "DepsAnalyzer", "deps", versions.deps_version),
)


def text_analyzers() -> list:
    return [getattr(importlib.import_module(module), name)() for module, name, _, _ in TEXT_ANALYZERS]


def versions_key() -> str:
    """The part of `Engine.version_key` the registered text analyzers contribute."""
    return "".join(f"|{id_}={version()}" for _, _, id_, version in TEXT_ANALYZERS)


def dependency_key(text: str, path: str) -> str | None:
    """The registered text analyzers' `dependency_key`s for a document, joined, told without
    loading them (a scan served from the result cache): a requirements file that may include
    another (tests/unit/test_deps_include_root.py), a lock file's format, a test file's path."""
    from bastion.analyzers.secrets.allow import secrets_key
    from bastion.deps.include_lines import dependency_key as deps_key

    deps = deps_key(text, path)  # joined in TEXT_ANALYZERS' order, as the engine joins them
    return None if deps is None else secrets_key(path) + deps

"""The text analyzers a default engine runs on files that are not Python.

To add one: a class implementing `analyzers/text_base.py`'s `TextAnalyzer`, constructible
without arguments and cheap to construct (load data lazily, on the first analysis), named below
by module and class. Its `id` and `version` are class attributes: the result cache's key is
read from them without building the analyzer (`versions_key`).
"""

from __future__ import annotations

import importlib

# (module, class), in the order their findings are produced.
TEXT_ANALYZERS: tuple[tuple[str, str], ...] = (
    ("bastion.analyzers.secrets.analyzer", "SecretsAnalyzer"),
    ("bastion.analyzers.deps.analyzer", "DepsAnalyzer"),
)


def _classes() -> list[type]:
    return [getattr(importlib.import_module(module), name) for module, name in TEXT_ANALYZERS]


def text_analyzers() -> list:
    return [cls() for cls in _classes()]


def versions_key() -> str:
    """The part of `Engine.version_key` the registered text analyzers contribute."""
    return "".join(f"|{cls.id}={cls.version}" for cls in _classes())

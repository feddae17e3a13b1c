"""TOML values from the standard library's parser (`tomli` on Python 3.10); where they sit in
the text is `toml_keys.KeyIndex`'s concern."""

from __future__ import annotations

import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError


def loads(text: str) -> dict:
    return tomllib.loads(text)

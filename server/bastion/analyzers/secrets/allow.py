"""What is not a secret though it looks like one: placeholders, documentation values, references
to a variable, test fixtures; and the entropy measure the generic rule relies on.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter

from bastion.deferred_patterns import deferred

# Lower-case words that mark a value as a placeholder or a documentation example.
_PLACEHOLDER_WORDS = ("changeme", "change_me", "change-me", "changeit", "example", "placeholder",
                      "dummy", "sample", "your_", "your-", "yourpass", "redacted", "notasecret",
                      "not_a_secret", "not-a-secret", "fake", "xxxx", "todo", "fixme", "insert",
                      "replace", "<", "${", "{{", "%(", "$(", "***", "...")
# Whole values that are words, not secrets.
_PLACEHOLDER_VALUES = frozenset({"password", "passwd", "secret", "token", "none", "null", "true",
                                 "false", "undefined", "empty", "default", "required", "string",
                                 "optional", "hidden", "unset", "test", "testing", "admin"})
# A value that names another value: `$DB_PASSWORD`, `%DB_PASSWORD%`, `env:DB_PASSWORD`, ...
_REFERENCE = deferred(r"^(?:\$\w+|%\w+%|env[:.]\w+|secret[:.][\w.]+|vault:\S+)$")
# Folders and file names of tests, fixtures and examples (whole path components).
_TEST_DIRS = frozenset({"tests", "test", "testing", "fixtures", "fixture", "testdata", "examples",
                        "example", "samples", "docs", "doc"})
_TEST_FILE = re.compile(r"^(?:test_.*|.*_test|tests?|conftest|.*examples?\b.*|.*\.sample|.*\.template"
                        r"|.*\.dist)(?:\.[a-z0-9]+)?$", re.IGNORECASE)


# Markers of a documentation or placeholder value in a provider-format token: few enough that a
# random 40-character token contains one by chance about once in a million.
_FORMAT_MARKERS = ("example", "xxxxx", "00000", "12345", "abcde", "dummy", "sample", "placeholder",
                   "<", "${", "{{", "...")


def is_format_placeholder(value: str) -> bool:
    """Whether a value of a provider's format is a placeholder (`AKIAIOSFODNN7EXAMPLE`,
    `ghp_xxxxxxxx…`, `sk_live_<your key>`)."""
    low = value.lower()
    return any(marker in low for marker in _FORMAT_MARKERS) or len(set(low)) <= 6


def is_placeholder(value: str) -> bool:
    low = value.lower()
    if low in _PLACEHOLDER_VALUES or _REFERENCE().match(value):
        return True
    if any(word in low for word in _PLACEHOLDER_WORDS):
        return True
    return len(set(low)) <= 2  # "aaaaaaaa", "x0x0x0x0"


def is_test_path(path: str) -> bool:
    """Whether `path` is a test, fixture or example file, by its name and its folders."""
    parts = [p for p in re.split(r"[\\/]+", path) if p]
    if not parts:
        return False
    name = parts[-1]
    if _TEST_FILE.match(name) or os.path.splitext(name)[0].endswith((".example", ".sample")):
        return True
    return any(part.lower() in _TEST_DIRS for part in parts[:-1])


def secrets_key(path: str) -> str:
    """The secrets analyzer's `dependency_key`: a file's secrets are in its own text, and how
    sure a finding is depends on its path (a test or example file's values are fixtures). The
    engine keeps results by text: the same `.env` text under `app/` and under `tests/` is two
    results. Light to import: the result cache's lookups ask it without the analyzers."""
    return "test file" if is_test_path(path) else ""


def entropy(value: str) -> float:
    """Shannon entropy of the characters of `value`, in bits per character."""
    if not value:
        return 0.0
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")
_UPPER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")


def character_classes(value: str) -> int:
    """How many of lower case, upper case, digits and other characters `value` mixes."""
    chars = set(value)
    return sum((not chars.isdisjoint(_LOWER), not chars.isdisjoint(_UPPER),
                not chars.isdisjoint(_DIGITS), bool(chars - _LOWER - _UPPER - _DIGITS)))

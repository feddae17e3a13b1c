"""Generic secrets: a value assigned to a key named like a credential (`DB_PASSWORD=...`,
`api_key: ...`, `"client_secret": "..."`), kept only when it looks random enough to be one; at
most one per line (a line holds one setting; a minified line would otherwise report thousands).

Keywords are found first (one linear scan); each hit is then examined by an anchored pattern of
bounded repetitions, from where the previous hit's value ended, so no character is examined more
than a bounded number of times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bastion.analyzers.secrets.allow import character_classes, entropy, is_placeholder
from bastion.filekinds import FileKind

# Looked for with `str.find` in the text lowered (ASCII only: offsets must not move): a pattern
# of alternatives without a literal prefix would try each one at every character.
_KEYWORDS = ("password", "passwd", "passphrase", "pwd", "secret", "token", "api_key", "apikey",
             "api-key", "access_key", "accesskey", "auth_key", "private_key", "credential")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# The rest of the key name after the keyword, the operator, an optional quote and the value.
_ASSIGNED = re.compile(r"(?P<tail>[A-Za-z0-9_.-]{0,40})[\"']?[ \t]{0,8}(?P<op>:=|=>|=|:)[ \t]{0,8}"
                       r"(?P<quote>[\"'`]?)(?P<secret>[^\s\"'`,;]{8,200})")
# The start of the key name before the keyword (looked for backwards, bounded).
_KEY_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
# Key names that hold something about a secret, not the secret itself.
_NOT_VALUE_KEYS = re.compile(r"(?i)(?:_|-|\.)(?:file|path|url|uri|name|type|length|len|min|max|"
                             r"field|header|endpoint|env|var|id|ttl|expiry|expires|prefix|hint|"
                             r"policy|rotation|enabled|required|regex|pattern)$")
# Values that are code, words or file names rather than secrets.
_NOT_SECRET = re.compile(r"^(?:[a-z]+(?:[_-][a-z]+)*|[A-Z]+(?:_[A-Z0-9]+)*|[\w.-]*\([^)]*\)?"
                         r"|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+|[/.~][\w./-]*"
                         r"|[\w.-]+\.(?:json|ya?ml|txt|pem|key|crt|env|toml|ini|cfg|p12|jks)"
                         r"|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$")
MIN_ENTROPY = 3.0  # bits per character, with at least two kinds of character
GENERIC_LABEL = "secret-looking value of a credential setting"


def generic_secrets(text: str, kind: FileKind, first: int = 0,
                    last: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of each value in `text[first:last]` (whole lines) that is probably a
    secret. Nothing here reads across a line end: a value, its key and the keyword found are
    on one line, and the one-per-line skip ends at the line's end."""
    resume = first
    for start, end in _keywords(text, first, len(text) if last is None else last):
        if start < resume:
            continue
        found = _ASSIGNED.match(text, end)
        if found is None:
            continue
        resume = found.end()
        key = _key_before(text, start) + text[start:end] + found["tail"]
        if _NOT_VALUE_KEYS.search(key) or found["op"] == ":" and kind is FileKind.SHELL:
            continue
        quote, value = found["quote"], found["secret"]
        end = found.end("secret")
        if quote and text[end:end + 1] != quote:
            continue  # a value with a space or a quote inside: prose, not a token
        if kind is FileKind.PYTHON and not quote:
            continue  # an expression: bandit's B105-B107 read Python's names and literals
        if _is_secret(value):
            yield found.start("secret"), end
            # One assignment per line: a crafted line of a million `password=...` costs one.
            next_line = text.find("\n", end)
            resume = len(text) if next_line < 0 else next_line


def _keywords(text: str, first: int, last: int) -> list[tuple[int, int]]:
    part = text[first:last] if first or last < len(text) else text
    # ASCII letters only (offsets must stay those of `text`: str.lower() maps the Kelvin sign
    # to "k" and "İ" to two characters); on an ASCII text lower() is that, thirty times faster.
    low = part if part.islower() else part.lower() if part.isascii() else part.translate(_ASCII_LOWER)
    hits = []
    for keyword in _KEYWORDS:
        at = low.find(keyword)
        while at >= 0:
            hits.append((first + at, first + at + len(keyword)))
            at = low.find(keyword, at + len(keyword))
    hits.sort()
    return hits


def _key_before(text: str, at: int) -> str:
    start = at
    while start > 0 and at - start < 40 and text[start - 1] in _KEY_CHARS:
        start -= 1
    return text[start:at]


def _is_secret(value: str) -> bool:
    if is_placeholder(value) or _NOT_SECRET.match(value) or value[0] in "${%<@&*#":
        return False
    classes = character_classes(value)
    # Machine-made secrets mix digits in; a value without any must mix three kinds of
    # character over some length (`NextToken`, `PasswordField` are names, not secrets).
    if not any(c.isdigit() for c in value) and (classes < 3 or len(value) < 16):
        return False
    return classes >= 2 and entropy(value) >= MIN_ENTROPY

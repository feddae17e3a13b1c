"""What a baseline file may hold, checked before anything else reads it.

A baseline comes from the repository being scanned, so it is hostile input: every value is
checked for its type, range and length, and the whole for its size, entry count and nesting,
before an entry is built. The limits are far above what `bastion baseline create` writes for a
large project (an entry is some 250 bytes; 100,000 entries take about 25 MB, a file within
`MAX_BYTES` about 150 MB of memory while it is parsed). Problems are described, never echoed:
a value may be huge or hold terminal escapes.
"""

from __future__ import annotations

import json
import re

MAX_BYTES = 32 * 1024 * 1024
MAX_ENTRIES = 100_000
MAX_PATH_CHARS = 4096
MAX_MESSAGE_CHARS = 1000
# A line number beyond any file Bastion reads (limits.MAX_FILE_BYTES holds fewer lines).
MAX_LINE = 10_000_000
_RULE = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,31}\Z")
_FINGERPRINT = re.compile(r"[0-9a-f]{32}:[0-9]{1,7}\Z")
# C0 and C1 controls and DEL: nothing a path or root holds (a lone surrogate is a file name
# that is not UTF-8, and may).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f]")

Row = tuple[str, str, str, int, str]  # path, rule, fingerprint, line, message


class SchemaError(ValueError):
    """Why the document is not a baseline; the caller adds the file name."""


_FLOAT = object()  # every float is wrong; one shared marker costs no memory per number


def _no_constant(name: str):
    raise SchemaError(f"not valid JSON ({name} is not a JSON value)")


# A valid file holds per entry one object, one number and nine strings (a message may add an
# escaped quote or a bracket). Bounding the values, not only the bytes, bounds the memory that
# parsing takes: `[[],[],...]` or `["ab","ab",...]` cost 20 times their size in Python objects.
# Containers and strings are counted in the text before parsing (a quote or bracket inside a
# string only makes the count larger), objects and numbers while it is parsed.
MAX_CONTAINERS = 2 * MAX_ENTRIES + 16
MAX_QUOTES = 2 * 12 * MAX_ENTRIES + 64
MAX_NUMBERS = MAX_ENTRIES + 16


def _decode(text: str):
    if text.count("[") + text.count("{") > MAX_CONTAINERS or text.count('"') > MAX_QUOTES:
        raise SchemaError(f"more values than {MAX_ENTRIES} findings hold")
    objects = numbers = 0

    def counted(pairs: list) -> dict:
        nonlocal objects
        objects += 1  # one object per entry and the document
        if objects > MAX_ENTRIES + 1:
            raise SchemaError(f"more than {MAX_ENTRIES} findings")
        return dict(pairs)

    def number(kind):
        def parse(literal: str):
            nonlocal numbers
            numbers += 1
            if numbers > MAX_NUMBERS:
                raise SchemaError(f"more values than {MAX_ENTRIES} findings hold")
            # A number too long for any line is no line (int() refuses 4,300 digits anyway).
            return kind(literal) if len(literal) <= 20 else _FLOAT
        return parse

    try:
        return json.loads(text, object_pairs_hook=counted, parse_int=number(int),
                          parse_float=number(lambda _literal: _FLOAT),
                          parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise SchemaError(f"line {exc.lineno}: not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise SchemaError("not a Bastion baseline (nested too deeply)") from None


def _string(entry: dict, key: str, where: str, pattern: re.Pattern | None = None,
            limit: int = MAX_PATH_CHARS, default: str | None = None) -> str:
    value = entry.get(key, default)
    if not isinstance(value, str) or len(value) > limit or (pattern is not None
                                                             and not pattern.match(value)):
        raise SchemaError(f"{where}.{key} must be {_DESCRIPTION[key]}")
    return value


def _path(entry: dict, where: str) -> str:
    value = entry.get("path")
    if not isinstance(value, str) or not value or len(value) > MAX_PATH_CHARS \
            or value.startswith("/") or _UNPRINTABLE.search(value) \
            or any(part in ("", ".", "..") for part in value.split("/")):
        raise SchemaError(f"{where}.path must be {_DESCRIPTION['path']}")
    return value


_DESCRIPTION = {
    "path": f"a relative POSIX path inside the project (no '..', at most {MAX_PATH_CHARS} "
            "characters, no control characters)",
    "rule": "a rule id (letters, digits, '_' or '-', at most 32 characters)",
    "fingerprint": "a Bastion fingerprint (32 hex digits, ':', an occurrence number)",
    "message": f"a string of at most {MAX_MESSAGE_CHARS} characters",
    "line": f"an integer from 0 to {MAX_LINE}",
}


def _row(item, where: str) -> Row:
    if not isinstance(item, dict):
        raise SchemaError(f"{where} must be an object with \"path\", \"rule\" and \"fingerprint\"")
    line = item.get("line", 0)
    if type(line) is not int or not 0 <= line <= MAX_LINE:  # bool is an int; 1e999 a float
        raise SchemaError(f"{where}.line must be {_DESCRIPTION['line']}")
    return (_path(item, where), _string(item, "rule", where, _RULE),
            _string(item, "fingerprint", where, _FINGERPRINT), line,
            _string(item, "message", where, limit=MAX_MESSAGE_CHARS, default=""))


def read_document(text: str, version: int) -> tuple[str, list[Row]]:
    """(root, entries) of a baseline file's text; SchemaError says what is wrong and where."""
    doc = _decode(text)
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise SchemaError("not a Bastion baseline (no \"findings\" list)")
    found = doc.get("version", version)
    if type(found) is not int or found != version:
        raise SchemaError(f"baseline format version {found!r:.20} is not supported "
                          f"(expected {version})")
    if doc.get("tool", "bastion") != "bastion":
        raise SchemaError("\"tool\" must be \"bastion\"")
    root = doc.get("root", ".")
    if not isinstance(root, str) or not root or len(root) > MAX_PATH_CHARS \
            or _UNPRINTABLE.search(root):
        raise SchemaError(f"\"root\" must be a path of at most {MAX_PATH_CHARS} characters, "
                          "without control characters")
    return root, [_row(item, f"findings[{number}]") for number, item in enumerate(doc["findings"])]


def shortened(message: str) -> str:
    """A finding's message as the file stores it: within MAX_MESSAGE_CHARS."""
    if len(message) <= MAX_MESSAGE_CHARS:
        return message
    return message[:MAX_MESSAGE_CHARS - 1] + "…"

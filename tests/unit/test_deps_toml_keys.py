"""KeyIndex (deps/toml_keys.py) finds every string value where tomllib read it: documents
generated from random data, written with headers, `[[arrays]]` of tables, dotted keys, inline
tables, quoted keys, comments and each kind of string, are parsed with tomllib and each string
leaf's path is looked up; the text at its span, read again as a TOML string, is the value."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.deps import toml_keys as K
from bastion.deps.toml_keys import KeyIndex
from bastion.model import Span

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

KEYS = st.sampled_from(["a", "b", "req-uests", "x_1", "1", "a b", "x.y", "é", 'q"t', "version"])
STRINGS = st.sampled_from(["2.19.0", "^0.12", "", "a\\b", 'say "hi"', "it's", "tab\there",
                           "line\nbreak", "é", "#not a comment", "[not] = {a table}"])
LEAVES = st.one_of(STRINGS, st.integers(-5, 5), st.booleans(), st.just(1.5))
DATA = st.recursive(LEAVES, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(KEYS, inner, max_size=3)), max_leaves=12)


def key(name: str) -> str:
    if name.replace("-", "").replace("_", "").isalnum() and name.isascii():
        return name
    return json.dumps(name, ensure_ascii=False)


def string(value: str, style: int) -> str:
    if style == 1 and "'" not in value and "\n" not in value and "\t" not in value:
        return f"'{value}'"
    if style == 2 and '"""' not in value and not value.endswith('"') and "\\" not in value:
        return f'"""\n{value}"""'
    if style == 3 and "'''" not in value and not value.endswith("'") and "\t" not in value:
        return f"'''{value}'''"
    return json.dumps(value, ensure_ascii=False)


def inline(value, draw) -> str:
    if isinstance(value, str):
        return string(value, draw(st.integers(0, 3)))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        sep = draw(st.sampled_from([", ", ",\n  # c\n  ", ","]))
        tail = draw(st.sampled_from(["", ","])) if value else ""
        return "[" + sep.join(inline(v, draw) for v in value) + tail + "]"
    return "{" + ", ".join(f"{key(k)} = {inline(v, draw)}" for k, v in value.items()) + "}"


def pairs(prefix: list[str], table: dict, draw) -> list[str]:
    """Key-value lines for `table`: a sub-table as dotted keys or inline."""
    out = []
    for name, value in table.items():
        path = [*prefix, key(name)]
        if isinstance(value, dict) and value and draw(st.booleans()):
            out.extend(pairs(path, value, draw))
        else:
            out.append(f"{' . '.join(path) if draw(st.booleans()) else '.'.join(path)} = "
                       f"{inline(value, draw)}  # note")
    return out


def document(data: dict, draw) -> str:
    """Scalars first, then each dict as a `[table]` and a list of dicts as `[[tables]]`."""
    head, tables = [], []
    for name, value in data.items():
        if isinstance(value, dict) and draw(st.booleans()):
            tables += [f"[{key(name)}]", *pairs([], value, draw)]
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value) \
                and draw(st.booleans()):
            for item in value:
                tables += [f"[[ {key(name)} ]] # t", *pairs([], item, draw)]
        else:
            head.extend(pairs([], {name: value}, draw))
    return "\n".join([*head, *tables]) + "\n"


def leaves(value, path=()):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield from leaves(item, (*path, name))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from leaves(item, (*path, number))


@settings(max_examples=examples(300), deadline=None)
@given(st.dictionaries(KEYS, DATA, max_size=5), st.data())
def test_every_string_is_found_where_tomllib_read_it(data, draw):
    text = document(data, draw.draw)
    assert tomllib.loads(text) == data
    index = KeyIndex(text)
    lines = text.split("\n")
    for path, value in leaves(data):
        place, raw = index.string(path)
        span = Span(*place)
        written = "\n".join(lines[span.start_line:span.end_line + 1])
        start = span.start_col
        end = len(written) - len(lines[span.end_line]) + span.end_col
        assert written[start:end] == raw
        offset = sum(len(x) + 1 for x in lines[:span.start_line]) + start
        trimmed = text[offset - 1] == "\n"  # the newline after opening triple quotes
        quote = text[offset - 1 - trimmed]
        triple = trimmed or text[offset - 3:offset] == quote * 3
        again = f"x = {quote * 3}{raw}{quote * 3}" if triple else f"x = {quote}{raw}{quote}"
        assert tomllib.loads(again)["x"] == value


def test_names_of_dotted_keys_headers_and_arrays_of_tables():
    text = ('tool.poetry.dependencies."requests" = "2.19.0"\n'
            "[[pkg]]\nname = 'a'\n[[pkg]]\nname = 'b'\n[pkg.sub]\nv = \"1\"\n")
    index = KeyIndex(text)
    assert index.name(("tool", "poetry", "dependencies", "requests")) == (0, 25, 0, 35)
    assert index.string(("pkg", 1, "name")) == ((4, 8, 4, 9), "b")
    assert index.string(("pkg", 1, "sub", "v"))[0] == (6, 5, 6, 6)
    assert index.name(("pkg", 1)) == (3, 2, 3, 5)


def test_a_string_left_open_does_not_backtrack():
    """The walk trusts tomllib's verdict; if it ever misreads a text, a string pattern starts
    where no string closes. Each pattern must fail in linear time, not backtrack exponentially
    (a pattern with `[^"]+` inside `(...)*` took 133 s on 30 characters). Run in a child process
    so that a regression fails by timing out instead of hanging the suite."""
    code = ("from bastion.deps import toml_keys as K\n"
            "for rx, text in ((K._BASIC, '\"' + 'a' * 4000 + '\\\\'),"
            " (K._ML_BASIC, '\"\"\"' + 'a\"' * 4000 + '\\\\'),"
            " (K._ML_LITERAL, \"'''\" + \"a'\" * 4000)):\n"
            "    assert rx.match(text) is None\n")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30,
                   env={**os.environ, "PYTHONPATH": str(Path(K.__file__).parents[2])})

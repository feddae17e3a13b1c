"""pyproject.toml: PEP 621 dependencies and optional-dependencies, PEP 735 dependency-groups,
Poetry's dependency tables (caret, tilde and wildcard constraints turned into PEP 440).

Values come from tomllib; their text is found by key path (`toml_keys.KeyIndex`), so a table
written as a header, as dotted keys (`tool.poetry.dependencies.requests = "2.19.0"`,
`requests.version = "2.19.0"`) or inline reads alike."""

from __future__ import annotations

import re

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from bastion.deps.model import Dependency, Manifest, Problem
from bastion.deps.requirements_txt import simple_requirement
from bastion.deps.toml_keys import KeyIndex, Place
from bastion.deps.toml_text import TOMLDecodeError, loads
from bastion.model import Span

_NAME = re.compile(r"\s*[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(\[[^\]]*\])?\s*")
_PIN = re.compile(r"(===?)\s*([^\s,;()]+)")


def parse(text: str, kept: dict | None = None, keep: dict | None = None) -> Manifest:
    """`kept`: each dependency's results from an earlier read of the same file (the editor's,
    `pyproject_memo.Memo`); what this read derives is put in `keep`."""
    return read(text, kept, keep)[0]


Call = tuple  # (derive, *args): what one dependency's results are derived from


def read(text: str, kept: dict | None = None, keep: dict | None = None
         ) -> tuple[Manifest, KeyIndex | None, list[Call], list]:
    """`parse`, with what it read the text's values from (None: not valid TOML), the calls it
    derived results from, in order, and their results."""
    try:
        data = loads(text)
    except TOMLDecodeError as exc:
        return Manifest("pyproject", (), (not_valid(str(exc)),)), None, [], []
    keys = KeyIndex(text)
    calls = _calls(data, keys)
    results = [_remembered(kept, keep, call) for call in calls]
    return manifest(results), keys, calls, results


def declares(text: str) -> bool:
    """Whether `text` is valid TOML whose dependency arrays or Poetry tables hold an entry (not
    `python`), their values not derived: the editor asks it when a manifest is opened, and
    deriving a 5 MB file's 200,000 dependencies took seconds, ahead of its first analysis."""
    try:
        data = loads(text)
    except TOMLDecodeError:
        return False
    return any(isinstance(values, list) and values for _path, values in _pep621_lists(data)) \
        or any(isinstance(table, dict) and any(name.lower() != "python" for name in table)
               for _path, table in _poetry_tables(data))


def not_valid(error: str) -> Problem:
    """What a text that tomllib rejects with `error` gives."""
    return Problem(f"not valid TOML ({error})")


def manifest(results: list) -> Manifest:
    """The manifest of the calls' results (dependencies, problems and None), in their order."""
    return Manifest("pyproject", tuple(r for r in results if isinstance(r, Dependency)),
                    tuple(r for r in results if isinstance(r, Problem)))


def _pep621_lists(data: dict) -> list[tuple[tuple, object]]:
    """(key path, value) of the PEP 621 and PEP 735 dependency arrays, as the TOML holds them."""
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    lists = [(("project", "dependencies"), project.get("dependencies"))]
    optional = project.get("optional-dependencies")
    for name, group in (optional.items() if isinstance(optional, dict) else ()):
        lists.append((("project", "optional-dependencies", name), group))
    groups = data.get("dependency-groups")
    for name, group in (groups.items() if isinstance(groups, dict) else ()):
        lists.append((("dependency-groups", name), group))  # {include-group = ...} skipped
    return lists


def _calls(data: dict, keys: KeyIndex) -> list[Call]:
    calls = []
    for path, values in _pep621_lists(data):
        for number, value in enumerate(values if isinstance(values, list) else ()):
            located = keys.string((*path, number)) if isinstance(value, str) else None
            if located is not None:
                calls.append((_pep508, value, located[0]))
    return calls + _poetry(data, keys)


def places(call: Call) -> tuple[Place, ...]:
    """The places in the text that a call's arguments hold."""
    if call[0] is _pep508:
        return (call[2],)
    return (call[3],) if call[5] is None else (call[3], call[5])


def relocated(call: Call, move) -> Call | None:
    """`call` once each place it holds has moved: `move(place)` gives the new place and the
    new contents of the string there (None: unchanged), or None when it cannot say."""
    moved = move(call[3] if call[0] is _poetry_dependency else call[2])
    if moved is None:
        return None
    place, contents = moved
    if call[0] is _pep508:
        return _pep508, call[1] if contents is None else contents, place
    _derive, name, constraint, _place, raw, name_place = call
    if name_place is not None:
        name_moved = move(name_place)
        if name_moved is None or name_moved[1] is not None:
            return None
        name_place = name_moved[0]
    if contents is not None:
        constraint = raw = contents  # no escape in them (the caller's word)
    return _poetry_dependency, name, constraint, place, raw, name_place


def item(value: str, place: Place) -> Call:
    """The call of a string element of a dependencies array, `value` at `place` (one line)."""
    return _pep508, value, place


def is_item(call: Call | None) -> bool:
    return call is not None and call[0] is _pep508


def entry(name: str, value: str, place: Place, name_place: Place) -> Call:
    """The call of a Poetry table's `name = "value"` (a string without escapes, one line)."""
    return _poetry_dependency, name, value, place, value, name_place


def is_entry(call: Call | None) -> bool:
    """Whether `call` is a Poetry dependency whose name is written on its version's line."""
    return call is not None and call[0] is _poetry_dependency and call[5] is not None \
        and call[5][0] == call[3][0]


def at_line(call: Call, line: int) -> Call:
    """A call whose places are on one line, as written on `line`."""
    return relocated(call, lambda place: ((line, place[1], line, place[3]), None))


_MISSING = object()


def derive(call: Call):
    """A call's result: a Dependency, a Problem or None."""
    return call[0](*call[1:])


def _remembered(kept: dict | None, keep: dict | None, call: Call):
    """`call`'s result, or what an earlier read derived from the same call (a dependency's
    text and place: the result holds its spans)."""
    result = _MISSING if kept is None else kept.get(call, _MISSING)
    if result is _MISSING:
        result = derive(call)
    if keep is not None:
        keep[call] = result
    return result


def _pep508(value: str, place: Place) -> Dependency | Problem | None:
    try:
        return pep508(value, Span(*place))
    except InvalidRequirement as exc:
        return Problem(f"not a valid requirement ({str(exc).splitlines()[0]})", place[0])


def pep508(value: str, literal: Span) -> Dependency | None:
    """A dependency from a requirement string whose contents sit at `literal` (one line)."""
    simple = simple_requirement(value)
    if simple is None:
        parsed = Requirement(value)
        if parsed.url:
            return None
    if literal.start_line != literal.end_line:
        return None
    base = literal.start_col
    name_end = _NAME.match(value).end()
    name_text = value[:name_end].split("[")[0]
    name_start = len(name_text) - len(name_text.lstrip())
    name_span = Span(literal.start_line, base + name_start, literal.start_line,
                     base + len(name_text.rstrip()))
    spec_end = value.find(";") if ";" in value else len(value)
    spec_text = value[name_end:spec_end].strip().strip("()").strip()
    if spec_text:
        offset = value.find(spec_text, name_end)
        span = Span(literal.start_line, base + offset, literal.start_line,
                    base + offset + len(spec_text))
    else:
        span = literal
    name, specifier = simple or (parsed.name, re.sub(r"\s+", "", spec_text))
    pinned = version_span = None
    clauses = specifier.split(",") if specifier else []
    if len(clauses) == 1 and clauses[0].startswith("==") and "*" not in clauses[0]:
        pin = _PIN.search(value, name_end)
        pinned = pin.group(2)
        version_span = Span(literal.start_line, base + pin.start(2), literal.start_line,
                            base + pin.end(2))
    return Dependency(canonicalize_name(name), specifier, span, pinned, version_span,
                      name_span=name_span)


def _poetry_tables(data: dict) -> list[tuple[tuple, object]]:
    """(key path, value) of Poetry's dependency tables, as the TOML holds them."""
    poetry = data.get("tool", {}).get("poetry") if isinstance(data.get("tool"), dict) else None
    if not isinstance(poetry, dict):
        return []
    tables = [(("tool", "poetry", "dependencies"), poetry.get("dependencies")),
              (("tool", "poetry", "dev-dependencies"), poetry.get("dev-dependencies"))]
    groups = poetry.get("group")
    for name, group in (groups.items() if isinstance(groups, dict) else ()):
        if isinstance(group, dict):
            tables.append((("tool", "poetry", "group", name, "dependencies"),
                           group.get("dependencies")))
    return tables


def _poetry(data: dict, keys: KeyIndex) -> list[Call]:
    calls = []
    for path, table in _poetry_tables(data):
        if not isinstance(table, dict):
            continue
        for name, value in table.items():
            if name.lower() == "python":
                continue
            for constraint, place, raw, name_place in _constraints(keys, (*path, name), value):
                calls.append((_poetry_dependency, name, constraint, place, raw, name_place))
    return calls


def poetry_table(path: tuple) -> bool:
    """Whether `path` is that of a table `_poetry` reads dependencies from."""
    return path[:2] == ("tool", "poetry") and (path[2:] in (("dependencies",), ("dev-dependencies",)) or (
        len(path) == 5 and path[2] == "group" and path[4] == "dependencies"))


def _poetry_dependency(name: str, constraint: str, place: Place, raw: str,
                       name_place: Place | None) -> Dependency | Problem:
    span = Span(*place)
    name_span = None if name_place is None else Span(*name_place)
    try:
        specifier = poetry_to_pep440(constraint)
    except ValueError as exc:
        return Problem(str(exc), span.start_line)
    pinned = specifier[2:] if specifier.startswith("==") and "*" not in specifier \
        and "," not in specifier else None
    # Columns hold where the constraint is written as is (an escape shifts them).
    col = raw.find(pinned) if pinned and raw == constraint else -1
    version_span = Span(span.start_line, span.start_col + col, span.start_line,
                        span.start_col + col + len(pinned)) if col >= 0 else None
    return Dependency(canonicalize_name(name), specifier, span, pinned, version_span,
                      name_span=name_span, poetry=constraint)


def _constraints(keys: KeyIndex, path: tuple, value) -> list[tuple]:
    """Each version constraint of one Poetry dependency at `path`: (constraint, its place, its
    text as written, the name's place with the first only). Written as `name = "^1.2"`,
    `name = {version = "^1.2", ...}`, `name.version = "^1.2"`, a sub-table
    `[...dependencies.name]`, or several constraints, `name = [{version = ..., python = ...},
    ...]` (or `[[...dependencies.name]]` tables). Git, path and URL dependencies have no
    version."""
    items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
    found = []
    for number, item in items:
        at = path if number is None else (*path, number)
        if isinstance(item, dict):
            item, at = item.get("version"), (*at, "version")
        if not isinstance(item, str):
            continue
        located = keys.string(at)
        if located is None or located[0][0] != located[0][2]:
            continue  # a multi-line string: no one-line span to point at or edit
        found.append((item, *located, None if found else keys.name(path)))
    return found


_CARET = re.compile(r"^\^\s*(\d+(?:\.\d+)*)(.*)$")
_TILDE = re.compile(r"^~(?!=)\s*(\d+(?:\.\d+)*)(.*)$")


def poetry_to_pep440(constraint: str) -> str:
    """Poetry's constraint syntax as a PEP 440 specifier set ("" for `*`)."""
    parts = []
    for part in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", constraint.strip()):
        if "||" in part:
            raise ValueError(f"alternative constraints ({constraint!r}) are not checked")
        if part in ("", "*"):
            continue
        caret, tilde = _CARET.match(part), _TILDE.match(part)
        if caret or tilde:
            version = (caret or tilde).group(1)
            numbers = [int(x) for x in version.split(".")]
            if caret:
                index = next((i for i, x in enumerate(numbers) if x), len(numbers) - 1)
            else:
                index = 1 if len(numbers) > 1 else 0
            upper = numbers[:index + 1]
            upper[-1] += 1
            parts += [f">={version}{(caret or tilde).group(2)}", f"<{'.'.join(map(str, upper))}"]
        elif part[0].isdigit():
            parts.append(f"=={part}")
        else:
            parts.append(part)
    return ",".join(parts)

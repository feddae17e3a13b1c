"""pyproject.toml: PEP 621 dependencies and optional-dependencies, PEP 735 dependency-groups,
Poetry's dependency tables (caret, tilde and wildcard constraints turned into PEP 440)."""

from __future__ import annotations

import re

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from bastion.deps.model import Dependency, Manifest, Problem
from bastion.deps.requirements_txt import simple_requirement
from bastion.deps.toml_text import Literals, TOMLDecodeError, loads
from bastion.model import Span

_NAME = re.compile(r"\s*[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?\s*(\[[^\]]*\])?\s*")
_PIN = re.compile(r"(===?)\s*([^\s,;()]+)")


def parse(text: str) -> Manifest:
    try:
        data = loads(text)
    except TOMLDecodeError as exc:
        return Manifest("pyproject", (), (Problem(f"not valid TOML ({exc})"),))
    literals = Literals(text)
    found: list[Dependency] = []
    problems: list[Problem] = []
    project = data.get("project") if isinstance(data.get("project"), dict) else {}
    strings = list(_strings(project.get("dependencies")))
    optional = project.get("optional-dependencies")
    for group in (optional.values() if isinstance(optional, dict) else ()):
        strings.extend(_strings(group))
    groups = data.get("dependency-groups")
    for group in (groups.values() if isinstance(groups, dict) else ()):
        strings.extend(_strings(group))  # {include-group = "..."} tables are skipped
    for value in strings:
        span = literals.take(value)
        if span is None:
            continue
        try:
            dependency = pep508(value, span)
        except InvalidRequirement as exc:
            problems.append(Problem(f"not a valid requirement ({str(exc).splitlines()[0]})",
                                    span.start_line))
            continue
        if dependency is not None:
            found.append(dependency)
    found.extend(_poetry(data, text, problems))
    return Manifest("pyproject", tuple(found), tuple(problems))


def _strings(value) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


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


def _poetry(data: dict, text: str, problems: list[Problem]) -> list[Dependency]:
    poetry = data.get("tool", {}).get("poetry") if isinstance(data.get("tool"), dict) else None
    if not isinstance(poetry, dict):
        return []
    tables = [("tool.poetry.dependencies", poetry.get("dependencies")),
              ("tool.poetry.dev-dependencies", poetry.get("dev-dependencies"))]
    groups = poetry.get("group")
    for name, group in (groups.items() if isinstance(groups, dict) else ()):
        if isinstance(group, dict):
            tables.append((f"tool.poetry.group.{name}.dependencies", group.get("dependencies")))
    lines = text.splitlines()
    found = []
    for header, table in tables:
        if not isinstance(table, dict):
            continue
        start = _header_line(lines, header)
        for name, value in table.items():
            if name.lower() == "python":
                continue
            for constraint, span, name_span in _constraints(lines, header, start, name, value):
                try:
                    specifier = poetry_to_pep440(constraint)
                except ValueError as exc:
                    problems.append(Problem(str(exc), span.start_line))
                    continue
                pinned = specifier[2:] if specifier.startswith("==") and "*" not in specifier \
                    and "," not in specifier else None
                version_span = None
                if pinned:
                    col = lines[span.start_line].find(pinned, span.start_col)
                    version_span = Span(span.start_line, col, span.start_line, col + len(pinned))
                found.append(Dependency(canonicalize_name(name), specifier, span, pinned,
                                        version_span, name_span=name_span, poetry=constraint))
    return found


def _constraints(lines: list[str], header: str, start: int | None, name: str, value
                 ) -> list[tuple[str, Span, Span | None]]:
    """Each version constraint of one Poetry dependency with its span, and the name's span
    (with the first only): `name = "^1.2"`, `name = {version = "^1.2", ...}`, a sub-table
    `[header.name]` with `version = "..."`, or several constraints, `name = [{version = ...,
    python = ...}, ...]` (or `[[header.name]]` tables). Git, path and URL dependencies have no
    version."""
    items = value if isinstance(value, list) else [value]
    versions = [item if isinstance(item, str) else item.get("version")
                if isinstance(item, dict) else None for item in items]
    if not any(isinstance(v, str) for v in versions):
        return []
    key = re.compile(r'^\s*["\']?' + re.escape(name) + r'["\']?\s*=')
    at = None if start is None else _key_line(lines, start, key)
    if at is not None:  # the value is on the key's line (a list may run below it)
        first, last, col = at, _value_end(lines, at), lines[at].index("=") + 1
    else:
        tables = _header_lines(lines, f"{header}.{name}", isinstance(value, list))
        if not tables:
            return []
        first, last, col = tables[0], _table_end(lines, tables[-1]), len(lines[tables[0]])
    found: list[tuple[str, Span, Span | None]] = []
    line = first
    for version in versions:
        if not isinstance(version, str):
            continue
        span = _find_constraint(lines, line, col, last, version, bare=isinstance(value, str))
        if span is None:
            break  # written some other way: what was found stays in order
        # the name starts a key line, and ends a table header (`[tool.poetry.dependencies.x]`)
        name_col = -1 if found else lines[first].find(name) if at is not None \
            else lines[first].rfind(name)
        name_span = Span(first, name_col, first, name_col + len(name)) if name_col >= 0 else None
        found.append((version, span, name_span))
        line, col = span.end_line, span.end_col + 1
    return found


def _key_line(lines: list[str], start: int, key: re.Pattern) -> int | None:
    for number in range(start + 1, len(lines)):
        line = lines[number]
        if line.lstrip().startswith("["):
            return None
        if key.match(line):
            return number
    return None


def _value_end(lines: list[str], at: int) -> int:
    """The last line of the value that starts on line `at`: a list may run over several."""
    depth = 0
    for number in range(at, len(lines)):
        code = _without_strings(lines[number])
        depth += code.count("[") - code.count("]")
        if depth <= 0:
            return number
    return len(lines) - 1


def _without_strings(line: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'', "", line).split("#")[0]


def _table_end(lines: list[str], at: int) -> int:
    number = at + 1
    while number < len(lines) and not lines[number].lstrip().startswith("["):
        number += 1
    return number - 1


_VERSION_KEY = re.compile(r"""(?:^|[\s{,])["']?version["']?\s*=\s*""")


def _find_constraint(lines: list[str], line: int, col: int, last: int, constraint: str,
                     bare: bool) -> Span | None:
    """The span of `constraint`, quoted, from (line, col) to the end of line `last`: the value
    itself (`bare`) or the value of a `version` key."""
    quoted = [f'"{constraint}"', f"'{constraint}'"]
    for number in range(line, last + 1):
        text = lines[number]
        position = col if number == line else 0
        if bare:
            starts = [position]
        else:
            starts = [m.end() for m in _VERSION_KEY.finditer(text, position)]
        for start in starts:
            for written in quoted:
                at = text.find(written, start) if bare else (start if text.startswith(
                    written, start) else -1)
                if at >= 0:
                    return Span(number, at + 1, number, at + 1 + len(constraint))
    return None


def _header_line(lines: list[str], header: str) -> int | None:
    found = _header_lines(lines, header, False)
    return found[0] if found else None


def _header_lines(lines: list[str], header: str, array: bool) -> list[int]:
    """The lines of `[header]` (`[[header]]` for `array`), its parts bare or quoted."""
    open_, close = (r"\[\[", r"\]\]") if array else (r"\[(?!\[)", r"\](?!\])")
    pattern = re.compile(r"^\s*" + open_ + r"\s*" + r"\s*\.\s*".join(
        f'(?:{re.escape(part)}|"{re.escape(part)}")' for part in header.split(".")) + r"\s*"
        + close)
    return [i for i, line in enumerate(lines) if pattern.match(line)]


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

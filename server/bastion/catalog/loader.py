"""Reading a folder of rule files, and checking it against what the analyzers can report."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from bastion.catalog.schema import OWN_RULE_ID, InvalidRule, RuleSpec, SchemaError
from bastion.catalog.validate import parse_rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SUBFOLDERS = ("bandit", "bastion")
# tomllib reports positions only inside its message: "Invalid value (at line 3, column 7)".
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$")


def rule_files(directory: Path) -> list[Path]:
    found = sorted(directory.glob("*.toml"))
    for folder in SUBFOLDERS:
        found.extend(sorted((directory / folder).glob("*.toml")))
    return found


def shown_path(path: Path) -> str:
    """The path relative to the working folder when it is below it: short and clickable."""
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if relative.startswith("..") else relative


def read_rule_file(path: Path) -> RuleSpec:
    """One file's rule; raises InvalidRule with every problem, TOML syntax errors located."""
    shown = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidRule([SchemaError(shown, "file", f"cannot be read: {exc}")]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        line = int(position.group(1)) if position else getattr(exc, "lineno", None)
        message = _TOML_POSITION.sub("", message)
        raise InvalidRule([SchemaError(shown, "toml", f"syntax error: {message}", line)]) from None
    spec = parse_rule(data, shown)
    problems = _placement(spec, path, shown)
    if problems:
        raise InvalidRule(problems)
    return spec


def _placement(spec: RuleSpec, path: Path, shown: str) -> list[SchemaError]:
    # `bastion explain B602` and the docs find a rule by its file name, so the two must agree.
    problems = []
    if path.stem != spec.id:
        problems.append(SchemaError(shown, "id",
                                    f"{spec.id} must be in a file named {spec.id}.toml"))
    folder = path.parent.name
    expected = "bastion" if OWN_RULE_ID.match(spec.id) else "bandit"
    if folder in SUBFOLDERS and folder != expected:
        problems.append(SchemaError(shown, "id",
                                    f"{spec.id} belongs in {expected}/, not {folder}/"))
    return problems


def load_rule_files(directory: Path) -> tuple[list[RuleSpec], list[SchemaError]]:
    """Every valid rule under `directory`, and every problem; a file with a problem is left out."""
    specs: list[RuleSpec] = []
    errors: list[SchemaError] = []
    by_id: dict[str, RuleSpec] = {}
    by_name: dict[str, RuleSpec] = {}
    if not directory.is_dir():
        return [], [SchemaError(shown_path(directory), "file", "no such folder")]
    for path in rule_files(directory):
        try:
            spec = read_rule_file(path)
        except InvalidRule as exc:
            errors.extend(exc.errors)
            continue
        first = by_id.get(spec.id)
        if first is not None:
            errors.append(SchemaError(spec.source_file, "id",
                                      f"duplicate id {spec.id}: also in {first.source_file}"))
            continue
        same_name = by_name.get(spec.name)
        if same_name is not None:
            # `# nosec NAME` must select exactly one rule.
            errors.append(SchemaError(spec.source_file, "name",
                                      f"duplicate name {spec.name!r}: also used by "
                                      f"{same_name.id} in {same_name.source_file}"))
            continue
        by_id[spec.id] = by_name[spec.name] = spec
        specs.append(spec)
    specs.sort(key=lambda s: s.id)
    return specs, errors


def validate_catalog(directory: Path, reportable: dict[str, str]) -> list[SchemaError]:
    """Every problem in the folder, and its mismatches with `reportable` (rule id -> check name)."""
    specs, errors = load_rule_files(directory)
    defined = {spec.id: spec for spec in specs}
    invalid_files = {e.file for e in errors}
    for rule_id, name in sorted(reportable.items()):
        spec = defined.get(rule_id)
        if spec is None:
            folder = "bastion" if OWN_RULE_ID.match(rule_id) else "bandit"
            expected = shown_path(directory / folder / f"{rule_id}.toml")
            if expected in invalid_files:
                continue  # already reported as invalid
            errors.append(SchemaError(expected, "id", f"{rule_id} ({name}) can be reported but "
                                                      "has no rule file"))
        elif spec.name != name:
            errors.append(SchemaError(spec.source_file, "name",
                                      f"{spec.name!r} differs from the analyzer's check name "
                                      f"{name!r} for {rule_id}"))
    for spec in specs:
        if spec.id not in reportable:
            errors.append(SchemaError(spec.source_file, "id",
                                      f"no analyzer reports {spec.id}; remove the file or add "
                                      "the check"))
    return errors

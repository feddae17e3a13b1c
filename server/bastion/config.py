"""Typed, validated settings, layered: defaults < pyproject.toml < client settings.

`[tool.bastion]` uses snake_case keys; client settings (initializationOptions and the
`bastion` section of workspace/configuration) use the same keys in camelCase.
`[tool.bandit]` `tests`, `skips` and `exclude_dirs` are honoured as `select`, `ignore`, `exclude`.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

import attrs

from bastion import attrs_classes
from bastion.deferred_patterns import deferred
from bastion.files import OUT_OF_TREE, UnreadableSource, lies_within, read_limited
from bastion.model import Finding, Level
from bastion.model.text import text_lines
from bastion.path_patterns import PathPatterns

LSP_SEVERITIES = ("error", "warning", "information", "hint")
DEFAULT_SEVERITY_MAP = (("high", "error"), ("medium", "warning"), ("low", "information"))
_RULE_PREFIX = deferred(r"^(B\d{0,3}|BST\d{0,3})$")
_MAP_KEY = deferred(r"^(low|medium|high)(/(low|medium|high))?$")


class ConfigError(Exception):
    """A configuration problem, located: `path:line: message`."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message, self.path, self.line = message, path, line
        where = f"{path}:{line}: " if path and line else (f"{path}: " if path else "")
        super().__init__(f"{where}{message}")


class _CompiledPatterns:
    """A Config's path patterns as PathPatterns, taken on first use from a per-process cache
    (a Config sent to a worker process arrives without them: every file's copy finds them there),
    and the per-path rules found for each path. Threads may race to fill it: each puts the same
    thing."""

    _CACHED_PATHS = 4096

    def __init__(self) -> None:
        self._exclude: PathPatterns | None = None
        self._ignores: tuple[PathPatterns, dict[str, tuple[str, ...]]] | None = None
        self._rules_by_path: dict[str, tuple[str, ...]] = {}

    def __reduce__(self):
        return _CompiledPatterns, ()  # not sent to workers: found in their own cache

    def excluding(self, patterns: tuple[str, ...]) -> PathPatterns:
        if self._exclude is None:
            self._exclude = _exclude_patterns(patterns)
        return self._exclude

    def ignored_rules(self, rel: str, ignores: tuple[tuple[str, tuple[str, ...]], ...]
                      ) -> tuple[str, ...]:
        """The rule prefixes `per_path_ignores` silences for `rel`."""
        cached = self._rules_by_path.get(rel)
        if cached is not None:
            return cached
        if self._ignores is None:
            self._ignores = _ignore_patterns(ignores)
        patterns, rules_of = self._ignores
        rules = tuple(dict.fromkeys(r for pattern in patterns.matching(rel)
                                    for r in rules_of[pattern]))
        if len(self._rules_by_path) >= self._CACHED_PATHS:
            self._rules_by_path.clear()
        self._rules_by_path[rel] = rules
        return rules


@functools.lru_cache(maxsize=8)
def _exclude_patterns(patterns: tuple[str, ...]) -> PathPatterns:
    return PathPatterns(patterns)


@functools.lru_cache(maxsize=8)
def _ignore_patterns(ignores: tuple[tuple[str, tuple[str, ...]], ...]
                     ) -> tuple[PathPatterns, dict[str, tuple[str, ...]]]:
    rules_of: dict[str, tuple[str, ...]] = {}
    for pattern, rules in ignores:
        rules_of[pattern] = rules_of.get(pattern, ()) + rules
    return PathPatterns(rules_of), rules_of


@attrs_classes.frozen
class Config:
    severity: Level = Level.LOW
    confidence: Level = Level.LOW
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    exclude: tuple[str, ...] = ()
    severity_map: tuple[tuple[str, str], ...] = DEFAULT_SEVERITY_MAP
    enabled: bool = True
    root: str | None = None  # the folder paths in `exclude` and `per_path_ignores` are relative to
    # Suppression governance: the comment dialects ("bastion", "nosec", "noqa") that must give a
    # reason to silence anything, and the rules (ids or prefixes) no comment can silence.
    require_reason: tuple[str, ...] = ()
    unsuppressible: tuple[str, ...] = ()
    # Baseline of known findings (bastion.baseline): a file relative to `root` ("" turns it off;
    # None finds .bastion-baseline.json), and how the editor shows its findings: "hint" | "hide".
    baseline: str | None = None
    baseline_mode: str = "hint"
    # True: bandit's findings exactly as bandit reports them, none retracted by the taint
    # analysis (Finding.retracted): for teams that need parity with bandit.
    bandit_exact: bool = False
    # `exclude` and `per_path_ignores` compiled on first use (derived: not compared, not pickled).
    _compiled: _CompiledPatterns = attrs.field(init=False, eq=False, repr=False,
                                               factory=_CompiledPatterns)

    def rule_selected(self, rule_id: str) -> bool:
        if self.select and not any(rule_id.startswith(p) for p in self.select):
            return False
        return not any(rule_id.startswith(p) for p in self.ignore)

    def reports(self, finding: Finding, path: str | None) -> bool:
        """Whether a finding passes rule selection, thresholds and per-path ignores."""
        if finding.severity < self.severity or finding.confidence < self.confidence:
            return False
        if not self.rule_selected(finding.rule_id):
            return False
        # `relative` resolves the path on disk: only worth it when a pattern may match.
        rel = self.relative(path) if self.per_path_ignores else None
        if rel is not None:
            rules = self._compiled.ignored_rules(rel, self.per_path_ignores)
            if any(finding.rule_id.startswith(r) for r in rules):
                return False
        return True

    def excludes(self, path: str | None) -> bool:
        if not self.exclude:
            return False
        rel = self.relative(path)
        return rel is not None and bool(self._compiled.excluding(self.exclude).matching(rel))

    def relative(self, path: str | None) -> str | None:
        if not path:
            return None
        p = Path(path)
        if self.root:
            # realpath is Path.resolve without its extra stat: this runs for every file scanned.
            try:
                p = Path(os.path.realpath(path)).relative_to(os.path.realpath(self.root))
            except (ValueError, OSError):
                pass
        return PurePosixPath(*p.parts).as_posix()

    def lsp_severity(self, finding: Finding) -> str:
        table = _severity_table(self.severity_map)
        key = f"{finding.severity.label}/{finding.confidence.label}"
        return table.get(key) or table.get(finding.severity.label) or "warning"


@functools.lru_cache(maxsize=8)
def _severity_table(severity_map: tuple[tuple[str, str], ...]) -> dict[str, str]:
    # Asked once per diagnostic: the map is built once per configuration's map, not per call.
    return dict(severity_map)


# ---- validation of one layer ------------------------------------------------------------------

_KEYS = {
    "severity": "level", "confidence": "level", "select": "rules", "ignore": "rules",
    "per_path_ignores": "path-rules", "exclude": "strings", "severity_map": "severity-map",
    "enabled": "bool", "require_reason": "dialects", "unsuppressible": "rules",
    "baseline": "string", "baseline_mode": "baseline-mode", "bandit_exact": "bool",
}
SUPPRESSION_DIALECTS = ("bastion", "nosec", "noqa")


# Editors name the on/off switch `bastion.enable`, as most VS Code extensions do.
_ALIASES = {"enable": "enabled"}


def _camel_to_snake(key: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", key).lower()


def validate_layer(raw: dict[str, Any], *, camel: bool = False) -> tuple[dict[str, Any], list[str]]:
    """Check one layer of settings; return the values and warnings for unknown keys.

    Raises ConfigError(message) naming the key (the caller adds file and line).
    """
    values: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in raw.items():
        name = _camel_to_snake(key) if camel else key.replace("-", "_")
        name = _ALIASES.get(name, name)
        kind = _KEYS.get(name)
        if kind is None:
            warnings.append(f"unknown setting {key!r} ignored{_did_you_mean(name, camel)}")
            continue
        values[name] = _check_value(key, kind, value)
    return values, warnings


def _did_you_mean(name: str, camel: bool) -> str:
    import difflib  # only for an unknown key

    close = difflib.get_close_matches(name, _KEYS, n=1, cutoff=0.75)
    if not close:
        return ""
    head, *rest = close[0].split("_")
    return f"; did you mean {head + ''.join(p.title() for p in rest) if camel else close[0]!r}?"


def _check_value(key: str, kind: str, value: Any) -> Any:
    def fail(expected: str) -> ConfigError:
        return ConfigError(f"{key!r} must be {expected}, got {value!r}", None, None)

    if kind == "level":
        try:
            return Level.parse(value) if isinstance(value, str) else _raise(fail("low, medium or high"))
        except ValueError:
            raise fail("low, medium or high") from None
    if kind == "bool":
        if not isinstance(value, bool):
            raise fail("true or false")
        return value
    if kind == "string":
        if not isinstance(value, str):
            raise fail("a string")
        return value.strip()
    if kind == "baseline-mode":
        if not isinstance(value, str) or value.strip().lower() not in ("hint", "hide"):
            raise fail('"hint" or "hide"')
        return value.strip().lower()
    if kind == "dialects":
        # true: every dialect needs a reason; or a list naming the dialects that do.
        if isinstance(value, bool):
            return SUPPRESSION_DIALECTS if value else ()
        if (not isinstance(value, list)
                or not all(isinstance(v, str) and v.strip().lower() in SUPPRESSION_DIALECTS
                           for v in value)):
            raise fail('true, false or a list of "bastion", "nosec", "noqa"')
        return tuple(dict.fromkeys(v.strip().lower() for v in value))
    if kind in ("rules", "strings"):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail("a list of strings")
        if kind == "rules":
            bad = [v for v in value if not _RULE_PREFIX().match(v.strip().upper())]
            if bad:
                raise fail("a list of rule ids or prefixes such as 'B602', 'B6' or 'BST101'")
            return tuple(v.strip().upper() for v in value)
        return tuple(value)
    if kind == "path-rules":
        if not isinstance(value, dict):
            raise fail('a table of path pattern = ["rule ids"]')
        out = []
        for pattern, rules in value.items():
            checked = _check_value(f"{key}.{pattern}", "rules", rules)
            out.append((pattern, checked))
        return tuple(out)
    if kind == "severity-map":
        if not isinstance(value, dict):
            raise fail('a table such as { high = "error", medium = "warning" }')
        table = dict(DEFAULT_SEVERITY_MAP)
        for level, target in value.items():
            if not _MAP_KEY().match(str(level).lower()) or str(target).lower() not in LSP_SEVERITIES:
                raise ConfigError(
                    f"{key}: {level!r} = {target!r} is not valid: keys are low|medium|high or "
                    f"severity/confidence such as 'high/low', values are {', '.join(LSP_SEVERITIES)}"
                )
            table[str(level).lower()] = str(target).lower()
        return tuple(sorted(table.items()))
    raise AssertionError(kind)


def _raise(error: Exception):
    raise error


def build_config(*layers: dict[str, Any], root: str | None = None) -> Config:
    merged: dict[str, Any] = {}
    for layer in layers:
        merged.update(layer)
    return Config(root=root, **merged)


# ---- pyproject.toml ----------------------------------------------------------------------------


@attrs_classes.frozen
class FileLayer:
    path: str
    values: dict
    warnings: tuple[str, ...] = ()


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` (a file or a folder)."""
    folder = start if start.is_dir() else start.parent
    for candidate in [folder, *folder.parents]:
        path = candidate / "pyproject.toml"
        # Not only a regular file: a FIFO or a device there is reported, not silently passed over.
        if path.exists() and not path.is_dir():
            return path
    return None


def load_pyproject(path: Path, found: bool = True) -> FileLayer:
    """Read `[tool.bastion]` and `[tool.bandit]`; raise ConfigError with file and line on problems.
    `found`: the file was found beside or above the scanned files, not named with --config: a
    link out of its folder is refused, as the scan refuses files linked out of the tree."""
    if found and not lies_within(path, (str(Path(os.path.abspath(path)).parent),)):
        raise ConfigError(f"not read: {OUT_OF_TREE}", str(path), None)
    try:
        # A FIFO or a device (`--config /dev/zero`) is refused, never waited on or read whole.
        raw_bytes, _ = read_limited(path)
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not valid UTF-8 ({exc.reason})", str(path), None) from None
    except UnreadableSource as exc:
        raise ConfigError(str(exc), str(path), None) from None
    # Imported here: a project without a pyproject.toml never needs it. The values of a large
    # file are kept there: the editor's analysis of the same pyproject.toml reads them again.
    from bastion.deps.toml_text import TOMLDecodeError, loads

    try:
        data = loads(text)
    except TOMLDecodeError as exc:
        line = _decode_error_line(str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"invalid TOML: {message}", str(path), line) from None
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    values: dict[str, Any] = {}
    warnings: list[str] = []
    bandit = tool.get("bandit")
    if isinstance(bandit, dict):
        mapped = {new: bandit[old] for old, new in
                  (("tests", "select"), ("skips", "ignore"), ("exclude_dirs", "exclude"))
                  if old in bandit}
        values.update(_validated(mapped, text, path, "bandit", warnings, report_unknown=False))
    bastion = tool.get("bastion")
    if bastion is not None:
        if not isinstance(bastion, dict):
            raise ConfigError("[tool.bastion] must be a table", str(path), _key_line(text, "bastion"))
        values.update(_validated(bastion, text, path, "bastion", warnings, report_unknown=True))
    return FileLayer(str(path), values, tuple(warnings))


def _validated(raw, text, path, section, warnings, report_unknown) -> dict[str, Any]:
    try:
        values, unknown = validate_layer(raw)
    except ConfigError as exc:
        key = re.match(r"'([^'.]+)", exc.message)
        line = _key_line(text, key.group(1) if key else "", section)
        raise ConfigError(f"[tool.{section}] {exc.message}", str(path), line) from None
    if report_unknown:
        warnings.extend(f"{path}:{_key_line(text, w.split(chr(39))[1], section) or 1}: "
                        f"[tool.{section}] {w}" for w in unknown)
    return values


def _decode_error_line(message: str) -> int | None:
    found = re.search(r"at line (\d+)", message)
    return int(found.group(1)) if found else None


def _key_line(text: str, key: str, section: str | None = None) -> int | None:
    """Line (1-based) of `key = ...` in `[tool.<section>]`, or of the section header."""
    in_section = section is None
    header = re.compile(rf"^\s*\[\s*tool\.{re.escape(section or '')}\s*\]")
    for number, line in enumerate(text_lines(text), 1):
        if section and line.lstrip().startswith("["):
            in_section = bool(header.match(line)) or line.strip().startswith(f"[tool.{section}.")
            if in_section and key == section:
                return number
            continue
        if in_section and re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
            return number
    return None


def config_for_path(start: Path, explicit: Path | None = None) -> tuple[Config, tuple[str, ...]]:
    """The configuration that applies to files under `start`; raises ConfigError."""
    path = explicit or find_pyproject(start.resolve())
    if path is None:
        root = start if start.is_dir() else start.parent
        return Config(root=str(root.resolve())), ()
    layer = load_pyproject(path, found=explicit is None)
    return build_config(layer.values, root=str(path.resolve().parent)), layer.warnings

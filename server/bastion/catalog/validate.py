"""A rule file's validation: `parse_rule` turns a parsed TOML document into a `RuleSpec`
(schema.py), or raises `InvalidRule` with every problem in the file rather than the first, so
that one run of `bastion rules validate` shows an author everything to fix.
"""

from __future__ import annotations

import ast
import importlib
import re
from typing import Any
from urllib.parse import urlsplit

import attrs

from bastion.catalog.schema import (
    BANDIT_NAME,
    CHECK,
    CWE_FIELDS,
    DATED,
    EXAMPLE_FILE,
    FRAMEWORKS,
    LESSON_EXTRA,
    LESSON_FIELDS,
    LESSON_REQUIRED_EXTRA,
    LEVELS,
    NUMBERED_STEP,
    OPTIONAL,
    OWASP_2021,
    OWN_NAME,
    OWN_RULE_ID,
    REQUIRED,
    RULE_ANALYZERS,
    RULE_ID,
    TAG,
    Cwe,
    InvalidRule,
    Lesson,
    RuleSpec,
    SchemaError,
)


def parse_rule(data: dict[str, Any], file: str) -> RuleSpec:
    """The rule in `data` (a parsed TOML document); raises InvalidRule listing every problem."""
    error = _Errors(file)
    for key in sorted(set(data) - set(REQUIRED) - set(OPTIONAL)):
        error(key, f"unknown field (expected one of: {', '.join(REQUIRED + OPTIONAL)})")
    for key in REQUIRED:
        if key not in data:
            error(key, "missing")

    rule_id = _string(data, "id", error)
    if rule_id is not None and not RULE_ID.match(rule_id):
        error("id", f"{rule_id!r} is neither a bandit id (B + 3 digits) nor BST + 3 digits")
    own = bool(rule_id and OWN_RULE_ID.match(rule_id))
    name = _string(data, "name", error)
    if name is not None and not (OWN_NAME if own else BANDIT_NAME).match(name):
        error("name", f"{name!r} is not a valid check name"
                      + (" (own rules use snake_case)" if own else ""))
    title = _string(data, "title", error)
    if title is not None and ("\n" in title.strip() or title.rstrip().endswith(".")):
        error("title", "must be one line without a trailing period")
    severity = _level(data, "severity", error)
    confidence = _level(data, "confidence", error)
    owasp = _string(data, "owasp", error)
    if owasp is not None and owasp not in OWASP_2021:
        error("owasp", f"{owasp!r} is not an OWASP Top 10 2021 category (A01:2021 … A10:2021)")
    tags = _string_list(data, "tags", error)
    for tag in tags or ():
        if not TAG.match(tag):
            error("tags", f"{tag!r} is not a lower-case word")
    if tags and len(set(tags)) != len(tags):
        error("tags", "duplicate tags")
    cwe = _cwe(data.get("cwe"), error) if "cwe" in data else None
    lesson = _lesson(data.get("lesson"), error) if "lesson" in data else None
    match, check, fix = _matcher(data, own, error)
    taint = _taint(data, own, error)
    analyzer = data.get("analyzer")
    if "analyzer" in data and analyzer not in RULE_ANALYZERS:
        error("analyzer", f"{analyzer!r} is not one of {', '.join(RULE_ANALYZERS)}")

    if error.errors or cwe is None or lesson is None:
        raise InvalidRule(error.errors)
    return RuleSpec(id=rule_id, name=name, title=title.strip(), severity=severity,
                    confidence=confidence, owasp=owasp, tags=tuple(tags), cwe=cwe, lesson=lesson,
                    match=match, check=check, fix=fix, taint=taint, analyzer=analyzer,
                    source_file=file)


@attrs.define
class _Errors:
    """Collects a file's problems; called as `error(field, message)`."""

    file: str
    errors: list[SchemaError] = attrs.Factory(list)

    def __call__(self, field: str, message: str) -> None:
        self.errors.append(SchemaError(self.file, field, message))

    def __len__(self) -> int:
        return len(self.errors)


def _string(table: dict, key: str, error: _Errors, field: str | None = None) -> str | None:
    field = field or key
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, str):
        error(field, f"must be a string, not {type(value).__name__}")
        return None
    if not value.strip():
        error(field, "is empty")
        return None
    return value


def _level(data: dict, key: str, error: _Errors) -> str | None:
    value = _string(data, key, error)
    if value is not None and value not in LEVELS:
        error(key, f"{value!r} is not one of low, medium, high")
        return None
    return value


def _string_list(table: dict, key: str, error: _Errors,
                 field: str | None = None) -> list[str] | None:
    field = field or key
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, list):
        error(field, f"must be a list of strings, not {type(value).__name__}")
        return None
    if not value:
        error(field, "is empty")
        return None
    if not all(isinstance(v, str) and v.strip() for v in value):
        error(field, "every item must be a non-empty string")
        return None
    return value


def _cwe(value: Any, error: _Errors) -> Cwe | None:
    if not isinstance(value, dict):
        error("cwe", "must be a table with `id` and `name`")
        return None
    before = len(error)
    for key in sorted(set(value) - set(CWE_FIELDS)):
        error("cwe", f"unknown key {key!r} (expected id, name and broader)")
    ident, name, broader = value.get("id"), value.get("name"), value.get("broader", [])
    if not _positive(ident):
        error("cwe", f"id must be a positive integer, not {ident!r}")
    if not isinstance(name, str) or not name.strip():
        error("cwe", "name is missing or empty")
    if not isinstance(broader, list) or not all(map(_positive, broader)) or ident in broader:
        error("cwe", "broader must be an array of other CWE ids")
    return None if len(error) != before else Cwe(ident, name.strip(), tuple(broader))


def _positive(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def _lesson(value: Any, error: _Errors) -> Lesson | None:
    if not isinstance(value, dict):
        error("lesson", "must be a table")
        return None
    before = len(error)
    for key in sorted(set(value) - set(LESSON_FIELDS) - set(LESSON_EXTRA)):
        error(f"lesson.{key}", "unknown field (expected one of: "
                               f"{', '.join(LESSON_FIELDS + LESSON_EXTRA)})")
    for key in LESSON_FIELDS + LESSON_REQUIRED_EXTRA:
        if key not in value:
            error(f"lesson.{key}", "missing")
    texts = {key: _string(value, key, error, f"lesson.{key}") for key in LESSON_FIELDS[:-1]}
    references = _string_list(value, "references", error, "lesson.references")
    summary = texts["summary"]
    if summary is not None and sentence_count(summary) > 2:
        error("lesson.summary", f"has {sentence_count(summary)} sentences; at most two are shown "
                                "in the hover")
    if texts["how_to_fix"] is not None and not NUMBERED_STEP.search(texts["how_to_fix"]):
        error("lesson.how_to_fix", "must be numbered steps (`1. …`); the first is the hint")
    example_file = value.get("example_file", "lesson.py")
    if not isinstance(example_file, str) or not EXAMPLE_FILE.match(example_file):
        error("lesson.example_file", f"{example_file!r} is not a file name")
        example_file = "lesson.py"
    for key in ("vulnerable", "fixed"):
        code = texts[key]
        if code is None or not example_file.endswith((".py", ".pyw")):
            continue
        try:
            ast.parse(code, filename=f"lesson.{key}")
        except SyntaxError as exc:
            error(f"lesson.{key}", f"is not valid Python: {exc.msg} (line {exc.lineno})")
    if texts["vulnerable"] and texts["vulnerable"].strip() == (texts["fixed"] or "").strip():
        error("lesson.fixed", "is the same code as `vulnerable`")
    for url in references or ():
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", url):
            error("lesson.references", f"{url!r} is not an http(s) URL")
    extra = {key: (_string(value, key, error, f"lesson.{key}") or "").strip()
             for key in LESSON_REQUIRED_EXTRA}
    variants = _variants(value.get("variants"), error) if "variants" in value else ()
    affected = _string_list(value, "affected_versions", error, "lesson.affected_versions") or []
    for line in affected:
        if not DATED.search(line):
            error("lesson.affected_versions", f"{line!r} has no date (a year such as 2025)")
    if len(error) != before:
        return None
    return Lesson(summary=summary.strip(), why=texts["why"].strip(),
                  how_to_fix=texts["how_to_fix"].strip(), vulnerable=texts["vulnerable"],
                  fixed=texts["fixed"], references=tuple(references), variants=variants,
                  affected_versions=tuple(line.strip() for line in affected),
                  example_file=example_file, **extra)


def _variants(value: Any, error: _Errors) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not value:
        error("lesson.variants", "must be a non-empty table of framework = \"markdown\"")
        return ()
    for key in sorted(set(value) - set(FRAMEWORKS)):
        error("lesson.variants", f"unknown framework {key!r} (expected one of: "
                                 f"{', '.join(FRAMEWORKS)})")
    found = []
    for key in FRAMEWORKS:
        text = _string(value, key, error, f"lesson.variants.{key}")
        if text is not None:
            found.append((key, text.strip()))
    return tuple(found)


def _matcher(data: dict, own: bool, error: _Errors) -> tuple[dict | None, str | None, dict | None]:
    match = data.get("match")
    check = data.get("check")
    fix = data.get("fix")
    if "match" in data and not isinstance(match, dict):
        error("match", "must be a table")
        match = None
    if "check" in data:
        if not isinstance(check, str) or not CHECK.match(check):
            error("check", f"{check!r} must look like \"python:<function_name>\"")
            check = None
    if "fix" in data and not isinstance(fix, dict):
        error("fix", "must be a table")
        fix = None
    if not own:
        for key in ("match", "check"):
            if key in data:
                error(key, "bandit rules are found by bandit; only own (BST) rules have "
                           "[match] or check")
        return None, None, fix
    given = [key for key in ("match", "check", "taint", "analyzer") if key in data]
    if not given:
        error("match", "own (BST) rules need a [match] table, `check = \"python:<name>\"`, a "
                       "[taint] table or `analyzer = \"<name>\"`")
    elif len(given) > 1:
        error(given[1], f"give one of [match], check, [taint] or analyzer, not "
                        f"{' and '.join(given)}")
    if match is not None:
        for message in _validate_match(match):
            error("match", message)
    return match, check, fix


TAINT_FIELDS = ("sink_class", "short")


def _taint(data: dict, own: bool, error: _Errors) -> dict | None:
    """`[taint]`: the rule is reported by the taint analyzer for sinks of `sink_class`; `short`
    ends its messages ("... reaches `open`: path traversal")."""
    if "taint" not in data:
        return None
    table = data["taint"]
    if not own or not isinstance(table, dict):
        error("taint", "must be a table, in an own (BST) rule")
        return None
    before = len(error)
    for key in sorted(set(table) - set(TAINT_FIELDS)):
        error("taint", f"unknown key {key!r} (expected {', '.join(TAINT_FIELDS)})")
    from bastion.analyzers.taint.domain import SINK_CLASSES

    if table.get("sink_class") not in SINK_CLASSES:
        error("taint.sink_class", f"{table.get('sink_class')!r} is not one of "
                                  f"{', '.join(sorted(SINK_CLASSES))}")
    short = table.get("short")
    if not isinstance(short, str) or not short.strip() or "\n" in short:
        error("taint.short", "must be a one-line string")
    return table if len(error) == before else None


def _validate_match(table: dict) -> list[str]:
    # The matcher module may not exist yet (or may be mid-edit); the catalog must still load.
    name = "bastion.analyzers.toml_rules"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return []
        return [f"cannot check [match]: {exc}"]
    except Exception as exc:  # a broken matcher module is the rule author's problem too
        return [f"cannot check [match]: {type(exc).__name__}: {exc}"]
    validate = getattr(module, "validate_match", None)
    if validate is None:
        return []
    try:
        return [str(m) for m in validate(table)]
    except Exception as exc:  # a matcher bug must surface as a finding, not stop the load
        return [f"the [match] validator failed: {type(exc).__name__}: {exc}"]


_ABBREVIATIONS = re.compile(r"\b(e\.g|i\.e|etc|vs|cf|approx)\.", re.IGNORECASE)


def sentence_count(text: str) -> int:
    # Inline code (`os.system`) and abbreviations hold full stops that end no sentence.
    plain = re.sub(r"`[^`]*`", "code", text)
    plain = _ABBREVIATIONS.sub(lambda m: m.group(1), plain)
    return len([part for part in re.split(r"(?<=[.!?])\s+", plain.strip()) if part])

"""Reading the fields of a taint model file's table (model_files.py): arrays of names, texts
from a set of choices, argument positions, sink classes, keyword conditions, package versions and
argument places, each checked for its type; what is wrong is reported, never raised.
"""

from __future__ import annotations

import attrs

from bastion import attrs_classes
from bastion.analyzers.taint.domain import EVERY_CLASS
from bastion.analyzers.taint.specs import ABSENT, ModelProblem
from bastion.package_names import pep503_name


def _nonblank_strings(values: list) -> bool:
    """Whether each of `values` is a string with more than blanks: `str.strip` is called in C on
    each, and raises on anything but a string (a Python test an item was most of the models'
    load, which every start pays)."""
    try:
        return all(map(str.strip, values))
    except TypeError:
        return False


@attrs_classes.define
class FieldReader:
    """The fields of one table of a model file (`item`, at `where` in `file`) read as the types
    they must have; each mistake is added to `problems` and the field read as absent. `keys`
    checks the table's keys and its arrays of names first: `names` holds the good non-empty
    ones, read with `names.get(key, ())` (an absent key, most keys of most tables, costs a
    dict look-up: a Python call each was a tenth of the models' load, which every start pays)."""

    file: str
    where: str
    item: dict
    problems: list[ModelProblem]
    names: dict[str, list[str]] = attrs.field(factory=dict)

    def error(self, field: str, message: str) -> None:
        self.problems.append(ModelProblem(self.file, f"{self.where}.{field}", message))

    def keys(self, allowed: set[str], arrays: frozenset[str]) -> None:
        """Each key one of `allowed`, and each of `arrays` present an array of non-empty
        strings (an empty one is read as absent)."""
        for key in sorted(set(self.item) - allowed):
            self.error(key, f"unknown key (expected one of {', '.join(sorted(allowed))})")
        for key, value in self.item.items():  # in the file's order: the problems' order
            if key in arrays and (value := self._array(key, value)):
                self.names[key] = value

    def _array(self, key: str, value: object) -> list[str]:
        if not value:  # empty, or a falsy value of another type
            if value != []:
                self.error(key, "expected an array of non-empty strings")
            return []
        if not isinstance(value, list) or not _nonblank_strings(value):
            self.error(key, "expected an array of non-empty strings")
            return []
        return value

    def strings(self, key: str) -> list[str]:
        """A required array of names (one of the section's arrays): a problem when absent or
        empty."""
        value = self.names.get(key)
        if value is None and self.item.get(key, []) == []:
            self.error(key, "missing or empty")
        return value or []

    def text(self, key: str, choices: tuple[str, ...] | frozenset[str] | None = None,
             required: bool = True) -> str | None:
        value = self.item.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.error(key, "expected a non-empty string")
            return None
        if choices is not None and value not in choices:
            self.error(key, f"{value!r} is not one of {', '.join(sorted(choices))}")
            return None
        return value

    def indexes(self, key: str) -> tuple[int, ...] | None:
        if key not in self.item:
            return None
        value = self.item[key]
        if isinstance(value, int) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value):
            self.error(key, "expected a non-negative integer or an array of them")
            return None
        return tuple(value)

    def classes(self, key: str) -> frozenset[str]:
        names = self.strings(key)
        if names == ["*"]:
            return EVERY_CLASS
        for name in names:
            if name not in EVERY_CLASS:
                expected = ", ".join(sorted(EVERY_CLASS))
                self.error(key, f"unknown sink class {name!r} (expected {expected} or *)")
        return frozenset(names) & EVERY_CLASS

    def named(self) -> tuple[list[str] | tuple[()], list[str] | tuple[()]]:
        return self.names.get("calls", ()), self.names.get("methods", ())

    def keyword_condition(self, key: str, absent: bool = False) -> tuple[str, object] | None:
        """`{ keyword = "name", equals = <constant> }`; with `absent`, or `absent = true`."""
        given = self.item.get(key)
        if isinstance(given, dict) and isinstance(given.get("keyword"), str) and len(given) == 2 \
                and ("equals" in given or absent and given.get("absent") is True):
            return given["keyword"], given["equals"] if "equals" in given else ABSENT
        if given is not None:
            self.error(key, 'expected { keyword = "name", equals = <constant> }'
                       + (' or { keyword = "name", absent = true }' if absent else ""))
        return None

    def before(self) -> tuple[str, str] | None:
        """`before = { package = "lxml", version = "5.0" }`: the package's PEP 503 name, a version."""
        before = self.item.get("before")
        if before is None:
            return None
        if isinstance(before, dict) and set(before) == {"package", "version"} \
                and isinstance(before["package"], str) and isinstance(before["version"], str) \
                and _is_version(before["version"]):
            return pep503_name(before["package"]), before["version"]
        self.error("before", 'expected { package = "name", version = "<PEP 440 version>" }')
        return None

    def place(self, key: str, required: bool = False) -> tuple[int | None, str | None] | None:
        """`{ position = 1, keyword = "target" }`: an argument given by position or keyword."""
        value = self.item.get(key)
        if value is None:
            if required:
                self.error(key, "missing")
            return None
        position, keyword = (value.get("position"), value.get("keyword")) \
            if isinstance(value, dict) else (None, None)
        if not isinstance(value, dict) or set(value) - {"position", "keyword"} or (
                position is None and keyword is None) or (
                position is not None and (type(position) is not int or position < 0)) or (
                keyword is not None and (not isinstance(keyword, str) or not keyword.isidentifier())):
            self.error(key, "expected { position = N, keyword = \"name\" } (either or both)"
                            + (", or { receiver = true }" if key == "function" else ""))
            return None
        return position, keyword


def _is_version(text: str) -> bool:
    """Whether `text` is a PEP 440 version. Dotted numbers (every shipped `before`) are one
    without importing packaging.version, some 7M instructions of every start (its patterns);
    any other text is packaging's to judge."""
    if all(part.isascii() and part.isdigit() for part in text.split(".")):
        return True
    from packaging.version import InvalidVersion, Version

    try:
        Version(text)
    except InvalidVersion:
        return False
    return True

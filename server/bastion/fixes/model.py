"""The engine's view of one document version, kept for fixes: units, their import facts and the
import context before each unit, so that a fix can be checked by re-analysing one unit only.

Building it splits the document (one whole-file `ast.parse`); `DocModel.update` derives the model
of the next version from the previous one by re-splitting only the top-level statements that
changed, so code actions after an edit do no whole-file work.
"""

from __future__ import annotations

import ast
import bisect
import re

import attrs

from bastion.engine.context import EMPTY, Context
from bastion.engine.units import Unit, split_document


@attrs.frozen
class Facts:
    parsed: bool
    imports: tuple
    directives: tuple  # lines relative to the unit's start


def unit_facts(engine, unit: Unit):
    """The engine's cached facts for a unit: `.parsed`, `.imports`, `.directives`."""
    getter = getattr(engine, "_unit_facts", None)
    if getter is not None:
        with engine.lock:
            facts = getter(unit)
        return facts[0] if isinstance(facts, tuple) else facts  # (facts, tree) in newer engines
    from bastion.engine.context import import_facts
    from bastion.engine.suppress import comment_directives
    try:
        parsed, imports = True, import_facts(unit.parse())
    except (SyntaxError, ValueError, RecursionError):
        parsed, imports = False, ()
    names = getattr(engine, "_lookup", {})
    found = comment_directives(unit.text, 0, names, wrapped=unit.indented)
    return Facts(parsed, imports, tuple(found.values()))


class DocModel:
    def __init__(self, text: str, units: tuple[Unit, ...], broken: tuple, facts: list,
                 top_level: list[tuple[int, int]]) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.units = units
        self.broken = broken
        self.facts = facts  # per unit: the engine's UnitFacts
        self.starts = [u.start for u in units]
        self.top_level = top_level  # (first unit index, last unit index) per top-level statement
        self._contexts: list[Context] | None = None
        self._trees: dict[int, ast.Module] = {}
        self._bound: dict[int, frozenset[str]] = {}

    # -- building -------------------------------------------------------------------------
    @classmethod
    def build(cls, text: str, engine) -> DocModel:
        split = split_document(text)
        units = whole_functions(split.units, text.split("\n"))
        facts = [unit_facts(engine, u) for u in units]
        return cls(text, units, split.broken, facts, _top_level(units))

    @classmethod
    def from_split(cls, text: str, split, engine) -> DocModel | None:
        """The model of a text the engine has just split (no parse: facts come from its cache);
        None when the split does not fit the text."""
        lines = text.split("\n")
        units = tuple(split.units)
        for unit in (units[:1] + units[-1:]) if units else ():
            if unit.end >= len(lines) or unit.text != "".join(
                    line + "\n" for line in lines[unit.start:unit.end + 1]):
                return None
        units = whole_functions(units, lines)
        facts = [unit_facts(engine, u) for u in units]
        return cls(text, units, tuple(split.broken), facts, _top_level(units))

    def analyse(self, engine, path: str, config):
        """The engine's analysis of this text through its per-unit caches (one unit changed
        since the last analysis costs one unit), falling back to a plain analysis."""
        from bastion.engine.engine import apply_config
        from bastion.engine.units import Split
        try:
            raw = engine.analyse_raw(self.text, path, Split(self.units, self.broken), self.lines)
        except TypeError:  # an engine without split reuse
            return engine.analyse(self.text, path, config)
        return apply_config(raw, path, config)

    def update(self, text: str, engine) -> DocModel:
        """The model of `text`, re-splitting only the top-level statements that changed."""
        if text == self.text:
            return self
        if self.broken:
            return DocModel.build(text, engine)
        new_lines = text.split("\n")
        old_lines = self.lines
        head = 0
        limit = min(len(old_lines), len(new_lines))
        while head < limit and old_lines[head] == new_lines[head]:
            head += 1
        tail = 0
        while (tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]):
            tail += 1
        old_last = len(old_lines) - 1 - tail
        shift = len(new_lines) - len(old_lines)
        new_last = old_last + shift
        first = bisect.bisect_right(self.starts, old_last)  # units starting after the change
        touched = [i for i in range(max(first - 1, 0), first) if self.units[i].end >= head]
        # A class header's range runs up to its first member: a gap after it is not a gap.
        after_header = first > 0 and bool(self.units[first - 1].suffix)
        if not touched and not after_header and _blank_or_comments(old_lines[head:old_last + 1]) \
                and _blank_or_comments(new_lines[head:new_last + 1]):
            return self._replaced(text, first, first, (), engine)
        if len(touched) == 1 and not self.units[touched[0]].suffix:
            unit = self.units[touched[0]]
            if unit.start <= head and old_last <= unit.end:
                moved = _reparse_unit(unit, new_lines, shift)
                if moved is not None:
                    return self._replaced(text, touched[0], touched[0] + 1, moved, engine)
        return self._resplit(text, new_lines, head, old_last, shift, engine)

    def _replaced(self, text: str, lo: int, hi: int, new_units: tuple, engine) -> DocModel:
        """The model with units lo..hi-1 replaced by `new_units` and the rest shifted."""
        shift = len(text.split("\n")) - len(self.lines)
        after = tuple(_moved(u, shift) for u in self.units[hi:])
        units = self.units[:lo] + tuple(new_units) + after
        facts = self.facts[:lo] + [unit_facts(engine, u) for u in new_units] + self.facts[hi:]
        return DocModel(text, units, (), facts, _top_level(units))

    def _resplit(self, text: str, new_lines: list[str], head: int, old_last: int, shift: int,
                 engine) -> DocModel:
        """Re-split the top-level statements that hold the change (a class and its members)."""
        groups = [g for g in self.top_level
                  if self.units[g[0]].start <= max(old_last, head) and _group_end(self, g) >= head]
        if not groups:
            return DocModel.build(text, engine)
        first, last = groups[0][0], groups[-1][1]
        start = self.units[first].start
        end_old = self.units[last].end
        if head < start or old_last > end_old:
            return DocModel.build(text, engine)
        region = "\n".join(new_lines[start:end_old + shift + 1]) + "\n"
        inner = split_document(region)
        if inner.broken or not inner.units:
            return DocModel.build(text, engine)
        moved = tuple(_moved(u, start) for u in inner.units)
        return self._replaced(text, first, last + 1, whole_functions(moved, new_lines), engine)

    # -- queries --------------------------------------------------------------------------
    def unit_index(self, line: int) -> int | None:
        index = bisect.bisect_right(self.starts, line) - 1
        if index >= 0 and self.units[index].start <= line <= self.units[index].end:
            return index
        return None

    def context(self, index: int) -> Context:
        if self._contexts is None:
            contexts, current = [], EMPTY
            for facts in self.facts:
                contexts.append(current)
                current = current.plus(facts.imports)
            self._contexts = contexts
        return self._contexts[index]

    def names_in_scope(self, index: int) -> dict[str, str]:
        """Import aliases visible in a unit: earlier units' and its own (bandit's view)."""
        aliases = self.context(index).alias_map()
        for fact in self.facts[index].imports:
            if fact[0] == "import":
                if fact[2]:
                    aliases[fact[2]] = fact[1]
            else:
                aliases[fact[3] or fact[2]] = f"{fact[1]}.{fact[2]}"
        return aliases

    def tree(self, index: int) -> ast.Module:
        tree = self._trees.get(index)
        if tree is None:
            tree = self.units[index].parse()
            self._trees[index] = tree
        return tree

    def bound(self, index: int) -> frozenset[str]:
        """Names the unit binds (cached)."""
        found = self._bound.get(index)
        if found is None:
            from bastion.fixes.target import bound_names
            found = self._bound[index] = bound_names(self.tree(index))
        return found

    def top_imports(self) -> list[tuple[int, tuple]]:
        """(last line, import facts) of each top-level import statement, in order."""
        found = []
        for first, last in self.top_level:
            unit = self.units[first]
            if first == last and not unit.indented and unit.text.lstrip().startswith(
                    ("import ", "from ")) and self.facts[first].imports:
                found.append((unit.end, self.facts[first].imports))
        return found

    def import_line(self, before_line: int) -> int:
        """Where a new top-level import goes: after the last top-level import that starts before
        `before_line`, else after the module docstring and `from __future__` imports."""
        best = None
        for end, _facts in self.top_imports():
            if end < before_line:
                best = end + 1
        if best is not None:
            return best
        if not self.units:
            return 0
        first = self.units[0]
        if not first.indented and self._is_docstring(0) and first.end < before_line:
            return first.end + 1
        return min(first.start, before_line)

    def _is_docstring(self, index: int) -> bool:
        body = self.tree(index).body
        return bool(body) and isinstance(body[0], ast.Expr) and isinstance(
            body[0].value, ast.Constant) and isinstance(body[0].value.value, str)

    def has_import(self, fact: tuple, before_line: int | None = None) -> bool:
        """The import is already at top level (before `before_line` if given)."""
        if fact[0] == "import":
            return self.imports_module(fact[1], before_line)
        for end, facts in self.top_imports():
            if before_line is not None and end >= before_line:
                continue
            if any(f[0] == "from" and f[1] == fact[1] and f[2] == fact[2] and not f[3]
                   for f in facts):
                return True
        return False

    def imports_module(self, module: str, before_line: int | None = None) -> bool:
        """A top-level `import module` (without `as`) exists (before `before_line` if given)."""
        for end, facts in self.top_imports():
            if before_line is not None and end >= before_line:
                continue
            if any(f[0] == "import" and f[1] == module and f[2] in (None, module.split(".")[0])
                   for f in facts):
                return True
        return False


def _blank_or_comments(lines: list[str]) -> bool:
    return all(not line.strip() or line.lstrip().startswith("#") for line in lines)


def _reparse_unit(unit: Unit, new_lines: list[str], shift: int) -> tuple[Unit, ...] | None:
    """The units of one edited unit, when it still parses on its own at the same indentation."""
    end = unit.end + shift
    if end < unit.start:
        return None
    old_first = unit.text.split("\n", 1)[0]
    new_first = new_lines[unit.start]
    if _indent(old_first) != _indent(new_first) or not new_first.strip() or \
            new_first.lstrip().startswith("#"):
        return None
    text = "".join(line + "\n" for line in new_lines[unit.start:end + 1])
    candidate = Unit(unit.start, end, text, unit.indented, in_function=unit.in_function)
    try:
        tree = candidate.parse()
        from bastion.engine.units import _units_of_body
    except (SyntaxError, ValueError, RecursionError, ImportError):
        return None
    body = tree.body[0].body if unit.indented else tree.body
    try:
        units = tuple(_units_of_body(body, new_lines, unit.indented, None, unit.in_function))
    except Exception:  # noqa: BLE001  (the engine's splitter changed shape: split again fully)
        return None
    if not units or units[0].start != unit.start or units[-1].end != end:
        return None
    return whole_functions(units, new_lines)


def whole_functions(units: tuple[Unit, ...], lines: list[str]) -> tuple[Unit, ...]:
    """The engine's units with each function whole again (its header and body statements in
    one unit): a fix rewrites the smallest statement that holds a finding, and a finding in a
    function's signature is held by the whole function."""
    merged: list[Unit] = []
    index = 0
    while index < len(units):
        unit = units[index]
        index += 1
        if not unit.suffix or not _FUNCTION_HEADER.match(unit.text):
            merged.append(unit)
            continue
        indent = _indent(unit.text)
        end = unit.end
        while index < len(units) and len(_indent(units[index].text)) > len(indent):
            end = units[index].end
            index += 1
        text = "".join(line + "\n" for line in lines[unit.start:end + 1])
        merged.append(Unit(unit.start, end, text, unit.indented, in_function=unit.in_function))
    return tuple(merged)


# A function header's first statement line (after its decorators).
_FUNCTION_HEADER = re.compile(r"(?:[ \t]*@[^\n]*\n(?:[ \t]*[^\n]*\n)*?)?[ \t]*(?:async[ \t]+)?def\b")


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip())]


def _moved(unit: Unit, lines: int) -> Unit:
    if not lines:
        return unit
    if hasattr(unit, "moved"):
        return unit.moved(lines)  # keeps the digest
    return Unit(unit.start + lines, unit.end + lines, unit.text, unit.indented, unit.suffix,
                unit.in_function)


def _group_end(model: DocModel, group: tuple[int, int]) -> int:
    return model.units[group[1]].end


def _top_level(units: tuple[Unit, ...]) -> list[tuple[int, int]]:
    """Group unit indexes into top-level statements (a class header and its members)."""
    groups: list[tuple[int, int]] = []
    for index, unit in enumerate(units):
        if unit.indented and groups:
            groups[-1] = (groups[-1][0], index)
        else:
            groups.append((index, index))
    return groups

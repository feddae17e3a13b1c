"""The engine's view of one document version, kept for fixes: units, their import facts and the
import context before each unit, so that a fix can be checked by re-analysing one unit only.

A model holds the engine's split of its text. The next version's model derives its split from
it with the engine's own `IncrementalSplitter` (only the statements an edit touched are split
again), so code actions after an edit do no whole-file work. A model is not changed after it is
built, except that analysing it fills its split's unit records (the engine's reuse for the next
version); one thread uses a model at a time (the fix service's worker). Everything it asks of the
engine goes through the engine's public API (`unit_facts`, `analyse_raw`, `unit_findings`).
"""

from __future__ import annotations

import ast
import bisect
import re
import sys

from bastion.engine.context import EMPTY, Context
from bastion.engine.engine import apply_config
from bastion.engine.incremental import IncrementalSplitter
from bastion.engine.splitter import split_document
from bastion.engine.units import Split, Unit


class DocModel:
    def __init__(self, text: str, split: Split, engine) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.split = split  # the engine's split of `text`
        self.units = whole_functions(split.units, self.lines)
        self.broken = split.broken
        self.facts = [engine.unit_facts(u) for u in self.units]
        self.starts = [u.start for u in self.units]
        self.top_level = _top_level(self.units)  # (first, last unit index) per top-level statement
        self._contexts: list[Context] | None = None
        self._trees: dict[int, ast.Module] = {}
        self._bound: dict[int, frozenset[str]] = {}

    # -- building -------------------------------------------------------------------------
    @classmethod
    def build(cls, text: str, engine) -> DocModel:
        return cls(text, split_document(text), engine)

    @classmethod
    def from_split(cls, text: str, split: Split, engine) -> DocModel | None:
        """The model of a text the engine has just split (no parse: facts come from its cache);
        None when the split does not fit the text. The split is copied, not shared: its owner
        keeps its records."""
        lines = text.split("\n")
        units = tuple(split.units)
        for unit in (units[:1] + units[-1:]) if units else ():
            if unit.end >= len(lines) or unit.text != "".join(
                    line + "\n" for line in lines[unit.start:unit.end + 1]):
                return None
        return cls(text, Split(units, tuple(split.broken)), engine)

    def analyse(self, engine, path: str, config):
        """The engine's analysis of this text through its per-unit caches: one unit changed
        since the model this one was derived from was analysed costs one unit."""
        return apply_config(engine.analyse_raw(self.text, path, self.split, self.lines), path,
                            config)

    def update(self, text: str, engine) -> DocModel:
        """The model of `text`, re-splitting only the statements that changed."""
        if text == self.text:
            return self
        new_lines = text.split("\n")
        old_lines = self.lines
        limit = min(len(old_lines), len(new_lines))
        head = 0
        while head < limit and old_lines[head] == new_lines[head]:
            head += 1
        tail = 0
        while tail < limit - head and old_lines[-1 - tail] == new_lines[-1 - tail]:
            tail += 1
        splitter = IncrementalSplitter()  # from this model's split, whatever came after it
        splitter.adopt(self.split, len(old_lines))
        return DocModel(text, splitter.update(new_lines, head, tail), engine)

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

    def header_imports(self) -> list[tuple[int, int, tuple]]:
        """(first line, last line, import facts) of the module's first run of top-level import
        statements: where isort keeps them, and where a new import goes."""
        found: list[tuple[int, int, tuple]] = []
        for first, last in self.top_level:
            unit = self.units[first]
            is_import = first == last and not unit.indented and unit.text.lstrip().startswith(
                ("import ", "from ")) and self.facts[first].imports
            if is_import:
                found.append((unit.start, unit.end, self.facts[first].imports))
            elif found:
                break
        return found

    def import_line(self, before_line: int, fact: tuple | None = None) -> int:
        """Where a new top-level import (`fact`) goes: in the module's first block of imports,
        with the imports of its isort section (future, standard library, third party, local),
        in alphabetical order when they are; else after the last top-level import that starts
        before `before_line`, else after the module docstring."""
        header = [h for h in self.header_imports() if h[1] < before_line]
        if header and fact is not None:
            return _isort_position(header, fact)
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

    def section_breaks(self, line: int, fact: tuple) -> tuple[bool, bool]:
        """(blank line before, blank line after) an import of `fact` inserted at `line`: isort
        sets sections apart, so a new section next to another one gets a blank line."""
        section = _isort_key(fact)[0]
        before = after = False
        for start, end, facts in self.header_imports():
            if end == line - 1:
                before = _isort_key(facts[0])[0] != section
            if start == line:
                after = _isort_key(facts[0])[0] != section
        return before, after

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


def _isort_position(header: list[tuple[int, int, tuple]], fact: tuple) -> int:
    section, key = _isort_key(fact)
    keyed = [(start, end, _isort_key(facts[0])) for start, end, facts in header]
    same = [(start, end, k) for start, end, (sec, k) in keyed if sec == section]
    if same:
        keys = [k for _start, _end, k in same]
        if keys == sorted(keys):
            following = next((start for start, _end, k in same if k > key), None)
            if following is not None:
                return following
        return same[-1][1] + 1
    earlier = [end for _start, end, (sec, _k) in keyed if sec < section]
    return max(earlier) + 1 if earlier else header[0][0]


def _isort_key(fact: tuple) -> tuple[int, tuple]:
    """(section, order within it): `import x` lines before `from x import y`, by module."""
    module = fact[1] or ""
    top = module.split(".")[0]
    if top == "__future__":
        section = 0
    elif not top or module.startswith("."):
        section = 3
    elif top in sys.stdlib_module_names:
        section = 1
    else:
        section = 2
    return section, (fact[0] == "from", module.lower())


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


# A function header's first statement line (after its decorators). Each line after the first
# decorator is matched one way only: with `[ \t]*[^\n]*\n` (the same lines) a header that is not
# a function's, after a 14-line decorator, tried every split of every line (`bastion check --diff`
# did not end in 2 minutes on a test class under a long `pytest.mark.parametrize`).
_FUNCTION_HEADER = re.compile(r"(?:[ \t]*@[^\n]*\n(?:[^\n]*\n)*?)?[ \t]*(?:async[ \t]+)?def\b")


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip())]


def _top_level(units: tuple[Unit, ...]) -> list[tuple[int, int]]:
    """Group unit indexes into top-level statements (a class header and its members)."""
    groups: list[tuple[int, int]] = []
    for index, unit in enumerate(units):
        if unit.indented and groups:
            groups[-1] = (groups[-1][0], index)
        else:
            groups.append((index, index))
    return groups

"""CalleeMemo's searches of its functions' texts (callees.py): whether a function's text names a
source as the module spells it, or holds a call or SQL text a judged pattern flags, and a
pattern's matches; each answer kept by the function's node record across texts.

`TextSearches` is CalleeMemo's base and holds no state: the records, texts, memo and per-text
tables it reads are CalleeMemo's (moved out of callees.py as is, when it reached 400 lines).
"""

from __future__ import annotations

import re
from collections.abc import Container

from bastion.analyzers.taint.callee_records import NodeRecord
from bastion.analyzers.taint.entries import Function
from bastion.analyzers.taint.needles import matches_in_code
from bastion.analyzers.taint.verdicts import TRIGGER
from bastion.digests import blake2b


class TextSearches:
    """`CalleeMemo`'s searches of function texts (callees.py)."""

    def judged(self, function: Function, absent: Container[str] = ()) -> bool:
        """Whether the function may hold a call or SQL text a judged pattern flags: a search of
        its text, without walking its tree (most functions of a module are not relevant)."""
        if self.texts is None:
            return self.facts(function).judged
        return self.reads_source(function, TRIGGER, absent)

    def reads_source(self, function: Function, trigger: re.Pattern,
                     absent: Container[str] = ()) -> bool:
        """Whether the function's text names a source as the module spells it (`trigger`).
        `absent`: names whose text the caller found cannot match (needles.py): not searched."""
        if self.cache is None or self.texts is None:
            return self._search(function, trigger, absent)
        record, pattern_key, found = self._kept(function, trigger)
        if found is None:
            key = self.digest(function) + pattern_key  # the same text at another node
            found = self.cache.get(key)
            if found is None:
                found = self._search(function, trigger, absent)
                self.cache.put(key, found)
            if record is not None:
                record.reads[pattern_key] = found
                table = self._tables.get(pattern_key)
                if table is not None:
                    table[function.node] = found
        return found

    def kept_reads(self, functions: list[Function], trigger: re.Pattern
                   ) -> tuple[set[str], list[Function], list[Function]]:
        """`reads_source` of `functions` as far as their nodes keep it from an earlier text:
        the names it answers True for, the functions it does not keep (to ask), and of those
        the ones `reads_source` would search (no answer kept for their text either). The
        answers of the last text's functions are read from one table kept by the trigger (a
        dict look-up a function, not a record's in the LRU: 13% of a key in `_pydecimal.py`),
        which this text's then replaces; a node it does not hold is looked up by its record,
        then by its text's digest."""
        if self.texts is None:
            return set(), functions, []
        if self.cache is None:
            return set(), functions, functions
        pattern_key = self._pattern_key(trigger)
        earlier = self.cache.get((b"kept reads", pattern_key)) or {}
        table = self._tables[pattern_key] = {}
        self.cache.put((b"kept reads", pattern_key), table)
        matching, asked, searched = set(), [], []
        named = self.module.by_name()  # read without `get`, a call a function (_pydecimal's ~230)
        for function in functions:
            node = function.node
            # the same node has the same text, unless a later function of its name now hides it
            # (`_record`): its name's text is the later one's
            name = function.name
            if node in earlier and (named[name] if name in named else None) is function:
                found = earlier[node]
            else:
                record, _, found = self._kept(function, trigger)
                if found is None:  # the answer for the same text at another node (an edit above
                    # moved it: `reads_source` would find it so, at 10 µs a function), or none
                    found = self.cache.get(self.digest(function) + pattern_key)
                    if found is None:
                        asked.append(function)
                        searched.append(function)
                        continue
                    if record is None:  # a function a later one of its name hides: no node's
                        matching.update((function.name,) if found else ())
                        continue
                    record.reads[pattern_key] = found
            table[node] = found
            if found:
                matching.add(function.name)
        return matching, asked, searched

    def found_in(self, functions: list[Function], pattern: re.Pattern) -> set | None:
        """`pattern.findall` over the texts of `functions`, each kept by its node's record across
        texts (a keystroke searches the functions it changed); None without texts, or when a
        later function of the same name hides one (its name's text is the later one's)."""
        named = self.module.function_named
        if self.texts is None or any(named(f.name) is not f for f in functions):
            return None
        pattern_key = self._pattern_key(pattern)
        found: set = set()
        for function in functions:
            record = self._record(function)
            kept = record.finds.get(pattern_key) if record is not None else None
            if kept is None:
                kept = frozenset(pattern.findall(self.texts[function.name]))
                if record is not None:
                    record.finds[pattern_key] = kept
            found |= kept
        return found

    def _pattern_key(self, trigger: re.Pattern) -> bytes:
        pattern_key = self._patterns.get(trigger.pattern)
        if pattern_key is None:
            pattern_key = self._patterns[trigger.pattern] = blake2b(
                trigger.pattern.encode(), digest_size=8).digest()
        return pattern_key

    def _kept(self, function: Function, trigger: re.Pattern
              ) -> tuple[NodeRecord | None, bytes, bool | None]:
        pattern_key = self._pattern_key(trigger)
        record = self._record(function)
        return record, pattern_key, record.reads.get(pattern_key) if record is not None else None

    def _search(self, function: Function, trigger: re.Pattern, absent: Container[str]) -> bool:
        return function.name not in absent and matches_in_code(trigger, self.texts[function.name])

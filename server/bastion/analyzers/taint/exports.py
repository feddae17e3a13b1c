"""A workspace module's summaries as other files see them: every step and origin located in
that module's file (columns in characters), no tree of it kept, each made when first read."""

from __future__ import annotations

from collections.abc import Callable, Container

import attrs

from bastion.analyzers.taint.domain import Origin, Step, Value
from bastion.analyzers.taint.results import HeldCall, Hit, Summary
from bastion.analyzers.taint.summaries import inner_steps
from bastion.analyzers.taint.workspace_names import split_name
from bastion.model.text import byte_to_char_col, line_at


class Exports:
    """A module's summaries as other files see them (`export`), each made when first read: a
    scan asks most modules for a few of their functions."""

    def __init__(self, path: str, lines: list[str], table: dict[str, str] | None = None,
                 classes: Container[str] = ()) -> None:
        self._path, self._lines = path, lines
        self._table, self._classes = table or {}, classes
        self._raw: dict[str, Summary] = {}
        self._exported: dict[str, Summary] = {}
        self._whole: dict[str, Summary] = {}  # with the proofs of a call on an instance

    def put(self, name: str, summary: Summary) -> None:
        """`name` a function's or a class's method's: the method's proofs made for its instances
        are not its (`Class.method(x)`: `x` is its `self`; a subclass's instance)."""
        self._whole[name] = summary
        self._put(name, attrs.evolve(summary, proves=tuple(p for p in summary.proves
                                                          if not p.on_instance))
                  if any(p.on_instance for p in summary.proves) else summary)

    def _put(self, name: str, summary: Summary) -> None:
        self._raw[name] = summary
        self._exported.pop(name, None)

    def get(self, name: str) -> Summary | None:
        found = self._exported.get(name)
        if found is None:
            raw = self._raw.get(name)
            if raw is None:
                return None
            found = self._exported[name] = export(raw, self._path, self._lines,
                                                  lambda kind: placed_kind(kind, self._path, self._table,
                                                                           self._classes))
        return found

    def alias(self, alias: str, name: str) -> None:
        """`db.query` for `Database.query`, `db = Database()` being a module-level instance of
        that class: its proofs made for instances hold. `UrlPolicy().allows` (the class's own
        call) only for those: else a caller finds the method by its class (summary_for)."""
        whole = self._whole[name]
        if whole is not self._raw[name] or not alias.startswith(name.partition(".")[0] + "()."):
            self._put(alias, whole)

    def names(self) -> list[str]:
        return list(self._raw)

    def all(self) -> dict[str, Summary | None]:
        return {name: self.get(name) for name in self._raw}


def placed_kind(kind: str | None, path: str, table: dict[str, str], classes: Container[str]) -> str | None:
    """An instance's kind as any file can look its class's methods up (held_calls.py): by the
    file defining the class (`path::UserService()`), not as this module spells it (a class of its
    own, `UserService()`; one it imports, `repositories.UserRepository()`)."""
    if kind is None or not kind.endswith("()") or "::" in kind:
        return kind
    name = kind[:-2]
    if "." not in name:
        return f"{path}::{kind}" if name in classes else kind
    target, cls = split_name(name, table)
    return f"{target}::{kind[len(name) - len(cls):]}" if target is not None and cls[:1].isupper() \
        and "." not in cls else kind


def export(summary: Summary, path: str, lines: list[str],
           kinds: Callable[[str | None], str | None] = lambda kind: kind) -> Summary:
    """The summary as another file sees it: every step and origin located in `path` (columns
    in characters), no tree of this module kept, its instances' `kinds` placed (placed_kind)."""
    sinks = tuple(Hit(h.sink_class, h.sink, None, None, h.value.evolve(steps=()),
                      via=tuple(_located(s, path, lines) for s in inner_steps(h)), vector=h.vector)
                  for h in summary.sinks)
    fields = {name: _exported_value(value, path, lines, kinds) for name, value in summary.fields.items()}
    return Summary(summary.params, _exported_value(summary.returns, path, lines, kinds), sinks, fields,
                   summary.field_params, summary.with_fields and export(summary.with_fields,
                                                                        path, lines, kinds),
                   summary.hands_on, tuple(attrs.evolve(p, value=_exported_value(p.value, path, lines, kinds))
                                           if p.value is not None else p for p in summary.proves),
                   summary.adds, tuple(HeldCall(c.param, c.method,
                                                tuple(_exported_value(v, path, lines, kinds) for v in c.args),
                                                tuple((k, _exported_value(v, path, lines, kinds))
                                                      for k, v in c.keywords),
                                                _located(c.step, path, lines)) for c in summary.held),
                   summary.getter)


def _exported_value(value: Value, path: str, lines: list[str],
                    kinds: Callable[[str | None], str | None], depth: int = 0) -> Value:
    """Its slots kept apart to the depth a caller reads them (summaries.shaped)."""
    if value.items and depth < 3:
        items = {key: _exported_value(item, path, lines, kinds, depth + 1)
                 for key, item in value.items.items()}
    else:
        value, items = value.flat(), None
    return value.evolve(taint=frozenset(_origin(o, path, lines) for o in value.taint),
                        steps=tuple(_located(s, path, lines) for s in value.steps), items=items,
                        kind=kinds(value.kind),
                        reported=frozenset())  # lines of this module, not the caller's


def _located(step: Step, path: str, lines: list[str]) -> Step:
    if step.path is not None:
        return step
    return Step(step.line, byte_to_char_col(line_at(lines, step.line), step.col), step.end_line,
                byte_to_char_col(line_at(lines, step.end_line), step.end_col), step.note, path)


def _origin(origin: Origin, path: str, lines: list[str]) -> Origin:
    if origin.kind == "param" or origin.path is not None:
        return origin
    return origin.evolve(path=path,
                        col=byte_to_char_col(line_at(lines, origin.line), origin.col))


def stale(summary: Summary) -> Summary:
    """A summary of a module edited since: still used, at medium confidence."""
    return Summary(summary.params, _unmodelled(summary.returns),
                   tuple(attrs.evolve(h, value=h.value.evolve(modelled=False))
                         for h in summary.sinks),
                   {k: v.evolve(modelled=False) for k, v in summary.fields.items()},
                   summary.field_params, summary.with_fields and stale(summary.with_fields),
                   summary.hands_on, summary.proves,
                   held=tuple(attrs.evolve(c, args=tuple(_unmodelled(v) for v in c.args),
                                      keywords=tuple((k, _unmodelled(v)) for k, v in c.keywords))
                         for c in summary.held), getter=summary.getter)


def _unmodelled(value: Value) -> Value:
    """`value` and each of its slots (read apart: summaries.shaped) as from a stale summary."""
    items = {key: _unmodelled(item) for key, item in value.items.items()} if value.items else None
    return value.evolve(modelled=False, items=items)

"""What a function's summary is to its callers, as a digest (a summary's fingerprint): the
analysis cache keys a caller's outcome by its callees' (function_keys.py), a recursive cycle
is settled when none changes (analysis.py), and a workspace module's published summaries are
compared by them (workspace_entries.py).
"""

from __future__ import annotations

from collections.abc import Callable

from bastion.analyzers.taint.domain import UNKNOWN, Origin, Step, Value
from bastion.analyzers.taint.results import Summary
from bastion.digests import blake2b


def _as_is(line: int) -> int:
    return line


def summary_fingerprint(summary: Summary, place: Callable[[int], object] = _as_is) -> bytes:
    """What callers' results depend on, where the steps are included: a caller's finding and
    its path show them (an edit inside a helper moves its sink without changing what it does).
    `place` tells a line of this file: `Places.relative` (places.py) in the analysis cache's keys,
    where an Enter above a callee moves its lines but not what its callers find of it."""
    def describe(value: Value) -> tuple:
        return (sorted(repr(_origin(o, place)) for o in value.deep_taint()),
                # the findings it carries (upstream.py): a caller reports its own sink or not
                sorted(repr((sink_class, place(line))) for sink_class, line in value.reported),
                sorted(value.clean), value.kind, "?" if value.const is UNKNOWN else repr(value.const),
                # a caller's finding's confidence, a pattern finding's retraction, a fixed host
                value.modelled, value.known, value.prefix,
                _placed(value.steps, place),
                # which slot holds what: a caller reads them apart (summaries.shaped)
                sorted((repr(k), describe(v)) for k, v in (value.items or {}).items()))
    parts = (summary.params, describe(summary.returns),
             sorted(repr((h.sink_class, h.sink, describe(h.value), _placed(h.via, place),
                          _placed((h.sink_step(),) if h.node is not None else (), place), h.vector))
                    for h in summary.sinks),
             sorted(repr((k, describe(v))) for k, v in summary.fields.items()),
             summary.field_params, summary.hands_on,
             [(p.param, p.name, describe(p.value) if p.value is not None else None, sorted(p.clean),
               p.normalized, p.truth, p.on_instance, p.host_fixed) for p in summary.proves],
             summary_fingerprint(summary.with_fields, place) if summary.with_fields else b"",
             # what an argparse helper declares: a module handing it a parser reads it
             None if summary.adds is None else tuple(sorted(map(repr, part)) for part in summary.adds),
             [(c.param, c.method, [describe(v) for v in c.args],
               [(k, describe(v)) for k, v in c.keywords], _placed((c.step,), place)) for c in summary.held])
    return blake2b(repr(parts).encode(), digest_size=16).digest()


def _origin(o: Origin, place: Callable[[int], object]) -> tuple:
    """Its columns and end too: a caller's finding names its first origin by (line, column)."""
    if o.path is not None:
        return o.kind, o.param, o.key, o.label, o.line, o.col, o.end_line, o.end_col
    # an origin made without its end (a parameter's) keeps end_line 0, as moves.py leaves it
    end_line = place(o.end_line) if o.end_line >= o.line else o.end_line
    return o.kind, o.param, o.key, o.label, place(o.line), o.col, end_line, o.end_col


def _placed(steps: tuple[Step, ...], place: Callable[[int], object]) -> tuple:
    return tuple((s.line, s.col, s.end_line, s.end_col, s.path) if s.path is not None
                 else (place(s.line), s.col, place(s.end_line), s.end_col, None) for s in steps)

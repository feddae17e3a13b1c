"""_rebound_through searches for `setattr(checks, ...)` and `vars(checks)` only in a text holding
the words they start with (a scan's speed-up): its answer must be the one searching every text,
for texts binding a module's names through each form, alone and two by two."""

from __future__ import annotations

import itertools

from bastion.analyzers.taint.foreign_changes import _rebound_through

_IMPORT = "import app.checks\nimport app.checks as checks\n"
_FORMS = (
    "setattr(checks, 'MODE', 'x')", 'delattr(checks, "CMD")', "patch.object(checks, 'MODE', 1)",
    "setattr(checks, name, 1)", "delattr(app.checks, key)", "mock.patch.object( app . checks , 'CMD')",
    "vars(checks)['MODE'] = 1", "checks.__dict__.update(x)", "app.checks . __dict__['CMD'] = 2",
    "checks.MODE = 'y'", "app.checks.CMD += 'z'", "x.checks.MODE = 1", "checks.MODE == 1",
    "setattr(other, 'MODE', 1)", "print(vars())", "class A(object): pass", "y = checks.MODE",
)


class _Holding(str):
    """A text said to hold every word: searched as before the speed-up."""

    def __contains__(self, word: object) -> bool:
        return True


def test_the_answer_is_the_one_searching_every_text():
    bound = frozenset({"MODE", "CMD"})
    spans = [(0, len(_IMPORT))]
    differing = set()
    for forms in itertools.chain(((f,) for f in _FORMS), itertools.combinations(_FORMS, 2)):
        text = _IMPORT + "\n".join(forms) + "\n"
        for written in ("checks", "app.checks"):
            expected = _rebound_through(written, _Holding(text), spans, bound)
            assert _rebound_through(written, text, spans, bound) == expected, (written, text)
            differing.add(frozenset(expected))
    assert len(differing) == 4  # none, each name, both: the forms are told apart

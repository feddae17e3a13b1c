"""_rebound_through finds where `setattr(`, `delattr(`, `object(` and `vars(` calls start once
per importer's text (`_calls_at`), then reads each module name there; `\\b` in front of
`checks.__dict__` is tested apart (a scan's speed-up): its answer must be the one of the full
patterns searched in every text, as before (`_reference`), for texts binding a module's names
through each form, alone and two by two."""

from __future__ import annotations

import itertools
import re

from bastion.analyzers.taint.foreign_changes import _REBOUND, Imports, _calls_at, _outside, _rebound_through

_IMPORT = "import app.checks\nimport app.checks as checks\n"
_FORMS = (
    "setattr(checks, 'MODE', 'x')", 'delattr(checks, "CMD")', "patch.object(checks, 'MODE', 1)",
    "setattr(checks, name, 1)", "delattr(app.checks, key)", "mock.patch.object( app . checks , 'CMD')",
    "vars(checks)['MODE'] = 1", "checks.__dict__.update(x)", "app.checks . __dict__['CMD'] = 2",
    "checks.MODE = 'y'", "app.checks.CMD += 'z'", "x.checks.MODE = 1", "checks.MODE == 1",
    "setattr(other, 'MODE', 1)", "print(vars())", "class A(object): pass", "y = checks.MODE",
    # a word in front: no call of theirs, no name of the module
    "mysetattr(checks, name)", "éobject(checks, 'MODE')", "myvars(checks)", "_vars (checks)",
    "xchecks.__dict__.clear()", "échecks.__dict__.clear()", "setattr\n(\n checks ,\n'CMD')",
)
_SETTER = r"\b(?:setattr|delattr|object)\s*\(\s*{}\s*,\s*(?:(?:'(\w+)'|\"(\w+)\")\s*[,)])?"
_NAMESPACE = r"\bvars\s*\(\s*{0}\s*\)|\b{0}\s*\.\s*__dict__\b"


def _reference(written: str, text: str, spans: list[tuple[int, int]],
               bound: frozenset[str]) -> set[str]:
    """The answer before the speed-up: each pattern searched whole, in the whole text."""
    escaped = re.escape(written).replace(r"\.", r"\s*\.\s*")
    found: set[str] = set()
    for match in re.finditer(_SETTER.format(escaped), text):
        name = match.group(1) or match.group(2)
        if _outside(match.start(), spans):
            if name is None:
                return set(bound)
            found.add(name)
    if any(_outside(m.start(), spans) for m in re.finditer(_NAMESPACE.format(escaped), text)):
        return set(bound)
    assigned = {m.group(1) for m in re.finditer(escaped + _REBOUND().pattern, text)
                if _outside(m.start(), spans)
                and not (m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "_."))}
    return (found | assigned) & bound


def test_the_answer_is_the_one_searching_every_text():
    bound = frozenset({"MODE", "CMD"})
    spans = [(0, len(_IMPORT))]
    differing = set()
    for forms in itertools.chain(((f,) for f in _FORMS), itertools.combinations(_FORMS, 2)):
        text = _IMPORT + "\n".join(forms) + "\n"
        imports = Imports(spans, {}, {}, [], *_calls_at(text))
        for written in ("checks", "app.checks"):
            expected = _reference(written, text, spans, bound)
            assert _rebound_through(written, text, imports, bound) == expected, (written, text)
            differing.add(frozenset(expected))
    assert len(differing) == 4  # none, each name, both: the forms are told apart


def test_a_word_in_front_is_no_call_and_no_module_name():
    bound = frozenset({"MODE", "CMD"})
    for text in ("mysetattr(checks, name)\n", "éobject(checks, 'MODE')\n", "myvars(checks)\n",
                 "xchecks.__dict__.clear()\n"):
        assert _rebound_through("checks", text, Imports([], {}, {}, [], *_calls_at(text)), bound) == set()
    text = "x = 1; setattr(checks, name)\n"
    assert _rebound_through("checks", text, Imports([], {}, {}, [], *_calls_at(text)), bound) == bound

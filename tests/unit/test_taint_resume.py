"""A keystroke in a long function resumes its walk where the edit starts (resume.py): seeded
random edits inside a long Flask view, each analysis through the function cache compared with
a fresh one of the same text, finding by finding and summary by summary; and a resume one
statement too late is caught by the same comparison."""

from __future__ import annotations

import ast
import random

import pytest

from bastion.analyzers.taint import resume
from bastion.analyzers.taint.analysis import ModuleResult, analyse_module
from bastion.analyzers.taint.fingerprints import summary_fingerprint
from bastion.analyzers.taint.model_files import load_models
from bastion.analyzers.taint.results import Summary
from bastion.engine.cache import LRU

HEADER = '''import os
import re
import subprocess
from flask import Flask, abort, make_response, request
from markupsafe import escape

app = Flask(__name__)
BASE = "/srv"


def helper(value):
    return "p-" + value


@app.route("/v")
def view():
'''

# statements of the view's body, by the names they use; `{n}` a fresh number
STATEMENTS = [
    "    v{n} = request.args.get('p{n}', '')",
    "    v{n} = 'constant'",
    "    if '..' in v{m}:\n        abort(400)",
    "    w{n} = os.path.join(BASE, v{m})",
    "    subprocess.run(['ls', v{m}])",
    "    os.system('echo ' + v{m})",
    "    open(w{m}).close()",
    "    v{m} = escape(v{m})",
    "    v{m} = helper(v{m})",
    "    if not re.fullmatch('[a-z]+', v{m}):\n        abort(400)",
    "    for item{n} in request.args.getlist('l{n}'):\n        parts.append(item{n})",
    "    try:\n        v{m} = request.form['t{n}']\n    except KeyError:\n        v{m} = ''",
    "    d{n} = {{'k': v{m}}}\n    os.system(d{n}['k'])",
    "    if v{m}:\n        return v{m}",
    "    # a comment",
]


def _statement(rng: random.Random, n: int, length: int) -> str:
    return rng.choice(STATEMENTS).format(n=n, m=rng.randrange(0, length // 2))


def _text(body: list[str]) -> str:
    return HEADER + "\n".join(body) + "\n    return ''.join(parts)\n"


def _described(result: ModuleResult) -> list:
    """Every outcome's findings in order with their places, values and paths, its summary's
    fingerprint, and the rest of its result."""
    out = []
    for outcome in sorted(result.outcomes, key=lambda o: o.function):
        found = outcome.result
        hits = [(h.sink_class, h.sink, ast.dump(h.node, include_attributes=True),
                 h.statement.lineno, h.statement.col_offset,
                 summary_fingerprint(Summary((), h.value, (h,))), h.path()) for h in found.hits]
        out.append((outcome.function, summary_fingerprint(outcome.summary), hits,
                    summary_fingerprint(Summary((), found.returns, (), found.fields)),
                    sorted(found.seen.items()), found.handed_on, found.statements, found.skipped))
    return out


def _replay(seed: int, edits: int) -> tuple[int, int]:
    """(edits whose resumed analysis differs from a fresh one, resumed walks that skipped
    statements)."""
    rng = random.Random(seed)
    models = load_models()
    length = 40
    body = ["    parts = []"] + [f"    v{n} = request.args.get('p{n}', '')" for n in range(length // 2)]
    body += [_statement(rng, length + n, length) for n in range(length - len(body))]
    cache: LRU = LRU(256)
    differing = resumed = 0
    points = []
    real = resume.resume_point

    def counted(walked, signatures):
        points.append(real(walked, signatures))
        return points[-1]

    resume.resume_point, saved = counted, resume.resume_point
    try:
        for edit in range(edits):
            text = _text(body)
            kept = _described(analyse_module(ast.parse(text), models, cache, text))
            fresh = _described(analyse_module(ast.parse(text), models, LRU(256), text))
            differing += kept != fresh
            at = rng.randrange(1, len(body))
            what = rng.random()
            new = _statement(rng, 100 + edit, length)
            if what < 0.6:
                body[at] = new
            elif what < 0.8:
                body.insert(at, new)
            else:
                del body[at]
    finally:
        resume.resume_point = saved
    resumed = sum(1 for p in points if p > 0)
    return differing, resumed


def test_resumed_walks_find_what_fresh_walks_find() -> None:
    differing, resumed = _replay(seed=7, edits=16)
    assert differing == 0
    assert resumed >= 10  # the walks did resume, most of them past the start


def test_a_resume_one_statement_late_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    real = resume.resume_point
    monkeypatch.setattr(resume, "resume_point", lambda walked, signatures: min(
        real(walked, signatures) + 1, len(walked.states), len(signatures)))
    differing, _ = _replay(seed=7, edits=16)
    assert differing > 0


def test_a_walk_that_read_the_whole_function_is_not_resumed_past_the_read() -> None:
    """`resp = make_response(body)` reads the whole function for a later Content-Type
    (sinks.py): the states after it depend on later statements and are not kept."""
    models = load_models()
    body = ["    parts = []"] + [f"    v{n} = request.args.get('p{n}', '')" for n in range(30)]
    body += ["    resp = make_response(v0)", "    v1 = 'x'", "    resp.mimetype = 'text/html'",
             "    return resp"]
    cache: LRU = LRU(256)
    results = []
    for mimetype in ("text/html", "text/plain", "text/xml", "text/csv"):  # each text new
        body[-2] = f"    resp.mimetype = '{mimetype}'"
        text = HEADER + "\n".join(body) + "\n"
        kept = _described(analyse_module(ast.parse(text), models, cache, text))
        assert kept == _described(analyse_module(ast.parse(text), models, LRU(256), text))
        results.append(kept)
    # the later statement decides the earlier one's finding
    assert results[0] != results[1] and results[2] != results[3]
    walked = resume.checkpoints_in(cache)._walked
    states = [w.states for w in walked._data.values()]
    assert states and all(len(s) == 31 for s in states)  # none after `make_response`


def test_a_state_is_everything_the_walk_leaves() -> None:
    """Every attribute of an interpreter after a walk is kept in a state or never changes: one
    added to the interpreter without a place here would not be resumed."""
    from bastion.analyzers.taint.analysis import _run
    from bastion.analyzers.taint.context import module_context

    models = load_models()
    text = _text(["    parts = []", "    v0 = request.args.get('p0', '')", "    os.system(v0)"])
    module = module_context(ast.parse(text), models)
    names = []
    _run(module.function_named("view"), module, models, {}, {}, True,
         lambda interpreter: lambda body: (interpreter.block(body), names.extend(vars(interpreter))))
    assert sorted(names) == sorted([*resume.STATE, *resume.CONSTANT])


def test_states_stop_at_the_names_they_may_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past `KEPT_NAMES` bound names no state is kept: an edit after that point resumes from
    the last kept state, and finds what a fresh walk finds."""
    monkeypatch.setattr(resume, "KEPT_NAMES", 150)
    differing, resumed = _replay(seed=7, edits=6)
    assert differing == 0 and resumed > 0
    cache: LRU = LRU(256)
    text = _text(["    parts = []"] + [f"    v{n} = request.args.get('p{n}', '')" for n in range(30)])
    models = load_models()
    for _ in range(2):
        analyse_module(ast.parse(text), models, cache, text)
        text = text.replace("'p29', '')", "'p29', '')  # edited")
    (walked,) = resume.checkpoints_in(cache)._walked._data.values()
    assert 0 < len(walked.states) < 30
    assert sum(len(state[0]) for state in walked.states[:-1]) < 150


def test_a_guard_reading_a_later_binding_is_not_resumed_past() -> None:
    """`path.startswith(base)` asks every binding of `base` in the function (local_bindings.py),
    the ones below the guard too: a realpath alone leaves no separator at the end (`/srv` is a
    prefix of `/srv-old`), so `open` is reported. Editing a statement after `open` resumes the
    walk there; on main the resumed walk kept the guard's answer for the last text's bindings."""
    models = load_models()
    body = ["    parts = []"] + [f"    v{n} = request.args.get('p{n}', '')" for n in range(30)]
    body += ["    base = os.path.realpath(BASE)",
             "    path = os.path.realpath(os.path.join(base, v0))",
             "    if not path.startswith(base):",
             "        abort(403)",
             "    open(path).close()",
             "    v1 = 'x'",
             "    LATER",
             "    return ''"]
    cache: LRU = LRU(256)
    reported = []
    for later in ("v2 = 'y'", "base = os.path.realpath(BASE) + os.sep", "base = os.path.realpath(BASE)"):
        text = HEADER + "\n".join(body).replace("LATER", later) + "\n"
        kept = _described(analyse_module(ast.parse(text), models, cache, text))
        assert kept == _described(analyse_module(ast.parse(text), models, LRU(256), text)), later
        reported.append(len(kept[0][2]))
    assert reported == [1, 0, 1]  # a binding ending with a separator makes the guard hold

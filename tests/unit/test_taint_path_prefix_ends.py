"""Safe idioms and the wrong guards beside them (issue 12): a normalized path's text starts with a
base only at a separator when the base ends with one (`startswith(BASE + os.sep)`,
`os.path.join(BASE, "")`, a constant `"/srv/files/"`); a base known to end without one (a
constant, a normalized path, a directory name, in the function or as a global) also starts
`/srv/files2/x`, a sibling `../files2/x` reaches, so it stays reported, as a base the request
gives does. Cases written from the
os.path and pathlib documentation, checked through `bastion check`."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked, checked

HEADER = '''\
import os
from pathlib import Path

from flask import Flask, abort, request, send_file

app = Flask(__name__)
BASE = "/srv/files"
ROOT = os.path.realpath("/srv/data")
'''

# (the path, the test that must hold before it is sent, whether the send stays reported)
CASES = [
    ("os.path.realpath(os.path.join(BASE, request.args['n']))", "p.startswith(BASE)", True),
    ("os.path.realpath(os.path.join(BASE, request.args['n']))", "p.startswith(BASE + os.sep)", False),
    ("os.path.realpath(os.path.join(BASE, request.args['n']))",
     "p.startswith(base)  # base = os.path.realpath(BASE)", True),
    ("os.path.realpath(os.path.join(BASE, request.args['n']))",
     "p.startswith(base)  # base = os.path.realpath(BASE) + os.sep", False),
    ("(Path(BASE) / request.args['n']).resolve()", "str(p).startswith(str(Path(BASE).resolve()))", True),
    ("os.path.abspath(os.path.join(BASE, request.args['n']))", "p.startswith(f'{BASE}/')", False),
    ("os.path.abspath(os.path.join(BASE, request.args['n']))", "p.startswith(os.path.join(BASE, ''))",
     False),
    ("os.path.realpath(os.path.join(ROOT, request.args['n']))", "p.startswith(ROOT)", True),
    ("os.path.realpath(os.path.join(ROOT, request.args['n']))", "p.startswith(ROOT + os.sep)", False),
    # a base the request gives: the sender picks the directory
    ("os.path.realpath(os.path.join(BASE, request.args['n']))",
     "p.startswith(request.args['base'] + os.sep)", True),
    ("(Path(BASE) / request.args['n']).resolve()", "p.is_relative_to(request.args['base'])", True),
    # per component, not per character
    ("(Path(BASE) / request.args['n']).resolve()", "p.is_relative_to(BASE)", False),
    ("os.path.realpath(os.path.join(BASE, request.args['n']))", "os.path.commonpath([BASE, p]) == BASE",
     False),
    # normalized but never tested
    ("os.path.normpath(os.path.join(BASE, request.args['n']))", "True", True),
]


def view(number: int, path: str, test: str, reported: bool) -> str:
    test, _, base = test.partition("  # base = ")
    bound = f"    base = {base}\n" if base else ""
    mark = "  # BST201" if reported else ""
    return (f"\n\n@app.route('/{number}')\ndef view{number}():\n{bound}    p = {path}\n"
            f"    if not ({test}):\n        abort(404)\n    return send_file(p){mark}\n")


PREFIXES = HEADER + "".join(view(i, *case) for i, case in enumerate(CASES))


def test_marked_lines_are_the_findings():
    assert_marked(PREFIXES)


def test_bastion_check_reports_the_sibling_prefix_and_not_the_separated_one(tmp_path):
    results = checked({"app.py": PREFIXES}, tmp_path)
    lines = sorted(r["line"] for r in results if r["rule_id"] == "BST201")
    assert lines == [i + 1 for i, line in enumerate(PREFIXES.splitlines()) if line.endswith("# BST201")]

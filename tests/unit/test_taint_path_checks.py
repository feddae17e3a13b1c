"""Taint analysis: a normalized path's `relative_to(BASE)` as a containment check (guards.py's
`checked`). It raises unless the path is inside BASE, so past it, in a `try` whose handlers
exit (`abort(404)`, `return`, `raise`) or with no `try` at all, the path is safe for a path
sink; a handler that goes on (it only logs), or a path not normalized first (`relative_to` is
lexical: `BASE / "../etc/passwd"` passes), is not."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

VIEW = '''\
import logging
from pathlib import Path
from flask import Flask, abort, request, send_file

app = Flask(__name__)
BASE = Path("/srv/files")


@app.route("/d")
def download():
    p = (BASE / request.args["f"]).resolve()
CHECK
    return send_file(p)
'''


def rule_ids(check: str) -> list[str]:
    source = VIEW.replace("CHECK", check)
    return sorted(f.rule_id for f in ANALYZER.analyse_file(source, "case.py"))


@pytest.mark.parametrize("check", [
    "    try:\n        p.relative_to(BASE)\n    except ValueError:\n        abort(404)",
    "    try:\n        p.relative_to(BASE)\n    except ValueError:\n        return 'no', 404",
    "    try:\n        p.relative_to(BASE)\n    except ValueError as error:\n"
    "        raise PermissionError(p) from error",
    "    try:\n        rel = p.relative_to(BASE)\n    except ValueError:\n        abort(404)",
    "    try:\n        p.relative_to(BASE.resolve())\n    except (ValueError, OSError):\n"
    "        abort(404)",
    "    p.relative_to(BASE)  # raises out of the view",
    "    if not p.is_relative_to(BASE):\n        abort(404)",
])
def test_a_relative_to_check_that_exits_on_failure_guards_the_path(check):
    assert rule_ids(check) == []


@pytest.mark.parametrize("check", [
    # the handler goes on to the sink with the path outside BASE
    "    try:\n        p.relative_to(BASE)\n    except ValueError:\n"
    "        logging.warning('outside %s', BASE)",
    # the check is of another path
    "    try:\n        (BASE / 'x').resolve().relative_to(BASE)\n    except ValueError:\n"
    "        abort(404)",
    # the handler's `pass` goes on too
    "    try:\n        p.relative_to(BASE)\n    except ValueError:\n        pass",
])
def test_a_check_that_does_not_stop_the_path_leaves_it_reported(check):
    assert rule_ids(check) == ["BST201"]


def test_a_path_not_normalized_first_is_not_checked_by_relative_to():
    source = VIEW.replace('(BASE / request.args["f"]).resolve()', 'BASE / request.args["f"]')
    source = source.replace("CHECK", "    try:\n        p.relative_to(BASE)\n"
                                     "    except ValueError:\n        abort(404)")
    assert [f.rule_id for f in ANALYZER.analyse_file(source, "case.py")] == ["BST201"]

"""Taint analysis through `bastion check`: `filter(None, ...)` of a list of constants in order
keeps the true ones, in order (iterators.py), so a command joined from them is a constant and
bandit's B605 on it is retracted; a function as filter, or request data among the elements,
keeps the default model (bandit's finding, or the taint's)."""

from __future__ import annotations

import re

from tests.unit.taint_marked import check_results

APP = '''\
import os
from flask import Flask, request

app = Flask(__name__)


@app.route("/a")
def view():
    data = request.args["q"]
    os.system(" ".join(filter(None, ["ls", "", "-l"])))
    os.system(" ".join(filter(None, ("ls", 0, "-a"))))
    os.system(" ".join(filter(None, ["ls", data])))  # BST202
    os.system(" ".join(filter(str.strip, ["ls", " "])))  # B605
    return "ok"
'''


def test_filter_of_constants(tmp_path):
    (tmp_path / "app.py").write_text(APP, encoding="utf-8")
    found = {(r["line"], r["rule_id"]) for r in check_results(tmp_path)
             if r["rule_id"] in ("B605", "BST202")}
    assert found == {(i + 1, m.group(1)) for i, line in enumerate(APP.splitlines())
                     if (m := re.search(r"  # (B[A-Z0-9]+)$", line))}

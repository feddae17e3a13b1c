"""Taint findings in CI outputs: `bastion check` JSON carries the steps, SARIF carries
`codeFlows`, and the result cache keeps the path (and rejects a malformed one)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bastion.engine.cache_entry import InvalidEntry, decode, encode
from bastion.model import Finding, FlowStep, Level, Span

ROOT = Path(__file__).resolve().parents[2]
APP = """import subprocess
from flask import Flask, request

app = Flask(__name__)


@app.route("/trace")
def trace():
    host = request.args["host"]
    subprocess.run("traceroute " + host, shell=True)
    return "ok"
"""


def check(tmp_path: Path, fmt: str, app: str = APP) -> dict:
    (tmp_path / "app.py").write_text(app, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server"), "BASTION_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, "-m", "bastion", "check", "--format", fmt, "app.py"],
                         cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 1, out.stderr
    return json.loads(out.stdout)


def test_json_report_carries_the_steps(tmp_path):
    report = check(tmp_path, "json")
    [taint] = [f for f in report["results"] if f["rule_id"] == "BST202"]
    assert taint["message"] == ("Request data (`request.args`, line 9) reaches `subprocess.run`: "
                                "OS command injection")
    assert [(s["line"], s["message"]) for s in taint["steps"]] == [
        (9, "Request data: `request.args`"), (9, "assigned to `host`"), (10, "reaches `subprocess.run`")]
    assert taint["cwe"] == 78


def test_sarif_report_carries_a_code_flow(tmp_path):
    report = check(tmp_path, "sarif")
    [result] = [r for r in report["runs"][0]["results"] if r["ruleId"] == "BST202"]
    [flow] = result["codeFlows"]
    locations = flow["threadFlows"][0]["locations"]
    assert [(x["location"]["physicalLocation"]["region"]["startLine"], x["location"]["message"]["text"])
            for x in locations] == [(9, "Request data: `request.args`"), (9, "assigned to `host`"),
                                    (10, "reaches `subprocess.run`")]
    assert [x["executionOrder"] for x in locations] == [1, 2, 3]


LONG = APP.replace(
    '    host = request.args["host"]\n    subprocess.run("traceroute " + host, shell=True)\n',
    '    a = request.args["host"]\n    b = a.strip()\n    c = b.lower()\n    d = "-n " + c\n'
    '    e = d + " -m 5"\n    f = "traceroute " + e\n    subprocess.run(f, shell=True)\n')


def test_sarif_keeps_every_step_of_a_long_path(tmp_path):
    # The editor shows a long path as three related entries (lsp/convert.py); SARIF, like the
    # JSON report, keeps each step on its own line.
    assert LONG != APP
    [taint] = [f for f in check(tmp_path, "json", LONG)["results"] if f["rule_id"] == "BST202"]
    [result] = [r for r in check(tmp_path, "sarif", LONG)["runs"][0]["results"]
                if r["ruleId"] == "BST202"]
    locations = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [(x["location"]["physicalLocation"]["region"]["startLine"],
             x["location"]["message"]["text"]) for x in locations] == [
        (step["line"], step["message"]) for step in taint["steps"]]
    assert len({x["location"]["physicalLocation"]["region"]["startLine"] for x in locations}) == 7


def test_result_cache_keeps_the_path_and_rejects_a_malformed_one():
    text = "a\nbb = name\nccc\ndddd = open(name)\n"
    step = FlowStep(Span(1, 0, 1, 2), "assigned to `bb`")
    finding = Finding("BST201", "tainted_path", Level.HIGH, Level.HIGH, 22, "m", Span(3, 7, 3, 17),
                      "bastion", (3,), steps=(step,))
    value = encode("k", text, [finding], {}, ())
    [back], _, _ = decode(value, "k", text, {"BST201"})
    assert back == finding and back.steps == (step,)
    for bad in ([[1, 0, 1, 99, "beyond the line"]], [], [[1, 0, 1, 2]], [["1", 0, 1, 2, "m"]]):
        row = json.loads(value)
        row["findings"][0][9] = bad
        with pytest.raises(InvalidEntry):
            decode(json.dumps(row), "k", text, {"BST201"})

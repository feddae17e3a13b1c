"""Taint analysis: a subclass of `threading.Thread` or `multiprocessing.Process` whose `run`
reaches a sink with a field its `__init__` stored (the `overridden` callback model of
rules/taint/callbacks.toml, taint/callbacks.py): `Worker(cmd).start()` runs `Worker.run` on
the instance, as `Worker(cmd).run()` would. What the instance holds in another field, or a
constant command, reaches nothing."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()

FLASK = '''\
import multiprocessing
import os
import subprocess
import threading
from threading import Thread
from flask import Flask, request

app = Flask(__name__)


class Worker(threading.Thread):
    def __init__(self, cmd, note=""):
        super().__init__(daemon=True)
        self.cmd = cmd
        self.note = note

    def run(self):
        print(self.note)
        os.system(self.cmd)


class Job(multiprocessing.Process):
    def __init__(self, cmd):
        multiprocessing.Process.__init__(self)
        self.cmd = cmd

    def run(self):
        subprocess.run(self.cmd, shell=True)


class Named(Thread):
    def __init__(self, cmd):
        Thread.__init__(self, name="named")
        self.cmd = cmd

    def run(self):
        subprocess.run(self.cmd, shell=True)


@app.route("/v")
def view():
    c = request.args["c"]
    CALL
    return "ok"
'''

# (vulnerable, safe twin)
PAIRS = [
    ('Worker(request.args["c"]).start()', 'Worker("ls").start()'),
    ("t = Worker(c)\n    t.start()", "t = Worker('ls', note=c)\n    t.start()"),
    ("Job(c).start()", "Job('ls').start()"),
    ("job = Job(cmd=c)\n    job.start()\n    job.join()", "job = Job(cmd='ls')\n    job.start()"),
    ("Named(c).start()", "Named('uptime').start()"),
]


def _findings(call: str):
    return ANALYZER.analyse_file(FLASK.replace("CALL", call), "case.py")


@pytest.mark.parametrize(("vulnerable", "safe"), PAIRS)
def test_start_runs_the_subclass_s_run_with_its_fields(vulnerable, safe):
    assert [f.rule_id for f in _findings(vulnerable)] == ["BST202"]
    assert [f.rule_id for f in _findings(safe)] == []


def test_the_finding_is_at_the_sink_in_run_through_start():
    [finding] = _findings("t = Worker(c)\n    t.start()")
    assert finding.line == FLASK.splitlines().index("        os.system(self.cmd)")
    assert "through `t.start`" in finding.message


def test_a_class_with_its_own_start_is_judged_by_it():
    source = FLASK.replace("    def run(self):\n        print(self.note)",
                           "    def start(self):\n        pass\n\n    def run(self):\n"
                           "        print(self.note)")
    assert [f.rule_id for f in ANALYZER.analyse_file(
        source.replace("CALL", "Worker(c).start()"), "case.py")] == []


def test_a_thread_given_a_target_is_not_a_subclass():
    # `start` of a plain Thread runs its target (the `function` callback models), not a `run`
    assert [f.rule_id for f in _findings("threading.Thread(target=print, args=(c,)).start()")] == []

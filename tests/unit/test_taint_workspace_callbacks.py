"""A function of another workspace module handed to a thread, an executor or a background
task (`pool.submit(helpers.run, cmd)`, `Thread(target=run, args=(cmd,))` after `from helpers
import run`): its summary reports its sinks there, as a direct call's would, in a scan and in
the editor, whose workspace store computes ahead the summaries of the functions a file hands
to callback calls as well as those it calls (workspace.py `prepare`, callbacks.py). A
`threading.Thread` subclass of that module started in the view (`Worker(cmd).start()`) runs
its `run` with the fields its `__init__` stored, its bases read through the store."""

from __future__ import annotations

import pytest
from tests.unit.test_taint_workspace_records import workspace_findings

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
HELPERS = '''
import subprocess
import threading


def run(cmd, label=""):
    print(label)
    subprocess.run(cmd, shell=True)


class Worker(threading.Thread):
    def __init__(self, cmd, label=""):
        threading.Thread.__init__(self, name="worker")
        self.cmd, self.label = cmd, label

    def run(self):
        subprocess.Popen(self.cmd, shell=True).wait()


class Task:
    def __init__(self, cmd):
        self.cmd = cmd

    def start(self):
        return self.cmd.split()
'''
VIEWS = '''
import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask, request

from app import helpers
from app.helpers import Task, Worker, run

app = Flask(__name__)
pool = ThreadPoolExecutor(max_workers=2)


@app.route("/run")
async def start():
    c = request.args["c"]
    {body}
    return "ok"
'''
# (vulnerable, safe twin)
PAIRS = [
    ('pool.submit(helpers.run, request.args["c"])', 'pool.submit(helpers.run, "ls", label=c)'),
    ("pool.submit(run, c)", "pool.submit(run, 'ls')"),
    ("threading.Thread(target=helpers.run, args=(c,)).start()",
     "threading.Thread(target=helpers.run, args=('ls', c)).start()"),
    ("threading.Thread(target=run, kwargs={'cmd': c}).start()",
     "threading.Thread(target=run, kwargs={'cmd': 'ls', 'label': c}).start()"),
    ("await asyncio.to_thread(run, c)", "await asyncio.to_thread(run, 'ls', label=c)"),
    ("with ThreadPoolExecutor() as ex:\n        ex.map(helpers.run, [c])",
     "with ThreadPoolExecutor() as ex:\n        ex.map(helpers.run, ['ls'])"),
    # a thread subclass of that module; a class's own `start` is what runs (Task)
    ('Worker(request.args["c"]).start()', 'Worker("ls", label=c).start()'),
    ("t = helpers.Worker(c)\n    t.start()", "t = Task(c)\n    t.start()"),
]


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize(("vulnerable", "safe"), PAIRS)
def test_a_function_of_another_module_handed_to_a_callback(tmp_path, vulnerable, safe, compute):
    found = []
    for case, body in (("vulnerable", vulnerable), ("safe", safe)):
        (tmp_path / case).mkdir()
        modules = {"helpers.py": HELPERS, "views.py": VIEWS.format(body=body)}
        found.append([(f.rule_id, f.confidence.name)
                      for f in workspace_findings(ANALYZER, tmp_path / case, modules, compute)])
    assert found == [[("BST202", "HIGH")], []]


def test_the_finding_is_at_the_call_its_path_into_the_other_module(tmp_path):
    [finding] = workspace_findings(ANALYZER, tmp_path, {
        "helpers.py": HELPERS, "views.py": VIEWS.format(body="pool.submit(helpers.run, c)")}, False)
    assert "(helpers.py line 8, through `helpers.run`)" in finding.message
    assert finding.steps[-1].path == str(tmp_path / "app" / "helpers.py")

"""Taint analysis: calls that call a function they are handed (taint/callbacks.py, the
`[[callback]]` models of rules/taint/callbacks.toml): a thread's or a process's target with its
`args` / `kwargs`, an executor's `submit` / `map`, the builtin `map`, an event loop's `run_in_executor`,
`asyncio.to_thread`, a FastAPI background task. The request's data reaches the sink inside the
function as a direct call's would; what the call hands the function elsewhere does not."""

from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.model.finding import Level

ANALYZER = TaintAnalyzer()

FLASK = '''\
import asyncio
import functools
import multiprocessing
import os
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from flask import Flask, request

app = Flask(__name__)
pool = ThreadPoolExecutor(max_workers=4)


@app.route("/v")
async def view():
    c = request.args["c"]
    CALL
    return "ok"


def run(cmd, label=""):
    print(label)
    subprocess.run(cmd, shell=True)
'''


def rule_ids(source: str) -> list[str]:
    return sorted(f.rule_id for f in ANALYZER.analyse_file(source, "case.py"))


@pytest.mark.parametrize("call", [
    "threading.Thread(target=run, args=(c,)).start()",
    "threading.Thread(None, run, None, (c,)).start()",
    "threading.Thread(target=run, kwargs={'cmd': c}).start()",
    "threading.Timer(2.0, run, args=[c]).start()",
    "multiprocessing.Process(target=run, args=(c,), daemon=True).start()",
    "pool.submit(run, c)",
    "pool.submit(run, cmd=c)",
    "pool.map(run, [c, 'ls'])",
    "await asyncio.get_running_loop().run_in_executor(None, run, c)",
    "await asyncio.to_thread(run, c)",
    "asyncio.get_running_loop().call_soon(run, c)",
    "asyncio.get_running_loop().call_later(5, run, c)",
    "multiprocessing.Pool(2).apply_async(run, (c,))",
    "multiprocessing.Pool(2).apply_async(run, kwds={'cmd': c})",
    "list(multiprocessing.Pool(2).imap(run, request.args.getlist('c')))",
    "pool.submit(functools.partial(run, c))",
    "threading.Thread(target=lambda: run(c)).start()",
    "threading.Thread(target=os.system, args=(c,)).start()",
    "args = (c,)\n    threading.Thread(target=run, args=args).start()",
    # the builtin map calls its function on each element
    "list(map(run, request.args.getlist('c')))",
    "for _ in map(os.system, [c]):\n        pass",
])
def test_the_handed_function_is_called_with_the_handed_arguments(call):
    assert rule_ids(FLASK.replace("CALL", call)) == ["BST202"]


@pytest.mark.parametrize("call", [
    # the request's data goes where no sink is: a thread's name, the helper's `label`, the
    # executor's own keywords
    "threading.Thread(target=run, args=('ls',), name=c).start()",
    "threading.Thread(target=run, kwargs={'cmd': 'ls', 'label': c}).start()",
    "threading.Timer(2.0, run, args=['ls']).start()",
    "pool.submit(run, 'ls', label=c)",
    "pool.map(run, ['ls', 'pwd'], timeout=len(c))",
    "await asyncio.to_thread(run, 'ls', label=c)",
    "asyncio.get_running_loop().call_later(len(c), run, 'ls')",
    "multiprocessing.Pool(2).apply_async(run, ('ls', c))",
    "threading.Thread(target=lambda: run('ls')).start()",
    "threading.Thread(target=os.system, args=('ls',), name=c).start()",
    "list(map(run, ['ls', 'pwd'], [c, c]))",
])
def test_what_the_function_is_not_handed_does_not_reach_it(call):
    assert rule_ids(FLASK.replace("CALL", call)) == []


def test_a_nested_function_runs_in_the_thread_with_the_views_names():
    vulnerable = FLASK.replace("CALL", "def job():\n        os.system(c)\n"
                                       "    threading.Thread(target=job).start()")
    safe = vulnerable.replace("os.system(c)", "os.system('ls')")
    assert (rule_ids(vulnerable), rule_ids(safe)) == (["BST202"], [])


def test_the_finding_is_at_the_sink_through_the_callback_at_high_confidence():
    source = FLASK.replace("CALL", "threading.Thread(target=run, args=(c,)).start()")
    [finding] = ANALYZER.analyse_file(source, "case.py")
    assert finding.line == source.splitlines().index("    subprocess.run(cmd, shell=True)")
    assert "(through `run`, called line 17)" in finding.message
    assert finding.confidence == Level.HIGH


FASTAPI = '''\
import subprocess
from fastapi import BackgroundTasks, FastAPI

app = FastAPI()


def run(cmd: str, label: str = ""):
    print(label)
    subprocess.run(cmd, shell=True)


@app.post("/jobs")
def create(c: str, background_tasks: BackgroundTasks):
    CALL
    return {"queued": True}
'''


@pytest.mark.parametrize("call, expected", [
    ("background_tasks.add_task(run, c)", ["BST202"]),
    ("background_tasks.add_task(run, cmd=c)", ["BST202"]),
    ("background_tasks.add_task(run, 'ls', label=c)", []),
    ("background_tasks.add_task(run, 'ls')", []),
])
def test_a_fastapi_background_task_is_called_with_its_arguments(call, expected):
    assert rule_ids(FASTAPI.replace("CALL", call)) == expected


METHOD_VIEW = '''\
import subprocess
from concurrent.futures import ThreadPoolExecutor
from flask import Flask, request
from flask.views import MethodView

app = Flask(__name__)


class Jobs(MethodView):
    def post(self):
        with ThreadPoolExecutor() as executor:
            executor.submit(self.run, ARGUMENT)
        return "queued"

    def run(self, cmd):
        subprocess.run(cmd, shell=True)


app.add_url_rule("/jobs", view_func=Jobs.as_view("jobs"))
'''


@pytest.mark.parametrize("argument, expected", [
    ('request.form["cmd"]', ["BST202"]),
    ('"backup --all" if request.form["all"] else "backup"', []),
])
def test_a_method_handed_to_an_executor_is_summarised_before_its_caller(argument, expected):
    assert rule_ids(METHOD_VIEW.replace("ARGUMENT", argument)) == expected


# (vulnerable, safe twin): the arguments handed as a name holding a tuple or a dict whose
# elements are known, each element to its parameter; a `*a` / `**kw` spread the same way
HELD_PAIRS = [
    ("a = (c, 'x')\n    threading.Thread(target=run, args=a).start()",
     "a = ('ls', c)\n    threading.Thread(target=run, args=a).start()"),
    ("a = [c]\n    pool.submit(run, *a)", "a = ['ls']\n    pool.submit(run, *a)"),
    ("a = (c,)\n    pool.submit(run, *a, label='x')", "a = ('ls', c)\n    pool.submit(run, *a)"),
    ("kw = {'cmd': c}\n    threading.Thread(target=run, kwargs=kw).start()",
     "kw = {'cmd': 'ls', 'label': c}\n    threading.Thread(target=run, kwargs=kw).start()"),
    ("kw = {}\n    kw['cmd'] = c\n    threading.Thread(target=run, kwargs=kw).start()",
     "kw = {}\n    kw['label'] = c\n    kw['cmd'] = 'ls'\n"
     "    threading.Thread(target=run, kwargs=kw).start()"),
    ("kw = {'cmd': c}\n    pool.submit(run, **kw)",
     "kw = {'cmd': 'ls', 'label': c}\n    pool.submit(run, **kw)"),
    ("kw = {'label': 'x', 'cmd': c}\n    multiprocessing.Pool(2).apply_async(run, kwds=kw)",
     "kw = {'label': c, 'cmd': 'ls'}\n    multiprocessing.Pool(2).apply_async(run, kwds=kw)"),
]


@pytest.mark.parametrize(("vulnerable", "safe"), HELD_PAIRS)
def test_arguments_handed_as_a_name_bind_element_by_element(vulnerable, safe):
    assert rule_ids(FLASK.replace("CALL", vulnerable)) == ["BST202"]
    assert rule_ids(FLASK.replace("CALL", safe)) == []


def test_a_spread_whose_elements_are_not_known_binds_every_later_parameter():
    assert rule_ids(FLASK.replace("CALL", "pool.submit(run, *request.args.getlist('c'))")) \
        == ["BST202"]


RECEIVERS = '''\
import subprocess
from concurrent.futures import ThreadPoolExecutor
from multiprocessing import Pool
from flask import Flask, request

app = Flask(__name__)
pool = ThreadPoolExecutor(max_workers=2)


def run(cmd):
    subprocess.run(cmd, shell=True)


class Form:
    def submit(self, handler, data):
        self.data = data


class Queue:
    def __init__(self):
        self.tasks = []

    def add_task(self, fn, arg):
        self.tasks.append((fn, arg))


class Jobs:
    def __init__(self):
        self.pool = ThreadPoolExecutor(max_workers=2)

    def go(self, cmd):
        self.pool.submit(run, cmd)


class Batch(ThreadPoolExecutor):
    pass


@app.route("/v")
def view():
    c = request.args["c"]
    CALL
    return "ok"
'''


# no executor: a constant, a container, a class of this module whose `submit` does not read
# the function it is handed
NO_EXECUTOR = ["Form().submit(run, c)", "form = Form()\n    form.submit(run, c)", "'a b'.map(run, c)",
               "tasks = {}\n    tasks.submit(run, c)"]
# executors and task lists, wherever they are held; a name this module does not bind may be one
EXECUTORS = ["Queue().add_task(run, c)", "with ThreadPoolExecutor() as ex:\n        ex.submit(run, c)",
             "pool.submit(run, c)", "Jobs().go(c)", "with Pool(2) as p:\n        p.map(run, [c])",
             "Batch().map(run, [c])", "executor.submit(run, c)"]


def test_a_callback_method_runs_the_function_unless_the_receiver_is_no_executor():
    found = {call: rule_ids(RECEIVERS.replace("CALL", call)) for call in NO_EXECUTOR + EXECUTORS}
    assert found == {**dict.fromkeys(NO_EXECUTOR, []), **dict.fromkeys(EXECUTORS, ["BST202"])}

"""Functions a task queue runs on the arguments a view hands it (issue 12): a Celery task's
`delay(*args, **kwargs)` and `apply_async(args, kwargs)` (the task the receiver: `[[callback]]`
`function = { receiver = true }`) and its signatures `s` / `si` / `signature` (run where they
are made), Django's `transaction.on_commit(func)`, RQ's `Queue.enqueue(f, *args, **kwargs)`,
`enqueue_call`, `enqueue_in`. The task's sinks report where the view queues it when the task is another
workspace module's (in a scan and in the editor, whose store computes the handed function's
summary ahead), at the sink through the task when it is the module's own; a task bound by
`bind=True` (its first parameter `self`) is handed the task first; a task queued with
constants, or given the request's data where it reaches no sink, reports nothing."""

from __future__ import annotations

import pytest
from tests.unit.test_taint_workspace_records import workspace_findings

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
TASKS = '''
import subprocess

import requests

from celery import Celery, shared_task

celery_app = Celery("jobs", broker="redis://localhost")


@celery_app.task
def ping(host, count=1):
    subprocess.run(f"ping -c {int(count)} {host}", shell=True)


@celery_app.task(bind=True, max_retries=3)
def fetch(self, url, timeout=5):
    try:
        return requests.get(url, timeout=timeout).text
    except requests.RequestException as exc:
        raise self.retry(exc=exc)


@shared_task(name="jobs.convert")
def convert(source, label=""):
    print(label)
    subprocess.run("soffice --convert-to pdf " + source, shell=True)
'''
VIEWS = '''
from datetime import timedelta

from celery import chain, group
from django.db import transaction
from flask import Flask, request
from redis import Redis
from rq import Queue

from app import tasks
from app.tasks import convert, fetch, ping

app = Flask(__name__)
queue = Queue(connection=Redis())


@app.post("/jobs")
def queue_job():
    c = request.form["c"]
    {body}
    return {{"queued": True}}
'''
# (vulnerable, safe twin)
PAIRS = [
    ("ping.delay(c)", "ping.delay('localhost', count=c)"),
    ("tasks.ping.delay(host=c)", "tasks.ping.delay(host='localhost')"),
    ("ping.apply_async(args=[c], countdown=5)", "ping.apply_async(args=['localhost'], kwargs={'count': c})"),
    ("convert.apply_async((c,), queue='slow')", "convert.apply_async(('a.odt', c), queue='slow')"),
    ("tasks.convert.apply_async(kwargs={'source': c})", "tasks.convert.apply_async(kwargs={'label': c})"),
    ("queue.enqueue(convert, c)", "queue.enqueue(convert, 'a.odt', label=c)"),
    ("queue.enqueue(tasks.ping, host=c, job_timeout=30)", "queue.enqueue(tasks.ping, 'localhost', count=c)"),
    ("queue.enqueue_in(timedelta(minutes=5), convert, c)",
     "queue.enqueue_in(timedelta(minutes=5), convert, 'a')"),
    ("queue.enqueue_call(func=convert, args=(c,))", "queue.enqueue_call(func=convert, args=('a', c))"),
    # a signature runs its task on its arguments wherever it is sent
    ("ping.s(c).delay()", "ping.s('localhost').delay()"),
    ("group(ping.s(h) for h in request.form.getlist('h')).apply_async()",
     "group(ping.s(h) for h in ['a', 'b']).apply_async()"),
    ("chain(tasks.ping.si(c), convert.si('a'))()",
     "chain(tasks.ping.si('localhost'), convert.si('a', label=c))()"),
    ("ping.signature((c,), countdown=5).delay()",
     "ping.signature(('localhost',), kwargs={'count': c}).delay()"),
    # Django runs the function handed to on_commit once the transaction commits
    ("transaction.on_commit(lambda: ping.delay(c))",
     "transaction.on_commit(lambda: ping.delay('localhost'))"),
]
# a bound task (`bind=True`) is handed the task first: the arguments are its later parameters
BOUND = [
    ("fetch.delay(c)", "fetch.delay('https://status.example.com', c)"),
    ("tasks.fetch.apply_async(args=[c])", "tasks.fetch.apply_async(args=['https://status.example.com'])"),
    ("fetch.apply_async(kwargs={'url': c})", "fetch.apply_async(kwargs={'timeout': c, 'url': 'https://a'})"),
]


def _queued(root, body: str, compute: bool) -> list[tuple[int, str, str]]:
    root.mkdir()
    modules = {"tasks.py": TASKS, "views.py": VIEWS.format(body=body)}
    found = workspace_findings(ANALYZER, root, modules, compute)
    return [(f.line, f.rule_id, f.confidence.name) for f in found]


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize(("vulnerable", "safe"), PAIRS)
def test_a_task_of_another_module_queued_by_a_view(tmp_path, vulnerable, safe, compute):
    assert _queued(tmp_path / "vulnerable", vulnerable, compute) == [(19, "BST202", "HIGH")]
    assert _queued(tmp_path / "safe", safe, compute) == []


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize(("vulnerable", "safe"), BOUND)
def test_a_bound_task_is_handed_the_task_first(tmp_path, vulnerable, safe, compute):
    assert _queued(tmp_path / "vulnerable", vulnerable, compute) == [(19, "BST213", "HIGH")]
    assert _queued(tmp_path / "safe", safe, compute) == []


def test_the_finding_is_at_the_queueing_call_its_path_into_the_task(tmp_path):
    [finding] = workspace_findings(ANALYZER, tmp_path, {
        "tasks.py": TASKS, "views.py": VIEWS.format(body="ping.delay(c)")}, False)
    assert "(tasks.py line 13, through `ping`)" in finding.message


SAME_FILE = '''
import subprocess
from multiprocessing import Pool

from celery import shared_task
from flask import Flask, request

app = Flask(__name__)


@shared_task
def archive(folder):
    subprocess.run("tar czf /tmp/out.tgz " + folder, shell=True)


@shared_task(bind=True)
def backup(self, folder):
    subprocess.run("tar czf /tmp/backup.tgz " + folder, shell=True)


def run(cmd):
    subprocess.run(cmd, shell=True)


@app.post("/archive")
def view():
    {body}
    return "queued"
'''


@pytest.mark.parametrize(("vulnerable", "safe", "line"), [
    ('archive.delay(request.form["folder"])', 'archive.delay("/srv/data")', 12),
    ('archive.apply_async([request.form["folder"]])', 'archive.apply_async(["/srv/data"])', 12),
    ('backup.delay(request.form["folder"])', 'backup.delay("/srv/data")', 17),
    # multiprocessing's apply_async hands the function first, as before
    ('Pool().apply_async(run, (request.form["folder"],))', 'Pool().apply_async(run, ("ls",))', 21),
])
def test_a_task_of_the_module_reports_at_its_sink(vulnerable, safe, line):
    found = [[(f.line, f.rule_id) for f in ANALYZER.analyse_file(SAME_FILE.format(body=body), "jobs.py")]
             for body in (vulnerable, safe)]
    assert found == [[(line, "BST202")], []]

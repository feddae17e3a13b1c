"""Taint analysis on realistic apps written from the frameworks' documentation, round eight: a
Flask app queueing Celery tasks of another module (`@app.task`, `@shared_task`, `delay`,
`apply_async` with `args` or a tuple, through the module's name too, a task bound by
`bind=True`, a group of signatures) and RQ jobs (`Queue.enqueue` with keywords), the tasks'
sinks reported where the view queues them, a task queued with constants or a number it
converts silent; and a Litestar app (typed path parameters, a Pydantic body with a Literal
field, an Enum query, File / Redirect / Response / Template responses).

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe twin or
plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'jobs/__init__.py': r'''''',
    'jobs/litestar_app.py': r'''import logging
import os
import sqlite3
import subprocess
from enum import Enum
from typing import Literal

from litestar import Litestar, Request, get, post
from litestar.response import File, Redirect, Response, Template
from pydantic import BaseModel

log = logging.getLogger("litestar_app")
REPORTS = "/srv/reports"


class Format(str, Enum):
    CSV = "csv"
    PDF = "pdf"


class Job(BaseModel):
    name: str
    priority: int
    queue: Literal["fast", "slow"]


def db():
    return sqlite3.connect("jobs.db")


@get("/jobs/{job_id:int}")
async def show_job(job_id: int) -> dict:
    row = db().execute(f"SELECT * FROM jobs WHERE id = {job_id}").fetchone()
    return {"job": row}


@get("/jobs/by-name/{name:str}")
async def by_name(name: str) -> dict:
    row = db().execute(f"SELECT * FROM jobs WHERE name = '{name}'").fetchone()  # BST204
    return {"job": row}


@post("/jobs")
async def create_job(data: Job) -> dict:
    subprocess.run(f"enqueue --queue {data.queue} --priority {data.priority}", shell=True)
    subprocess.run(f"enqueue --name {data.name}", shell=True)  # BST202
    return {"ok": True}


@get("/reports/{name:str}")
async def report(name: str, fmt: Format = Format.CSV) -> File:
    os.system(f"render-report --format {fmt.value} summary")
    return File(path=os.path.join(REPORTS, name))  # BST201


@get("/go")
async def go(next_url: str) -> Redirect:
    return Redirect(path=next_url)  # BST210


@get("/hello")
async def hello(request: Request, name: str = "world") -> Response:
    log.info("hello from %s", request.headers.get("x-forwarded-for"))  # BST207
    page = Response(f"<p>Hello {name}</p>", media_type="text/html")  # BST203
    plain = Response(f"Hello {name}", media_type="text/plain")
    return page if request.query_params.get("html") else plain


@get("/banner")
async def banner(title: str) -> Template:
    return Template(template_str="<h1>" + title + "</h1>")  # BST214


app = Litestar(route_handlers=[show_job, by_name, create_job, report, go, hello, banner])
''',
    'jobs/tasks.py': r'''import os
import shutil
import subprocess
import urllib.request

from celery import Celery, shared_task

celery_app = Celery("jobs", broker="redis://localhost:6379/0")
ARCHIVE = "/srv/archive"


@celery_app.task
def ping_host(host):
    return subprocess.run(f"ping -c 3 {host}", shell=True, capture_output=True).stdout


@celery_app.task(bind=True, max_retries=3)
def fetch_feed(self, url):
    try:
        with urllib.request.urlopen(url) as resp:
            return resp.read()
    except OSError as exc:
        raise self.retry(exc=exc, countdown=60)


@shared_task
def archive_file(name):
    shutil.move(os.path.join("/srv/incoming", name), ARCHIVE)
    shutil.move(os.path.join("/srv/incoming", os.path.basename(name)), ARCHIVE)


@shared_task(name="jobs.cleanup")
def cleanup(days):
    subprocess.run(f"find /tmp -mtime +{int(days)} -delete", shell=True)


def convert(source, fmt="pdf"):
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--", source], check=True)
    subprocess.run(f"soffice --headless --convert-to {fmt} {source}", shell=True)


@shared_task
def nightly_report():
    subprocess.run("report --all", shell=True)
''',
    'jobs/views.py': r'''from celery import group
from flask import Flask, jsonify, request
from redis import Redis
from rq import Queue

from . import tasks
from .tasks import archive_file, cleanup, convert, fetch_feed, nightly_report, ping_host

app = Flask(__name__)
queue = Queue(connection=Redis())


@app.post("/ping")
def ping():
    result = ping_host.delay(request.form["host"])  # BST202
    ping_host.delay("localhost")
    return jsonify(id=result.id)


@app.post("/ping-all")
def ping_all():
    hosts = request.form.getlist("host")
    group(ping_host.s(h) for h in hosts).apply_async()  # BST202
    group(ping_host.s(h) for h in ("db1.internal", "db2.internal")).apply_async()
    return jsonify(ok=True)


@app.post("/feeds")
def feeds():
    job = fetch_feed.apply_async(args=[request.json["url"]], countdown=10)  # BST213
    fetch_feed.apply_async(args=["https://status.example.com/feed.xml"], countdown=10)
    return jsonify(id=job.id)


@app.post("/archive/<name>")
def archive(name):
    archive_file.delay(name)  # BST201
    tasks.archive_file.apply_async((name,), queue="slow")  # BST201
    return jsonify(ok=True)


@app.post("/cleanup")
def clean():
    cleanup.delay(request.form.get("days", "7"))
    nightly_report.delay()
    return jsonify(ok=True)


@app.post("/convert")
def convert_upload():
    job = queue.enqueue(convert, request.form["source"], fmt=request.form["fmt"])  # BST202
    queue.enqueue(convert, "/srv/templates/invoice.odt", fmt="pdf")
    return jsonify(id=job.id)
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)

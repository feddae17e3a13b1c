"""A module-level queue a view feeds request data and a worker of the module drains (issue 12):
what the worker's `jobs.get()` / `await tasks.get()` returns is request data (medium
confidence), so its sink reports, for a thread's `queue.Queue` and an asyncio task's
`asyncio.Queue`, a put of the request's value or of a name bound to it. The twin's queues are
fed constants only. Through `bastion check` and the editor's store; a line that must report
ends with its rule."""

import pytest
from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_edit_reaches

# the workers, the same in both modules
WORKERS = '''

def worker():
    while True:
        item = jobs.get()
        subprocess.run("convert " + item["file"] + " out.png", shell=True){mark}
        jobs.task_done()


threading.Thread(target=worker, daemon=True).start()


async def consumer():
    while True:
        host = await tasks.get()
        subprocess.run("ping -c1 " + host, shell=True){mark}
'''

HEAD = '''import asyncio
import queue
import subprocess
import threading

from flask import Flask, request

app = Flask(__name__)
jobs = queue.Queue()
tasks = asyncio.Queue()
'''

VULNERABLE = HEAD + WORKERS.format(mark="  # BST202") + '''

@app.route("/convert", methods=["POST"])
def convert():
    jobs.put(request.json)
    return "queued"


@app.route("/ping")
async def ping():
    host = request.args["host"]
    await tasks.put(host)
    return "ok"
'''

SAFE = HEAD + WORKERS.format(mark="") + '''

@app.route("/convert", methods=["POST"])
def convert():
    if request.json.get("all"):
        jobs.put({"file": "default.jpg"})
    return "queued"


@app.route("/ping")
async def ping():
    if request.args.get("host"):
        tasks.put_nowait("localhost")
    return "ok"
'''


@pytest.mark.parametrize("name, source", [("vulnerable.py", VULNERABLE), ("safe.py", SAFE)])
def test_a_worker_gets_what_a_view_put_in_the_queue_and_constants_stay_silent(tmp_path, name, source):
    """The vulnerable module reports its marked lines; the twin, fed constants, nothing."""
    assert_checked_and_stored({name: source}, tmp_path, RULE_CWE)


EDITED = '''import queue
import subprocess

from flask import Flask, request

app = Flask(__name__)
jobs = queue.Queue()


def worker():
    subprocess.run("convert " + jobs.get(), shell=True)


@app.route("/convert")
def convert():
    jobs.put({put})
    return "queued"
'''


def test_an_edit_of_the_put_alone_reaches_the_worker_analysed_before():
    """The functions are cached (as in the editor): an edit of the view's put alone changes
    what the worker reports, both ways."""
    assert_edit_reaches(EDITED.format(put='request.args["f"]'),
                        EDITED.format(put='"a.jpg"'), "BST202")

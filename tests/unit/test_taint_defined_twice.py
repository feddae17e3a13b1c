"""A name a module defines twice (rebound.py): each definition runs, so each is analysed and
reported on its own line; a module-level call between two definitions runs the one bound
there, a call in a function body the last. A line that must report ends with its rule; a warm
analyzer, after random versions of a document of such blocks, reports what a fresh one does."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from hypothesis import example, given, settings
from tests.hypothesis_budget import examples
from tests.unit.block_documents import block_versions
from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, assert_marked

from bastion.analyzers.taint.analyzer import TaintAnalyzer

# a script's helper defined again below the call that runs it: the first definition runs
CALLED_BETWEEN = '''\
import os
import sys


def run(cmd):
    return os.system(cmd)  # BST202


run(sys.argv[1])


def run(cmd):
    return cmd
'''

# the safe twin: the definition bound at the call returns its argument, the later one that
# reaches the shell is run by no call
SAFE_BETWEEN = '''\
import os
import sys


def run(cmd):
    return cmd


print(run(sys.argv[1]))


def run(cmd):
    return os.system(cmd)


def main():
    run("uptime")
'''

# a function body runs after the module bound the last definition: `main` runs the second
BODY_CALLS_LAST = '''\
import os
import sys


def run(cmd):
    return os.system(cmd)


def run(cmd):
    return cmd


def main():
    return run(sys.argv[1])
'''

# FastAPI keeps both routes of a view copied under a second path with its name unchanged
FASTAPI_COPIED = '''\
import subprocess

from fastapi import FastAPI

app = FastAPI()


@app.get("/ping")
def ping(host: str):
    return subprocess.run(f"ping -c 1 {host}", shell=True).returncode  # BST202


@app.get("/v2/ping")
def ping(host: str):
    return subprocess.run(["ping", "-c", "1", "--", host]).returncode
'''

# Flask keeps both when the second names its own endpoint
FLASK_ENDPOINTS = '''\
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/a")
def view():
    return str(subprocess.call(request.args["cmd"], shell=True))  # BST202


@app.route("/b", endpoint="view_b")
def view():
    return str(subprocess.call(request.args["cmd"], shell=True))  # BST202
'''

FLASK_SAFE_FIRST = '''\
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/a")
def view():
    return str(subprocess.call(["ls", "--", request.args["dir"]]))


@app.route("/b", endpoint="view_b")
def view():
    return str(subprocess.call(request.args["cmd"], shell=True))  # BST202
'''


def test_a_module_level_call_between_two_definitions_runs_the_first():
    """`run(sys.argv[1])` after the first `def run` (the shell) and before the second (which
    returns its argument): on main the call graph took the last and missed the flow."""
    assert_marked(CALLED_BETWEEN)


def test_a_module_level_call_between_two_definitions_is_not_the_later_ones():
    """The twin: the definition bound at the call is harmless, the later one is run with a
    constant; on main the call reached the later one and reported line 15."""
    found = {(f.line, f.rule_id) for f in TaintAnalyzer().analyse_file(SAFE_BETWEEN, "case.py")}
    assert not {rule for _, rule in found if rule.startswith("BST2")}


def test_a_call_in_a_function_body_runs_the_last_definition():
    found = {(f.line, f.rule_id) for f in TaintAnalyzer().analyse_file(BODY_CALLS_LAST, "case.py")}
    assert not {rule for _, rule in found if rule.startswith("BST2")}


def test_the_earlier_of_two_views_of_one_name_is_analysed():
    """FastAPI's copied route: the first `ping` (a shell) reports, the second (an argument
    list) does not; on main the first was hidden by the second and not analysed."""
    assert_marked(FASTAPI_COPIED)


def test_both_views_of_one_name_report_each_on_its_own_line():
    assert_marked(FLASK_ENDPOINTS)
    assert_marked(FLASK_SAFE_FIRST)


# a script's setting bound at top level through a helper it defines again below: a function
# reading the global reads what the definition bound at the binding's line returned
GLOBAL_BETWEEN = '''\
import subprocess
import sys


def backup_root():
    return sys.argv[1] if len(sys.argv) > 1 else "/srv/backups"


ROOT = backup_root()


def backup_root():
    return "/srv/backups"


def prune():
    subprocess.run("rm -rf " + ROOT + "/old", shell=True)  # BST202


if __name__ == "__main__":
    prune()
'''

# the twin: the constant's definition is bound at the binding, the later one reads argv
GLOBAL_BETWEEN_SAFE = '''\
import os
import sys


def archive_dir():
    return os.path.join("/srv", "archive")


ARCHIVE = archive_dir()


def archive_dir():
    return sys.argv[1]


def compress():
    os.system(f"tar czf {ARCHIVE}.tgz {ARCHIVE}")


if __name__ == "__main__":
    compress()
'''


def test_a_global_bound_between_two_definitions_holds_what_the_first_returns(tmp_path):
    """main read the later definition's return: it missed the command-line root, and its
    twin (the constant bound first, the argument read by the later one) reported."""
    assert_checked_and_stored({"tools/__init__.py": "", "tools/prune.py": GLOBAL_BETWEEN,
                               "tools/prune_safe.py": GLOBAL_BETWEEN_SAFE}, tmp_path, RULE_CWE)


HEADER = "import os\nimport sys\nfrom flask import Flask, request\napp = Flask(__name__)\n"
BLOCKS = [
    "def run(cmd):\n    return os.system(cmd)",
    "def run(cmd):\n    return cmd",
    "run(sys.argv[1])",
    "@app.route('/a')\ndef view():\n    return run(request.args['q'])",
    "@app.route('/b', endpoint='b')\ndef view():\n    return os.popen(request.args['q']).read()",
    "def main():\n    return run(sys.argv[2])",
    "print(run(os.environ['CMD']))",
    "def other():\n    return 1",
    "RESULT = run(sys.argv[3])",
    "def show():\n    return os.popen('ls ' + RESULT).read()",
]


@settings(max_examples=examples(25), deadline=None)
@example([[0, 2, 1], [0, 2, 0, 1], [1, 2, 0]])  # the call between: before, after, the other first
@example([[3, 4], [4, 3, 4], [3, 0, 4, 1]])  # views of one name appear and go
# the call's line and text, and each definition's, stay; the one bound at the call does not
@example([[0, 2, 1], [7, 2, 0, 1]])
# a definition moved across a global's binding that a function reads, the binding's line kept
# (rebound.top_bound): what the function reads changes
@example([[0, 8, 7, 1, 9], [7, 8, 0, 1, 9], [0, 8, 7, 1, 9]])
@example([[1, 8, 0, 9], [1, 0, 8, 9], [0, 8, 1, 9]])
@given(block_versions(BLOCKS))
def test_warm_analysis_of_names_defined_twice_equals_a_fresh_one(versions):
    warm = TaintAnalyzer()
    for chosen in versions:
        text = HEADER + "\n\n".join(BLOCKS[b] for b in chosen) + "\n"
        found = [(f.rule_id, f.span, f.message, f.steps) for f in warm.analyse_file(text, "app.py")]
        assert found == [(f.rule_id, f.span, f.message, f.steps)
                         for f in TaintAnalyzer().analyse_file(text, "app.py")], text

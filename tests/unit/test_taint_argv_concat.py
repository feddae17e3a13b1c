"""Taint analysis: an argument vector built with `+` (`["rsync", "-a"] + [dest]`, a list
comprehension of options appended, `+ request.args.getlist(...)`) keeps its program at 0, as the
display `[*left, *right]` would: request data among its arguments is argument injection (BST217),
not command injection (BST202), which stays for a vector that runs a shell or an interpreter on
it, or whose program is the request's. Past a constant `--` (the end of the program's options,
`["tar", "czf", "-", "--"] + names`) a tail of unknown length is operands, as a known one is.
Constant vectors added first (`["git", "log"] + ["--"]`, a module's tuple, or its list that only
`+` copies) keep their slots too."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

APP = '''\
import subprocess
from flask import Flask, request

app = Flask(__name__)
GIT_LOG = ("git", "log")
GIT_SHOW = ["git", "show"]


@app.get("/sync")
def sync():
    dest = request.args["dest"]
    subprocess.run(["rsync", "-a"] + [dest])  # BST217
    args = ["rsync", "-a"] + [f"--exclude={e}" for e in request.args.getlist("e")] + ["/data", dest]
    subprocess.run(args, check=True)  # BST217
    subprocess.run(["rsync", "-a"] + request.args.getlist("e"))  # BST217
    subprocess.run(("rsync", "-a") + (dest,))  # BST217
    subprocess.run(["rsync", "-a"] + ["/data", "/backup"])


@app.post("/archive")
def archive():
    names = request.form.getlist("name")
    subprocess.check_output(["tar", "czf", "-"] + names)  # BST217
    subprocess.check_output(["tar", "czf", "-"] + names + ["--"])  # BST217
    subprocess.check_output(["tar", "czf", "-", "--"] + names)
    subprocess.check_output(["git", "log", "--"] + names)


@app.get("/log")
def log():
    names = request.args.getlist("n")
    subprocess.run(["git", "log"] + ["-n", "5"] + names)  # BST217
    subprocess.run(("git", "log") + ("-n", "5") + tuple(names))  # BST217
    subprocess.run(["git", "log"] + ["--"] + names)
    subprocess.run(GIT_LOG + ("--",) + tuple(names))
    subprocess.run(GIT_SHOW + names)  # BST217
    subprocess.run(GIT_SHOW + ["--"] + names)
    subprocess.check_output(["git", "log", "--", request.form["path"]] + names)


@app.get("/run")
def run():
    cmd = request.args["cmd"]
    subprocess.run(["sh", "-c"] + [cmd])  # BST202
    subprocess.run(["bash"] + ["-c", cmd])  # BST202
    subprocess.run(("python3", "-c") + (cmd,))  # BST202
    subprocess.run(request.args.getlist("argv") + ["--verbose"])  # BST202
    subprocess.run([cmd] + ["--verbose"])  # BST202
'''


def test_a_vector_built_with_plus_keeps_its_program():
    assert_marked(APP)

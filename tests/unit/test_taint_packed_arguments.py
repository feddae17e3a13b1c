"""Taint analysis through `bastion check`: a helper's `*args` is a tuple whose slots are the
call's positional arguments and its `**kwargs` a dict of the call's keywords, so reading one slot
(`parts[0]`, `opts["cmd"]`) binds that argument only; a `*list` / `**mapping` spread over them
still binds every slot. Each helper has one caller: a sink inside a helper reports once, at its
line (marked lines: taint_marked.py). A nested function, run in place (closures.py), binds them
alike, and so does a lambda called where it is written (`(lambda *p: p[0])(a, b)`)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

HEAD = "import os\nimport subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n"


def _app(helper: str, call: str) -> str:
    return (f"{HEAD}\n{helper}\n\n\n@app.route('/a')\ndef view():\n    data = request.args['q']\n"
            f"    {call}\n    return 'ok'\n")


RUN = "def run(*parts):\n    subprocess.run(parts[0], shell=True){}"
NAMED = "def run(**opts):\n    subprocess.run(opts['cmd'], shell=True){}"
FIRST = "def first(*parts):\n    return parts[0]"
PICK = "def pick(head, *rest, **named):\n    return rest[1] + named.get('tail', '')"
MARK = "  # BST202"

APPS = {
    "args_first.py": _app(RUN.format(MARK), 'run(data, "ls")'),
    "args_second.py": _app(RUN.format(""), 'run("ls", data)'),
    "args_spread.py": _app(RUN.format(MARK), 'run(*["ls", data])'),
    "kwargs_read.py": _app(NAMED.format(MARK), 'run(cmd=data, note="ls")'),
    "kwargs_other.py": _app(NAMED.format(""), 'run(cmd="ls", note=data)'),
    "kwargs_spread.py": _app(NAMED.format(MARK), 'run(**{"note": "ls", "cmd": data})'),
    "returned_first.py": _app(FIRST, 'os.system(first(data, "ls"))' + MARK),
    "returned_second.py": _app(FIRST, 'os.system(first("ls", data))'),
    "mixed_rest.py": _app(PICK, 'os.system(pick("a", "b", data))' + MARK),
    "mixed_keyword.py": _app(PICK, 'os.system(pick("a", "b", "c", tail=data))' + MARK),
    "mixed_other.py": _app(PICK, 'os.system(pick(data, data, "ls", tail="x", more=data))'),
    "nested.py": f"""{HEAD}
@app.route('/a')
def view():
    data = request.args['q']

    def first(*parts):
        return parts[0]

    def pick(**named):
        return named['a']

    os.system(first('ls', data))
    os.system(first(data, 'ls')){MARK}
    os.system(pick(a='ls', b=data))
    os.system(pick(a=data, b='ls')){MARK}
    os.system(first(*['ls', data])){MARK}
    return 'ok'
""",
    "inline_lambda.py": f"""{HEAD}
@app.route('/a')
def view():
    data = request.args['q']
    os.system((lambda *p: p[0])('ls', data))
    os.system((lambda *p: p[0])(data, 'ls')){MARK}
    os.system((lambda **k: k['cmd'])(cmd='ls', note=data))
    os.system((lambda **k: k['cmd'])(cmd=data, note='ls')){MARK}
    os.system((lambda c: c)(data)){MARK}
    return 'ok'
""",
}


def test_packed_arguments_keep_their_slots(tmp_path):
    assert_checked_apps(APPS, tmp_path)

"""Bandit's injection findings judged by the taint analysis (issue 12 item 4): a constant or
sanitized argument retracts the finding, a tainted one is reported only by the taint rule (which
has the path), and where the analysis cannot tell the finding stays. `bandit_exact` restores
bandit's output. Cases are written from the Python, Flask, sqlite3 and PyYAML documentation:
each vulnerable case has its safe twin."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from bastion.config import Config
from bastion.engine.registry import create_engine
from bastion.model import Level

ENGINE = create_engine()
DEFAULT = Config()
EXACT = Config(bandit_exact=True)
FLASK = "from flask import Flask, request\napp = Flask(__name__)\n"
DJANGO_SQL = "from django.db.models.expressions import RawSQL\nfrom .models import Person\n"


def reported(source: str, config: Config = DEFAULT) -> list[tuple[str, int]]:
    text = textwrap.dedent(source)
    return sorted((f.rule_id, f.line + 1) for f in ENGINE.analyse(text, "case.py", config).findings
                  if f.rule_id != "B404" and f.rule_id != "B403")


# (bandit rule, module whose finding is retracted, its twin where the finding stays)
RETRACTED = [
    ("B602", "import subprocess\ndef f():\n    subprocess.run('ls -l /tmp', shell=True)\n",
             "import subprocess\ndef f(cmd):\n    subprocess.run(cmd, shell=True)\n"),
    ("B602", "import subprocess\ndef f():\n    cmd = 'du -sh ' + '/var/log'\n    subprocess.call(cmd, shell=True)\n",
             "import subprocess\nfrom mylib import build\ndef f():\n    cmd = build()\n    subprocess.call(cmd, shell=True)\n"),
    ("B602", "import shlex, subprocess\ndef f(path):\n    subprocess.run('ls -l ' + shlex.quote(path), shell=True)\n",
             "import subprocess\ndef f(path):\n    subprocess.run('ls -l ' + path, shell=True)\n"),
    # a field holds what `__init__` stored: a constant there is known, a constructor's
    # argument is not (callers fill it)
    ("B602", "import subprocess\nclass Runner:\n    def __init__(self):\n        self.cmd = 'ls -l /tmp'\n    def run(self):\n        return subprocess.check_output(self.cmd, shell=True)\n",
             "import subprocess\nclass Runner:\n    def __init__(self, cmd):\n        self.cmd = cmd\n    def run(self):\n        return subprocess.check_output(self.cmd, shell=True)\n"),
    ("B605", "import os\nDEBUG = False\ndef f():\n    os.system('make clean' if DEBUG else 'make all')\n",
             "import os\ndef f(target):\n    os.system('make ' + target)\n"),
    ("B605", "import os, shlex\ndef f(name):\n    safe = shlex.quote(name)\n    os.popen(f'grep -r {safe} .')\n",
             "import os\ndef f(name):\n    os.popen(f'grep -r {name} .')\n"),
    ("B603", "import subprocess\ndef f():\n    subprocess.check_output(['git', 'rev-parse', 'HEAD'])\n",
             "import subprocess\ndef f(ref):\n    subprocess.check_output(['git', 'rev-parse', ref])\n"),
    ("B606", "import os\ndef f():\n    os.execv('/usr/bin/env', ['env'])\n",
             "import os\ndef f(args):\n    os.execv('/usr/bin/env', args)\n"),
    # paramiko runs the command in the remote host's shell
    ("B601", "import paramiko\ndef f(client: paramiko.SSHClient):\n    client.exec_command('uptime')\n",
             "import paramiko\ndef f(client: paramiko.SSHClient, cmd):\n    client.exec_command(cmd)\n"),
    ("B601", "import paramiko, shlex\ndef f(client, path):\n    client.exec_command('ls ' + shlex.quote(path))\n",
             "import paramiko\ndef f(client, path):\n    client.exec_command('ls ' + path)\n"),
    ("B307", "def f():\n    return eval('2 ** 10')\n",
             "def f(expr):\n    return eval(expr)\n"),
    ("B102", "def f():\n    exec('import this')\n",
             "def f(code):\n    exec(code)\n"),
    ("B301", "import pickle\nBLOB = b'\\x80\\x04K\\x01.'\ndef f():\n    return pickle.loads(BLOB)\n",
             "import pickle\ndef f(blob):\n    return pickle.loads(blob)\n"),
    ("B506", "import yaml\ndef f():\n    return yaml.load('a: 1', Loader=yaml.Loader)\n",
             "import yaml\ndef f(stream):\n    return yaml.load(stream, Loader=yaml.Loader)\n"),
    ("B608", "import sqlite3\ndef f(db: sqlite3.Connection, user_id):\n    return db.execute('SELECT name FROM users WHERE id = %d' % int(user_id))\n",
             "import sqlite3\ndef f(db: sqlite3.Connection, user_id):\n    return db.execute('SELECT name FROM users WHERE id = %s' % user_id)\n"),
    # an attribute of a validated parameter (an Enum member's value) is as safe as the parameter
    ("B605", "import os, enum\nfrom fastapi import FastAPI\napp = FastAPI()\nclass Color(str, enum.Enum):\n    RED = 'red'\n@app.get('/p')\ndef p(color: Color):\n    os.system('paint ' + color.value)\n",
             "import os, enum\nfrom fastapi import FastAPI\napp = FastAPI()\nclass Color(str, enum.Enum):\n    RED = 'red'\ndef p(color: Color):\n    os.system('paint ' + color.value)\n"),
    # a number conversion writes digits or raises TypeError, whatever its argument
    ("B608", "import sqlite3\ndef f(db: sqlite3.Connection, page):\n    return db.execute('SELECT name FROM users LIMIT 10 OFFSET %d' % page)\n",
             "import sqlite3\ndef f(db: sqlite3.Connection, page):\n    return db.execute('SELECT name FROM users LIMIT 10 OFFSET %s' % page)\n"),
    ("B608", "from fastapi import FastAPI\napp = FastAPI()\n@app.get('/u')\ndef u(user_id: int):\n    return cur.execute(f'SELECT name FROM users WHERE id = {user_id}').fetchall()\n",
             "from fastapi import FastAPI\napp = FastAPI()\ndef u(user_id: int):  # not a route: nothing validates it\n    return cur.execute(f'SELECT name FROM users WHERE id = {user_id}').fetchall()\n"),
    # an identifier chosen from a constant mapping; placeholders built from constants or a count
    ("B608", "import sqlite3\ndef f(db: sqlite3.Connection, sort):\n    cols = {'name': 'name', 'date': 'created_at'}\n    return db.execute('SELECT * FROM t ORDER BY ' + cols.get(sort, 'name'))\n",
             "import sqlite3\ndef f(db: sqlite3.Connection, sort, cols):\n    cols['name'] = 'name'\n    return db.execute('SELECT * FROM t ORDER BY ' + cols.get(sort, 'name'))\n"),
    ("B608", "import sqlite3\ndef f(db: sqlite3.Connection, ids):\n    return db.execute('SELECT * FROM t WHERE id IN (%s)' % ','.join('?' * len(ids)), ids)\n",
             "import sqlite3\ndef f(db: sqlite3.Connection, ids):\n    return db.execute('SELECT * FROM t WHERE id IN (%s)' % ','.join(ids))\n"),
    ("B608", "import sqlite3\ndef f(db: sqlite3.Connection, row):\n    marks = ', '.join(['?'] * 3)\n    return db.execute(f'INSERT INTO t VALUES ({marks})', row)\n",
             "import sqlite3\ndef f(db: sqlite3.Connection, row, names):\n    names.append('id')\n    return db.execute(f'INSERT INTO t ({\", \".join(names)}) VALUES (1)')\n"),
    ("B704", "from markupsafe import Markup\nBANNER = '<b>Sale</b>'\ndef f():\n    return Markup(BANNER)\n",
             "from markupsafe import Markup\ndef f(text):\n    return Markup(text)\n"),
    ("B308", "from django.utils.safestring import mark_safe\ndef f():\n    return mark_safe('<hr>')\n",
             "from django.utils.safestring import mark_safe\ndef f(text):\n    return mark_safe(text)\n"),
    ("B310", "import urllib.request\ndef f():\n    return urllib.request.urlopen('https://example.com/feed.xml').read()\n",
             "import urllib.request\ndef f(url):\n    return urllib.request.urlopen(url).read()\n"),
    ("B608", "def f(cur):\n    table = 'users'\n    cur.execute(f'SELECT name FROM {table} WHERE id = 1')\n",
             "def f(cur, table):\n    cur.execute(f'SELECT name FROM {table} WHERE id = 1')\n"),
    # map(shlex.quote, names): every element quoted
    ("B605", "import os, shlex\ndef f(names):\n    os.system('ls ' + ' '.join(map(shlex.quote, names)))\n",
             "import os\ndef f(names):\n    os.system('ls ' + ' '.join(map(str.strip, names)))\n"),
    # a Django form's IntegerField holds an int once is_valid() passed; a CharField holds text
    ("B608", "from django import forms\nclass F(forms.Form):\n    age = forms.IntegerField()\ndef f(cur, data):\n    form = F(data)\n    if form.is_valid():\n        cur.execute('SELECT name FROM t WHERE age = %s' % form.cleaned_data['age'])\n",
             "from django import forms\nclass F(forms.Form):\n    age = forms.CharField()\ndef f(cur, data):\n    form = F(data)\n    if form.is_valid():\n        cur.execute('SELECT name FROM t WHERE age = %s' % form.cleaned_data['age'])\n"),
    # psycopg's composition: an Identifier is quoted by the driver; a parameter may be anything
    ("BST109", "from psycopg2 import sql\ndef f(cur):\n    cur.execute(sql.SQL('SELECT * FROM {}').format(sql.Identifier('users')))\n",
               "from psycopg2 import sql\ndef f(cur, table):\n    cur.execute(sql.SQL('SELECT * FROM {}').format(table))\n"),
]


@pytest.mark.parametrize(("rule", "retracted", "kept"), RETRACTED,
                         ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(RETRACTED)])
def test_a_constant_or_sanitized_argument_retracts_bandits_finding(rule, retracted, kept):
    assert rule in {r for r, _ in reported(retracted, EXACT)}  # bandit does report it
    assert rule not in {r for r, _ in reported(retracted)}
    assert rule in {r for r, _ in reported(kept)}  # unknown: the finding stays
    assert rule in {r for r, _ in reported(kept, EXACT)}


SUBPROCESS = "import subprocess\nfrom mylib import fill, load\n"
# Values something else may change before the call: the finding must stay (the first of each
# pair is the same code where nothing can, and is retracted).
MAY_CHANGE = [
    # a module global is a constant only when bound once: a function declaring it `global`,
    # an augmented assignment, a tuple target, a `for` target or an import rebinds it
    ("global", SUBPROCESS + "CMD = 'ls'\ndef f():\n    subprocess.call(CMD, shell=True)\n",
     SUBPROCESS + "CMD = 'ls'\ndef setup(c):\n    global CMD\n    CMD = c\ndef f():\n    subprocess.call(CMD, shell=True)\n"),
    ("augmented", SUBPROCESS + "CMD = 'ls'\nX = 1\nX += 1\ndef f():\n    subprocess.call(CMD, shell=True)\n",
     SUBPROCESS + "CMD = 'ls'\nCMD += load()\ndef f():\n    subprocess.call(CMD, shell=True)\n"),
    ("tuple target", SUBPROCESS + "CMD = 'ls'\nA, B = load()\ndef f():\n    subprocess.call(CMD, shell=True)\n",
     SUBPROCESS + "CMD = 'ls'\nCMD, B = load()\ndef f():\n    subprocess.call(CMD, shell=True)\n"),
    ("for target", SUBPROCESS + "CMD = 'ls'\nfor ITEM in load():\n    pass\ndef f():\n    subprocess.call(CMD, shell=True)\n",
     SUBPROCESS + "CMD = 'ls'\nfor CMD in load():\n    pass\ndef f():\n    subprocess.call(CMD, shell=True)\n"),
    ("import", SUBPROCESS + "CMD = 'ls'\ntry:\n    import json\nexcept ImportError:\n    json = None\ndef f():\n    subprocess.call(CMD, shell=True)\n",
     SUBPROCESS + "CMD = 'ls'\ntry:\n    from settings import CMD\nexcept ImportError:\n    pass\ndef f():\n    subprocess.call(CMD, shell=True)\n"),
    # a handler runs after any statement of the `try` body, also one before a `raise`
    ("except", SUBPROCESS + "def f(a):\n    cmd = 'ls'\n    try:\n        raise ValueError(a)\n    except ValueError:\n        pass\n    subprocess.call(cmd, shell=True)\n",
     SUBPROCESS + "def f(a):\n    cmd = 'ls'\n    try:\n        cmd = a\n        raise ValueError(a)\n    except ValueError:\n        pass\n    subprocess.call(cmd, shell=True)\n"),
    # a field another method sets may hold what that method stored
    ("setter", SUBPROCESS + "class P:\n    def __init__(self):\n        self.cmd = 'ls'\n    def run(self):\n        subprocess.call(self.cmd, shell=True)\n",
     SUBPROCESS + "class P:\n    def __init__(self):\n        self.cmd = 'ls'\n    def use(self, c):\n        self.cmd = c\n    def run(self):\n        subprocess.call(self.cmd, shell=True)\n"),
    # a mapping of unknown keys may replace any slot
    ("update", SUBPROCESS + "def f():\n    cmds = {'a': 'ls'}\n    cmds.update({'b': 'pwd'})\n    subprocess.call(cmds['a'], shell=True)\n",
     SUBPROCESS + "def f():\n    cmds = {'a': 'ls'}\n    cmds.update(load())\n    subprocess.call(cmds['a'], shell=True)\n"),
    # a container or object handed to a call that may fill it, or reachable through another name
    ("call", SUBPROCESS + "def f():\n    d = {'a': 'ls'}\n    print(d)\n    subprocess.call(d['a'], shell=True)\n",
     SUBPROCESS + "def f():\n    d = {'a': 'ls'}\n    fill(d)\n    subprocess.call(d['a'], shell=True)\n"),
    ("object", SUBPROCESS + "class O:\n    pass\ndef f():\n    o = O()\n    o.cmd = 'ls'\n    subprocess.call(o.cmd, shell=True)\n",
     SUBPROCESS + "class O:\n    pass\ndef f():\n    o = O()\n    o.cmd = 'ls'\n    fill(o)\n    subprocess.call(o.cmd, shell=True)\n"),
    ("alias", SUBPROCESS + "def f():\n    d = ['ls']\n    other = list(d)\n    other[0] = load()\n    subprocess.call(d[0], shell=True)\n",
     SUBPROCESS + "def f():\n    d = ['ls']\n    other = d\n    other[0] = load()\n    subprocess.call(d[0], shell=True)\n"),
    # a module-level list, dict or set is a constant only when nothing changes it in place
    ("registry", SUBPROCESS + "COMMANDS = {'a': 'ls'}\ndef run(name):\n    subprocess.call(COMMANDS[name], shell=True)\n",
     SUBPROCESS + "COMMANDS = {'a': 'ls'}\ndef register(name, cmd):\n    COMMANDS[name] = cmd\ndef run(name):\n    subprocess.call(COMMANDS[name], shell=True)\n"),
    # handed to a filling call as the value of `or` / a conditional expression: the same as `fill(COMMANDS)`
    ("registry handed through or", SUBPROCESS + "COMMANDS = {'a': 'ls'}\ndef setup(extra):\n    fill(extra or {})\ndef run(name):\n    subprocess.call(COMMANDS[name], shell=True)\n",
     SUBPROCESS + "COMMANDS = {'a': 'ls'}\ndef setup(extra):\n    fill('a', extra or COMMANDS)\ndef run(name):\n    subprocess.call(COMMANDS[name], shell=True)\n"),
    ("registry handed through if", SUBPROCESS + "COMMANDS = {'a': 'ls'}\ndef setup(extra):\n    fill(extra if extra else {})\ndef run(name):\n    subprocess.call(COMMANDS[name], shell=True)\n",
     SUBPROCESS + "COMMANDS = {'a': 'ls'}\ndef setup(extra):\n    fill(extra if extra else COMMANDS)\ndef run(name):\n    subprocess.call(COMMANDS[name], shell=True)\n"),
    ("appended", SUBPROCESS + "STEPS = ['ls']\nprint(len(STEPS))\ndef run():\n    subprocess.call(STEPS[-1], shell=True)\n",
     SUBPROCESS + "STEPS = ['ls']\ndef add(step):\n    STEPS.append(step)\ndef run():\n    subprocess.call(STEPS[-1], shell=True)\n"),
    # an item stored under a key not known may be any of them
    ("unknown key", SUBPROCESS + "def f():\n    d = {'a': 'ls'}\n    d['b'] = load()\n    subprocess.call(d['a'], shell=True)\n",
     SUBPROCESS + "def f():\n    d = {'a': 'ls'}\n    d[load()] = load()\n    subprocess.call(d['a'], shell=True)\n"),
    ("dict()", SUBPROCESS + "def f():\n    d = dict(a='ls')\n    subprocess.call(d['a'], shell=True)\n",
     SUBPROCESS + "def f():\n    d = dict(a='ls')\n    fill(d)\n    subprocess.call(d['a'], shell=True)\n"),
    # a nested function declaring it `nonlocal` may rebind it when called
    ("nonlocal", SUBPROCESS + "def f():\n    cmd = 'ls'\n    def show():\n        print(cmd)\n    show()\n    subprocess.call(cmd, shell=True)\n",
     SUBPROCESS + "def f():\n    cmd = 'ls'\n    def use(c):\n        nonlocal cmd\n        cmd = c\n    use(load())\n    subprocess.call(cmd, shell=True)\n"),
    # a nested function or lambda using a container may change it when called
    ("closure", SUBPROCESS + "def f():\n    cmds = ['ls']\n    def log(m):\n        print(m)\n    log('x')\n    subprocess.call(cmds[0], shell=True)\n",
     SUBPROCESS + "def f():\n    cmds = ['ls']\n    def add(c):\n        cmds.append(c)\n    add(load())\n    subprocess.call(cmds[-1], shell=True)\n"),
    ("lambda", SUBPROCESS + "def f():\n    d = {'a': 'ls'}\n    show = lambda v: print(v)\n    show(load())\n    subprocess.call(d['a'], shell=True)\n",
     SUBPROCESS + "def f():\n    d = {'a': 'ls'}\n    put = lambda v: d.update(a=v)\n    put(load())\n    subprocess.call(d['a'], shell=True)\n"),
    ("generator", SUBPROCESS + "def f():\n    def gen():\n        return ['ls']\n    for c in gen():\n        subprocess.call(c, shell=True)\n",
     SUBPROCESS + "def f():\n    def gen():\n        yield load()\n    for c in gen():\n        subprocess.call(c, shell=True)\n"),
    ("class nonlocal", SUBPROCESS + "def f():\n    cmd = 'ls'\n    class C:\n        def m(self, c):\n            print(c)\n    C().m(load())\n    subprocess.call(cmd, shell=True)\n",
     SUBPROCESS + "def f():\n    cmd = 'ls'\n    class C:\n        def m(self, c):\n            nonlocal cmd\n            cmd = c\n    C().m(load())\n    subprocess.call(cmd, shell=True)\n"),
    # a class attribute holding a constant (class_constants.py), unless something may rebind it
    ("class constant", SUBPROCESS + "class Config:\n    SHELL = 'uptime'\ndef f():\n    subprocess.call(Config.SHELL, shell=True)\n",
     SUBPROCESS + "class Config:\n    SHELL = 'uptime'\ndef setup():\n    Config.SHELL = load()\ndef f():\n    subprocess.call(Config.SHELL, shell=True)\n"),
    ("class constant, tuple target", SUBPROCESS + "class Config:\n    SHELL = 'uptime'\n    OTHER = 'x'\ndef f():\n    (Config.OTHER, y) = load(), 1\n    subprocess.call(Config.SHELL, shell=True)\n",
     SUBPROCESS + "class Config:\n    SHELL = 'uptime'\ndef f():\n    (Config.SHELL, y) = load(), 1\n    subprocess.call(Config.SHELL, shell=True)\n"),
    ("class constant, setattr", SUBPROCESS + "class Config:\n    SHELL = 'uptime'\ndef f():\n    subprocess.call(Config.SHELL, shell=True)\n",
     SUBPROCESS + "class Config:\n    SHELL = 'uptime'\ndef setup(name):\n    setattr(Config, name, load())\ndef f():\n    subprocess.call(Config.SHELL, shell=True)\n"),
    ("class list", SUBPROCESS + "class Config:\n    SHELLS = ('uptime',)\ndef f():\n    subprocess.call(Config.SHELLS[0], shell=True)\n",
     SUBPROCESS + "class Config:\n    SHELLS = ['uptime']\ndef g():\n    Config.SHELLS.insert(0, load())\ndef f():\n    subprocess.call(Config.SHELLS[0], shell=True)\n"),
    ("self constant", SUBPROCESS + "class Job:\n    cmd = 'ls'\n    def run(self):\n        subprocess.call(self.cmd, shell=True)\nclass Other(Job):\n    pass\n",
     SUBPROCESS + "class Job:\n    cmd = 'ls'\n    def run(self):\n        subprocess.call(self.cmd, shell=True)\nclass Other(Job):\n    cmd = load()\n"),
    # a dataclass's default is replaced by its constructor's argument
    ("self constant, dataclass", SUBPROCESS + "class Job:\n    cmd = 'ls'\n    def run(self):\n        subprocess.call(self.cmd, shell=True)\n",
     SUBPROCESS + "from dataclasses import dataclass\n@dataclass\nclass Job:\n    cmd: str = 'ls'\n    def run(self):\n        subprocess.call(self.cmd, shell=True)\ndef go():\n    Job(cmd=load()).run()\n"),
    ("self constant, instance field", SUBPROCESS + "class Job:\n    cmd = 'ls'\n    def run(self):\n        subprocess.call(self.cmd, shell=True)\n",
     SUBPROCESS + "class Job:\n    cmd = 'ls'\n    def configure(self, c):\n        self.cmd = c\n    def run(self):\n        subprocess.call(self.cmd, shell=True)\n"),
    # a string element handed to a call cannot change its container; a dict element can
    ("element passed", SUBPROCESS + "def f():\n    cmds = {'a': 'ls', 'b': {'x': 'pwd'}}\n    fill(cmds['a'])\n    subprocess.call(cmds['b']['x'], shell=True)\n",
     SUBPROCESS + "def f():\n    cmds = {'a': 'ls', 'b': {'x': 'pwd'}}\n    fill(cmds['b'])\n    subprocess.call(cmds['b']['x'], shell=True)\n"),
    # a name stored in a slot escapes (the slot and the name are one object), not the container
    ("stored name", SUBPROCESS + "def f():\n    d = {'a': 'ls'}\n    x = load()\n    d['b'] = x\n    subprocess.call(d['a'], shell=True)\n",
     SUBPROCESS + "def f():\n    d = {'a': 'ls'}\n    x = load()\n    d['a'] = x\n    subprocess.call(d['a'], shell=True)\n"),
    # an element changed through a method of its own changes its container, at any depth
    ("element method", SUBPROCESS + "def f():\n    d = {'s': {'k': 'ls'}}\n    print(d['s'].get('k'))\n    subprocess.call(d['s']['k'], shell=True)\n",
     SUBPROCESS + "def f():\n    d = {'s': {'k': 'ls'}}\n    d['s'].update(load())\n    subprocess.call(d['s']['k'], shell=True)\n"),
    ("element append", SUBPROCESS + "def f():\n    d = {'s': ['ls']}\n    subprocess.call(d['s'][-1], shell=True)\n",
     SUBPROCESS + "def f():\n    d = {'s': ['ls']}\n    d['s'].append(load())\n    subprocess.call(d['s'][-1], shell=True)\n"),
    ("configparser section", SUBPROCESS + "import configparser\ndef f():\n    conf = configparser.ConfigParser()\n    conf.set('s', 'cmd', 'ls')\n    subprocess.call(conf.get('s', 'cmd'), shell=True)\n",
     SUBPROCESS + "import configparser\ndef f():\n    conf = configparser.ConfigParser()\n    conf.set('s', 'cmd', 'ls')\n    conf['s'].update(load())\n    subprocess.call(conf.get('s', 'cmd'), shell=True)\n"),
    # a module that binds globals by name may rebind any of them
    ("globals()", SUBPROCESS + "CMD = 'ls'\ndef run():\n    subprocess.call(CMD, shell=True)\n",
     SUBPROCESS + "CMD = 'ls'\ndef setup():\n    globals()['CMD'] = load()\ndef run():\n    subprocess.call(CMD, shell=True)\n"),
    ("sys.modules", SUBPROCESS + "import sys\nCMD = 'ls'\ndef run():\n    subprocess.call(CMD, shell=True)\n",
     SUBPROCESS + "import sys\nCMD = 'ls'\ndef setup(name):\n    setattr(sys.modules[__name__], name, load())\ndef run():\n    subprocess.call(CMD, shell=True)\n"),
    # a ConfigParser's options as `set` filled them (configs.py); `read` fills them from a file
    ("configparser", SUBPROCESS + "import configparser\ndef f():\n    conf = configparser.ConfigParser()\n    conf.add_section('s')\n    conf.set('s', 'cmd', 'ls')\n    conf.set('s', 'other', load())\n    subprocess.call(conf.get('s', 'cmd'), shell=True)\n",
     SUBPROCESS + "import configparser\ndef f():\n    conf = configparser.ConfigParser()\n    conf.set('s', 'cmd', 'ls')\n    conf.read(load())\n    subprocess.call(conf.get('s', 'cmd'), shell=True)\n"),
    ("held", SUBPROCESS + "def f():\n    d = {'a': 'ls'}\n    holder = [dict(d)]\n    holder[0]['a'] = load()\n    subprocess.call(d['a'], shell=True)\n",
     SUBPROCESS + "def f():\n    d = {'a': 'ls'}\n    holder = [d]\n    holder[0]['a'] = load()\n    subprocess.call(d['a'], shell=True)\n"),
]


@pytest.mark.parametrize(("retracted", "kept"), [(r, k) for _, r, k in MAY_CHANGE],
                         ids=[name for name, _, _ in MAY_CHANGE])
def test_a_value_something_else_may_change_keeps_bandits_finding(retracted, kept):
    assert ("B602" in {r for r, _ in reported(retracted, EXACT)}
            and "B602" in {r for r, _ in reported(kept, EXACT)})
    assert "B602" not in {r for r, _ in reported(retracted)}
    assert "B602" in {r for r, _ in reported(kept)}


# (bandit rule, taint rule replacing it, a Flask view passing request data, its sanitized twin)
REPLACED = [
    ("B602", "BST202",
     FLASK + "import subprocess\n@app.route('/ping')\ndef ping():\n    host = request.args['host']\n    return subprocess.check_output('ping -c 1 ' + host, shell=True)\n",
     FLASK + "import shlex, subprocess\n@app.route('/ping')\ndef ping():\n    host = shlex.quote(request.args['host'])\n    return subprocess.check_output('ping -c 1 ' + host, shell=True)\n"),
    ("B605", "BST202",
     FLASK + "import os\n@app.post('/convert')\ndef convert():\n    os.system(f\"convert {request.form['name']} out.png\")\n    return 'ok'\n",
     FLASK + "import os\n@app.post('/convert')\ndef convert():\n    name = request.form['name']\n    if not name.isalnum():\n        return 'bad', 400\n    os.system(f'convert {name} out.png')\n    return 'ok'\n"),
    ("B307", "BST206",
     FLASK + "@app.route('/calc')\ndef calc():\n    return str(eval(request.args['expr']))\n",
     FLASK + "@app.route('/calc')\ndef calc():\n    return str(eval(str(int(request.args['n'])) + ' * 2'))\n"),
    ("B301", "BST209",
     FLASK + "import pickle\n@app.post('/load')\ndef load():\n    return str(pickle.loads(request.get_data()))\n",
     None),
    ("B703", "BST203",
     "from django.utils.safestring import mark_safe\ndef greet(request):\n    return mark_safe('<b>' + request.GET['name'] + '</b>')\n",
     "from django.utils.html import escape\nfrom django.utils.safestring import mark_safe\ndef greet(request):\n    return mark_safe('<b>' + escape(request.GET['name']) + '</b>')\n"),
    ("B601", "BST202",
     FLASK + "import paramiko\n@app.route('/ls')\ndef ls():\n    client = paramiko.SSHClient()\n    client.exec_command('ls ' + request.args['path'])\n    return 'ok'\n",
     FLASK + "import paramiko, shlex\n@app.route('/ls')\ndef ls():\n    client = paramiko.SSHClient()\n    client.exec_command('ls ' + shlex.quote(request.args['path']))\n    return 'ok'\n"),
    # Django's raw SQL in a queryset: a number conversion writes digits whatever it is given
    ("B610", "BST204",
     DJANGO_SQL + "def people(request):\n    return list(Person.objects.extra(where=[f\"name = '{request.GET['name']}'\"]))\n",
     DJANGO_SQL + "def people(request):\n    return list(Person.objects.extra(where=['id = %d' % int(request.GET['id'])]))\n"),
    ("B611", "BST204",
     DJANGO_SQL + "def people(request):\n    return list(Person.objects.annotate(v=RawSQL(f\"SELECT c FROM t WHERE n = '{request.GET['n']}'\", ())))\n",
     DJANGO_SQL + "def people(request):\n    return list(Person.objects.annotate(v=RawSQL('SELECT c FROM t WHERE id = %d' % int(request.GET['id']), ())))\n"),
    ("B608", "BST204",
     FLASK + "import sqlite3\n@app.route('/user')\ndef user():\n    db = sqlite3.connect('app.db')\n    query = \"SELECT * FROM users WHERE name = '%s'\" % request.args['name']\n    return str(db.execute(query).fetchall())\n",
     FLASK + "import sqlite3\n@app.route('/user')\ndef user():\n    db = sqlite3.connect('app.db')\n    query = 'SELECT * FROM users WHERE id = %d' % int(request.args['id'])\n    return str(db.execute(query).fetchall())\n"),
]


@pytest.mark.parametrize(("rule", "taint_rule", "vulnerable", "safe"), REPLACED,
                         ids=[r for r, *_ in REPLACED])
def test_a_tainted_argument_is_reported_once_by_the_taint_rule(rule, taint_rule, vulnerable, safe):
    found = {r for r, _ in reported(vulnerable)}
    assert taint_rule in found
    assert rule not in found
    exact = {r for r, _ in reported(vulnerable, EXACT)}
    assert {rule, taint_rule} <= exact
    if safe is not None:
        twin = {r for r, _ in reported(safe)}
        assert taint_rule not in twin and rule not in twin
        assert rule in {r for r, _ in reported(safe, EXACT)}


def test_request_data_in_an_argument_is_argument_injection_not_b603():
    # The program is constant and runs without a shell: no command injection, but `ref` may be
    # an option (`--output=...`): BST217 (CWE-88) reports the flow with its path instead of B603.
    source = FLASK + "import subprocess\n@app.route('/log')\ndef log():\n    return subprocess.check_output(['git', 'log', request.args['ref']])\n"
    findings = [f for f in ENGINE.analyse(source, "case.py", DEFAULT).findings]
    found = {f.rule_id for f in findings}
    assert "BST217" in found and "B603" not in found and "BST202" not in found
    taint = next(f for f in findings if f.rule_id == "BST217")
    assert taint.cwe == 88 and taint.steps
    assert "B603" in {r for r, _ in reported(source, EXACT)}


def test_a_tainted_value_with_no_taint_finding_keeps_bandits_finding():
    # Data from the command line reaches no argument-injection sink (the operator chose it):
    # no taint finding reports the flow, so B603 stays.
    source = "import subprocess, sys\ndef main():\n    subprocess.check_output(['git', 'log', sys.argv[1]])\n"
    found = {r for r, _ in reported(source)}
    assert "B603" in found and "BST217" not in found and "BST202" not in found


def test_unknown_values_and_functions_keep_their_findings():
    source = "import os, subprocess\nsubprocess.call(x, shell=True)\ndef f():\n    g(shell=True)\n"
    assert reported(source) == reported(source, EXACT)


def test_module_level_code_is_judged_as_a_function_is():
    # a script's top-level code: its constant command is retracted, its unknown one kept
    source = "import os, subprocess\nos.system('ls')\nsubprocess.call(x, shell=True)\n"
    assert ("B605", 2) in reported(source, EXACT) and ("B605", 2) not in reported(source)
    assert ("B602", 3) in reported(source)


def test_retractions_are_the_same_after_an_edit_as_fresh():
    from bastion.engine.incremental import IncrementalSplitter  # noqa: F401 - the editor's path

    before = "import os\ndef f():\n    os.system('ls')\n\ndef g(x):\n    os.system(x)\n"
    after = before.replace("os.system(x)", "os.system('pwd')")
    engine = create_engine()
    engine.analyse(before, "a.py", DEFAULT)
    warm = engine.analyse(after, "a.py", DEFAULT).findings
    assert warm == create_engine().analyse(after, "a.py", DEFAULT).findings
    assert not [f for f in warm if f.rule_id == "B605"]


def test_the_cli_flag_and_the_pyproject_key_restore_bandits_output(tmp_path):
    app = tmp_path / "app.py"
    app.write_text("import os\ndef f():\n    os.system('ls -l')\n")
    command = [sys.executable, "-m", "bastion", "check", "--format", "json", "--no-cache",
               "--fail-on", "never", str(app)]

    def ids(*extra: str) -> list[str]:
        run = subprocess.run([*command, *extra], capture_output=True, text=True, check=True,
                             cwd=tmp_path)
        return [f["rule_id"] for f in json.loads(run.stdout)["results"]]

    assert "B605" not in ids()
    assert "B605" in ids("--bandit-exact")
    (tmp_path / "pyproject.toml").write_text("[tool.bastion]\nbandit_exact = true\n")
    assert "B605" in ids()


def test_the_editor_setting_is_bandit_exact_in_camel_case():
    from bastion.config import validate_layer

    assert validate_layer({"banditExact": True}, camel=True) == ({"bandit_exact": True}, [])


def test_a_retraction_survives_the_disk_cache_and_is_validated():
    from bastion.engine.cache_entry import InvalidEntry, decode, encode

    text = "import os\ndef f():\n    os.system('ls')\n"
    raw = ENGINE.analyse_raw(text, "a.py", use_disk=False)
    (b605,) = [f for f in raw.findings if f.rule_id == "B605"]
    assert b605.retracted == "its argument is constant"
    row = encode("k", text, raw.findings, {}, ())
    findings, _, _ = decode(row, "k", text, ENGINE.rule_names)
    assert findings == raw.findings
    with pytest.raises(InvalidEntry):
        decode(row.replace('"its argument is constant"', '""'), "k", text, ENGINE.rule_names)


LXML = FLASK + "from lxml import etree\n"


def test_bst129_is_replaced_by_the_taint_finding_on_the_same_call():
    vulnerable = FLASK + "from flask import send_file\n@app.route('/f')\ndef f():\n    return send_file(request.args['name'])\n"
    assert ("BST201", 6) in reported(vulnerable)
    assert "BST129" not in {r for r, _ in reported(vulnerable)}
    assert {"BST129", "BST201"} <= {r for r, _ in reported(vulnerable, EXACT)}
    # werkzeug's secure_filename keeps the name inside the folder: the pattern is retracted.
    safe = FLASK + "from flask import send_file\nfrom werkzeug.utils import secure_filename\n@app.route('/f')\ndef f():\n    return send_file(secure_filename(request.args['name']))\n"
    assert not {r for r, _ in reported(safe)} & {"BST129", "BST201"}
    assert "BST129" in {r for r, _ in reported(safe, EXACT)}
    # `import os` binds os.path: its basename is a module function, not a method of an unknown
    # value, so the sanitized name is known and the pattern retracted too
    joined = FLASK + "import os\n@app.route('/f')\ndef f():\n    return open(os.path.join('/srv', os.path.basename(request.args['f']))).read()\n"
    assert not {r for r, _ in reported(joined)} & {"BST129", "BST201"}


def test_bst127_is_replaced_by_the_taint_finding_on_the_same_redirect():
    vulnerable = FLASK + "from flask import redirect\n@app.route('/go')\ndef go():\n    return redirect(request.args['next'])\n"
    assert reported(vulnerable) == [("BST210", 6)]
    assert {"BST127", "BST210"} <= {r for r, _ in reported(vulnerable, EXACT)}
    # url_for builds a URL of the application's own routes, the request value quoted into it.
    safe = FLASK + "from flask import redirect, url_for\n@app.route('/go')\ndef go():\n    return redirect(url_for('show', item=request.args['item']))\n"
    assert reported(safe) == []
    assert "BST127" in {r for r, _ in reported(safe, EXACT)}


def test_bst128_is_replaced_by_the_taint_finding_on_the_same_request():
    vulnerable = FLASK + "import requests\n@app.route('/f')\ndef f():\n    return requests.get(request.args['url'], timeout=5).text\n"
    assert reported(vulnerable) == [("BST213", 6)]
    assert {"BST128", "BST213"} <= {r for r, _ in reported(vulnerable, EXACT)}


def test_bst130_is_replaced_when_request_data_reaches_that_functions_parser():
    vulnerable = LXML + "@app.post('/x')\ndef x():\n    parser = etree.XMLParser(resolve_entities=True)\n    return etree.tostring(etree.fromstring(request.data, parser))\n"
    found = {r for r, _ in reported(vulnerable)}
    assert "BST211" in found and "BST130" not in found
    # A parser reading the application's own file: no flow, the configuration finding stays.
    local = LXML + "def load():\n    parser = etree.XMLParser(resolve_entities=True)\n    return etree.parse('config.xml', parser)\n"
    assert "BST130" in {r for r, _ in reported(local)}
    # A module's parser serves every function: it stays where it is configured.
    shared = LXML + "PARSER = etree.XMLParser(resolve_entities=True)\n@app.post('/x')\ndef x():\n    return etree.tostring(etree.fromstring(request.data, PARSER))\n"
    assert "BST130" in {r for r, _ in reported(shared)}


def test_bst110_is_judged_against_the_template_sink_of_the_same_call():
    vulnerable = FLASK + "from flask import render_template_string\n@app.route('/h')\ndef h():\n    return render_template_string(f\"<h1>Hello {request.args['name']}</h1>\")\n"
    assert ("BST214", 6) in reported(vulnerable) and "BST110" not in {r for r, _ in reported(vulnerable)}
    assert {"BST110", "BST214"} <= {r for r, _ in reported(vulnerable, EXACT)}
    # a name that must be an identifier holds no template syntax: the pattern is retracted
    guarded = FLASK + "from flask import render_template_string\n@app.route('/h')\ndef h():\n    name = request.args.get('name', '')\n    if not name.isidentifier():\n        return 'bad', 400\n    return render_template_string('Hello ' + name)\n"
    assert reported(guarded) == []
    assert "BST110" in {r for r, _ in reported(guarded, EXACT)}
    # a helper's parameter: the analysis cannot tell, the pattern stays
    helper = "from flask import render_template_string\ndef page(title):\n    return render_template_string(f'<h1>{title}</h1>')\n"
    assert "BST110" in {r for r, _ in reported(helper)}


def test_bst128_is_retracted_where_a_constant_prefix_fixes_the_host():
    fixed = FLASK + "import requests\n@app.route('/f')\ndef f():\n    return requests.get('https://api.example.com/v1/' + request.args['p'], timeout=5).text\n"
    assert reported(fixed) == []
    assert "BST128" in {r for r, _ in reported(fixed, EXACT)}
    # a host from the request: the taint finding replaces the pattern
    host = FLASK + "import requests\n@app.route('/f')\ndef f():\n    return requests.get(f\"http://{request.args['h']}/status\", timeout=5).text\n"
    assert reported(host) == [("BST213", 6)]


@pytest.mark.parametrize(("config", "expected"), [
    (Config(select=("B6",)), {("B602", 5), ("B602", 6)}),
    (Config(ignore=("BST2",)), {("B602", 5), ("B602", 6)}),
    # the request's flow is high confidence, the environment's medium
    (Config(confidence=Level.HIGH), {("BST202", 5), ("B602", 6)})])
def test_a_finding_replaced_by_one_the_configuration_does_not_report_stays(config, expected):
    # `--select B6`, BST2xx ignored, or a confidence the taint finding lacks: hiding the
    # pattern finding for a taint finding nobody sees would hide the flow
    source = ("import os\nimport subprocess\nfrom flask import request\ndef f():\n"
              "    subprocess.call(request.args['c'], shell=True)\n"
              "    subprocess.call(os.environ['CMD'], shell=True)\n")
    assert {f for f in reported(source) if f[1] in (5, 6)} == {("BST202", 5), ("BST202", 6)}
    assert {f for f in reported(source, config) if f[1] in (5, 6)} == expected


def test_a_pattern_on_a_flow_reported_upstream_is_replaced_by_that_finding():
    # compile() is where the request's code is reported (upstream.py); exec(code) runs the same
    # flaw: bandit's B102 there is replaced by the finding at compile, not kept nor retracted.
    vulnerable = FLASK + "@app.route('/calc')\ndef calc():\n    code = compile(request.args['src'], '<src>', 'exec')\n    exec(code)\n    return 'ok'\n"
    assert reported(vulnerable) == [("BST206", 5)]
    assert reported(vulnerable, EXACT) == [("B102", 6), ("BST206", 5)]
    # the safe twin: no request data is compiled, so no flow replaces exec's finding (what a
    # code object holds is not judged: it stays)
    safe = FLASK + "@app.route('/calc')\ndef calc():\n    code = compile('print(1)', '<src>', 'exec')\n    exec(code)\n    return 'ok'\n"
    assert reported(safe) == [("B102", 6)]

"""Taint analysis: request data through one standard-library step before its sink, each case with
a safe twin that differs in the element, the order or the input only: a dict merged with `|`
keeps each key's value, `str.join` of a list joins its parts in order (a constant first part
fixes the host), a shallow `copy()`, `list()` / `tuple()` (and `reversed`, the other way round)
keep the slots (and a constant's value: an allow-list), `dict()` of pairs in order (`zip(KEYS, values)`) has their keys, a
`SimpleNamespace` the attributes it is given, a queue the view makes what it put, a
dataclass's `asdict` / `replace` its fields, a `%r` / `!a` conversion writes a Python literal
of the text (no code, no log line: not SQL), and a compiled pattern's `search` returns a match
of the text searched (not a directory's entries, as an LDAP `search` does)."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
FLASK = ("import dataclasses, logging, os, queue, re, sqlite3, types\nimport requests\nfrom flask import Flask, request\n"
         "app = Flask(__name__)\nconn = sqlite3.connect('x.db')\nURL_RE = re.compile(r'https?://\\S+')\n"
         "@dataclasses.dataclass\nclass Job:\n    cmd: str\n    kind: str = 'ls'\n"
         "@app.route('/a')\ndef a():\n    term = request.args['q']\n")
PAIRS = [
    # PEP 584 merge: the right dict's value where both have the key
    ("BST213", "    params = {'host': 'api.example.com'} | {'host': term, 'fmt': 'json'}\n    return requests.get('https://' + params['host'] + '/v1').text\n",
               "    params = {'host': term} | {'host': 'api.example.com', 'fmt': term}\n    return requests.get('https://' + params['host'] + '/v1').text\n"),
    ("BST202", "    opts = {'cmd': 'ls'}\n    opts |= {'cmd': term}\n    os.system(opts['cmd'])\n    return 'ok'\n",
               "    opts = {'cmd': 'ls'}\n    opts |= {'arg': term}\n    os.system(opts['cmd'])\n    return 'ok'\n"),
    # a join of known parts, in their order
    ("BST213", "    return requests.get(''.join([term, '/v1/items'])).text\n",
               "    return requests.get(''.join(['https://api.example.com/v1/items/', term])).text\n"),
    ("BST210", "    return redirect('/'.join([term, 'done']))\n",
               "    return redirect('/'.join(['https://example.com', 'done', term]))\n"),
    # a shallow copy, slot by slot
    ("BST202", "    argv = ['ls', term]\n    os.system(argv.copy()[1])\n    return 'ok'\n",
               "    argv = ['ls', term]\n    os.system(argv.copy()[0])\n    return 'ok'\n"),
    ("BST204", "    where = {'name': term, 'order': 'id'}.copy()\n    conn.execute('SELECT * FROM t WHERE name = \\'' + where['name'] + '\\'')\n    return 'ok'\n",
               "    where = {'name': term, 'order': 'id'}.copy()\n    conn.execute('SELECT * FROM t ORDER BY ' + where['order'])\n    return 'ok'\n"),
    # a copy of a sequence keeps its order (reversed: the other way round); a dict of pairs in
    # order has their keys; a namespace, the attributes it is given
    ("BST202", "    argv = tuple(['ls', term])\n    os.system(argv[1])\n    return 'ok'\n",
               "    argv = tuple(['ls', term])\n    os.system(argv[0])\n    return 'ok'\n"),
    ("BST202", "    if term not in tuple(['ls', 'pwd', request.args['extra']]):\n        return 'no'\n    os.system(term)\n    return 'ok'\n",
               "    if term not in tuple(['ls', 'pwd']):\n        return 'no'\n    os.system(term)\n    return 'ok'\n"),
    ("BST202", "    os.system(list(reversed(['ls', term]))[0])\n    return 'ok'\n",
               "    os.system(list(reversed(['ls', term]))[1])\n    return 'ok'\n"),
    ("BST204", "    row = dict(zip(['name', 'order'], [term, 'id']))\n    conn.execute('SELECT * FROM t WHERE name = \\'' + row['name'] + '\\'')\n    return 'ok'\n",
               "    row = dict(zip(['name', 'order'], [term, 'id']))\n    conn.execute('SELECT * FROM t ORDER BY ' + row['order'])\n    return 'ok'\n"),
    ("BST202", "    job = dict([('cmd', term), ('dir', '/tmp')])\n    os.system(job['cmd'])\n    return 'ok'\n",
               "    job = dict([('cmd', term), ('cmd', 'ls')])\n    os.system(job['cmd'])\n    return 'ok'\n"),
    ("BST202", "    job = types.SimpleNamespace(cmd=term, dir='/tmp')\n    os.system('ls ' + job.cmd)\n    return 'ok'\n",
               "    job = types.SimpleNamespace(cmd=term, dir='/tmp')\n    os.system('ls ' + job.dir)\n    return 'ok'\n"),
    # a queue the view makes holds what it put; a dataclass's dict or copy, its fields
    ("BST202", "    jobs = queue.Queue()\n    jobs.put(term)\n    os.system('ls ' + jobs.get(timeout=1))\n    return 'ok'\n",
               "    jobs = queue.Queue()\n    jobs.put('/tmp')\n    os.system('ls ' + jobs.get(timeout=1))\n    return 'ok'\n"),
    ("BST202", "    job = dataclasses.asdict(Job(term))\n    os.system(job['cmd'])\n    return 'ok'\n",
               "    job = dataclasses.asdict(Job(term))\n    os.system(job['kind'])\n    return 'ok'\n"),
    ("BST202", "    job = dataclasses.replace(Job('ls'), cmd=term)\n    os.system(job.cmd)\n    return 'ok'\n",
               "    job = dataclasses.replace(Job(term), cmd='ls')\n    os.system(job.cmd)\n    return 'ok'\n"),
    # a repr is a literal of the text: evaluated, it is that text again
    ("BST206", "    exec('query = %s' % term)\n    return 'ok'\n",
               "    exec('query = %r' % term)\n    return 'ok'\n"),
    ("BST206", "    return str(eval(f'len({term})'))\n",
               "    return str(eval(f'len({term!a})'))\n"),
    ("BST207", "    logging.warning('bad name %s' % term)\n    return 'ok'\n",
               "    logging.warning('bad name %r' % term)\n    return 'ok'\n"),
    # a compiled pattern's match holds the text searched
    ("BST213", "    m = URL_RE.search(term)\n    return requests.get(m.group(0)).text\n",
               "    m = URL_RE.search('see https://api.example.com/v1')\n    return requests.get(m.group(0)).text\n"),
    ("BST202", "    os.system(re.compile(r'(.+)').search(term).group(1))\n    return 'ok'\n",
               "    os.system(re.compile(r'(.+)').search('ls').group(1))\n    return 'ok'\n"),
]


def ids(source: str) -> list[str]:
    source = source.replace("from flask import Flask, request", "from flask import Flask, redirect, request")
    return [f.rule_id for f in ANALYZER.analyse_file(source, "case.py") if f.rule_id.startswith("BST2")]


@pytest.mark.parametrize(("rule_id", "vulnerable", "safe"), PAIRS)
def test_request_data_through_one_step(rule_id, vulnerable, safe):
    assert rule_id in ids(FLASK + vulnerable)
    assert rule_id not in ids(FLASK + safe)


def test_an_ldap_search_still_returns_the_directorys_entries():
    # the `search` sink's result is the directory's, whatever the filter held: not a match
    source = FLASK.replace("import os,", "import ldap, os,") + (
        "    conn = ldap.initialize('ldap://x')\n"
        "    found = conn.search_s('dc=x', ldap.SCOPE_SUBTREE, '(uid=' + term + ')')\n"
        "    os.system(found[0][0])\n    return 'ok'\n")
    assert ids(source) == ["BST205"]

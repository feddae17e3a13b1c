"""Taint analysis: library models found missing by probing real view idioms (issue 12): archive
extraction, the argument vectors of `os.exec*` / `os.spawn*`, NumPy and PyTorch loads, driver
SQL, SQLAlchemy's statement builders, module-level Jinja2 environments, outgoing connections,
the file APIs beyond `open`, `splitext`, percent-encoding, base64, slugs, dates, `shlex.split`,
URLs tested to start with a fixed host, modules loaded from a file, objectify's and pull parsers,
and XInclude. Each case is a vulnerable Flask view and its safe twin."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer

ANALYZER = TaintAnalyzer()
FLASK = "import os\nfrom flask import Flask, request\napp = Flask(__name__)\n@app.post('/a')\ndef a():\n"


def ids(body: str, header: str = "", view: str = FLASK) -> list[str]:
    """The rules reported on `view` (a module's header down to the view's `def` line) with
    `body` as the view's body, after the imports in `header`."""
    source = header + view + "".join(f"    {line}\n" for line in body.splitlines())
    return sorted(f.rule_id for f in ANALYZER.analyse_file(source, "case.py"))


# (rule id, imports, vulnerable view body, safe twin body)
PAIRS = [
    # an archive extracted into a directory the request names
    ("BST201", "import zipfile\n",
     "with zipfile.ZipFile('/srv/a.zip') as zf:\n    zf.extractall(request.form['dest'])\nreturn 'ok'",
     "with zipfile.ZipFile('/srv/a.zip') as zf:\n    zf.extractall('/srv/out')\nreturn 'ok'"),
    ("BST201", "import zipfile\n",
     "zipfile.ZipFile('/srv/a.zip').extract('a.txt', path=request.form['dest'])\nreturn 'ok'",
     "zipfile.ZipFile('/srv/a.zip').extract(request.form['member'], path='/srv/out')\nreturn 'ok'"),
    # an uploaded tar extracted without a filter (tar slip), and with the `data` filter
    ("BST201", "import tarfile\n",
     "tar = tarfile.open(fileobj=request.files['t'].stream)\ntar.extractall('/srv/out')\nreturn 'ok'",
     "tar = tarfile.open(fileobj=request.files['t'].stream)\ntar.extractall('/srv/out', filter='data')\nreturn 'ok'"),
    ("BST201", "import tarfile\n",
     "with tarfile.open(fileobj=request.files['t'].stream) as tar:\n    tar.extractall(path='/srv/out', filter='fully_trusted')\nreturn 'ok'",
     "with tarfile.open('/srv/a.tgz') as tar:\n    tar.extractall(path='/srv/out')\nreturn 'ok'"),
    ("BST201", "import shutil\n",
     "shutil.unpack_archive(request.form['archive'], '/srv/out')\nreturn 'ok'",
     "shutil.unpack_archive('/srv/a.zip', '/srv/out')\nreturn 'ok'"),
    # file APIs beyond open
    ("BST201", "import glob\n",
     "return {'g': glob.glob('/srv/' + request.args['pattern'])}",
     "return {'g': glob.glob('/srv/*.txt'), 'p': request.args['pattern']}"),
    ("BST201", "",
     "return {'s': os.stat(os.path.join('/srv', request.args['f'])).st_size}",
     "return {'s': os.stat(os.path.join('/srv', os.path.basename(request.args['f']))).st_size}"),
    ("BST201", "import shutil\n",
     "shutil.copytree(request.form['src'], '/srv/backup')\nreturn 'ok'",
     "shutil.copytree('/srv/data', '/srv/backup')\nreturn 'ok'"),
    ("BST201", "import aiofiles\n",
     "with aiofiles.open(os.path.join('/srv', request.args['f'])) as fh:\n    return fh",
     "with aiofiles.open(os.path.join('/srv', os.path.basename(request.args['f']))) as fh:\n    return fh"),
    ("BST201", "from pathlib import Path\n",
     "return {'d': Path('/srv', request.args['f']).is_dir()}",
     "return {'d': Path('/srv', 'fixed').is_dir()}"),
    ("BST201", "from pathlib import Path\n",
     "Path('/srv/a.txt').rename(Path('/srv') / request.form['new'])\nreturn 'ok'",
     "Path('/srv/a.txt').rename(Path('/srv') / os.path.basename(request.form['new']))\nreturn 'ok'"),
    # the command line a shell runs from an exec / spawn argument vector
    ("BST202", "",
     "os.execvp('sh', ['sh', '-c', request.args['c']])",
     "os.execvp('grep', ['grep', request.args['c'], '/var/log/app.log'])"),
    ("BST202", "",
     "os.execl('/bin/sh', 'sh', '-c', 'echo ' + request.args['c'])",
     "os.execl('/bin/echo', 'echo', request.args['c'])"),
    ("BST202", "",
     "return {'rc': os.spawnv(os.P_WAIT, '/bin/sh', ['sh', '-c', request.args['c']])}",
     "return {'rc': os.spawnv(os.P_WAIT, '/bin/echo', ['echo', request.args['c']])}"),
    # os.spawn* name the program second, after the mode
    ("BST202", "",
     "return {'rc': os.spawnl(os.P_WAIT, request.args['prog'], 'x')}",
     "return {'rc': os.spawnl(os.P_WAIT, '/bin/true', 'x')}"),
    # NumPy unpickles only when allowed; PyTorch unless told not to
    ("BST209", "import numpy as np\n",
     "return {'n': len(np.load(request.files['f'], allow_pickle=True))}",
     "return {'n': len(np.load(request.files['f']))}"),
    ("BST209", "import torch\n",
     "return {'m': str(torch.load(request.files['m'], weights_only=False))}",
     "return {'m': str(torch.load(request.files['m'], weights_only=True))}"),
    # a command run by a shell on another host
    ("BST202", "import paramiko\n",
     "client = paramiko.SSHClient()\nclient.exec_command('ls ' + request.form['dir'])\nreturn 'ok'",
     "client = paramiko.SSHClient()\nclient.exec_command('ls /srv')\nreturn {'d': request.form['dir']}"),
    ("BST202", "from fabric import Connection\n",
     "Connection('backup').run('du -sh ' + request.form['dir'])\nreturn 'ok'",
     "Connection('backup').run('du -sh /srv')\nreturn {'d': request.form['dir']}"),
    # a client bound to a base URL the request names; a download and where it is written
    ("BST213", "import httpx\n",
     "with httpx.Client(base_url=request.args['api']) as client:\n    return client.get('/status').text",
     "with httpx.Client(base_url='https://api.example.com', params={'q': request.args['api']}) as client:\n    return client.get('/status').text"),
    ("BST213", "import urllib.request\n",
     "urllib.request.urlretrieve(request.args['u'], '/tmp/x')\nreturn 'ok'",
     "urllib.request.urlretrieve('https://example.com/feed?u=' + request.args['u'], '/tmp/x')\nreturn 'ok'"),
    ("BST201", "import urllib.request\n",
     "urllib.request.urlretrieve('https://example.com/feed', request.args['f'])\nreturn 'ok'",
     "urllib.request.urlretrieve('https://example.com/feed', os.path.basename(request.args['f']))\nreturn 'ok'"),
    # keyword arguments given as a dict (`**opts`)
    ("BST213", "import requests\n",
     "opts = {'url': request.args['u'], 'timeout': 3}\nreturn requests.get(**opts).text",
     "opts = {'url': 'https://api.example.com/items', 'params': {'q': request.args['u']}}\nreturn requests.get(**opts).text"),
    # SQL text made apart from the query, or run by another library
    ("BST204", "from sqlalchemy import literal_column, select, table\n",
     "return str(select(literal_column(request.args['col'])).select_from(table('t')))",
     "return str(select(literal_column('name')).select_from(table('t')).where(literal_column('id') == request.args['col']))"),
    ("BST204", "import databases\ndatabase = databases.Database('sqlite:///x.db')\n",
     "return str(database.fetch_all(query=\"SELECT * FROM t WHERE a = '\" + request.args['a'] + \"'\"))",
     "return str(database.fetch_all(query='SELECT * FROM t WHERE a = :a', values={'a': request.args['a']}))"),
    ("BST204", "import psycopg2\n",
     "psycopg2.connect('').cursor().copy_expert(f\"COPY (SELECT * FROM {request.args['t']}) TO STDOUT\", open('/tmp/o', 'w'))\nreturn 'ok'",
     "psycopg2.connect('').cursor().copy_expert('COPY t TO STDOUT', open('/tmp/o', 'w'))\nreturn {'t': request.args['t']}"),
    # SQLAlchemy's statement builders bind the values they are given
    ("BST204", "from sqlalchemy import text, update\nfrom sqlalchemy.orm import Session\nfrom .models import User\nsession = Session()\n",
     "session.execute(update(User).where(text(f\"name = '{request.args['n']}'\")).values(active=False))\nreturn 'ok'",
     "session.execute(update(User).where(User.id == request.form['id']).values(name=request.args['n']))\nreturn 'ok'"),
    ("BST204", "from sqlalchemy import delete, insert\nfrom sqlalchemy.orm import Session\nfrom .models import User\nsession = Session()\n",
     "session.execute('DELETE FROM users WHERE name = ' + request.args['n'])\nreturn 'ok'",
     "session.execute(delete(User).where(User.name.like(f\"%{request.args['n']}%\")))\nsession.execute(insert(User).values(name=request.args['n']))\nreturn 'ok'"),
    # Jinja2 environments made at module level, escaping or not
    ("BST203", "import jinja2\nraw = jinja2.Environment(loader=jinja2.FileSystemLoader('t'), autoescape=False)\nesc = jinja2.Environment(loader=jinja2.FileSystemLoader('t'), autoescape=jinja2.select_autoescape())\n",
     "return raw.get_template('hello.html').render(name=request.args['n'])",
     "return esc.get_template('hello.html').render(name=request.args['n'])"),
    # outgoing connections: an opener, a WebSocket
    ("BST213", "import urllib.request\n",
     "return urllib.request.build_opener().open(request.args['u']).read()",
     "return urllib.request.build_opener().open('https://example.com/feed?u=' + request.args['u']).read()"),
    ("BST213", "import websockets\n",
     "return websockets.connect(request.args['u'])",
     "return websockets.connect('wss://stream.example.com/' + request.args['u'])"),
    # lxml's iterparse told to resolve entities
    ("BST211", "from lxml import etree\n",
     "return {'t': [e.tag for _, e in etree.iterparse(request.files['x'], resolve_entities=True)]}",
     "return {'t': [e.tag for _, e in etree.iterparse(request.files['x'], resolve_entities=False)]}"),
    # an extension split off a name holds no separator; the root keeps the name
    ("BST201", "import uuid\n",
     "root, ext = os.path.splitext(request.files['f'].filename)\nrequest.files['f'].save(os.path.join('/srv', root + '.png'))\nreturn 'ok'",
     "ext = os.path.splitext(request.files['f'].filename)[1]\nrequest.files['f'].save(os.path.join('/srv', uuid.uuid4().hex + ext))\nreturn 'ok'"),
    # a URL tested to start with a host's (or this site's) path goes there
    ("BST213", "import requests\n",
     "url = request.args['url']\nif not url.startswith('https://api.example.com'):\n    return 'no', 400\nreturn requests.get(url).text",
     "url = request.args['url']\nif not url.startswith(('https://api.example.com/', 'https://cdn.example.com/')):\n    return 'no', 400\nreturn requests.get(url).text"),
    ("BST210", "from flask import redirect\n",
     "nxt = request.args['next']\nif nxt.startswith('/'):\n    return redirect(nxt)\nreturn 'no'",
     "nxt = request.args['next']\nif nxt.startswith('/account/'):\n    return redirect(nxt)\nreturn 'no'"),
    # percent-encoding: no markup or shell metacharacter left, but a path stays a path and
    # urlencode writes `&`
    ("BST203", "from urllib.parse import quote, quote_plus\n",
     "return \"<a href='/s?q=\" + request.args['q'] + \"'>again</a>\"",
     "return \"<a href='/s?q=\" + quote(request.args['q']) + \"&r=\" + quote_plus(request.args['r']) + \"'>again</a>\""),
    ("BST202", "import subprocess\nfrom urllib.parse import quote, urlencode\n",
     "subprocess.run('curl https://x.example/?' + urlencode({'q': request.args['p']}), shell=True)\nreturn 'ok'",
     "subprocess.run('curl https://x.example/' + quote(request.args['p']), shell=True)\nreturn 'ok'"),
    ("BST201", "from urllib.parse import quote\n",
     "return open('/srv/' + quote(request.args['f'])).read()",
     "return open('/srv/' + quote(os.path.basename(request.args['f']))).read()"),
    # encodings, slugs and dates that leave no character to break out with
    ("BST201", "import base64\n",
     "return open(os.path.join('/srv', base64.b64decode(request.args['n']).decode())).read()",
     "return open(os.path.join('/srv', base64.urlsafe_b64encode(request.args['n'].encode()).decode())).read()"),
    ("BST201", "from django.utils.text import slugify\n",
     "return open(os.path.join('/srv', request.args['title'] + '.md')).read()",
     "return open(os.path.join('/srv', slugify(request.args['title']) + '.md')).read()"),
    ("BST202", "import datetime\n",
     "os.system('report --date ' + request.args['d'])\nreturn 'ok'",
     "d = datetime.datetime.strptime(request.args['d'], '%Y-%m-%d')\nos.system(f'report --date {d:%Y-%m-%d}')\nreturn 'ok'"),
    # a command line split into an argv: its program is the constant's first word
    ("BST202", "import shlex, subprocess\n",
     "subprocess.run(shlex.split(request.args['cmd']))\nreturn 'ok'",
     "subprocess.run(shlex.split(f\"convert {request.args['f']} out.png\"))\nsubprocess.run(shlex.split('gzip -k %s' % request.args['f']))\nreturn 'ok'"),
    # a configured base URL (settings, the environment) then a path or a query keeps its host;
    # the request's text right after it, or a scheme before the request's host, does not
    ("BST213", "import requests\nfrom django.conf import settings\n",
     "return requests.get(settings.API_URL + request.args['path']).text",
     "base = settings.API_URL\nreturn requests.get(base + '/users/' + request.args['u']).text + requests.get(f\"{settings.API_URL}?q={request.args['q']}\").text"),
    ("BST213", "import requests\n",
     "return requests.get(os.environ['SCHEME'] + '://' + request.args['host'] + '/x').text",
     "return requests.get(os.environ['API_URL'] + '/users/' + request.args['u']).text"),
    # Django: a template rendered with a context escapes it; a streamed response is a page too
    ("BST203", "from django.http import HttpResponse, StreamingHttpResponse\nfrom django.template import Context, Template\n",
     "return StreamingHttpResponse(['<p>' + request.args['x'] + '</p>'])",
     "return HttpResponse(Template('<p>{{ x }}</p>').render(Context({'x': request.args['x']})))"),
    # a resolved path whose parents hold the base ('/srv/../etc' has '/srv' among them unresolved)
    ("BST201", "from pathlib import Path\nfrom flask import send_file\n",
     "p = Path('/srv') / request.args['f']\nif Path('/srv') not in p.parents:\n    return 'no', 403\nreturn send_file(p)",
     "p = (Path('/srv') / request.args['f']).resolve()\nif Path('/srv') not in p.parents:\n    return 'no', 403\nreturn send_file(p)"),
    # an argv whose shell or interpreter is given code: option clusters, options before the
    # code, wrappers, ssh's remote command; a script file's arguments are data
    ("BST202", "import subprocess\n",
     "subprocess.run(['bash', '-lc', 'echo ' + request.args['x']])\nreturn 'ok'",
     "subprocess.run(['bash', 'script.sh', request.args['x']])\nreturn 'ok'"),
    ("BST202", "import subprocess\n",
     "subprocess.run(['sudo', '-u', 'www', 'sh', '-e', '-c', request.args['x']])\nreturn 'ok'",
     "subprocess.run(['sudo', '-u', 'www', 'ls', '--', request.args['x']])\nreturn 'ok'"),
    ("BST202", "import subprocess\n",
     "subprocess.run(['/usr/bin/env', 'LANG=C', 'bash', '-o', 'pipefail', '-c', request.args['x']])\nreturn 'ok'",
     "subprocess.run(['env', 'LANG=C', 'grep', request.args['x'], 'app.log'])\nreturn 'ok'"),
    ("BST202", "import subprocess\n",
     "subprocess.run(['ssh', '-p', '2222', 'backup', 'ls ' + request.args['d']])\nreturn 'ok'",
     "subprocess.run(['scp', request.args['d'], 'backup:/srv/'])\nreturn 'ok'"),
    ("BST202", "import subprocess\n",
     "subprocess.run(['python3', '-I', '-c', request.args['code']])\nreturn 'ok'",
     "subprocess.run(['python3', 'tool.py', '-c', request.args['code']])\nreturn 'ok'"),
    # libraries that evaluate Python: SymPy's sympify, numexpr, timeit, runpy
    ("BST206", "import sympy\n",
     "return str(sympy.sympify(request.args['expr']))",
     "return str(sympy.sympify('x**2').subs(sympy.Symbol('x'), int(request.args['expr'])))"),
    ("BST206", "import numexpr, timeit\n",
     "return {'r': float(numexpr.evaluate(request.args['e'])), 't': timeit.timeit(request.args['s'])}",
     "return {'r': float(numexpr.evaluate('2 * 3')), 't': timeit.timeit('pass'), 'e': request.args['e']}"),
    ("BST206", "import runpy\n",
     "runpy.run_path(os.path.join('/srv/plugins', request.args['p']))\nreturn 'ok'",
     "runpy.run_path('/srv/plugins/report.py', run_name=request.args['p'])\nreturn 'ok'"),
    # eval handed to the builtin map, called on each expression
    ("BST206", "",
     "return str(sum(map(eval, request.args.getlist('e'))))",
     "return str(sum(map(int, request.args.getlist('e'))))"),
    # a module loaded from the file the request names: the file's code runs (its name names no file)
    ("BST206", "import importlib.util\n",
     "spec = importlib.util.spec_from_file_location('plugin', '/srv/plugins/' + request.args['p'] + '.py')\nspec.loader.exec_module(importlib.util.module_from_spec(spec))\nreturn 'ok'",
     "spec = importlib.util.spec_from_file_location(request.args['p'], '/srv/plugins/report.py')\nspec.loader.exec_module(importlib.util.module_from_spec(spec))\nreturn 'ok'"),
    ("BST206", "import importlib.machinery\n",
     "importlib.machinery.SourceFileLoader('p', request.form['path']).load_module()\nreturn 'ok'",
     "name = request.form['name']\nif name not in ('report', 'export'):\n    return 'no'\nimportlib.machinery.SourceFileLoader(name, f'/srv/plugins/{name}.py').load_module()\nreturn 'ok'"),
    # a loader asked of its file, not told to load it: nothing of the file runs
    ("BST206", "import importlib.machinery\n",
     "loader = importlib.machinery.SourceFileLoader('p', request.form['path'])\nloader.exec_module(loader.load_module())\nreturn 'ok'",
     "loader = importlib.machinery.SourceFileLoader('p', request.form['path'])\nreturn str(loader.is_package('p'))"),
    ("BST206", "import imp\n",
     "imp.load_source('q', pathname=request.form['path'])\nreturn 'ok'",
     "imp.load_source(request.form['name'], '/srv/plugins/report.py')\nreturn 'ok'"),
    # lxml parsers resolving entities made by objectify's makeparser, or pulling events
    ("BST211", "from lxml import objectify\n",
     "return str(objectify.fromstring(request.data, objectify.makeparser(resolve_entities=True)).tag)",
     "return str(objectify.fromstring(request.data, objectify.makeparser(resolve_entities=False)).tag)"),
    ("BST211", "from lxml import etree\n",
     "parser = etree.XMLPullParser(events=('end',), resolve_entities=True)\nparser.feed(request.data)\nreturn str(len(list(parser.read_events())))",
     "parser = etree.XMLPullParser(events=('end',), resolve_entities=False)\nparser.feed(request.data)\nreturn str(len(list(parser.read_events())))"),
    # XInclude processing of a posted document reads the files its xi:include elements name
    ("BST211", "from lxml import etree\n",
     "tree = etree.parse(request.files['doc'], etree.XMLParser(resolve_entities=False, no_network=True))\ntree.xinclude()\nreturn str(len(tree.getroot()))",
     "tree = etree.parse('/srv/templates/base.xml')\ntree.xinclude()\nreturn str(len(tree.getroot()) + len(request.files['doc'].read()))"),
    ("BST211", "from lxml import etree\nfrom xml.etree import ElementInclude, ElementTree\n",
     "root = ElementTree.fromstring(request.data)\nElementInclude.include(root)\netree.XInclude()(etree.fromstring(request.data, etree.XMLParser(resolve_entities=False)))\nreturn root.tag",
     "root = ElementTree.parse('/srv/templates/base.xml').getroot()\nElementInclude.include(root)\nreturn root.tag + str(len(request.data))"),
    # compressed files and database files opened by name
    ("BST201", "import gzip, sqlite3\n",
     "return {'a': str(gzip.open(os.path.join('/srv', request.args['f']))), 'b': str(sqlite3.connect(request.args['db'] + '.db'))}",
     "return {'a': str(gzip.open(os.path.join('/srv', os.path.basename(request.args['f'])))), 'b': str(sqlite3.connect('main.db'))}"),
    # connections to a host the request names
    ("BST213", "import socket\n",
     "socket.socket().connect((request.args['host'], 80))\nreturn 'ok'",
     "socket.socket().connect(('db.internal', int(request.args['port'])))\nreturn 'ok'"),
    ("BST213", "import paramiko\n",
     "paramiko.SSHClient().connect(request.args['host'], username='backup')\nreturn 'ok'",
     "paramiko.SSHClient().connect('backup.internal', username=request.args['user'])\nreturn 'ok'"),
    # an image saved to a name (its format second), not a Django storage's save(name, content)
    ("BST201", "from PIL import Image\nfrom django.core.files.storage import FileSystemStorage\n",
     "Image.open(request.files['img']).save('/srv/thumbs/' + request.form['name'], 'PNG')\nreturn 'ok'",
     "f = request.files['doc']\nFileSystemStorage(location='/srv/media').save(f.filename, f)\nreturn 'ok'"),
    # files read into an archive by name
    ("BST201", "import io, tarfile, zipfile\n",
     "with zipfile.ZipFile(io.BytesIO(), 'w') as zf:\n    zf.write(os.path.join('/srv', request.form['f']), arcname='f')\nreturn 'ok'",
     "with zipfile.ZipFile(io.BytesIO(), 'w') as zf:\n    zf.write('/srv/report.pdf', arcname=os.path.basename(request.form['f']))\nreturn 'ok'"),
    ("BST201", "import tarfile\n",
     "with tarfile.open('/tmp/out.tgz', 'w:gz') as tar:\n    tar.add(request.form['dir'])\nreturn 'ok'",
     "with tarfile.open('/tmp/out.tgz', 'w:gz') as tar:\n    tar.add('/srv/data', arcname=request.form['dir'])\nreturn 'ok'"),
    # Flask: headers Werkzeug parses are the client's words
    ("BST203", "",
     "return '<p>' + request.origin + request.content_type + '</p>'",
     "return '<p>' + request.remote_addr + '</p>'"),
    ("BST202", "",
     "os.system('whois ' + request.access_route[0])\nreturn 'ok'",
     "os.system('whois ' + str(len(request.access_route)))\nreturn 'ok'"),
    # a response given a type that is not HTML after it was made
    ("BST203", "from flask import make_response\n",
     "resp = make_response(request.args['x'])\nresp.set_cookie('seen', '1')\nreturn resp",
     "resp = make_response(request.args['x'])\nresp.headers['Content-Type'] = 'text/plain'\nr2 = make_response(request.args['y'])\nr2.mimetype = 'application/json'\nreturn resp"),
    # hexadecimal text of bytes
    ("BST201", "",
     "return open(os.path.join('/srv', request.args['n'].encode().decode())).read()",
     "return open(os.path.join('/srv', request.args['n'].encode().hex())).read()"),
    # Quart's request parses the same headers
    ("BST202", "from quart import request as qrequest\n",
     "os.system('whois ' + qrequest.access_route[0] + qrequest.origin)\nreturn 'ok'",
     "os.system('whois ' + str(len(qrequest.access_route)))\nreturn 'ok'"),
    # a log line of text whose line breaks repr() / json.dumps() escaped
    ("BST207", "import json, logging\n",
     "logging.info('q=' + request.args['q'])\nreturn 'ok'",
     "logging.info('q=' + repr(request.args['q']))\nlogging.info('b=%s', json.dumps(request.get_json()))\nreturn 'ok'"),
    # a temporary file named with the request's text; a command run in its directory
    ("BST201", "import tempfile\n",
     "tempfile.NamedTemporaryFile('w', suffix=request.args['ext'], delete=False)\nreturn 'ok'",
     "tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False).write(request.args['ext'])\nreturn 'ok'"),
    ("BST201", "import subprocess\n",
     "subprocess.run(['make', 'build'], cwd=request.args['project'])\nreturn 'ok'",
     "subprocess.run(['make', 'build'], cwd='/srv/app', env={'TARGET': request.args['project']})\nreturn 'ok'"),
    # a query run as the driver's text
    ("BST204", "from sqlalchemy import create_engine\nengine = create_engine('sqlite://')\n",
     "with engine.connect() as conn:\n    conn.exec_driver_sql(\"SELECT * FROM t WHERE a = '%s'\" % request.args['a'])\nreturn 'ok'",
     "with engine.connect() as conn:\n    conn.exec_driver_sql('SELECT * FROM t WHERE a = ?', (request.args['a'],))\nreturn 'ok'"),
    ("BST204", "from peewee import SqliteDatabase\ndb = SqliteDatabase('app.db')\n",
     "db.execute_sql('DELETE FROM t WHERE a = ' + request.args['a'])\nreturn 'ok'",
     "db.execute_sql('DELETE FROM t WHERE a = ?', (request.args['a'],))\nreturn 'ok'"),
]


@pytest.mark.parametrize("rule_id, header, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_vulnerable_case_reports(rule_id, header, vulnerable, safe):
    assert rule_id in ids(vulnerable, header)


@pytest.mark.parametrize("rule_id, header, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_safe_twin_is_silent(rule_id, header, vulnerable, safe):
    assert rule_id not in ids(safe, header)

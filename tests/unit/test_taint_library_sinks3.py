"""Taint analysis: sinks of widely used libraries the models did not list (issue 12), each a
vulnerable Flask view and its safe twin written from the library's documentation: httpx's built
requests, urllib3's pools, XML-RPC, httplib2, raw connections; aiosqlite, Tortoise, DuckDB,
ClickHouse Connect, psycopg2's batch helpers, SQLModel's `text`; asyncio's and asyncssh's
commands, `os.posix_spawn`; import by dotted name; old and private pickle names; Jinja's native
and dict-loaded templates, Mako's lookup, Cheetah, Genshi, Chameleon; python-ldap's and ldap3's
entry changes by DN; loguru and logging adapters; elementpath; NumPy, Pillow and OpenCV files,
aiofiles' os functions, anyio paths; redirects of Starlette responses, Django and Flask; pages
of Django's other responses, Werkzeug's, Starlette's stream and Litestar's; Litestar's string
templates."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import pytest
from tests.unit.test_taint_library_sinks import FLASK, ids

ASYNC_VIEW = FLASK.replace("def a", "async def a")  # the cases await
U = "request.args['u']"


# (rule id, imports, vulnerable view body, safe twin body)
PAIRS = [
    # SSRF: a request built to be sent later, urllib3's pools, XML-RPC, httplib2, raw streams
    ("BST213", "import httpx\n",
     f"client = httpx.Client()\nreq = client.build_request('GET', {U})\nreturn client.send(req).text",
     f"client = httpx.Client()\nreq = client.build_request('GET', 'https://api.example.com/items', params={{'q': {U}}})\nreturn client.send(req).text"),
    ("BST213", "import httpx\n",
     f"return httpx.Client().send(httpx.Request('GET', {U})).text",
     f"return httpx.Client().send(httpx.Request('GET', 'https://api.example.com/' + {U})).text"),
    ("BST213", "import urllib3\n",
     f"pool = urllib3.connection_from_url({U})\nreturn pool.request('GET', '/health').data",
     f"pool = urllib3.connection_from_url('https://api.example.com')\nreturn pool.request('GET', '/items/' + {U}).data"),
    ("BST213", "import urllib3\n",
     f"return urllib3.HTTPSConnectionPool({U}, port=443).request('GET', '/').data",
     f"return urllib3.HTTPSConnectionPool('api.example.com', port=443).request('GET', '/' + {U}).data"),
    ("BST213", "import urllib3\n",
     f"return urllib3.PoolManager().request_encode_url('GET', {U}).data",
     f"return urllib3.PoolManager().request_encode_url('GET', 'https://api.example.com/s', fields={{'q': {U}}}).data"),
    ("BST213", "import xmlrpc.client\n",
     f"return {{'v': xmlrpc.client.ServerProxy({U}).system.listMethods()}}",
     f"return {{'v': xmlrpc.client.ServerProxy('https://rpc.example.com/RPC2').lookup({U})}}"),
    ("BST213", "import httplib2\n",
     f"resp, content = httplib2.Http().request({U})\nreturn {{'n': len(content)}}",
     f"resp, content = httplib2.Http().request('https://api.example.com/items?q=' + {U})\nreturn {{'n': len(content)}}"),
    ("BST213", "import asyncio\n",
     f"reader, writer = await asyncio.open_connection({U}, 6379)\nreturn 'ok'",
     f"reader, writer = await asyncio.open_connection('cache.internal', 6379)\nwriter.write({U}.encode())\nreturn 'ok'"),
    ("BST213", "import ftplib\n",
     f"ftplib.FTP_TLS({U})\nreturn 'ok'",
     f"ftplib.FTP_TLS('ftp.example.com').cwd({U})\nreturn 'ok'"),
    # SQL: aiosqlite's shortcuts, Tortoise, DuckDB, ClickHouse Connect, psycopg2's batches
    ("BST204", "import aiosqlite\n",
     f"async with aiosqlite.connect('app.db') as db:\n    rows = await db.execute_fetchall(\"SELECT * FROM t WHERE a = '\" + {U} + \"'\")\nreturn {{'n': len(rows)}}",
     f"async with aiosqlite.connect('app.db') as db:\n    rows = await db.execute_fetchall('SELECT * FROM t WHERE a = ?', ({U},))\nreturn {{'n': len(rows)}}"),
    ("BST204", "import aiosqlite\n",
     f"async with aiosqlite.connect('app.db') as db:\n    await db.execute_insert(\"INSERT INTO t VALUES ('\" + {U} + \"')\")\nreturn 'ok'",
     f"async with aiosqlite.connect('app.db') as db:\n    await db.execute_insert('INSERT INTO t VALUES (?)', ({U},))\nreturn 'ok'"),
    ("BST204", "from tortoise import Tortoise\n",
     f"conn = Tortoise.get_connection('default')\nrows = await conn.execute_query_dict(\"SELECT * FROM t WHERE a = '\" + {U} + \"'\")\nreturn {{'rows': rows}}",
     f"conn = Tortoise.get_connection('default')\nrows = await conn.execute_query_dict('SELECT * FROM t WHERE a = $1', [{U}])\nreturn {{'rows': rows}}"),
    ("BST204", "import duckdb\n",
     f"return {{'rows': duckdb.sql(\"SELECT * FROM 'data.parquet' WHERE a = '\" + {U} + \"'\").fetchall()}}",
     f"return {{'rows': duckdb.execute(\"SELECT * FROM 'data.parquet' WHERE a = ?\", [{U}]).fetchall()}}"),
    ("BST204", "import duckdb\n",
     f"con = duckdb.connect('app.duckdb')\nreturn {{'rows': con.sql('SELECT * FROM t ORDER BY ' + {U}).fetchall()}}",
     f"con = duckdb.connect('app.duckdb')\nreturn {{'rows': con.execute('SELECT * FROM t WHERE a = $a', {{'a': {U}}}).fetchall()}}"),
    ("BST204", "import clickhouse_connect\n",
     f"client = clickhouse_connect.get_client(host='ch')\nreturn {{'rows': client.query(\"SELECT * FROM t WHERE a = '\" + {U} + \"'\").result_rows}}",
     f"client = clickhouse_connect.get_client(host='ch')\nreturn {{'rows': client.query('SELECT * FROM t WHERE a = {{a:String}}', parameters={{'a': {U}}}).result_rows}}"),
    ("BST204", "import psycopg2, psycopg2.extras\n",
     f"cur = psycopg2.connect('').cursor()\npsycopg2.extras.execute_values(cur, 'INSERT INTO ' + {U} + ' (a) VALUES %s', [(1,)])\nreturn 'ok'",
     f"cur = psycopg2.connect('').cursor()\npsycopg2.extras.execute_values(cur, 'INSERT INTO t (a) VALUES %s', [({U},)])\nreturn 'ok'"),
    ("BST204", "from sqlmodel import Session, text\n",
     f"with Session() as s:\n    s.exec(text(\"SELECT * FROM hero WHERE name = '\" + {U} + \"'\"))\nreturn 'ok'",
     f"with Session() as s:\n    s.exec(text('SELECT * FROM hero WHERE name = :n').bindparams(n={U}))\nreturn 'ok'"),
    # commands: asyncio's argument vector and event loop, asyncssh, posix_spawn
    ("BST202", "import asyncio\n",
     f"await asyncio.create_subprocess_exec('sh', '-c', 'convert ' + {U})\nreturn 'ok'",
     f"await asyncio.create_subprocess_exec('convert', {U}, 'out.png')\nreturn 'ok'"),
    ("BST202", "import asyncio\n",
     f"loop = asyncio.get_running_loop()\nawait loop.subprocess_shell(asyncio.SubprocessProtocol, 'ping -c1 ' + {U})\nreturn 'ok'",
     "loop = asyncio.get_running_loop()\nawait loop.subprocess_exec(asyncio.SubprocessProtocol, 'ping', '-c1', 'localhost')\nreturn 'ok'"),
    ("BST202", "import asyncssh\n",
     f"async with asyncssh.connect('build.internal') as conn:\n    await conn.run('make ' + {U})\nreturn 'ok'",
     "async with asyncssh.connect('build.internal') as conn:\n    await conn.run('make all')\nreturn 'ok'"),
    ("BST202", "",
     f"os.posix_spawnp('sh', ['sh', '-c', 'tar xf ' + {U}], os.environ)\nreturn 'ok'",
     "os.posix_spawnp('tar', ['tar', 'xf', '/srv/a.tar'], os.environ)\nreturn 'ok'"),
    # code: a dotted name imported
    ("BST206", "from werkzeug.utils import import_string\n",
     f"return {{'v': str(import_string({U})())}}",
     f"return {{'v': str(import_string('app.handlers.' + ('a' if {U} == 'a' else 'b')))}}"),
    ("BST206", "from django.utils.module_loading import import_string\n",
     f"return {{'v': str(import_string({U}))}}",
     "return {'v': str(import_string('django.contrib.auth.backends.ModelBackend'))}"),
    # deserialization: old and private pickle names
    ("BST209", "import _pickle\n",
     "return {'v': str(_pickle.load(request.files['f'].stream))}",
     "import json\nreturn {'v': json.load(request.files['f'].stream)}"),
    ("BST209", "import dill\n",
     "return {'v': str(dill.Unpickler(request.files['f'].stream).load())}",
     "return {'v': str(dill.Unpickler(open('/srv/model.pkl', 'rb')).load())}"),
    # templates compiled from the request's text
    ("BST214", "from jinja2.nativetypes import NativeTemplate\n",
     f"return {{'v': NativeTemplate({U}).render()}}",
     f"return {{'v': NativeTemplate('{{{{ a + b }}}}').render(a={U}, b='x')}}"),
    ("BST214", "from jinja2 import Environment, DictLoader\n",
     f"env = Environment(loader=DictLoader({{'page.html': {U}}}))\nreturn env.get_template('page.html').render()",
     f"env = Environment(loader=DictLoader({{'page.html': 'Hello {{{{ name }}}}'}}))\nreturn env.get_template('page.html').render(name={U})"),
    ("BST214", "from mako.lookup import TemplateLookup\n",
     f"lookup = TemplateLookup()\nlookup.put_string('page', {U})\nreturn lookup.get_template('page').render()",
     f"lookup = TemplateLookup()\nlookup.put_string('page', 'Hello ${{name | h}}')\nreturn lookup.get_template('page').render(name={U})"),
    ("BST214", "from genshi.template import MarkupTemplate\n",
     f"return MarkupTemplate({U}).generate().render('html')",
     f"return MarkupTemplate('<p>${{name}}</p>').generate(name={U}).render('html')"),
    ("BST214", "from chameleon import PageTemplate\n",
     f"return PageTemplate({U})()",
     f"return PageTemplate('<p>${{name}}</p>')(name={U})"),
    # LDAP: the entry changed, by its DN
    ("BST205", "import ldap\n",
     f"conn = ldap.initialize('ldap://dir')\nconn.delete_s('uid=' + {U} + ',ou=people,dc=example,dc=com')\nreturn 'ok'",
     f"import ldap.dn\nconn = ldap.initialize('ldap://dir')\nconn.delete_s('uid=' + ldap.dn.escape_dn_chars({U}) + ',ou=people,dc=example,dc=com')\nreturn 'ok'"),
    ("BST205", "from ldap3 import Server, Connection, MODIFY_REPLACE\n",
     f"conn = Connection(Server('dir'), auto_bind=True)\nconn.modify('uid=' + {U} + ',ou=people,dc=example,dc=com', {{'mail': [(MODIFY_REPLACE, ['a@b'])]}})\nreturn 'ok'",
     f"from ldap3.utils.dn import escape_rdn\nconn = Connection(Server('dir'), auto_bind=True)\nconn.modify('uid=' + escape_rdn({U}) + ',ou=people,dc=example,dc=com', {{'mail': [(MODIFY_REPLACE, ['a@b'])]}})\nreturn 'ok'"),
    # log lines: loguru, an adapter, logging.fatal
    ("BST207", "from loguru import logger\n",
     f"logger.info('search for {{}}', {U})\nreturn 'ok'",
     f"logger.info('search for {{}}', repr({U}))\nreturn 'ok'"),
    ("BST207", "import json\nfrom loguru import logger\n",
     f"logger.opt(colors=False).warning('login failed for ' + {U})\nreturn 'ok'",
     f"logger.opt(colors=False).warning('login failed for ' + json.dumps({U}))\nreturn 'ok'"),
    ("BST207", "from loguru import logger\n",
     f"logger.info('password reset for {{email}}', email={U})\nreturn 'ok'",
     f"logger.info('password reset for {{email}}', email=repr({U}))\nreturn 'ok'"),
    ("BST207", "import logging\nlog = logging.LoggerAdapter(logging.getLogger(__name__), {'svc': 'api'})\n",
     f"log.info('user ' + {U})\nreturn 'ok'",
     f"log.info('user %r', {U})\nreturn 'ok'"),
    ("BST207", "import logging\n",
     f"logging.fatal('cannot load ' + {U})\nreturn 'ok'",
     f"logging.fatal('cannot load %r', {U})\nreturn 'ok'"),
    # XPath: elementpath's selector
    ("BST212", "import elementpath\nfrom xml.etree import ElementTree\n",
     f"root = ElementTree.parse('users.xml').getroot()\nreturn {{'n': len(elementpath.Selector(\"//user[@name='\" + {U} + \"']\").select(root))}}",
     f"root = ElementTree.parse('users.xml').getroot()\nreturn {{'n': len(elementpath.select(root, '//user[@name=$n]', variables={{'n': {U}}}))}}"),
    # files: NumPy, Pillow, OpenCV, aiofiles' os functions, anyio paths, configparser
    ("BST201", "import numpy as np\n",
     f"return {{'m': np.loadtxt(os.path.join('/srv/data', {U})).tolist()}}",
     "return {'m': np.loadtxt(request.files['f'].stream).tolist()}"),
    ("BST201", "from PIL import Image\n",
     f"return {{'size': Image.open(os.path.join('/srv/img', {U})).size}}",
     "return {'size': Image.open(request.files['image']).size}"),
    ("BST201", "import cv2\n",
     f"return {{'shape': cv2.imread('/srv/img/' + {U}).shape}}",
     f"return {{'shape': cv2.imread('/srv/img/' + os.path.basename({U})).shape}}"),
    ("BST201", "import aiofiles.os\n",
     f"await aiofiles.os.makedirs('/srv/tmp/' + {U})\nreturn 'ok'",
     f"await aiofiles.os.unlink('/srv/tmp/' + os.path.basename({U}))\nreturn 'ok'"),
    ("BST201", "import anyio\n",
     f"return await anyio.Path('/srv/docs', {U}).read_text()",
     f"return await anyio.Path('/srv/docs', os.path.basename({U})).read_text()"),
    ("BST201", "import configparser\n",
     f"cfg = configparser.ConfigParser()\ncfg.read('/srv/conf/' + {U})\nreturn {{'s': cfg.sections()}}",
     f"cfg = configparser.ConfigParser()\ncfg.read_string({U})\nreturn {{'s': cfg.sections()}}"),
    # redirects: a Starlette response's Location, Django's permanent redirect, Flask's app.redirect
    ("BST210", "from starlette.responses import Response\n",
     f"return Response(status_code=302, headers={{'Location': {U}}})",
     f"return Response(status_code=302, headers={{'Location': '/home', 'X-Next': {U}}})"),
    ("BST210", "from fastapi import Response\n",
     f"resp = Response(status_code=303)\nresp.headers['location'] = {U}\nreturn resp",
     f"resp = Response(status_code=303)\nresp.headers['location'] = '/items/' + {U}\nreturn resp"),
    ("BST210", "from django.http.response import HttpResponsePermanentRedirect\n",
     f"return HttpResponsePermanentRedirect({U})",
     f"return HttpResponsePermanentRedirect('/docs/' + {U})"),
    ("BST210", "",
     f"return app.redirect({U})",
     f"return app.redirect('/profile/' + {U})"),
    # pages: Django's other responses, Werkzeug's, Starlette's stream and Litestar's declared HTML
    ("BST203", "from django.http import HttpResponseGone, HttpResponseNotAllowed\n",
     f"return HttpResponseNotAllowed(['GET'], '<p>' + {U} + ' cannot be changed</p>')",
     f"return HttpResponseNotAllowed([{U}], '<p>read only</p>')"),
    ("BST203", "from django.http.response import HttpResponseBadRequest\n",
     f"return HttpResponseBadRequest('<p>bad field ' + {U} + '</p>')",
     f"return HttpResponseBadRequest('bad field ' + {U}, content_type='text/plain')"),
    ("BST203", "from werkzeug.wrappers import Response\n",
     f"return Response('<p>' + {U} + '</p>', mimetype='text/html')",
     f"return Response('<p>' + {U} + '</p>')"),
    ("BST203", "from starlette.responses import StreamingResponse\n",
     f"return StreamingResponse(iter(['<p>' + {U} + '</p>']), media_type='text/html')",
     f"return StreamingResponse(iter([{U} + '\\n']), media_type='text/csv')"),
    ("BST203", "from litestar import Response\n",
     f"return Response('<p>' + {U} + '</p>', media_type='text/html')",
     f"return Response({{'echo': {U}}})"),
    ("BST214", "from litestar.response import Template\n",
     f"return Template(template_str='<p>' + {U} + '</p>')",
     f"return Template(template_name='page.html', context={{'name': {U}}})"),
]


@pytest.mark.parametrize("rule_id, header, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_vulnerable_case_reports_and_its_safe_twin_does_not(rule_id, header, vulnerable, safe):
    assert rule_id in ids(vulnerable, header, ASYNC_VIEW)
    assert rule_id not in ids(safe, header, ASYNC_VIEW)


AIOHTTP_VIEW = "import os\nimport pandas as pd\nfrom aiohttp import web\nfrom PIL import Image\nasync def upload(request: web.Request):\n"


def test_a_field_of_aiohttps_posted_form_is_an_upload_not_a_name():
    """`(await request.post())["image"].file` is the uploaded file Pillow or pandas reads; the
    form's text field joined to a directory is a name."""
    upload = "form = await request.post()\nfield = form['image']\nreturn web.json_response({'size': Image.open(field.file).size})"
    inline = "form = await request.post()\nreturn web.json_response({'size': Image.open(form['image'].file).size})"
    named = "form = await request.post()\nreturn web.json_response({'size': Image.open(os.path.join('/srv', form['name'])).size})"
    assert "BST201" not in ids(upload, "", AIOHTTP_VIEW)
    assert "BST201" not in ids(inline, "", AIOHTTP_VIEW)
    assert "BST201" not in ids(upload.replace("Image.open(field.file).size", "len(pd.read_csv(field.file))"), "", AIOHTTP_VIEW)
    assert "BST201" in ids(named, "", AIOHTTP_VIEW)

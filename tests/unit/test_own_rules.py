"""Bastion's own rules (rules/bastion/BST*.toml): what each reports, what it leaves alone, and
that bandit 1.9 does not already report the same thing.

Every rule has positives (its lesson's `vulnerable` module plus other spellings, at least one
through an import alias) and negatives (its lesson's `fixed` module plus safe spellings).
"""

# ruff: noqa: E501  (CASES is a table of one-line modules)
from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.analyzers.toml_rules import TomlRulesAnalyzer
from bastion.catalog.paths import rules_dir
from bastion.config import Config
from bastion.engine.engine import Engine

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ALL_RULES = {p.stem: tomllib.loads(p.read_text(encoding="utf-8"))
             for p in sorted((rules_dir() / "bastion").glob("BST*.toml"))}
# Taint rules ([taint] table) are reported by the taint analyzer: tests/unit/test_taint_*.py;
# rules of an analyzer of their own (`analyzer = "secrets"`) by it: tests/unit/test_secrets*.py.
RULE_FILES = [p for p in sorted((rules_dir() / "bastion").glob("BST*.toml"))
              if "taint" not in ALL_RULES[p.stem] and "analyzer" not in ALL_RULES[p.stem]]
RULES = {p.stem: ALL_RULES[p.stem] for p in RULE_FILES}
OWN = TomlRulesAnalyzer.from_catalog()
OWN_ENGINE = Engine([OWN])
BANDIT_ENGINE = Engine([BanditAdapter()])
BOTH_ENGINE = Engine([BanditAdapter(), OWN])


def code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# rule id -> (positives, negatives); each snippet is a whole module.
CASES: dict[str, tuple[list[str], list[str]]] = {
    "BST101": ([
        "import jwt as j\nclaims = j.decode(token, options={'verify_signature': False})\n",
        "from jwt import decode as d\nclaims = d(token, key, verify=False)\n",
        "from jose import jwt\nclaims = jwt.decode(token, key, options=dict(verify_signature=False))\n",
    ], [
        "import jwt\nclaims = jwt.decode(token, key, algorithms=['RS256'])\n",
        "import jwt\nclaims = jwt.decode(token, key, algorithms=['RS256'], options={'verify_exp': False})\n",
        "import jwt\nheader = jwt.get_unverified_header(token)\n",
        "import json\ndata = json.decode(token, verify=False)\n",
    ]),
    "BST102": ([
        "import jwt as pyjwt\nclaims = pyjwt.decode(token, key, algorithms=['HS256', 'NONE'])\n",
        "from jwt import encode\ntoken = encode(claims, None, algorithm='none')\n",
        "from jose import jwt\nclaims = jwt.decode(token, key, algorithms=('none',))\n",
    ], [
        "import jwt\nclaims = jwt.decode(token, key, algorithms=['HS256'])\n",
        "import jwt\ntoken = jwt.encode(claims, key, algorithm='HS256')\n",
        "import jwt\nclaims = jwt.decode(token, key, algorithms=ALGORITHMS)\n",
    ]),
    "BST103": ([
        "DEBUG = True\n",
        "from django.conf import settings as dj\ndj.DEBUG = True\n",
        "from flask import Flask\napp = Flask(__name__)\napp.config['DEBUG'] = True\n",
        "from flask import Flask\napp = Flask(__name__)\napp.debug = True\n",
    ], [
        "import os\nDEBUG = os.environ.get('DJANGO_DEBUG') == '1'\n",
        "DEBUG = False\n",
        "def configure():\n    DEBUG = True\n    return DEBUG\n",
        "from flask import Flask\napp = Flask(__name__)\napp.config['TESTING'] = True\n",
    ]),
    "BST104": ([
        "ALLOWED_HOSTS = ['*']\n",
        "ALLOWED_HOSTS = ['shop.example.com', '*']\n",
        "from django.conf import settings as s\ns.ALLOWED_HOSTS = ('*',)\n",
    ], [
        "ALLOWED_HOSTS = ['shop.example.com', '.example.com']\n",
        "import os\nALLOWED_HOSTS = os.environ['HOSTS'].split(',')\n",
        "ALLOWED_HOSTS = ['*.example.com']\n",
    ]),
    "BST105": ([
        "CSRF_COOKIE_SECURE = False\n",
        "from flask import Flask as F\napp = F(__name__)\napp.config['SESSION_COOKIE_SECURE'] = False\n",
        "app.config.update(SESSION_COOKIE_SECURE=False, SESSION_COOKIE_HTTPONLY=True)\n",
        "REMEMBER_COOKIE_SECURE = False\n",
        "def view(resp, sid):\n    resp.set_cookie('session', sid, secure=False)\n",
        "def view(resp, sid):\n    resp.set_cookie('session', sid, httponly=True)\n",
        "def view(resp, sid):\n    resp.set_cookie(key='session', value=sid)\n",
    ], [
        "SESSION_COOKIE_SECURE = True\n",
        "def view(resp):\n    resp.set_cookie('theme', 'dark')\n",
        "def view(resp, opts):\n    resp.set_cookie('session', opts['sid'], **opts)\n",
        "def view(jar, cookie):\n    jar.set_cookie(cookie)\n",
        "import os\nSESSION_COOKIE_SECURE = os.environ.get('HTTPS') == '1'\n",
        "def view(resp, sid):\n    resp.set_cookie('session', sid, secure=True, httponly=True)\n",
        "app.config.update(SESSION_COOKIE_SECURE=True)\n",
    ]),
    "BST106": ([
        "SESSION_COOKIE_HTTPONLY = False\n",
        "from flask import Flask as F\napp = F(__name__)\napp.config.update(SESSION_COOKIE_HTTPONLY=False)\n",
        "app.config['REMEMBER_COOKIE_HTTPONLY'] = False\n",
    ], [
        "SESSION_COOKIE_HTTPONLY = True\n",
        "CSRF_COOKIE_HTTPONLY = False\n",  # Django documents this as harmless
        "app.config['SESSION_COOKIE_HTTPONLY'] = True\n",
    ]),
    "BST107": ([
        "from flask_cors import CORS as Cors\nCors(app, supports_credentials=True)\n",
        "import flask_cors\nflask_cors.CORS(app, origins=['*'], supports_credentials=True)\n",
        code("""
            from flask_cors import cross_origin as xo

            @app.route("/api")
            @xo(supports_credentials=True)
            def api():
                return {}
        """),
    ], [
        "from flask_cors import CORS\nCORS(app)\n",
        "from flask_cors import CORS\nCORS(app, origins=['https://a.example.com'], supports_credentials=True)\n",
        "from flask_cors import CORS\nCORS(app, resources={r'/api/*': {'origins': ['https://a.example.com']}}, supports_credentials=True)\n",
        "from flask_cors import CORS\nCORS(app, origins='*', supports_credentials=False)\n",
    ]),
    "BST108": ([
        code("""
            from starlette.middleware import Middleware
            from starlette.middleware.cors import CORSMiddleware as Cors

            middleware = [Middleware(Cors, allow_origins=["*"], allow_credentials=True)]
        """),
        code("""
            import fastapi.middleware.cors as cors

            app.add_middleware(cors.CORSMiddleware, allow_origin_regex=".*", allow_credentials=True)
        """),
    ], [
        code("""
            from fastapi.middleware.cors import CORSMiddleware

            app.add_middleware(CORSMiddleware, allow_origins=["*"])
        """),
        code("""
            from fastapi.middleware.cors import CORSMiddleware

            app.add_middleware(CORSMiddleware, allow_origins=["https://a.example.com"], allow_credentials=True)
        """),
        code("""
            from starlette.middleware.gzip import GZipMiddleware

            app.add_middleware(GZipMiddleware, allow_origins=["*"], allow_credentials=True)
        """),
    ]),
    "BST109": ([
        "def drop(cursor, table):\n    cursor.execute('DROP TABLE ' + table)\n",
        "def page(cur, column):\n    cur.execute(ORDER_BY.format(column=column))\n",
        "import sqlalchemy as sa\nstmt = sa.text(f'TRUNCATE {table}')\n",
        "from sqlalchemy import text as t\nq = t(QUERY % user_id)\n",
        "def people(name):\n    return Person.objects.raw(RAW % name)\n",
        "import pandas as pd\ndf = pd.read_sql(f'EXEC report {proc}', conn)\n",
    ], [
        "def find(cursor, name):\n    cursor.execute('SELECT id FROM users WHERE name = %s', (name,))\n",
        "def find(cursor):\n    cursor.execute(f'SELECT id FROM {TABLE}')\n",
        "def find(cursor, q):\n    cursor.execute(q)\n",
        # B608 already reports these (literal SQL text): not reported twice.
        "def find(cursor, name):\n    cursor.execute(f\"SELECT id FROM users WHERE name = '{name}'\")\n",
        "def find(cursor, uid):\n    cursor.execute('DELETE FROM users WHERE id = %s' % uid)\n",
        "import sqlalchemy as sa\nstmt = sa.text('SELECT 1')\n",
    ]),
    "BST110": ([
        "import flask as f\ndef hi(name):\n    return f.render_template_string('<b>%s</b>' % name)\n",
        "from jinja2 import Template as T\nt = T('Hello ' + name)\n",
        code("""
            from flask import render_template_string as rts, request

            def page():
                return rts(request.args["tpl"])
        """),
    ], [
        "from flask import render_template_string\nrender_template_string('Hello {{ n }}', n=name)\n",
        "from jinja2 import Template\nt = Template(HEADER + '{{ body }}')\n",
        "from flask import render_template\nrender_template('hello.html', name=name)\n",
    ]),
    "BST111": ([
        "import shutil as sh\nsh.unpack_archive(path, dest)\n",
        "from shutil import unpack_archive\nunpack_archive(path, dest, 'gztar')\n",
    ], [
        "import shutil\nshutil.unpack_archive(path, dest, filter='data')\n",
        "import shutil\nshutil.unpack_archive(path, dest, **options)\n",
        "import shutil\nshutil.make_archive(base, 'gztar', root)\n",
    ]),
    "BST112": ([
        "import numpy\narr = numpy.load(path, allow_pickle=True)\n",
        "from numpy import load as npload\narr = npload(path, mmap_mode='r', allow_pickle=True)\n",
    ], [
        "import numpy as np\narr = np.load(path)\n",
        "import numpy as np\narr = np.load(path, allow_pickle=False)\n",
        "import pickle\nx = dict(allow_pickle=True)\n",
    ]),
    "BST113": ([
        "from joblib import load\nmodel = load('model.joblib')\n",
        "import joblib as jl\nmodel = jl.load(path, mmap_mode='r')\n",
    ], [
        "import joblib\njoblib.dump(model, 'model.joblib')\n",
        "import skops.io as sio\nmodel = sio.load(path, trusted=['x.Y'])\n",
        "import json\ncfg = json.load(fh)\n",
    ]),
    "BST114": ([
        "import yaml as y\ndata = y.unsafe_load(text)\n",
        "from yaml import unsafe_load_all\ndocs = list(unsafe_load_all(text))\n",
        "import yaml\ndocs = yaml.load_all(text, Loader=yaml.UnsafeLoader)\n",
        "import yaml\ndocs = yaml.load_all(text, yaml.Loader)\n",
    ], [
        "import yaml\ndata = yaml.safe_load(text)\n",
        "import yaml\ndocs = yaml.load_all(text, Loader=yaml.SafeLoader)\n",
        "import yaml\ndocs = yaml.safe_load_all(text)\n",
    ]),
    "BST115": ([
        "import tensorflow as tf\nm = tf.keras.models.load_model(path, safe_mode=False)\n",
        "from keras.saving import load_model as lm\nm = lm(path, compile=False, safe_mode=False)\n",
        "import keras\nkeras.config.enable_unsafe_deserialization()\n",
    ], [
        "import keras\nm = keras.models.load_model(path)\n",
        "import keras\nm = keras.models.load_model(path, safe_mode=True)\n",
    ]),
    "BST116": ([
        "from transformers import AutoTokenizer as T\ntok = T.from_pretrained(NAME, revision=REV, trust_remote_code=True)\n",
        "import transformers as tf\npipe = tf.pipeline('text-generation', model=NAME, revision=REV, trust_remote_code=True)\n",
        "from datasets import load_dataset as ld\nds = ld(NAME, revision=REV, trust_remote_code=True)\n",
    ], [
        "from transformers import AutoModel\nm = AutoModel.from_pretrained(NAME, revision=REV)\n",
        "from transformers import AutoModel\nm = AutoModel.from_pretrained(NAME, revision=REV, trust_remote_code=False)\n",
    ]),
    "BST117": ([
        "from Crypto.Cipher import AES as A\nc = A.new(key, A.MODE_ECB)\n",
        "import Cryptodome.Cipher.AES\nc = Cryptodome.Cipher.AES.new(key, mode=Cryptodome.Cipher.AES.MODE_ECB)\n",
        "from Cryptodome.Cipher import DES3\nc = DES3.new(key, 1)\n",
    ], [
        "from Cryptodome.Cipher import AES\nc = AES.new(key, AES.MODE_GCM)\n",
        "from Cryptodome.Cipher import AES\nc = AES.new(key, AES.MODE_CBC, iv=iv)\n",
        "from Cryptodome.Cipher import AES\nc = AES.new(key, mode)\n",
    ]),
    "BST118": ([
        "from cryptography.hazmat.primitives.asymmetric import padding as p\npt = private_key.decrypt(ct, p.PKCS1v15())\n",
        "from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15\nct = key.encrypt(data, padding=PKCS1v15())\n",
        "from Cryptodome.Cipher import PKCS1_v1_5 as P\ncipher = P.new(key)\n",
    ], [
        code("""
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding
            sig = key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        """),
        "from Cryptodome.Cipher import PKCS1_OAEP\ncipher = PKCS1_OAEP.new(key)\n",
    ]),
    "BST119": ([
        "from cryptography.hazmat.primitives.ciphers import modes as m\nmode = m.GCM(bytes(12))\n",
        "from cryptography.hazmat.primitives.ciphers.modes import CTR\nmode = CTR(nonce=b'\\x00' * 16)\n",
        "from Cryptodome.Cipher import AES\nc = AES.new(key, AES.MODE_CBC, b'0123456789abcdef')\n",
        "from Cryptodome.Cipher import AES\nc = AES.new(key, AES.MODE_GCM, nonce=b'fixed-nonce!')\n",
        code("""
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM
            ct = AESGCM(key).encrypt(b"000000000000", data, None)
        """),
    ], [
        "import os\nfrom cryptography.hazmat.primitives.ciphers import modes\nmode = modes.CBC(os.urandom(16))\n",
        "from Cryptodome.Cipher import AES\nc = AES.new(key, AES.MODE_GCM)\n",
        "import os\nfrom cryptography.hazmat.primitives.ciphers.aead import AESGCM\nct = AESGCM(key).encrypt(os.urandom(12), data, None)\n",
        "from cryptography.hazmat.primitives.asymmetric import padding\nct = key.encrypt(b'secret', padding.OAEP(mgf, alg, None))\n",
    ]),
    "BST120": ([
        "from hashlib import sha512 as h\ndigest = h(user.password.encode('utf-8')).hexdigest()\n",
        "import hashlib\ndigest = hashlib.new('sha256', (salt + new_password).encode()).digest()\n",
        "import hashlib as hl\ndigest = hl.blake2b(request.form['password'].encode()).hexdigest()\n",
    ], [
        "import hashlib\ndigest = hashlib.sha256(file_bytes).hexdigest()\n",
        "import hashlib\nkey = hashlib.pbkdf2_hmac('sha256', password.encode(), salt, 600_000)\n",
        "import hashlib\ndigest = hashlib.sha256(password_reset_token_id.encode()).hexdigest()\n",
    ]),
    "BST121": ([
        "from hashlib import pbkdf2_hmac as kdf\nkey = kdf('sha256', pw, salt, iterations=10_000)\n",
        code("""
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC
            kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=100)
        """),
    ], [
        "import hashlib\nkey = hashlib.pbkdf2_hmac('sha256', pw, salt, 600_000)\n",
        "import hashlib\nkey = hashlib.pbkdf2_hmac('sha256', pw, salt, ITERATIONS)\n",
    ]),
    "BST122": ([
        "import ssl as s\nctx = s.SSLContext(s.PROTOCOL_TLS_CLIENT)\nctx.check_hostname = False\n",
        "def build(self):\n    self.context.check_hostname = False\n",
    ], [
        "import ssl\nctx = ssl.create_default_context()\nctx.check_hostname = True\n",
        "check_hostname = False\n",
    ]),
    "BST123": ([
        "from ssl import CERT_NONE\nctx.verify_mode = CERT_NONE\n",
        "import urllib3\nhttp = urllib3.PoolManager(cert_reqs='CERT_NONE')\n",
        "import ssl, urllib3 as u3\npool = u3.HTTPSConnectionPool(host, cert_reqs=ssl.CERT_NONE)\n",
    ], [
        "import ssl\nctx.verify_mode = ssl.CERT_REQUIRED\n",
        "import urllib3\nhttp = urllib3.PoolManager(cert_reqs='CERT_REQUIRED', ca_certs=CA)\n",
    ]),
    "BST124": ([
        "import requests as r\ns = r.Session()\ns.verify = False\n",
        "import requests\nrequests.Session().verify = False\n",
    ], [
        "import requests\ns = requests.Session()\ns.verify = '/etc/ssl/certs/ca.pem'\n",
        "import requests\ns = requests.Session()\ns.verify = True\n",
        "verify = False\n",
    ]),
    "BST125": ([
        "import aiohttp as ah\nconnector = ah.TCPConnector(ssl=False)\n",
        "from aiohttp import TCPConnector\nconnector = TCPConnector(verify_ssl=False, limit=10)\n",
        code("""
            import aiohttp

            async def fetch(session, url):
                async with session.get(url, ssl=False) as resp:
                    return await resp.text()
        """),
    ], [
        "import aiohttp\nconnector = aiohttp.TCPConnector(ssl=ctx)\n",
        "import requests\nresp = requests.get(url, ssl=False, timeout=5)\n",  # aiohttp not imported
        code("""
            import aiohttp

            async def fetch(session, url):
                async with session.get(url) as resp:
                    return await resp.text()
        """),
    ]),
    "BST126": ([
        "import logging\nlogging.debug('token=%s', access_token)\n",
        "import logging as lg\nlg.getLogger(__name__).warning(f'bad login {user.password}')\n",
        "def f(self, creds):\n    self.logger.error('auth failed: %s', creds['api_key'])\n",
        "def f(app, cfg):\n    app.logger.info('config %s', cfg.SECRET_KEY)\n",
    ], [
        "import logging\nlogger = logging.getLogger(__name__)\nlogger.info('login for %s', username)\n",
        "import logging\nlogger = logging.getLogger(__name__)\nlogger.info('token expires at %s', token.expires_at)\n",
        "import logging\nlogger = logging.getLogger(__name__)\nlogger.info('token length %d', len(token))\n",
        "import logging\nlogger = logging.getLogger(__name__)\nlogger.info('password changed for %s', user.id)\n",
        "def f(report, password):\n    report.info('x', password)\n",
    ]),
    "BST127": ([
        "from django.shortcuts import redirect as r\ndef v(request):\n    return r(request.GET['next'])\n",
        "from django.http import HttpResponseRedirect\ndef v(request):\n    return HttpResponseRedirect(request.META.get('HTTP_REFERER'))\n",
        "import flask\ndef v():\n    return flask.redirect(flask.request.referrer)\n",
        code("""
            from fastapi.responses import RedirectResponse

            async def v(request):
                return RedirectResponse(url=request.query_params["to"])
        """),
    ], [
        "from flask import redirect, url_for\ndef v():\n    return redirect(url_for('index'))\n",
        "from django.shortcuts import redirect\ndef v(request, next_url):\n    return redirect(next_url)\n",
        "from flask import redirect, request\ndef v():\n    return redirect('/orders', code=request.args.get('code', 302))\n",
    ]),
    "BST128": ([
        "import requests as rq\nfrom flask import request\nr = rq.post(request.form['callback'], json={}, timeout=5)\n",
        "import httpx\ndef v(request):\n    return httpx.get(request.GET['url'], timeout=5)\n",
        "import requests\ndef v(request):\n    return requests.request('GET', url=request.query_params['u'], timeout=5)\n",
    ], [
        "import requests\nfrom flask import request\nr = requests.get(API_URL, params={'q': request.args['q']}, timeout=5)\n",
        "import requests\nr = requests.get(url, timeout=5)\n",
    ]),
    "BST129": ([
        "from flask import send_file as sf, request\ndef v():\n    return sf(request.values.get('path'))\n",
        "import os\nfrom flask import request\ndef v():\n    with open(os.path.join(BASE, request.args['f'])) as fh:\n        return fh.read()\n",
        "from django.http import FileResponse\ndef v(request):\n    return FileResponse(open(request.GET['f'], 'rb'))\n",
    ], [
        "from flask import send_from_directory, request\ndef v():\n    return send_from_directory(BASE, request.args['f'])\n",
        "from flask import send_file\ndef v(report):\n    return send_file(REPORTS / report.filename)\n",
        "from flask import request\ndef v():\n    with open('/srv/log.txt', 'a') as fh:\n        fh.write(request.args['msg'])\n",
    ]),
    "BST130": ([
        "from lxml import etree as ET\np = ET.XMLParser(no_network=False)\n",
        "import lxml.etree\np = lxml.etree.XMLParser(load_dtd=True, resolve_entities=True)\n",
    ], [
        "from lxml import etree\np = etree.XMLParser(resolve_entities=False)\n",
        "from lxml import etree\np = etree.XMLParser(remove_blank_text=True)\n",
    ]),
    "BST131": ([
        "def check(request, api_key):\n    if request.headers.get('X-Api-Key') != api_key:\n        raise PermissionError\n",
        "def check(form, session):\n    return form.csrf_token == session['csrf_token']\n",
        "import hmac as h\ndef ok(sig, key, body):\n    return h.new(key, body, 'sha256').hexdigest() == sig\n",
    ], [
        "import hmac\ndef ok(expected, signature):\n    return hmac.compare_digest(expected, signature)\n",
        "def check(token):\n    return token is None or token == ''\n",
        "def check(token_type):\n    return token_type == 'bearer'\n",
        "def check(token):\n    return len(token) == 32\n",
    ]),
    "BST132": ([
        "from django.views.decorators import csrf\n@csrf.csrf_exempt\ndef v(request):\n    pass\n",
        "from django.views.decorators.csrf import csrf_exempt as no_csrf\n@no_csrf\ndef v(request):\n    pass\n",
        code("""
            from flask_wtf.csrf import CSRFProtect

            csrf = CSRFProtect(app)

            @csrf.exempt
            @app.route("/hook", methods=["POST"])
            def hook():
                return ""
        """),
        "app.config['WTF_CSRF_ENABLED'] = False\n",
        "WTF_CSRF_ENABLED = False\n",
    ], [
        "from django.views.decorators.csrf import csrf_protect\n@csrf_protect\ndef v(request):\n    pass\n",
        "app.config['WTF_CSRF_ENABLED'] = True\n",
    ]),
    "BST133": ([
        "import os\nfrom stat import S_IRWXU, S_IWOTH\nos.chmod(path, S_IRWXU | S_IWOTH)\n",
        "import os\nos.chmod(path, mode=0o666)\n",
        "from pathlib import Path\nPath(p).chmod(0o777)\n",
        "import os as o\no.umask(0)\n",
    ], [
        "import os, stat\nos.chmod(path, stat.S_IRWXU | stat.S_IRGRP)\n",
        "from pathlib import Path\nPath(p).chmod(0o755)\n",
        "import os\nos.umask(0o022)\n",
        "import os\nos.umask(mask)\n",
        # B103 reports an integer literal already; not reported twice.
        "import os\nos.chmod(path, 0o777)\n",
    ]),
    "BST134": ([
        "from pysnmp.hlapi.v3arch.asyncio import CommunityData\nauth = CommunityData('public', mpModel=0)\n",
        "import pysnmp.hlapi.v1arch.asyncio as snmp\nauth = snmp.CommunityData('public')\n",
        "from pysnmp.hlapi.asyncio import CommunityData as Community\nauth = Community('public')\n",
        # The default model is v2c: B508 only reports an explicit mpModel.
        "from pysnmp.hlapi import CommunityData\nauth = CommunityData('public')\n",
    ], [
        "from pysnmp.hlapi.v3arch.asyncio import UsmUserData\nauth = UsmUserData('u', a, p)\n",
        # B508 reports these already; not reported twice.
        "from pysnmp.hlapi import CommunityData\nauth = CommunityData('public', mpModel=1)\n",
    ]),
    "BST135": ([
        "from pysnmp.hlapi.v3arch.asyncio import UsmUserData\nauth = UsmUserData('monitor')\n",
        "import pysnmp.hlapi.v3arch.asyncio as snmp\nauth = snmp.UsmUserData('monitor', key)\n",
        "from pysnmp.hlapi.v3arch.asyncio import UsmUserData as User\nauth = User('m', authKey=k, authProtocol=P)\n",
    ], [
        "from pysnmp.hlapi.v3arch.asyncio import UsmUserData\nauth = UsmUserData('m', k, p)\n",
        "from pysnmp.hlapi.v3arch.asyncio import UsmUserData\nauth = UsmUserData('m', authKey=k, privKey=p)\n",
        # B509 reports the old name.
        "from pysnmp.hlapi import UsmUserData\nauth = UsmUserData('monitor')\n",
    ]),
    "BST136": ([
        "import hashlib\nalgo = 'sha1'\ndigest = hashlib.new(algo, data).hexdigest()\n",
        "import hashlib as h\nclass Signer:\n    algorithm = 'MD5'\n    def sign(self, data):\n        return h.new(self.algorithm, data)\n",
        "import hashlib\nALGOS = {'legacy': 'md5', 'modern': 'sha256'}\nd = hashlib.new(ALGOS['legacy'])\n",
        "import hashlib\nwith open(p, 'rb') as f:\n    d = hashlib.file_digest(f, 'sha1')\n",
    ], [
        "import hashlib\nalgo = 'sha256'\ndigest = hashlib.new(algo, data).hexdigest()\n",
        "import hashlib\nalgo = 'md5'\ndigest = hashlib.new(algo, data, usedforsecurity=False).hexdigest()\n",
        "import hashlib\nalgo = 'md5' if 3 > 5 else 'sha256'\ndigest = hashlib.new(algo, data)\n",
        "import hashlib\ndef make(name):\n    return hashlib.new(name)\n",
        # B324 reports the name written in the call: not reported twice.
        "import hashlib\ndigest = hashlib.new('md5', data)\n",
    ]),
    "BST137": ([
        "import xml.sax\nfrom xml.sax import handler as h\np = xml.sax.make_parser()\np.setFeature(h.feature_external_ges, True)\n",
        "import xml.sax\np = xml.sax.make_parser()\np.setFeature('http://xml.org/sax/features/external-parameter-entities', 1)\n",
        "import xml.sax\nfrom xml.sax.handler import feature_external_ges\nON = True\np = xml.sax.make_parser()\np.setFeature(feature_external_ges, ON)\n",
    ], [
        "import xml.sax\nfrom xml.sax.handler import feature_external_ges\np = xml.sax.make_parser()\np.setFeature(feature_external_ges, False)\n",
        "import xml.sax\nfrom xml.sax.handler import feature_namespaces\np = xml.sax.make_parser()\np.setFeature(feature_namespaces, True)\n",
    ]),
}


def positives() -> list:
    found = []
    for rule_id, table in RULES.items():
        found.append(pytest.param(rule_id, table["lesson"]["vulnerable"], id=f"{rule_id}-lesson"))
        for n, source in enumerate(CASES.get(rule_id, ([], []))[0]):
            found.append(pytest.param(rule_id, source, id=f"{rule_id}-{n}"))
    return found


def negatives() -> list:
    found = []
    for rule_id, table in RULES.items():
        found.append(pytest.param(rule_id, table["lesson"]["fixed"], id=f"{rule_id}-lesson"))
        for n, source in enumerate(CASES.get(rule_id, ([], []))[1]):
            found.append(pytest.param(rule_id, source, id=f"{rule_id}-{n}"))
    return found


def reported(engine: Engine, source: str):
    analysis = engine.analyse(source, "case.py", Config())
    assert not analysis.errors, analysis.errors
    return analysis.findings


def test_at_least_22_own_rules_all_loaded():
    assert len(RULES) >= 22
    assert sorted(OWN.rule_ids()) == sorted(RULES)
    assert {r: t["name"] for r, t in RULES.items()} == OWN.rule_ids()


def test_every_rule_has_an_aliased_positive_and_a_negative():
    for rule_id in RULES:
        good, bad = CASES.get(rule_id, ([], []))
        assert good and bad, f"{rule_id}: add positives and negatives to CASES"
        assert any(" as " in source for source in good), f"{rule_id}: no aliased-import positive"


@pytest.mark.parametrize("rule_id, source", positives())
def test_positive(rule_id, source):
    ids = [f.rule_id for f in reported(OWN_ENGINE, source)]
    assert rule_id in ids, source


@pytest.mark.parametrize("rule_id, source", negatives())
def test_negative(rule_id, source):
    ids = [f.rule_id for f in reported(OWN_ENGINE, source)]
    assert rule_id not in ids, source


@pytest.mark.parametrize("rule_id, source", positives())
def test_bandit_does_not_report_the_same_issue(rule_id, source):
    """Each finding of an own rule adds something: bandit has nothing with its CWE on its lines."""
    cwe = RULES[rule_id]["cwe"]["id"]
    ours = [f for f in reported(OWN_ENGINE, source) if f.rule_id == rule_id]
    lines = {n for f in ours for n in range(f.span.start_line, f.span.end_line + 1)}
    same = [(f.rule_id, f.line + 1) for f in reported(BANDIT_ENGINE, source)
            if f.cwe == cwe and f.line in lines]
    assert not same, f"bandit already reports CWE-{cwe} there: {same}\n{source}"


# ---- suppressions -----------------------------------------------------------------------------

JWT_LINE = "claims = jwt.decode(token, options={'verify_signature': False})"


@pytest.mark.parametrize("comment", [
    "# nosec BST101",
    "# nosec jwt_signature_verification_disabled",
    "# nosec",
    "# nosec: hardcoded_password_string, jwt_signature_verification_disabled",
])
def test_nosec_suppresses_an_own_rule(comment):
    source = f"import jwt\n{JWT_LINE}  {comment}\n"
    analysis = BOTH_ENGINE.analyse(source, "case.py", Config())
    assert "BST101" not in {f.rule_id for f in analysis.findings}
    assert "BST101" in {f.rule_id for f in analysis.suppressed}


def test_nosec_on_any_line_of_the_statement():
    source = ("import jwt\n"
              "claims = jwt.decode(\n"
              "    token,\n"
              "    options={'verify_signature': False},  # nosec BST101\n"
              ")\n")
    analysis = BOTH_ENGINE.analyse(source, "case.py", Config())
    assert [f.rule_id for f in analysis.suppressed] == ["BST101"]


def test_nosec_for_another_rule_keeps_an_own_finding():
    source = f"import jwt\n{JWT_LINE}  # nosec B105\n"
    assert "BST101" in {f.rule_id for f in BOTH_ENGINE.analyse(source, "c.py", Config()).findings}
    by_name = f"import jwt\n{JWT_LINE}  # nosec hardcoded_password_string\n"
    assert "BST101" in {f.rule_id for f in BOTH_ENGINE.analyse(by_name, "c.py", Config()).findings}


def test_nosec_with_an_own_id_is_not_a_blanket_nosec():
    other = f"import jwt\n{JWT_LINE}  # nosec BST102\n"
    assert "BST101" in {f.rule_id for f in BOTH_ENGINE.analyse(other, "c.py", Config()).findings}
    listed = f"import jwt\n{JWT_LINE}  # nosec B105,BST101\n"
    assert "BST101" in {f.rule_id for f in BOTH_ENGINE.analyse(listed, "c.py", Config()).suppressed}


def test_own_rules_obey_selection_and_thresholds():
    source = f"import jwt\n{JWT_LINE}\n"
    ids = lambda config: {f.rule_id for f in OWN_ENGINE.analyse(source, "c.py", config).findings}  # noqa: E731
    assert ids(Config()) == {"BST101"}
    assert ids(Config(ignore=("BST",))) == set()
    assert ids(Config(select=("BST1",))) == {"BST101"}
    assert ids(Config(select=("B6",))) == set()


def test_rule_files_are_named_after_their_id():
    for path in RULE_FILES:
        assert RULES[path.stem]["id"] == path.stem
    assert all(isinstance(p, Path) for p in RULE_FILES)

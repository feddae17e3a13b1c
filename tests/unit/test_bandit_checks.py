"""Every check bandit ships, one positive and one negative snippet each, through the engine.

The positive snippet must report the check's id; the negative one (the safe spelling, or the
nearest call that the check must leave alone) must not. `test_table_covers_every_bandit_check`
fails when a bandit release adds or removes a check, so the table is kept in step with the pin.
"""

from __future__ import annotations

import pytest

from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.config import Config
from bastion.engine.engine import Engine
from bastion.model import Level, Span

ENGINE = Engine([BanditAdapter()])
CONFIG = Config(bandit_exact=True)  # bandit parity: nothing retracted

# id -> (positive, negative)
CHECKS: dict[str, tuple[str, str]] = {
    # ---- plugins: B1xx general -------------------------------------------------------------
    "B101": ("assert user.is_admin\n", "if not user.is_admin:\n    raise PermissionError\n"),
    "B102": ("exec(code)\n", "runner.exec(code)\n"),
    "B103": (
        "import os\nos.chmod('/etc/app.conf', 0o777)\n",
        "import os\nos.chmod('/etc/app.conf', 0o600)\n",
    ),
    "B104": ("sock.bind(('0.0.0.0', 8080))\n", "sock.bind(('127.0.0.1', 8080))\n"),
    "B105": ("password = 'hunter2'\n", "import os\npassword = os.environ['PASSWORD']\n"),
    "B106": ("login(user, password='hunter2')\n", "login(user, password=secret)\n"),
    "B107": (
        "def login(user, password='hunter2'):\n    return user\n",
        "def login(user, password=None):\n    return user\n",
    ),
    "B108": (
        "out = open('/tmp/report.txt', 'w')\n",
        "import tempfile\nout = tempfile.NamedTemporaryFile('w')\n",
    ),
    "B110": (
        "try:\n    work()\nexcept Exception:\n    pass\n",
        "try:\n    work()\nexcept Exception:\n    log.exception('work failed')\n",
    ),
    "B112": (
        "for item in items:\n    try:\n        work(item)\n    except Exception:\n"
        "        continue\n",
        "for item in items:\n    try:\n        work(item)\n    except Exception:\n"
        "        log.exception('skipped')\n        continue\n",
    ),
    "B113": (
        "import requests\nrequests.get(url)\n",
        "import requests\nrequests.get(url, timeout=10)\n",
    ),
    # ---- plugins: B2xx application/framework ---------------------------------------------
    "B201": (
        "import flask\napp = flask.Flask(__name__)\napp.run(debug=True)\n",
        "import flask\napp = flask.Flask(__name__)\napp.run(debug=False)\n",
    ),
    "B202": (
        "import tarfile\narchive = tarfile.open(path)\narchive.extractall(dest)\n",
        "import tarfile\narchive = tarfile.open(path)\narchive.extractall(dest, filter='data')\n",
    ),
    # ---- plugins: B3xx ----------------------------------------------------------------------
    "B324": ("import hashlib\nhashlib.md5(data)\n", "import hashlib\nhashlib.sha256(data)\n"),
    # ---- plugins: B5xx crypto -------------------------------------------------------------
    "B501": (
        "import requests\nrequests.get(url, timeout=5, verify=False)\n",
        "import requests\nrequests.get(url, timeout=5, verify=True)\n",
    ),
    "B502": (
        "import ssl\nssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv3)\n",
        "import ssl\nssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLSv1_2)\n",
    ),
    "B503": (
        "import ssl\ndef connect(version=ssl.PROTOCOL_SSLv2):\n    return version\n",
        "import ssl\ndef connect(version=ssl.PROTOCOL_TLS_CLIENT):\n    return version\n",
    ),
    "B504": (
        "import ssl\nssl.wrap_socket(sock)\n",
        "import ssl\nssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLSv1_2)\n",
    ),
    "B505": (
        "from cryptography.hazmat.primitives.asymmetric import rsa\n"
        "rsa.generate_private_key(public_exponent=65537, key_size=1024)\n",
        "from cryptography.hazmat.primitives.asymmetric import rsa\n"
        "rsa.generate_private_key(public_exponent=65537, key_size=4096)\n",
    ),
    "B506": (
        "import yaml\nyaml.load(data)\n",
        "import yaml\nyaml.load(data, Loader=yaml.SafeLoader)\n",
    ),
    "B507": (
        "import paramiko\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())\n",
        "import paramiko\nclient.set_missing_host_key_policy(paramiko.RejectPolicy())\n",
    ),
    "B508": (
        "from pysnmp.hlapi import CommunityData\nCommunityData('public', mpModel=0)\n",
        "from pysnmp.hlapi import UsmUserData\nUsmUserData('user', auth_key, priv_key)\n",
    ),
    "B509": (
        "from pysnmp.hlapi import UsmUserData\nUsmUserData('user')\n",
        "from pysnmp.hlapi import UsmUserData\nUsmUserData('user', auth_key, priv_key)\n",
    ),
    # ---- plugins: B6xx injection ----------------------------------------------------------
    "B601": (
        "import paramiko\nclient.exec_command(cmd)\n",
        "import paramiko\nclient.open_sftp().get(remote, local)\n",
    ),
    "B602": (
        "import subprocess\nsubprocess.call(cmd, shell=True)\n",
        "import subprocess\nsubprocess.call(['/bin/ls', path])\n",
    ),
    "B603": (
        "import subprocess\nsubprocess.run(['/bin/ls', path])\n",
        "import shutil\nshutil.copy(src, dst)\n",
    ),
    "B604": ("wrapper(cmd, shell=True)\n", "wrapper(cmd, shell=False)\n"),
    "B605": (
        "import os\nos.system(cmd)\n",
        "import subprocess\nsubprocess.run(['/bin/ls', path])\n",
    ),
    "B606": ("import os\nos.execv('/bin/ls', args)\n", "import os\nos.path.exists('/bin/ls')\n"),
    "B607": (
        "import subprocess\nsubprocess.run(['ls', path])\n",
        "import subprocess\nsubprocess.run(['/bin/ls', path])\n",
    ),
    "B608": (
        "cursor.execute('SELECT * FROM users WHERE id = %s' % uid)\n",
        "cursor.execute('SELECT * FROM users WHERE id = %s', (uid,))\n",
    ),
    "B609": (
        "import os\nos.system('tar cf backup.tar *')\n",
        "import os\nos.system('tar cf backup.tar data')\n",
    ),
    "B610": ("User.objects.extra(where=[clause])\n", "User.objects.extra(where=['id = 1'])\n"),
    "B611": (
        "from django.db.models.expressions import RawSQL\nRawSQL(query)\n",
        "from django.db.models.expressions import RawSQL\nRawSQL('SELECT 1')\n",
    ),
    "B612": (
        "import logging.config\nlogging.config.listen(9999)\n",
        "import logging.config\nlogging.config.listen(9999, verify=check_signature)\n",
    ),
    "B613": ("access = 'user\u202e \u2066# admin\u2069 \u2066'\n", "access = 'user'\n"),
    "B614": (
        "import torch\ntorch.load(path)\n",
        "import torch\ntorch.load(path, weights_only=True)\n",
    ),
    "B615": (
        "from transformers import AutoModel\nAutoModel.from_pretrained('org/model')\n",
        "from transformers import AutoModel\n"
        "AutoModel.from_pretrained('org/model', revision='5d0f2e8a3f1b')\n",
    ),
    # ---- plugins: B7xx XSS ----------------------------------------------------------------
    "B701": (
        "import jinja2\njinja2.Environment(loader=loader)\n",
        "import jinja2\njinja2.Environment(loader=loader, autoescape=True)\n",
    ),
    "B702": (
        "from mako.template import Template\nTemplate(text)\n",
        "from string import Template\nTemplate(text)\n",
    ),
    "B703": (
        "from django.utils.safestring import mark_safe\nmark_safe(user_html)\n",
        "from django.utils.html import format_html\nformat_html('<b>{}</b>', user_html)\n",
    ),
    "B704": (
        "from markupsafe import Markup\nMarkup(user_html)\n",
        "from markupsafe import escape\nescape(user_html)\n",
    ),
    # ---- blacklist: calls -----------------------------------------------------------------
    "B301": ("import pickle\npickle.loads(data)\n", "import json\njson.loads(data)\n"),
    "B302": ("import marshal\nmarshal.loads(data)\n", "import json\njson.loads(data)\n"),
    "B303": (
        "from cryptography.hazmat.primitives import hashes\nhashes.MD5()\n",
        "from cryptography.hazmat.primitives import hashes\nhashes.SHA256()\n",
    ),
    "B304": (
        "from cryptography.hazmat.primitives.ciphers import algorithms\nalgorithms.ARC4(key)\n",
        "from cryptography.hazmat.primitives.ciphers import algorithms\nalgorithms.AES(key)\n",
    ),
    "B305": (
        "from cryptography.hazmat.primitives.ciphers import modes\nmodes.ECB()\n",
        "from cryptography.hazmat.primitives.ciphers import modes\nmodes.GCM(iv)\n",
    ),
    "B306": ("import tempfile\ntempfile.mktemp()\n", "import tempfile\ntempfile.mkstemp()\n"),
    "B307": ("eval(expression)\n", "import ast\nast.literal_eval(expression)\n"),
    "B308": (
        "from django.utils.safestring import mark_safe\nmark_safe('<b>static</b>')\n",
        "from django.utils.html import format_html\nformat_html('<b>{}</b>', name)\n",
    ),
    "B310": (
        "import urllib.request\nurllib.request.urlopen(url)\n",
        "import requests\nrequests.get(url, timeout=5)\n",
    ),
    "B311": (
        "import random\ntoken = random.random()\n",
        "import secrets\ntoken = secrets.token_hex(16)\n",
    ),
    "B312": (
        "import telnetlib\ntelnetlib.Telnet(host)\n",
        "import paramiko\nparamiko.SSHClient()\n",
    ),
    "B313": (
        "import xml.etree.cElementTree as ET\nET.parse(source)\n",
        "import defusedxml.cElementTree as ET\nET.parse(source)\n",
    ),
    "B314": (
        "import xml.etree.ElementTree as ET\nET.fromstring(text)\n",
        "import defusedxml.ElementTree as ET\nET.fromstring(text)\n",
    ),
    "B315": (
        "import xml.sax.expatreader\nxml.sax.expatreader.create_parser()\n",
        "import defusedxml.expatreader\ndefusedxml.expatreader.create_parser()\n",
    ),
    "B316": (
        "from xml.dom import expatbuilder\nexpatbuilder.parseString(text)\n",
        "from defusedxml import expatbuilder\nexpatbuilder.parseString(text)\n",
    ),
    "B317": (
        "import xml.sax\nxml.sax.parseString(text, handler)\n",
        "import defusedxml.sax\ndefusedxml.sax.parseString(text, handler)\n",
    ),
    "B318": (
        "from xml.dom import minidom\nminidom.parseString(text)\n",
        "from defusedxml import minidom\nminidom.parseString(text)\n",
    ),
    "B319": (
        "from xml.dom import pulldom\npulldom.parseString(text)\n",
        "from defusedxml import pulldom\npulldom.parseString(text)\n",
    ),
    "B321": ("import ftplib\nftplib.FTP(host)\n", "import ftplib\nftplib.FTP_TLS(host)\n"),
    "B323": (
        "import ssl\nssl._create_unverified_context()\n",
        "import ssl\nssl.create_default_context()\n",
    ),
    # ---- blacklist: imports ---------------------------------------------------------------
    "B401": ("import telnetlib\n", "import paramiko\n"),
    "B402": ("import ftplib\n", "import paramiko\n"),
    "B403": ("import pickle\n", "import json\n"),
    "B404": ("import subprocess\n", "import shlex\n"),
    "B405": ("import xml.etree.ElementTree\n", "import defusedxml.ElementTree\n"),
    "B406": ("import xml.sax\n", "import defusedxml.sax\n"),
    "B407": ("from xml.dom import expatbuilder\n", "from defusedxml import expatbuilder\n"),
    "B408": ("from xml.dom import minidom\n", "from defusedxml import minidom\n"),
    "B409": ("from xml.dom import pulldom\n", "from defusedxml import pulldom\n"),
    "B411": ("import xmlrpc.client\n", "import defusedxml.xmlrpc\n"),
    "B412": (
        "from wsgiref.handlers import CGIHandler\n",
        "from wsgiref.handlers import SimpleHandler\n",
    ),
    "B413": ("from Crypto.Cipher import AES\n", "from Cryptodome.Cipher import AES\n"),
    "B415": ("import pyghmi\n", "import paramiko\n"),
}


FUNCTION_NAMES = {
    "B324": "hashlib",
    "B508": "snmp_insecure_version_check",
    "B509": "snmp_crypto_check",
}


def findings(text: str):
    return ENGINE.analyse(text, "snippet.py", CONFIG).findings


def ids(text: str) -> set[str]:
    return {f.rule_id for f in findings(text)}


def test_table_covers_every_bandit_check():
    shipped = set(BanditAdapter().rule_ids())
    table = set(CHECKS)
    assert shipped - table == set(), (
        f"bandit checks without a table entry: {sorted(shipped - table)}"
    )
    assert table - shipped == set(), (
        f"table entries bandit no longer ships: {sorted(table - shipped)}"
    )
    assert len(shipped) == 75


def test_rule_names_are_bandit_check_names():
    names = BanditAdapter().rule_ids()
    assert names["B602"] == "subprocess_popen_with_shell_equals_true"
    assert names["B404"] == "import_subprocess"
    assert names["B613"] == "trojansource"


@pytest.mark.parametrize("rule_id", sorted(CHECKS))
def test_positive_snippet_reports_the_check(rule_id):
    positive, _ = CHECKS[rule_id]
    found = ids(positive)
    assert rule_id in found, f"{rule_id} not reported on {positive!r}; got {sorted(found)}"


@pytest.mark.parametrize("rule_id", sorted(CHECKS))
def test_negative_snippet_does_not_report_the_check(rule_id):
    _, negative = CHECKS[rule_id]
    found = ids(negative)
    assert rule_id not in found, f"{rule_id} reported on the safe spelling {negative!r}"


@pytest.mark.parametrize("rule_id", sorted(CHECKS))
def test_snippets_parse(rule_id):
    import ast

    for text in CHECKS[rule_id]:
        ast.parse(text)


@pytest.mark.parametrize("rule_id", sorted(CHECKS))
def test_positive_finding_carries_metadata(rule_id):
    positive, _ = CHECKS[rule_id]
    finding = next(f for f in findings(positive) if f.rule_id == rule_id)
    # Like bandit's own report (`test_name`), a finding is named after the check *function*:
    # "blacklist" for every blacklist id, and three plugins whose function name differs from the
    # name bandit registers them under (the name `# nosec <name>` and rule_ids() use).
    blacklisted = rule_id[:2] in ("B3", "B4") and rule_id != "B324"
    expected = (
        "blacklist" if blacklisted else FUNCTION_NAMES.get(rule_id, ENGINE.rule_names[rule_id])
    )
    assert finding.name == expected
    assert finding.severity in (Level.LOW, Level.MEDIUM, Level.HIGH)
    assert finding.confidence in (Level.LOW, Level.MEDIUM, Level.HIGH)
    assert finding.message
    assert finding.source == "bandit"
    assert finding.suppressed_by is None
    assert finding.span.start_line in finding.lines or rule_id == "B613"
    assert (finding.span.start_line, finding.span.start_col) <= (
        finding.span.end_line,
        finding.span.end_col,
    )


# ---- exact spans (0-based lines, code-point columns, end exclusive) -------------------------


def only(text: str, rule_id: str):
    matching = [f for f in findings(text) if f.rule_id == rule_id]
    assert len(matching) == 1, matching
    return matching[0]


def test_span_of_import_blacklist():
    assert only("import subprocess\n", "B404").span == Span(0, 0, 0, 17)


def test_span_of_single_line_call():
    text = "import subprocess\nsubprocess.call(cmd, shell=True)\n"
    finding = only(text, "B602")
    assert finding.span == Span(1, 0, 1, 32)
    assert finding.severity is Level.HIGH and finding.confidence is Level.HIGH
    assert finding.cwe == 78
    assert finding.lines == (1,)


def test_span_of_multi_line_call_ends_on_closing_paren():
    text = "import requests\n\nrequests.get(\n    url,\n    verify=False,\n)\n"
    b113 = only(text, "B113")
    assert b113.span == Span(2, 0, 5, 1)
    assert b113.lines == (2, 3, 4, 5)
    b501 = only(text, "B501")
    # B501 reports the line of the `verify` argument, the range still ends at the call's end.
    assert (b501.span.start_line, b501.span.end_line, b501.span.end_col) == (4, 5, 1)


def test_span_of_string_check_is_the_string():
    finding = only("password = 'hunter2'\n", "B105")
    assert finding.span == Span(0, 11, 0, 20)


def test_span_of_indented_call_in_method():
    text = (
        "import yaml\n\nclass Loader:\n    def read(self, data):\n        return yaml.load(data)\n"
    )
    assert only(text, "B506").span == Span(4, 15, 4, 30)


def test_span_columns_are_code_points_after_non_ascii():
    # 'café ☕' is 6 code points but 9 UTF-8 bytes: ast's byte column 28 is code point 25.
    text = "import yaml\nlabel = 'café ☕'; data = yaml.load(stream)\n"
    finding = only(text, "B506")
    assert finding.span == Span(1, 25, 1, 42)
    assert text.split("\n")[1][25:42] == "yaml.load(stream)"


def test_span_columns_are_code_points_with_emoji_and_cjk():
    text = "import subprocess\nx = '漢字😀'; subprocess.call(cmd, shell=True)\n"
    finding = only(text, "B602")
    line = text.split("\n")[1]
    assert line[finding.span.start_col : finding.span.end_col] == "subprocess.call(cmd, shell=True)"


def test_span_of_function_definition_check_covers_the_function():
    text = "def login(user, password='hunter2'):\n    return user\n"
    finding = only(text, "B107")
    assert finding.span == Span(0, 0, 1, 15)
    assert finding.lines == (0, 1)


def test_span_of_except_handler():
    text = "try:\n    work()\nexcept Exception:\n    pass\n"
    assert only(text, "B110").span == Span(2, 0, 3, 8)


def test_span_of_trojansource_ascii_prefix():
    text = "access = 'user\u202e'\n"
    finding = only(text, "B613")
    assert finding.span.start_line == 0
    assert finding.span.start_col == text.index("\u202e")


def test_span_of_trojansource_after_non_ascii():
    text = "x = 'éé\u202e'\n"
    finding = only(text, "B613")
    assert finding.span.start_col == text.index("\u202e")  # 7; the adapter gives 6

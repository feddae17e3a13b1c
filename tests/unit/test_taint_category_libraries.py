"""Taint analysis: the libraries of the LDAP, XPath, XXE, log and deserialization categories as
their documentation writes them (lane detect81): the base DN a python-ldap or ldap3 search starts
from, ElementTree's C accelerator's old name, an xml.sax parser fed a document, a log value cut at
its line boundaries, matched by `\\w+` or refused with a line feed in it, a value a signer
(itsdangerous, Django's `signing`) returns and PyYAML's BaseLoader. Each case is a vulnerable
Flask view and its safe twin, run through the whole engine so that bandit's finding on the same
call (B301, B506) is judged too."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import re

import pytest

from bastion.analyzers.taint.patterns import cleaned_by
from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()
FLASK = "import re\nfrom flask import Flask, request\napp = Flask(__name__)\nlog = __import__('logging').getLogger(__name__)\n@app.get('/a')\ndef a():\n"
U = "request.args['u']"


def rules(header: str, body: str) -> list[str]:
    """The rules reported on a module of `header`'s imports and a Flask view of `body`."""
    source = header + FLASK + "".join(f"    {line}\n" for line in body.splitlines())
    return sorted(f.rule_id for f in ENGINE.analyse(source, "case.py", Config()).findings)


# (rule id, imports, vulnerable view body, safe twin body)
PAIRS = [
    # LDAP: the base DN of a search (python-ldap's `search_s(base, scope, filter)`, ldap3's
    # `search(search_base, search_filter)`), escaped as one RDN value in the twin
    ("BST205", "import ldap\nimport ldap.dn\nconn = ldap.initialize('ldap://ldap.example.com')\n",
     f"base = 'ou=' + {U} + ',dc=example,dc=com'\nreturn str(conn.search_s(base, ldap.SCOPE_SUBTREE, '(objectClass=person)'))",
     f"base = 'ou=' + ldap.dn.escape_dn_chars({U}) + ',dc=example,dc=com'\nreturn str(conn.search_s(base, ldap.SCOPE_SUBTREE, '(objectClass=person)'))"),
    ("BST205", "import ldap\nconn = ldap.initialize('ldap://ldap.example.com')\n",
     f"msgid = conn.search('ou=%s,dc=example,dc=com' % {U}, ldap.SCOPE_SUBTREE)\nreturn str(conn.result(msgid))",
     f"msgid = conn.search('ou=people,dc=example,dc=com', ldap.SCOPE_SUBTREE)\nreturn str(conn.result(msgid)) + {U}"),
    ("BST205", "from ldap3 import Server, Connection\nfrom ldap3.utils.dn import escape_rdn\n",
     f"ou = {U}\nconn = Connection(Server('ldap.example.com'), auto_bind=True)\nconn.search(f'ou={{ou}},dc=example,dc=com', '(objectClass=person)')\nreturn str(conn.entries)",
     f"ou = escape_rdn({U})\nconn = Connection(Server('ldap.example.com'), auto_bind=True)\nconn.search(f'ou={{ou}},dc=example,dc=com', '(objectClass=person)')\nreturn str(conn.entries)"),
    ("BST205", "import ldap3\nfrom ldap3.utils.conv import escape_filter_chars\n",
     f"conn = ldap3.Connection(ldap3.Server('ldap.example.com'), auto_bind=True)\nreturn str(list(conn.extend.standard.paged_search('ou=' + {U} + ',dc=example,dc=com', '(objectClass=*)')))",
     f"conn = ldap3.Connection(ldap3.Server('ldap.example.com'), auto_bind=True)\nreturn str(list(conn.extend.standard.paged_search('ou=people,dc=example,dc=com', '(cn=' + escape_filter_chars({U}) + ')')))"),
    ("BST205", "from ldap3.utils.conv import escape_filter_chars\nfrom .directory import connection\n",
     f"conn = connection()\nconn.search(search_base='ou=' + {U} + ',dc=example,dc=com', search_filter='(objectClass=*)')\nreturn str(conn.entries)",
     f"conn = connection()\nconn.search(search_base='ou=people,dc=example,dc=com', search_filter='(cn=' + escape_filter_chars({U}) + ')')\nreturn str(conn.entries)"),
    # XPath: ElementTree under its C accelerator's old name (`xml.etree.cElementTree`)
    ("BST212", "import xml.etree.cElementTree as ET\n",
     f"root = ET.parse('catalog.xml').getroot()\nreturn str(root.findall(\".//book[@title='\" + {U} + \"']\"))",
     f"root = ET.parse('catalog.xml').getroot()\nreturn str([b for b in root.findall('.//book') if b.get('title') == {U}])"),
    # log lines: a value cut at every blank or line boundary, or matched whole by `\w+` (Unicode
    # letters and digits, none a line boundary); the twins keep a line break
    ("BST207", "",
     f"log.info('user %s', {U}.strip())\nreturn 'ok'",
     f"log.info('user %s', ' '.join({U}.split()))\nreturn 'ok'"),
    ("BST207", "",
     f"log.info('user %s', {U}.split(None, 1)[-1])\nreturn 'ok'",
     f"log.info('user %s', {U}.splitlines()[0])\nreturn 'ok'"),
    ("BST207", "",
     f"log.info('user %s', ' '.join({U}.splitlines(True)))\nreturn 'ok'",
     f"log.info('user %s', '|'.join({U}.rsplit()))\nreturn 'ok'"),
    # pieces of any number joined by a line break: the sender places the lines
    ("BST207", "",
     f"log.info('user %s', '\\n'.join({U}.split()))\nreturn 'ok'",
     f"log.info('user %s', ', '.join({U}.split()))\nreturn 'ok'"),
    ("BST207", "import os\n",
     f"log.info('user %s', os.linesep.join({U}.splitlines()))\nreturn 'ok'",
     f"log.info('user %s', ' '.join({U}.splitlines()))\nreturn 'ok'"),
    ("BST207", "",
     f"name = {U}\nif not re.fullmatch(r'[^;]+', name):\n    return 'bad', 400\nlog.info('user %s', name)\nreturn 'ok'",
     f"name = {U}\nif not re.fullmatch(r'\\w+', name):\n    return 'bad', 400\nlog.info('user %s', name)\nreturn 'ok'"),
    # a line feed removed or refused keeps a value on one line (the models take that as the
    # sanitizer, as `%r` is); a carriage return removed or refused alone leaves every line feed
    ("BST207", "",
     f"log.info('user %s', {U}.replace('\\r', ''))\nreturn 'ok'",
     f"log.info('user %s', {U}.replace('\\n', ' '))\nreturn 'ok'"),
    ("BST207", "",
     f"name = {U}\nif '\\r' in name:\n    return 'bad', 400\nlog.info('user %s', name)\nreturn 'ok'",
     f"name = {U}\nif '\\n' in name:\n    return 'bad', 400\nlog.info('user %s', name)\nreturn 'ok'"),
    # XXE: an xml.sax parser whose external entities are on, fed the document piece by piece
    ("BST211", "import xml.sax\nfrom xml.sax.handler import feature_external_ges\n",
     "parser = xml.sax.make_parser()\nparser.setFeature(feature_external_ges, True)\nparser.feed(request.data)\nparser.close()\nreturn 'ok'",
     "parser = xml.sax.make_parser()\nparser.setFeature(feature_external_ges, False)\nparser.feed(request.data)\nparser.close()\nreturn 'ok'"),
    # deserialization: bytes a signer checked against the server's key (its documentation's
    # `unsign`), as `hmac.compare_digest` proves; `sign` checks nothing
    ("BST209", "import pickle\nfrom itsdangerous import Signer\nsigner = Signer('secret-key')\n",
     "return str(pickle.loads(signer.sign(request.cookies['state'])))",
     "return str(pickle.loads(signer.unsign(request.cookies['state'])))"),
    ("BST209", "import pickle\nfrom itsdangerous import TimestampSigner\n",
     "return str(pickle.loads(request.cookies['state'].encode()))",
     "return str(pickle.loads(TimestampSigner('secret-key').unsign(request.cookies['state'], max_age=3600)))"),
    ("BST209", "import pickle\nfrom django.core import signing\n",
     "return str(pickle.loads(request.cookies['state'].encode('latin-1')))",
     "return str(pickle.loads(signing.Signer().unsign(request.cookies['state']).encode('latin-1')))"),
]


@pytest.mark.parametrize("rule_id, header, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_vulnerable_case_reports_and_its_safe_twin_does_not(rule_id, header, vulnerable, safe):
    assert rule_id in rules(header, vulnerable)
    assert rule_id not in rules(header, safe)


def test_a_signed_value_retracts_bandits_pickle_finding():
    """B301 is judged by the deserialization sink: a value `unsign` returned is sanitized for
    it, so bandit's finding on that call goes too; an unsigned cookie keeps it replaced."""
    header = "import pickle\nfrom itsdangerous import Signer\n"
    signed = "s = Signer('secret-key')\nreturn str(pickle.loads(s.unsign(request.cookies['state'])))"
    unsigned = "return str(pickle.loads(request.cookies['state'].encode()))"
    assert "B301" not in rules(header, signed) and "BST209" not in rules(header, signed)
    assert "BST209" in rules(header, unsigned)


@pytest.mark.parametrize("loader", ["yaml.BaseLoader", "Loader=yaml.CBaseLoader", "yaml.SafeLoader"])
def test_a_loader_of_plain_data_retracts_bandits_yaml_finding(loader):
    """PyYAML's BaseLoader builds strings, lists and dicts only (as SafeLoader builds plain
    data): `yaml.load(body, yaml.BaseLoader)` is judged safe, so bandit's B506 goes; FullLoader's
    and the default Loader's stay reported, by the taint rule."""
    assert not {"B506", "BST209"} & set(rules("import yaml\n", f"return str(yaml.load(request.data, {loader}))"))
    assert "BST209" in rules("import yaml\n", "return str(yaml.load(request.data, yaml.Loader))")


@pytest.mark.parametrize("pattern, breaks", [
    (r"\w+", False), (r"[\w.-]+", False), (r"\d{1,6}", False), (r"[a-zA-Z0-9_]+", False),
    (r"\s+", True), (r"[^;]+", True), (r".+", True), (r"[\w\u2028]+", True), (r"[\x80-\uffff]+", True),
    (r"[\u0100-\u017f]+", False),
])
def test_a_pattern_proves_a_log_value_one_line_unless_it_lets_a_line_boundary_through(pattern, breaks):
    """Unicode `\\w` and `\\d` match letters and digits beyond ASCII, none of them a line
    boundary; a class or range that holds NEL or a line / paragraph separator breaks a log line."""
    assert ("log" not in cleaned_by(pattern, 0, "fullmatch")) is breaks


def test_no_line_boundary_is_a_unicode_letter_or_digit():
    """What the pattern test above rests on: every line boundary `str.splitlines` cuts at is
    outside Unicode `\\w` and `\\d`."""
    boundaries = "\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
    assert all(len(f"a{c}b".splitlines()) == 2 for c in boundaries)
    assert not any(re.fullmatch(r"[\w\d]", c) or re.fullmatch(r"[\w\d]", c, re.I) for c in boundaries)

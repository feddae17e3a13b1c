"""Taint analysis: leftovers of the category lanes (lane detect84). A filter's escaping does not
make a value safe in an LDAP distinguished name, nor a DN's escaping in a filter (python-ldap's
`ldap.filter` / `ldap.dn`, ldap3's `escape_filter_chars` / `escape_rdn`); one quote replaced
by its entity or refused does not make a value safe in an XPath literal that may be quoted with
the other (lxml's `xpath`, ElementTree's `findall`); `str.translate` with a table deleting the
line feed makes a log value one line, as `replace("\\n", "")` does (also bytes'
`translate(None, b"\\r\\n")`); `importlib.import_module`
of a name a package starts (in the call, or where each binding of the local it names is written)
imports one of its modules, and a builtin read by name
(`getattr(builtins, "eval")`) is that builtin; a pickle whose HMAC was checked is the server's
own (the `pickle` documentation's advice), its message unpacked with the MAC or not. Each case is a vulnerable
Flask view and its safe twin, run through the whole engine."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import pytest
from tests.unit.test_taint_category_libraries import U, rules

PYTHON_LDAP = "import ldap\nimport ldap.dn\nimport ldap.filter\nconn = ldap.initialize('ldap://ldap.example.com')\n"
LXML = "from lxml import etree\nDOC = etree.parse('users.xml')\n"
LOGGING = "import logging\nlog = logging.getLogger(__name__)\n"
LDAP3 = "from ldap3 import Connection, Server\nfrom ldap3.utils.conv import escape_filter_chars\nfrom ldap3.utils.dn import escape_rdn\n"

# (rule id, imports, vulnerable view body, safe twin body)
PAIRS = [
    # a bind DN: `,` ends the RDN the filter escaping leaves (`alice,ou=admins`)
    ("BST205", PYTHON_LDAP,
     f"conn.simple_bind_s('uid=' + ldap.filter.escape_filter_chars({U}) + ',ou=people,dc=example,dc=com', 'pw')\nreturn 'ok'",
     f"conn.simple_bind_s('uid=' + ldap.dn.escape_dn_chars({U}) + ',ou=people,dc=example,dc=com', 'pw')\nreturn 'ok'"),
    # a filter: `*` and `(` stay in a DN value's escaping
    ("BST205", PYTHON_LDAP,
     f"return str(conn.search_s('dc=example,dc=com', ldap.SCOPE_SUBTREE, '(uid=' + ldap.dn.escape_dn_chars({U}) + ')'))",
     f"return str(conn.search_s('dc=example,dc=com', ldap.SCOPE_SUBTREE, '(uid=' + ldap.filter.escape_filter_chars({U}) + ')'))"),
    # ldap3: the base DN of a search
    ("BST205", LDAP3,
     f"conn = Connection(Server('ldap.example.com'), auto_bind=True)\nconn.search('ou=' + escape_filter_chars({U}) + ',dc=example,dc=com', '(objectClass=person)')\nreturn str(conn.entries)",
     f"conn = Connection(Server('ldap.example.com'), auto_bind=True)\nconn.search('ou=' + escape_rdn({U}) + ',dc=example,dc=com', '(objectClass=person)')\nreturn str(conn.entries)"),
    # XPath: `&apos;` keeps a single-quoted literal closed, not a double-quoted one
    ("BST212", LXML,
     f"name = {U}.replace(\"'\", '&apos;')\nreturn str(DOC.xpath(f'//user[@name=\"{{name}}\"]'))",
     f"name = {U}.replace(\"'\", '&apos;').replace('\"', '&quot;')\nreturn str(DOC.xpath(f'//user[@name=\"{{name}}\"]'))"),
    ("BST212", LXML,
     f"name = {U}\nif \"'\" in name:\n    return 'bad', 400\nreturn str(DOC.xpath(f'//user[@name=\"{{name}}\"]'))",
     f"name = {U}\nif \"'\" in name or '\"' in name:\n    return 'bad', 400\nreturn str(DOC.xpath(f'//user[@name=\"{{name}}\"]'))"),
    # log lines: the line feed deleted by a translation table (`str.maketrans`'s third argument,
    # or a mapping of ordinals to None), not only the carriage return
    ("BST207", LOGGING,
     f"log.warning('login failed for %s', {U}.translate(str.maketrans('', '', '\\r')))\nreturn 'no'",
     f"log.warning('login failed for %s', {U}.translate(str.maketrans('', '', '\\r\\n')))\nreturn 'no'"),
    ("BST207", LOGGING,
     f"log.warning('login failed for %s', {U}.translate({{13: None}}))\nreturn 'no'",
     f"log.warning('login failed for %s', {U}.translate({{10: None, 13: None}}))\nreturn 'no'"),
    ("BST207", LOGGING,
     f"log.warning('login failed for %s', {U}.translate({{ord('\\n'): ' ', ord('\\t'): '\\n'}}))\nreturn 'no'",
     f"log.warning('login failed for %s', {U}.translate({{ord('\\n'): ' ', ord('\\r'): ' '}}))\nreturn 'no'"),
    # bytes' `translate(None, delete)`: the request's body with its line breaks deleted
    ("BST207", LOGGING,
     "line = request.get_data().translate(None, b'\\r').decode()\nlog.warning('bad payload: %s', line)\nreturn 'no'",
     "line = request.get_data().translate(None, b'\\r\\n').decode()\nlog.warning('bad payload: %s', line)\nreturn 'no'"),
    # code: a module the request names, not one of a package's; a builtin read by name
    ("BST206", "import importlib\n",
     f"return str(importlib.import_module({U}).run())",
     f"return str(importlib.import_module('plugins.' + {U}).run())"),
    ("BST206", "import importlib\n",
     f"name = {U}\nreturn str(importlib.import_module('.' + name, package='plugins').run())",
     f"name = {U}\nreturn str(importlib.import_module(f'plugins.{{name}}').run())"),
    # the package's name written where the local is bound, on every binding of it
    ("BST206", "import importlib\n",
     f"mod = 'plugins.' + {U}\nif {U}.startswith('ext:'):\n    mod = {U}[4:]\nreturn str(importlib.import_module(mod).run())",
     f"mod = 'plugins.default'\nif {U}:\n    mod = 'plugins.' + {U}\nreturn str(importlib.import_module(mod).run())"),
    ("BST206", "import importlib\n",
     f"mod = {U}\nreturn str(importlib.import_module(mod).run())",
     f"mod = 'plugins.%s' % {U}\nreturn str(importlib.import_module(mod).run())"),
    ("BST206", "import builtins\n",
     f"return str(getattr(builtins, 'eval')({U}))",
     f"return str(getattr(builtins, 'len')({U}))"),
    ("BST206", "",
     f"getattr(__builtins__, 'exec')({U})\nreturn 'ok'",
     f"getattr(__builtins__, 'print')({U})\nreturn 'ok'"),
    # deserialization: the message and its MAC cut from one blob by a tuple assignment
    ("BST209", "import hashlib\nimport hmac\nimport pickle\nKEY = b'server-secret'\n",
     "blob = request.get_data()\nmac, data = blob[:32], blob[32:]\nif hmac.compare_digest(mac, hmac.new(KEY, mac, hashlib.sha256).digest()):\n    return str(pickle.loads(data))\nreturn 'bad', 400",
     "blob = request.get_data()\nmac, data = blob[:32], blob[32:]\nif hmac.compare_digest(mac, hmac.new(KEY, data, hashlib.sha256).digest()):\n    return str(pickle.loads(data))\nreturn 'bad', 400"),
]


@pytest.mark.parametrize("rule_id, header, vulnerable, safe", PAIRS, ids=[f"{p[0]}-{i}" for i, p in enumerate(PAIRS)])
def test_vulnerable_case_reports_and_its_safe_twin_does_not(rule_id, header, vulnerable, safe):
    assert rule_id in rules(header, vulnerable)
    assert rule_id not in rules(header, safe)

"""Bandit findings retracted from what the module itself shows: its XML parsing after
`defusedxml.defuse_stdlib()` (defusedxml's documented monkey patch of the stdlib XML modules),
its `pickle.loads` of bytes it wrote itself. Each with its vulnerable twin, and shown in
bandit-exact mode as bandit reports them."""

from __future__ import annotations

import pytest

from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.analyzers.toml_rules import TomlRulesAnalyzer
from bastion.config import Config
from bastion.engine.engine import Engine

BOTH = Engine([BanditAdapter(), TomlRulesAnalyzer.from_catalog()])

CASES = {  # name: (rule, retracted: safe, stands: vulnerable)
    "defuse_stdlib_then_elementtree": ("B314", """\
import defusedxml
defusedxml.defuse_stdlib()
import xml.etree.ElementTree as ET

def parse(text):
    return ET.fromstring(text)
""", """\
import defusedxml
import xml.etree.ElementTree as ET

def parse(text):
    return ET.fromstring(text)
"""),
    "defuse_stdlib_after_a_from_import": ("B318", """\
from defusedxml import defuse_stdlib
defuse_stdlib()
import xml.dom.minidom

def parse(text):
    return xml.dom.minidom.parseString(text)
""", """\
from xml.dom.minidom import parseString
from defusedxml import defuse_stdlib
defuse_stdlib()

def parse(text):
    return parseString(text)
"""),
    "pickle_of_own_bytes": ("B301", """\
import pickle
DEFAULTS = pickle.dumps({"theme": "dark", "page_size": 50})

def defaults():
    return pickle.loads(DEFAULTS)
""", """\
import pickle

def defaults(blob):
    return pickle.loads(blob)
"""),
    "pickle_of_a_bytes_literal": ("B301", """\
import pickle
EMPTY = b"\\x80\\x04}\\x94."

def empty():
    return pickle.loads(EMPTY)
""", """\
import pickle
EMPTY = b"\\x80\\x04}\\x94."

def empty(request):
    return pickle.loads(request.body or EMPTY)
"""),
}


def _shown(source: str, config: Config) -> list[str]:
    return [f.rule_id for f in BOTH.analyse(source, "case.py", config).findings]


@pytest.mark.parametrize("name", sorted(CASES))
def test_bandit_finding_on_defused_xml_or_own_pickle_is_retracted(name):
    rule_id, safe, vulnerable = CASES[name]
    assert rule_id not in _shown(safe, Config())
    assert rule_id in _shown(vulnerable, Config())
    assert rule_id in _shown(safe, Config(bandit_exact=True))  # bandit's parity

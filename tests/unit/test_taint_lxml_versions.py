"""lxml's default parsers by the lxml version the project declares (issue 12, CWE-611): before
5.0 `etree.fromstring(data)` resolved external entities (default `resolve_entities=True`; since
5.0 'internal'), and `iterparse` kept that default until 6.1. A pin or lock below the version
reports at high confidence, one at or above it not at all, no declaration (or a range across it)
at medium confidence. A parser built with `resolve_entities=False`, and defusedxml, are safe for
every version. Each case is a Flask view as the lxml and Flask documentation write them."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import os

import pytest

from bastion.analyzers.taint import declared_versions
from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.model_files import load_models
from bastion.analyzers.taint.modules import dependency_key
from bastion.analyzers.taint.workspace import SummaryStore
from bastion.model import Level

VIEW = """from flask import Flask, request
{imports}
app = Flask(__name__)
{globals}

@app.post("/import")
def import_items():
    {body}
    return {{"ok": True}}
"""
LXML = "from lxml import etree"
DEFAULT = "root = etree.fromstring(request.get_data())"
SAFE_PARSERS = [
    "root = etree.fromstring(request.get_data(), etree.XMLParser(resolve_entities=False))",
    "parser = etree.XMLParser(resolve_entities=False, no_network=True)\n    root = etree.fromstring(request.get_data(), parser)",
    "root = etree.parse(request.files['doc'], parser=etree.XMLParser(resolve_entities=False))",
    "events = list(etree.iterparse(request.files['doc'], resolve_entities=False))",
]
DEFUSED = [
    ("from defusedxml import lxml as safe_lxml", "root = safe_lxml.fromstring(request.get_data())"),
    ("import defusedxml.ElementTree as ET", "root = ET.fromstring(request.get_data())"),
]


def view(body: str, imports: str = LXML, globals_: str = "") -> str:
    return VIEW.format(imports=imports, globals=globals_, body=body)


def xxe(tmp_path, source: str, manifests: dict[str, str] | None = None):
    """The BST211 findings of `source` as app.py of a project holding `manifests`."""
    for name, text in (manifests or {}).items():
        (tmp_path / name).write_text(text)
    module = tmp_path / "app.py"
    module.write_text(source)
    return [f for f in TaintAnalyzer().analyse_file(source, str(module)) if f.rule_id == "BST211"]


OLD = {"requirements.txt": "flask==3.0.3\nlxml==4.9.1\n"}
NEW = {"requirements.txt": "flask==3.0.3\nlxml==5.2.0\n"}


def test_a_pin_before_5_reports_the_default_parser_at_high_confidence(tmp_path):
    found = xxe(tmp_path, view(DEFAULT), OLD)
    assert [f.confidence for f in found] == [Level.HIGH]
    assert "lxml==4.9.1 in requirements.txt" in found[0].message


def test_a_pin_from_5_does_not(tmp_path):
    assert xxe(tmp_path, view(DEFAULT), NEW) == []


def test_no_manifest_reports_at_medium_confidence_saying_the_version_decides(tmp_path):
    found = xxe(tmp_path, view(DEFAULT))
    assert [f.confidence for f in found] == [Level.MEDIUM]
    assert "no manifest of the project declares lxml: the installed version decides" in found[0].message


@pytest.mark.parametrize("manifests", [OLD, NEW, {}], ids=["4.9.1", "5.2.0", "none"])
@pytest.mark.parametrize("body", SAFE_PARSERS)
def test_a_parser_without_entities_is_safe_for_every_version(tmp_path, manifests, body):
    assert xxe(tmp_path, view(body), manifests) == []


@pytest.mark.parametrize("manifests", [OLD, {}], ids=["4.9.1", "none"])
@pytest.mark.parametrize("imports, body", DEFUSED)
def test_defusedxml_is_safe(tmp_path, manifests, imports, body):
    assert xxe(tmp_path, view(body, imports), manifests) == []


@pytest.mark.parametrize("manifests, confidence", [
    ({"requirements.txt": "lxml<5\n"}, Level.HIGH),
    ({"requirements.txt": "lxml>=4.6,<5.0\n"}, Level.HIGH),
    ({"requirements.txt": "lxml>=4.6\n"}, Level.MEDIUM),  # a range across 5.0
    ({"requirements.txt": "lxml\n"}, Level.MEDIUM),
    ({"requirements.txt": "lxml==4.9.1\n", "requirements-dev.txt": "lxml==5.2.0\n"}, Level.MEDIUM),
    ({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["lxml>=5.1"]\n'}, None),
    ({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["lxml~=4.9"]\n'}, Level.HIGH),
    ({"uv.lock": '[[package]]\nname = "lxml"\nversion = "4.9.4"\n'}, Level.HIGH),
    ({"poetry.lock": '[[package]]\nname = "lxml"\nversion = "5.3.0"\n'}, None),
    # a lock's entry decides over the range a manifest allows
    ({"requirements.txt": "lxml>=4\n", "uv.lock": '[[package]]\nname = "lxml"\nversion = "5.3.0"\n'}, None),
    ({"requirements.txt": "lxml>=4\n", "uv.lock": '[[package]]\nname = "lxml"\nversion = "4.9.3"\n'}, Level.HIGH),
], ids=["below", "range-below", "range-across", "unpinned", "disagreeing", "pyproject-from-5",
        "compatible-4.9", "uv-lock-old", "poetry-lock-new", "lock-over-range", "lock-old"])
def test_declarations(tmp_path, manifests, confidence):
    found = xxe(tmp_path, view(DEFAULT), manifests)
    assert [f.confidence for f in found] == ([] if confidence is None else [confidence])


def test_the_nearest_manifest_naming_lxml_decides(tmp_path):
    (tmp_path / "requirements.txt").write_text("lxml==5.2.0\n")
    package = tmp_path / "app"
    package.mkdir()
    (package / "requirements.txt").write_text("flask\n")  # no lxml: the parent's decides
    assert xxe(package, view(DEFAULT)) == []


@pytest.mark.parametrize("globals_, body, reported", [
    ("PARSER = etree.XMLParser()", "root = etree.fromstring(request.get_data(), PARSER)", True),
    ("PARSER = etree.XMLParser(remove_blank_text=True)", "root = etree.parse(request.files['doc'], PARSER)", True),
    ("", "parser = etree.XMLParser(no_network=True)\n    root = etree.XML(request.get_data(), parser=parser)", True),
    ("", "parser = etree.XMLParser()\n    parser.feed(request.get_data())\n    root = parser.close()", True),
    ("OPTIONS = {'resolve_entities': False}\nPARSER = etree.XMLParser(**OPTIONS)", "root = etree.fromstring(request.get_data(), PARSER)", False),
    ("PARSER = etree.XMLParser(resolve_entities=False)", "root = etree.fromstring(request.get_data(), PARSER)", False),
    ("", "parser = etree.XMLParser(resolve_entities=False)\n    parser.feed(request.get_data())\n    root = parser.close()", False),
])
def test_parsers_left_at_the_default(tmp_path, globals_, body, reported):
    assert bool(xxe(tmp_path, view(body, globals_=globals_), OLD)) is reported
    assert xxe(tmp_path, view(body, globals_=globals_), NEW) == []


@pytest.mark.parametrize("version, reported", [("5.2.0", True), ("6.0.2", True), ("6.1.0", False)])
def test_iterparse_kept_resolving_entities_until_6_1(tmp_path, version, reported):
    body = "events = list(etree.iterparse(request.files['doc']))"
    assert bool(xxe(tmp_path, view(body), {"requirements.txt": f"lxml=={version}\n"})) is reported


def test_the_explicit_unsafe_parser_is_reported_for_every_version(tmp_path):
    body = "root = etree.fromstring(request.get_data(), etree.XMLParser(resolve_entities=True))"
    for manifests in (OLD, NEW, {}):
        assert [f.confidence for f in xxe(tmp_path, view(body), manifests)] == [Level.HIGH]


def test_an_edited_manifest_changes_the_result_and_the_cache_key(tmp_path):
    source = view(DEFAULT)
    module = tmp_path / "app.py"
    module.write_text(source)
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("lxml==4.9.1\n")
    analyzer = TaintAnalyzer()
    key = analyzer.dependency_key(source, str(module))
    assert [f.rule_id for f in analyzer.analyse_file(source, str(module))].count("BST211") == 1
    requirements.write_text("lxml==5.2.00\n")  # another size: a new stamp whatever the clock
    assert analyzer.dependency_key(source, str(module)) != key
    assert "BST211" not in [f.rule_id for f in analyzer.analyse_file(source, str(module))]


def test_manifests_are_read_once_not_per_keystroke(tmp_path, monkeypatch):
    (tmp_path / "requirements.txt").write_text("lxml==4.9.1\n")
    (tmp_path / "uv.lock").write_text('[[package]]\nname = "lxml"\nversion = "4.9.4"\n')
    module = str(tmp_path / "app.py")
    parsed = []
    real = declared_versions.parse_manifest
    monkeypatch.setattr(declared_versions, "parse_manifest",
                        lambda path, *a, **k: parsed.append(path) or real(path, *a, **k))
    analyzer = TaintAnalyzer()
    for typed in range(20):  # keystrokes in the view
        source = view(DEFAULT + f"\n    count = {typed}")
        assert [f.confidence for f in analyzer.analyse_file(source, module)
                if f.rule_id == "BST211"] == [Level.HIGH]
    assert sorted(parsed) == sorted(os.path.join(tmp_path, n) for n in ("requirements.txt", "uv.lock"))


def test_a_module_not_naming_lxml_reads_no_manifest(tmp_path, monkeypatch):
    (tmp_path / "requirements.txt").write_text("lxml==4.9.1\n")
    monkeypatch.setattr(declared_versions.DeclaredVersions, "of_path",
                        lambda *a: pytest.fail("read the manifests"))
    source = view("return {'q': request.args['q']}", imports="import os")
    TaintAnalyzer().analyse_file(source, str(tmp_path / "app.py"))


def test_a_helper_module_of_the_workspace_follows_the_declared_version(tmp_path):
    (tmp_path / "xmlutil.py").write_text(f"{LXML}\n\n\ndef load(data):\n    return etree.fromstring(data)\n")
    source = view("root = load(request.get_data())", imports="from xmlutil import load")
    for pin, expected in (("4.9.1", [Level.HIGH]), ("5.2.0", [])):
        (tmp_path / "requirements.txt").write_text(f"lxml=={pin}\n")
        analyzer = TaintAnalyzer()
        analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version)
        found = [f for f in analyzer.analyse_file(source, str(tmp_path / "app.py")) if f.rule_id == "BST211"]
        assert [f.confidence for f in found] == expected


@pytest.mark.parametrize("sink, problem", [
    ('before = { package = "lxml", version = "five" }', "before"),
    ('before = { package = "lxml" }', "before"),
    ('when = { keyword = "resolve_entities", absent = false }', "when"),
])
def test_model_files_validate_the_version_condition(tmp_path, sink, problem):
    (tmp_path / "sinks.toml").write_text(
        f'[[sink]]\nclass = "xxe"\ncalls = ["lxml.etree.iterparse"]\n{sink}\n')
    models = load_models(tmp_path)
    assert [p.field.rsplit(".", 1)[1] for p in models.problems] == [problem]
    assert not models.versioned


def test_an_importers_cache_key_follows_the_manifest_of_the_module_it_imports(tmp_path):
    """A scan's cached result of a view that names no lxml but calls a helper that parses."""
    (tmp_path / "xmlutil.py").write_text(f"{LXML}\n\n\ndef load(data):\n    return etree.fromstring(data)\n")
    (tmp_path / "textutil.py").write_text("def load(data):\n    return data.decode()\n")
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("lxml==4.9.1\n")
    views = str(tmp_path / "app.py")
    parses = view("root = load(request.get_data())", imports="from xmlutil import load")
    decodes = view("root = load(request.get_data())", imports="from textutil import load")
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version)
    keys = {text: analyzer.dependency_key(text, views) for text in (parses, decodes)}
    requirements.write_text("lxml==5.2.00\n")
    assert analyzer.dependency_key(parses, views) != keys[parses]
    # one importing no such module keys as the scan's lookup without the analyzers (scan.py)
    assert analyzer.dependency_key(decodes, views) == keys[decodes] \
        == dependency_key(analyzer.workspace.graph, decodes, views)


def test_a_manifest_naming_no_lxml_is_not_parsed(tmp_path, monkeypatch):
    lock = "".join(f'[[package]]\nname = "pkg{i}"\nversion = "1.0.{i}"\n\n' for i in range(2000))
    parsed = []
    real = declared_versions.parse_manifest
    monkeypatch.setattr(declared_versions, "parse_manifest",
                        lambda path, *a, **k: parsed.append(os.path.basename(path)) or real(path, *a, **k))
    found = xxe(tmp_path, view(DEFAULT), {"uv.lock": lock, "requirements.txt": "LXML==4.9.1\n"})
    assert [f.confidence for f in found] == [Level.HIGH]  # the name in any case
    assert parsed == ["requirements.txt"]


def test_a_requirements_file_including_another_is_read_with_it(tmp_path):
    manifests = {"base.txt": "lxml==4.9.1\n", "requirements.txt": "-r base.txt\nflask==3.0.3\n"}
    assert [f.confidence for f in xxe(tmp_path, view(DEFAULT), manifests)] == [Level.HIGH]


def test_bastion_check_of_a_relative_folder_finds_the_declared_version(tmp_path, monkeypatch, capsys):
    """`bastion check .`: the scan names its files from the working folder (`a.py`)."""
    from bastion.cli.main import main

    (tmp_path / "requirements.txt").write_text(OLD["requirements.txt"])
    (tmp_path / "app.py").write_text(view(DEFAULT))
    monkeypatch.chdir(tmp_path)
    main(["check", "--no-cache", "--format", "json", "--select", "BST211", "."])
    out = capsys.readouterr().out
    assert '"confidence": "high"' in out and "lxml==4.9.1 in requirements.txt" in out


# lxml's ElementTree-compatible parser kept resolve_entities=True as its default until 6.1
# (lxml 6.1.0's changelog, LP#2146291 / CVE-2026-41066), after XMLParser's changed in 5.0
ETCOMPAT = [
    ("PARSER = etree.ETCompatXMLParser()", "root = etree.fromstring(request.get_data(), PARSER)"),
    ("", "root = etree.parse(request.files['doc'], parser=etree.ETCompatXMLParser(no_network=True))"),
    ("", "parser = etree.ETCompatXMLParser()\n    parser.feed(request.get_data())\n    root = parser.close()"),
]


@pytest.mark.parametrize("globals_, body", ETCOMPAT)
@pytest.mark.parametrize("version, reported", [("4.9.1", True), ("5.2.0", True), ("6.0.2", True),
                                               ("6.1.0", False)])
def test_the_etcompat_parser_left_at_its_default_resolved_entities_until_6_1(
        tmp_path, globals_, body, version, reported):
    found = xxe(tmp_path, view(body, globals_=globals_), {"requirements.txt": f"lxml=={version}\n"})
    assert [f.confidence for f in found] == ([Level.HIGH] if reported else [])
    assert not found or "(a sink before lxml 6.1;" in found[0].message


@pytest.mark.parametrize("globals_, body, manifests", [
    ("PARSER = etree.ETCompatXMLParser(resolve_entities=False)",
     "root = etree.fromstring(request.get_data(), PARSER)", OLD),
    ("", "parser = etree.ETCompatXMLParser(resolve_entities='internal')\n"
         "    parser.feed(request.get_data())\n    root = parser.close()", NEW),
    ("PARSER = etree.ETCompatXMLParser(resolve_entities=True)",
     "root = etree.fromstring(request.get_data(), PARSER)", {"requirements.txt": "lxml==6.1.0\n"}),
])
def test_the_etcompat_parser_follows_resolve_entities_when_given(tmp_path, globals_, body, manifests):
    explicit = "resolve_entities=True" in globals_
    found = xxe(tmp_path, view(body, globals_=globals_), manifests)
    assert [f.confidence for f in found] == ([Level.HIGH] if explicit else [])


def test_the_editors_store_names_the_helpers_a_manifest_edit_makes_stale(tmp_path):
    """The editor's store (compute=False) keeps a helper's published summary until told: the
    modules it names for a manifest change (`versioned`) are those naming lxml, and computing
    them again follows the new pin."""
    (tmp_path / "xmlutil.py").write_text(f"{LXML}\n\n\ndef load(data):\n    return etree.fromstring(data)\n")
    (tmp_path / "plain.py").write_text("def add(a, b):\n    return a + b\n")
    source = view("root = load(request.get_data())", imports="from xmlutil import load\nfrom plain import add")
    app = str(tmp_path / "app.py")
    (tmp_path / "requirements.txt").write_text("lxml==4.9.1\n")
    analyzer = TaintAnalyzer()
    store = analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version,
                                              compute=False)

    def confidences() -> list[Level]:
        store.prepare(source, app)
        return [f.confidence for f in analyzer.analyse_file(source, app) if f.rule_id == "BST211"]

    assert confidences() == [Level.HIGH]
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("lxml==5.2.0\n")
    stamp = requirements.stat().st_mtime_ns + 2_000_000_000
    os.utime(requirements, ns=(stamp, stamp))
    assert confidences() == [Level.HIGH]  # the published summary, until the editor tells
    assert store.versioned() == [os.path.realpath(tmp_path / "xmlutil.py")]
    for path in store.versioned():
        store.changed(path)
    assert confidences() == []


def test_an_included_requirements_file_edited_alone_changes_the_result_and_the_key(tmp_path):
    (tmp_path / "requirements.txt").write_text("-r base.txt\nflask==3.0.3\n")
    base = tmp_path / "base.txt"
    base.write_text("lxml==4.9.1\n")
    source, module = view(DEFAULT), str(tmp_path / "app.py")
    analyzer = TaintAnalyzer()
    key = analyzer.dependency_key(source, module)
    found = [f for f in analyzer.analyse_file(source, module) if f.rule_id == "BST211"]
    assert [f.confidence for f in found] == [Level.HIGH]
    base.write_text("lxml==5.2.0\n")
    stamp = base.stat().st_mtime_ns + 2_000_000_000
    os.utime(base, ns=(stamp, stamp))
    assert analyzer.dependency_key(source, module) != key
    assert [f for f in analyzer.analyse_file(source, module) if f.rule_id == "BST211"] == []

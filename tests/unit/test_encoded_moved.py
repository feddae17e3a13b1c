"""lsp/encoded.py: a finding that only moved to other lines (lines inserted or deleted above it,
as in a large manifest) is published from the diagnostic of one that differs from it only in
its lines; what is published must be, byte for byte, every finding converted afresh. Random
edits of a requirements file (repeated pins, continuations, typos, non-ASCII text), each
analysed and published through one memo."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.protocol import default_converter
from pygls.workspace.position_codec import PositionCodec
from tests.hypothesis_budget import examples

from bastion.config import Config
from bastion.engine.registry import create_engine
from bastion.lsp.convert import shown_findings, to_diagnostic, trailing_diagnostics
from bastion.lsp.documents import Document
from bastion.lsp.encoded import DiagnosticMemo, EncodedDiagnostics, encode, publish_message

PATH = "/project/requirements.txt"
URI = "file:///project/requirements.txt"
PIECES = ["django==3.2.5", "requests==2.19.0", "reqeusts==2.31.0", "jinja2>=2.10,<4",
          "django>=3.2 \\", "    ,<3.3", "flask", "é # café", "pyyaml==5.3.1  # é",
          "urllib3==1.26.4 \\", "  --hash=sha256:ab", ""]
CONVERTER = default_converter()
ENGINE = create_engine(disk_cache=False)

# An edit: lines inserted at a place (a fraction of the document) or deleted there.
edits = st.tuples(st.floats(0, 1), st.integers(0, 3), st.lists(st.sampled_from(PIECES), max_size=3))


def _fresh(analysis, doc, codec, config, version) -> list[types.Diagnostic]:
    return [*(to_diagnostic(f, doc, codec, config, version) for f in shown_findings(analysis.findings)),
            *trailing_diagnostics(analysis, doc, codec, version)]


def _pygls_json(diagnostics, version) -> str:
    return json.dumps(types.PublishDiagnosticsNotification(
        params=types.PublishDiagnosticsParams(uri=URI, diagnostics=diagnostics, version=version)),
        default=CONVERTER.unstructure)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.lists(st.sampled_from(PIECES), min_size=1, max_size=30),
       steps=st.lists(edits, min_size=1, max_size=6),
       encoding=st.sampled_from([types.PositionEncodingKind.Utf16, types.PositionEncodingKind.Utf8]))
def test_moved_findings_publish_the_fresh_conversion(start, steps, encoding):
    codec, config = PositionCodec(encoding), Config()
    lines = list(start)
    memo = DiagnosticMemo(CONVERTER)
    for version, (where, deleted, inserted) in enumerate([(0.0, 0, []), *steps], start=1):
        at = int(where * len(lines))
        lines[at:at + deleted] = inserted
        doc = Document.from_text(URI, version, "\n".join(lines) + "\n")
        analysis = ENGINE.analyse(doc.text, PATH, config)
        encoded = EncodedDiagnostics(version, tuple(memo.result(analysis, (), (), doc, codec, config,
                                                                version)))
        fresh = _fresh(analysis, doc, codec, config, version)
        assert encoded.items() == fresh
        assert publish_message(URI, encoded, CONVERTER) == _pygls_json(fresh, version)


def test_a_finding_moved_down_is_not_converted_again(monkeypatch):
    """The keystroke that inserts a line above the findings converts none of them."""
    from bastion.lsp import encoded as module

    codec, config = PositionCodec(types.PositionEncodingKind.Utf16), Config()
    memo = DiagnosticMemo(CONVERTER)
    text = "".join(f"django==3.2.{n % 3 + 3}\nflask\n" for n in range(20))
    converted: list = []
    monkeypatch.setattr(module, "encode", lambda d, c: converted.append(d) or encode(d, c))
    for version, body in enumerate([text, "\n" + text], start=1):
        doc = Document.from_text(URI, version, body)
        analysis = ENGINE.analyse(doc.text, PATH, config)
        converted.clear()
        encoded = memo.result(analysis, (), (), doc, codec, config, version)
        assert [e.at(version) for e in encoded] == _fresh(analysis, doc, codec, config, version)
    assert len(analysis.findings) == 20 and converted == []



def test_the_key_of_a_moved_finding_has_every_field_but_its_place():
    """`encoded._unplaced` names each field of a finding but `span` (its columns and line count
    are in the key) and `lines`: a field added to Finding must be added there, or to this list
    if no diagnostic shows it."""
    import attrs

    from bastion.model import Finding

    assert [field.name for field in attrs.fields(Finding)] == [
        "rule_id", "name", "severity", "confidence", "cwe", "message", "span", "source", "lines",
        "suppressed_by", "steps", "retracted"]

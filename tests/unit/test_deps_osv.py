"""OSV evaluation rules, the index's validation, and matching real packages from the shipped
PyPA snapshot: each vulnerable case has a safe twin."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from bastion.deps import fix, index, locks, match, osv, requirements_txt, store
from bastion.deps.location import shipped_index_path
from bastion.deps.osv_source import build_index
from bastion.model import Level

V = Version
SNAPSHOTS = [Path(__file__).resolve().parents[3] / "shared" / "data",
             Path(__file__).resolve().parents[4] / "shared" / "data"]
SNAPSHOT = next((p / "pypa-advisory-database-2024-10-10.tar.gz" for p in SNAPSHOTS
                 if (p / "pypa-advisory-database-2024-10-10.tar.gz").is_file()), None)


@pytest.fixture(scope="module")
def shipped():
    return store.load(shipped_index_path())


def covers(events, version):
    return any(i.contains(V(version)) for i in osv.range_intervals(events))


def test_introduced_fixed():
    events = [("introduced", V("2.3.0")), ("fixed", V("2.31.0"))]
    assert covers(events, "2.3.0") and covers(events, "2.30.9")
    assert covers(events, "2.31.0rc1")  # a pre-release of the fix is still before it
    assert not covers(events, "2.31.0") and not covers(events, "2.2.9")


def test_introduced_zero_and_last_affected():
    events = [("introduced", None), ("last_affected", V("1.5"))]
    assert covers(events, "0.1") and covers(events, "1.5") and not covers(events, "1.5.1")


def test_several_intervals_in_one_range():
    events = [("introduced", V("1.0")), ("fixed", V("1.2")), ("introduced", V("2.0")),
              ("fixed", V("2.1"))]
    assert covers(events, "1.1") and not covers(events, "1.5") and covers(events, "2.0.5")


def test_limit_caps_the_range():
    events = [("introduced", None), ("limit", V("1.4"))]
    assert covers(events, "1.3.9") and not covers(events, "1.4")
    assert covers([("introduced", None), ("limit", None)], "99")


def test_specifier_ranges():
    affected = osv.range_intervals([("introduced", V("2.3.0")), ("fixed", V("2.31.0"))])

    def check(spec, pre=False):
        allowed = osv.specifier_intervals(SpecifierSet(spec))
        return osv.admits(allowed, affected, pre), osv.all_affected(allowed, affected, pre)
    assert check(">=2.0") == (True, False)
    assert check(">=2.5,<2.20") == (True, True)
    assert check("~=2.30.0") == (True, True)
    assert check(">=2.31") == (False, False)
    assert check("==2.30.*") == (True, True)
    assert check("!=2.5,<2.31") == (True, False)
    # Only pre-releases of 2.31.0 lie in the intersection: not admitted unless asked for.
    assert check(">=2.31.0rc1") == (False, False)
    assert check(">=2.31.0rc1", pre=True) == (True, False)


def test_shipped_index_loads_and_counts(shipped):
    assert shipped.advisory_count == 2651
    assert len(shipped.packages) == 660
    assert shipped.created.year == 2024 and "PyPA" in shipped.source
    assert "CC-BY-4.0" in shipped.attribution


def hits(shipped, name, version):
    return {a.advisory.id for a in shipped.affected(name) if a.affects(V(version))}


def test_real_advisories(shipped):
    assert hits(shipped, "requests", "2.19.0") == {"PYSEC-2018-28", "PYSEC-2023-74"}
    assert hits(shipped, "requests", "2.31.0") == set()
    assert "PYSEC-2019-217" in hits(shipped, "Jinja2", "2.10")
    assert hits(shipped, "jinja2", "2.11.3") == set()


def test_withdrawn_advisories_are_dropped(shipped):
    ids = {a.advisory.id for affected in shipped.packages.values() for a in affected}
    assert len(ids) == shipped.advisory_count


def deps(text):
    return requirements_txt.parse(text)[1].dependencies


def test_pin_finding_with_aliases_and_fix(shipped):
    (finding,) = match.findings(deps("requests==2.19.0\n"), shipped)
    assert finding.rule_id == "BST401" and finding.confidence == Level.HIGH
    assert "PYSEC-2018-28" in finding.message and "CVE-2018-18074" in finding.message
    assert "GHSA-x84v-xcm2-53pg" in finding.message and "2.31.0" in finding.message
    assert (finding.span.start_col, finding.span.end_col) == (8, 16)
    assert match.findings(deps("requests==2.31.0\n"), shipped) == []


def test_severity_from_cvss(shipped):
    (high,) = match.findings(deps("urllib3==1.26.16\n"), shipped)
    assert high.severity == Level.HIGH  # PYSEC-2023-192 (CVE-2023-43804): CVSS 8.1
    assert "PYSEC-2023-192" in high.message.split(":")[1] and "high 8.1" in high.message
    (medium,) = match.findings(deps("urllib3==1.26.17\n"), shipped)
    assert medium.severity == Level.MEDIUM  # only PYSEC-2023-212 (CVSS 4.2) is left
    assert match.findings(deps("urllib3==2.2.3\n"), shipped) == []


def test_range_every_version_affected_and_some(shipped):
    every, some = match.findings(deps("jinja2<2.10\nrequests>=2.0\n"), shipped)
    assert every.rule_id == some.rule_id == "BST402"
    assert every.severity >= Level.MEDIUM and "every version" in every.message
    assert some.severity == Level.LOW and "allows versions affected" in some.message
    assert match.findings(deps("jinja2>=3.1.4\nrequests>=2.32.0\n"), shipped) == []


def test_typosquat_and_its_twin():
    (finding,) = match.findings(deps("reqeusts==1.0\n"), None)
    assert finding.rule_id == "BST403" and "`requests`" in finding.message
    assert match.findings(deps("requests==2.32.3\nsix\nattrs\ncattrs\n"), None) == []
    (urlib,) = match.findings(deps("urlib3\n"), None)
    assert "`urllib3`" in urlib.message


def test_smallest_safe_skips_versions_another_advisory_affects(shipped):
    affected = shipped.affected("django")
    safe = match.smallest_safe(shipped, "Django", V("3.2.5"))
    assert safe == V("3.2.25")
    assert not any(a.affects(safe) for a in affected)


def test_bump_keeps_comments_markers_and_extras(shipped):
    text = "requests[socks]==2.19.0 ; python_version>'3' --hash=sha256:ab  # http\n"
    bump = fix.bump("/w/requirements.txt", text, 0, 17, shipped)
    assert bump.new_text == "2.31.0" and "regenerate the --hash" in bump.title
    line = text[:bump.span.start_col] + bump.new_text + text[bump.span.end_col:]
    assert line == "requests[socks]==2.31.0 ; python_version>'3' --hash=sha256:ab  # http\n"
    assert match.findings(deps(line), shipped) == []


def test_no_bump_for_locks(shipped):
    text = '[[package]]\nname = "requests"\nversion = "2.19.0"\n'
    assert fix.bump("/w/uv.lock", text, 2, 12, shipped) is None
    (finding,) = match.findings(locks.parse("uv.lock", text).dependencies, shipped)
    assert "uv lock --upgrade-package requests" in finding.message


def corrupt(raw: dict) -> bytes:
    return gzip.compress(json.dumps(raw).encode())


@pytest.mark.parametrize("damage", [
    lambda raw: raw.update(format="other"),
    lambda raw: raw.update(schema=99),
    lambda raw: raw["advisories"][0].__setitem__(1, [5]),
    lambda raw: raw["advisories"][0].__setitem__(3, "catastrophic"),
    lambda raw: raw["packages"]["requests"][0].__setitem__(0, 10**9),
    lambda raw: raw["packages"]["requests"][0][1][0].append(["fixed", "not a version"]),
    lambda raw: raw["packages"]["requests"][0][1][0].append(["patched", "1.0"]),
    lambda raw: raw.update(packages={"Not_Normalised": []}),
    lambda raw: raw.update(created="yesterday"),
])
def test_a_corrupted_index_is_refused_clearly(damage):
    raw = json.loads(gzip.decompress(shipped_index_path().read_bytes()))
    damage(raw)
    with pytest.raises(index.InvalidIndex):
        index.loads(corrupt(raw))


@pytest.mark.parametrize("data", [b"", b"not gzip", gzip.compress(b"{not json", mtime=0),
                                  gzip.compress(b"[]", mtime=0)])
def test_garbage_is_refused(data):
    with pytest.raises(index.InvalidIndex):
        index.loads(data)


@pytest.mark.slow
@pytest.mark.skipif(SNAPSHOT is None, reason="the PyPA snapshot (../shared/data) is not here")
def test_shipped_index_is_rebuilt_from_the_snapshot():
    import importlib.util
    script = Path(__file__).resolve().parents[2] / "scripts" / "build_advisory_index.py"
    spec = importlib.util.spec_from_file_location("build_advisory_index", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rebuilt, _ = build_index(str(SNAPSHOT), module.SOURCE)
    shipped = json.loads(gzip.decompress(shipped_index_path().read_bytes()))
    assert rebuilt == shipped

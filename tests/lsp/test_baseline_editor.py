"""The editor reads the project's baseline like `bastion check`: baselined findings are hints
(`baseline_mode = "hint"`, the default) or hidden ("hide"); new findings stay as they are.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lsprotocol import types

from .conftest import change_document, codes, diagnostics_for, open_document

ROOT = Path(__file__).resolve().parents[2]
APP = "import subprocess\n\n\ndef run(cmd):\n    return subprocess.call(cmd, shell=True)\n"


def create_baseline(folder: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "server")}
    proc = subprocess.run([sys.executable, "-m", "bastion", "baseline", "create"], cwd=folder,
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr


def split(diagnostics):
    hints = sorted(str(d.code) for d in diagnostics if d.severity == types.DiagnosticSeverity.Hint
                   and (d.data or {}).get("baselined"))
    others = sorted(str(d.code) for d in diagnostics if not (d.data or {}).get("baselined"))
    return others, hints


async def test_baselined_findings_are_hints_and_new_ones_are_not(client):
    (client.workspace / "pyproject.toml").write_text('[project]\nname = "t"\n')
    (client.workspace / "app.py").write_text(APP)
    create_baseline(client.workspace)
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, APP)
    assert split(await diagnostics_for(client, uri, 1)) == ([], ["B404", "B602"])
    # a new finding, typed above: the old ones stay hints (fingerprints do not use lines)
    change_document(client, uri, 2, (0, 0), (0, 0), "eval(x)\n")
    assert split(await diagnostics_for(client, uri, 2)) == (["B307"], ["B404", "B602"])


async def test_hide_mode(client):
    (client.workspace / "pyproject.toml").write_text(
        '[project]\nname = "t"\n\n[tool.bastion]\nbaseline_mode = "hide"\n')
    (client.workspace / "app.py").write_text(APP)
    create_baseline(client.workspace)
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, APP + "eval(x)\n")
    assert codes(await diagnostics_for(client, uri, 1)) == ["B307"]


def errors_shown(client) -> list[str]:
    return [m.message for m in client.messages if m.type == types.MessageType.Error]


async def test_a_broken_baseline_is_said_once_and_hides_nothing(client):
    """It used to be dropped silently: the old findings came back with no word of why."""
    (client.workspace / "pyproject.toml").write_text(
        '[project]\nname = "t"\n\n[tool.bastion]\nbaseline_mode = "hide"\n')
    (client.workspace / "app.py").write_text(APP)
    create_baseline(client.workspace)
    baseline = client.workspace / ".bastion-baseline.json"
    baseline.write_text(baseline.read_text().replace('"line": 5', '"line": 1e999'))
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, APP)
    assert split(await diagnostics_for(client, uri, 1)) == (["B404", "B602"], [])
    change_document(client, uri, 2, (0, 0), (0, 0), "eval(x)\n")
    assert split(await diagnostics_for(client, uri, 2)) == (["B307", "B404", "B602"], [])
    shown = errors_shown(client)
    assert len(shown) == 1, shown
    assert f"{baseline}: findings[" in shown[0] and ".line must be an integer" in shown[0]


async def test_a_fifo_baseline_does_not_stall_the_server(client):
    """`[tool.bastion] baseline` naming a FIFO blocked the analysis thread for good, and the
    server then ignored shutdown; now the file is refused unread and said so."""
    (client.workspace / "pyproject.toml").write_text(
        '[project]\nname = "t"\n\n[tool.bastion]\nbaseline = "fifo.json"\n')
    os.mkfifo(client.workspace / "fifo.json")
    uri = (client.workspace / "app.py").as_uri()
    open_document(client, uri, APP)
    assert split(await diagnostics_for(client, uri, 1)) == (["B404", "B602"], [])
    shown = errors_shown(client)
    assert len(shown) == 1 and "fifo.json" in shown[0], shown
    assert "not a regular file (FIFO)" in shown[0]

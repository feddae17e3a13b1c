"""The command line's help and usage follow the terminal's width (COLUMNS), though its parsers
are built with formatters given a width (cli/main.py's _Parser: no shutil imported to build
them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SERVER = Path(__file__).resolve().parents[2] / "server"


def _output(columns: int, *args: str) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "PYTHONPATH": str(SERVER)}
    done = subprocess.run([sys.executable, "-m", "bastion", *args], capture_output=True, text=True,
                          env=env, timeout=120)
    return done.stdout + done.stderr


@pytest.mark.parametrize("args", [("check", "--help"), ("--help",), ("check", "--no-such-option"),
                                  ("baseline", "create", "--help")])
def test_help_and_usage_are_wrapped_to_the_terminal_width(args):
    narrow, wide = _output(50, *args), _output(200, *args)
    assert "usage: bastion" in narrow and "usage: bastion" in wide
    assert len(narrow.splitlines()) > len(wide.splitlines())
    assert "".join(narrow.split()) == "".join(wide.split())  # the same text, wrapped differently

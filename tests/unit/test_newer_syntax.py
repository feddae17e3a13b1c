"""A file written for a newer Python than Bastion runs on gets one message naming the version to
use, in every output of `bastion check` (issue 14, item 5) -- never only "lines do not parse"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.unit.test_cli_check import bastion, project

from bastion.engine.splitter import split_document
from bastion.engine.syntax_version import newer_syntax, newer_syntax_in

# (version the construct needs, source using it); each also has a finding on its last line.
SAMPLES = [
    ((3, 11), "import os\ntry:\n    pass\nexcept* ValueError:\n    pass\nos.system(cmd)\n"),
    ((3, 12), "import os\ntype Command = str\nos.system(cmd)\n"),
    ((3, 12), "import os\ndef run[T](cmd: T) -> T:\n    return cmd\nos.system(cmd)\n"),
    ((3, 12), 'import os\nx = f"{"a"}"\nos.system(x)\n'),
    ((3, 12), 'import os\nx = f"{"\\n".join(parts)}"\nos.system(x)\n'),
    ((3, 13), "import os\ndef run[T = str](cmd: T) -> T:\n    return cmd\nos.system(cmd)\n"),
]
HERE = sys.version_info[:2]
NEWER = [(need, text) for need, text in SAMPLES if need > HERE]


@pytest.mark.parametrize(("need", "text"), SAMPLES)
def test_version_needed_by_each_construct(need, text):
    assert newer_syntax(text) == (need if need > HERE else None)


@pytest.mark.parametrize(("need", "text"), SAMPLES + [
    ((3, 12), "class Jobs:\n    type Command = str\n    def run[T](self, cmd: T) -> T:\n"
              "        return cmd\n"),
    ((3, 12), "def outer():\n    type Command = str\n    return 1\n"),
])
def test_the_editor_finds_the_version_from_the_ranges_that_do_not_parse(need, text):
    """The editor parses only the ranges that do not parse here (headers split from their
    bodies, indented members), not the whole document."""
    lines = text.split("\n")
    found = newer_syntax_in(lines, split_document(text).broken)
    if need <= HERE:
        assert found == []
    else:
        assert found and {version for _, _, version in found} == {need}


@pytest.mark.parametrize("text", [
    "def f(:\n    pass\n",      # a plain syntax error claims no version
    "1 = x\n",
    "x = (\n",
    "import os\nos.system(cmd)\n",  # parses: nothing to say
])
def test_no_version_claimed_for_ordinary_errors(text):
    assert newer_syntax(text) is None


@pytest.mark.skipif(not NEWER, reason=f"no syntax newer than Python {HERE[0]}.{HERE[1]} is known")
def test_check_names_the_interpreter_to_use(tmp_path):
    need, text = NEWER[-1]
    want, here = "{}.{}".format(*need), "{}.{}".format(*HERE)
    proj = project(tmp_path, {"new.py": text, "typo.py": "def f(:\n    pass\n"})
    run = bastion("check", "--no-cache", ".", cwd=proj)
    message = (f"new.py: error: this file uses Python {want} syntax; Bastion runs on Python {here}: "
               f"run it with Python >= {want} to analyse it")
    assert run.stdout.count(message) == 1, run.stdout
    assert "new.py: error: lines" not in run.stdout  # one message, not one per broken range
    assert "typo.py: error: lines 1-1 do not parse" in run.stdout
    assert run.returncode != 0
    report = json.loads(bastion("check", "--no-cache", "--format", "json", ".", cwd=proj).stdout)
    errors = {e["path"]: e["message"] for e in report["errors"]}
    assert f"Python >= {want}" in errors["new.py"]
    # The cache holds the analysis, not the message: a warm run says the same.
    bastion("check", ".", cwd=proj)
    assert message in bastion("check", ".", cwd=proj).stdout


def test_the_users_invalid_escape_sequences_are_not_printed(tmp_path):
    # "\d" outside a raw string: SyntaxWarning on 3.12+, DeprecationWarning before (-W shows it)
    proj = project(tmp_path, {"esc.py": 'import os\nimport re\nx = re.compile("\\d+")\nos.system(cmd)\n'})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(Path(__file__).resolve().parents[2] / "server"), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-W", "always", "-m", "bastion", "check", "--no-cache", "--jobs",
                          "1", "."], cwd=proj, env=env, capture_output=True, text=True, timeout=120)
    assert "B605" in run.stdout
    assert "invalid escape sequence" not in run.stdout + run.stderr

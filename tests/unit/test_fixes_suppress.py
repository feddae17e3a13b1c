"""The suppress action's edit: on a line bandit reads, merged into an existing nosec comment, never
inside a string or after a line continuation. Checked by re-analysing the edited text."""

from __future__ import annotations

import pytest

from bastion.engine.suppress_edit import suppress_edit
from bastion.fixes.testing import CONFIG, engine

CASES = {
    "one line": "import subprocess\nsubprocess.call('ls', shell=True)\n",
    "multi-line call": "import subprocess\nsubprocess.call(\n    'ls',\n    shell=True,\n)\n",
    "string spans lines": 'import subprocess\nsubprocess.call("""ls\n-l""", shell=True)\n',
    "backslash": "import subprocess\nsubprocess.call('ls', \\\n    shell=True)\n",
    "nested in def": ("import subprocess\n\n\ndef f(c):\n    return subprocess.call(\n"
                      "        c, shell=True)\n"),
    "existing nosec": "import subprocess\nsubprocess.call('ls', shell=True)  # nosec B607\n",
    "non-ascii": "import subprocess\nx = 'é🔑'; subprocess.call(x, shell=True)\n",
}


def _apply(text: str, edit) -> str:
    lines = text.split("\n")
    line = lines[edit.line]
    lines[edit.line] = line[:edit.start] + edit.text + line[edit.end:]
    return "\n".join(lines)


@pytest.mark.parametrize("name", list(CASES))
def test_suppress_silences_exactly_the_finding(name):
    text = CASES[name]
    before = engine().analyse(text, "t.py", CONFIG)
    target = next(f for f in before.findings if f.rule_id == "B602")
    edit = suppress_edit(target, text.split("\n"), before.directives)
    assert edit is not None
    new = _apply(text, edit)
    compile(new, "t.py", "exec")  # still parses: no comment inside a string or after a "\"
    after = engine().analyse(new, "t.py", CONFIG)
    assert "B602" not in {f.rule_id for f in after.findings}
    assert "B602" in {f.rule_id for f in after.suppressed}
    others = sorted(f.rule_id for f in before.findings if f.rule_id != "B602")
    assert sorted(f.rule_id for f in after.findings) == others  # nothing else silenced
    if name == "existing nosec":
        assert new.endswith("# nosec B607, B602\n")
    else:
        assert new.count("# nosec B602") == 1

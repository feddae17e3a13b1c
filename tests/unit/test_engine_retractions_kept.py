"""The last judged text's retracted findings are taken again for the same finding and reason
(analyzer_calls.Retractions): a keystroke does not make the unedited units' retractions anew,
and the findings after a run of keys are a fresh engine's."""

from __future__ import annotations

import attrs

from bastion.config import Config
from bastion.engine.analyzer_calls import Retractions, judged
from bastion.engine.registry import create_engine
from bastion.model import Finding, Level, Span

EXACT = Config(bandit_exact=True)  # retracted findings shown, their reason with them


class _Judge:
    """An analyzer that retracts the first finding it is shown, for `reason`."""

    id = "judge"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def retract(self, text, path, findings):
        return {0: self.reason}


def _finding(line: int) -> Finding:
    return Finding("B605", "start_process_with_a_shell", Level.HIGH, Level.HIGH, 78, "a shell",
                   Span(line, 4, line, 20), "bandit", (line,))


def test_the_same_finding_and_reason_give_the_last_retraction():
    kept = Retractions()
    finding = _finding(2)
    first = judged([_Judge("constant")], "", "a.py", [finding], [], kept)[0]
    again = judged([_Judge("constant")], "", "a.py", [finding], [], kept)[0]
    assert again is first and first == attrs.evolve(finding, retracted="constant")
    other = judged([_Judge("sanitized")], "", "a.py", [finding], [], kept)[0]
    assert other == attrs.evolve(finding, retracted="sanitized")
    moved = _finding(3)  # an equal finding at another line: another object, made anew
    assert judged([_Judge("sanitized")], "", "a.py", [moved], [], kept)[0] == \
        attrs.evolve(moved, retracted="sanitized")


def test_retractions_after_a_run_of_keys_are_a_fresh_engines():
    text = "import os\n\ndef f():\n    os.system('ls')\n\n\ndef g(x):\n    os.system(x)\n"
    engine = create_engine()
    engine.analyse(text, "a.py", EXACT)
    for typed in ("os.system(x + ", "os.system(x + 'a')", "os.system('pwd')", "os.system(x)"):
        text = text.replace(text.splitlines()[-1], f"    {typed}")
        warm = engine.analyse(text, "a.py", EXACT).findings
        assert warm == create_engine().analyse(text, "a.py", EXACT).findings, text
        assert any(f.retracted for f in warm)

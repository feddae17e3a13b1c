import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

import os  # noqa: E402
import tempfile  # noqa: E402

# Servers and scans started by the tests keep their result cache out of the user's cache folder.
os.environ.setdefault("BASTION_CACHE_DIR", tempfile.mkdtemp(prefix="bastion-test-cache-"))


def pytest_terminal_summary(terminalreporter):
    """Issue 13 item 2: how many lessons executed their attack end to end in this run."""
    attacks = sys.modules.get("test_lesson_attacks")
    if attacks is None:
        return
    passed = [report.nodeid for report in terminalreporter.stats.get("passed", [])]
    terminalreporter.write_sep("-", "lesson attack coverage")
    for line in attacks.coverage_lines(passed):
        terminalreporter.write_line(line)

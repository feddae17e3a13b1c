import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

import atexit  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

# Servers and scans started by the tests keep their result cache out of the user's cache folder,
# in a folder of this run's own that goes when the run ends (each run left ~1 MB in /tmp before).
if "BASTION_CACHE_DIR" not in os.environ:
    _run_cache = tempfile.mkdtemp(prefix="bastion-test-cache-")
    os.environ["BASTION_CACHE_DIR"] = _run_cache
    atexit.register(shutil.rmtree, _run_cache, ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    """Issue 13 item 2: how many lessons executed their attack end to end in this run."""
    attacks = sys.modules.get("test_lesson_attacks")
    if attacks is None:
        return
    passed = [report.nodeid for report in terminalreporter.stats.get("passed", [])]
    terminalreporter.write_sep("-", "lesson attack coverage")
    for line in attacks.coverage_lines(passed):
        terminalreporter.write_line(line)

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

import atexit  # noqa: E402
import importlib.util  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

import tests.hypothesis_budget  # noqa: E402, F401  (its profile, for the tests that name no count)

# Servers and scans started by the tests keep their result cache out of the user's cache folder,
# in a folder of this run's own that goes when the run ends (each run left ~1 MB in /tmp before).
if "BASTION_CACHE_DIR" not in os.environ:
    _run_cache = tempfile.mkdtemp(prefix="bastion-test-cache-")
    os.environ["BASTION_CACHE_DIR"] = _run_cache
    atexit.register(shutil.rmtree, _run_cache, ignore_errors=True)


def pytest_terminal_summary(terminalreporter):
    """Issue 13 item 2: how many lessons executed their attack end to end in this run."""
    passed = [report.nodeid for report in terminalreporter.stats.get("passed", [])]
    attacks = sys.modules.get("test_lesson_attacks")
    if attacks is None and any("test_lesson_attacks.py::" in node_id for node_id in passed):
        # under pytest-xdist the tests ran in workers: this process has not imported the module
        attacks = _module(ROOT / "tests" / "unit" / "test_lesson_attacks.py")
    if attacks is None:
        return
    terminalreporter.write_sep("-", "lesson attack coverage")
    for line in attacks.coverage_lines(passed):
        terminalreporter.write_line(line)


def _module(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

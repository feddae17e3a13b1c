import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

import os  # noqa: E402
import tempfile  # noqa: E402

# Servers and scans started by the tests keep their result cache out of the user's cache folder.
os.environ.setdefault("BASTION_CACHE_DIR", tempfile.mkdtemp(prefix="bastion-test-cache-"))

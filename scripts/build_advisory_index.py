"""Build the advisory index shipped in the wheel from the PyPA advisory database snapshot.

    python scripts/build_advisory_index.py [ARCHIVE] [--out PATH] [--source TEXT]

ARCHIVE defaults to ../shared/data/pypa-advisory-database-2024-10-10.tar.gz (beside the
repository); any OSV source `bastion db import` takes works (all.zip, a folder). The output is
committed (server/bastion/deps/data/advisories.json.gz) because a clean clone has no snapshot
to build from; tests/unit/test_deps_index.py rebuilds it when the snapshot is there and compares.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "server"))

from bastion.deps.index import dumps  # noqa: E402
from bastion.deps.osv_source import build_index  # noqa: E402

# shared/ sits beside the clone (or beside the folder of worktrees).
SNAPSHOTS = [folder / "shared" / "data" / "pypa-advisory-database-2024-10-10.tar.gz"
             for folder in (REPO.parent, REPO.parent.parent)]
SNAPSHOT = next((path for path in SNAPSHOTS if path.is_file()), SNAPSHOTS[0])
SOURCE = "PyPA advisory database, commit 3ccb6125 (2024-10-10)"
OUT = REPO / "server" / "bastion" / "deps" / "data" / "advisories.json.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("archive", nargs="?", default=str(SNAPSHOT))
    parser.add_argument("--out", default=str(OUT))
    parser.add_argument("--source", default=SOURCE)
    args = parser.parse_args(argv)
    index, counts = build_index(args.archive, args.source)
    Path(args.out).write_bytes(dumps(index))
    print(f"{args.out}: {counts['advisories']} advisories on {counts['packages']} packages "
          f"({counts['withdrawn']} withdrawn and {counts['skipped']} unreadable records dropped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Where the advisory index in use lives: the file `bastion db import/update` writes in the user's
private data folder (BASTION_DATA_DIR overrides the folder), else the copy shipped in the wheel.
Kept apart from the index's parser (store.py, index.py) so that the result cache can read the
file's identity without importing it (analyzers/versions.py)."""

from __future__ import annotations

import os
from pathlib import Path

SCHEMA = 1  # of the index file (index.py); a new schema is a new file name
FILE_NAME = f"advisories-v{SCHEMA}.json.gz"


def data_dir() -> Path:
    folder = os.environ.get("BASTION_DATA_DIR")
    if folder:
        return Path(folder)
    from bastion.user_dirs import user_data_dir

    return Path(user_data_dir())


def user_index_path() -> Path:
    return data_dir() / FILE_NAME


def shipped_index_path() -> Path:
    # From this file's place, not importlib.resources: see catalog/paths.py.
    return Path(__file__).parent / "data" / "advisories.json.gz"


def current_path() -> Path:
    user = user_index_path()
    return user if os.path.lexists(user) else shipped_index_path()

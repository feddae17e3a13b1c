"""Bastion: a security language server for Python."""

import os
import sys

# `python -m bastion` puts the working directory first on sys.path, and editors start the server
# in the workspace folder: a workspace file named json.py, attrs.py, pygls.py … would be imported
# (run) instead of the real module. Drop that entry before anything else is imported. (Modules
# Python imports before this package — runpy's — are only kept off by -P or a safe working
# directory, which the VS Code extension uses.) os and sys are loaded before the entry is added.
if sys.argv[:1] == ["-m"] and not getattr(sys.flags, "safe_path", False) and sys.path and \
        os.path.realpath(sys.path[0] or os.curdir) == os.path.realpath(os.getcwd()):
    del sys.path[0]

__version__ = "0.1.0"

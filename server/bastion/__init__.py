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

import warnings  # noqa: E402  (after the entry is dropped: Python 3.13 imports it lazily)

# The user's code is parsed from strings (file name "<unknown>"): its invalid escape sequences
# ("\d" outside a raw string: SyntaxWarning from Python 3.12, DeprecationWarning before) are not
# Bastion's to print, on the terminal of `bastion check` or the server's stderr.
for _category in (SyntaxWarning, DeprecationWarning):
    warnings.filterwarnings("ignore", category=_category, module="<unknown>")
del _category

__version__ = "0.1.0"

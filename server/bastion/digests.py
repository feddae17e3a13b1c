"""The two hashes Bastion computes (blake2b for its cache keys and identities, sha256 for the
baseline's fingerprints), without hashlib's OpenSSL module.

A scan served from the result cache hashes little, but `import hashlib` loads `_hashlib`, the
OpenSSL binding, some 5-9 ms of every start. hashlib's own blake2b is `_blake2.blake2b` (it
prefers the built-in one), and CPython's built-in sha256 (`_sha256`, `_sha2` from 3.12) gives
the same digests as OpenSSL's: the standard fixes them (tests/unit/test_digests.py). A Python
built without either module gets hashlib's.
"""

from __future__ import annotations

import sys

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a build without the module
    from hashlib import blake2b

# Named by version: a failed import looks through every folder of sys.path (~1 ms).
try:
    if sys.version_info >= (3, 12):  # pragma: no cover - the tests run 3.10 and 3.11
        from _sha2 import sha256
    else:
        from _sha256 import sha256
except ImportError:  # pragma: no cover - a build without the module
    from hashlib import sha256

__all__ = ["blake2b", "sha256"]

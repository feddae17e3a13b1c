"""bastion/digests.py's blake2b and sha256, taken from CPython's own modules instead of hashlib
(whose OpenSSL module a warm start need not load), give hashlib's digests: every cache key,
baseline fingerprint and stored rule table's key stays what it was."""

from __future__ import annotations

import hashlib
import random

from bastion import digests

_INPUTS = [b"", b"a", b"\0" * 200, "é\u2028 surrogate-free".encode(),
           bytes(random.Random(7).getrandbits(8) for _ in range(5000))]


def test_blake2b_gives_hashlibs_digests_for_every_size_and_update():
    for data in _INPUTS:
        for size in (6, 8, 16, 20, 64):
            ours, theirs = digests.blake2b(digest_size=size), hashlib.blake2b(digest_size=size)
            for part in (data, data[:3], b"\1"):
                ours.update(part)
                theirs.update(part)
            assert ours.hexdigest() == theirs.hexdigest()
            assert digests.blake2b(data, digest_size=size).digest() == \
                hashlib.blake2b(data, digest_size=size).digest()


def test_sha256_gives_hashlibs_digests():
    for data in _INPUTS:
        ours, theirs = digests.sha256(data), hashlib.sha256(data)
        ours.update(b"more")
        theirs.update(b"more")
        assert ours.hexdigest() == theirs.hexdigest()
        assert ours.copy().digest() == theirs.copy().digest()


def test_neither_is_openssls():
    assert digests.blake2b.__module__ == "_blake2"
    assert digests.sha256.__module__ in ("_sha256", "_sha2")

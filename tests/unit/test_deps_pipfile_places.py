"""Pipfile.lock: each package's finding is on its own `"version"` line (issue 15), also for a
package named like an entry's key ("hashes", "version", "markers") or a section, which the
line search used to find on another package's line; generated locks with unique versions say
which line is whose."""

from __future__ import annotations

import json
import random

from packaging.utils import canonicalize_name

from bastion.deps.locks import parse

KEYLIKE = ["hashes", "version", "markers", "index", "default", "develop", "_meta", "extras"]


def _shown(text: str) -> list[tuple[str, str]]:
    """(package, the text its span covers), in the order of the lock."""
    lines = text.split("\n")
    return [(d.name, lines[d.span.start_line][d.span.start_col:d.span.end_col])
            for d in parse("Pipfile.lock", text).dependencies]


def _expected(lock: dict) -> list[tuple[str, str]]:
    return [(canonicalize_name(name), entry["version"][2:])
            for section in ("default", "develop") for name, entry in lock[section].items()]


def test_packages_named_like_entry_keys_are_found_on_their_own_line():
    lock = {"_meta": {"requires": {"default": {"x": {"version": "==9.9"}}}},
            "default": {"aaa": {"hashes": ["sha256:1"], "version": "==1.0"},
                        "hashes": {"version": "==2.0"},
                        "version": {"hashes": [], "index": "pypi", "version": "==3.0"}},
            "develop": {"default": {"version": "==4.0"}}}
    assert _shown(json.dumps(lock, indent=4) + "\n") == _expected(lock)


def test_generated_locks_place_every_package_on_its_version():
    rng = random.Random(15)
    for _round in range(60):
        lock: dict = {"_meta": {"hash": {"sha256": "0"}, "sources": [{"name": "pypi"}]}}
        number = 0
        for section in ("default", "develop"):
            packages = {}
            for _ in range(rng.randint(0, 12)):
                number += 1
                name = rng.choice(KEYLIKE) if rng.random() < 0.5 else f"pkg{number}"
                entry = {"version": f"==1.{number}"}
                if rng.random() < 0.7:
                    entry = {"hashes": [f"sha256:{number}"], "markers": "x", **entry}
                packages[name] = entry
            lock[section] = packages
        text = json.dumps(lock, indent=rng.choice([None, 1, 4])) + "\n"
        assert _shown(text) == _expected(lock), text

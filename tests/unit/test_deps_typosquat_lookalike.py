"""BST403's `lookalike` (issue 15): compared with every popular name of the same first letter,
without a cache; the answer is the first popular name, in sorted order, one edit away (an
insertion, deletion, substitution or swap of neighbours) with the same first letter, for names
made by editing popular ones and for unrelated, short and very long names. Only the popular
names sharing a name's first or last characters are compared (`_halves`): every kind of edit at
every position is tried."""

from __future__ import annotations

import os
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.deps.typosquat import MIN_LENGTH, lookalike, one_edit, popular_names


def _oracle(name: str) -> str | None:
    if len(name) < MIN_LENGTH or name in popular_names():
        return None
    return next((p for p in sorted(popular_names()) if len(p) >= MIN_LENGTH
                 and p[0] == name[0] and one_edit(name, p)), None)


def _edited(rng: random.Random, word: str) -> str:
    i = rng.randrange(len(word))
    letter = rng.choice(string.ascii_lowercase + "-_.0")
    return rng.choice([word[:i] + letter + word[i:], word[:i] + word[i + 1:],
                       word[:i] + letter + word[i + 1:],
                       word[:i] + word[i + 1:i + 2] + word[i:i + 1] + word[i + 2:]])


def test_lookalike_equals_a_search_of_every_popular_name():
    rng = random.Random(403)
    popular = sorted(popular_names())
    names = [_edited(rng, rng.choice(popular)) for _ in range(4000)]
    names += ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(1, 30)))
              for _ in range(2000)]
    names += popular + ["reqeusts", "requests", "x" * 1000, "r" + "e" * 500]
    found = 0
    for name in names:
        assert lookalike(name) == _oracle(name), name
        found += lookalike(name) is not None
    assert found > 1000  # the edited names mostly are lookalikes
    assert lookalike("reqeusts") == "requests"


@settings(max_examples=examples(3000), deadline=None)
@given(st.sampled_from(sorted(popular_names())), st.integers(0, 60), st.sampled_from("abz-_.0"),
       st.integers(0, 3), st.integers(0, 2))
def test_every_edit_at_every_position_finds_what_a_full_search_finds(word, at, letter, kind, times):
    """One edit, or two or three (a name one edit from another popular name, or from none)."""
    name = word
    for _ in range(times + 1):
        i = at % len(name)
        name = [name[:i] + letter + name[i:], name[:i] + name[i + 1:],
                name[:i] + letter + name[i + 1:],
                name[:i] + name[i + 1:i + 2] + name[i:i + 1] + name[i + 2:]][kind] or name
        at, kind = at * 7 + 3, (kind + 1) % 4
    assert lookalike(name) == _oracle(name)


@pytest.mark.skipif(sys.platform == "win32", reason="needs resource limits")
def test_a_very_long_name_is_answered_at_once_in_little_memory():
    """A requirements line may name a 200 KB package: every one-character deletion of it was
    built (200,000 strings of 200,000 characters: 40 GB; the kernel killed `bastion check`).
    Run in a child process with 1 GiB of address space and a deadline, so a regression fails
    instead of taking the machine's memory."""
    code = ("import resource; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30)); "
            "from bastion.deps.typosquat import lookalike; "
            "print(lookalike('ab' * 100_000), lookalike('r' + 'e' * 100_000))")
    server = str(Path(__file__).resolve().parents[2] / "server")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [server, os.environ.get(
        "PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, env=env)
    assert (proc.returncode, proc.stdout) == (0, "None None\n"), proc.stderr[-2000:]

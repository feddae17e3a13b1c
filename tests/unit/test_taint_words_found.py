"""taint/words_found.py: the words a document's next text holds, found around its edit from
where the last text held them, are those a search of the whole text finds (seeded edit
sequences: words typed, cut in two, joined by a deletion, moved by edits before them)."""

from __future__ import annotations

import random

from bastion.analyzers.taint.words_found import words_found

_WORDS = ["lxml", "torch", "ab", "x"]
_PIECES = ["", "l", "x", "ml", "lxml", "tor", "ch", "torch ", "a", "b", "\n"]


def test_words_found_after_edits_are_a_whole_search():
    rng = random.Random(12)
    for _ in range(150):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randrange(0, 30)))
        last, found = None, None
        for _ in range(25):
            now = words_found(text, _WORDS, last, found)
            assert list(now) == [w for w in _WORDS if w in text]
            assert all(text.startswith(word, at) for word, at in now.items())
            last, found = text, now
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(_PIECES) + text[at + rng.choice([0, 0, 1, 2, 4]):]

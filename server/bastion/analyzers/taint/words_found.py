"""Which of a few words (package names) a text holds, found for a document's next text from
where the last one held them: a keystroke changes one stretch (between the texts' common start
and end, `common_ends`), so a word held outside it is still held, shifted, and a word the last
text lacked can only be new where it overlaps the stretch. Searching _pydecimal.py (230 kB) for
the two packages the models ask about cost 0.2 ms a keystroke; a text that shares little with
the last one is searched whole.
"""

from __future__ import annotations

from collections.abc import Iterable

from bastion.model.text import common_ends

_STRETCH = 4096  # a longer changed stretch is searched whole (another document, a paste)


def words_found(text: str, words: Iterable[str], last: str | None = None,
                last_found: dict[str, int] | None = None) -> dict[str, int]:
    """An offset in `text` of each of `words` it holds, in their order; `last_found`: the same
    for `last`, the text before, asked for the same words."""
    if last is None or last_found is None:
        return {word: at for word in words if (at := text.find(word)) >= 0}
    head, tail = common_ends(last, text)
    last_end, end = len(last) - tail, len(text) - tail
    if end - head > _STRETCH:
        return words_found(text, words)
    found: dict[str, int] = {}
    for word in words:
        at = last_found.get(word)
        if at is not None and at + len(word) <= head:
            found[word] = at
        elif at is not None and at >= last_end:
            found[word] = at + end - last_end
        else:
            # absent before: only where it overlaps the stretch (or spans the join of a cut)
            at = text.find(word, max(0, head - len(word) + 1), end + len(word) - 1) \
                if at is None else text.find(word)
            if at >= 0:
                found[word] = at
    return found

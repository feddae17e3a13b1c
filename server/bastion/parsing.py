"""Parsing the user's code: `parse_code` is `ast.parse` without the warnings the compiler prints
about the source itself.

An invalid escape sequence in the user's code (`"\\d"` outside a raw string: SyntaxWarning from
Python 3.12, DeprecationWarning before) is not Bastion's to print, on the terminal of `bastion
check` or the server's stderr, nor to raise where warnings are errors (`-W error`, pytest's
filters). Python before 3.14 keeps warning filters process-wide: the lock keeps the threads that
parse (the analysis worker, the fixes, the editor's workspace scan) from restoring each other's
filters out of order. Parsing holds the GIL throughout, so the lock costs no parallelism.

`parse_shared` hands readers that never change a tree the one another such reader holds of an
equal text: a one-off scan's engine (whole_file.py) and the summary store (workspace.py) each
parsed most modules of a scan (226 of the 323-file stdlib tree's were parsed twice in one
worker). `_SHARED` is owned here; a tree leaves it when its last holder drops it.
"""

from __future__ import annotations

import ast
import threading
import warnings
import weakref

_QUIET = threading.Lock()
_SHARED: weakref.WeakValueDictionary[str, ast.Module] = weakref.WeakValueDictionary()


def parse_code(source: str) -> ast.Module:
    with _QUIET, warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return ast.parse(source)


def parse_shared(source: str) -> ast.Module:
    """`parse_code(source)`, or the tree of an equal text that another caller of this holds.
    Only for a caller that changes no node of it (a link set for a walk is undone after it, as
    bandit_adapter's are): the readers of the tree share it."""
    with _QUIET:
        tree = _SHARED.get(source)
        if tree is not None:
            return tree
    tree = parse_code(source)
    with _QUIET:
        _SHARED[source] = tree
    return tree


# Leading newlines cost the tokenizer ~35 ns each, one triple-quoted string of newlines ~10
# (read as one token) and ast.increment_lineno, a walk of the tree in Python, 220-740 ns per
# character of source (functions and classes of textwrap.py, typing.py, _pydecimal.py,
# argparse.py, bench/typing_bench.py's views.py; CPython 3.11, 3.10 higher). So a part is placed
# after such a string, dropped from the tree, up to twenty lines a character of it (a pass over
# a file's parts then reads at most twenty times its length in newlines, not the square of its
# length): a keystroke in the middle of _pydecimal.py parses the edited method after ~2,600
# lines, and an Enter there its ~160 blocks below at their new places, a third of which were
# walked when leading newlines were used up to six times a part's length. Not before line 3,
# where a coding cookie would be read. (The parser alone does not check that a `from __future__`
# import comes first: the compiler does.)
_STRING_PER_CHARACTER = 20


def parse_code_at(source: str, before: int) -> ast.Module:
    """`parse_code(source)` with its line numbers `before` lines further down (the source is a
    part of a document that starts on line `before + 1`)."""
    if before < 2:
        return parse_code("\n" * before + source)
    if before > _STRING_PER_CHARACTER * len(source):
        return ast.increment_lineno(parse_code(source), before)
    tree = parse_code("'''" + "\n" * (before - 1) + "'''\n" + source)
    del tree.body[0]  # the string
    return tree

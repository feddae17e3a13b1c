"""Parsing the user's code: `parse_code` is `ast.parse` without the warnings the compiler prints
about the source itself.

An invalid escape sequence in the user's code (`"\\d"` outside a raw string: SyntaxWarning from
Python 3.12, DeprecationWarning before) is not Bastion's to print, on the terminal of `bastion
check` or the server's stderr, nor to raise where warnings are errors (`-W error`, pytest's
filters). Python before 3.14 keeps warning filters process-wide: the lock keeps the threads that
parse (the analysis worker, the fixes, the editor's workspace scan) from restoring each other's
filters out of order. Parsing holds the GIL throughout, so the lock costs no parallelism.
"""

from __future__ import annotations

import ast
import threading
import warnings

_QUIET = threading.Lock()


def parse_code(source: str) -> ast.Module:
    with _QUIET, warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return ast.parse(source)


# Leading newlines cost the tokenizer ~35 ns each; ast.increment_lineno, a walk of the tree in
# Python, 220-740 ns per character of source (functions and classes of textwrap.py, typing.py,
# _pydecimal.py, argparse.py, bench/typing_bench.py's views.py; CPython 3.11, 3.10 higher).
# Newlines are used up to six times the source's length, where they cost no more than the walk
# (and for any part in the first _PAD_LINES lines): a pass over a file's parts then reads at
# most six times its length in newlines, not the square of its length. With twice, the method
# typed in the middle of _pydecimal.py (1,336 characters at line 2,621) was parsed and walked
# at each keystroke in ~0.76 ms, and is parsed after its newlines in ~0.42.
_PAD_LINES = 500
_PAD_PER_CHARACTER = 6


def parse_code_at(source: str, before: int) -> ast.Module:
    """`parse_code(source)` with its line numbers `before` lines further down (the source is a
    part of a document that starts on line `before + 1`)."""
    if before <= max(_PAD_LINES, _PAD_PER_CHARACTER * len(source)):
        return parse_code("\n" * before + source)
    return ast.increment_lineno(parse_code(source), before)

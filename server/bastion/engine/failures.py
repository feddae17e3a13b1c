"""Why something could not be analysed, in words for a `NotAnalysed` entry: a parse that nested
too deeply, an analyzer that raised."""

from __future__ import annotations

from bastion.limits import MAX_NESTING


def depth_failure(exc: BaseException) -> str | None:
    """Why parsing failed when the cause is nesting (the parser's limits or the stack), else None."""
    if isinstance(exc, (RecursionError, MemoryError)):
        return f"nesting deeper than {MAX_NESTING} levels"
    if isinstance(exc, SyntaxError) and str(exc.msg).startswith("too many "):
        return f"nesting deeper than Python's parser accepts ({exc.msg})"
    return None


def failure_reason(exc: BaseException) -> str:
    return depth_failure(exc) or f"{type(exc).__name__}: {exc}"

def analyzer_failure(exc: BaseException) -> str:
    """Why a whole-file analysis failed. Its statements' nesting was checked before it ran
    (`MAX_NESTING`), so running out of stack there is the depth of what it follows (calls,
    imports), not of the code."""
    if isinstance(exc, RecursionError):
        return "what it follows (calls, imports) went deeper than it can (RecursionError)"
    if isinstance(exc, MemoryError):
        return "out of memory (MemoryError)"
    return f"{type(exc).__name__}: {exc}"

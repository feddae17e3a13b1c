"""The limits Bastion works within, the same for `bastion check` and the editor.

Each limit is said to the user where it applies, never silently (README: "Limits"):
- a file over `MAX_FILE_BYTES` is not analysed ("not analysed: over 8 MiB"; `bastion check`
  exits 3, as for a failed analyzer: Python would run the file, so padding it must not pass a
  gate; in the editor, an error on line 1 and no analysis);
- a statement nested deeper than `MAX_NESTING` is not analysed ("not analysed: nesting deeper
  than N"), the rest of the file is;
- a file reports at most `MAX_FINDINGS_PER_FILE` findings, then "N more findings not shown".

The analysis itself runs on a thread with `ANALYSIS_STACK_BYTES` of stack and a recursion limit
of `ANALYSIS_RECURSION_LIMIT`, so that any valid file within these limits can be analysed by
checks that walk the tree recursively (bandit's node visitor does).
"""

from __future__ import annotations

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_FINDINGS_PER_FILE = 2_000
# Levels of nesting in one statement (`a + b + ...` nests one level per operand). Bandit's
# visitor recurses about one Python frame per level; the limit below leaves a margin of 2x.
MAX_NESTING = 5_000
ANALYSIS_RECURSION_LIMIT = 12_000
# Virtual size: only the pages a deep statement touches become resident.
ANALYSIS_STACK_BYTES = 256 * 1024 * 1024


def over_the_size_cap(size: int | None, cap: int = MAX_FILE_BYTES) -> str:
    """Why a file of `size` bytes (None: it grew past `cap` while it was read) is not analysed."""
    limit = f"{cap // 1024 // 1024} MiB" if cap % (1024 * 1024) == 0 else f"{cap // 1024} KiB"
    read = "" if size is None else f"{-(-size // 1024)} KiB; "  # rounded up: never "8192 > 8192"
    return f"over {limit} ({read}limit {cap // 1024} KiB)"

"""The limits Bastion works within, the same for `bastion check` and the editor.

Each limit is said to the user where it applies, never silently (README: "Limits"):
- a file over `MAX_FILE_BYTES` is skipped ("skipped: too large"; in the editor, a message
  and no analysis);
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

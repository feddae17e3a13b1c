"""Part of a requirements file read on its own: the findings on the lines the editor shows first,
while the whole file (seconds at 5 MB) is still to be read (engine/text_preview.py).

A logical line's findings depend only on its own physical lines and the advisory index
(deps/lines.py keeps them by that premise), so the logical lines that cover the lines asked
for, read as a file of their own and moved to their place, give the findings the whole file
gives on them (tests/unit/test_deps_preview.py compares the two). Includes are not followed: a
file included twice is read at its first include line, which may lie outside the lines asked
for; their findings come with the whole file's.
"""

from __future__ import annotations

from bastion.deps import analysis
from bastion.files import UnreadableSource
from bastion.model import Finding


def findings_on(lines: list[str], first: int, last: int, path: str, root: str | None,
                root_name: str | None = None) -> list[Finding]:
    """The findings of the requirements file `lines` on the logical lines that hold lines
    `first` to `last` (inclusive, 0-based); `root`, `root_name`: see
    `requirements_txt.read_with_includes`."""
    start, end = first, last + 1
    # A line after one ending with a backslash may continue it: start at a line that cannot.
    while start and lines[start - 1].rstrip("\r").endswith("\\"):
        start -= 1
    while end < len(lines) and lines[end - 1].rstrip("\r").endswith("\\"):
        end += 1
    result = analysis.analyse(path, "\n".join(lines[start:end]), root, reader=_unread,
                              kind="requirements", root_name=root_name)
    return [finding.shifted(start) for finding in result.findings]


def _unread(path: str) -> str:
    raise UnreadableSource("not read in a preview")

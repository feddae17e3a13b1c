"""Line tables and UTF-8 byte offset to code-point conversion.

`ast` (and so bandit) reports columns as UTF-8 byte offsets; everything else in Bastion uses
code points, and the LSP layer converts those to the client's negotiated encoding.
"""

from __future__ import annotations


def byte_to_char_col(line: str, byte_col: int) -> int:
    """Code-point column of a UTF-8 byte offset within `line`."""
    if byte_col <= 0:
        return 0
    if line.isascii():
        return min(byte_col, len(line))
    encoded = line.encode("utf-8")
    return len(encoded[:byte_col].decode("utf-8", errors="ignore"))


def split_lines(text: str) -> list[str]:
    """Lines without their terminators, split the way `ast` counts them."""
    return text.split("\n")


def line_at(lines: list[str], index: int) -> str:
    if 0 <= index < len(lines):
        return lines[index].rstrip("\r")
    return ""

"""The CWE a bandit finding carries: its rule file's (`[cwe]` in rules/bandit/*.toml), the
weakness the check finds, not bandit's own table where that is wrong (bandit files `eval` and
`exec` under OS command injection, MD5 under broken ciphers, XML parsers under input
validation, template XSS under code injection). Diagnostics, SARIF taxa and the lessons then
name one CWE. Read without importing bandit: the result cache's version key needs the table.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

from bastion.digests import blake2b

_CWE_ID = re.compile(r"^\[cwe\]\s*\nid\s*=\s*(\d+)", re.MULTILINE)


@functools.lru_cache(maxsize=4)
def catalog_cwes(directory: Path | None = None) -> dict[str, int]:
    """Rule id -> CWE id of every rule file in `directory` (default: the shipped rules/bandit)."""
    if directory is None:
        from bastion.catalog.paths import rules_dir
        directory = rules_dir() / "bandit"
    table: dict[str, int] = {}
    for path in sorted(Path(directory).glob("B*.toml")):
        found = _CWE_ID.search(path.read_text(encoding="utf-8"))
        if found is not None:
            table[path.stem] = int(found.group(1))
    return table


def cwe_digest() -> str:
    """Part of the bandit analyzer's version: a changed CWE invalidates cached findings."""
    table = sorted(catalog_cwes().items())
    return blake2b(repr(table).encode(), digest_size=6).hexdigest()

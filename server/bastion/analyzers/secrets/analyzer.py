"""The secrets analyzer: each format and the generic check over the text (secrets/scanning.py),
of Python files (as the `Analyzer` protocol's whole-file check) and of every text kind (as a
`TextAnalyzer`); an edited document's changed lines only (secrets/incremental.py).

State: the analyzer owns its `Reads` (the last read of the documents analysed last), emptied by
`forget()`; the engine runs analyzers under its lock.
"""

from __future__ import annotations

import ast
from collections.abc import Collection
from typing import TYPE_CHECKING

from bastion.analyzers.secrets.allow import secrets_key
from bastion.analyzers.secrets.incremental import Reads
from bastion.analyzers.secrets.scanning import RULES, fingerprint
from bastion.analyzers.text_base import TextAnalyzer, TextFix
from bastion.analyzers.versions import SECRETS as SECRETS_VERSION
from bastion.filekinds import TEXT_KINDS, FileKind, kind_of
from bastion.model import Finding, NotAnalysed

if TYPE_CHECKING:
    from bastion.files import ReadRoot

__all__ = ["RULES", "SecretsAnalyzer", "fingerprint"]


class SecretsAnalyzer(TextAnalyzer):
    id = "secrets"
    version = SECRETS_VERSION
    kinds = TEXT_KINDS

    def __init__(self) -> None:
        self._reads = Reads()

    def rule_ids(self) -> dict[str, str]:
        return dict(RULES)

    def nosec_ids(self) -> dict[str, str]:
        return {}

    def analyse_unit(self, unit) -> list[Finding]:
        return []  # a secret is found in the file's text, once, by analyse_file

    def dependency_key(self, text: str, path: str) -> str:
        return secrets_key(path)

    def reads_whole(self, function: ast.FunctionDef | ast.AsyncFunctionDef, lines: list[str]) -> bool:
        return False

    def analyse_file(self, text: str, path: str, tree: ast.Module | None = None) -> list[Finding]:
        return self.analyse_text(text, path, FileKind.PYTHON)

    def left_out(self, text: str, path: str) -> tuple[NotAnalysed, ...]:
        return ()

    def read_open_texts(self, texts) -> None:
        pass  # it reads no other file

    def retract(self, text: str, path: str, findings: list[Finding]) -> dict[int, str]:
        return {}  # it judges no other analyzer's findings

    def forget(self) -> None:
        self._reads.forget()

    def document_closed(self, path: str) -> None:
        self._reads.closed(path, kind_of(path))

    def disk_changed(self, paths: Collection[str]) -> None:
        pass  # it reads no file but the analysed one

    def watched_files(self) -> tuple:
        return ()  # it reads no file but the analysed one

    def summaries(self, roots, texts, previous=None) -> None:
        return None  # it reads no other module

    def fixes(self, text: str, path: str, kind: FileKind, finding: Finding,
              root: ReadRoot | None = None) -> list[TextFix]:
        return []  # moving a secret out of a file is the user's call (see the lessons)

    def analyse_text(self, text: str, path: str, kind: FileKind,
                     root: ReadRoot | None = None) -> list[Finding]:
        return self._reads.analyse(text, path, kind)

"""Suppression comments, read the way bandit reads them.

`# nosec` silences every check on the line; `# nosec B602,B607` or `# nosec
subprocess_popen_with_shell_equals_true` silences the named ones. A comment on the finding's
own line, or on the first commented line of the flagged statement, applies (bandit's rule).
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Mapping

import attrs

from bastion.model import Finding, Suppression

_NOSEC = re.compile(r"#\s*nosec:?\s*(?P<tests>[^#]+)?#?")
_NOSEC_TESTS = re.compile(r"(?:(B\d+|[a-z\d_]+),?)+", re.IGNORECASE)  # as bandit


@attrs.frozen
class Directive:
    """One suppression comment: `ids` empty means every rule."""

    line: int  # 0-based
    text: str
    ids: frozenset[str]
    unknown: tuple[str, ...] = ()


def parse_comment(comment: str, line: int, names: Mapping[str, str]) -> Directive | None:
    """`names` maps check names and ids to rule ids (`subprocess_popen_…` → `B602`)."""
    found = _NOSEC.search(comment)
    if not found:
        return None
    ids: set[str] = set()
    unknown: list[str] = []
    for match in _NOSEC_TESTS.finditer(found.group("tests") or ""):
        token = match.group(1)
        rule = names.get(token)
        if rule:
            ids.add(rule)
        else:
            unknown.append(token)
    return Directive(line, comment.strip(), frozenset(ids), tuple(unknown))


def comment_directives(text: str, first_line: int, names: Mapping[str, str],
                       wrapped: bool = False) -> dict[int, Directive]:
    """Directives in the comments of `text`, whose first line is document line `first_line`."""
    if "nosec" not in text:
        return {}
    source = ("if 1:\n" + text) if wrapped else text
    offset = first_line - (2 if wrapped else 1)
    found: dict[int, Directive] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT:
                directive = parse_comment(tok.string, tok.start[0] + offset, names)
                if directive is not None:
                    found[directive.line] = directive
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def suppression_for(finding: Finding, directives: Mapping[int, Directive]) -> Suppression | None:
    """The directive that silences `finding`, if any (bandit's exact rule).

    Bandit unions the ids of the comment on the finding's line and of the first comment in the
    statement's lines: an empty union (bare `# nosec`) silences everything, else the id must be in it.
    """
    on_line = directives.get(finding.span.start_line)
    in_statement = next((directives[n] for n in finding.lines if n in directives), None)
    if on_line is None and in_statement is None:
        return None
    ids = (on_line.ids if on_line else frozenset()) | (in_statement.ids if in_statement else frozenset())
    if ids and finding.rule_id not in ids:
        return None
    directive = on_line or in_statement
    return Suppression("nosec", directive.line, directive.text)

"""Suppression comments: bandit's `# nosec`, ruff's `# noqa` and Bastion's own `# bastion: ignore`.

`# nosec` is read exactly the way bandit reads it: `# nosec` silences every check on the line;
`# nosec B602,B607` or `# nosec subprocess_popen_with_shell_equals_true` silences the named ones;
a comment on the finding's own line, or on the first nosec-commented line of the flagged statement,
applies, and bandit unions the ids of the two.

`# noqa` is read the way ruff reads it (ruff's `noqa.rs` lexer): `# noqa` silences everything on
the line, `# noqa: S602, S105` the flake8-bandit codes named (mapped to bandit ids by
`NOQA_TO_BANDIT`) and Bastion's own ids (`# noqa: BST301`, which ruff accepts with
`lint.external = ["BST"]`); only the finding's own line counts. Codes of other linters (`E501`, and `B…`,
which is flake8-bugbear in ruff) are not Bastion's and are left alone.

`# bastion: ignore[B602, B607] reason="…" until=YYYY-MM-DD` applies like nosec (the finding's line
or the first such comment of the statement); without `[ids]` it silences every rule. Past its
`until` date it stops silencing. An unreadable comment silences nothing.

`suppress_govern.py` applies the directives to findings.
"""

from __future__ import annotations

import bisect
import io
import re
import tokenize
from collections.abc import Mapping, Sequence
from datetime import date

import attrs

from bastion import attrs_classes
from bastion.deferred_patterns import deferred

_NOSEC = deferred(r"#\s*nosec:?\s*(?P<tests>[^#]+)?#?")
_NOSEC_TESTS = deferred(r"(?:(B\d+|[a-z\d_]+),?)+", re.IGNORECASE)  # as bandit
_NOQA = deferred(r"#\s*(?i:noqa)")
_BASTION_CODE = deferred(r"BST\d+")  # Bastion's own ids read as noqa codes (ruff: `external`)
_BASTION = deferred(r"#\s*bastion\s*:\s*ignore\b")
_BASTION_IDS = deferred(r"\s*\[(?P<ids>[^\]#]*)\]")
_BASTION_OPTION = deferred(
    r"\s+(?P<key>[A-Za-z_]+)\s*=\s*(?P<value>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|[^\s#]+)")
_ID_TOKEN = deferred(r"[^\s,]+")
# Comments that are someone else's directive, never a reason.
_OTHER_DIRECTIVE = deferred(
    r"(?:nosec|noqa|bastion\s*:|type\s*:|pyright\s*:|mypy\s*:|pylint\s*:|pragma\b|fmt\s*:|"
    r"isort\s*:|ruff\s*:|flake8\s*:)", re.IGNORECASE)
# Only texts and comments holding one of these are tokenized and parsed: every directive
# `parse_directive` reads starts so (`#\s*nosec`, `#\s*noqa` in any case, `#\s*bastion`), and
# a pattern led by `#` is searched for at C speed (one of three words in any case was 9 ms on a
# 230 KB module, at every keystroke).
_MAY_SUPPRESS = deferred(r"#[^\S\n]*(?:nosec|[nN][oO][qQ][aA]|bastion)")

# flake8-bandit codes as ruff numbers them (`ruff rule --all`, linter "flake8-bandit", ruff 0.17),
# each the same-numbered bandit id. S320 and S410 are ruff's, but bandit 1.9 no longer has B320
# (xml_bad_etree) or B410 (import_lxml): a noqa naming S320 is left to ruff, like other linters'.
NOQA_TO_BANDIT: dict[str, str] = {f"S{n}": f"B{n}" for n in (
    101, 102, 103, 104, 105, 106, 107, 108, 110, 112, 113,
    201, 202,
    301, 302, 303, 304, 305, 306, 307, 308, 310, 311, 312, 313, 314, 315, 316, 317, 318, 319,
    321, 323, 324,
    401, 402, 403, 404, 405, 406, 407, 408, 409, 411, 412, 413, 415,
    501, 502, 503, 504, 505, 506, 507, 508, 509,
    601, 602, 603, 604, 605, 606, 607, 608, 609, 610, 611, 612,
    701, 702, 704,
)}
RUFF_ONLY_BANDIT_CODES = frozenset({"S320", "S410"})

KINDS = ("nosec", "noqa", "bastion")


@attrs_classes.frozen
class Clause:
    """One dialect's part of a suppression comment; `start`/`end` are offsets in the comment."""

    kind: str  # "nosec" | "noqa" | "bastion"
    start: int
    end: int
    ids: frozenset[str]  # the bandit/Bastion rule ids it names
    blanket: bool  # names no rule: silences every rule
    unknown: tuple[str, ...] = ()  # ids or names that no rule has
    reason: str | None = None
    until: date | None = None
    problem: str | None = None  # a malformed comment: why (it then silences nothing)

    def names(self, rule_id: str) -> bool:
        return self.blanket or rule_id in self.ids


@attrs_classes.frozen
class Directive:
    """One suppression comment. `ids`/`unknown` are its nosec ids as bandit resolves them.

    `unknown` also holds the unknown ids of its other dialects; `clauses` is derived from `text`
    (and `ids`/`unknown`), so a Directive rebuilt from `line, text, ids, unknown` is whole.
    """

    line: int  # 0-based
    text: str
    ids: frozenset[str]
    unknown: tuple[str, ...] = ()
    col: int | None = attrs.field(default=None, eq=False)  # code-point column of its "#"
    clauses: tuple[Clause, ...] = attrs.field(
        default=attrs.Factory(lambda self: _clauses(self.text, self.ids, self.unknown),
                              takes_self=True),
        eq=False, repr=False)

    def clause(self, kind: str) -> Clause | None:
        for clause in self.clauses:
            if clause.kind == kind:
                return clause
        return None

    @property
    def is_nosec(self) -> bool:
        return any(c.kind == "nosec" for c in self.clauses)




# ---- parsing --------------------------------------------------------------------------------


def parse_comment(comment: str, line: int, names: Mapping[str, str]) -> Directive | None:
    """The comment's nosec directive, or None when it has no `# nosec` (bandit's reading).

    `names` maps check names and ids to rule ids (`subprocess_popen_…` → `B602`).
    """
    directive = parse_directive(comment, line, names)
    return directive if directive is not None and directive.is_nosec else None


def parse_directive(comment: str, line: int, names: Mapping[str, str],
                    col: int | None = None) -> Directive | None:
    """Every suppression dialect in one comment; None when it has none Bastion reads."""
    text = comment.strip()
    ids: set[str] = set()
    unknown: list[str] = []
    nosec = _NOSEC().search(text)
    if nosec:
        for token in _nosec_tokens(nosec):
            rule = names.get(token)
            if rule:
                ids.add(rule)
            else:
                unknown.append(token)
    noqa = _lex_noqa(text)
    if noqa is not None and noqa[2] is not None:
        unknown.extend(c for c in noqa[2] if _noqa_unknown(c)
                       or _BASTION_CODE().fullmatch(c) and names.get(c) != c)
    bastion = _BASTION().search(text)
    if bastion:
        for token in _bastion_tokens(text, bastion.end())[0]:
            if names.get(token) != token and token not in unknown:
                unknown.append(token)
    directive = Directive(line, text, frozenset(ids), tuple(unknown), col)
    return directive if directive.clauses else None


def _nosec_tokens(found: re.Match) -> list[str]:
    return [m.group(1) for m in _NOSEC_TESTS().finditer(found.group("tests") or "")]


def _noqa_unknown(code: str) -> bool:
    return (code.startswith("S") and code[1:].isdigit() and code not in NOQA_TO_BANDIT
            and code not in RUFF_ONLY_BANDIT_CODES)


def _lex_noqa(text: str) -> tuple[int, int, list[str] | None] | None:
    """ruff's inline noqa lexer: (start, end, codes or None for every rule), or None.

    The first `#\\s*noqa` (any case) decides; `# noqa` alone, or followed by `#` or by words,
    is blanket; `# noqa: A1, B2` lists codes until the first word that is not a code; a
    malformed directive (`# noqa;`, `# noqa:` with no code, `# noqa: F401abc`) silences nothing.
    """
    found = _NOQA().search(text)
    if found is None:
        return None
    start, i, n = found.start(), found.end(), len(text)
    if i >= n or text[i] == "#":
        return start, i, None
    if text[i] != ":":
        if not text[i].isspace():
            return None  # `noqaF401`, `noqa;`: an invalid suffix
        j = i
        while j < n and text[j].isspace():
            j += 1
        if j >= n or text[j] != ":":
            return start, i, None  # `# noqa a comment`
        i = j
    i += 1  # the colon
    codes: list[str] = []
    end = i
    joined = False
    while i < n:
        while i < n and text[i].isspace():
            i += 1
        if i < n and text[i] == ",":
            i += 1
            continue
        if i >= n or not ("A" <= text[i] <= "Z"):
            break  # a trailing comment
        j = i
        while j < n and "A" <= text[j] <= "Z":
            j += 1
        if j >= n or not text[j].isdigit():
            if joined:
                return None
            break
        while j < n and text[j].isdigit():
            j += 1
        codes.append(text[i:j])
        i = end = j
        if i >= n:
            break
        if text[i] == ",":
            i, joined = i + 1, False
        elif text[i].isspace() or text[i] == "#":
            joined = False
        elif "A" <= text[i] <= "Z":
            joined = True
        else:
            return None  # `F401abc`
    if not codes:
        return None
    return start, end, codes


def _bastion_tokens(text: str, at: int) -> tuple[list[str], int, bool]:
    """Ids in `[...]` after `at`: (ids upper-cased, position after the brackets, had brackets)."""
    found = _BASTION_IDS().match(text, at)
    if found is None:
        return [], at, False
    return [t.upper() for t in _ID_TOKEN().findall(found.group("ids"))], found.end(), True


def _reason_after(text: str, end: int) -> str | None:
    """The free text after a nosec/noqa directive: the first `#` part that is no directive."""
    tail = text[end:]
    for part in tail.split("#"):
        part = part.strip().lstrip("-–—:;,").strip()
        if part and not _OTHER_DIRECTIVE().match(part):
            return part
    return None


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _clauses(text: str, ids: frozenset[str], unknown: tuple[str, ...]) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    nosec = _NOSEC().search(text)
    if nosec:
        end = nosec.end()
        while end > nosec.start() and text[end - 1] in "# \t":
            end -= 1
        tokens = _nosec_tokens(nosec)
        clauses.append(Clause("nosec", nosec.start(), end, ids, not ids,
                              tuple(t for t in tokens if t in unknown), _reason_after(text, end)))
    noqa = _lex_noqa(text)
    if noqa is not None:
        start, end, codes = noqa
        reason = _reason_after(text, end)
        if codes is None:
            clauses.append(Clause("noqa", start, end, frozenset(), True, (), reason))
        else:
            mapped = frozenset(NOQA_TO_BANDIT[c] for c in codes if c in NOQA_TO_BANDIT) | {
                c for c in codes if _BASTION_CODE().fullmatch(c) and c not in unknown}
            bad = tuple(c for c in codes if _noqa_unknown(c) or c in unknown)
            if mapped or bad:  # codes of other linters only: not a Bastion suppression
                clauses.append(Clause("noqa", start, end, mapped, False, bad, reason))
    bastion = _BASTION().search(text)
    if bastion:
        clauses.append(_bastion_clause(text, bastion, unknown))
    return tuple(clauses)


def _bastion_clause(text: str, found: re.Match, unknown: tuple[str, ...]) -> Clause:
    tokens, at, bracketed = _bastion_tokens(text, found.end())
    problem = None
    if not bracketed and text[found.end():].lstrip().startswith("["):
        problem = "unclosed `[` in `bastion: ignore[...]`"
    elif bracketed and not tokens:
        problem = "no rule id in `bastion: ignore[]`"
    reason = until = None
    end = at
    while problem is None:
        option = _BASTION_OPTION().match(text, end)
        if option is None:
            rest = text[end:].strip()
            if rest and not rest.startswith("#"):
                problem = (f"unexpected {rest.split()[0]!r} "
                           '(expected reason="..." until=YYYY-MM-DD)')
            break
        key, value = option.group("key").lower(), option.group("value")
        end = option.end()
        if key == "reason":
            reason = _unquote(value).strip() or None
        elif key == "until":
            try:
                until = date.fromisoformat(_unquote(value))
            except ValueError:
                problem = f"until={value} is not a date (expected until=YYYY-MM-DD)"
        else:
            problem = f"unknown option {key!r} (expected reason=\"...\" until=YYYY-MM-DD)"
    ids = frozenset(t for t in tokens if t not in unknown)
    bad = tuple(t for t in tokens if t in unknown)
    return Clause("bastion", found.start(), end, ids, not tokens, bad, reason, until, problem)


def comment_directives(text: str, first_line: int, names: Mapping[str, str],
                       wrapped: bool = False) -> dict[int, Directive]:
    """Directives in the comments of `text`, whose first line is document line `first_line`."""
    if not _MAY_SUPPRESS().search(text):
        return {}
    source = ("if 1:\n" + text) if wrapped else text
    offset = first_line - (2 if wrapped else 1)
    found: dict[int, Directive] = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type == tokenize.COMMENT and _MAY_SUPPRESS().search(tok.string):
                directive = parse_directive(tok.string, tok.start[0] + offset, names, tok.start[1])
                if directive is not None:
                    found[directive.line] = directive
    except (tokenize.TokenError, SyntaxError):
        pass
    return found


def directives_between(text: str, units: Sequence[tuple[int, int]],
                       names: Mapping[str, str]) -> dict[int, Directive]:
    """`comment_directives(text, 0, names)` on the lines outside `units` (the 0-based inclusive
    line ranges, in order, of the statements of a text that parses): only comments and blank
    lines are there, so a line's comment starts at its first `#` and the text need not be
    tokenized (its units' comments are read with them). A keystroke's cost, not a pass of the
    tokenizer over the document."""
    found: dict[int, Directive] = {}
    starts = [start for start, _ in units]
    line, counted, last = 0, 0, -1
    for match in _MAY_SUPPRESS().finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        line += text.count("\n", counted, line_start)
        counted = line_start
        if line == last:
            continue
        last = line
        index = bisect.bisect_right(starts, line) - 1
        if index >= 0 and units[index][1] >= line:
            continue  # inside a statement: its unit reads it
        line_end = text.find("\n", line_start)
        segment = text[line_start:line_end if line_end >= 0 else len(text)]
        column = segment.find("#")
        if column >= 0:
            directive = parse_directive(segment[column:].rstrip("\r"), line, names, column)
            if directive is not None:
                found[line] = directive
    return found

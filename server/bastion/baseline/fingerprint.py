"""Stable fingerprints for findings, and the baseline of known findings that CI does not fail on.

A fingerprint names a finding without its line number, so that it survives lines added above,
reformatting and re-indentation:

    sha256(rule id, enclosing def/class names, the flagged statement's tokens)[:32] ":" occurrence

The statement is the logical line (up to NEWLINE or a top-level `;`) that holds the start of the
finding, as Python tokens without whitespace, comments or line breaks; string and number
literals are compared by value (quote style, implicit concatenation) and a trailing comma before
a closing bracket is ignored. `occurrence` counts identical (rule, scope, statement) triples in
the file from the top, so two identical calls in one function stay apart. SARIF's

For the rules that report a possible secret (model.redact.SECRET_RULES) every string literal of
the statement is hashed in its redacted form (length, at most the end characters), so a
fingerprint in a baseline or SARIF file cannot be used to test guesses of the secret: every
value of that length and those ends gives the same fingerprint. `legacy_fingerprints` gives the
older, clear-text form, only so that a baseline written before this still matches until it is
rewritten.
"""

from __future__ import annotations

import ast
import bisect
import io
import tokenize
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence

from bastion import attrs_classes
from bastion.deferred_patterns import deferred
from bastion.digests import sha256
from bastion.model import Finding
from bastion.model.redact import SECRET_RULES, VALUE_SPAN_RULES, redacted

FINGERPRINT_KEY = "bastion/v1"

_SKIP = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT,
                   tokenize.ENCODING, tokenize.ENDMARKER, tokenize.NEWLINE})
_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")
_HEADER = deferred(r"^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)")
# A string literal token as _normalise leaves it (the repr of its value), or raw (f-strings).
_STRING_TOKEN = deferred(r"^[rRbBuUfF]{0,2}['\"]")


@attrs_classes.define
class _Statement:
    start: tuple[int, int]  # (0-based line, column) of the first token
    end: tuple[int, int]  # end of the last token
    raw: list[tokenize.TokenInfo]
    scope: str
    _normal: tuple[str, ...] | None = None

    @property
    def tokens(self) -> tuple[str, ...]:
        """Normalised when first asked: only the statements that hold a finding are."""
        if self._normal is None:
            self._normal = _normalise(self.raw)
        return self._normal


def _literal(token: tokenize.TokenInfo):
    """A string or number token's value, or None when it is not a plain literal (f-strings)."""
    try:
        value = ast.literal_eval(token.string)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, (str, bytes, int, float, complex)) else None


def _normalise(tokens: Sequence[tokenize.TokenInfo]) -> tuple[str, ...]:
    out: list[str] = []
    joined: list[object] = []  # the value of the string literal being concatenated, if any
    for i, tok in enumerate(tokens):
        if tok.type == tokenize.OP and tok.string == "," and i + 1 < len(tokens) \
                and tokens[i + 1].string in _CLOSE:
            joined = []
            continue  # a magic trailing comma, as formatters add and remove it
        if tok.type in (tokenize.STRING, tokenize.NUMBER):
            value = _literal(tok)
            if value is not None:
                if tok.type == tokenize.STRING and joined and type(joined[0]) is type(value):
                    joined[0] = joined[0] + value  # "a" "b" is "ab"
                    out[-1] = repr(joined[0])
                    continue
                joined = [value] if tok.type == tokenize.STRING else []
                out.append(repr(value))
                continue
        joined = []
        out.append(tok.string)
    return tuple(out)


def _tokens(text: str) -> Iterator[tokenize.TokenInfo]:
    """The tokens of `text` up to the first tokenizer error."""
    try:
        yield from tokenize.generate_tokens(io.StringIO(text).readline)
    except (tokenize.TokenError, SyntaxError, ValueError):
        return


def _statements(text: str, wanted: Sequence[int]) -> list[_Statement]:
    """The complete logical statements of `text` that hold a line of `wanted` (0-based, sorted),
    with their enclosing def/class names. No other statement can be a finding's (`_statement_at`
    takes one that holds the finding's first line): keeping every statement's tokens was most
    of the cost of fingerprints, as they stayed in memory together. The file is tokenized up to
    the last wanted line (the tokenizer, pure Python before 3.12, is the rest of the cost)."""
    statements: list[_Statement] = []
    stack: list[str | None] = []  # one entry per INDENT: the def/class it opens, or None
    pending: str | None = None  # the def/class whose header just ended with ":"
    current: list[tokenize.TokenInfo] = []
    scope = ""
    depth = 0

    def finish() -> None:
        nonlocal current, pending
        if not current:
            pending = None
            return
        words = [t.string for t in current[:3]]
        header = None
        opens_def = words[0] in ("def", "class") or words[:2] == ["async", "def"]
        if current[-1].string == ":" and opens_def:
            header = next((t.string for t in current[1:] if t.type == tokenize.NAME
                           and t.string not in ("def", "class")), None)
        pending = header
        first, last = current[0].start[0] - 1, current[-1].end[0] - 1
        index = bisect.bisect_left(wanted, first)
        if index < len(wanted) and wanted[index] <= last:
            statements.append(_Statement((first, current[0].start[1]), (last, current[-1].end[1]),
                                         current, scope))
        current = []

    last_line = wanted[-1]
    for tok in _tokens(text):
        if not current and tok.start[0] - 1 > last_line:
            break
        if tok.type == tokenize.INDENT:
            stack.append(pending)
            pending = None
            continue
        if tok.type == tokenize.DEDENT:
            if stack:
                stack.pop()
            continue
        if tok.type == tokenize.NEWLINE or (tok.type == tokenize.OP and tok.string == ";"
                                            and depth == 0):
            finish()
            continue
        if tok.type in _SKIP:
            continue
        if not current:
            scope = ".".join(name for name in stack if name)
            if pending is not None and tok.type != tokenize.INDENT:
                pending = None  # a one-line body: `def f(): return 1`
        if tok.type == tokenize.OP:
            if tok.string in _OPEN:
                depth += 1
            elif tok.string in _CLOSE and depth:
                depth -= 1
        current.append(tok)
    # An unfinished statement (the tokenizer stopped at an error) is left out: its extent is
    # unknown.
    return statements


def _textual_scope(lines: Sequence[str], line: int) -> str:
    """Enclosing def/class names by indentation, for lines the tokenizer did not reach."""
    if not 0 <= line < len(lines):
        return ""
    current = len(lines[line]) - len(lines[line].lstrip())
    names: list[str] = []
    for index in range(line - 1, -1, -1):
        text = lines[index]
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(text) - len(text.lstrip())
        if indent < current:
            header = _HEADER().match(text)
            if header:
                names.append(header.group(1))
            current = indent
            if indent == 0:
                break
    return ".".join(reversed(names))


def _fallback_tokens(lines: Sequence[str], finding: Finding) -> tuple[str, ...]:
    numbers = finding.lines or (finding.span.start_line,)
    first, last = min(numbers), max(max(numbers), finding.span.start_line)
    fragment = "\n".join(lines[first:last + 1])
    indent = min((len(x) - len(x.lstrip()) for x in fragment.split("\n") if x.strip()), default=0)
    dedented = "\n".join(x[indent:] if x[:indent].isspace() else x.lstrip()
                         for x in fragment.split("\n"))
    normal = _normalise([t for t in _tokens(dedented + "\n") if t.type not in _SKIP])
    return normal or tuple(fragment.split())  # a finding on a comment line: its words


def _without_secrets(tokens: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for token in tokens:
        if _STRING_TOKEN().match(token):
            try:
                value = ast.literal_eval(token)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                value = token
            token = "<" + redacted(value.decode("latin-1") if isinstance(value, bytes)
                                   else str(value)) + ">"
        out.append(token)
    return tuple(out)


def _value_redacted(lines: Sequence[str], finding: Finding) -> tuple[str, ...]:
    """The words of the finding's lines with its span (the secret) in its redacted form: the
    fingerprint never depends on more of the value than the report shows."""
    span = finding.span
    first, last = lines[span.start_line:span.start_line + 1], lines[span.end_line:span.end_line + 1]
    if not first or not last:
        return (finding.rule_id,)
    value = "\n".join(lines[span.start_line:span.end_line + 1])
    value = value[span.start_col:len(value) - len(last[0]) + span.end_col]
    before, after = first[0][:span.start_col], last[0][span.end_col:]
    return (*before.split(), "<" + redacted(value) + ">", *after.split())


def legacy_fingerprints(findings: Iterable[Finding],
                        text: str | Sequence[str]) -> dict[Finding, str]:
    """The fingerprints Bastion wrote before secrets were redacted, for SECRET_RULES findings
    only: what an older baseline holds for them."""
    return {finding: print_ for finding, print_ in
            _fingerprints(findings, text, redact=False).items()
            if finding.rule_id in SECRET_RULES}


def fingerprints(findings: Iterable[Finding], text: str | Sequence[str]) -> dict[Finding, str]:
    """The fingerprint of each finding of one file whose text is `text` (or its lines).

    Pass every finding of the file that configuration reports, suppressed ones included
    (`analysis.findings + analysis.suppressed`): occurrence numbers count all of them, so that
    a `# nosec` on one of two identical calls does not renumber the other.
    """
    return _fingerprints(findings, text, redact=True)


def _fingerprints(findings: Iterable[Finding], text: str | Sequence[str],
                  redact: bool) -> dict[Finding, str]:
    ordered = sorted(set(findings), key=Finding.sort_key)
    if not ordered:
        return {}
    if isinstance(text, str):
        source, lines = text, text.split("\n")
    else:
        lines, source = list(text), "\n".join(text)
    statements = _statements(source.replace("\r\n", "\n"),
                             sorted({finding.span.start_line for finding in ordered}))
    starts = [s.start for s in statements]
    seen: Counter[tuple[str, str, tuple[str, ...]]] = Counter()
    out: dict[Finding, str] = {}
    for finding in ordered:
        statement = _statement_at(statements, starts, finding)
        if statement is not None:
            scope, tokens = statement.scope, statement.tokens
        else:
            scope, tokens = _textual_scope(lines, finding.span.start_line), \
                _fallback_tokens(lines, finding)
        if finding.rule_id in VALUE_SPAN_RULES:
            tokens = _value_redacted(lines, finding)
        elif redact and finding.rule_id in SECRET_RULES:
            tokens = _without_secrets(tokens)
        key = (finding.rule_id, scope, tokens)
        occurrence = seen[key]
        seen[key] += 1
        digest = sha256("\x1f".join((finding.rule_id, scope, "\x1e".join(tokens)))
                                .encode("utf-8", "surrogatepass")).hexdigest()
        out[finding] = f"{digest[:32]}:{occurrence}"
    return out


def _statement_at(statements: list[_Statement], starts: list[tuple[int, int]],
                  finding: Finding) -> _Statement | None:
    span = finding.span
    position = (span.start_line, span.start_col)
    index = bisect.bisect_right(starts, position) - 1
    if index >= 0 and statements[index].start <= position < statements[index].end:
        return statements[index]
    # The span starts before the statement's first token on the same line (indentation).
    after = index + 1
    if after < len(statements) and statements[after].start[0] == span.start_line:
        return statements[after]
    if index >= 0 and statements[index].start[0] <= span.start_line <= statements[index].end[0]:
        return statements[index]
    return None

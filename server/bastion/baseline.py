"""Stable fingerprints for findings, and the baseline of known findings that CI does not fail on.

A fingerprint names a finding without its line number, so that it survives lines added above,
reformatting and re-indentation:

    sha256(rule id, enclosing def/class names, the flagged statement's tokens)[:32] ":" occurrence

The statement is the logical line (up to NEWLINE or a top-level `;`) that holds the start of the
finding, as Python tokens without whitespace, comments or line breaks; string and number
literals are compared by value (quote style, implicit concatenation) and a trailing comma before
a closing bracket is ignored. `occurrence` counts identical (rule, scope, statement) triples in
the file from the top, so two identical calls in one function stay apart. SARIF's
`partialFingerprints["bastion/v1"]` and the baseline file carry the same value.

The baseline file (`.bastion-baseline.json` at the project root by default) is sorted JSON,
one entry per finding, meant to be committed and reviewed:

    {"version": 1, "tool": "bastion", "root": ".",
     "findings": [{"path": "src/app.py", "line": 15, "rule": "B602",
                   "message": "...", "fingerprint": "3f0c...:0"}]}

`root` is the project root relative to the baseline file's folder; entry paths are relative to
it (POSIX separators). A finding matches an entry by path + rule + fingerprint; `line` and
`message` are for people only.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import os
import re
import threading
import tokenize
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path, PurePosixPath

import attrs

from bastion.model import Finding

FINGERPRINT_KEY = "bastion/v1"
DEFAULT_NAME = ".bastion-baseline.json"
FORMAT_VERSION = 1
BASELINE_MODES = ("hint", "hide")


class BaselineError(Exception):
    """A baseline file that cannot be used; the message names the file and the problem."""


# ---- fingerprints ------------------------------------------------------------------------------

_SKIP = frozenset({tokenize.COMMENT, tokenize.NL, tokenize.INDENT, tokenize.DEDENT,
                   tokenize.ENCODING, tokenize.ENDMARKER, tokenize.NEWLINE})
_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")
_HEADER = re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)")


@attrs.frozen
class _Statement:
    start: tuple[int, int]  # (0-based line, column) of the first token
    end: tuple[int, int]  # end of the last token
    tokens: tuple[str, ...]  # normalised
    scope: str


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


def _tokens(text: str) -> tuple[list[tokenize.TokenInfo], bool]:
    """The tokens of `text` up to the first tokenizer error, and whether it reached the end."""
    found: list[tokenize.TokenInfo] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            found.append(tok)
    except (tokenize.TokenError, SyntaxError, ValueError):
        return found, False
    return found, True


def _statements(text: str) -> list[_Statement]:
    """Complete logical statements of `text` with their enclosing def/class names."""
    tokens, _complete = _tokens(text)
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
        statements.append(_Statement((current[0].start[0] - 1, current[0].start[1]),
                                     (current[-1].end[0] - 1, current[-1].end[1]),
                                     _normalise(current), scope))
        current = []

    for tok in tokens:
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
            header = _HEADER.match(text)
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
    tokens, _ = _tokens(dedented + "\n")
    normal = _normalise([t for t in tokens if t.type not in _SKIP])
    return normal or tuple(fragment.split())  # a finding on a comment line: its words


def fingerprints(findings: Iterable[Finding], text: str | Sequence[str]) -> dict[Finding, str]:
    """The fingerprint of each finding of one file whose text is `text` (or its lines).

    Pass every finding of the file that configuration reports, suppressed ones included
    (`analysis.findings + analysis.suppressed`): occurrence numbers count all of them, so that
    a `# nosec` on one of two identical calls does not renumber the other.
    """
    ordered = sorted(set(findings), key=Finding.sort_key)
    if not ordered:
        return {}
    if isinstance(text, str):
        source, lines = text, text.split("\n")
    else:
        lines, source = list(text), "\n".join(text)
    statements = _statements(source.replace("\r\n", "\n"))
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
        key = (finding.rule_id, scope, tokens)
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256("\x1f".join((finding.rule_id, scope, "\x1e".join(tokens)))
                                .encode("utf-8", "surrogatepass")).hexdigest()
        out[finding] = f"{digest[:32]}:{occurrence}"
    return out


def _statement_at(statements: list[_Statement], starts: list[tuple[int, int]],
                  finding: Finding) -> _Statement | None:
    import bisect

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


# ---- the baseline file -------------------------------------------------------------------------


@attrs.frozen
class Entry:
    path: str  # POSIX, relative to the project root
    rule: str
    fingerprint: str
    line: int = 0  # 1-based, for people
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.path, self.rule, self.fingerprint)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.rule, self.fingerprint)

    def to_json(self) -> dict:
        return {"path": self.path, "line": self.line, "rule": self.rule,
                "message": self.message, "fingerprint": self.fingerprint}


@attrs.frozen
class Baseline:
    file: Path  # absolute
    root: Path  # absolute project root; entry paths are relative to it
    entries: tuple[Entry, ...]
    _keys: Counter = attrs.field(init=False, eq=False, repr=False)
    _paths: frozenset = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_keys", Counter(e.key for e in self.entries))
        object.__setattr__(self, "_paths", frozenset(e.path for e in self.entries))

    def relative(self, path: str | os.PathLike) -> str | None:
        """`path` relative to the project root, POSIX; None outside it."""
        try:
            rel = Path(os.path.abspath(path)).relative_to(self.root)
        except ValueError:
            try:
                rel = Path(path).resolve().relative_to(self.root.resolve())
            except (ValueError, OSError):
                return None
        return PurePosixPath(*rel.parts).as_posix()

    def has_path(self, rel: str) -> bool:
        return rel in self._paths

    def count(self, rel: str, rule: str, fingerprint: str) -> int:
        return self._keys.get((rel, rule, fingerprint), 0)

    def __len__(self) -> int:
        return len(self.entries)


def entries_for(rel: str, findings: Iterable[Finding],
                prints: Mapping[Finding, str]) -> list[Entry]:
    return [Entry(rel, f.rule_id, prints[f], f.span.start_line + 1, f.message) for f in findings]


def dumps(entries: Iterable[Entry], root: str = ".") -> str:
    """The file's text: stable order, indent 2, trailing newline."""
    doc = {"version": FORMAT_VERSION, "tool": "bastion", "root": root,
           "findings": [e.to_json() for e in sorted(entries, key=Entry.sort_key)]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def root_field(file: Path, root: Path) -> str:
    """The project root as the file stores it: relative to the file's folder, POSIX."""
    rel_root = os.path.relpath(os.path.abspath(root), Path(os.path.abspath(file)).parent)
    return PurePosixPath(*Path(rel_root).parts).as_posix() or "."


def write_baseline(file: Path, root: Path, entries: Iterable[Entry]) -> None:
    """Write atomically; `root` is stored relative to the file's folder."""
    file = Path(os.path.abspath(file))
    text = dumps(entries, root_field(file, root))
    file.parent.mkdir(parents=True, exist_ok=True)
    tmp = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as out:
        out.write(text)
    os.replace(tmp, file)


def parse_baseline(text: str, file: Path) -> Baseline:
    file = Path(os.path.abspath(file))
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{file}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list):
        raise BaselineError(f"{file}: not a Bastion baseline (no \"findings\" list)")
    if doc.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        raise BaselineError(f"{file}: baseline format version {doc.get('version')!r} is not "
                            f"supported (expected {FORMAT_VERSION})")
    root = doc.get("root", ".")
    if not isinstance(root, str):
        raise BaselineError(f"{file}: \"root\" must be a string")
    entries = []
    for number, item in enumerate(doc["findings"]):
        try:
            entries.append(Entry(str(item["path"]), str(item["rule"]), str(item["fingerprint"]),
                                 int(item.get("line", 0)), str(item.get("message", ""))))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise BaselineError(f"{file}: findings[{number}] needs \"path\", \"rule\" and "
                                "\"fingerprint\"") from None
    return Baseline(file, Path(os.path.normpath(file.parent / root)), tuple(entries))


_CACHE: dict[str, tuple[tuple[int, int], Baseline]] = {}
_CACHE_LOCK = threading.Lock()


def load_baseline(file: str | os.PathLike) -> Baseline:
    """The baseline in `file`, re-read only when its modification time or size changes.

    Raises BaselineError when it is missing or invalid.
    """
    path = os.path.abspath(file)
    try:
        stat = os.stat(path)
    except OSError:
        raise BaselineError(f"{path}: baseline file not found "
                            "(create it with `bastion baseline create`)") from None
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _CACHE_LOCK:
        cached = _CACHE.get(path)
        if cached is not None and cached[0] == stamp:
            return cached[1]
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise BaselineError(f"{path}: cannot read the baseline ({exc})") from None
    baseline = parse_baseline(text, Path(path))
    with _CACHE_LOCK:
        _CACHE[path] = (stamp, baseline)
    return baseline


def configured_path(config) -> tuple[Path | None, bool]:
    """(baseline file for `config`, whether it was set explicitly).

    `[tool.bastion] baseline = "path"` (relative to the pyproject.toml folder) or the client's
    `baseline`; otherwise `.bastion-baseline.json` at the project root (or the nearest one
    above it, within the git work tree) when present.
    `baseline = ""` turns baselines off.
    """
    setting = getattr(config, "baseline", None)
    root = Path(os.path.abspath(config.root)) if config.root else Path.cwd()
    if setting == "":
        return None, True
    if setting:
        return Path(os.path.abspath(root / os.path.expanduser(setting))), True
    return discover(root), False


def discover(start: Path) -> Path | None:
    """`.bastion-baseline.json` in `start` or the nearest folder above it, not looking past the
    top of the git work tree (a folder holding `.git`)."""
    for folder in (start, *start.parents):
        candidate = folder / DEFAULT_NAME
        if candidate.is_file():
            return candidate
        if (folder / ".git").exists():
            return None
    return None


def baseline_for_config(config) -> Baseline | None:
    """For the language server: the baseline that applies, or None (missing or broken files
    are ignored here; `bastion check` reports them)."""
    path, _explicit = configured_path(config)
    if path is None:
        return None
    try:
        return load_baseline(path)
    except BaselineError:
        return None


def apply_baseline(findings: Sequence[Finding], path: str | os.PathLike,
                   baseline: Baseline | None, text: str | Sequence[str] | None = None,
                   suppressed: Sequence[Finding] = (),
                   ) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    """Split one file's reported `findings` into (new, baselined). Pure apart from reading
    nothing: `text` is the file's current text (or lines), needed for the fingerprints;
    `suppressed` are the file's suppressed findings, which take part in occurrence numbering.
    """
    findings = tuple(findings)
    if baseline is None or not findings or text is None:
        return findings, ()
    rel = baseline.relative(path)
    if rel is None or not baseline.has_path(rel):
        return findings, ()
    prints = fingerprints((*findings, *suppressed), text)
    return split_known(findings, rel, baseline, prints)


def split_known(findings: Sequence[Finding], rel: str, baseline: Baseline,
                prints: Mapping[Finding, str]) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
    budget = Counter()
    new: list[Finding] = []
    known: list[Finding] = []
    for finding in findings:
        key = (rel, finding.rule_id, prints[finding])
        if budget[key] < baseline.count(*key):
            budget[key] += 1
            known.append(finding)
        else:
            new.append(finding)
    return tuple(new), tuple(known)


def split_baselined(analysis, path: str | os.PathLike, text: str | Sequence[str],
                    baseline: Baseline | None):
    """For the language server: (analysis with only new findings, baselined findings)."""
    new, known = apply_baseline(analysis.findings, path, baseline, text, analysis.suppressed)
    if not known:
        return analysis, ()
    return attrs.evolve(analysis, findings=new), known


def editor_split(analysis, path: str | os.PathLike | None, text: str | Sequence[str], config):
    """For the language server, in the worker thread: (analysis with only the findings that are
    not in the project's baseline, the baselined findings). The caller shows the second part as
    hints when `config.baseline_mode == "hint"` and drops it when "hide"."""
    if not path or not analysis.findings:
        return analysis, ()
    return split_baselined(analysis, path, text, baseline_for_config(config))


def listed_in_baseline(config, path: str | os.PathLike | None) -> bool:
    """Whether the project's baseline has entries for this file (a cheap check: no tokenizing)."""
    baseline = baseline_for_config(config) if path else None
    if baseline is None:
        return False
    rel = baseline.relative(path)
    return rel is not None and baseline.has_path(rel)


def project_root(start: Path, config_file: Path | None = None) -> Path:
    """The folder of `config_file`, or of the nearest pyproject.toml at or above `start`, or
    `start` itself."""
    from bastion.config import find_pyproject

    if config_file is not None:
        return Path(os.path.abspath(config_file)).parent
    found = find_pyproject(Path(os.path.abspath(start)))
    return found.parent if found is not None else Path(os.path.abspath(start))

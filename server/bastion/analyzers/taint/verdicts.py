"""What the taint analysis knows about the calls and strings bandit's injection patterns flag,
and which of those pattern findings it retracts (TAINT.md §9).

While a function is interpreted, every call that matches a sink model and (in functions that
look like they build SQL) every string built by `+`, `%`, an f-string or `.format` is *seen*:
its value is judged for the sink class — "tainted" (untrusted data not sanitized for it),
"constant", "sanitized" (every part known, and the untrusted part cleaned for the class) or
"unknown" (some part comes from an unknown call, global or a parameter that callers fill).
The verdicts are part of the function's cached result, so they depend only on the text.

A pattern finding at a seen position is then retracted when its argument is constant or
sanitized, and replaced when it is tainted and a taint finding (which has the path) reports
that flow; otherwise it stays. Bastion's own patterns for flows the taint rules follow are
judged the same way: BST127 (a request value redirected to) against BST210, BST128 (a request
value fetched) against BST213 and BST129 (a request value opened or sent as a file) against
BST201 at the same call, BST110 (a template source built from strings) against BST214, BST130
(an lxml parser resolving entities) against a BST211 flow into a parser in the same function; BST130
is retracted only for a parser confined to its function whose every parse reads constant or
sanitized text (built from constants and from request data no markup fits in, `str(int(q))`, a
digest; not a download's, a file's or a parameter's: confined_parsers.py, not a module's parser,
one handed on or stored, nor one parsing a file).
Bandit's Markup / mark_safe patterns (B308, B703, B704) are judged against the HTML sink of the
same call, its urlopen pattern (B310) against the SSRF sink, and its torch.load pattern (B614)
against the deserialization sink, but only replaced by a taint finding, never retracted (a
constant path names a file, not a trusted one: REPLACED_ONLY); so is its tar extraction pattern
(B202) against the path sinks of the `extractall` call itself (an archive from the request,
`tarfile.open(fileobj=upload.stream)`, or a destination it names): an archive saved from an
upload at a constant or sanitized name still holds the members its sender chose; B202 is retracted
only where the function checks each member's resolved name and type first (archive_members.py).
B603 and B606 (a program run
without a shell) are judged by the whole argument vector for argument injection, and replaced by
BST217 (a request value among its arguments) or BST202 (its program). Paramiko's exec_command
pattern (B601) is judged as the shell sink of the call (the remote host's shell runs it), and
Django's `extra` and `RawSQL` patterns (B610, B611) as the SQL sink of theirs. B604 (`shell=True`
on an unknown function) and B607 (a partial executable path: the weakness is the PATH lookup of a
constant program) are not judged. Bandit's XML parse calls (B313-B319) are judged by the document
they parse (XML_DOCUMENTS): a constant document text declares no entity an attacker chose, so
its finding is retracted; a file's contents are not its constant path, so a parse of a file is
only replaced by an XXE flow into the same call (BST211), never retracted; a parser built
without a document (`XMLParser()`, `make_parser()`) is not judged.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import UNKNOWN, Step, Value, join
from bastion.analyzers.taint.upstream import upstream_line
from bastion.analyzers.taint.verdict_index import Flows, Strings, in_same_function
from bastion.model import Finding, Span
from bastion.model.finding import replacement

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

TAINTED, UNKNOWN_VERDICT, SANITIZED, CONSTANT = "tainted", "unknown", "sanitized", "constant"

# Bandit rule -> (what is judged, sink class): the sink's argument as its model reads it, the
# whole argument list (a program run without a shell is safe only when every argument is), or
# the SQL string the finding sits on.
JUDGED = {
    "B602": ("sink", "shell"), "B605": ("sink", "shell"), "B601": ("sink", "shell"),
    "B603": ("args", "argument"), "B606": ("args", "argument"),
    "B307": ("sink", "code"), "B102": ("sink", "code"),
    "B301": ("sink", "deserialize"), "B506": ("sink", "deserialize"), "B614": ("sink", "deserialize"),
    "B608": ("string", "sql"), "BST109": ("sink", "sql"), "B610": ("sink", "sql"), "B611": ("sink", "sql"),
    "B308": ("sink", "html"), "B703": ("sink", "html"), "B704": ("sink", "html"),
    "B310": ("sink", "ssrf"), "B202": ("sink", "path"),
    "BST127": ("sink", "redirect"), "BST128": ("sink", "ssrf"), "BST129": ("sink", "path"),
    "BST130": ("function", "xxe"), "BST110": ("sink", "template"),
    **{f"B31{n}": ("sink", "xml_document") for n in range(3, 10)},
}
# Judged rules whose finding only a taint finding on the same flow replaces: a constant argument
# does not make the call safe. B614's argument is a file path, and a model checkpoint at a
# constant path is still a file someone downloaded (bandit already spares `weights_only=True`).
REPLACED_ONLY = frozenset({"B614", "B202"})
# Judged rules whose verdict is the one at the finding's own call, not at a call inside it that
# starts at the same place: B202's `tarfile.open(path).extractall()` is judged by the archive
# it extracts (the `unfiltered_archive` sink), not by the name `tarfile.open` is given.
EXACT_SPAN = frozenset({"B202"})
# the verdict of an extraction whose members' names and types the function checks first
MEMBERS_CHECKED = "archive_members"
# A program run without a shell is judged by its whole vector for argument injection (shlex.quote
# does not keep a value from being an option); a tainted vector whose program or code is tainted
# is the command injection reported at the same call.
ALSO_REPLACED_BY = {"argument": "shell", "xml_document": "xxe"}
# The verdicts of the documents a confined lxml parser parses, at the call that builds it.
PARSER_CLASS = "xxe_parser"
# Bandit's XML parse calls -> (position, keyword) of the document and whether it is the text
# itself (a constant retracts) or a file, a stream or a path (what it holds is not constant).
XML_DOCUMENTS = {
    **{f"xml.etree.{tree}.{call}": (0, keyword, call == "fromstring")
       for tree in ("ElementTree", "cElementTree")
       for call, keyword in (("fromstring", "text"), ("parse", "source"), ("iterparse", "source"))},
    **{f"{module}.parseString": (0, "string", True)
       for module in ("xml.dom.expatbuilder", "xml.sax", "xml.dom.minidom", "xml.dom.pulldom")},
    "xml.dom.expatbuilder.parse": (0, "file", False), "xml.sax.parse": (0, "source", False),
    "xml.dom.minidom.parse": (0, "file", False), "xml.dom.pulldom.parse": (0, "stream_or_string", False),
}

# Functions worth interpreting for the verdicts although they read no source: they call
# something a judged pattern flags, or build SQL text (bandit's B608 expression, one line).
TRIGGER = re.compile(
    r"shell\s*=|\b(?:system|popen[234]?|exec[lv]p?e?|exec_command|spawn[lv]p?e?|eval|exec|loads?|load_all"
    r"|Unpickler|getoutput|getstatusoutput|run|call|check_call|check_output|Popen|Markup"
    r"|mark_safe|urlopen|Request|render_template_string|Template|fromstring|parseString)\s*\("
    r"|(?i:\b(?:select\s.*\sfrom|delete\s+from|insert\s+into|update\s.*\sset)\b)")
# One of these is in every match of TRIGGER (relevance.py rules out the texts holding none);
# tests/unit/test_taint_relevance_needles.py checks them against TRIGGER's parse.
TRIGGER_NEEDLES = ("shell", "system", "popen", "exec", "spawn", "eval", "load", "unpickler",
                   "getoutput", "getstatusoutput", "run", "call", "check_output", "markup",
                   "mark_safe", "urlopen", "request", "render_template_string", "template",
                   "fromstring", "parsestring", "select", "delete", "insert", "update")
SQL_TEXT = re.compile(r"(?i:\b(?:select\s.*\sfrom|delete\s+from|insert\s+into|update\s.*\sset)\b)")
# SQL_TEXT in an ASCII text once lowercased, one keyword at a time: there case folds nothing but
# the ASCII letters, and each keyword's `\b` is checked after it (`re` then looks for the
# literal first). Over 120 standard-library modules 190 ms became 28 (`find_sql_text`).
_SQL_KEYWORDS = tuple((word, re.compile(rf"{word}(?<!\w{word}){rest}\b")) for word, rest in (
    ("select", r"\s.*\sfrom"), ("delete", r"\s+from"), ("insert", r"\s+into"),
    ("update", r"\s.*\sset")))
# A file holds a judged call only if it names one of these (a substring test is cheap)...
NEEDLES = ("shell", "system", "popen", "exec", "spawn", "eval", "pickle", "yaml", "dill", "shelve",
           "subprocess", "getoutput", "Markup", "mark_safe", "urlopen", "xml")
# ... or SQL text (SQL_TEXT), looked for only where one of these is (gate.py's JudgedGate).
SQL_NEEDLES = ("elect", "ELECT", "nsert", "NSERT", "pdate", "PDATE", "elete", "ELETE")

_ORDER = {CONSTANT: 0, SANITIZED: 1, UNKNOWN_VERDICT: 2, TAINTED: 3}


def find_sql_text(text: str) -> tuple[int, int] | None:
    """The span of SQL_TEXT's first match in `text` (None: there is none), found faster: in a
    text of ASCII characters, the first place where a keyword's own expression matches (no two
    keywords start at the same place)."""
    if not text.isascii():
        match = SQL_TEXT.search(text)
        return match.span() if match is not None else None
    lowered = text.lower()  # ASCII: the same length, the same offsets
    first: tuple[int, int] | None = None
    for word, expression in _SQL_KEYWORDS:
        at = lowered.find(word)
        while at >= 0 and (first is None or at < first[0]):
            match = expression.match(lowered, at)
            if match is not None:
                first = match.span()
                break
            at = lowered.find(word, at + 1)
    return first


def judge(value: Value, sink_class: str) -> str:
    value = value.flat() if value.items else value  # a call less a judgement of a string
    if sink_class not in value.clean and any(o.kind != "param" for o in value.taint):
        return TAINTED
    if value.const is not UNKNOWN:
        return CONSTANT
    if value.known and (not value.taint or sink_class in value.clean):
        return SANITIZED
    return UNKNOWN_VERDICT


def joined(a: str | None, b: str | None) -> str | None:
    """The verdict of a position seen twice (a loop, two branches): the worse one."""
    if a is None or b is None:
        return a or b
    if a == CONSTANT and b == SANITIZED or a == SANITIZED and b == CONSTANT:
        return SANITIZED
    return a if _ORDER[a] >= _ORDER[b] else b


def _key(node: ast.AST, sink_class: str) -> tuple[int, int, int, int, str]:
    return (node.lineno - 1, node.col_offset, (node.end_lineno or node.lineno) - 1,
            node.end_col_offset or node.col_offset, sink_class)


def see_call(ev: Evaluator, node: ast.Call, sink_class: str, value: Value, args: list[Value],
             keywords: dict[str | None, Value]) -> None:
    """A call that matched a sink model of `sink_class`, with the value its model reads."""
    whole = None
    if sink_class in ("shell", "argument"):
        parts = [*args, keywords["args"]] if "args" in keywords else args
        if parts:
            whole, constants = parts[0].flat(), parts[0].const is not UNKNOWN  # no generator's frame
            for part in parts[1:]:
                whole, constants = join(whole, part.flat()), constants and part.const is not UNKNOWN
            if not whole.known and constants:
                whole = whole.evolve(known=True)
    flat = value.flat() if value.items else value  # flattened once, for both
    _record(ev, _key(node, sink_class), judge(flat, sink_class),
            judge(whole, sink_class) if whole else None, upstream_line(flat, sink_class))


def see_xml_document(ev: Evaluator, node: ast.Call, name: str | None, args: list[Value],
                     keywords: dict[str | None, Value]) -> None:
    """A call bandit flags as parsing XML (XML_DOCUMENTS), with the document it parses."""
    index, keyword, text = XML_DOCUMENTS[name]  # type: ignore[index]
    value = args[index] if len(args) > index else keywords.get(keyword)
    if value is None:
        return
    verdict = judge(value, "xxe")
    if not text and verdict in (CONSTANT, SANITIZED):
        verdict = UNKNOWN_VERDICT  # a constant path names a file, not what the file holds
    _record(ev, _key(node, "xml_document"), verdict, None, upstream_line(value.flat(), "xxe"))


def see_reported_inside(ev: Evaluator, sink: Step, sink_class: str, upstream: int) -> None:
    """A callee's sink (a same-file summary's) that this call's argument reaches after the
    finding at `upstream` reported its flow: the pattern finding there is replaced by that one
    (the caller's verdicts are taken after its callees', which are analysed first)."""
    if sink.path is None:
        _record(ev, (sink.line, sink.col, sink.end_line, sink.end_col, sink_class), TAINTED, None,
                upstream)


def record_at(ev: Evaluator, node: ast.expr, sink_class: str, verdict: str) -> None:
    _record(ev, _key(node, sink_class), verdict, None)


def see_string(ev: Evaluator, node: ast.expr, value: Value) -> None:
    _record(ev, _key(node, "sql"), judge(value, "sql"), None)


def see_helper(ev: Evaluator, seen: dict) -> None:
    """The verdicts of a helper run where it was called (closures.py): a tainted one holds,
    no other retracts anything (the helper may be called from elsewhere too)."""
    for key, (sink, whole, upstream) in seen.items():
        _record(ev, key, *(v if v in (TAINTED, None) else UNKNOWN_VERDICT for v in (sink, whole)),
                upstream)


def _record(ev: Evaluator, key: tuple, sink: str | None, whole: str | None,
            upstream: int | None = None) -> None:
    """`upstream`: the line of the finding that reports the flow into this call already
    (upstream.py); a pattern finding here is replaced by it when none is at the call."""
    old = ev.seen.get(key)
    if old is not None:
        sink, whole = joined(old[0], sink), joined(old[1], whole)
        upstream = old[2] if upstream is None else upstream if old[2] is None else min(old[2], upstream)
    ev.seen[key] = (sink, whole, upstream)


def retractions(findings: Sequence[Finding], seen: dict[tuple[Span, str], tuple],
                replacing: Sequence[Finding], classes: dict[str, str],
                functions: Sequence[tuple[int, int]]) -> dict[int, str]:
    """Index -> why, for the pattern findings the verdicts retract. `seen` holds the verdicts by
    (span in code points, sink class), `replacing` the taint findings, `classes` their rule id
    -> sink class and `functions` the analysed functions' line ranges."""
    # Membership tests and subscripts, not `get`: a key re-reads every pattern finding of the
    # file (views.py's 112 judged ones), and a call each made ~1,300 calls a key.
    starts: dict[tuple[int, int, str], tuple[Span, tuple[str | None, str | None]]] = {}
    for (span, sink_class), verdicts in seen.items():
        start = (span.start_line, span.start_col, sink_class)
        if start not in starts:
            starts[start] = (span, verdicts)
    strings = Strings([(span, verdicts[0]) for (span, sink_class), verdicts in seen.items()
                        if sink_class == "sql"])
    flows = Flows(replacing, classes)
    out: dict[int, str] = {}
    for index, finding in enumerate(findings):
        if finding.rule_id not in JUDGED:
            continue
        what, sink_class = JUDGED[finding.rule_id]
        checked = seen.get((finding.span, MEMBERS_CHECKED)) if finding.rule_id in EXACT_SPAN else None
        if checked is not None and checked[0] == SANITIZED:
            out[index] = "each member's resolved path and type are checked first"
            continue
        if what == "function":
            built = starts.get((finding.span.start_line, finding.span.start_col, PARSER_CLASS))
            if built is not None and built[1][0] in (CONSTANT, SANITIZED):
                out[index] = "every document its parser parses is constant" if built[1][0] == CONSTANT \
                    else "every document its parser parses is the program's text or data made safe"
                continue
            by = in_same_function(finding, sink_class, replacing, classes, functions)
            if by is not None:
                out[index] = replacement(by.rule_id, by.line)
            continue
        upstream = None
        if what == "string":
            span, verdict = strings.outermost(finding.span)
        else:
            if finding.rule_id in EXACT_SPAN:
                pair = seen.get((finding.span, sink_class))
                span = finding.span if pair is not None else None
            else:
                start = (finding.span.start_line, finding.span.start_col, sink_class)
                span, pair = starts[start] if start in starts else (None, None)
            verdict = None if pair is None else pair[0 if what == "sink" else 1]
            if what == "args" and verdict == TAINTED:
                shell = (span.start_line, span.start_col, "shell")
                verdict = _vector(pair, starts[shell] if shell in starts else None)
            upstream = None if pair is None else pair[2]
        if span is None or verdict is None or (
                finding.rule_id in REPLACED_ONLY and verdict in (CONSTANT, SANITIZED)):
            continue
        if verdict == CONSTANT:
            out[index] = "its argument is constant"
        elif verdict == SANITIZED:
            out[index] = f"its argument is sanitized for {sink_class}"
        else:  # tainted, or unknown in a helper (its parameters) that a caller's flow reaches
            by = flows.reporting(span, upstream, sink_class)
            if by is None and sink_class in ALSO_REPLACED_BY:
                by = flows.reporting(span, upstream, ALSO_REPLACED_BY[sink_class])
            if by is not None:
                out[index] = replacement(by.rule_id, by.line)
    return out


def _vector(arguments: tuple, program: tuple[Span, tuple] | None) -> str | None:
    """The verdict of a vector holding untrusted data, from its parts: sanitized when the
    arguments the model reads (operands after a `--` are no options) and the program and code
    (the `shell` sink of the call) each are. A vector of parts not known stays unknown: the
    model reads no arguments of one whose length it does not know."""
    safe = (CONSTANT, SANITIZED)
    if program is not None and arguments[0] in safe and program[1][0] in safe:
        return SANITIZED
    return arguments[1]

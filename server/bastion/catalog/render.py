"""Lessons for people: a small markdown reader, hint text, and `bastion explain`'s terminal view.

Lesson text uses a narrow markdown subset (paragraphs, numbered and bulleted lists, fenced code,
inline code, emphasis, links), so a few regular expressions read it; no markdown dependency.
"""

from __future__ import annotations

import re
import textwrap

import attrs

from bastion.catalog.schema import FRAMEWORKS, Lesson, RuleSpec, cwe_url

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([\w+-]*)\s*$")
_ITEM = re.compile(r"^\s*(\d+[.)]|[-*+])\s+(.*)$")
_HEADING = re.compile(r"^\s*#{1,6}\s+(.*?)\s*#*\s*$")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EMPHASIS = re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])")

_BOLD, _DIM, _CYAN, _UNDERLINE, _RESET = "\033[1m", "\033[2m", "\033[36m", "\033[4m", "\033[0m"
_SEVERITY_COLOUR = {"high": "\033[1;31m", "medium": "\033[33m", "low": "\033[36m"}
# Keeps a code span on one line when wrapping: textwrap does not split on this character.
_GLUE = "\x1f"


@attrs.frozen
class Block:
    kind: str  # "para", "item", "code" or "heading"
    text: str
    marker: str = ""  # the list marker of an item ("1." or "-"); the language of code


def blocks(text: str) -> list[Block]:
    """The blocks of a markdown text, with paragraph and item lines joined by single spaces."""
    found: list[Block] = []
    lines = text.strip("\n").split("\n")
    current: list[str] = []
    kind, marker = "", ""

    def close() -> None:
        nonlocal current, kind
        if current:
            found.append(Block(kind, " ".join(current), marker))
        current, kind = [], ""

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            close()
            indent, mark, language = fence.groups()
            code: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(mark):
                code.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i])
                i += 1
            found.append(Block("code", "\n".join(code), language))
        elif not line.strip():
            close()
        elif _HEADING.match(line):
            close()
            found.append(Block("heading", _HEADING.match(line).group(1)))
        elif _ITEM.match(line):
            close()
            item = _ITEM.match(line)
            kind, marker, current = "item", item.group(1), [item.group(2).strip()]
        else:
            if not current:
                kind, marker = "para", ""
            current.append(line.strip())
        i += 1
    close()
    return found


def after_fix_sections(lesson: Lesson) -> list[tuple[str, str]]:
    """The (heading, markdown) sections shown after "How to fix", in every full view of a lesson:
    explain, the lesson panel, SARIF help. Empty fields are left out."""
    sections = []
    if lesson.when_fine:
        sections.append(("When this is fine", lesson.when_fine))
    if lesson.how_to_test:
        sections.append(("How to test", lesson.how_to_test))
    if lesson.variants:
        sections.append(("Framework variants", "\n".join(
            f"- **{FRAMEWORKS[key]}:** {text}" for key, text in lesson.variants)))
    if lesson.affected_versions:
        sections.append(("Affected versions", "\n".join(
            f"- {line}" for line in lesson.affected_versions)))
    return sections


def first_step(how_to_fix: str) -> str:
    """The first numbered step (the hover's fix line), or the first paragraph when unnumbered."""
    parts = blocks(how_to_fix)
    for block in parts:
        if block.kind == "item" and block.marker[:-1].isdigit():
            return block.text
    for block in parts:
        if block.kind in ("para", "item"):
            return block.text
    return how_to_fix.strip()


def plain_text(markdown: str) -> str:
    """One line without markdown syntax, for terminals and hints: code keeps its characters."""
    pieces = []
    last = 0
    for span in _CODE_SPAN.finditer(markdown):
        pieces.append(_strip_inline(markdown[last:span.start()]))
        pieces.append(span.group(2).strip())
        last = span.end()
    pieces.append(_strip_inline(markdown[last:]))
    return re.sub(r"\s+", " ", "".join(pieces)).strip()


def _strip_inline(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    return _EMPHASIS.sub(r"\2", text)


def code_fence(code: str, language: str = "python") -> str:
    """A fenced block that a ``` inside the code cannot close early."""
    longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{code.rstrip()}\n{fence}"


class _Painter:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.colour else text

    def inline(self, markdown: str) -> str:
        """Inline markdown for a terminal: code coloured (or kept in backticks), links shown."""
        pieces, last = [], 0
        for span in _CODE_SPAN.finditer(markdown):
            pieces.append(_strip_inline(_LINK.sub(r"\1 <\2>", markdown[last:span.start()])))
            code = span.group(2).strip().replace(" ", _GLUE)
            pieces.append(f"\x0e{code}\x0f" if self.colour else f"`{code}`")
            last = span.end()
        pieces.append(_strip_inline(_LINK.sub(r"\1 <\2>", markdown[last:])))
        return "".join(pieces)

    def finish(self, wrapped: str) -> str:
        wrapped = wrapped.replace(_GLUE, " ")
        return wrapped.replace("\x0e", _CYAN).replace("\x0f", _RESET)


def render_terminal(spec: RuleSpec, width: int = 80, colour: bool = False) -> str:
    """The whole lesson for a terminal: wrapped to `width`, ANSI styles only when `colour`."""
    paint = _Painter(colour)
    width = max(width, 40)
    out: list[str] = []

    def heading(title: str) -> None:
        out.append("")
        out.append(paint(_BOLD + _UNDERLINE, title) if colour else f"{title}\n{'-' * len(title)}")
        out.append("")

    def wrap(markdown: str, indent: str = "  ", hanging: str | None = None) -> None:
        filled = textwrap.fill(paint.inline(markdown), width=width, initial_indent=indent,
                               subsequent_indent=hanging if hanging is not None else indent,
                               break_on_hyphens=False, break_long_words=False)
        out.append(paint.finish(filled))

    def section(markdown: str) -> None:
        previous = ""
        for block in blocks(markdown):
            # Consecutive list items stay together; everything else is separated by a blank line.
            if not (block.kind == previous == "item") and out and out[-1] != "":
                out.append("")
            if block.kind == "code":
                out.append(_code(block.text, paint))
            elif block.kind == "heading":
                out.append(paint(_BOLD, "  " + plain_text(block.text)))
            elif block.kind == "item":
                prefix = f"  {block.marker} "
                wrap(block.text, prefix, " " * len(prefix))
            else:
                wrap(block.text)
            previous = block.kind

    level = paint(_SEVERITY_COLOUR.get(spec.severity, ""), spec.severity)
    out.append(paint(_BOLD, f"{spec.id}: {spec.title}"))
    out.append(f"severity {level} · confidence {spec.confidence} · check `{spec.name}`"
               if not colour else f"severity {level} · confidence {spec.confidence} · "
                                  f"check {paint(_CYAN, spec.name)}")
    out.append(f"CWE-{spec.cwe.id}: {spec.cwe.name} <{cwe_url(spec.cwe.id)}>"
               + "".join(f", a kind of CWE-{b}" for b in spec.cwe.broader))
    out.append(f"OWASP {spec.owasp}: {spec.owasp_name}")
    if spec.tags:
        out.append(paint(_DIM, "tags: " + ", ".join(spec.tags)))
    out.append("")
    wrap(spec.lesson.summary, indent="")
    heading("Why it matters")
    section(spec.lesson.why)
    heading("How to fix")
    section(spec.lesson.how_to_fix)
    for title, markdown in after_fix_sections(spec.lesson):
        heading(title)
        section(markdown)
    heading("Vulnerable")
    out.append(_code(spec.lesson.vulnerable, paint))
    heading("Fixed")
    out.append(_code(spec.lesson.fixed, paint))
    heading("References")
    out.extend(f"  - {url}" for url in spec.lesson.references)
    return "\n".join(line.rstrip() for line in "\n".join(out).split("\n")) + "\n"


def _code(code: str, paint: _Painter) -> str:
    lines = textwrap.dedent(code.strip("\n")).split("\n")
    return "\n".join(paint(_DIM, "    │ ") + line if paint.colour else "    " + line
                     for line in lines)

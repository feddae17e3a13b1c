"""Property tests: generated variants of vulnerable code (comments, trailing commas, multi-line
calls, aliased imports, nested calls, decorators, classes, non-ASCII text, CRLF). For every fix
offered: the result parses, the finding is gone, and the text outside the rewritten statement is
byte-identical (apart from an added import)."""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.fixes import DocModel
from bastion.fixes.testing import CONFIG, apply, engine, findings, fixes
from bastion.fixes.verify import verify

# (rule, module, alias-able call template, extra statements needed). {m} is the module name as
# imported; {a} the first argument.
CALLS = [
    ("B506", "yaml", "{m}.load({a}, Loader={m}.Loader)"),
    ("B602", "subprocess", '{m}.run("make -j4 all", shell=True)'),
    ("B602", "subprocess", "{m}.check_output({a}, shell=True)"),
    ("B113", "requests", "{m}.get({a})"),
    ("B501", "requests", "{m}.post({a}, verify=False, timeout=3)"),
    ("B324", "hashlib", "{m}.md5({a})"),
    ("B311", "random", "{m}.choice({a})"),
    ("B605", "os", '{m}.system("make clean")'),
    ("B306", "tempfile", "{m}.mktemp()"),
    ("B202", "tarfile", "{m}.open({a}).extractall()"),
]
ARGS = ["path", "data[0]", "'é日本🔑'", "f(x, y=1)", "(lambda: 1)()"]


@st.composite
def variants(draw):
    rule, module, template = draw(st.sampled_from(CALLS))
    alias = draw(st.sampled_from([None, "m_" + module[:2]]))
    name = alias or module
    arg = draw(st.sampled_from(ARGS))
    call = template.format(m=name, a=arg)
    if draw(st.booleans()) and "(" in call and call.endswith(")"):
        # Multi-line layout: one argument per line, with or without a trailing comma.
        head, _, rest = call.partition("(")
        inner = rest[:-1]
        if "(" not in inner and "," in inner:
            parts = [p.strip() for p in inner.split(",")]
            comma = "," if draw(st.booleans()) else ""
            body = ",\n    ".join(parts) + comma
            call = f"{head}(\n    {body}\n)"
    if draw(st.booleans()):
        call = f"print({call})"  # nested call
    comment = draw(st.sampled_from(["", "  # note", "  # ça marche 🔑"]))
    statement = draw(st.sampled_from(["x = {c}", "{c}", "result = [{c}]"]))
    if rule == "B306":
        statement = "x = {c}"
        call = call.replace("print(", "(") if call.startswith("print(") else call
    line = statement.format(c=call) + comment
    place = draw(st.sampled_from(["module", "function", "method", "decorated", "nested"]))
    prefix = draw(st.sampled_from(["", 'label = "Grüße 日本"\n', "# leading comment\n"]))
    body = prefix + line
    if place == "module":
        code = body
    else:
        indent = "    " if place != "method" else "        "
        lines = "\n".join(indent + piece if piece else piece for piece in body.split("\n"))
        if place == "function":
            code = f"def handler(path, data, x, y, f):\n{lines}\n    return None"
        elif place == "decorated":
            code = f"@cache\ndef handler(path, data, x, y, f):\n{lines}\n    return None"
        elif place == "nested":
            lines = "\n".join("    " + piece if piece else piece for piece in lines.split("\n"))
            code = f"def handler(path, data, x, y, f):\n    if x:\n{lines}\n    return None"
        else:
            code = ("class Service:\n    timeout = 3\n\n    def handler(self, path, data, x, y, f):"
                    f"\n{lines}\n        return None")
    imported = f"import {module} as {alias}" if alias else f"import {module}"
    header = draw(st.sampled_from(['"""Module docstring — ünïcode."""\n', "", "# coding: utf-8\n"]))
    text = f"{header}{imported}\nimport json\n\n\n{code}\n\n\nTAIL = 'unchanged'  # é\n"
    if draw(st.integers(0, 5)) == 0:
        text = text.replace("\n", "\r\n")
    return text, rule


def _outside_unchanged(old: str, new: str, fix) -> bool:
    old_lines, new_lines = old.split("\n"), new.split("\n")
    if fix.imports is not None:
        count = fix.imports.text.count("\n")
        del new_lines[fix.imports.start:fix.imports.start + count]
    start, end = fix.statement.start, fix.statement.end
    tail = len(old_lines) - end - 1
    return new_lines[:start] == old_lines[:start] and new_lines[len(new_lines) - tail:] == \
        old_lines[end + 1:]


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants())
def test_fixes_parse_remove_the_finding_and_touch_nothing_else(case):
    text, rule = case
    ast.parse(text)
    found = findings(text, rule)
    if not found:
        return  # some layouts move the finding to another rule (e.g. B602 literal -> low)
    good, _rejected = fixes(text, rule)
    model = DocModel.build(text, engine())
    for fix in good:
        # Whole-document verification agrees with the scoped verification that offered it.
        assert verify(engine(), model, CONFIG, "t.py", fix.proposal(), full=True) is None
        new = apply(text, fix)
        ast.parse(new)
        assert _outside_unchanged(text, new, fix), (text, new)
        shift = fix.imports.delta if fix.imports is not None and \
            fix.imports.start <= fix.statement.start else 0
        first = fix.statement.start + shift
        last = fix.statement.end + fix.statement.delta + shift
        before = [f for f in found if fix.statement.start <= f.line <= fix.statement.end]
        after = [f for f in findings(new, rule) if first <= f.line <= last]
        assert len(after) < len(before), (fix.title, new)
        if "\r\n" in text:
            assert "\r\n" in new and "\n" not in new.replace("\r\n", "")


def _plain_command(case) -> bool:
    # A literal command with an emoji is not split (only plain words are): not a gap.
    return not (case[1] == "B602" and "🔑'," in case[0].replace("🔑', shell", "🔑',"))


@settings(max_examples=examples(30), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(variants().filter(_plain_command))
def test_common_variants_get_a_fix(case):
    """The recipes are not so narrow that realistic layouts go without a fix."""
    text, rule = case
    if not findings(text, rule):
        return
    good, rejected = fixes(text, rule)
    assert good, (text, [r for _, r in rejected])

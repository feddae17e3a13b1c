"""Safe means behaviour-preserving for every input: each fix once labelled safe is shown to change
behaviour on some input (the vulnerable and the fixed code run side by side in a subprocess), and
is now `review` with a title and a note that say what to check."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bastion.fixes.base import REVIEW, SAFE, fixable_rules
from bastion.fixes.testing import apply, fixes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fix_golden"


def _run(code: str, cwd: Path) -> str:
    """What a snippet prints (or the exception type it raises)."""
    wrapped = "try:\n" + textwrap.indent(code, "    ") + \
        "\nexcept Exception as exc:\n    print('raised', type(exc).__name__)\n"
    proc = subprocess.run([sys.executable, "-c", wrapped], capture_output=True, text=True,
                          cwd=cwd, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _only_fix(text: str, rule: str):
    good, rejected = fixes(text, rule)
    assert len(good) == 1, ([f.title for f in good], rejected)
    return good[0]


def _assert_review(fix, *words: str) -> None:
    assert fix.safety == REVIEW and not fix.preferred
    assert "(review: check " in fix.title, fix.title
    for word in words:
        assert word in fix.note, (word, fix.note)


def test_dropping_shell_fails_differently_for_a_missing_program(tmp_path):
    text = ('import subprocess\nr = subprocess.run("ls -l", shell=True, env={"PATH": "/nowhere"})\n'
            "print(r.returncode)\n")
    fix = _only_fix(text, "B602")
    _assert_review(fix, "FileNotFoundError", "PATH")
    assert _run(text, tmp_path) == "127\n"
    assert _run(apply(text, fix), tmp_path) == "raised FileNotFoundError\n"


@pytest.mark.parametrize("command", [":", "echo -e hello", "printf x", "true"])
def test_shell_builtins_are_not_run_as_programs(command):
    """`:` is no program at all; `echo -e` prints "-e" in dash but not as /bin/echo."""
    text = f"import subprocess\nsubprocess.run({command!r}, shell=True)\n"
    assert fixes(text, "B602")[0] == []


def test_safe_load_changes_a_safe_loader_subclass_with_custom_tags(tmp_path):
    text = textwrap.dedent('''\
        import yaml


        class Loader(yaml.SafeLoader):
            pass


        Loader.add_constructor("!upper", lambda loader, node: loader.construct_scalar(node).upper())
        print(yaml.load("x: !upper abc", Loader=Loader))
        ''')
    fix = _only_fix(text, "B506")
    _assert_review(fix, "SafeLoader subclass", "BaseLoader")
    assert _run(text, tmp_path) == "{'x': 'ABC'}\n"
    assert _run(apply(text, fix), tmp_path) == "raised ConstructorError\n"


def test_safe_load_types_values_base_loader_kept_as_strings(tmp_path):
    text = 'import yaml\nprint(yaml.load("port: 8080", Loader=yaml.BaseLoader))\n'
    good, _ = fixes(text, "B506")
    if not good:
        pytest.skip("bandit does not report BaseLoader")
    assert _run(text, tmp_path) == "{'port': '8080'}\n"
    assert _run(apply(text, good[0]), tmp_path) == "{'port': 8080}\n"
    _assert_review(good[0])


def test_unsafe_load_all_is_review(tmp_path):
    text = 'import yaml\nprint(list(yaml.unsafe_load_all("a: !!python/tuple [1]")))\n'
    fix = _only_fix(text, "BST114")
    _assert_review(fix, "python/* tags")
    assert _run(text, tmp_path) == "[{'a': (1,)}]\n"
    assert _run(apply(text, fix), tmp_path) == "raised ConstructorError\n"


def test_assert_becomes_a_check_that_also_runs_under_dash_o(tmp_path):
    text = "def f(x):\n    assert x > 0, 'positive'\n    return x\n\n\nprint(f(-1))\n"
    fix = _only_fix(text, "B101")
    _assert_review(fix, "python -O", "PermissionError")
    script = tmp_path / "a.py"
    script.write_text(text, encoding="utf-8")
    before = subprocess.run([sys.executable, "-O", str(script)], capture_output=True, text=True)
    script.write_text(apply(text, fix), encoding="utf-8")
    after = subprocess.run([sys.executable, "-O", str(script)], capture_output=True, text=True)
    assert before.stdout == "-1\n" and after.returncode == 1 and "AssertionError" in after.stderr


def test_dropping_none_from_jwt_algorithms_is_review():
    text = ('import jwt\n\n\ndef f(t, k):\n'
            '    return jwt.decode(t, k, algorithms=["HS256", "none"])\n')
    fix = _only_fix(text, "BST102")
    _assert_review(fix, "InvalidAlgorithmError")


@pytest.mark.parametrize("rule", sorted(fixable_rules()))
def test_every_fix_is_labelled_and_says_what_to_check(rule):
    text = (FIXTURES / f"{rule}.py").read_text(encoding="utf-8")
    good, _ = fixes(text, rule)
    for fix in good:
        assert fix.safety in (SAFE, REVIEW)
        if fix.safety == REVIEW:
            _assert_review(fix)
            assert len(fix.note) > 40 and ("check" in fix.note.lower()
                                           or "decide" in fix.note), fix.note


def test_fix_all_without_review_applies_nothing_here():
    from bastion.fixes.planner import fix_all
    from bastion.fixes.testing import CONFIG, engine
    text = (FIXTURES / "B506.py").read_text(encoding="utf-8")
    assert fix_all(engine(), text, "t.py", CONFIG).applied == []


"""module_paths answers helper_paths once per function of a module's analysis (a scan's
speed-up): the answer must be helper_paths' by the context's constants and shadowed builtins,
for every function of a few modules, and a context holding other constants or shadowing a copy
reads the function again."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

from tests.unit.test_helper_paths_shortcut import _LOOPING as LOOPING
from tests.unit.test_helper_paths_shortcut import _shape

from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.domain import constant
from bastion.analyzers.taint.helper_paths import helper_paths, module_paths

MODELS = load_models()
_MODULES = ("posixpath.py", "shlex.py", "urllib/parse.py")
_LOOPING = 'ALLOWED = ("https://a.example/", "https://b.example/")\n' + LOOPING


def _context(text: str):
    return module_context(ast.parse(text), MODELS, text=text)


def _functions(module):
    return [f.node for f in module.functions if isinstance(f.node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def test_each_function_gets_helper_paths_answer_once():
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    answered = 0
    for text in (_LOOPING, *((stdlib / m).read_text() for m in _MODULES)):
        module = _context(text)
        for node in _functions(module):
            first = module_paths(module, node)
            assert _shape(first) == _shape(helper_paths(node, module.constants, module.shadowed))
            assert module_paths(module, node) is first  # kept, not read again
            answered += first is not None
    assert answered > 10


def test_other_constants_or_shadowed_copies_are_read_again():
    module = _context(_LOOPING)
    allowed, allowed_sorted = (f.node for f in module.functions if f.name in ("allowed", "allowed_sorted"))
    assert len(module_paths(module, allowed)) == 4  # no url, each prefix, none
    module.constants = {**module.constants, "ALLOWED": constant(("https://c.example/",))}
    assert len(module_paths(module, allowed)) == 3
    assert module_paths(module, allowed_sorted) is not None
    module.shadowed = frozenset({"sorted"})  # the module's own `sorted`: no copy of a constant
    assert module_paths(module, allowed_sorted) is None
    assert len(module_paths(module, allowed)) == 3

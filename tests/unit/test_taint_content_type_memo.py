"""A method's cache key reads whether its class sets a Content-Type (function_keys.py); the
analysis of a module walks each class for it once (`CalleeMemo.sets_content_type`), not once per
method that writes. The keys are those made walking the class at every method."""

from __future__ import annotations

import ast
import sysconfig
from pathlib import Path

from bastion.analyzers.taint.analysis import python_lines
from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.callees import CalleeMemo
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.function_keys import function_key, function_texts, helper_tests, uncached_key
from bastion.analyzers.taint.media_types import sets_content_type

MODELS = load_models()
STDLIB = Path(sysconfig.get_paths()["stdlib"])
# two handlers that write, of which one declares JSON; a third declares HTML (no answer)
HANDLERS = '''
import tornado.web


class Plain(tornado.web.RequestHandler):
    def get(self):
        self.write(self.get_argument("q"))

    def post(self):
        self.write(self.get_argument("p"))


class Json(tornado.web.RequestHandler):
    def set_default_headers(self):
        self.set_header("Content-Type", "application/json")

    def get(self):
        self.write(self.get_argument("q"))


class Page(tornado.web.RequestHandler):
    def prepare(self):
        self.set_header("Content-Type", "text/html")

    def get(self):
        self.write(self.get_argument("q"))
'''
TEXTS = [HANDLERS, (STDLIB / "http" / "server.py").read_text(encoding="utf-8"),
         (STDLIB / "wsgiref" / "handlers.py").read_text(encoding="utf-8")]


def _memo(text: str) -> tuple:
    tree = ast.parse(text)
    module = module_context(tree, MODELS, None, None, text)
    return module, CalleeMemo(module, function_texts(module, python_lines(text)), None)


def test_each_class_answers_as_its_walk():
    answers = []
    for text in TEXTS:
        _, memo = _memo(text)
        classes = [n for n in ast.walk(ast.parse(text)) if isinstance(n, ast.ClassDef)]
        for node in [*classes, *reversed(classes)]:  # asked again, in the other order
            answers.append(memo.sets_content_type(node))
            assert answers[-1] == sets_content_type(node)
    assert True in answers and False in answers


def test_method_keys_are_those_of_walking_the_class_at_each_method():
    methods = 0
    for text in TEXTS:
        module, memo = _memo(text)
        for f in module.functions:
            callees = [(c, c.encode()) for c in sorted(memo(f))]
            walked = uncached_key(f, memo.digest(f), module, MODELS, callees, memo.later(f),
                                  memo.texts[f.name], helper_tests(callees, module, memo))
            assert function_key(f, memo, module, MODELS, callees) == walked, f.name
            methods += f.class_node is not None and "write" in memo.texts[f.name]
    assert methods >= 6

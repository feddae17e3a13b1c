"""Taint analysis: a function an entry model names by its name or signature alone (AWS Lambda's
`handler`, `lambda_handler`) and that the module calls as well. The entry adds its event as a
source; the parameters it does not fill are still its callers', as any function's are: a call
handing one console input or parsed arguments reports through it, as the same function under
another name does, and a constant or quoted argument (the safe twins) does not."""

from __future__ import annotations

import ast

import pytest
from tests.unit.taint_marked import marked_and_found

from bastion.analyzers.taint.analyzer import load_models
from bastion.analyzers.taint.classified import Classified
from bastion.analyzers.taint.context import module_context
from bastion.analyzers.taint.entries import Function
from bastion.engine.cache import LRU

MODELS = load_models()

CALLED = '''\
import os
import shlex


def {name}(command):
    os.system(command){mark}


{name}({argument})
'''

PARSED = '''\
import argparse
import os


def {name}(args):
    os.system(args.cmd){mark}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cmd")
    {name}({argument})
'''

LAMBDA = '''\
import os
import shlex


def {name}(event, context):
    os.system({argument}){mark}
'''

CASES = [
    pytest.param(CALLED, "input()", "  # BST202", id="input"),
    pytest.param(CALLED, '"ls -l"', "", id="constant"),
    pytest.param(CALLED, "shlex.quote(input())", "", id="quoted"),
    pytest.param(PARSED, "parser.parse_args()", "  # BST202", id="parse_args"),
    pytest.param(PARSED, 'argparse.Namespace(cmd="ls")', "", id="namespace"),
    pytest.param(LAMBDA, 'event["cmd"]', "  # BST202", id="event"),
    pytest.param(LAMBDA, 'shlex.quote(event["cmd"])', "", id="quoted_event"),
]


@pytest.mark.parametrize("name", ["handler", "lambda_handler"])
@pytest.mark.parametrize(("template", "argument", "mark"), CASES)
def test_a_named_entry_reports_what_its_callers_hand_it(template, argument, mark, name):
    expected, found = marked_and_found(template.format(name=name, argument=argument, mark=mark))
    assert found == expected


@pytest.mark.parametrize(("template", "argument", "mark"), CASES[:5])
def test_a_called_entry_reports_as_the_same_function_under_another_name(template, argument, mark):
    def found(name: str) -> set:
        return marked_and_found(template.format(name=name, argument=argument, mark=mark))[1]

    assert found("handler") == found("lambda_handler") == found("run_command")




def test_a_kept_classification_keeps_the_callers_parameters():
    # a function `functions_of` misses among the last context's (a nested view, or another
    # generation) is restored from the classification memo by its node
    text = CALLED.format(name="handler", argument="input()", mark="")
    tree = ast.parse(text)
    module = module_context(tree, MODELS, None, None, text)
    handler = next(f for f in module.functions if f.name == "handler")
    assert handler.entry is not None
    memo = Classified(LRU(16), b"digest")
    memo.keep(handler, ())
    restored = Function(handler.node, "handler")
    assert memo.restore(restored, ()) and restored.entry is handler.entry
    assert (restored.tainted_params, restored.helper) == (handler.tainted_params, handler.helper)

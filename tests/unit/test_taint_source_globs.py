"""Taint models: a `[[source]]` name with a `*` (`acme.*().incoming`, any client class of the
package) is matched as a glob, and the gate that skips files naming no source reads its word
(`acme`) from the text before the `*`. Before, the gate read a glob's model as its pattern and
the analysis of every file failed."""

from __future__ import annotations

import shutil
from pathlib import Path

from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.model_files import load_models

MODELS = Path(__file__).resolve().parents[2] / "rules" / "taint"

GLOB_SOURCE = '''
[[source]]
kind = "remote"
label = "Acme message"
names = ["acme.*().incoming"]
'''

APP = '''\
import os
import shlex
from acme import Client, Queue

client = Client()
queue = Queue()


def run():
    os.system(client.incoming)
    os.system(queue.incoming)
    os.system("echo " + shlex.quote(client.incoming))
    os.system(client.outgoing)
'''


def test_a_source_glob_is_matched_and_gated_by_its_prefix(tmp_path):
    models = tmp_path / "taint"
    shutil.copytree(MODELS, models)
    (models / "acme.toml").write_text('description = "a glob source"\n' + GLOB_SOURCE, encoding="utf-8")
    loaded = load_models(models)
    assert not loaded.problems
    analyzer = TaintAnalyzer(loaded, load_taint_rules())
    found = {(f.line, f.rule_id) for f in analyzer.analyse_file(APP, "case.py")}
    assert found == {(9, "BST202"), (10, "BST202")}
    # the gate's word: a text naming `acme` alone may read a source, one naming `acm` may not
    assert loaded.may_read_sources("import acme\n")
    assert not loaded.may_read_sources("import acm\n")

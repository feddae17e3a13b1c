"""Globals a script binds at top level from a source, read in its functions (issue 12: CLI
scripts, top_level_sources.py): an argparse namespace's attribute, an item of `sys.argv`,
`input()`, an environment variable (at its medium confidence) and a name bound from one of them
reach the sink in the function; a destination argparse converts (`type=int`) or restricts
(`choices`), a constant global, a source global bound again to a constant or quoted at top
level stay silent; one stripped or bound in a branch does not. `sys.stdin.read()` too.
Through `bastion check`, the editor's store, and a warm analyzer after Enters typed between
the top-level line and the reading function (the finding's path holds the top-level line)."""


from tests.unit.slot_edits import assert_warm_is_fresh
from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, checked

from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.model_files import load_models

MODELS, RULES = load_models(), load_taint_rules()

SCRIPT = '''import argparse
import os
import shlex
import sys

parser = argparse.ArgumentParser()
parser.add_argument("cmd")
parser.add_argument("count", type=int)
parser.add_argument("mode", choices=["fast", "slow"])
args = parser.parse_args()
DATA = sys.argv[1]
CMD = "ls " + DATA
NAME = input("name: ")
HOME = os.environ["BACKUP_HOME"]
SAFE = "uptime"
TARGET = sys.argv[2]
TARGET = "localhost"
RAW = sys.stdin.read()
QUOTED = sys.argv[3]
QUOTED = shlex.quote(QUOTED)
STRIPPED = sys.argv[4]
STRIPPED = STRIPPED.strip()
if len(sys.argv) > 5:
    OPTION = sys.argv[5]
else:
    OPTION = "-l"


def run():
    os.system(args.cmd)  # BST202


def run_count():
    os.system("sleep %d" % args.count)
    os.system("run --" + args.mode)


def run_argv():
    os.system(DATA)  # BST202


def run_derived():
    os.system(CMD)  # BST202


def greet():
    os.system("echo " + NAME)  # BST202


def backup():
    os.system("tar czf /tmp/b.tgz " + HOME)  # BST202


def constant():
    os.system(SAFE)
    os.system("ping -c 1 " + TARGET)
    os.system("ls " + QUOTED)


def more():
    os.system(RAW)  # BST202
    os.system(STRIPPED)  # BST202
    os.system("ls " + OPTION)  # BST202


run()
run_argv()
'''

# the twin: every global bound to a constant
TWIN = SCRIPT.replace("  # BST202", "").replace("parser.parse_args()", "parser.parse_args(CONSTANT)")
for source, constant in (("sys.argv[1]", '"a"'), ('input("name: ")', '"b"'), ("sys.stdin.read()", '"c"'),
                         ("sys.argv[4]", '"d"'), ("sys.argv[5]", '"e"'),
                         ('os.environ["BACKUP_HOME"]', '"/srv"')):
    TWIN = TWIN.replace(source, constant)
TWIN = TWIN.replace("args = ", 'CONSTANT = ["ls", "1", "fast"]\nargs = ', 1)


def test_globals_bound_from_sources_at_top_level_reach_the_functions_sinks(tmp_path):
    assert_checked_and_stored({"script.py": SCRIPT, "twin.py": TWIN}, tmp_path, RULE_CWE)


def test_the_path_starts_at_the_top_level_line_and_the_environment_is_medium(tmp_path):
    found = {r["line"]: r for r in checked({"script.py": SCRIPT}, tmp_path)}
    assert [s["line"] for s in found[39]["steps"]] == [11, 39, 39]
    assert [s["line"] for s in found[62]["steps"]] == [21, 62, 62]  # its two bindings in one step
    assert [s["line"] for s in found[43]["steps"]] == [11, 12, 43, 43]
    assert found[51]["confidence"] == "medium" and found[39]["confidence"] == "high"


# An Enter typed in `other`, between the top-level line and the reading function (either way
# round), moves one and not the other: a warm analyzer reports what a fresh one does.
OTHER = """

def other():
    x = 1{enter}
    return x
"""
EDITED = '''import os
import sys
{before}
{other_top}

def run():
    os.system(DATA)
    os.system(helper())


def helper():
    return DATA
{other_bottom}
{after}
run()
'''
_BOUND = "DATA = sys.argv[1]"


def test_a_warm_analyzer_after_an_enter_between_the_binding_and_the_function_is_a_fresh_one():
    for top in (True, False):
        texts = [EDITED.format(before=_BOUND if top else "", after="" if top else _BOUND,
                               other_top=OTHER.format(enter=enter) if top else "",
                               other_bottom="" if top else OTHER.format(enter=enter))
                 for enter in ("", "\n", "\n\n", "\n", "")]
        assert_warm_is_fresh(lambda: TaintAnalyzer(MODELS, RULES), texts[0], texts[1:])
        lines = {f.span.start_line for f in TaintAnalyzer(MODELS, RULES).analyse_file(texts[0], "app.py")
                 if f.rule_id == "BST202"}
        assert lines == ({11, 12} if top else {6, 7}), (top, lines)


# A binding through the module's own function or an object of its class: what it gives is that
# function's summary (`load` is a callee of `run`: an edit of `load` alone must not leave `run`
# reporting what the last text's summary gave); a method's is left out
THROUGH = '''import os
import shlex
import sys


def load(path):
    return {body}


class Helper:
    def run(self, path):
        return {body}


CONFIG = load(sys.argv[1])
obj = Helper()
OUT = obj.run(sys.argv[2])


def run():
    os.system(CONFIG)
    os.system(OUT)
'''


def test_a_binding_through_the_modules_own_function_follows_its_edits():
    texts = [THROUGH.format(body=body) for body in ("path", "shlex.quote(path)", "path")]
    assert_warm_is_fresh(lambda: TaintAnalyzer(MODELS, RULES), texts[0], texts[1:])

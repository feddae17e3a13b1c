"""Globals a script binds at top level through a tuple target, a `for` or a `with`, read in
its functions (issue 12: CLI scripts, top_level_sources.py): `a, b = sys.argv[1:3]` (each an
element of the slice), `HOST, PORT = os.environ["H"], 80` (each its own element: PORT stays a
number), a starred target, a nested one, a loop's target over `sys.argv` and a name bound in a
`with` block's body reach the sink in the function; their twins bound to constants are silent.
Through `bastion check` and the editor's store, and a warm analyzer after edits of the
binding (the module digest holds the synthesized element reads)."""


from tests.unit.slot_edits import assert_warm_is_fresh
from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.model_files import load_models

MODELS, RULES = load_models(), load_taint_rules()

SCRIPT = '''import os
import sys
import threading

LOCK = threading.Lock()
FIRST, SECOND = sys.argv[1:3]
HOST, PORT = os.environ["TARGET_HOST"], 80
HEAD, *REST = sys.argv
(LEFT, RIGHT), MODE = (sys.argv[3], "x"), "fast"
for ITEM in sys.argv[4:]:
    pass
with LOCK:
    INSIDE = sys.argv[5]


def run_first():
    os.system("ls " + FIRST)  # BST202
    os.system("ls " + SECOND)  # BST202


def run_host():
    os.system("ping -c 1 " + HOST)  # BST202
    os.system("ping -p %d localhost" % PORT)


def run_rest():
    os.system("ls " + " ".join(REST))  # BST202
    os.system("ls " + LEFT)  # BST202
    os.system("ls " + RIGHT)
    os.system("run --" + MODE)


def run_loop():
    os.system("ls " + ITEM)  # BST202
    os.system("ls " + INSIDE)  # BST202
'''

# the twin: every global bound to constants
TWIN = SCRIPT.replace("  # BST202", "")
for source, constant in (("sys.argv[1:3]", '["a", "b"]'), ('os.environ["TARGET_HOST"]', '"localhost"'),
                         ("= sys.argv\n", '= ["p", "q"]\n'), ("sys.argv[3]", '"c"'),
                         ("sys.argv[4:]", '["d"]'), ("sys.argv[5]", '"e"')):
    TWIN = TWIN.replace(source, constant)


def test_globals_bound_through_tuple_loop_and_with_targets_reach_the_functions_sinks(tmp_path):
    assert "sys.argv" not in TWIN and "environ" not in TWIN
    assert_checked_and_stored({"script.py": SCRIPT, "twin.py": TWIN}, tmp_path, RULE_CWE)


def test_a_warm_analyzer_after_edits_of_an_unpacking_binding_is_a_fresh_one():
    texts = [SCRIPT.replace("FIRST, SECOND = sys.argv[1:3]", line)
             for line in ("FIRST, SECOND = sys.argv[1:3]", 'FIRST, SECOND = "a", sys.argv[1]',
                          'FIRST, SECOND = "a", "b"', "SECOND, FIRST = sys.argv[1:3]",
                          "FIRST, SECOND = sys.argv[1:3]")]
    assert_warm_is_fresh(lambda: TaintAnalyzer(MODELS, RULES), texts[0], texts[1:])

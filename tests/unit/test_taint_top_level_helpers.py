"""Globals a script binds at top level through a function of its own (top_level_sources.py):
argparse's documented layout with the parser built in a function (`def parse_args(): ...
return parser.parse_args()`, then `ARGS = parse_args()`), a configuration parsed from the
command line by a helper (`CONFIG = load_config(sys.argv[1])`, the helper returning
`json.loads(raw)`), an environment variable read by a helper (`URL = service_url()`, at its
medium confidence), and a name bound from one of those. A function reading the global reads
what the helper's summary gives, wherever the helper is defined (after its reader too). Safe
twins: a helper returning `int(raw)` or a constant, and argparse's `type=int` destination.
"""

from tests.unit.slot_edits import assert_warm_is_fresh
from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored, checked

from bastion.analyzers.taint.analyzer import TaintAnalyzer, load_taint_rules
from bastion.analyzers.taint.model_files import load_models

MODELS, RULES = load_models(), load_taint_rules()

ARGPARSE = '''import argparse
import subprocess


def parse_args():
    parser = argparse.ArgumentParser(description="Ping a host")
    parser.add_argument("host", help="the host to ping")
    parser.add_argument("--count", type=int, default=1)
    return parser.parse_args()


def defaults():
    return {"host": "localhost"}


ARGS = parse_args()
OPTIONS = defaults()


def main():
    subprocess.run("ping -c 1 " + ARGS.host, shell=True)  # BST202
    subprocess.run("ping -c %d localhost" % ARGS.count, shell=True)
    subprocess.run("ping -c 1 " + OPTIONS["host"], shell=True)


if __name__ == "__main__":
    main()
'''

CONFIG = '''import json
import os
import sys


def run():
    os.system(CONFIG["cmd"])  # BST202
    os.system("nc -l %d" % PORT)
    os.system(MODE)
    os.system(COMMAND)  # BST202


def download():
    os.system("curl -O " + URL)  # BST202


def load_config(raw):
    return json.loads(raw)


def load_port(raw):
    return int(raw)


def load_mode(raw):
    return "fast"


def service_url():
    return os.environ["SERVICE_URL"]


CONFIG = load_config(sys.argv[1])
PORT = load_port(sys.argv[2])
MODE = load_mode(sys.argv[3])
URL = service_url()
COMMAND = "ls " + CONFIG["dir"]

if __name__ == "__main__":
    run()
    download()
'''


def test_globals_bound_through_the_modules_own_functions_reach_the_sinks(tmp_path):
    assert_checked_and_stored({"ping.py": ARGPARSE, "config.py": CONFIG}, tmp_path, RULE_CWE)


def test_the_path_starts_at_the_top_level_line_and_the_environment_stays_medium(tmp_path):
    found = {r["line"]: r for r in checked({"config.py": CONFIG}, tmp_path)}
    assert found[7]["steps"][0]["line"] == 33 and found[7]["confidence"] == "high"
    assert [s["line"] for s in found[10]["steps"]][:3] == [33, 33, 37]  # `COMMAND`, from `CONFIG`
    assert found[14]["confidence"] == "medium"


# `parse` edited between a source, a constant and a number: the reader (defined before it)
# follows each text as a fresh analyzer does
EDITED = '''import os
import sys


def main():
    os.system(SETTINGS)


def parse():
    return {body}


SETTINGS = parse()
'''


def test_a_warm_analyzer_follows_edits_of_the_helper_a_global_is_bound_through():
    texts = [EDITED.format(body=body) for body in ("sys.argv[1]", '"uptime"', "int(sys.argv[1])",
                                                    "sys.argv[1]")]
    assert_warm_is_fresh(lambda: TaintAnalyzer(MODELS, RULES), texts[0], texts[1:])
    lines = [{f.line for f in TaintAnalyzer(MODELS, RULES).analyse_file(text, "app.py")
              if f.rule_id == "BST202"} for text in texts]
    assert lines == [{5}, set(), set(), {5}]


# An object a function of the module makes (`obj = make_helper()`): its methods' summaries are
# no callee of the function reading it, so a global bound through one of its methods, and a
# call of one in the reader, are read as before (the default call model): an edit of
# `Helper.run` alone leaves a warm analyzer where a fresh one is
FACTORY = '''import os
import shlex
import sys


class Helper:
    def run(self, path):
        return {body}


def make_helper():
    return Helper()


obj = make_helper()
OUT = obj.run(sys.argv[2])


def run():
    os.system(OUT)
    os.system(obj.run(sys.argv[1]))
'''


def test_an_object_a_function_of_the_module_makes_is_read_alike_by_a_warm_analyzer():
    texts = [FACTORY.format(body=body) for body in ("path", "shlex.quote(path)", "path")]
    assert_warm_is_fresh(lambda: TaintAnalyzer(MODELS, RULES), texts[0], texts[1:])

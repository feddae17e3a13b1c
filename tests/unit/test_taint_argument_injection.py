"""Request data among the arguments of a program run without a shell is argument injection
(BST217, CWE-88; issue 12 items 4-5): a value starting with `-` is an option (`--upload-pack=`,
`-oProxyCommand=`). BST217 reports the flow with its path and replaces bandit's B603 / B606 at
the call; a tainted program stays command injection (BST202); a number, an allow-listed value or
one matched by a pattern without `-` is clean, `shlex.quote` is not. Cases written from the
subprocess, os and pexpect documentation, each vulnerable case with its safe twin."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest

from bastion.config import Config
from bastion.engine.registry import create_engine

ENGINE = create_engine()
DEFAULT = Config()
FLASK = "import os, re, shlex, subprocess\nfrom flask import Flask, request\napp = Flask(__name__)\n"
ROUTE = "@app.route('/x')\ndef view():\n"


def findings(body: str, config: Config = DEFAULT) -> list:
    source = FLASK + ROUTE + "".join(f"    {line}\n" for line in body.splitlines())
    return [f for f in ENGINE.analyse(source, "case.py", config).findings
            if f.rule_id not in ("B404", "B607")]


# (vulnerable body, its safe twin, the bandit rule BST217 replaces and the twin retracts; None:
# the twin keeps it, `os.P_WAIT` being a value the analysis does not know)
TWINS = [
    ("host = request.args['host']\nreturn subprocess.run(['ping', '-c', '1', host]).stdout",
     "host = request.args['host']\nif host not in ('a.example', 'b.example'):\n    return 'no'\nreturn subprocess.run(['ping', '-c', '1', host]).stdout",
     "B603"),
    ("return subprocess.check_output(['ping', '-c', request.args['n'], 'localhost'])",
     "return subprocess.check_output(['ping', '-c', str(int(request.args['n'])), 'localhost'])",
     "B603"),
    # shlex.quote quotes for a shell: `--upload-pack=x` comes out unchanged
    ("return subprocess.check_output(['git', 'ls-remote', shlex.quote(request.args['repo'])])",
     "repo = request.args['repo']\nif not re.fullmatch(r'[A-Za-z0-9_.]+', repo):\n    return 'no'\nreturn subprocess.check_output(['git', 'ls-remote', repo])",
     "B603"),
    ("os.execvp('git', ['git', 'clone', request.args['url']])",
     "os.execvp('git', ['git', 'clone', 'https://example.org/a.git'])",
     "B606"),
    ("os.spawnl(os.P_WAIT, '/usr/bin/tar', 'tar', 'xf', request.args['name'])",
     "os.spawnl(os.P_WAIT, '/usr/bin/tar', 'tar', 'xf', str(int(request.args['name'])) + '.tar')",
     None),
]


@pytest.mark.parametrize(("vulnerable", "safe", "bandit"), TWINS, ids=[str(i) for i in range(len(TWINS))])
def test_request_data_in_an_argument_is_reported_once_as_argument_injection(vulnerable, safe, bandit):
    found = findings(vulnerable)
    ids = {f.rule_id for f in found}
    replaced = bandit or "B606"
    assert "BST217" in ids and replaced not in ids and "BST202" not in ids
    taint = next(f for f in found if f.rule_id == "BST217")
    assert taint.cwe == 88 and taint.steps and taint.severity.name == "MEDIUM"
    assert replaced in {f.rule_id for f in findings(vulnerable, Config(bandit_exact=True))}
    assert {f.rule_id for f in findings(safe)} & {"BST217", "BST202", bandit} == set()
    if bandit is None:
        assert replaced in {f.rule_id for f in findings(safe)}


def test_pexpect_arguments_and_asyncio_exec_arguments_are_sinks():
    pexpect = "import pexpect\nchild = pexpect.spawn('ssh', [request.args['host']])"
    assert "BST217" in {f.rule_id for f in findings(pexpect)}
    assert "BST217" not in {f.rule_id for f in findings(pexpect.replace("request.args['host']", "'a.example'"))}
    exec_ = "import asyncio\nreturn asyncio.create_subprocess_exec('git', 'log', request.args['ref'])"
    assert "BST217" in {f.rule_id for f in findings(exec_)}
    # the program itself is not an argument: the name a request gives is command injection
    program = "import asyncio\nreturn asyncio.create_subprocess_exec(request.args['p'], '-v')"
    assert "BST217" not in {f.rule_id for f in findings(program)}


def test_a_tainted_program_stays_command_injection():
    # its arguments are not reported again, request data or not
    for body in ("return subprocess.run([request.args['prog'], '-v']).stdout",
                 "return subprocess.run([request.args['prog'], request.args['arg']]).stdout",
                 "return subprocess.run(['sh', '-c', request.args['cmd'], 'sh', request.args['a']]).stdout",
                 "os.execv(request.args['p'], ['p', request.args['a']])"):
        ids = {f.rule_id for f in findings(body)}
        assert "BST202" in ids and "BST217" not in ids and "B603" not in ids and "B606" not in ids


def test_a_shell_command_is_not_argument_injection():
    ids = {f.rule_id for f in findings("return subprocess.run('ping ' + request.args['h'], shell=True)")}
    assert "BST202" in ids and "BST217" not in ids


def test_unknown_values_keep_b603():
    source = "import subprocess\ndef f(ref):\n    return subprocess.check_output(['git', 'log', ref])\n"
    ids = {f.rule_id for f in ENGINE.analyse(source, "case.py", DEFAULT).findings}
    assert "B603" in ids and "BST217" not in ids


def test_text_starting_with_a_constant_other_than_a_dash_is_not_an_option():
    # `uploads/--x` is a path, not an option; `--output=` + a value chooses the option's value
    fixed = "return subprocess.run(['convert', f\"uploads/{request.args['n']}\", 'out.png']).stdout"
    assert "BST217" not in {f.rule_id for f in findings(fixed)}
    option = "return subprocess.run(['convert', '--output=' + request.args['n']]).stdout"
    assert "BST217" in {f.rule_id for f in findings(option)}


def test_a_request_program_with_no_arguments_replaces_b606_by_command_injection():
    ids = {f.rule_id for f in findings("os.execv(request.args['p'], ['p'])\nos.execl(request.args['q'])")}
    assert "BST202" in ids and "B606" not in ids and "BST217" not in ids


TOOL_TABLE = ("TOOLS = {{'ping': ['ping', '-c', '1'], {other}}}\n"
              "@app.route('/t')\ndef tool():\n    name, target = request.args['tool'], request.args['target']\n"
              "    if name not in TOOLS:\n        return 'no', 400\n"
              "    return subprocess.run(TOOLS[name] + [target]).stdout\n")


@pytest.mark.parametrize(("other", "rule"), [
    ("'dig': ['dig']", "BST217"),  # every program a constant that runs none of its arguments
    ("'lookup': ['dig', '+short']", "BST217"),  # vectors of one length, joined slot by slot
    ("'script': ['sh', '-c']", "BST202"),  # the target is the shell's command line
    ("'py': ['python3']", "BST202"),  # an interpreter runs its first argument as a script
])
def test_a_program_chosen_from_a_table_of_constant_vectors_runs_the_data_as_an_argument(other, rule):
    source = FLASK + TOOL_TABLE.format(other=other)
    found = {f.rule_id for f in ENGINE.analyse(source, "case.py", DEFAULT).findings}
    assert rule in found and ({"BST202", "BST217"} - {rule}).isdisjoint(found), found


# The idioms that build the command from the table's vector (the `list` / `tuple` / `copy`
# documentation: a shallow copy holds the same items in order; PEP 448's unpacking splices them)
BUILT = [
    "return subprocess.run([*TOOLS[name], target]).stdout",
    "return subprocess.run(list(TOOLS[name]) + [target]).stdout",
    "return subprocess.run((*tuple(TOOLS[name]), target)).stdout",
    "cmd = TOOLS[name].copy()\n    cmd.append(target)\n    return subprocess.run(cmd).stdout",
    "cmd = list(TOOLS[name])\n    cmd.extend(['-W', target])\n    return subprocess.run(cmd).stdout",
    "cmd = [*TOOLS[name]]\n    cmd += [target]\n    return subprocess.run(cmd).stdout",
]


@pytest.mark.parametrize("built", BUILT)
@pytest.mark.parametrize(("other", "rule"), [("'dig': ['dig', '+short']", "BST217"),
                                             ("'script': ['bash', '-c']", "BST202")])
def test_a_vector_copied_or_spliced_from_the_table_keeps_its_program_first(built, other, rule):
    source = FLASK + TOOL_TABLE.format(other=other).replace(
        "return subprocess.run(TOOLS[name] + [target]).stdout", built)
    found = {f.rule_id for f in ENGINE.analyse(source, "case.py", DEFAULT).findings}
    assert rule in found and ({"BST202", "BST217"} - {rule}).isdisjoint(found), found


# GNU grep's manual: `-e PATTERNS` "protects a pattern beginning with -"; getopt reads the
# argument after an option that takes a value as that value (rules/taint/programs.toml)
@pytest.mark.parametrize(("body", "rule"), [
    ("return subprocess.run(['grep', request.args['q'], '/srv/app.log']).stdout", "BST217"),
    ("return subprocess.run(['grep', '-e', request.args['q'], '/srv/app.log']).stdout", None),
    ("return subprocess.run(['/usr/bin/grep', '-i', '--regexp', request.args['q'], 'app.log']).stdout", None),
    ("return subprocess.run(['grep', '-e', 'x', request.args['f']]).stdout", "BST217"),  # a file: an option too
    ("return subprocess.run(['grep', '-f', request.args['q'], 'app.log']).stdout", "BST217"),  # not in the table
    ("return subprocess.run(['git', 'log', '--', request.args['p']]).stdout", None),
    ("return subprocess.run(['git', 'grep', '-n', request.args['p']]).stdout", "BST217"),  # -n is a flag there
    ("os.execvp('grep', ['grep', '-e', request.args['q'], 'app.log'])", None),
])
def test_the_value_of_an_option_a_program_takes_one_with_is_no_option(body, rule):
    found = {f.rule_id for f in findings(body)} & {"BST217", "BST202"}
    assert found == ({rule} if rule else set()), found


def test_a_program_model_takes_options_only(tmp_path):
    from bastion.analyzers.taint.model_files import validate_models

    (tmp_path / "x.toml").write_text('[[program]]\nnames = ["grep"]\nvalued = ["e", "--file=x"]\n')
    problems = [str(p) for p in validate_models(tmp_path)]
    assert any("valued" in p and "starting with -" in p for p in problems), problems

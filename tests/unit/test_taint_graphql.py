"""Taint analysis: GraphQL resolvers (rules/taint/graphql.toml): the arguments of a Graphene,
Ariadne or Strawberry resolver are the client's, each case with its safe twin, written from the
libraries' documented idioms (ObjectType resolvers, mutations, relay ClientIDMutation, Ariadne's
bindables, Strawberry's typed fields)."""

# ruff: noqa: E501  (cases are small modules, kept one per entry)
from __future__ import annotations

import textwrap

import pytest

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.model_files import validate_models

ANALYZER = TaintAnalyzer()

GRAPHENE = "import os\nimport sqlite3\nimport graphene\n"
ARIADNE = "import os\nfrom ariadne import QueryType, MutationType\nquery = QueryType()\nmutation = MutationType()\n"
STRAWBERRY = "import os\nimport strawberry\n"
INPUT = "@strawberry.input\nclass JobInput:\n    name: str\n    priority: int = 0\n"


def ids(source: str) -> list[str]:
    return sorted(f.rule_id for f in ANALYZER.analyse_file(textwrap.dedent(source), "case.py"))


def graphene_query(method: str, body: str, base: str = "graphene.ObjectType", decorator: str = "") -> str:
    return (GRAPHENE + f"class Query({base}):\n" + (f"    {decorator}\n" if decorator else "")
            + f"    def {method}:\n" + textwrap.indent(body, "        "))


CASES = [
    # a resolver method: `self` is the parent value, `info` the resolver's info, then the arguments
    ("BST202", graphene_query("resolve_ping(self, info, host)", "return os.popen('ping ' + host).read()\n"),
               graphene_query("resolve_ping(self, info, host)", "return os.popen('ping localhost').read()\n")),
    # a static resolver takes the parent value explicitly
    ("BST202", graphene_query("resolve_ping(root, info, host)", "return os.popen('ping ' + host).read()\n", decorator="@staticmethod"),
               graphene_query("resolve_ping(root, info)", "return os.popen('ping ' + root.host).read()\n", decorator="@staticmethod")),
    # the arguments gathered by **kwargs
    ("BST204", graphene_query("resolve_items(self, info, **kwargs)", "return sqlite3.connect('a').execute(\"select * from t where n = '%s'\" % kwargs['name'])\n"),
               graphene_query("resolve_items(self, info, **kwargs)", "return sqlite3.connect('a').execute('select * from t where n = ?', (kwargs['name'],))\n")),
    # a mutation
    ("BST201", graphene_query("mutate(self, info, name)", "return open(os.path.join('/srv', name)).read()\n", base="graphene.Mutation"),
               graphene_query("mutate(self, info, name)", "return open(os.path.join('/srv', os.path.basename(name))).read()\n", base="graphene.Mutation")),
    # relay's classmethod: `cls`, then the parent value and the info
    ("BST202", graphene_query("mutate_and_get_payload(cls, root, info, host)", "os.system('ping ' + host)\n", base="graphene.relay.ClientIDMutation", decorator="@classmethod"),
               graphene_query("mutate_and_get_payload(cls, root, info, host)", "os.system('ping ' + str(root))\n", base="graphene.relay.ClientIDMutation", decorator="@classmethod")),
    # a method that is no resolver of an ObjectType, and a resolver-named method of a plain class
    ("BST202", graphene_query("resolve_ping(self, info, host)", "os.system('ping ' + host)\n"),
               graphene_query("ping(self, info, host)", "os.system('ping ' + host)\n")),
    ("BST202", graphene_query("resolve_ping(self, info, host)", "os.system('ping ' + host)\n"),
               graphene_query("resolve_ping(self, info, host)", "os.system('ping ' + host)\n", base="object")),
    # Ariadne's bindables
    ("BST202", ARIADNE + "@query.field('ping')\ndef resolve_ping(obj, info, host):\n    return os.popen('ping ' + host).read()\n",
               ARIADNE + "@query.field('ping')\ndef resolve_ping(obj, info, host):\n    return os.popen('ping ' + obj['host']).read()\n"),
    ("BST202", ARIADNE + "@mutation.field('backup')\ndef resolve_backup(_, info, path):\n    os.system('tar czf b.tgz ' + path)\n",
               ARIADNE + "def resolve_backup(_, info, path):\n    os.system('tar czf b.tgz ' + path)\n"),
    # Strawberry: typed arguments; `info` is injected, an `int` argument is a number
    ("BST202", STRAWBERRY + "@strawberry.type\nclass Query:\n    @strawberry.field\n    def ping(self, info: strawberry.Info, host: str) -> str:\n        return os.popen('ping ' + host).read()\n",
               STRAWBERRY + "@strawberry.type\nclass Query:\n    @strawberry.field\n    def ping(self, info: strawberry.Info, count: int) -> str:\n        return os.popen('ping -c %d localhost' % count).read()\n"),
    ("BST202", STRAWBERRY + "@strawberry.type\nclass Mutation:\n    @strawberry.mutation\n    def ping(self, host: str) -> str:\n        return os.popen('ping ' + host).read()\n",
               STRAWBERRY + "@strawberry.type\nclass Mutation:\n    @strawberry.mutation\n    def ping(self, info) -> str:\n        return os.popen('ping ' + info.context['host']).read()\n"),
    # an argument of a `@strawberry.input` type: its `int` fields are numbers, its `str` ones text
    ("BST202", STRAWBERRY + INPUT + "@strawberry.type\nclass Mutation:\n    @strawberry.mutation\n    def add(self, job: JobInput) -> str:\n        return os.popen(f'enqueue {job.name}').read()\n",
               STRAWBERRY + INPUT + "@strawberry.type\nclass Mutation:\n    @strawberry.mutation\n    def add(self, job: JobInput) -> str:\n        return os.popen(f'enqueue --priority {job.priority}').read()\n"),
]


@pytest.mark.parametrize("rule_id, vulnerable, safe", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_the_vulnerable_case_reports_and_its_safe_twin_does_not(rule_id, vulnerable, safe):
    assert rule_id in ids(vulnerable)
    assert rule_id not in ids(safe)


def test_a_star_inside_a_method_name_is_refused(tmp_path):
    (tmp_path / "x.toml").write_text('[[entry]]\nlabel = "x"\nclass_bases = ["a.B"]\nmethods = ["re*solve"]\n')
    problems = [str(p) for p in validate_models(tmp_path)]
    assert any("methods" in p and "prefix" in p for p in problems), problems

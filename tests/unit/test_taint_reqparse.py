"""Flask-RESTful's and Flask-RESTX's reqparse (issue 12): an argument declared `type=int` (or
`float`) or with constant `choices` holds a number or one of those constants once
`parse_args()` returned (reqparse answers 400 otherwise), as argparse's does
(argparse_choices.py): `args["limit"]` in a query is no injection. Sound only for what the
module declares: the same name declared again without a conversion (also by
`replace_argument`), a default that is not a constant, or the parser handed to a function the
module does not hold leaves it the request's; Flask-RESTX's documenting decorators
(`@ns.expect(parser)`, `@ns.doc(parser=parser)`) add no argument. `ns.parser()` /
`api.parser()` make a RequestParser whose `parse_args()` reads the request."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_marked

RESTX = '''
import sqlite3

from flask_restx import Api, Namespace, Resource, reqparse

api = Api()
ns = Namespace("items")
parser = {maker}
parser.add_argument("limit", {declared})
{more}


@ns.route("/")
class Items(Resource):
    {decorator}
    def get(self):
        args = parser.parse_args()
        return sqlite3.connect("x.db").execute(f"SELECT * FROM items LIMIT {{args['limit']}}").fetchall()
'''
SAFE = {"maker": "reqparse.RequestParser()", "declared": "type=int, location='args'", "more": "",
        "decorator": "@ns.expect(parser)"}
# (what a vulnerable twin changes of SAFE)
VULNERABLE = [
    {"declared": "location='args'"},
    {"declared": "type=str"},
    {"declared": "choices=('10', '20'), default=DEFAULT_LIMIT"},
    {"maker": "ns.parser()", "declared": "help='how many'"},
    {"maker": "api.parser()", "declared": "help='how many'"},
    {"more": "parser.replace_argument('limit', type=str)"},
    {"more": "add_paging(parser)"},
    {"more": "other = reqparse.RequestParser()\nother.add_argument('limit')"},
]
SAFE_TOO = [
    {},
    {"declared": "type=float, required=True, help='how many'"},
    {"declared": "choices=('10', '20', '50'), default='20'"},
    {"declared": "type=int, action='append'"},
    {"maker": "ns.parser()"},
    {"maker": "api.parser()", "decorator": "@ns.doc(parser=parser)"},
    {"more": "parser.add_argument('q')"},
]


def _module(change: dict[str, str]) -> str:
    return RESTX.format(**{**SAFE, **change})


@pytest.mark.parametrize("change", VULNERABLE)
def test_an_argument_left_the_requests(change):
    source = _module(change).replace('fetchall()\n', 'fetchall()  # BST204\n')
    assert_marked(source)


@pytest.mark.parametrize("change", SAFE_TOO)
def test_an_argument_validated_by_its_declaration(change):
    from tests.unit.taint_marked import marked_and_found

    assert marked_and_found(_module(change)) == (set(), set())


RESTFUL = '''
import os
import subprocess

from flask_restful import Resource, reqparse

ping = reqparse.RequestParser()
ping.add_argument("host", required=True)
ping.add_argument("count", type=int, default=1)

HANDLERS = {"ping": lambda host: host}


class Ping(Resource):
    def post(self):
        args = ping.parse_args()
        subprocess.run(f"ping -c {args['count']} {args['host']}", shell=True)  # BST202
        subprocess.run(f"ping -c {args['count']} localhost", shell=True)
        subprocess.run("ping -c %d localhost" % args.count, shell=True)
        return HANDLERS[args["host"]](args)


class Export(Resource):
    def post(self):
        export = reqparse.RequestParser(bundle_errors=True)
        export.add_argument("fmt", choices=["csv", "json"], case_sensitive=False)
        export.add_argument("name", location="form")
        options = export.parse_args()
        os.system("export --format " + options["fmt"])
        os.system("export --name " + options["name"])  # BST202
        return {"ok": True}
'''


def test_flask_restful_resources():
    assert_marked(RESTFUL)

"""The editor's store and a method of a repository the module it analyses never imports
(held_calls.py): the route calls a service a factory of another module builds around the
repository, so the repository's module is published with the factory's (workspace_publish.py)
and the analysis's cache keys follow it: making the repository's query bound silences the
route, and making it raw again reports it, with no edit to the route's file."""

from __future__ import annotations

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.workspace import SummaryStore

RAW = '''class NoteRepository:
    def __init__(self, db):
        self.db = db

    def titled(self, title):
        return self.db.execute("SELECT body FROM notes WHERE title = '" + title + "'").fetchall()
'''
BOUND = RAW.replace('''"SELECT body FROM notes WHERE title = '" + title + "'"''',
                    '''"SELECT body FROM notes WHERE title = ?", (title,)''')
SERVICES = '''import sqlite3

from .repositories import NoteRepository


class NoteService:
    def __init__(self, repo):
        self.repo = repo

    def find(self, title):
        return self.repo.titled(title)


def notes():
    return NoteService(NoteRepository(sqlite3.connect("/srv/notes.db")))
'''
ROUTES = '''from flask import Flask, jsonify, request

from .services import notes

app = Flask(__name__)


@app.route("/notes")
def find_notes():
    return jsonify(notes().find(request.args["title"]))
'''


def test_an_edit_of_the_repository_alone_changes_what_the_route_reports(tmp_path):
    package = tmp_path / "notes"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "services.py").write_text(SERVICES)
    repositories, routes = package / "repositories.py", package / "routes.py"
    routes.write_text(ROUTES)
    analyzer = TaintAnalyzer()
    analyzer.workspace = SummaryStore([str(tmp_path)], analyzer.models, analyzer.version, False)
    for text, expected in ((RAW, [(9, "BST204")]), (BOUND, []), (RAW, [(9, "BST204")])):
        repositories.write_text(text)
        analyzer.workspace.changed(str(repositories))
        analyzer.workspace.prepare(ROUTES, str(routes))
        found = [(f.line, f.rule_id) for f in analyzer.analyse_file(ROUTES, str(routes))]
        assert found == expected

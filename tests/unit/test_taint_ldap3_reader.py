"""ldap3's abstraction layer (its documentation's tutorial): `Reader(conn, object_def, base,
query)` searches, at `reader.search()`, with the filter its query makes, a simplified query
('uid: admin') or an LDAP filter as written: request text in it is LDAP injection (CWE-90) as in
`conn.search(base, filter)`. A value escaped by `escape_filter_chars` or a constant query stays
silent."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

APP = r'''from flask import Flask, request
from ldap3 import ALL, Connection, ObjectDef, Reader, Server
from ldap3.utils.conv import escape_filter_chars

app = Flask(__name__)
server = Server("ldap.example.com", get_info=ALL)
PEOPLE = "ou=people,dc=example,dc=com"


def people_reader():
    return Connection(server, "cn=reader,dc=example,dc=com", "secret", auto_bind=True)


@app.route("/people")
def people():
    conn = people_reader()
    person = ObjectDef("inetOrgPerson", conn)
    reader = Reader(conn, person, PEOPLE, "uid: " + request.args["uid"])  # BST205
    reader.search()
    return {"people": [entry.entry_dn for entry in reader.entries]}


@app.route("/people/by-mail")
def people_by_mail():
    conn = people_reader()
    person = ObjectDef("inetOrgPerson", conn)
    reader = Reader(conn, person, PEOPLE, query="(mail=" + request.args["mail"] + ")")  # BST205
    reader.search()
    return {"people": [entry.entry_dn for entry in reader.entries]}


@app.route("/people/by-mail/escaped")
def people_by_mail_escaped():
    conn = people_reader()
    person = ObjectDef("inetOrgPerson", conn)
    reader = Reader(conn, person, PEOPLE, "(mail=" + escape_filter_chars(request.args["mail"]) + ")")
    reader.search()
    return {"people": [entry.entry_dn for entry in reader.entries]}


@app.route("/people/admins")
def admins():
    conn = people_reader()
    reader = Reader(conn, ObjectDef("inetOrgPerson", conn), PEOPLE, "memberOf: cn=admins")
    reader.search()
    return {"people": [entry.entry_dn for entry in reader.entries][: int(request.args["limit"])]}
'''


def test_a_reader_query_of_request_text_reports():
    assert_marked(APP)

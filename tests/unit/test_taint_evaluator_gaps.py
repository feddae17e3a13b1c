"""Taint analysis: evaluator gaps the sources inventory found (issue 12), each a whole module whose
marked lines are the only ones reported, also through `bastion check`: a call handed a constant
tuple (`socket.create_connection(("h", 79))`) keeps the kind its models are named by."""

from __future__ import annotations

import json

from tests.unit.taint_marked import assert_marked

from bastion.cli.main import main

SOCKETS = '''import os
import shlex
import socket


def ask():
    sock = socket.create_connection(("h", 79))
    os.system(sock.recv(1024).decode())  # BST202


def ask_with():
    with socket.create_connection(("h", 79), timeout=5) as sock:
        line = sock.makefile("rb").readline()
    os.system(line.decode())  # BST202


def serve():
    server = socket.create_server(("", 8000))
    conn, addr = server.accept()
    os.system(conn.makefile().readline())  # BST202


def ask_safely():
    sock = socket.create_connection(("h", 79))
    os.system("finger " + shlex.quote(sock.recv(1024).decode()))


def serve_safely():
    server = socket.create_server(("", 8000))
    conn, addr = server.accept()
    os.system("echo " + str(len(conn.recv(1024))))
'''


def test_a_socket_made_from_a_constant_address_receives_network_data():
    assert_marked(SOCKETS)


def test_bastion_check_reports_the_socket_cases(tmp_path, monkeypatch, capsys):
    (tmp_path / "sockets.py").write_text(SOCKETS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["check", "--no-cache", "--jobs", "1", "--format", "json", "."])
    results = json.loads(capsys.readouterr().out)["results"]
    lines = sorted(r["line"] for r in results if r["rule_id"] == "BST202")
    assert lines == [8, 14, 20]

"""Taint analysis of SQL (CWE-89) and OS command (CWE-78) idioms as the libraries' documentation
shows them in Flask, Django and FastAPI views, each vulnerable line marked (taint_marked.py) beside
its safe twin: query parameters (`?`, `%s`, `$1`, `:name`), psycopg's `sql.Identifier`,
SQLAlchemy's `text()` with bound parameters, Django's `raw` / `extra` / `RawSQL` with `params`,
argument lists, `shlex.quote` / `shlex.join`, a program taken from a dict allow-list."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from pathlib import Path

import pytest
from tests.unit.taint_marked import assert_marked, checked, editor_found, expected_checked, marked_and_found

CWE = {"BST202": 78, "BST204": 89, "BST217": 88}

FLASK_SQL = '''\
import sqlite3

import aiosqlite
import asyncpg
import MySQLdb
import pandas as pd
import peewee
import psycopg
import psycopg2
import pymysql
from flask import Flask, request
from psycopg import sql as psql
from psycopg2 import sql
from sqlalchemy import column, create_engine, literal_column, select, table, text
from sqlalchemy.orm import Session

app = Flask(__name__)
engine = create_engine("sqlite:///app.db")
db = peewee.SqliteDatabase("app.db")


@app.route("/sqlite")
def sqlite_view():
    name = request.args["name"]
    con = sqlite3.connect("app.db")
    cur = con.cursor()
    cur.execute("SELECT * FROM users WHERE name = ?", (name,))
    cur.execute(f"SELECT * FROM users WHERE name = '{name}'")  # BST204
    cur.executemany("INSERT INTO log VALUES (?)", [(name,)])
    cur.executemany("INSERT INTO log VALUES ('%s')" % name, [()])  # BST204
    con.executescript("VACUUM;")
    con.executescript("DELETE FROM log WHERE who = '" + name + "';")  # BST204
    con.execute("SELECT * FROM users WHERE name = :n", {"n": name})
    con.execute("SELECT * FROM users WHERE name = '%s'" % name)  # BST204
    return "ok"


@app.route("/pg")
def pg_view():
    name = request.args["name"]
    col = request.args["col"]
    conn = psycopg2.connect("dbname=app")
    cur = conn.cursor()
    cur.execute("SELECT * FROM users WHERE name = %s", (name,))
    cur.execute("SELECT * FROM users WHERE name = %(n)s", {"n": name})
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)  # BST204
    cur.execute(sql.SQL("SELECT {} FROM users").format(sql.Identifier(col)))
    cur.execute(sql.SQL("SELECT * FROM users WHERE name = {}").format(sql.Literal(name)))
    cur.execute(sql.SQL(f"SELECT {col} FROM users"))  # BST204
    cur.mogrify("SELECT * FROM users WHERE name = %s", (name,))
    cur.mogrify(f"SELECT * FROM users WHERE name = '{name}'")  # BST204
    return "ok"


@app.route("/pg3")
def pg3_view():
    name = request.args["name"]
    col = request.args["col"]
    with psycopg.connect("dbname=app") as conn:
        conn.execute("SELECT * FROM users WHERE name = %s", (name,))
        conn.execute(psql.SQL("SELECT {} FROM users").format(psql.Identifier(col)))
        conn.execute(f"SELECT * FROM users WHERE name = '{name}'")  # BST204
        with conn.cursor() as cur:
            cur.execute(psql.SQL("SELECT " + col + " FROM users"))  # BST204
    return "ok"


@app.route("/mysql")
def mysql_view():
    name = request.args["name"]
    conn = pymysql.connect(host="localhost", user="app", database="app")
    with conn.cursor() as cursor:
        cursor.execute("SELECT * FROM users WHERE name = %s", (name,))
        cursor.execute("SELECT * FROM users WHERE name = '%s'" % (name,))  # BST204
    db2 = MySQLdb.connect(db="app")
    c = db2.cursor()
    c.execute("SELECT * FROM users WHERE name = %s", [name])
    c.execute("SELECT * FROM users WHERE name = '{}'".format(name))  # BST204
    return "ok"


@app.route("/apg")
async def asyncpg_view():
    name = request.args["name"]
    conn = await asyncpg.connect("postgresql://localhost/app")
    await conn.fetch("SELECT * FROM users WHERE name = $1", name)
    await conn.fetch(f"SELECT * FROM users WHERE name = '{name}'")  # BST204
    await conn.fetchrow("SELECT * FROM users WHERE name = $1", name)
    await conn.fetchrow("SELECT * FROM users WHERE name = '" + name + "'")  # BST204
    await conn.execute("DELETE FROM users WHERE name = $1", name)
    await conn.execute(f"DELETE FROM users WHERE name = '{name}'")  # BST204
    return "ok"


@app.route("/asqlite")
async def aiosqlite_view():
    name = request.args["name"]
    async with aiosqlite.connect("app.db") as adb:
        await adb.execute("SELECT * FROM users WHERE name = ?", (name,))
        await adb.execute(f"SELECT * FROM users WHERE name = '{name}'")  # BST204
        async with adb.execute("SELECT * FROM users WHERE name = '%s'" % name) as cur:  # BST204
            await cur.fetchall()
    return "ok"


@app.route("/sa")
def sqlalchemy_view():
    name = request.args["name"]
    col = request.args["col"]
    with Session(engine) as session:
        session.execute(text("SELECT * FROM users WHERE name = :n"), {"n": name})
        session.execute(text("SELECT * FROM users WHERE name = :n").bindparams(n=name))
        session.execute(text(f"SELECT * FROM users WHERE name = '{name}'"))  # BST204
    with engine.connect() as conn:
        conn.execute(text("SELECT * FROM users WHERE name = :n"), {"n": name})
        conn.execute(text("SELECT * FROM users WHERE name = '" + name + "'"))  # BST204
        conn.exec_driver_sql("SELECT * FROM users WHERE name = ?", (name,))
        conn.exec_driver_sql(f"SELECT * FROM users WHERE name = '{name}'")  # BST204
    users = table("users", column("name"))
    select(users).where(users.c.name == name)
    select(users).where(text("name = :n")).params(n=name)
    select(users).where(text(f"name = '{name}'"))  # BST204
    select(literal_column("name")).select_from(users)
    select(literal_column(col)).select_from(users)  # BST204
    return "ok"


@app.route("/pandas")
def pandas_view():
    name = request.args["name"]
    pd.read_sql("SELECT * FROM users WHERE name = ?", engine, params=(name,))
    pd.read_sql(f"SELECT * FROM users WHERE name = '{name}'", engine)  # BST204
    pd.read_sql_query("SELECT * FROM users WHERE name = %(n)s", engine, params={"n": name})
    pd.read_sql_query("SELECT * FROM users WHERE name = '%s'" % name, engine)  # BST204
    return "ok"


@app.route("/peewee")
def peewee_view():
    name = request.args["name"]
    db.execute_sql("SELECT * FROM users WHERE name = ?", (name,))
    db.execute_sql(f"SELECT * FROM users WHERE name = '{name}'")  # BST204
    peewee.SQL("name = ?", [name])
    peewee.SQL(f"name = '{name}'")  # BST204
    return "ok"
'''

DJANGO_SQL = '''\
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import JsonResponse

from .models import Person


def people(request):
    name = request.GET["name"]
    list(Person.objects.filter(name=name))
    list(Person.objects.raw("SELECT * FROM app_person WHERE name = %s", [name]))
    list(Person.objects.raw(f"SELECT * FROM app_person WHERE name = '{name}'"))  # BST204
    list(Person.objects.extra(where=["name = %s"], params=[name]))
    list(Person.objects.extra(where=[f"name = '{name}'"]))  # BST204
    Person.objects.annotate(v=RawSQL("SELECT col FROM t WHERE name = %s", (name,)))
    Person.objects.annotate(v=RawSQL(f"SELECT col FROM t WHERE name = '{name}'", ()))  # BST204
    with connection.cursor() as cursor:
        cursor.execute("UPDATE app_person SET seen = 1 WHERE name = %s", [name])
        cursor.execute("UPDATE app_person SET seen = 1 WHERE name = '%s'" % name)  # BST204
    return JsonResponse({})
'''

FASTAPI_SHELL = '''\
import asyncio
import os
import shlex
import subprocess

import fabric
import paramiko
from fastapi import FastAPI

app = FastAPI()
TOOLS = {"disk": "/usr/bin/df", "mem": "/usr/bin/free"}


@app.get("/ping")
def ping(host: str):
    subprocess.run(["ping", "-c", "1", host], check=True)  # BST217
    subprocess.run("ping -c 1 " + shlex.quote(host), shell=True, check=True)
    subprocess.run(shlex.join(["ping", "-c", "1", host]), shell=True)
    subprocess.run(f"ping -c 1 {host}", shell=True, check=True)  # BST202
    subprocess.call(["nslookup", host])  # BST217
    subprocess.call("nslookup " + host, shell=True)  # BST202
    subprocess.Popen(["dig", host], stdout=subprocess.PIPE)  # BST217
    subprocess.Popen("dig %s" % host, shell=True, stdout=subprocess.PIPE)  # BST202
    subprocess.check_output(["whois", host])  # BST217
    subprocess.check_output(f"whois {host}", shell=True)  # BST202
    subprocess.check_call("uptime", shell=True)
    subprocess.getoutput("uptime")
    subprocess.getoutput("host " + host)  # BST202
    subprocess.getstatusoutput(f"host {host}")  # BST202
    return {}


@app.get("/os")
def os_view(name: str):
    os.system("ls /srv")
    os.system("ls " + shlex.quote(name))
    os.system("ls " + name)  # BST202
    os.popen("df -h").read()
    os.popen(f"du -sh {name}").read()  # BST202
    os.execvp("ls", ["ls", name])  # BST217
    os.execvp("sh", ["sh", "-c", name])  # BST202
    os.execlp(name, name)  # BST202
    os.spawnlp(os.P_WAIT, "ls", "ls", name)  # BST217
    os.spawnlp(os.P_WAIT, name, name)  # BST202
    return {}


@app.get("/tool")
def tool(which: str, arg: str):
    program = TOOLS.get(which)
    if program is None:
        return {"error": "unknown"}
    subprocess.run([program, "-h"])
    subprocess.run([which, "-h"])  # BST202
    subprocess.run(TOOLS[which] + " -h", shell=True)
    subprocess.run(which + " -h", shell=True)  # BST202
    return {}


@app.get("/async")
async def run_async(name: str):
    proc = await asyncio.create_subprocess_exec("ls", name)  # BST217
    await proc.wait()
    proc = await asyncio.create_subprocess_shell("ls " + shlex.quote(name))
    await proc.wait()
    proc = await asyncio.create_subprocess_shell(f"ls {name}")  # BST202
    await proc.wait()
    return {}


@app.get("/remote")
def remote(path: str):
    client = paramiko.SSHClient()
    client.connect("backup.example.com")
    client.exec_command("ls " + shlex.quote(path))
    client.exec_command("ls " + path)  # BST202
    c = fabric.Connection("web1")
    c.run("ls " + shlex.quote(path))
    c.run(f"ls {path}")  # BST202
    return {}
'''

# Pony's `$name` and records' `:name` are parameters the driver binds.
PONY_RECORDS_SQL = '''\
import records
from flask import Flask, request
from pony.orm import Database, db_session, raw_sql, select

app = Flask(__name__)
db = Database()
rdb = records.Database("sqlite:///app.db")


@app.route("/pony")
def pony_view():
    name = request.args["name"]
    with db_session:
        db.select("SELECT * FROM person WHERE name = $name")
        db.select(f"SELECT * FROM person WHERE name = '{name}'")  # BST204
        db.get("SELECT id FROM person WHERE name = $name")
        db.get("SELECT id FROM person WHERE name = '%s'" % name)  # BST204
        db.exists("SELECT 1 FROM person WHERE name = $name")
        db.exists("SELECT 1 FROM person WHERE name = '" + name + "'")  # BST204
        select(p for p in db.Person if raw_sql("p.name = $name"))
        select(p for p in db.Person if raw_sql(f"p.name = '{name}'"))  # BST204
    return "ok"


@app.route("/records")
def records_view():
    name = request.args["name"]
    rdb.query("SELECT * FROM person WHERE name = :name", name=name)
    rdb.query(f"SELECT * FROM person WHERE name = '{name}'")  # BST204
    return "ok"
'''

APPS = {"pony_records_sql.py": PONY_RECORDS_SQL, "flask_sql.py": FLASK_SQL, "django_sql.py": DJANGO_SQL, "fastapi_shell.py": FASTAPI_SHELL}


@pytest.mark.parametrize("name", sorted(APPS))
def test_the_analyzer_and_the_editor_report_exactly_the_marked_lines(name):
    assert_marked(APPS[name])
    assert editor_found(APPS[name], name) == marked_and_found(APPS[name])[0]


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    results = checked(APPS, tmp_path)
    found = {(Path(r["path"]).name, r["line"], r["rule_id"], r["cwe"]) for r in results}
    assert found == expected_checked(APPS, CWE)

"""pandas' readers and writers (issue 12): request data as the path or URL a reader opens is
path traversal (BST201, one finding, also for a URL: rules/taint/sinks.toml), `read_pickle` of
it deserialization (BST209), a query built from it SQL injection (BST204). Not a constant path,
one the containment guards or `basename` made safe, a buffer of the body (`io.StringIO`), an
uploaded file object (`request.files["data"]`, FastAPI's `upload.file`), data after a constant
URL of a fixed host, nor a constant query with its `params=`. Each case runs through
`bastion check`; a line that must report ends with its rule."""

from __future__ import annotations

from pathlib import Path

from tests.unit.taint_marked import assert_marked, checked, expected_checked

FLASK = '''\
import io
import os

import pandas as pd
from flask import Flask, request
from pandas import read_csv, read_pickle

BASE = "/srv/data"  # the reports' folder
app = Flask(__name__)


@app.get("/report")
def report():
    name = request.args.get("name", "")
    pd.read_csv(name)  # BST201
    read_csv("/srv/data/" + name)  # BST201
    pd.read_json(path_or_buf=name)  # BST201
    pd.read_excel(os.path.join(BASE, name), sheet_name=0)  # BST201
    pd.read_html(request.args["page"])  # BST201
    pd.read_xml(BASE + "/feeds.xml", stylesheet=request.args["xsl"])  # BST201
    frame = pd.DataFrame({"a": [1]})
    frame.to_csv(name)  # BST201
    read_pickle(name)  # BST209
    pd.read_sql(f"SELECT * FROM reports WHERE owner = '{name}'", None)  # BST204
    return "ok"


@app.route("/safe")
def safe():
    name = request.args["name"]
    pd.read_csv("/srv/data/report.csv")
    pd.read_csv(os.path.basename(name))
    full = os.path.realpath(os.path.join(BASE, name))
    if full.startswith(BASE + os.sep):
        pd.read_parquet(full)
    pd.read_csv(io.StringIO(request.get_data(as_text=True)))
    pd.read_xml(io.BytesIO(request.get_data()))
    pd.read_csv(f"https://api.example.com/export.csv?id={name}")
    url = f"https://api.example.com/{name}.csv"
    pd.read_json(url)
    pd.DataFrame({"a": [1]}).to_csv("/tmp/out.csv")
    pd.read_sql("SELECT * FROM reports WHERE owner = %(name)s", None, params={"name": name})
    return "ok"


@app.route("/upload", methods=["POST"])
def upload():
    frame = pd.read_csv(request.files["data"])
    sheet = pd.read_excel(request.files.get("sheet"))
    stream = request.files["data"].stream
    rows = pd.read_csv(stream)
    named = pd.read_csv(request.files["data"].filename)  # BST201
    for upload in request.files.getlist("more"):
        rows = pd.concat([rows, pd.read_csv(upload)])
    sizes = [len(pd.read_excel(part)) for part in request.files.values()]
    for name in request.form.getlist("names"):
        pd.read_csv(name)  # BST201
    return str(len(frame) + len(sheet) + len(rows) + len(named) + sum(sizes))
'''

FASTAPI = '''\
import pandas
from fastapi import FastAPI, UploadFile

api = FastAPI()


@api.post("/import")
async def import_rows(upload: UploadFile, name: str):
    frame = pandas.read_csv(upload.file)
    other = pandas.read_csv(name)  # BST201
    return len(frame) + len(other)
'''

APPS = {"flask_app.py": FLASK, "fastapi_app.py": FASTAPI}


def test_the_marked_lines_are_exactly_those_reported():
    for source in APPS.values():
        assert_marked(source)


def test_bastion_check_reports_pandas_readers(tmp_path):
    found = {(Path(r["path"]).as_posix(), r["line"], r["rule_id"], r["cwe"])
             for r in checked(APPS, tmp_path)}
    assert found == expected_checked(APPS, {"BST201": 22, "BST209": 502, "BST204": 89})

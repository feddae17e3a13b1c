"""Library sink variants found by the detect56 probe sweep (one Flask view per call, from each
library's documentation), each vulnerable line marked (taint_marked.py) beside its safe twin:
documents opened or written by name (openpyxl, python-docx, xlrd, pypdf, PyMuPDF, h5py,
matplotlib's savefig, xlsxwriter), SQL run by data warehouse clients (BigQuery, pandas-gbq,
Spark, Snowpark, dataset), URLs fetched by feedparser, zeep and browsers (Selenium, Playwright),
gRPC targets, models saved and loaded by name (PyTorch, joblib), a DataFrame's `query` and
`eval` (pandas' Python engine runs any code), python-ldap's `bind_s`; and a query run on a
connection or a cursor another module of the app made (`from db import cursor`), which a
from-import may bind as a module. What the sweep found over-reported is
test_taint_library_results.py's."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps, assert_marked

# Readers of a file by name, which also take an open file: the upload itself is its content,
# not a name (`path_or_url`), and a name reduced by `secure_filename` stays in the folder.
DOCUMENTS = '''\
import io
import os

import docx
import fitz
import h5py
import matplotlib.pyplot as plt
import openpyxl
import xlrd
import xlsxwriter
from flask import Flask, request
from pypdf import PdfReader
from werkzeug.utils import secure_filename

app = Flask(__name__)
REPORTS = "/srv/reports"


@app.route("/sheet")
def sheet():
    book = openpyxl.load_workbook(os.path.join(REPORTS, request.args["name"]))  # BST201
    upload = openpyxl.load_workbook(request.files["sheet"])
    kept = openpyxl.load_workbook(os.path.join(REPORTS, secure_filename(request.args["name"])))
    return str(len(book.sheetnames) + len(upload.sheetnames) + len(kept.sheetnames))


@app.route("/letter")
def letter():
    document = docx.Document(request.args["path"])  # BST201
    sent = docx.Document(request.files["letter"].stream)
    return str(len(document.paragraphs) + len(sent.paragraphs))


@app.route("/legacy")
def legacy():
    xlrd.open_workbook(filename=request.form["file"])  # BST201
    return "opened"


@app.route("/pdf")
def pdf():
    reader = PdfReader(f"{REPORTS}/{request.args['doc']}")  # BST201
    uploaded = PdfReader(request.files["doc"])
    pages = fitz.open(request.args["doc"])  # BST201
    return str(len(reader.pages) + len(uploaded.pages) + len(pages))


@app.route("/chart")
def chart():
    plt.plot([1, 2, 3])
    plt.savefig(os.path.join(REPORTS, request.args["name"]))  # BST201
    fig, _ = plt.subplots()
    fig.savefig(f"{REPORTS}/{request.args['name']}.png")  # BST201
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    book = xlsxwriter.Workbook(os.path.join(REPORTS, request.args["name"]))  # BST201
    book.close()
    return buffer.getvalue()


@app.route("/array")
def array():
    with h5py.File(request.args["store"], "r") as store:  # BST201
        return str(len(store))
'''

# Data warehouse clients run the text they are given; the values passed apart are bound.
WAREHOUSES = '''\
import pandas as pd
from flask import Flask, request
from google.cloud import bigquery
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

app = Flask(__name__)
client = bigquery.Client()
spark = SparkSession.builder.appName("reports").getOrCreate()


@app.route("/bq")
def bq():
    name = request.args["name"]
    rows = client.query(f"SELECT * FROM shop.orders WHERE customer = '{name}'").result()  # BST204
    config = bigquery.QueryJobConfig(query_parameters=[
        bigquery.ScalarQueryParameter("name", "STRING", name)])
    bound = client.query("SELECT * FROM shop.orders WHERE customer = @name", job_config=config).result()
    return str(rows.total_rows + bound.total_rows)


def totals(bq_client, region):
    return bq_client.query_and_wait("SELECT SUM(x) FROM t WHERE region = '" + region + "'")  # BST204


@app.route("/totals")
def region_totals():
    return str(totals(client, request.args["region"]))


@app.route("/gbq")
def gbq():
    frame = pd.read_gbq("SELECT * FROM t WHERE id = " + request.args["id"])  # BST204
    return str(len(frame))


@app.route("/spark")
def spark_view():
    table = request.args["table"]
    frame = spark.sql("SELECT * FROM " + table)  # BST204
    bound = spark.sql("SELECT * FROM events WHERE kind = {kind}", kind=request.args["kind"])
    picked = spark.table("events").where(F.expr("kind = '" + request.args["kind"] + "'"))  # BST204
    return str(frame.count() + bound.count() + picked.count())
'''

SNOWPARK = '''\
from flask import Flask, request
from snowflake.snowpark import Session

app = Flask(__name__)
session = Session.builder.configs({}).create()


@app.route("/snow")
def snow():
    rows = session.sql("SELECT * FROM t WHERE n = '" + request.args["n"] + "'").collect()  # BST204
    bound = session.sql("SELECT * FROM t WHERE n = ?", params=[request.args["n"]]).collect()
    return str(len(rows) + len(bound))
'''

# A URL fetched by a feed reader or a SOAP client, and a gRPC channel's target; a fixed host
# before the request's data keeps the request there.
FETCHERS = '''\
import feedparser
import grpc
import zeep
from flask import Flask, request

app = Flask(__name__)


@app.route("/feed")
def feed():
    parsed = feedparser.parse(request.args["url"])  # BST213
    fixed = feedparser.parse("https://news.example.com/feeds/" + request.args["topic"] + ".xml")
    return str(len(parsed.entries) + len(fixed.entries))


@app.route("/soap")
def soap():
    client = zeep.Client(wsdl=request.args["wsdl"])  # BST213
    fixed = zeep.Client("https://soap.example.com/service?wsdl")
    return str(len(client.service.Ping()) + len(fixed.service.Ping(request.args["x"])))


@app.route("/rpc")
def rpc():
    channel = grpc.insecure_channel(request.args["target"])  # BST213
    fixed = grpc.insecure_channel("inventory:50051")
    return str(channel is fixed)
'''

# Models saved and loaded by name (an upload is its content: unpickling it is BST209's), a
# DataFrame's expression, dataset's query, a python-ldap bind's DN, and browsers sent to a URL.
ML_AND_MORE = '''\
import os

import dataset
import joblib
import ldap
import pandas as pd
import torch
from flask import Flask, request
from playwright.sync_api import sync_playwright
from selenium import webdriver

app = Flask(__name__)
MODELS = "/srv/models"


@app.route("/model")
def model():
    weights = torch.load(os.path.join(MODELS, request.args["name"]), weights_only=True)  # BST201
    sent = torch.load(request.files["weights"], weights_only=True)
    torch.save(weights, f"{MODELS}/{request.args['name']}.pt")  # BST201
    joblib.dump(sent, os.path.join(MODELS, os.path.basename(request.args["name"])))
    return "saved"


@app.route("/filter")
def filter_rows():
    frame = pd.read_csv("/srv/data.csv")
    picked = frame.query(request.args["q"])  # BST206
    frame.eval(request.args["expr"], inplace=True)  # BST206
    bound = frame.query("price > @limit", local_dict={"limit": float(request.args["limit"])})
    return str(len(picked) + len(bound))


@app.route("/people")
def people():
    db = dataset.connect("sqlite:///people.db")
    rows = db.query("SELECT * FROM people WHERE team = '" + request.args["team"] + "'")  # BST204
    bound = db.query("SELECT * FROM people WHERE team = :team", team=request.args["team"])
    return str(len(list(rows)) + len(list(bound)))


@app.route("/login", methods=["POST"])
def login():
    conn = ldap.initialize("ldap://ldap.example.com")
    conn.bind_s("uid=" + request.form["user"] + ",ou=people,dc=example,dc=com", request.form["pw"])  # BST205
    safe = ldap.dn.escape_dn_chars(request.form["user"])
    conn.bind_s(f"uid={safe},ou=people,dc=example,dc=com", request.form["pw"])
    return "ok"


@app.route("/shot")
def shot():
    driver = webdriver.Chrome()
    driver.get(request.args["url"])  # BST213
    driver.get("https://status.example.com/" + request.args["page"])
    with sync_playwright() as pw:
        page = pw.chromium.launch().new_page()
        page.goto(request.args["url"])  # BST213
        page.goto(f"https://status.example.com/{request.args['page']}")
        return "taken"
'''

APPS = {"documents.py": DOCUMENTS, "warehouses.py": WAREHOUSES, "snowpark.py": SNOWPARK, "fetchers.py": FETCHERS, "ml_and_more.py": ML_AND_MORE}


@pytest.mark.parametrize("source", list(APPS.values()), ids=list(APPS))
def test_each_app_reports_its_marked_lines_alone(source):
    assert_marked(source)


def test_bastion_check_reports_them_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)


# A connection and a cursor made by another module of the app, imported by name: what a
# from-import binds may be a module, but no module has an `execute` function that does not run
# SQL. duckdb's is one finding, as before.
SHARED = {
    "db.py": '''\
import sqlite3

conn = sqlite3.connect("app.db")
cursor = conn.cursor()
''',
    "views.py": '''\
import duckdb
from flask import Flask, request

from db import conn, cursor

app = Flask(__name__)


@app.route("/items")
def items():
    name = request.args["name"]
    cursor.execute("SELECT * FROM items WHERE name = '" + name + "'")  # BST204
    conn.executescript("DELETE FROM items WHERE name = '%s';" % name)  # BST204
    conn.execute("SELECT * FROM items WHERE name = ?", (name,))
    duckdb.execute("SELECT * FROM items WHERE name = '" + name + "'")  # BST204
    return "ok"
''',
}


def test_a_connection_imported_from_another_module_runs_sql(tmp_path):
    assert_marked(SHARED["views.py"])
    assert_checked_apps(SHARED, tmp_path)

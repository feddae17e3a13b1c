"""Taint analysis on a realistic app written from the frameworks' documentation and everyday idioms:
a lab-style Flask app of one route per weakness (a query built in a loop and run as a script,
Popen pipes, a template file's placeholder replaced, urllib3 / urllib / http.client / socket
requests, SAX with external entities, compiled XPath, redirects by header, exec of a payload).
Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe
twin or plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'dvwa_like.py': r'''import base64
import http.client
import os
import pickle
import socket
import sqlite3
import subprocess
import urllib.request
import xml.sax
from subprocess import PIPE, Popen
from urllib.parse import quote

import jinja2
import urllib3
import yaml
from flask import (
    Flask,
    Response,
    abort,
    make_response,
    redirect,
    render_template_string,
    request,
    session,
)
from lxml import etree
from werkzeug.security import safe_join

app = Flask(__name__)
app.config["UPLOAD_FOLDER"] = "/srv/uploads"
http_pool = urllib3.PoolManager()


@app.route("/sqli/batch", methods=["POST"])
def sqli_batch():
    db = sqlite3.connect("lab.db")
    ids = request.form.getlist("id")
    query = "DELETE FROM notes WHERE id IN ("
    for i in ids:
        query += "'" + i + "',"
    query = query.rstrip(",") + ")"
    db.executescript(query)  # BST204
    return "deleted"


@app.route("/sqli/batch2", methods=["POST"])
def sqli_batch_safe():
    db = sqlite3.connect("lab.db")
    ids = request.form.getlist("id")
    marks = ",".join("?" for _ in ids)
    db.execute(f"DELETE FROM notes WHERE id IN ({marks})", ids)
    return "deleted"


@app.route("/exec/tail")
def tail():
    n = request.args.get("n", "10")
    p = Popen("tail -n " + n + " /var/log/lab.log", shell=True, stdout=PIPE)  # BST202
    out, _ = p.communicate()
    return Response(out, mimetype="text/plain")


@app.route("/exec/tail2")
def tail_safe():
    n = request.args.get("n", "10")
    if not n.isdigit():
        abort(400)
    p = Popen("tail -n " + n + " /var/log/lab.log", shell=True, stdout=PIPE)
    return Response(p.communicate()[0], mimetype="text/plain")


@app.route("/files/view")
def view_file():
    filename = request.args.get("file", "")
    path = os.path.join(app.config["UPLOAD_FOLDER"], filename)
    with open(path, "rb") as fh:  # BST201
        return fh.read()


@app.route("/files/view2")
def view_file_safe():
    path = safe_join(app.config["UPLOAD_FOLDER"], request.args.get("file", ""))
    if path is None:
        abort(404)
    with open(path, "rb") as fh:
        return fh.read()


@app.route("/tpl/page")
def page():
    with open("templates/page.html") as fh:
        tpl = fh.read()
    return render_template_string(tpl.replace("{{ title }}", request.args.get("title", "")))  # BST214


@app.route("/tpl/jinja")
def jinja_page():
    tpl = jinja2.Template(request.args.get("t", ""))  # BST214
    return {"page": tpl.render()}


@app.route("/ssrf/pool")
def ssrf_pool():
    r = http_pool.request("GET", request.args["url"])  # BST213
    return r.data


@app.route("/ssrf/req")
def ssrf_req():
    req = urllib.request.Request(request.args["url"], headers={"User-Agent": "lab"})  # BST213
    return urllib.request.urlopen(req).read()


@app.route("/ssrf/http")
def ssrf_http():
    conn = http.client.HTTPConnection(request.args["host"])  # BST213
    conn.request("GET", "/")
    return conn.getresponse().read()


@app.route("/ssrf/port")
def port_check():
    host = request.args["host"]
    try:
        socket.create_connection((host, 22), timeout=2).close()  # BST213
        return "open"
    except OSError:
        return "closed"


@app.route("/deser/cookie")
def deser_cookie():
    prefs = pickle.loads(base64.urlsafe_b64decode(request.cookies["prefs"]))  # BST209
    return {"prefs": list(prefs)}


@app.route("/deser/yaml", methods=["POST"])
def deser_yaml():
    doc = yaml.load(request.files["cfg"].read(), Loader=yaml.UnsafeLoader)  # BST209
    return {"keys": list(doc)}


@app.route("/xxe/sax", methods=["POST"])
def xxe_sax():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    parser.parse(request.files["doc"])  # BST211
    return "parsed"


@app.route("/xpath/login", methods=["POST"])
def xpath_login():
    root = etree.parse("users.xml")
    user, pw = request.form["user"], request.form["pw"]
    q = "//user[name/text()='" + user + "' and password/text()='" + pw + "']"
    found = root.xpath(q)  # BST212
    return "ok" if found else "no"


@app.route("/xpath/login2", methods=["POST"])
def xpath_login_safe():
    root = etree.parse("users.xml")
    found = root.xpath("//user[name/text()=$u and password/text()=$p]",
                       u=request.form["user"], p=request.form["pw"])
    return "ok" if found else "no"


@app.route("/xpath/compiled")
def xpath_compiled():
    find = etree.XPath("//user[name/text()='%s']" % request.args["user"])  # BST212
    return str(len(find(etree.parse("users.xml"))))


@app.route("/redir/perm")
def redir_perm():
    return redirect(request.form.get("url") or request.args.get("url", "/"), code=301)  # BST210


@app.route("/redir/header")
def redir_header():
    return Response(status=302, headers={"Location": request.args["to"]})  # BST210


@app.route("/redir/header2")
def redir_header_safe():
    return Response(status=302, headers={"Location": "/home?from=" + quote(request.args["to"])})


@app.route("/redir/manual")
def redir_manual():
    resp = make_response("", 302)
    resp.headers["Location"] = request.args["to"]  # BST210
    return resp


@app.route("/trust/admin", methods=["POST"])
def trust_admin():
    session["is_admin"] = request.form.get("admin") == "1"
    session["display"] = request.form.get("display", "")  # BST208
    return "ok"


@app.route("/xss/attr")
def xss_attr():
    color = request.args.get("c", "red")
    html = '<span style="color:{}">hi</span>'.format(color)
    resp = make_response(html)  # BST203
    return resp


@app.route("/xss/json")
def xss_json():
    return {"c": request.args.get("c", "red")}


@app.route("/code/exec", methods=["POST"])
def code_exec():
    src = base64.b64decode(request.form["payload"]).decode()
    ns = {}
    exec(src, ns)  # BST206
    return str(ns.get("result"))


@app.route("/code/compile")
def code_compile():
    fn = eval("lambda x: " + request.args["expr"])  # BST206
    return str(fn(2))


@app.route("/log/error")
def log_error():
    try:
        int(request.args["n"])
    except ValueError:
        app.logger.error("bad number: %s" % request.args["n"])  # BST207
    return "ok"


@app.route("/cmd/check_output")
def cmd_co():
    out = subprocess.check_output(["sh", "-c", "whois " + request.args["d"]])  # BST202
    return Response(out, mimetype="text/plain")


@app.route("/cmd/env")
def cmd_env():
    env = dict(os.environ, TARGET=request.args["t"])
    out = subprocess.check_output("ping -c1 $TARGET", shell=True, env=env)
    return Response(out, mimetype="text/plain")
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)

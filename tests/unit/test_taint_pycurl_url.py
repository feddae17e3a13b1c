"""pycurl: `c.setopt(pycurl.URL, url)` with request data is a server-side request forgery
(BST213), also with the constant read off the handle (`c.setopt(c.URL, url)`), imported by name
or on a handle the function does not follow. The twins do not report: request data given to
another option (`USERAGENT`), a constant URL, a URL whose fixed prefix names the host. Through
`bastion check`; a line that must report ends with its rule."""

from tests.unit.taint_marked import assert_checked_apps

VIEWS = '''from io import BytesIO

import pycurl
from flask import Flask, request
from pycurl import URL

app = Flask(__name__)


@app.route("/fetch")
def fetch():
    buf = BytesIO()
    c = pycurl.Curl()
    c.setopt(pycurl.URL, request.args["url"])  # BST213
    c.setopt(pycurl.WRITEDATA, buf)
    c.perform()
    return buf.getvalue()


@app.route("/handle")
def handle():
    c = pycurl.Curl()
    c.setopt(c.URL, request.args["url"])  # BST213
    c.perform()
    return "ok"


@app.route("/named")
def named():
    c = pycurl.Curl()
    c.setopt(URL, request.args["url"])  # BST213
    c.perform()
    return "ok"


class Fetcher:
    def __init__(self, curl):
        self.curl = curl

    def get(self, url):
        self.curl.setopt(self.curl.URL, url)  # BST213
        self.curl.perform()


@app.route("/unfollowed")
def unfollowed():
    Fetcher(pycurl.Curl()).get(request.args["url"])
    return "ok"


@app.route("/agent")
def agent():
    c = pycurl.Curl()
    c.setopt(pycurl.URL, "https://example.com/")
    c.setopt(pycurl.USERAGENT, request.args["ua"])
    c.perform()
    return "ok"


@app.route("/item")
def item():
    c = pycurl.Curl()
    c.setopt(pycurl.URL, "https://api.example.com/items/" + request.args["id"])
    c.perform()
    return "ok"
'''


def test_pycurl_url_option_is_a_request(tmp_path):
    assert_checked_apps({"views.py": VIEWS}, tmp_path)

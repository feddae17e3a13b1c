"""Taint analysis through `bastion check`: BeautifulSoup's searches (`find`, `select_one`,
`find_all`) return the parsed document's tags, so a link found in a posted document
(`BeautifulSoup(request.data, "html.parser").find("a")["href"]`, `tag.get("href")`) is the
request's data in a redirect or a fetch, not `str.find`'s number; the links of the program's own
page are not (marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

VIEWS = '''\
import requests
from bs4 import BeautifulSoup
from flask import Flask, redirect, request

app = Flask(__name__)
PAGE = "<a href='/home'>home</a>"


@app.route("/follow", methods=["POST"])
def follow():
    href = BeautifulSoup(request.data, "html.parser").find("a")["href"]
    return redirect(href)  # BST210


@app.route("/preview", methods=["POST"])
def preview():
    soup = BeautifulSoup(request.get_data(as_text=True), "html.parser")
    link = soup.select_one("div.card").find("a")
    return requests.get(link.get("href"), timeout=5).text  # BST213


@app.route("/links", methods=["POST"])
def links():
    soup = BeautifulSoup(request.data, "html.parser")
    return [requests.get(a["href"], timeout=5).status_code for a in soup.find_all("a")]  # BST213


@app.route("/home")
def home():
    href = BeautifulSoup(PAGE, "html.parser").find("a")["href"]
    position = request.args.get("q", "").find("/")
    return redirect(href + "?at=" + str(position))
'''


def test_soup_searches_return_the_documents_tags(tmp_path):
    assert_checked_apps({"views.py": VIEWS}, tmp_path)

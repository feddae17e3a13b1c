"""A DataFrame written as an HTML table: pandas' `to_html()` escapes every cell, so request data
in the frame is no XSS (sanitizers.toml, `pandas.*.to_html`). It stays one with `escape=False`
(or an `escape` the function does not fix, or maybe in `**options`: `unless`), and through a
Styler (`df.style...to_html()`, which escapes nothing by default: `not_through`). Rows or
columns picked from a frame (`frame[mask]`, `frame[["a", "b"]]`) are a frame, whose `to_html`
escapes as well. Through `bastion check` and the editor's store; a line that must report ends
with its rule."""

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

DJANGO = '''import pandas as pd
from django.http import HttpResponse
from pandas.io.formats.style import Styler


def table(request):
    frame = pd.DataFrame({"q": [request.GET["q"]]})
    return HttpResponse(frame.to_html())


def uploaded(request):
    frame = pd.read_csv(request.FILES["data"])
    return HttpResponse(frame.head(10).to_html(classes="table", index=False))


def filtered(request):
    frame = pd.DataFrame({"q": [request.GET["q"]]})
    shown = frame[frame["q"] != ""]
    return HttpResponse(shown.to_html() + frame[["q"]].head().to_html())


def filtered_unescaped(request):
    frame = pd.DataFrame({"q": [request.GET["q"]]})
    return HttpResponse(frame[frame["q"] != ""].to_html(escape=False))  # BST203


def filtered_styled(request):
    frame = pd.DataFrame({"q": [request.GET["q"]]})
    return HttpResponse(frame[frame["q"] != ""].style.to_html())  # BST203


def unescaped(request):
    frame = pd.DataFrame({"q": [request.GET["q"]]})
    return HttpResponse(frame.to_html(escape=False))  # BST203


def chosen(request, raw=False):
    frame = pd.DataFrame({"q": [request.GET["q"]]})
    return HttpResponse(frame.to_html(escape=not raw))  # BST203


def options(request, **opts):
    frame = pd.DataFrame({"q": [request.GET["q"]]})
    return HttpResponse(frame.to_html(**opts))  # BST203


def styled(request):
    frame = pd.DataFrame({"q": [request.GET["q"]]})
    return HttpResponse(frame.style.to_html())  # BST203


def highlighted(request):
    frame = pd.DataFrame({"q": [request.GET["q"]]})
    styler = frame.style.highlight_max()
    return HttpResponse(styler.to_html())  # BST203


def built_styler(request):
    frame = pd.DataFrame({"q": [request.GET["q"]]})
    return HttpResponse(Styler(frame).to_html())  # BST203
'''


def test_django_dataframe_html_tables(tmp_path):
    assert_checked_and_stored({"views.py": DJANGO}, tmp_path, RULE_CWE)



# A Flask view returning the table itself: `to_html`'s result is the page's markup, text the
# view sends, as a string it built would be (responses.py); escaped cells stay silent.
FLASK = '''import pandas as pd
from flask import Flask, request

app = Flask(__name__)


@app.route("/table")
def table():
    frame = pd.DataFrame({"name": [request.args.get("name")]})
    return frame.to_html()


@app.route("/filtered")
def filtered():
    frame = pd.DataFrame({"name": [request.args.get("name")]})
    return frame[frame["name"] != ""].to_html(index=False)


@app.route("/raw")
def raw():
    frame = pd.DataFrame({"name": [request.args.get("name")]})
    return frame.to_html(escape=False)  # BST203


@app.route("/styled")
def styled():
    frame = pd.DataFrame({"name": [request.args.get("name")]})
    return frame.style.to_html()  # BST203


@app.route("/pair")
def pair():
    frame = pd.DataFrame({"name": [request.args.get("name")]})
    return frame.to_html(escape=False), 200  # BST203
'''


def test_flask_view_returns_dataframe_html(tmp_path):
    assert_checked_and_stored({"app.py": FLASK}, tmp_path, RULE_CWE)

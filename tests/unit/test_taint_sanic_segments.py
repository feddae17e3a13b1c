"""Sanic's typed path parameters (issue 12): Sanic writes a segment `<name:type>`, name first, and
hands the handler `int(...)`, `float(...)`, a `UUID` or a `date` for `int`, `float` (`number`
before 21.12), `uuid` and `ymd` (documented converters: `-?\\d+`, a decimal, a UUID, `YYYY-MM-DD`),
so no injection fits in them; `str`, `path`, `alpha`, `slug`, a regex and an untyped `<name>` are
the request's text. An annotation alone (`item_id: int`) converts nothing in Sanic."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_marked

HANDLERS = '''\
import subprocess

from sanic import Blueprint, Sanic
from sanic.response import json

app = Sanic("items")
bp = Blueprint("reports", url_prefix="/reports")


@app.get("/item/<item_id:int>")
async def item(request, item_id):
    subprocess.run(f"show-item {item_id}", shell=True)
    return json({"id": item_id})


@app.route("/price/<sku:str>/<amount:float>")
async def price(request, sku, amount):
    subprocess.run(f"set-price {amount}", shell=True)
    subprocess.run(f"set-price --sku {sku}", shell=True)  # BST202
    return json({})


@bp.get("/<day:ymd>/<run_id:uuid>")
async def report(request, day, run_id):
    subprocess.run(f"report --day {day} --run {run_id}", shell=True)
    return json({})


@app.get("/named/<name>")
async def named(request, name: int):
    subprocess.run(f"show {name}", shell=True)  # BST202
    return json({})


@app.get("/file/<rest:path>/<word:alpha>")
async def file(request, rest, word):
    subprocess.run(f"cat {rest}", shell=True)  # BST202
    return json({"word": word})
'''


def test_a_sanic_segment_of_a_number_type_is_a_number():
    assert_marked(HANDLERS)

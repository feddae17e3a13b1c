"""Taint analysis on realistic projects laid out as the frameworks' documentation lays them out,
the data crossing two or three modules (issue 12): a Flask app factory with blueprints and
`services/`, `repositories/` and `utils/` packages (relative imports, `import pkg.storage as
storage`, `from pkg import helpers`; a service class the view builds, `svc = UserService(db)`,
holding a repository; a module-level `uploads = Storage(root)` read in another module; request
helpers in `utils/http.py`; validators in `validators.py`); a Django project (views ->
`services.py` -> the model's manager read there as `Product.objects`, `.raw()` and
`cursor.execute`; a class-based view keeping a service as a class attribute); a FastAPI project
(routers -> `crud.py`, a service given by a dependency, a module-level repository). Each line
`bastion check` and the editor's store must report ends with its rule (taint_marked.py); the
others are safe twins (an allow-list, a validator, `secure_filename`, `int()`, bound
parameters, a form's choices) or plain code."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

APPS = {
    # ---- Flask: app factory, blueprints, services / repositories / utils packages ----
    'flaskshop/app/__init__.py': r'''from flask import Flask


def create_app(config=None):
    app = Flask(__name__)
    app.config.from_mapping(DATABASE="/srv/shop.db", UPLOADS="/srv/uploads")
    if config:
        app.config.update(config)
    from . import db
    db.init_app(app)
    from .blueprints import files, users
    app.register_blueprint(users.bp)
    app.register_blueprint(files.bp)
    return app
''',
    'flaskshop/app/db.py': r'''import sqlite3

from flask import current_app, g


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"])
        g.db.row_factory = sqlite3.Row
    return g.db


def close_db(e=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app):
    app.teardown_appcontext(close_db)
''',
    'flaskshop/app/utils/__init__.py': r'''''',
    'flaskshop/app/utils/http.py': r'''from flask import request


def query_arg(name, default=""):
    return request.args.get(name, default)


def json_field(name):
    payload = request.get_json(silent=True) or {}
    return payload.get(name)


def page_size():
    return min(int(request.args.get("size", 20)), 100)
''',
    'flaskshop/app/validators.py': r'''import re
from urllib.parse import urlparse

from werkzeug.utils import secure_filename

SORTABLE = ("name", "email", "created")
USERNAME = re.compile(r"[a-z0-9_]{3,30}")


def clean_filename(name):
    return secure_filename(name)


def sort_column(column):
    if column not in SORTABLE:
        return "name"
    return column


def username(value):
    if not USERNAME.fullmatch(value):
        raise ValueError("bad user name")
    return value


def same_site(target):
    return urlparse(target).netloc == ""
''',
    'flaskshop/app/repositories/__init__.py': r'''''',
    'flaskshop/app/repositories/users.py': r'''class UserRepository:
    def __init__(self, db):
        self.db = db

    def find_by_name(self, name):
        return self.db.execute(f"SELECT id, name FROM user WHERE name = '{name}'").fetchall()

    def find_by_id(self, user_id):
        return self.db.execute("SELECT id, name FROM user WHERE id = ?", (user_id,)).fetchone()

    def ordered(self, column):
        return self.db.execute("SELECT id, name FROM user ORDER BY " + column).fetchall()
''',
    'flaskshop/app/services/__init__.py': r'''''',
    'flaskshop/app/services/users.py': r'''from ..repositories.users import UserRepository


class UserService:
    def __init__(self, db):
        self.repo = UserRepository(db)

    def search(self, name):
        return self.repo.find_by_name(name.strip())

    def profile(self, user_id):
        return self.repo.find_by_id(user_id)

    def listing(self, column):
        return self.repo.ordered(column)
''',
    'flaskshop/app/storage.py': r'''import os


class Storage:
    def __init__(self, root):
        self.root = root

    def read(self, name):
        with open(os.path.join(self.root, name), "rb") as handle:
            return handle.read()


uploads = Storage("/srv/uploads")


def read_report(name):
    with open("/srv/reports/" + name) as handle:
        return handle.read()
''',
    'flaskshop/app/helpers.py': r'''import subprocess


def convert(source, fmt):
    return subprocess.run(f"convert {source} out.{fmt}", shell=True, check=True)


def convert_safely(source, fmt):
    return subprocess.run(["convert", source, f"out.{fmt}"], check=True)
''',
    'flaskshop/app/blueprints/__init__.py': r'''''',
    'flaskshop/app/blueprints/users.py': r'''from flask import Blueprint, jsonify, redirect, request

from ..db import get_db
from ..services.users import UserService
from ..utils.http import json_field, query_arg
from ..validators import same_site, sort_column, username

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.route("/search")
def search():
    svc = UserService(get_db())
    rows = svc.search(query_arg("q"))  # BST204
    return jsonify([dict(r) for r in rows])


@bp.route("/lookup", methods=["POST"])
def lookup():
    svc = UserService(get_db())
    rows = svc.search(username(json_field("name")))
    return jsonify([dict(r) for r in rows])


@bp.route("/<int:user_id>")
def profile(user_id):
    return jsonify(dict(UserService(get_db()).profile(user_id)))


@bp.route("/")
def listing():
    svc = UserService(get_db())
    rows = svc.listing(request.args.get("sort", "name"))  # BST204
    return jsonify([dict(r) for r in rows])


@bp.route("/sorted")
def listing_sorted():
    svc = UserService(get_db())
    rows = svc.listing(sort_column(query_arg("sort")))
    return jsonify([dict(r) for r in rows])


@bp.route("/back")
def back():
    target = query_arg("next", "/")
    if not same_site(target):
        target = "/"
    return redirect(target)  # BST210


@bp.route("/away")
def away():
    return redirect(query_arg("next", "/"))  # BST210
''',
    'flaskshop/app/blueprints/files.py': r'''from flask import Blueprint, request

import flaskshop.app.storage as storage
from flaskshop.app import helpers

from ..storage import uploads
from ..validators import clean_filename

bp = Blueprint("files", __name__, url_prefix="/files")


@bp.route("/raw/<path:name>")
def raw(name):
    return uploads.read(name)  # BST201


@bp.route("/clean/<path:name>")
def clean(name):
    return uploads.read(clean_filename(name))


@bp.route("/report")
def report():
    return storage.read_report(request.args["name"])  # BST201


@bp.route("/report/clean")
def report_clean():
    return storage.read_report(clean_filename(request.args["name"]))


@bp.route("/convert", methods=["POST"])
def convert():
    helpers.convert(request.form["source"], request.form["fmt"])  # BST202
    return "", 204


@bp.route("/convert/list", methods=["POST"])
def convert_list():
    helpers.convert_safely(request.form["source"], request.form["fmt"])  # BST217
    return "", 204


@bp.route("/convert/upload/<int:upload_id>", methods=["POST"])
def convert_upload(upload_id):
    helpers.convert_safely(f"/srv/uploads/{upload_id}.png", "jpg")
    return "", 204
''',
    # ---- Django: views -> services.py -> managers with raw() / cursor.execute ----
    'djshop/catalog/__init__.py': r'''''',
    'djshop/catalog/models.py': r'''from django.db import connection, models


class ProductManager(models.Manager):
    def search(self, term):
        return self.raw(f"SELECT * FROM catalog_product WHERE name LIKE '%%{term}%%'")

    def by_sku(self, sku):
        return self.raw("SELECT * FROM catalog_product WHERE sku = %s", [sku])

    def stock(self, sku):
        with connection.cursor() as cursor:
            cursor.execute("SELECT quantity FROM catalog_stock WHERE sku = '%s'" % sku)
            return cursor.fetchone()


class Product(models.Model):
    name = models.CharField(max_length=200)
    sku = models.CharField(max_length=40, unique=True)

    objects = ProductManager()
''',
    'djshop/catalog/services.py': r'''from django.db import connection

from .models import Product


def find_products(term):
    return list(Product.objects.search(term))


def product(sku):
    return Product.objects.by_sku(sku)


def stock_level(sku):
    return Product.objects.stock(sku)


class ProductFinder:
    def find(self, term):
        with connection.cursor() as cursor:
            cursor.execute("SELECT sku FROM catalog_product WHERE name = '" + term + "'")
            return cursor.fetchall()


def sales_report(region):
    with connection.cursor() as cursor:
        cursor.execute("SELECT SUM(total) FROM catalog_sale WHERE region = %s", [region])
        return cursor.fetchone()


def price_report(column):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sku, %s FROM catalog_price" % column)
        return cursor.fetchall()
''',
    'djshop/catalog/forms.py': r'''from django import forms


class ReportForm(forms.Form):
    column = forms.ChoiceField(choices=[("net", "Net"), ("gross", "Gross")])
''',
    'djshop/catalog/views.py': r'''from django.http import JsonResponse
from django.shortcuts import render
from django.views import View

from . import services
from .forms import ReportForm


def search(request):
    term = request.GET.get("q", "")
    products = services.find_products(term)  # BST204
    return render(request, "catalog/search.html", {"products": products})


def detail(request, sku):
    return render(request, "catalog/detail.html", {"product": services.product(sku)})


class StockView(View):
    def get(self, request, sku):
        return JsonResponse({"stock": services.stock_level(sku)})  # BST204


class SearchView(View):
    finder = services.ProductFinder()

    def get(self, request):
        return JsonResponse({"products": self.finder.find(request.GET["q"])})  # BST204


def sales(request):
    return JsonResponse({"total": services.sales_report(request.GET["region"])})


def prices(request):
    rows = services.price_report(request.GET.get("column", "net"))  # BST204
    return JsonResponse({"rows": rows})


def prices_checked(request):
    form = ReportForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    return JsonResponse({"rows": services.price_report(form.cleaned_data["column"])})
''',
    'djshop/catalog/urls.py': r'''from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search),
    path("p/<str:sku>/", views.detail),
    path("stock/<str:sku>/", views.StockView.as_view()),
    path("sales/", views.sales),
    path("prices/", views.prices),
    path("prices/checked/", views.prices_checked),
]
''',
    # ---- FastAPI: routers -> crud.py / services ----
    'fastshop/api/__init__.py': r'''''',
    'fastshop/api/database.py': r'''from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

engine = create_engine("sqlite:///./shop.db")
SessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()
''',
    'fastshop/api/crud.py': r'''from sqlalchemy import text
from sqlalchemy.orm import Session


def items_by_owner(db: Session, owner: str):
    return db.execute(text(f"SELECT * FROM items WHERE owner = '{owner}'")).fetchall()


def items_by_owner_bound(db: Session, owner: str):
    return db.execute(text("SELECT * FROM items WHERE owner = :owner"), {"owner": owner}).fetchall()


def item_titles(db: Session, limit: int):
    return db.execute(text(f"SELECT title FROM items LIMIT {limit}")).fetchall()
''',
    'fastshop/api/services/__init__.py': r'''''',
    'fastshop/api/services/previews.py': r'''import httpx

ALLOWED = {"docs": "https://docs.example.com/", "blog": "https://blog.example.com/"}


def fetch_preview(url):
    return httpx.get(url, timeout=5).text[:500]


def site_preview(site):
    return fetch_preview(ALLOWED.get(site, ALLOWED["docs"]))
''',
    'fastshop/api/services/search.py': r'''from sqlalchemy import text
from sqlalchemy.orm import Session


class ItemRepository:
    def matching(self, db: Session, term: str):
        return db.execute(text("SELECT * FROM items WHERE title LIKE '%" + term + "%'")).fetchall()

    def matching_bound(self, db: Session, term: str):
        return db.execute(text("SELECT * FROM items WHERE title LIKE :t"), {"t": f"%{term}%"}).fetchall()


items = ItemRepository()


class SearchService:
    def __init__(self, db: Session):
        self.db = db

    def search(self, term: str):
        return items.matching(self.db, term)

    def search_bound(self, term: str):
        return items.matching_bound(self.db, term)
''',
    'fastshop/api/routers/__init__.py': r'''''',
    'fastshop/api/routers/items.py': r'''from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from .. import crud
from ..database import get_db
from ..services.previews import fetch_preview, site_preview
from ..services.search import SearchService

router = APIRouter(prefix="/items")


@router.get("/")
def read_items(owner: str, db: Session = Depends(get_db)):
    return crud.items_by_owner(db, owner)  # BST204


@router.get("/bound")
def read_items_bound(owner: str, db: Session = Depends(get_db)):
    return crud.items_by_owner_bound(db, owner)


@router.get("/titles")
def read_titles(limit: int = 10, db: Session = Depends(get_db)):
    return crud.item_titles(db, limit)


@router.get("/preview")
def preview(url: str):
    return {"preview": fetch_preview(url)}  # BST213


def search_service(db: Session = Depends(get_db)) -> SearchService:
    return SearchService(db)


@router.get("/search")
def search(q: str, svc: SearchService = Depends(search_service)):
    return svc.search(q)  # BST204


@router.get("/search/bound")
def search_bound(q: str, svc: SearchService = Depends(search_service)):
    return svc.search_bound(q)


@router.get("/search/direct")
def search_direct(q: str, db: Session = Depends(get_db)):
    return SearchService(db).search(q)  # BST204


@router.get("/site")
def site(name: str):
    return {"preview": site_preview(name)}
''',
    'fastshop/api/main.py': r'''from fastapi import FastAPI

from .routers import items

app = FastAPI()
app.include_router(items.router)
''',
}


def test_check_and_the_editor_report_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_and_stored(APPS, tmp_path, RULE_CWE)

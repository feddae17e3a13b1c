"""Taint analysis on realistic apps written from the libraries' documentation, round eight: GraphQL
resolvers of Strawberry (typed fields and mutations, an Enum argument, an `@strawberry.input`
type with an int field, an async httpx client), Graphene (ObjectType resolvers, a Mutation, a
relay ClientIDMutation, Jinja, lxml XPath with a variable) and Ariadne (QueryType /
MutationType fields, `convert_kwargs_to_snake_case`, an allow-list of webhook URLs).

Each line `bastion check` must report ends with its rule (taint_marked.py); every other line is a safe twin or
plain code and must stay silent."""

from __future__ import annotations

import pytest
from tests.unit.taint_marked import assert_checked_apps

APPS = {
    'catalog/__init__.py': r'''''',
    'catalog/ariadne_app.py': r'''import logging
import os
import sqlite3

import requests
from ariadne import MutationType, QueryType, convert_kwargs_to_snake_case, gql, make_executable_schema

type_defs = gql("""
    type Query { order(id: ID!): String, search(term: String!, page: Int): [String] }
    type Mutation { setWebhook(url: String!): Boolean, saveNote(fileName: String!, text: String!): Boolean }
""")

query = QueryType()
mutation = MutationType()
log = logging.getLogger("orders")
NOTES = "/srv/notes"
HOOKS = {"https://hooks.example.com/orders", "https://hooks.example.com/stock"}


@query.field("order")
def resolve_order(_, info, id):
    conn = sqlite3.connect("orders.db")
    return conn.execute("SELECT status FROM orders WHERE id = " + id).fetchone()  # BST204


@query.field("search")
def resolve_search(obj, info, term, page=1):
    conn = sqlite3.connect("orders.db")
    rows = conn.execute("SELECT ref FROM orders WHERE ref LIKE ?", (term + "%",)).fetchall()
    log.warning("search %s page %s", term, page)  # BST207
    return [r[0] for r in rows]


@mutation.field("setWebhook")
def resolve_set_webhook(_, info, url):
    requests.post(url, json={"ping": True}, timeout=5)  # BST213
    if url in HOOKS:
        requests.post(url, json={"ping": True}, timeout=5)
    return True


@mutation.field("saveNote")
@convert_kwargs_to_snake_case
def resolve_save_note(_, info, file_name, text):
    with open(os.path.join(NOTES, file_name), "w") as fh:  # BST201
        fh.write(text)
    with open(os.path.join(NOTES, os.path.basename(file_name)), "w") as fh:
        fh.write(text)
    return True


schema = make_executable_schema(type_defs, query, mutation)
''',
    'catalog/graphene_schema.py': r'''import pickle
import base64
import subprocess

import graphene
from lxml import etree
from jinja2 import Template


class Report(graphene.ObjectType):
    title = graphene.String()
    body = graphene.String()


class Query(graphene.ObjectType):
    report = graphene.Field(Report, title=graphene.String(required=True))
    greeting = graphene.String(name=graphene.String(default_value="stranger"))
    lookup = graphene.String(sku=graphene.String())

    def resolve_report(root, info, title):
        body = Template("<h1>" + title + "</h1>").render()  # BST214
        safe = Template("<h1>{{ title }}</h1>").render(title=title)
        return Report(title=title, body=body + safe)

    def resolve_greeting(root, info, name):
        return f"Hello {name}"

    def resolve_lookup(root, info, sku):
        tree = etree.parse("catalog.xml")
        found = tree.xpath(f"//product[@sku='{sku}']/name/text()")  # BST212
        fixed = tree.xpath("//product[@sku=$sku]/name/text()", sku=sku)
        return str(found) + str(fixed)


class RestoreCart(graphene.Mutation):
    class Arguments:
        state = graphene.String(required=True)

    ok = graphene.Boolean()

    def mutate(root, info, state):
        cart = pickle.loads(base64.b64decode(state))  # BST209
        return RestoreCart(ok=bool(cart))


class Archive(graphene.relay.ClientIDMutation):
    class Input:
        folder = graphene.String(required=True)

    ok = graphene.Boolean()

    @classmethod
    def mutate_and_get_payload(cls, root, info, folder):
        subprocess.run("tar czf /tmp/out.tgz " + folder, shell=True)  # BST202
        subprocess.run(["tar", "czf", "/tmp/out.tgz", "--", folder])
        return Archive(ok=True)


class Mutation(graphene.ObjectType):
    restore_cart = RestoreCart.Field()
    archive = Archive.Field()


schema = graphene.Schema(query=Query, mutation=Mutation)
''',
    'catalog/strawberry_schema.py': r'''import enum
import logging
import os
import sqlite3
import subprocess
from typing import Optional

import httpx
import strawberry
from strawberry.types import Info

log = logging.getLogger("catalog")
MEDIA = "/srv/media"


def db():
    return sqlite3.connect("catalog.db")


@strawberry.enum
class Sort(enum.Enum):
    NAME = "name"
    PRICE = "price"


@strawberry.type
class Product:
    id: int
    name: str


@strawberry.input
class ProductInput:
    name: str
    price: int
    note: Optional[str] = None


@strawberry.type
class Query:
    @strawberry.field
    def products(self, info: Info, name: str, limit: int = 10) -> list[Product]:
        log.info("products named " + name)  # BST207
        cur = db().cursor()
        cur.execute(f"SELECT id, name FROM products WHERE name = '{name}' LIMIT {limit}")  # BST204
        cur.execute(f"SELECT id, name FROM products LIMIT {limit}")
        cur.execute("SELECT id, name FROM products WHERE name = ?", (name,))
        return [Product(id=r[0], name=r[1]) for r in cur.fetchall()]

    @strawberry.field
    def sorted_products(self, sort: Sort) -> list[Product]:
        rows = db().execute(f"SELECT id, name FROM products ORDER BY {sort.value}").fetchall()
        return [Product(id=r[0], name=r[1]) for r in rows]

    @strawberry.field
    def thumbnail(self, path: str) -> str:
        with open(os.path.join(MEDIA, path), "rb") as fh:  # BST201
            return fh.read().hex()

    @strawberry.field
    async def preview(self, url: str) -> str:
        async with httpx.AsyncClient() as client:
            resp = await client.get(url)  # BST213
        return resp.text


@strawberry.type
class Mutation:
    @strawberry.mutation
    def add_product(self, product: ProductInput) -> Product:
        conn = db()
        values = "('%s', %d)" % (product.name, product.price)
        conn.execute("INSERT INTO products (name, price) VALUES " + values)  # BST204
        conn.execute(f"UPDATE stats SET total = total + {product.price}")
        conn.execute("INSERT INTO products (name, price) VALUES (?, ?)", (product.name, product.price))
        return Product(id=1, name=product.name)

    @strawberry.mutation
    def rebuild_index(self, shard: str, workers: int) -> bool:
        subprocess.run(f"reindex --workers {workers}", shell=True)
        subprocess.run(f"reindex --shard {shard}", shell=True)  # BST202
        return True


schema = strawberry.Schema(query=Query, mutation=Mutation)
''',
}


@pytest.mark.slow  # a `bastion check` subprocess
def test_check_reports_the_marked_lines_with_their_cwe(tmp_path):
    assert_checked_apps(APPS, tmp_path)

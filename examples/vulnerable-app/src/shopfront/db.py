"""Persistence: orders in SQLite, carts in a pickle, imports from YAML."""

import pickle
import sqlite3
import tempfile

import yaml


def find_orders(conn: sqlite3.Connection, customer: str):
    query = "SELECT id, total FROM orders WHERE customer = '%s' ORDER BY id" % customer
    return conn.execute(query).fetchall()


def restore_cart(blob: bytes):
    return pickle.loads(blob)


def import_catalog(text: str):
    return yaml.load(text, Loader=yaml.Loader)


def export_path() -> str:
    return tempfile.mktemp(suffix=".csv")

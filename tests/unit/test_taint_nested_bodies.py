"""Nested request bodies (taint/body_fields.py): a FastAPI body's field typed with another
pydantic model of the module (`customer: Customer`, `lines: list[Line]`, `Address | None`) is
validated field by field as the body is: its numbers are clean, its strings the request's; a
model that holds itself (`children: list[Node]`) is walked once: its own children's fields
stay the request's."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

ORDERS = r'''from __future__ import annotations

import os
from typing import Optional

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Address(BaseModel):
    street: str
    number: int


class Customer(BaseModel):
    name: str
    age: int
    address: Optional[Address] = None


class Line(BaseModel):
    sku: str
    qty: int


class Order(BaseModel):
    customer: Customer
    lines: list[Line]
    billing: Address | None = None
    note: str = ""


class Node(BaseModel):
    label: str
    weight: int
    children: list[Node] = []
    parent: Optional[Node] = None


@app.post("/orders")
def create(order: Order):
    os.system("notify " + order.customer.name)  # BST202
    os.system(f"age {order.customer.age}")
    os.system(f"door {order.customer.address.number}")
    os.system("street " + order.customer.address.street)  # BST202
    for line in order.lines:
        os.system("reserve " + line.sku)  # BST202
        os.system(f"reserve-qty {line.qty}")
    os.system(f"first {order.lines[0].qty}")
    os.system(f"bill {order.billing.number}")
    os.system("note " + order.note)  # BST202
    return {}


@app.post("/bulk")
def bulk(orders: list[Order]):
    for order in orders:
        os.system(f"age {order.customer.age}")
        os.system("notify " + order.customer.name)  # BST202
    return {}


@app.post("/tree")
def tree(node: Node):
    os.system(f"w {node.weight}")
    os.system(f"w {node.children[0].weight} {node.parent.weight}")
    os.system("l " + node.parent.label)  # BST202
    os.system("l " + node.label)  # BST202
    return {}
'''


def test_nested_models_keep_their_clean_fields():
    assert_marked(ORDERS)

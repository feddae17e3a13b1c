"""An SSRF guard on the address a URL names (issue 12): `ipaddress.ip_address(host).is_private`
false, or `.is_global` true, of the URL's own host (directly, or through `ip = ...`) makes the
fetch safe: anything but a public address literal is refused or raises. `is_loopback` alone,
the address of a name resolved first (fetched after resolving it again), the branch where the
address is private, and another URL's host stay reported. Cases written from the ipaddress and
urllib.parse documentation."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

ADDRESSES = '''\
import ipaddress
import socket
from urllib.parse import urlparse

import requests
from flask import Flask, abort, request

app = Flask(__name__)


@app.route("/1")
def direct():
    u = request.args["u"]
    if ipaddress.ip_address(urlparse(u).hostname).is_private:
        abort(400)
    return requests.get(u, timeout=5).text


@app.route("/2")
def named():
    u = request.args["u"]
    host = urlparse(u).hostname
    ip = ipaddress.ip_address(host)
    if ip.is_private or ip.is_multicast:
        abort(400)
    return requests.get(u, timeout=5).text


@app.route("/3")
def global_():
    u = request.args["u"]
    if not ipaddress.ip_address(urlparse(u).hostname).is_global:
        abort(400)
    return requests.get(u, timeout=5).text


@app.route("/4")
def loopback_only():
    u = request.args["u"]
    if ipaddress.ip_address(urlparse(u).hostname).is_loopback:
        abort(400)
    return requests.get(u, timeout=5).text  # BST213


@app.route("/5")
def resolved_first():
    u = request.args["u"]
    ip = ipaddress.ip_address(socket.gethostbyname(urlparse(u).hostname))
    if ip.is_private:
        abort(400)
    return requests.get(u, timeout=5).text  # BST213


@app.route("/6")
def private_branch():
    u = request.args["u"]
    if ipaddress.ip_address(urlparse(u).hostname).is_private:
        return requests.get(u, timeout=5).text  # BST213
    return "no"


@app.route("/7")
def other_url():
    u = request.args["u"]
    if ipaddress.ip_address(urlparse(request.args["v"]).hostname).is_private:
        abort(400)
    return requests.get(u, timeout=5).text  # BST213
'''


def test_marked_lines_are_the_findings():
    assert_marked(ADDRESSES)

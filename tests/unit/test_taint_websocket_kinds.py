"""A websocket route's connection is an object of a kind, not request data whole (issue 12):
FastAPI's `websocket: WebSocket` parameter holds a Starlette WebSocket (a separate entry whose
`request_annotations` name it), Sanic's handler is handed `(request, ws)`, its second object a
Sanic Websocket (`second_kind`). What they receive (`await websocket.receive_text()`,
`await ws.recv()`, `async for msg in ws`) is the client's message, reported at high
confidence, also through a helper of the file or of another module handed the connection;
before, the whole parameter was tainted and reported at medium confidence. The twins do not
report: a constant, a message converted to a number or quoted. Through `bastion check`; a line
that must report ends with its rule, and every taint finding is at high confidence."""

from pathlib import Path

from tests.unit.taint_marked import RULE_CWE, checked, expected_checked

HELPERS = '''async def next_text(websocket):
    return await websocket.receive_text()


async def next_message(ws):
    return await ws.recv()
'''

FASTAPI = '''import shlex
import subprocess

from fastapi import FastAPI, WebSocket

from helpers import next_text

app = FastAPI()


async def read_command(socket):
    text = await socket.receive_text()
    return text.strip()


@app.websocket("/run/{room}")
async def run(websocket: WebSocket, room: str, count: int):
    await websocket.accept()
    command = await websocket.receive_text()
    subprocess.call(command, shell=True)  # BST202
    subprocess.call("ls " + room, shell=True)  # BST202
    subprocess.call("seq %d" % count, shell=True)
    subprocess.call("echo " + shlex.quote(command), shell=True)


@app.websocket("/helper")
async def helper(websocket: WebSocket):
    subprocess.call(await read_command(websocket), shell=True)  # BST202
    subprocess.call(await next_text(websocket), shell=True)  # BST202
    subprocess.call("seq %d" % int(await next_text(websocket)), shell=True)
    await websocket.send_text("done")
'''

SANIC = '''import subprocess

from sanic import Request, Sanic, Websocket

from helpers import next_message

app = Sanic("feeds")


async def read_command(ws):
    message = await ws.recv()
    return message.strip()


@app.websocket("/feed")
async def feed(request, ws):
    data = await ws.recv()
    subprocess.call(data, shell=True)  # BST202
    subprocess.call(await read_command(ws), shell=True)  # BST202
    subprocess.call(await next_message(ws), shell=True)  # BST202
    subprocess.call("seq %d" % int(data), shell=True)


@app.websocket("/typed/<room>")
async def typed(request: Request, ws: Websocket, room):
    async for message in ws:
        subprocess.call(message, shell=True)  # BST202
    subprocess.call("ls " + room, shell=True)  # BST202
    subprocess.call(request.args.get("cmd"), shell=True)  # BST202


async def quiet(request, ws):
    await ws.send("hello")
    subprocess.call("ls", shell=True)


app.add_websocket_route(quiet, "/quiet")
'''


def _assert_high(apps: dict[str, str], folder) -> None:
    results = checked(apps, folder)
    found = {(Path(r["path"]).as_posix(), r["line"], r["rule_id"], r["cwe"]) for r in results}
    assert found == expected_checked(apps, RULE_CWE)
    assert {r["confidence"] for r in results} == {"high"}


def test_fastapi_websocket_messages(tmp_path):
    _assert_high({"main.py": FASTAPI, "helpers.py": HELPERS}, tmp_path)


def test_sanic_websocket_messages(tmp_path):
    _assert_high({"app.py": SANIC, "helpers.py": HELPERS}, tmp_path)

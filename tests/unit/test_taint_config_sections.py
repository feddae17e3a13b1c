"""A ConfigParser's options by constant section and option (configparser's `read_dict`,
`parser[section] = mapping`, `parser[section][option]`, `get(section, option)`): request data read
into one section does not reach a read of another's option, while text read into the parser
(`read_string(body)`) may be any option; the `DEFAULT` section's options are every section's,
an option given after `set` replaces it, and a value that interpolates (`%(arg)s`) may read any
option of its section (configs.py)."""

# ruff: noqa: E501  (cases are small modules)
from __future__ import annotations

from tests.unit.taint_marked import assert_marked

CONFIGS = '''\
import configparser
import os
import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/dict", methods=["POST"])
def from_dict():
    parser = configparser.ConfigParser()
    parser.read_dict({"tool": {"cmd": "uptime"}, "user": request.get_json()})
    subprocess.run(parser["tool"]["cmd"], shell=True)
    subprocess.run(parser.get("tool", "CMD"), shell=True)
    subprocess.run(parser.get("user", "cmd"), shell=True)  # BST202
    subprocess.run(parser["user"]["cmd"], shell=True)  # BST202
    return "ok"


@app.route("/section", methods=["POST"])
def section():
    parser = configparser.ConfigParser()
    parser.read_string("[tool]\\ncmd = uptime\\n")
    parser["user"] = {"cmd": request.form["cmd"], "name": "guest"}
    subprocess.run(parser.get("tool", "cmd"), shell=True)
    subprocess.run(parser["user"]["name"], shell=True)
    subprocess.run(parser["user"]["cmd"], shell=True)  # BST202
    parser.set("tool", "flags", request.form["flags"])
    subprocess.run(parser.get("tool", "cmd"), shell=True)
    subprocess.run(parser.get("tool", "flags"), shell=True)  # BST202
    return "ok"


@app.route("/text", methods=["POST"])
def text():
    conf = configparser.ConfigParser()
    conf.add_section("tool")
    conf.set("tool", "cmd", "uptime")
    conf.read_string(request.get_data(as_text=True))
    if conf.has_section("other"):
        os.system(conf["other"]["cmd"])  # BST202
    output = subprocess.check_output(conf.get("tool", "cmd"), shell=True)  # BST202
    return str(len(output))


@app.route("/defaults", methods=["POST"])
def defaults():
    settings = configparser.RawConfigParser()
    settings.read_dict({"DEFAULT": request.get_json(), "tool": {"cmd": "uptime"}})
    command, flags = settings.get("tool", "cmd"), settings.get("tool", "flags")
    os.system(command)
    os.system("uptime " + flags)  # BST202
    return "ok"


@app.route("/interpolated", methods=["POST"])
def interpolated():
    settings = configparser.ConfigParser()
    settings.read_dict({"tool": {"cmd": "uptime %(flags)s", "plain": "df"}})
    settings.set("tool", "flags", request.form["flags"])
    return run_both(settings.get("tool", "plain"), settings.get("tool", "cmd"))


def run_both(plain, interpolated):
    os.system(plain)
    os.system(interpolated)  # BST202
    return "ok"
'''


def test_a_config_parser_keeps_request_data_in_its_own_section_and_option() -> None:
    assert_marked(CONFIGS)

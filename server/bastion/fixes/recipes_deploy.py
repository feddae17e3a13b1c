"""Deployment settings: B104 binding to every interface -> 127.0.0.1, where the address is really
bound and the program does not run in a container (127.0.0.1 would cut off the published port);
BST103 `DEBUG = True` -> False, except in Django settings whose ALLOWED_HOSTS would then refuse
local requests (Django answers 400 to every host not listed once DEBUG is off)."""

from __future__ import annotations

import ast
import os
import re

import libcst as cst

from bastion.fixes.base import REVIEW, Rewrite, recipe
from bastion.fixes.target import Target, dotted_name, string_value
from bastion.parsing import parse_code


@recipe("B104")
def bind_localhost(t: Target):
    """`"0.0.0.0"` -> `"127.0.0.1"`, except where the project runs in a container: there the
    published port reaches the process through the container's own interface, and 127.0.0.1
    would cut it off. A container is assumed when a Dockerfile, Containerfile or compose file
    sits in the file's folder or a parent up to the project root (.git, pyproject.toml,
    setup.py), or when the address is bound in an `if __name__ == "__main__":` block that
    reads the environment (`PORT` from os.environ: a server configured by its container)."""
    node = t.at_finding((cst.SimpleString,))
    if node is None or string_value(node) != "0.0.0.0" or not _bind_address(t, node):
        return None  # compared or printed, not bound: changing it would change the logic
    if _in_container_project(t.path) or _configured_main(t):
        return None
    new = node.with_changes(value=node.value.replace("0.0.0.0", "127.0.0.1"))
    return Rewrite("localhost", "bind to 127.0.0.1 only", REVIEW, t.replace(node, new),
                   note="other hosts can no longer connect: check this does not run in a "
                        "container or VM whose published port must reach it (no Dockerfile "
                        "or compose file was found in the project)",
                   check="containers and remote clients")


CONTAINER_FILES = ("Dockerfile", "Containerfile", "docker-compose.yml", "docker-compose.yaml",
                   "compose.yml", "compose.yaml")
_PROJECT_ROOT = (".git", "pyproject.toml", "setup.py", "setup.cfg")


def _in_container_project(path: str | None) -> bool:
    """A container file in the file's folder or a parent, up to the project root (names are
    looked up; nothing is read)."""
    if not path or not os.path.isabs(path):
        return False
    folder = os.path.dirname(path)
    for _level in range(32):
        if any(os.path.isfile(os.path.join(folder, name)) for name in CONTAINER_FILES):
            return True
        parent = os.path.dirname(folder)
        if parent == folder or any(os.path.exists(os.path.join(folder, name))
                                   for name in _PROJECT_ROOT):
            return False
        folder = parent
    return False


def _configured_main(t: Target) -> bool:
    """The finding is in an `if __name__ == "__main__":` block that reads the environment."""
    line = t.finding.span.start_line + 1
    for node in ast.walk(t.unit_tree) if t.unit_tree is not None else ():
        if isinstance(node, ast.If) and node.lineno <= line <= (node.end_lineno or 0) and \
                "__main__" in ast.unparse(node.test) and "__name__" in ast.unparse(node.test):
            return any(isinstance(n, ast.Attribute) and n.attr in ("environ", "getenv") or
                       isinstance(n, ast.Name) and n.id in ("environ", "getenv")
                       for n in ast.walk(node))
    return False


_ADDRESS_NAME = re.compile(r"(?i)(host|addr|address|bind|listen|interface|ip)")


def _bind_address(t: Target, node: cst.SimpleString) -> bool:
    """The string is used as an address to listen on: `host="0.0.0.0"`, `bind(("0.0.0.0", p))`,
    `HOST = "0.0.0.0"`, `def serve(host="0.0.0.0")`."""
    for arg in t.nodes(cst.Arg):
        if arg.value is node and arg.keyword is not None:
            return bool(_ADDRESS_NAME.search(arg.keyword.value))
        if isinstance(arg.value, cst.Tuple) and arg.value.elements and \
                arg.value.elements[0].value is node:
            return True
    for assign in t.nodes((cst.Assign, cst.AnnAssign)):
        if assign.value is node:
            targets = [assign.target] if isinstance(assign, cst.AnnAssign) else \
                [a.target for a in assign.targets]
            return all(_ADDRESS_NAME.search(dotted_name(x) or "") for x in targets)
    for param in t.nodes(cst.Param):
        if param.default is node:
            return bool(_ADDRESS_NAME.search(param.name.value))
    return False


_LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]", "::1", ".localhost", "*")
_DJANGO_SETTING = re.compile(r"^(ALLOWED_HOSTS|INSTALLED_APPS|ROOT_URLCONF|MIDDLEWARE)\s*[:=]",
                             re.M)


@recipe("BST103")
def debug_off(t: Target):
    """`DEBUG = True` -> `DEBUG = False`."""
    assign = t.at_finding((cst.Assign,))
    if not isinstance(assign, cst.Assign) or not (isinstance(assign.value, cst.Name)
                                                  and assign.value.value == "True"):
        return None
    if _local_requests_refused("\n".join(t.lines)):
        return None  # a person must decide ALLOWED_HOSTS first
    return Rewrite("debug-off", "switch debug mode off", REVIEW,
                   t.replace(assign.value, cst.Name("False")),
                   note="debug pages and reloading are off: check local development still "
                        "gets debug mode from its own settings or an environment variable, and "
                        "that ALLOWED_HOSTS lists the hosts it is reached by (Django answers 400 "
                        "to the others once DEBUG is off)",
                   check="local development settings and ALLOWED_HOSTS")


def _local_requests_refused(text: str) -> bool:
    """Django settings where, with DEBUG off, a request to localhost gets 400: ALLOWED_HOSTS
    missing (Django's default is empty) or a literal without a local host."""
    if not _DJANGO_SETTING.search(text):
        return False  # not Django settings (a Flask config, a constant)
    try:
        tree = parse_code(text)
    except (SyntaxError, ValueError, RecursionError):
        return True
    hosts = None
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else \
            [node.target] if isinstance(node, ast.AnnAssign) else []
        if any(isinstance(x, ast.Name) and x.id == "ALLOWED_HOSTS" for x in targets):
            hosts = node.value
    if hosts is None:
        return True
    try:
        value = ast.literal_eval(hosts)
    except (ValueError, SyntaxError, TypeError, RecursionError):
        return False  # computed (from the environment): the note says what to check
    return not any(isinstance(h, str) and h in _LOCAL_HOSTS for h in value) \
        if isinstance(value, (list, tuple, set)) else False

"""Taint analysis through `bastion check` and the editor's store: a logger whose type is not
followed is known by the names a logger is given, a helper's parameter (`def audit(log, user):
log.info("login %s" % user)`) or a logger imported from another module of the app (`from .logs
import logger`, made there by `logging.getLogger(__name__)`): request data formatted into its
message is log injection, as with a logger the module makes itself; a lazily formatted `%r`
argument, a number, or a method of another object so named (`catalog.info`) is not
(marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import RULE_CWE, assert_checked_and_stored

LOGS = '''\
import logging

logger = logging.getLogger(__name__)
'''

VIEWS = '''\
import logging

from flask import Flask, request

from .logs import logger

app = Flask(__name__)
log = logging.getLogger(__name__)


def audit(log, user):
    log.info("login %s" % user)  # BST207


def audit_lazily(logger, user):
    logger.warning("login %r", user)


class Catalog:
    def info(self, text):
        return text


@app.route("/login", methods=["POST"])
def login():
    user = request.form.get("user", "")
    audit(log, user)
    audit_lazily(log, user)
    audit(log, str(len(user)))
    Catalog().info("login " + user)
    logger.warning("failed login for " + user)  # BST207
    logger.error("failed login for %r", user)
    return "ok"
'''


def test_loggers_known_by_name(tmp_path):
    assert_checked_and_stored({"app/__init__.py": "", "app/logs.py": LOGS, "app/views.py": VIEWS},
                              tmp_path, RULE_CWE)

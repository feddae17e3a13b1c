"""A parameter annotated as an optional library class whose methods are sinks (issue 12):
`lg: Optional[logging.Logger]`, `lg: logging.Logger | None`, `Union[Logger, None]` and the
string `"logging.Logger | None"` are loggers when one is given, as `lg: logging.Logger` is
(parameters._declared). The twins log a number or a `%r` argument, or take an optional class
no model knows, and stay silent. In-process and through `bastion check`."""

from tests.unit.taint_marked import assert_checked_apps, assert_marked

LOGGERS = '''import logging
from logging import Logger
from typing import Optional, Union

from flask import Flask, request

app = Flask(__name__)


class Tracer:
    def info(self, text):
        return text


def audit_optional(lg: Optional[logging.Logger], user):
    lg.info("user " + user)  # BST207


def audit_union(lg: "logging.Logger | None", user):
    lg.warning("user %s" % user)  # BST207


def audit_pipe(lg: logging.Logger | None, user):
    lg.error(f"user {user}")  # BST207


def audit_typing_union(lg: Union[Logger, None], user):
    lg.info(user)  # BST207


def audit_counted(lg: Optional[logging.Logger], user):
    lg.info("user " + str(len(user)))


def audit_repr(lg: logging.Logger | None, user):
    lg.info("user %r", user)


def traced(tr: Optional[Tracer], user):
    tr.info(user)


@app.route("/login")
def login():
    user, log = request.args["user"], logging.getLogger(__name__)
    audit_optional(log, user)
    audit_union(lg=log, user=user)
    audit_pipe(log, user=user)
    audit_typing_union(user=user, lg=log)
    audit_counted(lg=log, user=user), audit_repr(log, user)
    traced(Tracer(), user)
    return "ok"
'''


def test_an_optional_logger_parameter_is_a_logger():
    assert_marked(LOGGERS)


def test_bastion_check_reports_the_optional_loggers(tmp_path):
    assert_checked_apps({"loggers.py": LOGGERS}, tmp_path)

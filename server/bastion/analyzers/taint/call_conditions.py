"""Sink models that are a test of the call alone, not of its argument values: the call is a
sink only when the model's predicate holds of it (`shell_session`: a line sent to a pexpect
child that runs a shell, sessions.py; `curl_url`: a pycurl option that is the URL,
curl_options.py; `location_argument`: a header set by name that is the Location,
media_types.py). Apart from sinks.py, whose models read the values, so that one more such
test is one more row here."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import TYPE_CHECKING

from bastion.analyzers.taint.curl_options import curl_url
from bastion.analyzers.taint.media_types import names_location
from bastion.analyzers.taint.sessions import shell_session

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

CONDITIONS: dict[str, Callable[[Evaluator, ast.Call], bool]] = {
    "shell_session": shell_session,
    "curl_url": curl_url,
    "location_argument": names_location,
}

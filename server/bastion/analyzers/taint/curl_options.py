"""The `curl_url` sink model: pycurl's `setopt(option, value)` sends the handle's request to
the value only when the option is the URL: `c.setopt(pycurl.URL, url)`, or the same constant
read off the handle, `c.setopt(c.URL, url)`. The other options (a user agent, a write buffer,
a timeout) name no host the request goes to."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

_URL_OPTIONS = frozenset({"pycurl.URL", "pycurl.Curl().URL"})


def curl_url(ev: Evaluator, node: ast.Call) -> bool:
    option = node.args[0] if node.args else None
    if option is None:
        return False
    if ev.qualname(option) in _URL_OPTIONS:
        return True
    # a handle the function does not follow (`self.curl.setopt(self.curl.URL, url)`)
    return isinstance(option, ast.Attribute) and option.attr == "URL" \
        and isinstance(node.func, ast.Attribute) \
        and ast.dump(option.value) == ast.dump(node.func.value)

"""BST210: a redirect target from the request is checked in lines added before the statement and
replaced by the site's root unless it is a path on this site:

    safe_url = request.args["next"]
    if not (safe_url.startswith("/") and not safe_url.startswith(("//", "/\\"))
            and safe_url.isprintable() and urllib.parse.urlparse(safe_url).netloc == ""):
        safe_url = "/"
    return redirect(safe_url)

The allow-list is the site itself: `//host` and `/\\host` (which browsers read as `//host`), a
scheme (`https:host`, `javascript:`), and control characters browsers drop (`/\t/host`) all fail
it. A target that is already a name is checked in place.
"""

from __future__ import annotations

import libcst as cst

from bastion.fixes.base import REVIEW, Rewrite, recipe
from bastion.fixes.target import Target, keyword, positional

_TARGET_KEYWORDS = ("location", "url", "to", "redirect_to")
_NAMES = ("safe_url", "next_url", "local_url")


def _target(call: cst.Call) -> cst.BaseExpression | None:
    args = positional(call)
    if args:
        return args[0].value
    for name in _TARGET_KEYWORDS:
        found = keyword(call, name)
        if found is not None:
            return found.value
    return None


@recipe("BST210")
def redirect_within_the_site(t: Target):
    call = t.at_finding(cst.Call)
    target = _target(call) if isinstance(call, cst.Call) else None
    line = t.simple_line()
    if target is None or line is None:
        return None
    name = target.value if isinstance(target, cst.Name) else t.unused_name(_NAMES)
    if name is None:
        return None
    parse = "urlparse" if t.aliases.get("urlparse") == "urllib.parse.urlparse" \
        else f"{t.module_name('urllib.parse')}.urlparse"
    guard = (f'if not ({name}.startswith("/") and not {name}.startswith(("//", "/\\\\"))\n'
             f'        and {name}.isprintable() and {parse}({name}).netloc == ""):\n'
             f'    {name} = "/"\n')
    if isinstance(target, cst.Name):
        text = t.lines_before(line, guard)
    else:
        text = t.lines_before(line, f"{name} = {t.node_code(target)}\n" + guard, target, cst.Name(name))
    return Rewrite("local-path", "redirect only to a path on this site", REVIEW, text,
                   imports=("urllib.parse",) if parse.startswith("urllib.parse.") else (),
                   note="a target that is not an absolute path on this site (`/…`): another "
                        "host, a scheme, `//host`, `/\\host`, control characters, now goes to "
                        "`/`. Check "
                        "whether some full URLs are legitimate: then allow their hosts "
                        "(`urlparse(url).netloc in ALLOWED_HOSTS`, or Django's "
                        "`url_has_allowed_host_and_scheme`) and choose the fallback page",
                   check="legitimate full URLs and the fallback page")

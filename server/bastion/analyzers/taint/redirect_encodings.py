"""What each framework's redirect does to the Location it sends, read in its source, and so which
checks of a target that leave a host unnamed still keep it on this site there. Two checks let
text through that a browser takes for another host. An empty `netloc` (`if not
urlparse(target).netloc:`) holds for `///evil.com` and `////evil.com` (a browser skips the extra
slashes of a special scheme's authority), for `/\\evil.com` and `\\\\evil.com` (it reads `\\` as `/`),
and, as `urlsplit` drops tabs and leading blanks first, for `/\\t///evil.com` and `\\t////evil.com`.
`startswith("/") and not startswith("//")` (site_paths.py's first two facts) holds for the
backslashes and for `/\\t/evil.com`, which a browser, yarl and `urlsplit` (Python 3.9.5 on) read as
`//evil.com`, and so does the three-part check that also refuses a backslash (`... and "\\\\" not in
url`): Flask's `redirect("/\\t/evil.com")` sends `Location: //evil.com`.
A redirect that percent-encodes `\\`, tab and blanks sends a path of this site (`/%5Cevil.com`) for a
target with no host that does not start with `//`; one joined onto the request's URL, for any
target with no host. Everywhere, a printable target led by `/` and then neither `/` nor `\\` (the
fix's check, fixes/recipes_redirect.py) is a path. The guards mark what they proved
(url_hosts.HOST_FREE, site_paths' facts); sinks.py asks here at the sink. No state.
"""

from __future__ import annotations

from bastion.analyzers.taint.site_paths import (
    FACTS,
    NO_BACKSLASH,
    NOT_SLASH_BACKSLASH,
    NOT_TWO_SLASHES,
    PRINTABLE,
    SLASH_LED,
)
from bastion.analyzers.taint.url_hosts import HOST_FREE

# `\`, tab and blanks percent-encoded, slashes kept: Django's HttpResponseRedirect and `redirect`
# (`iri_to_uri`), Starlette's and FastAPI's RedirectResponse (`quote`), Sanic's `redirect`
# (`quote_plus`, `/` safe).
TAB_ENCODED = ("django.", "starlette.", "fastapi.", "sanic.")
# Joined onto the request's URL: Bottle's `redirect` (`urljoin(request.url, url)`), so a target
# with no host is a path of this host. Not so elsewhere: Werkzeug's Response (Flask) calls
# `iri_to_uri`, whose `urlsplit` drops a tab and `urlunsplit` sends `\t////evil.com` as
# `//evil.com`; aiohttp's HTTPFound (`yarl.URL`) sends `////evil.com` as given; Tornado's
# `redirect`, Falcon's HTTPFound, Pyramid's HTTPFound and Quart's `redirect` (Werkzeug's sans-IO
# Response, sent without `get_wsgi_headers`) send the text as given.
JOINED = ("bottle.",)
# a tab refused: Tornado's `redirect` raises on a control character in a header value, so a
# target also proved free of `\` cannot name another host there
TAB_REFUSED = ("tornado.",)
_SLASH_LED = frozenset({SLASH_LED, NOT_TWO_SLASHES})
_HOST_FREE = frozenset({HOST_FREE, NOT_TWO_SLASHES})
_PRINTABLE_PATH = frozenset({SLASH_LED, NOT_TWO_SLASHES, PRINTABLE})


def kept_on_site(clean: frozenset[str], name: str | None) -> bool:
    """Whether the redirect `name` sends a target so proved (`clean`) as a path of this site."""
    name = name or ""
    if _PRINTABLE_PATH <= clean and (NOT_SLASH_BACKSLASH in clean or NO_BACKSLASH in clean):
        return True
    return (_SLASH_LED <= clean or _HOST_FREE <= clean) and name.startswith(TAB_ENCODED) \
        or FACTS <= clean and name.startswith(TAB_REFUSED) \
        or HOST_FREE in clean and name.startswith(JOINED)

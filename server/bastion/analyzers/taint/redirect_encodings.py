"""What each framework's redirect does to the Location it sends, read in its source, and so which
checks of a target that leave a host unnamed still keep it on this site there. Two checks let
text through that a browser takes for another host: an empty `netloc` (`if not
urlparse(target).netloc:`) holds for `/\\evil.com` and `\\\\evil.com`, as a browser reads `\\` as `/`;
`startswith("/") and not startswith("//")` (site_paths.py's first two facts) holds for those and
for `/\\t/evil.com`, which a browser, yarl and `urlsplit` (Python 3.9.5 on) read as `//evil.com`,
and so does the three-part check that also refuses a backslash (`... and "\\\\" not in url`): Flask's
`redirect("/\\t/evil.com")` sends `Location: //evil.com`.
A redirect that percent-encodes the character sends a path of this site (`/%5Cevil.com`). The
guards mark what they proved (url_hosts.HOST_FREE, site_paths' facts); sinks.py asks here at the
sink. No state.
"""

from __future__ import annotations

from bastion.analyzers.taint.site_paths import FACTS, NOT_TWO_SLASHES, SLASH_LED
from bastion.analyzers.taint.url_hosts import HOST_FREE

# `\` and tab percent-encoded: Django's HttpResponseRedirect and `redirect` (`iri_to_uri`),
# Starlette's and FastAPI's RedirectResponse (`quote`), Sanic's `redirect` (`quote_plus`).
TAB_ENCODED = ("django.", "starlette.", "fastapi.", "sanic.")
# `\` encoded, a tab dropped (`/\t/evil.com` sent as `//evil.com`): Werkzeug's Response, for
# Flask (`get_wsgi_headers` calls `iri_to_uri`, which splits with `urlsplit`), aiohttp's HTTPFound
# (`yarl.URL`), Bottle's `redirect` (`urljoin` onto the request's URL, a path of this host).
# Werkzeug 3.0 on: before, `get_wsgi_headers` called `iri_to_uri(location, safe_conversion=True)`,
# which returns ASCII text without whitespace as it is (not told apart here: reading the declared
# version would cost every Flask module its manifest's read and change its cache key).
# Tornado's `redirect`, Falcon's HTTPFound, Pyramid's HTTPFound and Quart's `redirect` (Werkzeug's
# sans-IO Response, sent without `get_wsgi_headers`) send the text as given.
BACKSLASH_ENCODED = (*TAB_ENCODED, "flask.", "werkzeug.", "aiohttp.", "bottle.")
# a tab refused: Tornado's `redirect` raises on a control character in a header value, so a
# target also proved free of `\` cannot name another host there
TAB_REFUSED = ("tornado.",)
_SLASH_LED = frozenset({SLASH_LED, NOT_TWO_SLASHES})


def kept_on_site(clean: frozenset[str], name: str | None) -> bool:
    """Whether the redirect `name` sends a target so proved (`clean`) as a path of this site."""
    name = name or ""
    return _SLASH_LED <= clean and name.startswith(TAB_ENCODED) \
        or FACTS <= clean and name.startswith(TAB_REFUSED) \
        or HOST_FREE in clean and name.startswith(BACKSLASH_ENCODED)

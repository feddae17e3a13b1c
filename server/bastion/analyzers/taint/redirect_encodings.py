"""What each framework's redirect does to the Location it sends, read in its source, and so which
checks of a target keep it on this site there. An empty `netloc` (`if not urlparse(target).netloc:`,
the guards keep "ssrf" alone) keeps it nowhere: it holds for `///evil.com` and `////evil.com` (a browser
skips the extra slashes of a special scheme's authority), for `/\\evil.com` (it reads `\\` as `/`),
for `\\t////evil.com` (`urlsplit` drops tabs and leading blanks first; Werkzeug 3.1 sends it as
`//evil.com`), and for `http:evil.com`, which a browser on an https page takes for
`http://evil.com/` (another scheme's relative form is read as an authority; Bottle's `urljoin`
onto the request's URL returns it as it is). `startswith("/") and not startswith("//")`
(site_paths.py's first two facts) holds for `/\\evil.com` and for `/\\t/evil.com`, which a browser,
yarl and `urlsplit` (Python 3.9.5 on) read as `//evil.com`, and so does the three-part check that
also refuses a backslash (`... and "\\\\" not in url`): Flask's `redirect("/\\t/evil.com")` sends
`Location: //evil.com`. Those two facts keep a target on the site where the redirect
percent-encodes `\\`, tab and blanks (`/%5Cevil.com`); the three where it refuses a tab; and
everywhere, a printable target led by `/` and then neither `/` nor `\\` (the fix's check,
fixes/recipes_redirect.py). A target not led by `//` whose parse has neither scheme nor host
(`not p.scheme and not p.netloc and not url.startswith("//")`) may still be `/\\evil.com`, and,
where `urlsplit` keeps tabs (before Python 3.9.5), `/\\t/evil.com` or `\\t//evil.com`: a path of this
site where the redirect encodes `\\`, tab and blanks, nowhere else. The guards mark what they
proved (site_paths' facts); sinks.py asks here at the sink. No state.
"""

from __future__ import annotations

from bastion.analyzers.taint.site_paths import (
    FACTS,
    NO_BACKSLASH,
    NO_NETLOC,
    NO_SCHEME,
    NOT_SLASH_BACKSLASH,
    NOT_TWO_SLASHES,
    PRINTABLE,
    SLASH_LED,
)

# `\`, tab and blanks percent-encoded, slashes kept: Django's HttpResponseRedirect and `redirect`
# (`iri_to_uri`), Starlette's and FastAPI's RedirectResponse (`quote`), Sanic's `redirect`
# (`quote_plus`, `/` safe).
TAB_ENCODED = ("django.", "starlette.", "fastapi.", "sanic.")
# Werkzeug's Response (Flask) calls `iri_to_uri`, which encodes `\` but drops a tab; aiohttp's
# HTTPFound (`yarl.URL`) does the same; Tornado's `redirect`, Falcon's HTTPFound, Pyramid's HTTPFound
# and Quart's `redirect` (Werkzeug's sans-IO Response, sent without `get_wsgi_headers`) send the
# text as given.
# a tab refused: Tornado's `redirect` raises on a control character in a header value, so a
# target also proved free of `\` cannot name another host there
TAB_REFUSED = ("tornado.",)
_SLASH_LED = frozenset({SLASH_LED, NOT_TWO_SLASHES})
_PRINTABLE_PATH = frozenset({SLASH_LED, NOT_TWO_SLASHES, PRINTABLE})
_PARSED_PATH = frozenset({NO_SCHEME, NO_NETLOC, NOT_TWO_SLASHES})


def kept_on_site(clean: frozenset[str], name: str | None) -> bool:
    """Whether the redirect `name` sends a target so proved (`clean`) as a path of this site."""
    name = name or ""
    if _PRINTABLE_PATH <= clean and (NOT_SLASH_BACKSLASH in clean or NO_BACKSLASH in clean):
        return True
    return (_SLASH_LED <= clean or _PARSED_PATH <= clean) and name.startswith(TAB_ENCODED) \
        or FACTS <= clean and name.startswith(TAB_REFUSED)

"""What each framework's redirect does to the Location it sends, read in its source, and so which
checks of a target that leave a host unnamed still keep it on this site there. Two checks let
text through that a browser takes for another host: an empty `netloc` (`if not
urlparse(target).netloc:`) holds for `/\\evil.com` and `\\\\evil.com`, as a browser reads `\\` as `/`;
`startswith("/") and not startswith("//")` (site_paths.py's first two facts) holds for those and
for `/\\t/evil.com`, which a browser, yarl and `urlsplit` (Python 3.9.5 on) read as `//evil.com`.
A redirect that percent-encodes the character sends a path of this site (`/%5Cevil.com`). The
guards mark what they proved (url_hosts.HOST_FREE, site_paths' facts); sinks.py asks here at the
sink. No state.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bastion.analyzers.taint.site_paths import NOT_TWO_SLASHES, SLASH_LED
from bastion.analyzers.taint.url_hosts import ENCODED_SINCE, HOST_FREE

if TYPE_CHECKING:
    from bastion.analyzers.taint.declared_versions import Declared

# `\` and tab percent-encoded: Django's HttpResponseRedirect and `redirect` (`iri_to_uri`),
# Starlette's and FastAPI's RedirectResponse (`quote`), Sanic's `redirect` (`quote_plus`).
TAB_ENCODED = ("django.", "starlette.", "fastapi.", "sanic.")
# `\` encoded, a tab dropped (`/\t/evil.com` sent as `//evil.com`): Werkzeug's Response, for
# Flask (`get_wsgi_headers` calls `iri_to_uri`, which splits with `urlsplit`), aiohttp's HTTPFound
# (`yarl.URL`), Bottle's `redirect` (`urljoin` onto the request's URL, a path of this host).
# Tornado's `redirect`, Falcon's HTTPFound, Pyramid's HTTPFound and Quart's `redirect` (Werkzeug's
# sans-IO Response, sent without `get_wsgi_headers`) send the text as given.
BACKSLASH_ENCODED = (*TAB_ENCODED, "flask.", "werkzeug.", "aiohttp.", "bottle.")
_SLASH_LED = frozenset({SLASH_LED, NOT_TWO_SLASHES})


def kept_on_site(clean: frozenset[str], name: str | None, declared: Declared) -> bool:
    """Whether the redirect `name`, with the project's declared versions (undeclared: the
    current ones), sends a target so proved (`clean`) as a path of this site."""
    name = name or ""
    if _SLASH_LED <= clean and name.startswith(TAB_ENCODED):
        return True
    if HOST_FREE not in clean or not name.startswith(BACKSLASH_ENCODED):
        return False
    return not name.startswith(("flask.", "werkzeug.")) \
        or not any(declared.below(package, version) for package, version in ENCODED_SINCE.items())

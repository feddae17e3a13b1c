"""Taint analysis: Tornado's `tornado.escape.linkify(text)` as its documentation describes it,
plain text made HTML with links (the text escaped first, only http and https links made): what
it returns is markup safe to write; the text a handler writes without it is not escaped."""

from __future__ import annotations

from tests.unit.taint_marked import marked_and_found

LINKIFY = '''\
import tornado.escape
import tornado.web
from tornado.escape import linkify


class BioHandler(tornado.web.RequestHandler):
    def get(self):
        bio = self.get_argument("bio")
        self.write("<div>" + tornado.escape.linkify(bio) + "</div>")
        self.write("<div>" + linkify(bio, shorten=True, extra_params='rel="nofollow"') + "</div>")
        self.write("<div>" + bio + "</div>")  # BST203
'''


def test_linkify_escapes_the_text_it_makes_links_of():
    expected, found = marked_and_found(LINKIFY)
    assert expected
    assert found == expected

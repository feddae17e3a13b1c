"""textDocument/hover: the lesson's short form for the finding under the cursor, with a data-flow
finding's path on the user's own code."""

from __future__ import annotations

import json
from urllib.parse import quote

from lsprotocol import types

from bastion.lsp.convert import (
    cwe_url,
    flow_path,
    flow_path_markdown,
    to_range,
)
from bastion.lsp.pygls_compat import converter

LEARN_MORE = "bastion.learnMore"


def learn_more_uri(ls, rule_id: str, uri: str, rng: types.Range | None, cwe: int | None) -> str | None:
    """A command link where the client runs `bastion.learnMore` itself, else the CWE page."""
    if LEARN_MORE in ls.session.client.client_commands:
        args = [{"ruleId": rule_id, "uri": uri,
                 "range": converter(ls.protocol).unstructure(rng) if rng else None}]
        return f"command:{LEARN_MORE}?{quote(json.dumps(args))}"
    return cwe_url(cwe)


def register(server) -> None:
    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls, params: types.HoverParams) -> types.Hover | None:
        uri = params.text_document.uri
        doc = ls.session.documents.get(uri)
        result = ls.scheduler.current(uri)
        if doc is None or result is None:
            return None
        line, col = doc.to_code_points(params.position, ls.codec)
        hits = [f for f in result.analysis.findings if f.span.contains(line, col)]
        if not hits:
            return None
        from bastion.catalog.index import load_catalog

        catalog = load_catalog()
        # VS Code (the client that runs learnMore) lists the diagnostic's related steps in its
        # own part of this hover and caps the hover's height: the path again under it made a
        # four-step path scroll. Its lesson panel shows each step with its code.
        lists_steps = LEARN_MORE in ls.session.client.client_commands
        parts = []
        for finding in hits:
            rng = to_range(finding.span, doc, ls.codec)
            link = learn_more_uri(ls, finding.rule_id, uri, rng, finding.cwe)
            parts.append(catalog.hover_markdown(finding.rule_id, finding.message, link,
                                                path=None if lists_steps and finding.steps
                                                else flow_path_markdown(flow_path(finding, doc))))
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown,
                                         value="\n\n---\n\n".join(parts)),
            range=to_range(hits[0].span, doc, ls.codec))

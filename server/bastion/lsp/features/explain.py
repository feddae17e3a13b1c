"""bastion/explain, bastion/rules and the `bastion.learnMore` command for clients without a panel."""

from __future__ import annotations

from lsprotocol import types

from bastion.lsp.convert import flow_path
from bastion.lsp.features.hover import LEARN_MORE
from bastion.lsp.params import InvalidParams, field, position_line
from bastion.lsp.pygls_compat import converter


def explain_payload(ls, rule_id: str) -> dict | None:
    from bastion.catalog.index import load_catalog

    catalog = load_catalog()
    if catalog.get(rule_id) is None:
        return None
    return catalog.explain_payload(rule_id)


def register(server) -> None:
    @server.feature("bastion/explain")
    async def explain(ls, params) -> dict:
        rule_id = field(params, "ruleId")
        if not isinstance(rule_id, str) or not rule_id:
            raise InvalidParams('bastion/explain needs {"ruleId": "B602"}')
        payload = explain_payload(ls, rule_id.strip().upper())
        if payload is None:
            raise InvalidParams(f"unknown rule id {rule_id[:40]!r}")
        uri, rng = field(params, "uri"), field(params, "range")
        if isinstance(uri, str) and rng is not None:
            payload.update(await _in_document(ls, payload["id"], uri, rng))
        return payload

    @server.feature("bastion/rules")
    def rules(ls, params) -> dict:
        from bastion.catalog.index import load_catalog

        return {"rules": [
            {"id": s.id, "name": s.name, "title": s.title, "severity": s.severity,
             "confidence": s.confidence, "cwe": {"id": s.cwe.id, "name": s.cwe.name,
                                                 "broader": list(s.cwe.broader)},
             "owasp": s.owasp, "tags": list(s.tags)}
            for s in load_catalog().all()]}

    @server.command(LEARN_MORE)
    def learn_more(ls, *args) -> dict | None:
        """Clients without a lesson panel (Neovim, Emacs) get the summary as a message."""
        rule_id = field(args[0], "ruleId") if args else None
        payload = explain_payload(ls, str(rule_id or "").upper())
        if payload is None:
            ls.window_show_message(types.ShowMessageParams(
                type=types.MessageType.Warning, message=f"Bastion: unknown rule {rule_id!r}"))
            return None
        ls.window_show_message(types.ShowMessageParams(
            type=types.MessageType.Info,
            message=f"{payload['id']} {payload['title']}: {payload['summary']} "
                    f"Fix: {payload['howToFix'].splitlines()[0]} More: {payload['cwe']['url']}"))
        return payload


async def _in_document(ls, rule_id: str, uri: str, rng) -> dict:
    """The user's own flagged code, a data-flow finding's path on it, and the verified fixes for
    it, as the lesson panel shows them.

    Empty when the document or its analysis is gone or stale: the panel then shows the lesson only.
    """
    from bastion.lsp.features.code_actions import fixes_for, workspace_edit_for

    doc = ls.session.documents.get(uri)
    result = ls.scheduler.current(uri)
    if doc is None or result is None:
        return {}
    start_line = position_line(field(rng, "start"))
    finding = next((f for f in result.analysis.findings
                    if f.rule_id == rule_id and f.span.start_line == start_line), None)
    if finding is None:
        return {}
    first, last = min(finding.lines or (finding.span.start_line,)), max(
        finding.lines or (finding.span.end_line,))
    flagged = {"code": "\n".join(doc.line(n) for n in range(first, last + 1)),
               "startLine": first + 1}
    fixes = await fixes_for(ls, uri, doc, result, finding) or []
    return {"flagged": flagged, "path": flow_path(finding, doc), "fixes": [
        {"title": fix.title, "safety": fix.safety, "diff": _unified_diff(doc, fix),
         "edit": converter(ls.protocol).unstructure(workspace_edit_for(ls, doc, fix))}
        for fix in fixes]}


def _unified_diff(doc, fix) -> str:
    import difflib

    from bastion.fixes.edits import apply_changes

    before = [doc.line(n) for n in range(len(doc.lines))]
    after = [line.removesuffix("\r") for line in apply_changes(doc.lines, fix.changes)]
    name = (doc.path or doc.uri).rsplit("/", 1)[-1]
    return "\n".join(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}", n=2,
                                           lineterm=""))

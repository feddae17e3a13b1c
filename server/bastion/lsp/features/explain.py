"""bastion/explain, bastion/rules and the `bastion.learnMore` command for clients without a panel."""

from __future__ import annotations

from lsprotocol import types

from bastion.lsp.features.hover import LEARN_MORE


def _field(params, name: str):
    if isinstance(params, dict):
        return params.get(name)
    return getattr(params, name, None)


def explain_payload(ls, rule_id: str) -> dict | None:
    from bastion.catalog.index import load_catalog

    catalog = load_catalog()
    if catalog.get(rule_id) is None:
        return None
    return catalog.explain_payload(rule_id)


def register(server) -> None:
    @server.feature("bastion/explain")
    def explain(ls, params) -> dict:
        rule_id = _field(params, "ruleId")
        if not isinstance(rule_id, str) or not rule_id:
            raise ValueError("bastion/explain needs {\"ruleId\": \"B602\"}")
        payload = explain_payload(ls, rule_id.strip().upper())
        if payload is None:
            raise ValueError(f"unknown rule id {rule_id!r}")
        return payload

    @server.feature("bastion/rules")
    def rules(ls, params) -> dict:
        from bastion.catalog.index import load_catalog

        return {"rules": [
            {"id": s.id, "name": s.name, "title": s.title, "severity": s.severity,
             "confidence": s.confidence, "cwe": {"id": s.cwe.id, "name": s.cwe.name},
             "owasp": s.owasp, "tags": list(s.tags)}
            for s in load_catalog().all()]}

    @server.command(LEARN_MORE)
    def learn_more(ls, *args) -> dict | None:
        """Clients without a lesson panel (Neovim, Emacs) get the summary as a message."""
        rule_id = _field(args[0], "ruleId") if args else None
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

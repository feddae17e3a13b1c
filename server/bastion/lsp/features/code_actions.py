"""textDocument/codeAction and codeAction/resolve: verified fixes, fix-all, suppress, learn more.

Fixes are verified (re-analysed) before they are listed. Clients that resolve code actions get
the list without edits and the edit from `codeAction/resolve`; others get edits at once. Every
fix action carries the document version, rule and range in `data`: a request or resolve for a
version that is no longer current returns no edit.
"""

from __future__ import annotations

import asyncio
import functools

import attrs
from lsprotocol import types

from bastion.engine.suppress_edit import suppress_edit
from bastion.filekinds import FileKind, kind_of
from bastion.fixes.base import fixable_rules, may_fix_safely
from bastion.fixes.edits import Change, LineEdit, diff_edits, line_edits
from bastion.lsp.convert import SOURCE, shown_findings

LEARN_MORE = "bastion.learnMore"
FIX_ALL_KIND = "source.fixAll.bastion"
FIX_ALL_TITLE = "Fix all safe Bastion issues"


def register(server) -> None:
    fixable_rules()  # import the recipes now, not on the first request

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll,
                               FIX_ALL_KIND],
            resolve_provider=True),
    )
    async def code_action(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        only = params.context.only
        actions: list[types.CodeAction] = []
        _warm(ls, uri)
        if _wants(only, types.CodeActionKind.QuickFix):
            for diagnostic in params.context.diagnostics:
                if diagnostic.source == SOURCE and diagnostic.code:
                    actions.extend(await _diagnostic_actions(ls, uri, diagnostic))
        if _wants(only, FIX_ALL_KIND) and (only is not None or _lazy(ls)):
            action = await _fix_all_action(ls, uri, resolve=not _lazy(ls))
            if action is not None:
                actions.append(action)
        return actions

    @server.feature(types.CODE_ACTION_RESOLVE)
    async def resolve_code_action(ls, action: types.CodeAction) -> types.CodeAction:
        data = action.data if isinstance(action.data, dict) else {}
        kind = data.get("bastion")
        if not (isinstance(data.get("uri"), str) and isinstance(data.get("version"), int)):
            return action  # not an action of this server's (or forged): nothing to resolve
        if kind == "fix":
            edit = await _fix_edit(ls, data)
        elif kind == "fixAll":
            edit = await _fix_all_edit(ls, data)
        else:
            return action
        if edit is not None:
            action.edit = edit
        return action


def _wants(only, kind: str) -> bool:
    """Whether a request restricted to `only` kinds accepts actions of `kind`."""
    if not only:
        return True
    wanted = [str(getattr(k, "value", k)) for k in only]  # enum members or plain strings
    return any(kind == k or kind.startswith(f"{k}.") for k in wanted)


def _lazy(ls) -> bool:
    return ls.session.client.resolve_code_actions


def _snapshot(ls, uri: str, version: int | None = None):
    """(document, current result) or None when stale or unknown."""
    doc = ls.session.documents.get(uri)
    result = ls.scheduler.current(uri)
    if doc is None or result is None or (version is not None and doc.version != version):
        return None
    return doc, result


def _warm(ls, uri: str) -> None:
    """Editors ask for code actions at every cursor move: the first ask for a document with
    findings builds its model in the background, so the ask at a diagnostic finds it ready."""
    snapshot = _snapshot(ls, uri)
    if snapshot is None or not snapshot[1].analysis.findings:
        return
    doc = snapshot[0]
    if not ls.fix_service.has_model(uri, doc.version):
        # A moment later: a build without the engine's split holds the GIL for a while
        # (ast.parse), and this request's answer should leave first.
        asyncio.get_running_loop().call_later(0.02, _prepare, ls, uri, doc.text, doc.version,
                                              _engine_split(snapshot[1]))


def _prepare(ls, uri: str, text: str, version: int, split) -> None:
    if uri in ls.session.documents:  # not closed meanwhile: its state would never be forgotten
        ls.fix_service.prepare(uri, text, version, split)


def _engine_split(result):
    """The engine's units of exactly the text of a current result, when it kept them."""
    split = result.split
    return split if split is not None and not split.broken else None


async def _in_worker(ls, func, *args):
    return await asyncio.get_running_loop().run_in_executor(ls.fix_service.executor, func, *args)


async def fixes_for(ls, uri: str, doc, result, finding):
    """Verified fixes for a finding of the current result (None when the document moved on)."""
    return await _fixes(ls, uri, doc, result, finding)


def workspace_edit_for(ls, doc, fix) -> types.WorkspaceEdit:
    return _workspace_edit(ls, doc, line_edits(doc.lines, fix.changes))


@attrs.frozen
class _TextFixAction:
    """A text analyzer's fix (a manifest's version bump) in the shape of a verified fix: its
    edits as whole-line changes, so that previews and edits are built as for any fix."""

    title: str
    key: str
    safety: str
    changes: tuple[Change, ...]
    preferred: bool = False


def _text_changes(lines, fix) -> tuple[Change, ...]:
    changes = []
    for edit in fix.edits:
        span = edit.span
        if not 0 <= span.start_line <= span.end_line < len(lines):
            return ()
        text = lines[span.start_line][:span.start_col] + edit.new_text \
            + lines[span.end_line][span.end_col:]
        changes.append(Change(span.start_line, span.end_line, text + "\n"))
    return tuple(changes)


async def _fixes(ls, uri: str, doc, result, finding):
    text, version, path = doc.text, doc.version, doc.path or uri
    if kind_of(path) is not FileKind.PYTHON:
        found = await _in_worker(ls, ls.engine.text_fixes, text, path, finding)
        # Advice without an edit (a lock file's command) is already in the finding's message.
        fixes = [_TextFixAction(f.title, f"text:{n}", f.safety, _text_changes(doc.lines, f))
                 for n, f in enumerate(found) if f.edits]
        fixes = [f for f in fixes if f.changes]
        return fixes if doc.version == version else None
    fixes = await _in_worker(ls, ls.fix_service.fixes, uri, version, text, path, result.config,
                             finding, _engine_split(result))
    return fixes if doc.version == version else None


async def _diagnostic_actions(ls, uri: str, diagnostic: types.Diagnostic) -> list[types.CodeAction]:
    rule = str(diagnostic.code)
    learn = types.CodeAction(
        title=f"Learn more about {rule}", kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        command=types.Command(title=f"Learn more about {rule}", command=LEARN_MORE,
                              arguments=[{"ruleId": rule, "uri": uri,
                                          "range": diagnostic.range}]))
    snapshot = _snapshot(ls, uri)
    if snapshot is None:
        return [learn]  # stale request: offer no edits
    doc, result = snapshot
    finding = find_finding(ls, result, doc, diagnostic)
    if finding is None:
        return [learn]
    actions: list[types.CodeAction] = []
    fixes = await _fixes(ls, uri, doc, result, finding)
    for fix in fixes or []:
        action = types.CodeAction(
            title=fix.title, kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic],
            is_preferred=fix.preferred or None,
            data={"bastion": "fix", "uri": uri, "version": doc.version, "rule": rule,
                  "range": _range_data(diagnostic.range), "fix": fix.key,
                  "safety": fix.safety})
        if not _lazy(ls):
            action.edit = _workspace_edit(ls, doc, line_edits(doc.lines, fix.changes))
        actions.append(action)
    if fixes is None:
        return [learn]
    suppress = _suppress_action(ls, doc, result, finding, diagnostic)
    if suppress is not None:
        actions.append(suppress)
    actions.append(learn)
    return actions


def _suppress_action(ls, doc, result, finding, diagnostic) -> types.CodeAction | None:
    rule = str(diagnostic.code)
    if kind_of(doc.path).comment is None:
        return None  # JSON has no comments: suppressed through a baseline or the configuration
    edit = suppress_edit(finding, doc.lines, result.analysis.directives)
    if edit is None:
        return None
    return types.CodeAction(
        title=f"Suppress {rule} here (# nosec {rule})", kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic],
        edit=_workspace_edit(ls, doc, [LineEdit(edit.line, edit.start, edit.line, edit.end,
                                                edit.text)]))


async def _fix_all_action(ls, uri: str, resolve: bool) -> types.CodeAction | None:
    snapshot = _snapshot(ls, uri)
    if snapshot is None:
        return None
    doc, result = snapshot
    if not any(may_fix_safely(f.rule_id) for f in result.analysis.findings):
        return None
    action = types.CodeAction(title=FIX_ALL_TITLE, kind=FIX_ALL_KIND,
                              data={"bastion": "fixAll", "uri": uri, "version": doc.version})
    if resolve:
        edit = await _fix_all_edit(ls, action.data)
        if edit is None:
            return None
        action.edit = edit
    return action


async def _fix_edit(ls, data: dict) -> types.WorkspaceEdit | None:
    uri, version = data.get("uri"), data.get("version")
    snapshot = _snapshot(ls, uri, version)
    if snapshot is None:
        doc = ls.session.documents.get(uri)
        if doc is None or doc.version != version:
            return None  # stale: the client asks again for the new version
        if await ls.scheduler.wait_for(uri) is None:
            return None
        snapshot = _snapshot(ls, uri, version)
        if snapshot is None:
            return None
    doc, result = snapshot
    wanted = _range_from_data(data.get("range"))
    diagnostic = next((d for d in result.diagnostics.items()
                       if d.code == data.get("rule") and d.range == wanted), None)
    finding = find_finding(ls, result, doc, diagnostic) if diagnostic is not None else None
    if finding is None:
        return None
    fixes = await _fixes(ls, uri, doc, result, finding)
    fix = next((f for f in fixes or [] if f.key == data.get("fix")), None)
    if fix is None or doc.version != version:
        return None
    return _workspace_edit(ls, doc, line_edits(doc.lines, fix.changes))


async def _fix_all_edit(ls, data: dict) -> types.WorkspaceEdit | None:
    uri, version = data.get("uri"), data.get("version")
    snapshot = _snapshot(ls, uri, version)
    if snapshot is None:
        return None
    doc, result = snapshot
    text, path = doc.text, doc.path or uri
    fixed = await _in_worker(ls, functools.partial(
        ls.fix_service.fix_all, uri, version, text, path, result.config, result.analysis,
        split=_engine_split(result)))
    if doc.version != version or not fixed.applied:
        return None
    return _workspace_edit(ls, doc, diff_edits(doc.lines, fixed.text.split("\n")))


def _workspace_edit(ls, doc, edits: list[LineEdit]) -> types.WorkspaceEdit:
    codec = ls.codec
    text_edits = [types.TextEdit(
        range=types.Range(start=doc.to_client(e.start_line, e.start_col, codec),
                          end=doc.to_client(e.end_line, e.end_col, codec)),
        new_text=e.text) for e in edits]
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(
        text_document=types.OptionalVersionedTextDocumentIdentifier(uri=doc.uri,
                                                                    version=doc.version),
        edits=text_edits)])


def _range_data(rng: types.Range) -> list[int]:
    return [rng.start.line, rng.start.character, rng.end.line, rng.end.character]


def _range_from_data(value) -> types.Range | None:
    if not (isinstance(value, list) and len(value) == 4 and all(isinstance(v, int) for v in value)):
        return None
    return types.Range(start=types.Position(value[0], value[1]),
                       end=types.Position(value[2], value[3]))


def find_finding(ls, result, doc, diagnostic: types.Diagnostic):
    """The finding behind a diagnostic of the current result, matched by rule and range.

    Some clients (Neovim 0.7) send the diagnostic back with columns re-encoded from their own
    byte offsets, so a non-ASCII line may not match exactly: then the rule and start line must
    identify a single finding.
    """
    pairs = list(zip(shown_findings(result.analysis.findings), result.diagnostics.items(),
                     strict=False))
    for finding, published in pairs:
        if published.code == diagnostic.code and published.range == diagnostic.range:
            return finding
    same_line = [f for f, published in pairs if published.code == diagnostic.code
                 and published.range.start.line == diagnostic.range.start.line]
    return same_line[0] if len(same_line) == 1 else None

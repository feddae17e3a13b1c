"""Code action latency through the real server over stdio.

    python bench/code_action_bench.py [--file PATH] [--runs 60]

Opens a ~6,000-line file (the running interpreter's `_pydecimal.py` by default) with one
vulnerable function appended, as VS Code does (UTF-16, pushed diagnostics, codeAction/resolve),
then measures, client side:

- `codeAction` at the B506 diagnostic and `codeAction/resolve` of its fix, on an unchanged
  document (the fix list is cached per version), and
- the same right after an edit elsewhere in the file (a new version: the document model is
  updated, the fix rebuilt and verified again),

and prints p50/p95 for each. The goal is p95 <= 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import sysconfig
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

VULNERABLE = '''

def _bastion_bench(path, target):
    import subprocess
    import yaml
    with open(path) as fh:
        settings = yaml.load(fh, Loader=yaml.Loader)
    subprocess.run("make -j4 " + target, shell=True)
    return settings
'''


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path,
                        default=Path(sysconfig.get_paths()["stdlib"]) / "_pydecimal.py")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--pause", type=float, default=0.5,
                        help="seconds between the first (cursor) request and the first request "
                             "at the diagnostic")
    parser.add_argument("--cold", action="store_true",
                        help="ask at the diagnostic at once, before the background build ends")
    args = parser.parse_args(argv)

    text = args.file.read_text(encoding="utf-8") + VULNERABLE
    lines = text.split("\n")
    uri = args.file.with_name("bench_" + args.file.name).resolve().as_uri()
    client = LanguageClient("bench", "1")
    published: dict[int, list[types.Diagnostic]] = {}
    arrived = asyncio.Event()

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_publish(params: types.PublishDiagnosticsParams):
        published[params.version] = list(params.diagnostics)
        arrived.set()

    async def diagnostics(version: int) -> list[types.Diagnostic]:
        while version not in published:
            arrived.clear()
            await asyncio.wait_for(arrived.wait(), 60)
        return published[version]

    await client.start_io(sys.executable, "-m", "bastion", "lsp")
    caps = types.ClientCapabilities(
        general=types.GeneralClientCapabilities(position_encodings=["utf-16"]),
        text_document=types.TextDocumentClientCapabilities(
            code_action=types.CodeActionClientCapabilities(
                code_action_literal_support=types.ClientCodeActionLiteralOptions(
                    code_action_kind=types.ClientCodeActionKindOptions(
                        value_set=["quickfix", "source", "source.fixAll"])),
                is_preferred_support=True, data_support=True,
                resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"])),
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True)))
    await client.initialize_async(types.InitializeParams(capabilities=caps, process_id=None))
    client.initialized(types.InitializedParams())
    client.text_document_did_open(types.DidOpenTextDocumentParams(
        text_document=types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
    started = time.perf_counter()
    await diagnostics(1)
    print(f"{args.file.name} + vulnerable function: {len(lines)} lines; first diagnostics "
          f"after {(time.perf_counter() - started) * 1000:.0f} ms")

    async def measure(version: int) -> tuple[float, float]:
        diag = next(d for d in await diagnostics(version) if d.code == "B506")
        params = types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri), range=diag.range,
            context=types.CodeActionContext(diagnostics=[diag]))
        t0 = time.perf_counter()
        actions = await client.text_document_code_action_async(params)
        t1 = time.perf_counter()
        fix = next(a for a in actions if a.title.startswith("Fix B506"))
        resolved = await client.code_action_resolve_async(fix)
        t2 = time.perf_counter()
        assert resolved.edit is not None, "resolve returned no edit"
        return (t1 - t0) * 1000, (t2 - t1) * 1000

    # As an editor does on open: code actions at the cursor (no diagnostic there). The server
    # starts building the document's fix model in the background; the user reaches the
    # diagnostic some time later.
    t0 = time.perf_counter()
    await client.text_document_code_action_async(types.CodeActionParams(
        text_document=types.TextDocumentIdentifier(uri=uri),
        range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
        context=types.CodeActionContext(diagnostics=[])))
    cursor = (time.perf_counter() - t0) * 1000
    if not args.cold:
        await asyncio.sleep(args.pause)
    same_action, same_resolve = [], []
    for _ in range(args.runs):
        a, r = await measure(1)
        same_action.append(a)
        same_resolve.append(r)

    # Edit a line in the middle of the file (another unit), then ask again for the new version.
    middle = next(i for i in range(len(lines) // 2, len(lines)) if lines[i].strip().startswith(
        "return ") and lines[i].startswith("        "))
    edit_action, edit_resolve = [], []
    col = len(lines[middle])  # ASCII line: UTF-16 units == code points
    for run in range(args.runs):
        version = run + 2
        comment = f"  # {run % 1000:03d}"  # 7 characters, replaced on every run
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(middle, col),
                                  end=types.Position(middle, col + (7 if run else 0))),
                text=comment)]))
        a, r = await measure(version)
        edit_action.append(a)
        edit_resolve.append(r)

    def row(name: str, values: list[float]) -> None:
        print(f"  {name:<34} p50 {statistics.median(values):6.1f} ms   "
              f"p95 {percentile(values, 95):6.1f} ms   max {max(values):6.1f} ms")

    print(f"codeAction at the cursor after open: {cursor:.1f} ms; first codeAction at the "
          f"diagnostic: {same_action[0]:.0f} ms "
          + ("(cold: builds the fix model, one whole-file split)" if args.cold else
             f"({args.pause:.1f} s later: the model was built in the background)"))
    print(f"{args.runs} runs each:")
    row("codeAction (same version)", same_action)
    row("codeAction/resolve (same version)", same_resolve)
    row("codeAction (after an edit)", edit_action)
    row("codeAction/resolve (after an edit)", edit_resolve)
    both = [a + r for a, r in zip(edit_action, edit_resolve, strict=True)]
    row("codeAction + resolve (after edit)", both)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))

"""One big document must not hold up the others: open a large file, then a small one.

Usage: python bench/big_document_bench.py [--lines 200000] [--every 1000] [--delay 0.5]
           [--timeout 1800] [--server "python -m bastion lsp"] [--file PATH --expect N]
Drives the real server over stdio (bench/lsp_bench.py's client, push diagnostics, no disk
cache): opens a file of `--lines` one-line assignments with a B602 every `--every` lines
(200,000 lines: 2.8 MB, 200 findings), then `--delay` seconds later a 3-line document with one
finding (`--file`: that file is the big document, a 5 MB manifest, complete once a publish
holds `--expect` diagnostics; the small one sits beside it). Prints the time from the small
document's didOpen to its diagnostics, the time from the big one's didOpen to its complete
diagnostics, how many times the big one was published, and the server's peak RSS; then one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_bench import LspClient, norm_uri  # noqa: E402
from memory_bench import rss_mb, started  # noqa: E402

SMALL = "import subprocess\n\nsubprocess.call(cmd, shell=True)\n"


def big_text(lines: int, every: int) -> str:
    out = ["import subprocess", ""]
    for i in range(lines - 2):
        if i % every == every - 1:
            out.append(f"subprocess.call(c{i}, shell=True)")
        else:
            out.append(f"x{i} = f({i % 10})")
    return "\n".join(out) + "\n"


async def first_publish(client: LspClient, uri: str, done, timeout: float) -> float:
    """perf_counter time of the first publish for `uri` that `done(diagnostics)` accepts."""
    deadline = time.monotonic() + timeout
    while True:
        for publish in client.publishes.get(norm_uri(uri), []):
            if done(publish.diagnostics):
                return publish.t
        client.publish_event.clear()
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no complete diagnostics for {uri} in {timeout} s")
        try:
            await asyncio.wait_for(client.publish_event.wait(), left)
        except asyncio.TimeoutError:
            pass


async def run(args) -> dict:
    if args.file:
        text, expected = Path(args.file).read_text(), args.expect
        folder = Path(tempfile.mkdtemp(prefix="bastion-big-"))
        big_uri = Path(args.file).resolve().as_uri()
        complete = lambda d: len(d) >= expected  # noqa: E731
    else:
        text = big_text(args.lines, args.every)
        expected = text.count("shell=True")
        folder = Path(tempfile.mkdtemp(prefix="bastion-big-"))
        big_uri = (folder / "big.py").as_uri()
        complete = lambda d: sum(x.get("code") == "B602" for x in d) >= expected  # noqa: E731
    small_uri = (folder / "small.py").as_uri()
    client = await started(args.server)
    pid = client.proc.pid
    idle = rss_mb(pid)
    t_big = await client.notify("textDocument/didOpen", {"textDocument": {
        "uri": big_uri, "languageId": "python", "version": 1, "text": text}})
    await asyncio.sleep(args.delay)
    t_small = await client.notify("textDocument/didOpen", {"textDocument": {
        "uri": small_uri, "languageId": "python", "version": 1, "text": SMALL}})
    small_at = await first_publish(client, small_uri, lambda d: len(d) >= 2, args.timeout)
    big_at = await first_publish(client, big_uri, complete, args.timeout)
    peak = rss_mb(pid, "VmHWM")
    publishes = len(client.publishes.get(norm_uri(big_uri), []))
    await client.stop()
    return {"lines": text.count("\n"), "bytes": len(text.encode()), "findings": expected,
            "small_diagnostics_s": round(small_at - t_small, 3),
            "big_complete_s": round(big_at - t_big, 2), "big_publishes": publishes,
            "rss_idle_mb": round(idle, 1), "peak_rss_mb": round(peak, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--every", type=int, default=1000)
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--server", default=f"{sys.executable} -m bastion lsp")
    parser.add_argument("--file", help="open this file as the big document (not generated)")
    parser.add_argument("--expect", type=int, default=1,
                        help="with --file: diagnostics of its complete publish (at least)")
    args = parser.parse_args()
    os.environ["BASTION_NO_CACHE"] = "1"
    result = asyncio.run(run(args))
    print(f"{result['lines']} lines ({result['bytes'] // 1024} KiB, {result['findings']} findings) "
          f"open, then a small document {args.delay} s later:")
    print(f"  small document's diagnostics after {result['small_diagnostics_s']} s")
    print(f"  big document complete after {result['big_complete_s']} s "
          f"({result['big_publishes']} publishes)")
    print(f"  RSS idle {result['rss_idle_mb']} MB, peak {result['peak_rss_mb']} MB")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

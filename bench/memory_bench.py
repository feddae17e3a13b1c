"""Server memory: RSS with 50 open files totalling ~100k lines, and over a 10,000-keystroke session.

Usage: python bench/memory_bench.py [--files 50] [--lines 100000] [--keystrokes 10000]
           [--server "python -m bastion lsp"]
       python bench/memory_bench.py --open-close 500 [--cycles 3]
           (RSS before, open, after closing all; each cycle opens new documents)
Drives the real server over stdio with bench/lsp_bench.py's client; RSS is read from
/proc/PID/status (VmRSS now, VmHWM peak). Prints a table and one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lsp_bench import LspClient, build_edits, choose_insertion, client_capabilities  # noqa: E402


def rss_mb(pid: int, key: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pick_files(count: int, lines: int) -> list[Path]:
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    candidates = sorted((p for p in stdlib.rglob("*.py") if "test" not in p.parts
                         and "site-packages" not in p.parts), key=lambda p: p.stat().st_size,
                        reverse=True)
    chosen, total = [], 0
    per_file = lines / count
    for path in candidates:
        n = path.read_text(encoding="utf-8", errors="replace").count("\n")
        if n <= per_file * 2.2 and n >= per_file * 0.3:
            chosen.append((path, n))
            total += n
        if len(chosen) == count:
            break
    return [p for p, _ in chosen]


async def wait_version(client: LspClient, uri: str, version: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = client.publishes.get(uri, [])
        if any(p.version is not None and p.version >= version for p in got):
            return
        client.publish_event.clear()
        try:
            await asyncio.wait_for(client.publish_event.wait(), max(0.01, deadline - time.monotonic()))
        except asyncio.TimeoutError:
            break
    raise TimeoutError(f"no diagnostics for {uri} version {version}")


async def started(server: str) -> LspClient:
    """The server started and initialised as a push client."""
    client = LspClient(shlex.split(server), {})
    await client.start()
    client.workspace_folders = None
    await client.call("initialize", {"processId": os.getpid(), "rootUri": None,
                                     "capabilities": client_capabilities(False)}, 60)
    await client.notify("initialized", {})
    return client


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


async def settled_rss(pid: int, limit: float = 120) -> float:
    """RSS once the server has used no CPU for a second (its background work done)."""
    deadline, last = time.monotonic() + limit, -1
    while time.monotonic() < deadline:
        ticks = cpu_ticks(pid)
        if ticks == last:
            break
        last = ticks
        await asyncio.sleep(1)
    return rss_mb(pid)


async def open_close(args) -> dict:
    """RSS before, with `--open-close` documents open, and after they are all closed; repeated
    `--cycles` times with new documents, so that memory kept for reuse (flat after the first
    cycle) can be told from memory that grows with every document ever opened."""
    files = pick_files(args.open_close, args.open_close * 400)
    client = await started(args.server)
    pid = client.proc.pid
    base = await settled_rss(pid)
    cycles = []
    for cycle in range(args.cycles):
        uris = []
        for n in range(args.open_close):
            path = files[n % len(files)]
            uri = f"file:///bench/{cycle}/{n}/{path.name}"
            uris.append(uri)
            await client.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "python", "version": 1,
                "text": path.read_text(encoding="utf-8", errors="replace")}})
        for uri in uris:
            await wait_version(client, uri, 1, 600)
        opened = await settled_rss(pid)
        for uri in uris:
            await client.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        await asyncio.sleep(2)  # the server collects once idle for a second
        cycles.append((round(opened, 1), round(await settled_rss(pid), 1)))
    await client.stop()
    return {"documents": args.open_close, "rss_start_mb": round(base, 1),
            "rss_open_mb": cycles[0][0], "rss_after_close_mb": cycles[0][1],
            "cycles": cycles}


async def run(args) -> dict:
    files = pick_files(args.files, args.lines)
    total_lines = sum(p.read_text(encoding="utf-8", errors="replace").count("\n") for p in files)
    client = await started(args.server)
    pid = client.proc.pid
    base = rss_mb(pid)
    began = time.perf_counter()
    for path in files:
        await client.notify("textDocument/didOpen", {"textDocument": {
            "uri": path.as_uri(), "languageId": "python", "version": 1,
            "text": path.read_text(encoding="utf-8", errors="replace")}})
    for path in files:
        await wait_version(client, path.as_uri(), 1, 300)
    opened = rss_mb(pid)
    open_s = time.perf_counter() - began
    target = files[0]
    text = target.read_text(encoding="utf-8", errors="replace")
    line0, indent, _ = choose_insertion(text, None)
    edits = build_edits(line0, indent, ["subprocess.call(cmd, shell=True)",
                                        "result = eval(user_input)"], args.keystrokes)
    samples = []
    version = 1
    for start in range(0, len(edits), 66):
        for (sl, sc), (el, ec), new in edits[start:start + 66]:
            version += 1
            await client.notify("textDocument/didChange", {
                "textDocument": {"uri": target.as_uri(), "version": version},
                "contentChanges": [{"range": {"start": {"line": sl, "character": sc},
                                              "end": {"line": el, "character": ec}},
                                    "text": new}]})
        await wait_version(client, target.as_uri(), version)
        if version - 1 in (1000, 2000) or (version - 1) % 2500 < 66 or start + 66 >= len(edits):
            samples.append((version - 1, round(rss_mb(pid), 1)))
    peak = rss_mb(pid, "VmHWM")
    await client.stop()
    return {"files": len(files), "lines": total_lines, "rss_start_mb": round(base, 1),
            "rss_after_open_mb": round(opened, 1), "open_all_s": round(open_s, 2),
            "keystrokes": len(edits), "rss_samples": samples, "peak_rss_mb": round(peak, 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--keystrokes", type=int, default=10_000)
    parser.add_argument("--server", default=f"{sys.executable} -m bastion lsp")
    parser.add_argument("--open-close", type=int, default=0, metavar="N",
                        help="instead: open N documents, close them all, RSS before and after")
    parser.add_argument("--cycles", type=int, default=3,
                        help="with --open-close: how many times to open and close N new documents")
    args = parser.parse_args()
    os.environ.setdefault("BASTION_CACHE_DIR", tempfile.mkdtemp(prefix="bastion-mem-"))
    if args.open_close:
        result = asyncio.run(open_close(args))
        print(f"{result['documents']} documents: RSS {result['rss_start_mb']} MB idle, "
              f"{result['rss_open_mb']} MB open, {result['rss_after_close_mb']} MB after closing all")
        for number, (opened, closed) in enumerate(result["cycles"], 1):
            print(f"  cycle {number}: {opened} MB open, {closed} MB after closing all")
        print(json.dumps(result))
        return 0
    result = asyncio.run(run(args))
    print(f"{result['files']} files, {result['lines']} lines open: RSS {result['rss_after_open_mb']} MB "
          f"(idle {result['rss_start_mb']} MB, opened in {result['open_all_s']} s)")
    for keys, mb in result["rss_samples"]:
        print(f"  after {keys:>6} keystrokes: RSS {mb} MB")
    print(f"peak RSS {result['peak_rss_mb']} MB")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

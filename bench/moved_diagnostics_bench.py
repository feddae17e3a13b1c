"""The server's conversion of a result to diagnostics when a line is inserted above most findings.

Usage: python bench/moved_diagnostics_bench.py [--mb 1] [--line 9003] [--repeat 5] [--before SERVER_DIR]
The generated pyproject.toml of bench/deps_bench.py is analysed by the engine, its result
converted through a document's `DiagnosticMemo` (lsp/encoded.py) as the server publishes it;
then an empty line is inserted before --line (Enter) and the new result converted through the
same memo: the CPU ms of that conversion, median of --repeat fresh memos. `--before` runs the
same on other code (a `server` folder) in the same run. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from deps_bench import pyproject  # noqa: E402

MEASURE = """
import json, sys, time
sys.path.insert(0, {server!r})
from lsprotocol import types
from pygls.protocol import default_converter
from pygls.workspace.position_codec import PositionCodec
from bastion.config import Config
from bastion.engine.registry import create_engine
from bastion.lsp.documents import Document
from bastion.lsp.encoded import DiagnosticMemo
path = {path!r}
text = open(path, encoding="utf-8").read()
lines = text.split("\\n")
edited = "\\n".join([*lines[:{line} - 1], "", *lines[{line} - 1:]])
engine, config = create_engine(disk_cache=False), Config()
codec, converter = PositionCodec(types.PositionEncodingKind.Utf16), default_converter()
docs = [Document.from_text("file://" + path, v, t) for v, t in ((1, text), (2, edited))]
results = [engine.analyse(doc.text, path, config) for doc in docs]
times = []
for _ in range({repeat}):
    memo = DiagnosticMemo(converter)
    memo.result(results[0], (), (), docs[0], codec, config, 1)
    c = time.thread_time()
    memo.result(results[1], (), (), docs[1], codec, config, 2)
    times.append((time.thread_time() - c) * 1000)
moved = sum(f.span.start_line >= {line} - 1 for f in results[1].findings[:2000])
print(json.dumps({{"convert_cpu_ms": sorted(times)[len(times) // 2], "findings": len(results[1].findings),
                  "shown_moved": moved}}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--line", type=int, default=9003)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", type=Path, metavar="DIR")
    args = parser.parse_args()
    servers = {"after": str(ROOT / "server")}
    if args.before:
        servers = {"before": str(args.before), **servers}
    out = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pyproject.toml"
        path.write_text(pyproject(int(args.mb * 1024 * 1024)))
        for label, server in servers.items():
            done = subprocess.run([sys.executable, "-c", MEASURE.format(
                server=server, path=str(path), line=args.line, repeat=args.repeat)],
                capture_output=True, text=True, check=True)
            out[label] = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""In-process CPU per typed key: the engine's analysis of each state of bench/lsp_bench.py's edit
script, as the editor's scheduler runs it (the incremental splitter, the unchanged lines before
and after each edit), without the LSP server around it.

Usage: PYTHONPATH=server python bench/keystroke_profile.py [--file views.py|PATH] [--edits 132]
           [--rounds 3] [--profile 20] [--calls]
Prints p50 / p95 / mean CPU ms per key (`time.process_time`, so that a shared machine's other
load counts less) for each round, and with --profile N the N heaviest functions (cumulative) of
a cProfile of the slowest 5% of keys of the last round. --calls prints instead the function
calls a key makes (cProfile's count over every key, divided by the keys; then each key's p50,
p95 and the keys making the most: a key of a state seen before costs some 800, a new one
15-25k): the same on every run of the same code, so a change's cost shows on a loaded machine
too (a pass made to read a whole class at each key made `_pydecimal.py`'s 13,280 calls a key
59,530). `views.py` is bench/typing_bench.py's generated Flask module; any other name is a
CPython module (`import subprocess` prepended, as typing_bench.py does).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import random
import sys
import sysconfig
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from lsp_bench import DEFAULT_SNIPPETS, apply_edit, build_edits, choose_insertion  # noqa: E402

from bastion.engine.engine import run_to_end  # noqa: E402
from bastion.engine.incremental import IncrementalSplitter, analyse_edit  # noqa: E402
from bastion.engine.registry import create_engine  # noqa: E402
from bastion.model.text import split_lines  # noqa: E402


def source(name: str) -> str:
    if name == "views.py":
        from taint_bench import HEADER, view

        rng = random.Random(3)
        return HEADER + "\n\n".join(view(i, 25, rng) for i in range(60))
    path = Path(name) if Path(name).exists() else Path(sysconfig.get_paths()["stdlib"]) / name
    return "import subprocess\n" + path.read_text(encoding="utf-8")


def states(text: str, edits: int):
    """Each edit's text, lines and unchanged prefix / suffix line counts."""
    line0, indent, _ = choose_insertion(text, None)
    for edit in build_edits(line0, indent, DEFAULT_SNIPPETS, edits):
        (l0, _), (l1, _), _ = edit
        suffix = text.count("\n") - l1
        text = apply_edit(text, edit)
        yield text, l0, suffix


def run(text: str, path: str, edits: int, profile: bool):
    engine = create_engine()
    splitter = IncrementalSplitter()
    run_to_end(analyse_edit(engine, splitter, text, path, split_lines(text), None, None))
    times, seen = [], []
    for new, prefix, suffix in states(text, edits):
        lines = split_lines(new)
        start = time.process_time()
        run_to_end(analyse_edit(engine, splitter, new, path, lines, prefix, suffix))
        times.append((time.process_time() - start) * 1000)
        seen.append((new, prefix, suffix))
    if not profile:
        return times, None
    # Again from the start, profiling only the slowest 5% of keys.
    cut = sorted(times)[int(len(times) * 0.95)]
    engine, splitter = create_engine(), IncrementalSplitter()
    run_to_end(analyse_edit(engine, splitter, text, path, split_lines(text), None, None))
    prof = cProfile.Profile()
    for spent, (new, prefix, suffix) in zip(times, seen, strict=True):
        gen = analyse_edit(engine, splitter, new, path, split_lines(new), prefix, suffix)
        if spent >= cut:
            prof.enable()
            run_to_end(gen)
            prof.disable()
        else:
            run_to_end(gen)
    return times, prof


def calls_of_keys(text: str, path: str, edits: int) -> list[int]:
    """The function calls (Python's and built-ins', cProfile's count) each key makes."""
    engine, splitter = create_engine(), IncrementalSplitter()
    run_to_end(analyse_edit(engine, splitter, text, path, split_lines(text), None, None))
    counts = []
    for new, prefix, suffix in states(text, edits):
        gen = analyse_edit(engine, splitter, new, path, split_lines(new), prefix, suffix)
        prof = cProfile.Profile()
        prof.enable()
        run_to_end(gen)
        prof.disable()
        counts.append(pstats.Stats(prof).total_calls)
    return counts


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file", default="views.py")
    parser.add_argument("--edits", type=int, default=132)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0)
    parser.add_argument("--calls", action="store_true")
    args = parser.parse_args()
    text = source(args.file)
    gc.freeze()  # as the server does (cli/lsp_cmd.py)
    gc.set_threshold(20_000, 50, 100)
    path = str(Path("/tmp") / Path(args.file).name)
    if args.calls:
        counts = calls_of_keys(text, path, args.edits)
        slowest = sorted(range(len(counts)), key=lambda key: -counts[key])[:5]
        print(f"{args.file}: {sum(counts) // len(counts)} calls/key ({len(counts)} keys)")
        print(f"  per key: p50 {pct(counts, 0.5)} p95 {pct(counts, 0.95)} max {max(counts)}; "
              f"the most: " + ", ".join(f"key {key} {counts[key]}" for key in slowest))
        return 0
    for round_ in range(args.rounds):
        last = round_ == args.rounds - 1
        times, prof = run(text, path, args.edits, bool(args.profile) and last)
        print(f"{args.file}: p50 {pct(times, 0.5):.2f} p95 {pct(times, 0.95):.2f} "
              f"mean {sum(times) / len(times):.2f} ms CPU/key ({len(times)} keys)", flush=True)
        if prof is not None:
            pstats.Stats(prof).sort_stats("cumulative").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The flow matrix: one small Flask view per (category x flow x vulnerable / safe), its request
source rotating over Flask's (args, form, headers, cookies, JSON, values, a path parameter), and a
score of what `bastion check` reports for them. `python -m tests.unit.flow_matrix` prints the
score per category and per flow (what the lane measured before and after its fixes)."""

from __future__ import annotations

import tempfile
import textwrap
from collections import defaultdict
from pathlib import Path

from tests.unit.flow_cases import FLOWS, Flow
from tests.unit.flow_sinks import SINKS, Sink
from tests.unit.taint_marked import check_results

SOURCES = ('request.args.get("q", "")', 'request.form["q"]', 'request.headers.get("X-Q", "")',
           'request.cookies.get("q", "")', 'request.get_json()["q"]', 'request.values.get("q", "")',
           "name")

# Where the bandit patterns stay unless the taint engine proves the value constant.
PATTERNED = frozenset({78, 89, 95, 502})
# Flows whose safe twin is not safe for a category: an int from the request is still the user's
# data crossing the trust boundary.
NOT_SAFE: set[tuple[str, int]] = {("int_conversion", 501)}


def case_names() -> list[tuple[str, int, str]]:
    """Every (flow, CWE, variant) of the matrix."""
    return [(flow.name, cwe, variant) for flow in FLOWS for cwe in SINKS
            for variant in ("vulnerable", "safe") if (flow.name, cwe) not in NOT_SAFE or
            variant == "vulnerable"]


def _block(text: str, indent: str = "    ") -> str:
    return textwrap.indent(text, indent) if text else ""


def case_source(flow_name: str, cwe: int, variant: str) -> str:
    """The module for one case: imports, the flow's module-level code, and one view."""
    index = [f.name for f in FLOWS].index(flow_name)
    flow: Flow = FLOWS[index]
    sink: Sink = SINKS[cwe]
    source = SOURCES[(index + list(SINKS).index(cwe)) % len(SOURCES)]
    vulnerable = variant == "vulnerable"
    body = flow.vulnerable if vulnerable else flow.safe
    sink_code = sink.code
    if flow.name == "sanitizer" and not vulnerable:
        body, sink_code = sink.sanitize, sink.sanitized_code or sink.code
    pre = (flow.pre_vulnerable if vulnerable else flow.pre_safe) or flow.pre
    parts = ["from flask import Flask, request", sink.imports, flow.imports]
    head = "\n".join(p for p in parts if p)
    return (f"{head}\n\napp = Flask(__name__)\n\n{pre + chr(10) * 2 if pre else ''}\n"
            f'@app.route("/case/<name>", methods=["GET", "POST"])\ndef view(name):\n'
            f"    data = {source}\n{_block(body)}\n{_block(sink_code)}\n")


def file_name(flow_name: str, cwe: int, variant: str) -> str:
    return f"{flow_name}__{cwe}__{variant}.py"


def check_all(folder: Path) -> dict[tuple[str, int, str], set[int]]:
    """Write every case into `folder`, run `bastion check --no-cache --format json` once, and
    return the CWEs reported per case (any rule: the measurement sees bandit's results too)."""
    for key in case_names():
        (folder / file_name(*key)).write_text(case_source(*key), encoding="utf-8")
    found: dict[tuple[str, int, str], set[int]] = {key: set() for key in case_names()}
    for result in check_results(folder):
        flow, cwe, variant = Path(result["path"]).stem.split("__")
        if result.get("cwe"):
            found[(flow, int(cwe), variant)].add(94 if result["cwe"] == 95 else result["cwe"])
    return found


def expected_wrong(key: tuple[str, int, str]) -> str | None:
    """Why the engine knowingly gets the case wrong (flow_cases.toml's `wrong_...`); None: it
    must get it right."""
    flow = FLOWS[[f.name for f in FLOWS].index(key[0])]
    why = flow.wrong_vulnerable if key[2] == "vulnerable" else flow.wrong_safe
    cwes = flow.wrong_vulnerable_cwes if key[2] == "vulnerable" else flow.wrong_safe_cwes
    if cwes == "patterned":
        cwes = PATTERNED
    return why if why and (not cwes or key[1] in cwes) else None


def is_right(key: tuple[str, int, str], cwes: set[int]) -> bool:
    """A vulnerable case must report its category's CWE; a safe twin must not."""
    wanted = 94 if key[1] == 95 else key[1]
    return (wanted in cwes) == (key[2] == "vulnerable")


def score(found: dict[tuple[str, int, str], set[int]]) -> str:
    """Per category and per flow: missed vulnerable cases / flagged safe twins, and the wrong
    cases listed."""
    rows: dict[str, dict[str, list[int]]] = {"cwe": defaultdict(lambda: [0, 0, 0, 0]),
                                             "flow": defaultdict(lambda: [0, 0, 0, 0])}
    wrong = []
    for key, cwes in found.items():
        slot = 0 if key[2] == "vulnerable" else 2
        for axis, name in (("cwe", str(key[1])), ("flow", key[0])):
            rows[axis][name][slot] += 1
            rows[axis][name][slot + 1] += not is_right(key, cwes)
        if is_right(key, cwes) == bool(expected_wrong(key)):
            wrong.append(f"  {key[0]:18} {key[1]:5} {key[2]:10} reported {sorted(cwes)}"
                         f" {'(expected wrong)' if expected_wrong(key) else ''}")
    lines = []
    for axis in ("cwe", "flow"):
        lines.append(f"{axis:18} missed/vuln  flagged/safe  TPR-FPR")
        for name, (vuln, missed, safe, flagged) in rows[axis].items():
            lines.append(f"{name:18} {missed:3}/{vuln:<3}      {flagged:3}/{safe:<3}      "
                         f"{(vuln - missed) / vuln - (flagged / safe if safe else 0):.2f}")
    return "\n".join(lines + ["not as expected:"] + sorted(wrong))


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        print(score(check_all(Path(tmp))))

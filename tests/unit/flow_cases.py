"""The flow matrix's flows, read from flow_cases.toml (which says what a flow is): a VULNERABLE
form carrying request data into `value` and a SAFE twin putting a constant there."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bastion.deps.toml_text import tomllib  # tomli before Python 3.11


@dataclass(frozen=True)
class Flow:
    name: str
    vulnerable: str
    safe: str
    imports: str = ""
    pre_vulnerable: str = ""
    pre_safe: str = ""
    pre: str = ""  # module-level code both forms need
    wrong_vulnerable: str = ""
    wrong_vulnerable_cwes: str | list[int] = ""
    wrong_safe: str = ""
    wrong_safe_cwes: str | list[int] = ""


FLOWS: tuple[Flow, ...] = tuple(
    Flow(**flow) for flow in tomllib.loads(
        (Path(__file__).parent / "flow_cases.toml").read_text(encoding="utf-8"))["flow"])

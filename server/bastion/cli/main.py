"""Entry point: one sub-command per module, each exposing `add_parser(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import sys

from bastion import __version__

# Sub-command modules; each defines add_parser(subparsers) and sets `func` on its parser.
_COMMANDS = ("bastion.cli.lsp_cmd", "bastion.cli.check", "bastion.cli.explain_cmd",
             "bastion.cli.rules_cmd", "bastion.cli.baseline_cmd")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bastion", description="Security analysis for Python: language server and CI check.")
    parser.add_argument("--version", action="version", version=f"bastion {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _COMMANDS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0

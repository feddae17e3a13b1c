"""Entry point: one sub-command per module, each exposing `add_parser(subparsers)`."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys

from bastion import __version__

# Sub-command name -> module; each module defines add_parser(subparsers) and sets `func` on its
# parser. A run imports only its own command's module: the others' imports (the rule catalog,
# the language server) would cost a cached `bastion check` a good part of its time.
_COMMANDS = {"lsp": "bastion.cli.lsp_cmd", "check": "bastion.cli.check",
             "explain": "bastion.cli.explain_cmd", "rules": "bastion.cli.rules_cmd",
             "baseline": "bastion.cli.baseline_cmd", "db": "bastion.cli.db_cmd"}


class _Parser(argparse.ArgumentParser):
    """argparse's parser, whose `add_argument` checks the argument's metavar, and whose
    `add_subparsers` names the sub-commands' prog (`bastion`: no positionals yet, never wrapped),
    with formatters given a width: one made without reads the terminal's through shutil, whose
    import (bz2, lzma, zlib) was some 7.5M instructions of every start, for texts no width
    changes. Help and usage are formatted to the terminal's width, as before."""

    _building = False

    def add_argument(self, *args, **kwargs):
        return self._built(super().add_argument, *args, **kwargs)

    def add_subparsers(self, **kwargs):
        return self._built(super().add_subparsers, **kwargs)

    def _built(self, add, *args, **kwargs):
        self._building = True
        try:
            return add(*args, **kwargs)
        finally:
            self._building = False

    def _get_formatter(self):
        if self._building:
            return self.formatter_class(prog=self.prog, width=80)
        return super()._get_formatter()


class _CommandParser(_Parser):
    """A sub-command's parser: it reports its own unknown options, with its own usage (by
    default argparse hands them up, and `check --foo` printed the top-level usage)."""

    def parse_known_args(self, args=None, namespace=None):
        parsed, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: with only its command's sub-parser when it starts with one, else
    (help, --version, a typo) with every command's."""
    parser = _Parser(
        prog="bastion", description="Security analysis for Python: language server and CI check.")
    parser.add_argument("--version", action="version", version=f"bastion {__version__}")
    # Nested sub-commands (`baseline create`) inherit the class.
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_CommandParser)
    args = sys.argv[1:] if argv is None else argv
    names = args[:1] if args and args[0] in _COMMANDS else list(_COMMANDS)
    for name in names:
        try:
            module = importlib.import_module(_COMMANDS[name])
        except ModuleNotFoundError as exc:
            if exc.name != _COMMANDS[name]:
                raise
            continue
        module.add_parser(sub)
    return parser


def _reopen_closed_standard_descriptors() -> None:
    """Started with descriptor 0, 1 or 2 closed (`bastion check . >&-`), the process would give
    that number to the next file it opens, and a stray write would land in it: /dev/null takes
    it. sys.stdout stays None, so that a command that needs it says so."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free number: `fd`, the lower ones are open
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")


def _prints_to_stdout(args: argparse.Namespace) -> bool:
    """Whether the command cannot work without standard output (check decides for itself: its
    report may go to -o)."""
    return args.command in ("explain", "rules") or (args.command == "lsp" and not args.tcp)


def main(argv: list[str] | None = None) -> int:
    _reopen_closed_standard_descriptors()
    # Start-up (the command's imports) allocates tens of thousands of objects that live as long
    # as the process and frees none: collecting meanwhile, or traversing them later, is wasted.
    collecting = gc.isenabled()
    gc.disable()
    try:
        parser = build_parser(argv)
    finally:
        gc.freeze()
        if collecting:
            gc.enable()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    if sys.stdout is None and _prints_to_stdout(args):
        print(f"bastion: error: {args.command}: standard output is closed", file=sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0

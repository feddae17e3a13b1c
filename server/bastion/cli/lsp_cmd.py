"""`bastion lsp`: the language server over stdio (or TCP for debugging)."""

from __future__ import annotations

import argparse
import gc


def add_parser(sub) -> None:
    parser = sub.add_parser(
        "lsp", help="run the language server (stdio)",
        description="Run Bastion's language server. An editor starts it and talks the Language "
                    "Server Protocol over its standard input and output; you do not run it "
                    "yourself, except with --tcp to attach a client while debugging.")
    parser.add_argument("--tcp", action="store_true", help="listen on TCP instead of stdio")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=2087)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bastion.lsp.server import create_server

    server = create_server()
    # Everything imported so far lives as long as the server: keep it out of the collector's
    # way, and collect less often, so a keystroke never pays for a full collection of it.
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)
    if args.tcp:
        return server.start_tcp(args.host, args.port)
    return server.start_io()

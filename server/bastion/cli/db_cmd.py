"""`bastion db import PATH`, `bastion db update [--url URL]`, `bastion db info`: the advisory
index the dependency checks (BST401/BST402) match against.

The index is stored in the user's private data folder; the analysis itself never touches the
network: only `db update` downloads, and only when asked.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from datetime import datetime, timezone

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_URL = "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip"
MAX_DOWNLOAD = 512 * 1024 * 1024


def add_parser(sub) -> None:
    parser = sub.add_parser("db", help="import, update or describe the advisory index",
                            description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="db_command", metavar="ACTION")
    importing = actions.add_parser("import", help="build the index from an OSV all.zip or a "
                                                  "folder of OSV JSON/YAML files")
    importing.add_argument("path", metavar="PATH")
    importing.add_argument("--source", help="how `db info` names the source (default: PATH)")
    importing.set_defaults(func=run_import)
    update = actions.add_parser("update", help="download the PyPI OSV export and import it")
    update.add_argument("--url", default=os.environ.get("BASTION_OSV_URL", DEFAULT_URL),
                        help="where to download all.zip from (default: OSV.dev's PyPI export; "
                             "BASTION_OSV_URL overrides)")
    update.set_defaults(func=run_update)
    info = actions.add_parser("info", help="show the index in use: source, age, counts")
    info.add_argument("--format", choices=("text", "json"), default="text")
    info.set_defaults(func=run_info)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _error(message: str) -> int:
    from bastion.report.escape import escape_control

    print(f"bastion db: error: {escape_control(message)}", file=sys.stderr)
    return EXIT_FAILED


def _import(path: str, source: str) -> int:
    from bastion.deps import store
    from bastion.deps.index import InvalidIndex, dumps
    from bastion.deps.osv_source import SourceError, build_index
    from bastion.report.escape import escape_control

    try:
        index, counts = build_index(path, source)
    except SourceError as exc:
        return _error(str(exc))
    if not counts["advisories"]:
        return _error(f"{path}: no PyPI advisory found ({counts['records']} records read); "
                      "the index in use is unchanged")
    try:
        stored = store.save(dumps(index))
    except (InvalidIndex, OSError) as exc:
        return _error(f"cannot store the index: {exc}")
    print(escape_control(f"imported {counts['advisories']} advisories on {counts['packages']} "
                         f"packages ({counts['withdrawn']} withdrawn, {counts['skipped']} "
                         f"unreadable, {counts['not_pypi']} for other ecosystems skipped) "
                         f"into {stored}"))
    return EXIT_OK


def run_import(args: argparse.Namespace) -> int:
    return _import(args.path, args.source or os.path.abspath(args.path))


def run_update(args: argparse.Namespace) -> int:
    if not args.url.startswith(("https://", "http://")):
        return _error(f"{args.url}: only http(s) URLs are downloaded")
    folder = tempfile.mkdtemp(prefix="bastion-osv-")
    try:
        target = os.path.join(folder, "all.zip")
        try:
            _download(args.url, target)
        except (OSError, urllib.error.URLError, ValueError) as exc:
            return _error(f"download of {args.url} failed: {exc}; the index in use is unchanged")
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        return _import(target, f"{args.url} (downloaded {stamp})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _download(url: str, target: str) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "bastion-lsp"})
    with urllib.request.urlopen(request, timeout=120) as response, open(target, "wb") as out:
        size = 0
        while chunk := response.read(1024 * 1024):
            size += len(chunk)
            if size > MAX_DOWNLOAD:
                raise ValueError("the download is larger than 512 MiB")
            out.write(chunk)


def run_info(args: argparse.Namespace) -> int:
    from bastion.deps import location, store
    from bastion.deps.index import InvalidIndex
    from bastion.report.escape import escape_control

    path = location.current_path()
    try:
        index = store.load(path)
    except InvalidIndex as exc:
        return _error(f"{exc}; run `bastion db update`, or delete the file to use the shipped "
                      "index")
    facts = {"path": str(path), "shipped": path == location.shipped_index_path(),
             "source": index.source, "data_up_to": index.created.strftime("%Y-%m-%d"),
             "age_days": index.age_days(), "advisories": index.advisory_count,
             "packages": len(index.packages), "stale": store.is_stale(index),
             "attribution": index.attribution}
    if args.format == "json":
        print(json.dumps(facts, indent=2))
        return EXIT_OK
    where = "shipped with Bastion" if facts["shipped"] else "imported"
    for line in (f"advisory index: {path} ({where})", f"source: {index.source}",
                 f"data up to: {facts['data_up_to']} ({facts['age_days']} days old)",
                 f"advisories: {index.advisory_count} on {len(index.packages)} packages",
                 f"attribution: {index.attribution}"):
        print(escape_control(line))
    hint = store.stale_hint(index)
    if hint:
        print(f"hint: {hint}", file=sys.stderr)
    return EXIT_OK

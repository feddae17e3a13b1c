"""`bastion explain RULE`: the lesson for a rule id (or check name), as text, markdown or JSON.

RULE may also be ruff's flake8-bandit code (S602 for B602), as a `# noqa: S602` names it.

Exit status: 0 shown, 2 unknown rule (close ids are suggested).
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import sys

EXIT_OK, EXIT_UNKNOWN = 0, 2


def add_parser(sub) -> None:
    parser = sub.add_parser("explain", help="show a rule's lesson: why it matters, how to fix it",
                            description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rule", metavar="RULE_ID",
                        help="a rule id such as B602, ruff's code for it (S602), or its check name")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from bastion.catalog import index
    from bastion.engine.suppress import NOQA_TO_BANDIT, RUFF_ONLY_BANDIT_CODES

    catalog = index.load_catalog()
    ruff_code = args.rule.strip().upper()
    spec = catalog.find(NOQA_TO_BANDIT.get(ruff_code, args.rule))
    if spec is None and ruff_code in RUFF_ONLY_BANDIT_CODES:
        print(f"bastion: error: {ruff_code} is ruff's; bandit 1.9 has no B{ruff_code[1:]}, so "
              "Bastion has no such rule", file=sys.stderr)
        return EXIT_UNKNOWN
    if spec is None:
        print(f"bastion: error: unknown rule {args.rule!r}{_suggestion(args.rule, catalog)}",
              file=sys.stderr)
        return EXIT_UNKNOWN
    if args.format == "json":
        json.dump(catalog.explain_payload(spec.id), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.format == "markdown":
        sys.stdout.write(catalog.markdown(spec.id))
    else:
        from bastion.catalog.render import render_terminal

        colour = args.color == "always" or (
            args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
        width = min(shutil.get_terminal_size((88, 24)).columns, 100)
        sys.stdout.write(render_terminal(spec, width=width, colour=colour))
    return EXIT_OK


def _suggestion(key: str, catalog) -> str:
    specs = catalog.all()
    if not specs:
        return " (the rule catalog is empty or could not be loaded)"
    by_key = {s.id: s.id for s in specs} | {s.name: s.id for s in specs}
    wanted = key.strip().upper()
    close = [s.id for s in specs if len(wanted) >= 2 and s.id.startswith(wanted)][:5]
    close += difflib.get_close_matches(wanted, [s.id for s in specs], n=5, cutoff=0.6)
    close += difflib.get_close_matches(key.strip(), [s.name for s in specs], n=3, cutoff=0.6)
    ids = list(dict.fromkeys(by_key[c] for c in close))[:5]
    if not ids:
        return "; `bastion rules list` shows every rule"
    return "; did you mean " + ", ".join(ids) + "?"

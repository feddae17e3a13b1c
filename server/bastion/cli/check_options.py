"""`bastion check`'s rule and file options, spelt as ruff spells them, layered over pyproject.toml.

The command line wins, the way ruff layers it: `--select` and `--exclude` replace the
configuration's list, `--extend-select`, `--ignore` and `--extend-exclude` add to it, `--severity`
and `--confidence` replace the thresholds. Rule ids are checked as `[tool.bastion]` checks them, and
ruff's flake8-bandit codes (`S602`) stand for the same-numbered bandit rule, as in `# noqa`.
"""

from __future__ import annotations

import argparse
from typing import Any

import attrs

from bastion.config import Config, ConfigError, validate_layer

_LISTS = {"select": "select", "extend_select": "select", "ignore": "ignore",
          "exclude": "exclude", "extend_exclude": "exclude"}
_ADDED = ("extend_select", "ignore", "extend_exclude")  # added to the configuration's list


def add_arguments(parser: argparse.ArgumentParser) -> None:
    rules = parser.add_argument_group(
        "rules and files (over pyproject.toml's [tool.bastion]; ruff's spellings)")
    rules.add_argument("--select", action="append", metavar="IDS",
                       help="only these rules: comma-separated ids or prefixes (B6, BST1, S602); "
                            "replaces the configured `select`")
    rules.add_argument("--extend-select", action="append", metavar="IDS",
                       help="add these to the configured `select` (no effect when it is empty: "
                            "every rule is selected)")
    rules.add_argument("--ignore", action="append", metavar="IDS",
                       help="skip these rules, in addition to the configured `ignore`")
    rules.add_argument("--severity", choices=("low", "medium", "high"),
                       help="report only findings of this severity or higher")
    rules.add_argument("--confidence", choices=("low", "medium", "high"),
                       help="report only findings of this confidence or higher")
    rules.add_argument("--exclude", action="append", metavar="PATTERNS",
                       help="comma-separated path patterns to skip; replaces the configured "
                            "`exclude` (.git, .venv and the like are always skipped)")
    rules.add_argument("--extend-exclude", action="append", metavar="PATTERNS",
                       help="path patterns to skip in addition to the configured `exclude`")
    rules.add_argument("--bandit-exact", action="store_true", default=None,
                       help="report bandit's findings exactly as bandit does, including those "
                            "the taint analysis retracts (`bandit_exact` in [tool.bastion])")


def overrides(args: argparse.Namespace) -> dict[str, Any]:
    """The options given, validated and normalised; ConfigError names the bad option."""
    given: dict[str, Any] = {}
    for option in (*_LISTS, "severity", "confidence", "bandit_exact"):
        value = getattr(args, option, None)
        if value is None:
            continue
        if option in _LISTS:
            value = [v.strip() for chunk in value for v in chunk.split(",") if v.strip()]
            if _LISTS[option] != "exclude":
                # here, not at the top: a check without rule options never loads suppress.py
                from bastion.engine.suppress import NOQA_TO_BANDIT

                value = [NOQA_TO_BANDIT.get(v.upper(), v) for v in value]
        try:
            checked, _ = validate_layer({_LISTS.get(option, option): value})
        except ConfigError as exc:
            flag = "--" + option.replace("_", "-")
            raise ConfigError(f"{flag}: {exc.message.split(' ', 1)[1]}") from None
        given[option] = next(iter(checked.values()))
    return given


def apply(config: Config, given: dict[str, Any]) -> Config:
    """`config` with the command line's options over it."""
    if not given:
        return config
    changes: dict[str, Any] = {}
    for option, value in given.items():
        field = _LISTS.get(option, option)
        if option in _ADDED:
            if option == "extend_select" and not (changes.get(field, config.select)):
                continue  # an empty select already selects every rule
            value = tuple(dict.fromkeys((*changes.get(field, getattr(config, field)), *value)))
        changes[field] = value
    return attrs.evolve(config, **changes)

"""Fix recipes: what a recipe returns, the safety labels, and the registry by rule id.

A recipe takes a `Target` (the finding's statement parsed with libcst) and returns rewrites of
that statement. `safe` means the program behaves the same for every input (and every way it is
run); anything that can change behaviour is `review`, and says what the user must check: a short
`check` shown in the title and a `note` that explains it. Only safe rewrites are preferred and
go into fix-all.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

SAFE = "safe"
REVIEW = "review"


@attrs.frozen
class Rewrite:
    key: str  # stable id within the rule, e.g. "safe-load"
    title: str  # what it does, e.g. "use yaml.safe_load"
    safety: str  # SAFE or REVIEW
    text: str  # the new text of the statement's lines
    imports: tuple[str, ...] = ()  # modules the new text needs (`import x`)
    # Rule ids the rewritten code may report in place of the target (never more severe).
    successors: frozenset[str] = frozenset()
    note: str = ""  # what may change and what to check before accepting it (review)
    check: str = ""  # the title's short "check ..." phrase (review)

    def __attrs_post_init__(self) -> None:
        if self.safety not in (SAFE, REVIEW):
            raise ValueError(f"unknown safety {self.safety!r}")
        if self.safety == REVIEW and not (self.note and self.check):
            raise ValueError(f"review fix {self.key!r} must say what to check (note and check)")


Recipe = Callable[..., "list[Rewrite] | Rewrite | None"]
RECIPES: dict[str, list[Recipe]] = {}
SAFE_RULES: set[str] = set()  # rules with a recipe that can produce a safe rewrite


def recipe(*rule_ids: str, safe: bool = False):
    def register(func: Recipe) -> Recipe:
        for rule_id in rule_ids:
            RECIPES.setdefault(rule_id, []).append(func)
            if safe:
                SAFE_RULES.add(rule_id)
        return func
    return register


def may_fix_safely(rule_id: str) -> bool:
    _load()
    return rule_id in SAFE_RULES


def recipes_for(rule_id: str) -> list[Recipe]:
    _load()
    return RECIPES.get(rule_id, [])


def fixable_rules() -> dict[str, list[Recipe]]:
    _load()
    return dict(RECIPES)


_LOADED = False


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from bastion.fixes import (  # noqa: F401  (registration side effects)
        recipes_bst,
        recipes_calls,
        recipes_crypto,
        recipes_deploy,
        recipes_html,
        recipes_paths,
        recipes_redirect,
        recipes_shell,
        recipes_sql,
        recipes_statements,
        recipes_xml,
    )


def full_title(rule_id: str, rewrite: Rewrite) -> str:
    """ "Fix B113: add timeout=10 (review: check slow servers)"; "Fix X: ... (safe)"."""
    if rewrite.safety == REVIEW:
        return f"Fix {rule_id}: {rewrite.title} (review: check {rewrite.check})"
    return f"Fix {rule_id}: {rewrite.title} ({rewrite.safety})"

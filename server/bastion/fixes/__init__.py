"""Quick fixes: libcst rewrites of the finding's statement, verified by re-analysis before they
are offered. See `planner` for the entry points and `verify` for what "verified" means."""

from bastion.fixes.base import REVIEW, SAFE, Rewrite, fixable_rules
from bastion.fixes.model import DocModel
from bastion.fixes.planner import Fix, FixAllResult, candidates, fix_all, verified

__all__ = ["REVIEW", "SAFE", "Rewrite", "fixable_rules", "DocModel", "Fix", "FixAllResult",
           "candidates", "fix_all", "verified"]

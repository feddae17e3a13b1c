"""The analyzers a default engine runs."""

from __future__ import annotations

from bastion.analyzers.bandit_adapter import BanditAdapter
from bastion.engine.engine import Engine


def default_analyzers() -> list:
    return [BanditAdapter()]


def create_engine() -> Engine:
    return Engine(default_analyzers())

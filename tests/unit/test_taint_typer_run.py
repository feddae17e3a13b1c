"""Taint analysis through `bastion check`: `typer.run(main)` converts each parameter to its
annotation's type as `@app.command()` does, so `count: int` (also `Annotated[int, typer.Option()]`)
holds a number and a shell line built of it is silent, while `name: str` is the command line's
word; `fire.Fire(main)` guesses a type from the word whatever the annotation says, so its
`count: int` stays the word (marked lines: taint_marked.py)."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps

TYPER = '''\
import os
from typing import Annotated

import typer


def main(name: str, count: int = 1, hops: Annotated[int, typer.Option()] = 3):
    os.system("ping -c " + str(count) + " -t " + str(hops) + " host")
    os.system("echo " + "-" * count)
    os.system("ping " + name)  # BST202


if __name__ == "__main__":
    typer.run(main)
'''

FIRE = '''\
import os

import fire


def main(name: str, count: int = 1):
    os.system("ping -c " + str(count) + " host")  # BST202
    os.system("ping " + name)  # BST202


if __name__ == "__main__":
    fire.Fire(main)
'''


def test_typer_run_converts_by_annotation_and_fire_does_not(tmp_path):
    assert_checked_apps({"ping.py": TYPER, "fired.py": FIRE}, tmp_path)

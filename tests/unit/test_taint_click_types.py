"""click's declared parameter types (taint/option_types.py): a command's parameter whose
`@click.option` / `@click.argument` declares a number, a UUID, a `click.Choice` of constants, a
boolean flag or a counter holds what click converted it to; a plain string, a `callback=`, a
choice of a name, or `**attrs` keep it the command line's."""

from __future__ import annotations

from tests.unit.taint_marked import assert_marked

COMMANDS = r'''import os
import subprocess

import click

MODES = load_modes()


@click.group()
def cli():
    pass


@cli.command()
@click.option("--mode", type=click.Choice(["fast", "slow"]), default="fast")
@click.option("--level", type=click.IntRange(1, 9), default=1)
@click.option("-c", "--count", type=click.INT, default=1)
@click.option("--ratio", type=float, default=1.0)
@click.option("--shout/--no-shout", default=False)
@click.option("--dry-run", is_flag=True)
@click.option("-v", "--verbose", count=True)
@click.option("--uid", type=click.UUID)
@click.option("--size", "size_mb", type=int)
def sync(mode, level, count, ratio, shout, dry_run, verbose, uid, size_mb):
    os.system(f"tool --{mode} -l {level} -c {count} -r {ratio} {shout} {dry_run} {verbose}")
    os.system(f"tool -u {uid} -s {size_mb}")


@cli.command()
@click.option("--name", default="x")
@click.option("--tag", type=str)
@click.option("--port", type=int, callback=lambda ctx, param, value: ctx.obj[value])
@click.option("--kind", type=click.Choice(MODES))
@click.option("--size", type=int)
def plain(name, tag, port, kind, size):
    os.system(f"tool -n {name}")  # BST202
    os.system(f"tool -t {tag}")  # BST202
    os.system(f"tool -p {port}")  # BST202
    os.system(f"tool -k {kind}")  # BST202
    os.system(f"tool -s {size}")


@click.command()
@click.argument("kind", type=click.Choice(["a", "b"], case_sensitive=False))
@click.argument("count", type=int)
@click.argument("rest", nargs=-1)
def other(kind, count, rest):
    subprocess.run(f"tool {kind} {count}", shell=True)
    subprocess.run("tool " + " ".join(rest), shell=True)  # BST202
'''


def test_declared_types_are_clean_and_the_others_untrusted():
    assert_marked(COMMANDS)

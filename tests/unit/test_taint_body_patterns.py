"""A FastAPI body model's field declared with a pattern (issue 12): `constr(pattern=...)`,
`Annotated[str, Field(pattern=...)]`, `Annotated[str, StringConstraints(pattern=...)]`, or the
default form `x: str = Field(pattern=...)` (also of a base model of the file) is validated before
the handler runs, so it is safe for the classes the pattern's characters cannot break, as
`Query(pattern=...)` is. Unanchored patterns (pydantic searches), another field of the same body,
and a pattern that lets the dangerous characters through stay reported. Cases written from
pydantic's and FastAPI's documentation."""

from __future__ import annotations

from tests.unit.taint_marked import assert_checked_apps, assert_marked

BODIES = '''\
import subprocess
from typing import Annotated

from fastapi import FastAPI
from pydantic import BaseModel, Field, StringConstraints, constr

api = FastAPI()


class Named(BaseModel):
    label: str = Field(pattern=r"^[a-z]+$")


class Job(Named):
    code: str = Field(default="a", pattern=r"^[a-z]+$", max_length=8)
    short: str = Field(max_length=8)
    open_default: str = Field(default="x", pattern=r"[a-z]+")
    host: constr(pattern=r"^[a-z0-9.-]+$")
    user: Annotated[str, Field(pattern=r"^[a-z_]+$")]
    tag: Annotated[str, StringConstraints(pattern=r"^[0-9]+$")]
    loose: Annotated[str, Field(pattern=r"[a-z]+")]
    wide: constr(pattern=r"^.+$")
    note: str


@api.post("/ping")
def ping(job: Job):
    subprocess.run("ping -c 1 " + job.host, shell=True)
    subprocess.run("id " + job.user, shell=True)
    subprocess.run("echo " + job.tag, shell=True)
    subprocess.run("echo " + job.loose, shell=True)  # BST202
    subprocess.run("echo " + job.wide, shell=True)  # BST202
    subprocess.run("echo " + job.note, shell=True)  # BST202
    subprocess.run("echo " + job.label, shell=True)
    subprocess.run("echo " + job.code, shell=True)
    subprocess.run("echo " + job.short, shell=True)  # BST202
    subprocess.run("echo " + job.open_default, shell=True)  # BST202
    return {}
'''


def test_marked_lines_are_the_findings():
    assert_marked(BODIES)


def test_bastion_check(tmp_path):
    assert_checked_apps({"api.py": BODIES}, tmp_path)

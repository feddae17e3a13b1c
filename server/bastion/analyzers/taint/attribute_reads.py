"""An attribute read from what its object holds (the Evaluator's `e_Attribute`, once the
attribute is neither a local path, a module's stored global, a class's constant nor a source):
a property's getter runs; a path's last part is one component; a process's, a response's or an
uploaded file's numbers are numbers; a temporary file's name is tempfile's; a parameter's attribute
is that part of the argument."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from bastion.analyzers.taint.domain import CLEAN, EVERY_CLASS, SAFE, UNKNOWN, Value, keyed
from bastion.analyzers.taint.regex_tests import MATCH
from bastion.analyzers.taint.summaries import property_read
from bastion.analyzers.taint.url_paths import uploaded_file

if TYPE_CHECKING:
    from bastion.analyzers.taint.expressions import Evaluator

# A path's last part: no directory in it, so it neither climbs out nor replaces a base.
_FINAL_PARTS = frozenset({"name", "stem", "suffix"})
_NUMBER_ATTRIBUTES = frozenset({"returncode", "status_code"})
# a started process, whose `pid` is the system's number (a model's field may be named so too)
_PROCESSES = frozenset({"subprocess.Popen()", "asyncio.create_subprocess_exec()",
                        "asyncio.create_subprocess_shell()", "pexpect.spawn()"})
_FINAL_PART_CLEAN = frozenset({"path", "component"})
# A temporary file or directory: its `name` is the path tempfile made, whatever was written to it
_TEMPORARY = frozenset({"tempfile.NamedTemporaryFile()", "tempfile.TemporaryFile()",
                        "tempfile.SpooledTemporaryFile()", "tempfile.TemporaryDirectory()"})
# an uploaded file's size: Werkzeug's `content_length`, Django's and Starlette's `size`
_UPLOAD_NUMBERS = frozenset({"content_length", "size"})


def attribute_of(ev: Evaluator, node: ast.Attribute, name: str | None) -> Value:
    """`node`'s value read from what its object holds."""
    base = ev.eval(node.value)
    getter = property_read(ev, node, base) if isinstance(node.ctx, ast.Load) else None
    if getter is not None:
        return ev.e_Call(getter)
    if base.taint and node.attr in _FINAL_PARTS and (base.kind or "").startswith("pathlib."):
        # `Path(name).name`: the last part alone, as `os.path.basename` gives it
        return base.evolve(kind=None, const=UNKNOWN, clean=base.clean | _FINAL_PART_CLEAN)
    if base.taint and base.items is None and (node.attr in _NUMBER_ATTRIBUTES or node.attr == "pid"
                                              and base.kind in _PROCESSES):
        # `subprocess.run(cmd).returncode`, `requests.get(url).status_code`, `proc.pid`: a number
        return SAFE
    if node.attr == "name" and base.kind in _TEMPORARY:
        # `tmp.name` after `tmp.write(body)`: the file's path, not what it holds (a name part
        # given to the constructor is the sink there)
        return Value(clean=EVERY_CLASS, kind=name)
    if base.taint and node.attr in _UPLOAD_NUMBERS and uploaded_file(ev, node.value):
        return SAFE  # `request.FILES["doc"].size`
    if node.attr == "string" and base.kind == MATCH:
        # `m.string`: the whole subject, not the groups the pattern matched (their proofs lost
        # with what the subject had: the cautious side)
        return base.evolve(clean=frozenset(), kind=None)
    if node.attr == "__dict__" and base.items:
        return base.evolve(kind=None)  # `obj.__dict__["cmd"]`: its attributes are its keys, as `vars(obj)`'s
    if base.items is not None or base.taint:
        # a parameter's attribute is that part of the argument (`job.cmd`), as a subscript
        # is: a call binds what the caller's object holds there (summaries.passed)
        return base.item(node.attr) if base.items else base.evolve(
            taint=keyed(base.taint, node.attr), kind=name, const=UNKNOWN)
    if base.known and base.const is UNKNOWN and base.clean == EVERY_CLASS:
        # `color.value`, `item_id.hex` of a value known safe (a validated parameter)
        return Value(clean=EVERY_CLASS, kind=name, known=True)
    if name is not None and base.kind is not None:
        return Value(clean=EVERY_CLASS, kind=name)
    return CLEAN

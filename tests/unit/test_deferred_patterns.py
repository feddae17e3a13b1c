"""Patterns compiled at first use (bastion/deferred_patterns.py): the same pattern as an eager
compile, compiled once, and the template modules compile none at import."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

from bastion.deferred_patterns import deferred

SERVER = Path(__file__).resolve().parents[2] / "server"


def test_getter_compiles_the_same_pattern_once() -> None:
    text = "{% autoescape false %}\n{{ body }}"
    getter = deferred(r"\{%-?\s*autoescape\s+(?:false|off)\s*-?%\}(.*)", re.DOTALL)
    eager = re.compile(r"\{%-?\s*autoescape\s+(?:false|off)\s*-?%\}(.*)", re.DOTALL)
    assert getter() is getter()
    assert (getter().pattern, getter().flags) == (eager.pattern, eager.flags)
    assert getter().search(text).group(1) == eager.search(text).group(1) == "\n{{ body }}"


def test_template_modules_compile_nothing_at_import() -> None:
    # their imports (which compile patterns of their own) are loaded first; then every compile
    # made while the two modules load is counted
    script = textwrap.dedent("""
        import re
        import bastion.analyzers.taint.django_settings, bastion.files, bastion.model.text
        import bastion.deferred_patterns
        compiled = []
        eager = re._compile
        re._compile = lambda pattern, flags: compiled.append(pattern) or eager(pattern, flags)
        import bastion.analyzers.taint.template_files
        print(len(compiled))
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": str(SERVER), "PYTHONDONTWRITEBYTECODE": "1"}, check=True)
    assert out.stdout.strip() == "0"

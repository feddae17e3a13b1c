"""The user's invalid escape sequences are not Bastion's warnings: parsing their code prints
nothing and raises nothing, even where warnings are errors (pytest's filters, `-W error`)."""

from __future__ import annotations

import gc
import sysconfig
import threading
import warnings
from pathlib import Path

from bastion.config import Config
from bastion.engine.registry import create_engine
from bastion.engine.splitter import split_document
from bastion.fixes import DocModel
from bastion.parsing import parse_code

# "\d" outside a raw string: SyntaxWarning from Python 3.12, DeprecationWarning before.
SOURCE = 'import re, subprocess\nPATTERN = re.compile("\\d+")\n\ndef run(cmd):\n' \
         '    return subprocess.call("ls \\d " + cmd, shell=True)\n'


def test_parse_code_warns_nothing_and_leaves_the_filters_as_they_were():
    before = list(warnings.filters)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert parse_code(SOURCE).body
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        parse_code(SOURCE)
    assert seen == []
    assert warnings.filters == before


def test_an_analysis_and_a_fix_model_of_such_code_raise_no_warning_made_an_error():
    engine = create_engine()  # before the filter: loading bandit's plugins warns on its own
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        analysis = engine.analyse(SOURCE, "app.py", Config())
        assert not analysis.broken and not analysis.errors
        assert {"B404", "B602"} <= {f.rule_id for f in analysis.findings}
        assert split_document(SOURCE).units
        assert DocModel.build(SOURCE, engine).units


def test_stdlib_modules_with_invalid_escapes_parse_silently():
    """The stdlib files the tests analyse: some have escapes newer Pythons warn about."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    gc.collect()  # earlier tests' garbage (an unclosed file's ResourceWarning) is not this test's
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        for name in ("_pydecimal.py", "argparse.py", "textwrap.py", "shlex.py"):
            text = (stdlib / name).read_text(encoding="utf-8")
            for line in range(0, len(text.split("\n")), 200):  # as units: parts of the file
                try:
                    parse_code("\n".join(text.split("\n")[line:line + 200]))
                except SyntaxError:
                    pass
            parse_code(text)
    # what parsing an invalid escape warns: SyntaxWarning from Python 3.12, DeprecationWarning before
    assert [str(w.message) for w in seen if issubclass(w.category, (SyntaxWarning, DeprecationWarning))] == []


def test_threads_parsing_at_once_restore_the_filters():
    before = list(warnings.filters)

    def parse_many():
        for _ in range(200):
            parse_code(SOURCE)

    threads = [threading.Thread(target=parse_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert warnings.filters == before

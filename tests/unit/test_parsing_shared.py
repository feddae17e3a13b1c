"""parse_shared: readers of an equal text share one tree while one of them holds it; a one-off
scan's engine reads the tree the summary store parsed of a module it scans."""

import ast
import gc
import weakref
from collections import Counter

import bastion.parsing
from bastion.config import Config
from bastion.parsing import parse_code, parse_shared
from bastion.scan import ScanItem, scan


def test_an_equal_text_is_handed_the_held_tree():
    text = "import os\nos.system(x)\n"
    held = parse_shared(text)
    assert parse_shared("".join(["import os\n", "os.system(x)\n"])) is held
    assert ast.dump(held) == ast.dump(parse_code(text))
    assert parse_shared("a = 2\n") is not held


def test_the_table_keeps_no_tree_alive():
    tree = parse_shared("b = 3\n")
    dropped = weakref.ref(tree)
    del tree
    gc.collect()
    assert dropped() is None
    assert parse_shared("b = 3\n").body[0].value.value == 3


def test_a_syntax_error_is_raised_each_time():
    for _ in range(2):
        try:
            parse_shared("def (:\n")
        except SyntaxError:
            continue
        raise AssertionError("parsed")


def test_a_scan_parses_a_summarised_module_once(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    helper = "import sys\n\n\ndef target():\n    return sys.argv[1]\n"
    caller = "import os\n\nfrom helper import target\n\nos.system(target())\n"
    (project / "helper.py").write_text(helper)
    (project / "caller.py").write_text(caller)
    parsed: Counter[str] = Counter()
    real = bastion.parsing.parse_code

    def counting(source: str) -> ast.Module:
        parsed[source] += 1
        return real(source)

    monkeypatch.setattr(bastion.parsing, "parse_code", counting)
    # the caller first: summarising it parses the helper, which the engine then scans
    items = [ScanItem(str(project / name), name, Config(), (str(project),))
             for name in ("caller.py", "helper.py")]
    outcomes = scan(items, jobs=1, use_cache=False, roots=[str(project)])
    assert [o.error for o in outcomes] == [None, None]
    assert any(f.rule_id.startswith("BST") for f in outcomes[0].analysis.findings)  # via the helper
    assert parsed[helper] == 1 and parsed[caller] == 1

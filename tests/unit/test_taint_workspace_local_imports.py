"""A workspace module imported inside a function (`from app.utils import validate_host` in a
view, `from .utils import ...`, `import app.utils as u`, in an `if` or a method too) is read as
the same import at module level is: its helper that raises unless the host is allow-listed
guards the redirect after it, in a scan and in the editor, and the file's analysis depends on
that module (editing it analyses the view again)."""

from __future__ import annotations

import ast

import pytest
from tests.unit.test_taint_workspace_records import _attached, workspace_findings

from bastion.analyzers.taint.analyzer import TaintAnalyzer
from bastion.analyzers.taint.modules import ModuleResolver, import_nodes, import_table, text_statements
from bastion.analyzers.taint.workspace_entries import imports_of

UTILS = '''
from urllib.parse import urlparse

ALLOWED = {"example.com"}


def validate_host(url):
    if urlparse(url).netloc not in ALLOWED:
        raise ValueError("host")
    return url
'''
GUARDING = UTILS
PASSING = UTILS.replace('        raise ValueError("host")\n', '        pass\n')

FUNCTION = '''
from django.shortcuts import redirect


def go(request):
    {imports}
    nxt = request.GET["next"]
    {prefix}validate_host(nxt)
    return redirect(nxt)
'''

METHOD = '''
from django.shortcuts import redirect
from django.views import View


class Go(View):
    def get(self, request):
        if request.GET:
            {imports}
        nxt = request.GET["next"]
        {prefix}validate_host(nxt)
        return redirect(nxt)
'''

FORMS = [
    ("from app.utils import validate_host", ""),
    ("from .utils import validate_host", ""),
    ("import app.utils as u", "u."),
    ("from . import utils", "utils."),
]


# An import after a colon or semicolon (`if x: import y`, `try: from .u import v`, `a; import b`)
ONE_LINE = [
    ("if request.GET: from app.utils import validate_host", ""),
    ("while True: from .utils import validate_host; break", ""),
    ("nxt = None; import app.utils as u", "u."),
    ("nxt = None;from . import utils", "utils."),
]


@pytest.fixture(scope="module")
def analyzer():
    return TaintAnalyzer()


def _rules(analyzer, root, utils: str, views: str, compute: bool) -> list[str]:
    found = workspace_findings(analyzer, root, {"utils.py": utils, "views.py": views}, compute)
    return [f.rule_id for f in found]


@pytest.mark.parametrize("compute", [True, False], ids=["scan", "editor"])
@pytest.mark.parametrize("shape", [FUNCTION, METHOD], ids=["function", "method"])
@pytest.mark.parametrize(("imports", "prefix"), FORMS + ONE_LINE)
def test_a_helper_imported_in_the_function_guards(analyzer, tmp_path, shape, imports, prefix, compute):
    views = shape.format(imports=imports, prefix=prefix)
    assert _rules(analyzer, tmp_path, GUARDING, views, compute) == []
    assert _rules(analyzer, tmp_path, PASSING, views, compute) == ["BST210"]


def test_the_table_holds_a_function_import_and_skips_the_walk_without_one(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "utils.py").write_text(GUARDING)
    resolver = ModuleResolver([str(tmp_path)])
    path = str(tmp_path / "app" / "views.py")
    text = FUNCTION.format(imports="from .utils import validate_host", prefix="")
    tree = ast.parse(text)
    expected = {"utils": str((tmp_path / "app" / "utils.py").resolve())}  # as the evaluator names it
    assert import_table(tree, path, resolver, text) == expected
    assert import_table(imports_of(tree, text).statements, path, resolver) == expected
    assert import_table(text, path, resolver) == expected
    # a text with no indented import line: the module-level imports are all of them
    flat = "from .utils import validate_host\n"
    assert import_table(ast.parse(flat), path, resolver, flat) == expected


def test_editing_the_imported_module_changes_the_views_key_and_result(analyzer, tmp_path):
    views = FUNCTION.format(imports="from .utils import validate_host", prefix="")
    assert _rules(analyzer, tmp_path, GUARDING, views, True) == []
    utils = tmp_path / "app" / "utils.py"
    path = str(tmp_path / "app" / "views.py")
    with _attached(analyzer, tmp_path, True) as store:
        before = store.external(imports_of(ast.parse(views), views), path)
        assert before is not None
        assert [f.rule_id for f in analyzer.analyse_file(views, path) if f.rule_id.startswith("BST")] == []
        utils.write_text(PASSING)
        store.changed(str(utils))
        after = store.external(imports_of(ast.parse(views), views), path)
        assert after is not None and after.digest != before.digest
        assert [f.rule_id for f in analyzer.analyse_file(views, path)
                if f.rule_id.startswith("BST")] == ["BST210"]


@pytest.mark.parametrize("text", [
    "import os\nif os.name:\n    import json\ntry:\n    import ssl\nexcept ImportError:\n    ssl = None\n",
    "def f():\n    import json\n",
    "class A:\n    def m(self):\n        with open(p) as f:\n            from .utils import check\n",
    "def f():\n    try:\n        pass\n    except ValueError:\n        from . import utils\n"
    "    finally:\n        import a.b as c\n",
    "def f(x):\n    match x:\n        case 1:\n            import json\n",
    "x = 1; import json\n",  # no indented line: a module-level import all the same
    "if TYPE: import json\ntry: import ssl\nexcept ImportError: pass\n",  # nor here
    "import os\n\n\ndef a():\n    return 1\n\n\nclass B:\n    def c(self):\n        pass\n\n"
    "    def d(self):\n        def e():\n            from .utils import check\n        return e\n",
    "if TYPE:\n    def f():\n        for x in y:\n            import json\nelse:\n    import ssl\n"
    "try:\n    import a\nexcept ImportError:\n    def g():\n        while 1:\n            import b\n",
    'def f():\n    x = """\n    import not_code\n    """\n    import json\n',
    "def f(): import json\n",
    "def f():import json\n",
    "def f():\n    if x: import json\n",
    "def f():\n    try: from .utils import check\n    except ImportError: pass\n",
    "def f(): import m; m.g()\n",
    "class A:\n    def m(self): x = {1: 2}; import json; import ssl\n",
    "if not re: import re\n",
    "def f(re):\n    if not re: import re\n",
    "def f():\n    x = 1;from . import utils\n",
])
def test_the_imports_found_are_those_of_a_whole_walk(text):
    # entering only the statements whose lines hold an indented import misses no import
    # ast.walk finds
    tree = ast.parse(text)
    found = [ast.dump(n) for n in import_nodes(tree, text)]
    walked = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert sorted(found) == sorted(ast.dump(n) for n in walked)
    # the text's import lines (read without parsing) name them all too
    read = {(level, module, tuple(names)) for level, module, names in text_statements(text)}
    assert read >= {(n.level, n.module, tuple(a.name for a in n.names if a.name != "*"))
                    if isinstance(n, ast.ImportFrom) and n.module else
                    (getattr(n, "level", 0) or 0, None, tuple(a.name for a in n.names)) for n in walked}

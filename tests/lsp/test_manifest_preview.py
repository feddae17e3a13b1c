"""The first analysis of a large requirements file or pyproject.toml publishes the findings on
the lines in view first (engine/text_preview.py): the top of the file, or the lines the client
says are visible (`bastion/visibleRanges`), then the whole file's (issue 15: a 5 MB file showed
nothing for seconds)."""

from __future__ import annotations

from .conftest import codes
from .test_diagnostics import publishes_until_complete

# A vulnerable pin on the first line and on the last, 3,000 lines apart.
TEXT = "django==3.2.5\n" + "".join(f"package-{i}=={i % 9}.1.0\n" for i in range(3000)) \
    + "requests==2.19.0\n"
LAST = TEXT.count("\n") - 1


def _lines(params) -> list[int]:
    return [d.range.start.line for d in params.diagnostics]


async def test_the_top_of_a_large_manifest_is_published_first(progressive):
    uri = (progressive.workspace / "requirements.txt").as_uri()
    published = await publishes_until_complete(progressive, uri, TEXT, 2)
    assert codes(published[-1].diagnostics) == ["BST401", "BST401"]
    assert all(p.version == 1 for p in published)
    assert len(published) >= 2 and _lines(published[0]) == [0], "no preview of the top first"


async def test_the_visible_lines_of_a_large_manifest_are_published_first(progressive):
    uri = (progressive.workspace / "requirements.txt").as_uri()
    progressive.protocol.notify("bastion/visibleRanges", {
        "textDocument": {"uri": uri},
        "ranges": [{"start": {"line": LAST - 40, "character": 0}, "end": {"line": LAST, "character": 0}}]})
    published = await publishes_until_complete(progressive, uri, TEXT, 2)
    assert _lines(published[-1]) == [0, LAST]
    assert len(published) >= 2 and _lines(published[0]) == [LAST], "the visible lines were not first"


# A pyproject.toml: a vulnerable pin at the top of its PEP 621 array, another 3,000 lines down.
PYPROJECT = '[project]\nname = "big"\ndependencies = [\n  "django==3.2.5",\n' + "".join(
    f'  "package-{i}=={i % 9}.1.0",\n' for i in range(3000)) + '  "requests==2.19.0",\n]\n'


async def test_the_top_of_a_large_pyproject_is_published_first(progressive):
    uri = (progressive.workspace / "pyproject.toml").as_uri()
    published = await publishes_until_complete(progressive, uri, PYPROJECT, 2)
    assert _lines(published[-1]) == [3, 3004]
    assert len(published) >= 2 and _lines(published[0]) == [3], "no preview of the top first"


# A uv.lock and a Pipfile.lock: a vulnerable package at the top, another 3,000 packages down.
UV_LOCK = 'version = 1\n\n[[package]]\nname = "django"\nversion = "3.2.5"\n' + "".join(
    f'\n[[package]]\nname = "package-{i}"\nversion = "{i % 9}.1.0"\n' for i in range(3000)) \
    + '\n[[package]]\nname = "requests"\nversion = "2.19.0"\n'
PIPFILE_LOCK = '{\n    "_meta": {},\n    "default": {\n        "django": {"version": "==3.2.5"},\n' \
    + "".join(f'        "package-{i}": {{"version": "=={i % 9}.1.0"}},\n' for i in range(3000)) \
    + '        "requests": {"version": "==2.19.0"}\n    }\n}\n'


async def test_the_top_of_a_large_uv_lock_is_published_first(progressive):
    uri = (progressive.workspace / "uv.lock").as_uri()
    published = await publishes_until_complete(progressive, uri, UV_LOCK, 2)
    assert _lines(published[-1]) == [4, UV_LOCK.count("\n") - 1]
    assert len(published) >= 2 and _lines(published[0]) == [4], "no preview of the top first"


async def test_the_top_of_a_large_pipfile_lock_is_published_first(progressive):
    uri = (progressive.workspace / "Pipfile.lock").as_uri()
    published = await publishes_until_complete(progressive, uri, PIPFILE_LOCK, 2)
    assert _lines(published[-1]) == [3, 3004]
    assert len(published) >= 2 and _lines(published[0]) == [3], "no preview of the top first"


async def test_a_lock_that_is_not_valid_toml_has_no_preview(progressive):
    """A merge conflict's marker far below the view: the whole analysis shows no finding, only
    the error, and so does the first publication."""
    uri = (progressive.workspace / "uv.lock").as_uri()
    published = await publishes_until_complete(progressive, uri, UV_LOCK + "<<<<<<< HEAD\n", 1)
    assert all("BST401" not in codes(p.diagnostics) for p in published)


async def test_a_pyproject_half_typed_below_the_view_shows_only_the_error(progressive):
    """A pyproject.toml that is not valid TOML: the whole analysis gives no finding, only the
    error; the preview showed the findings at the top of its array first, then took them back."""
    uri = (progressive.workspace / "pyproject.toml").as_uri()
    text = PYPROJECT.replace('  "requests==2.19.0",\n', '  "requests==2.19.0",\n  "requ\n')
    published = await publishes_until_complete(progressive, uri, text, 1)
    assert [codes(p.diagnostics) for p in published if "BST401" in codes(p.diagnostics)] == []
    assert "not valid TOML" in published[-1].diagnostics[0].message

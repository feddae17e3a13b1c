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

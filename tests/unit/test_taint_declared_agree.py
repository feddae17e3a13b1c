"""The taint analyzer's declared versions (taint/declared_versions.py) and the dependency
analyzer read the same manifests the same way: declared_versions parses a manifest with deps'
`parse_manifest`, but first skips one whose text cannot declare the package asked (a lock of a
few MB naming no lxml). That shortcut must never skip a manifest the parser finds the package
in: on every manifest the tests write and on generated ones, `DeclaredVersions._read` answers
for each package as deps' whole parse does."""

from __future__ import annotations

import ast
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from tests.hypothesis_budget import examples

from bastion.analyzers.taint.declared_versions import DeclaredVersions
from bastion.analyzers.taint.model_files import load_models
from bastion.deps.analysis import parse_manifest
from bastion.deps.names import manifest_kind
from bastion.deps.requirements_txt import read_file

TESTS = Path(__file__).resolve().parents[1]
VERSIONED = sorted(load_models().versioned)  # the packages declared_versions is asked about


def _literal_manifests() -> list[dict[str, str]]:
    """Every manifest written by a test: a dict literal {manifest name: text, ...} (one
    project), or `(folder / "name").write_text("text")`."""
    projects = []
    for source in sorted(TESTS.rglob("test_*.py")):
        text = source.read_text(encoding="utf-8")
        if not any(word in text for word in ("requirements", ".lock", "pyproject", "pylock")):
            continue  # writes no manifest: not parsed
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                pairs = [(k.value, v.value) for k, v in zip(node.keys, node.values, strict=True)
                         if isinstance(k, ast.Constant) and isinstance(k.value, str)
                         and isinstance(v, ast.Constant) and isinstance(v.value, str)]
                project = {name: text for name, text in pairs if manifest_kind(name)}
                if project:
                    projects.append(project)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr == "write_text" and node.args
                  and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                  and isinstance(node.func.value, ast.BinOp)
                  and isinstance(node.func.value.right, ast.Constant)
                  and isinstance(node.func.value.right.value, str)
                  and manifest_kind(node.func.value.right.value)):
                projects.append({node.func.value.right.value: node.args[0].value})
    return projects


def _whole(path: str, package: str) -> tuple[tuple[str, ...], bool] | None:
    """What deps' parse of the whole manifest declares of `package`, as declared_versions
    records it: the pins (`==version`) or specifiers, and whether a lock entry is among them."""
    with open(path, encoding="utf-8", newline="") as file:
        manifest = parse_manifest(path, file.read(), os.path.dirname(path), read_file)
    entries = [(f"=={d.pinned}" if d.pinned else d.specifier, d.locked)
               for d in (manifest.dependencies if manifest is not None else ()) if d.name == package]
    if not entries:
        return None
    return tuple(s for s, _ in entries), any(locked for _, locked in entries)


def _disagreements(folder: str, project: dict[str, str]) -> list[tuple[str, str, object, object]]:
    for name, text in project.items():
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="") as file:
            file.write(text)
    wrong = []
    for name in project:
        path = os.path.join(folder, name)
        if not manifest_kind(name):
            continue  # an included file only
        manifest = parse_manifest(path, Path(path).read_text(encoding="utf-8"), folder, read_file)
        declared = {d.name for d in manifest.dependencies} if manifest is not None else set()
        for package in sorted({*VERSIONED, *declared}):
            expected = _whole(path, package)
            got = DeclaredVersions()._read(path, package).get(package)
            if got != expected:
                wrong.append((name, package, got, expected))
    return wrong


MANIFESTS = _literal_manifests()


def test_the_tests_write_manifests_of_every_kind():
    kinds = {manifest_kind(name) for project in MANIFESTS for name in project}
    assert {"requirements", "pyproject", "uv.lock", "poetry.lock"} <= kinds, kinds


@pytest.mark.parametrize("project", MANIFESTS, ids=lambda p: ",".join(sorted(p)))
def test_the_two_readers_agree_on_every_manifest_the_tests_write(project, tmp_path):
    assert _disagreements(str(tmp_path), project) == []


NAMES = {"lxml": ["lxml", "LXML", "Lxml"], "torch": ["torch", "Torch"],
         "flask": ["flask", "Flask"], "typing-extensions": ["typing-extensions", "typing_extensions",
                                                            "Typing.Extensions"]}
SPECIFIERS = ["", "==4.9.1", "==5.2.0", ">=4.6,<5", "~=4.9", "<5", "!=5.0.0", "==2.1.*"]


@st.composite
def requirement(draw) -> str:
    written = draw(st.sampled_from(sorted(w for ws in NAMES.values() for w in ws)))
    line = written + draw(st.sampled_from(["", "[extra]"])) + draw(st.sampled_from(SPECIFIERS))
    line += draw(st.sampled_from(["", ' ; python_version < "3.13"', "  # pinned", " --hash=sha256:ab"]))
    if draw(st.booleans()):  # a line continued: pip joins it (a hash on the next line, or a split name)
        at = draw(st.integers(0, len(line)))
        line = line[:at] + "\\\n" + draw(st.sampled_from(["", "    "])) + line[at:]
    return line


@st.composite
def project(draw) -> dict[str, str]:
    lines = draw(st.lists(requirement(), max_size=4))
    included = draw(st.lists(requirement(), max_size=2))
    kind = draw(st.sampled_from(["requirements", "pyproject", "uv"]))
    if kind == "pyproject":
        listed = ", ".join(f'"{line.split(chr(92))[0].split("#")[0].strip()}"' for line in lines
                           if "--" not in line)
        return {"pyproject.toml": f'[project]\nname = "a"\nversion = "1"\ndependencies = [{listed}]\n'}
    if kind == "uv":
        return {"uv.lock": "".join(f'[[package]]\nname = "{draw(st.sampled_from(NAMES[name]))}"\n'
                                   f'version = "{version}"\n\n'
                                   for name, version in draw(st.lists(
                                       st.tuples(st.sampled_from(sorted(NAMES)),
                                                 st.sampled_from(["4.9.1", "5.2.0", "2.1.0"])),
                                       max_size=3)))}
    include = draw(st.sampled_from(["", "-r base.txt\n", "-c base.txt\n", "--requirement=base.txt\n",
                                    "-\\\nr base.txt\n", "--requ\\\nirement base.txt\n"]))
    files = {"requirements.txt": include + "".join(line + "\n" for line in lines)}
    if include:
        files["base.txt"] = "".join(line + "\n" for line in included)
    return files


@settings(max_examples=examples(60), deadline=None)
@given(project())
# what the shortcut skipped (main: a text searched raw, includes by `^[ \t]*-[rc]\b` only)
@example({"requirements.txt": "-\\\nr base.txt\n", "base.txt": "lxml==4.9.1\n"})
@example({"requirements.txt": "lx\\\nml==4.9.1\n"})
@example({"pyproject.toml": '[project]\nname = "a"\nversion = "1"\ndependencies = ["\\u006cxml<5"]\n'})
def test_the_two_readers_agree_on_generated_manifests(files):
    with tempfile.TemporaryDirectory() as folder:
        assert _disagreements(folder, files) == []

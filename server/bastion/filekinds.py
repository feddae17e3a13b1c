"""What kind of file a path names: Python source, or one of the text kinds (manifests, lock
files, configuration, shell, Dockerfiles) that text analyzers read.

The kind is decided by the file's name alone, never its content: the same path is the same kind
in the editor, in `bastion check` and in the result cache. A path of no known kind is Python,
as it always was for the engine (an explicitly named `script` without a suffix, an untitled
editor buffer); folder walks only yield the known kinds (`discovered_kind`).
"""

from __future__ import annotations

import enum
import fnmatch
import os


class FileKind(str, enum.Enum):
    PYTHON = "python"
    REQUIREMENTS = "requirements"  # requirements*.txt, *.in (pip-tools)
    PYPROJECT = "pyproject"  # pyproject.toml
    LOCK = "lock"  # uv.lock, poetry.lock, pdm.lock, pylock.toml, pylock.*.toml, Pipfile.lock
    DOTENV = "dotenv"  # .env, .env.*, *.env
    YAML = "yaml"
    JSON = "json"
    TOML = "toml"  # any other .toml
    INI = "ini"  # .ini, .cfg, .conf, .properties
    SHELL = "shell"  # .sh, .bash, .zsh, .ksh
    DOCKERFILE = "dockerfile"  # Dockerfile, Dockerfile.*, *.dockerfile, Containerfile

    @property
    def comment(self) -> str | None:
        """The line-comment marker a suppression comment is written with (None: the format has
        no comments, JSON: suppress with a baseline or the configuration)."""
        return None if self in (FileKind.JSON,) else "#"

    @property
    def is_lock(self) -> bool:
        return self is FileKind.LOCK


TEXT_KINDS = frozenset(kind for kind in FileKind if kind is not FileKind.PYTHON)

# Exact names first, then glob patterns, matched case-sensitively on the base name (the order
# matters: `requirements.in` before `*.in` gives the same answer, `pyproject.toml` before `*.toml`).
_EXACT = {
    "pyproject.toml": FileKind.PYPROJECT,
    "uv.lock": FileKind.LOCK,
    "poetry.lock": FileKind.LOCK,
    "pdm.lock": FileKind.LOCK,
    "pylock.toml": FileKind.LOCK,
    "Pipfile.lock": FileKind.LOCK,
    "Dockerfile": FileKind.DOCKERFILE,
    "Containerfile": FileKind.DOCKERFILE,
    ".env": FileKind.DOTENV,
}
# Names a glob below would take for what they are not (setuptools' MANIFEST.in is no requirements).
_NOT_MANIFESTS = frozenset({"MANIFEST.in"})
_GLOBS = (
    ("pylock.*.toml", FileKind.LOCK),
    ("requirements*.txt", FileKind.REQUIREMENTS),
    ("*requirements.txt", FileKind.REQUIREMENTS),  # dev-requirements.txt
    ("*.in", FileKind.REQUIREMENTS),
    ("Dockerfile.*", FileKind.DOCKERFILE),
    ("Containerfile.*", FileKind.DOCKERFILE),
    ("*.dockerfile", FileKind.DOCKERFILE),
    (".env.*", FileKind.DOTENV),
    ("*.env", FileKind.DOTENV),
)
_SUFFIXES = {
    ".py": FileKind.PYTHON, ".pyw": FileKind.PYTHON,
    ".yaml": FileKind.YAML, ".yml": FileKind.YAML,
    ".json": FileKind.JSON,
    ".toml": FileKind.TOML,
    ".ini": FileKind.INI, ".cfg": FileKind.INI, ".conf": FileKind.INI, ".properties": FileKind.INI,
    ".sh": FileKind.SHELL, ".bash": FileKind.SHELL, ".zsh": FileKind.SHELL, ".ksh": FileKind.SHELL,
}


def discovered_kind(path: str | os.PathLike) -> FileKind | None:
    """The kind of the file at `path`, or None when its name is of no known kind (a folder walk
    skips it)."""
    name = os.path.basename(os.fspath(path))
    if name in _NOT_MANIFESTS:
        return None
    kind = _EXACT.get(name)
    if kind is not None:
        return kind
    for pattern, globbed in _GLOBS:
        if fnmatch.fnmatchcase(name, pattern):
            return globbed
    return _SUFFIXES.get(os.path.splitext(name)[1].lower())


def kind_of(path: str | os.PathLike | None) -> FileKind:
    """The kind the engine analyses `path` as: Python unless the name is of a text kind."""
    if not path:
        return FileKind.PYTHON
    return discovered_kind(path) or FileKind.PYTHON


def named_kind(path: str | os.PathLike) -> FileKind | None:
    """The kind a file named explicitly (`bastion check PATH`) is read as: its known kind, Python
    for a script without a suffix or a stub (`.pyi`), None for any other suffix (`README.md`,
    `logo.png`), which is no source Bastion reads."""
    kind = discovered_kind(path)
    if kind is not None:
        return kind
    suffix = os.path.splitext(os.path.basename(os.fspath(path)))[1].lower()
    return FileKind.PYTHON if suffix in ("", ".pyi") else None


def is_python(path: str | os.PathLike | None) -> bool:
    return kind_of(path) is FileKind.PYTHON

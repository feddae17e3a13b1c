"""Settings for open documents: pyproject.toml layers under client settings.

A pyproject.toml is re-read when its modification time changes (checked with one `stat` per
analysis), so edits apply without a restart even in clients that cannot watch files. A broken
file keeps its last good settings and produces one message until it changes again. The
scheduler reads it off the event loop (`config_for_async`): a 5 MB pyproject.toml (issue 15's
manifest) took 0.8 s of CPU to parse, and the loop stalled for every document meanwhile.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import attrs

from bastion.config import Config, ConfigError, build_config, load_pyproject, validate_layer


@attrs.frozen
class Message:
    level: str  # "error" | "warning"
    text: str


@attrs.define
class _FileState:
    mtime_ns: int
    values: dict
    error: str | None = None


ROOT_NAME = "workspace folder"  # what messages call the folders (`Engine.set_roots`)


class SettingsStore:
    def __init__(self) -> None:
        self.folders: list[str] = []
        self.generation = 0
        self._client: dict[str, Any] = {}
        self._files: dict[str, _FileState] = {}
        self._nearest: dict[str, str | None] = {}

    # client settings ------------------------------------------------------------------------

    def set_client_settings(self, raw: Any, origin: str) -> list[Message]:
        if raw is None:
            raw = {}
        if not isinstance(raw, dict):
            return [Message("error", f"Bastion: {origin} must be an object, got {type(raw).__name__}; "
                                     "keeping the previous settings")]
        try:
            values, unknown = validate_layer(raw, camel=True)
        except ConfigError as exc:
            return [Message("error", f"Bastion: invalid {origin}: {exc.message}; "
                                     "keeping the previous settings")]
        if values != self._client:
            self._client = values
            self.generation += 1
        return [Message("warning", f"Bastion: {origin}: {w}") for w in unknown]

    # workspace folders ------------------------------------------------------------------------

    def change_folders(self, added: list[str], removed: list[str]) -> bool:
        """workspace/didChangeWorkspaceFolders: whether the folders changed (a new generation:
        a document's settings, includes and imported modules depend on the folders)."""
        gone = {_folder_key(f) for f in removed}
        folders = [f for f in self.folders if _folder_key(f) not in gone]
        for folder in added:
            if _folder_key(folder) not in {_folder_key(f) for f in folders}:
                folders.append(folder)
        if folders == self.folders:
            return False
        self.folders = folders
        self.generation += 1
        return True

    # pyproject.toml ---------------------------------------------------------------------------

    def forget_files(self) -> None:
        """Called when files change on disk: look for pyproject.toml files again."""
        self._nearest.clear()
        self.generation += 1

    def _pyproject_for(self, path: str | None) -> str | None:
        folder = os.path.dirname(path) if path else (self.folders[0] if self.folders else None)
        if folder is None:
            return None
        if folder not in self._nearest:
            found = None
            for candidate in [Path(folder), *Path(folder).parents]:
                if (candidate / "pyproject.toml").is_file():
                    found = str(candidate / "pyproject.toml")
                    break
            self._nearest[folder] = found
        return self._nearest[folder]

    def _file_values(self, pyproject: str, messages: list[Message]) -> dict:
        try:
            mtime = os.stat(pyproject).st_mtime_ns
        except OSError:
            self._nearest.clear()
            return {}
        state = self._files.get(pyproject)
        if state is not None and state.mtime_ns == mtime:
            return state.values
        return self._remember(pyproject, mtime, _loaded(pyproject), messages)

    def _remember(self, pyproject: str, mtime: int, loaded, messages: list[Message]) -> dict:
        state = self._files.get(pyproject)
        previous = state.values if state is not None else {}
        if isinstance(loaded, ConfigError):
            messages.append(Message("error", f"Bastion: {loaded} (using the last good settings)"))
            self._files[pyproject] = _FileState(mtime, previous, str(loaded))
        else:
            messages.extend(Message("warning", f"Bastion: {w}") for w in loaded.warnings)
            self._files[pyproject] = _FileState(mtime, loaded.values)
        self.generation += 1
        return self._files[pyproject].values

    async def config_for_async(self, path: str | None,
                               run: Callable[..., Awaitable[Any]]) -> tuple[Config, list[Message]]:
        """`config_for`, a pyproject.toml to read again parsed by `run(function, *args)` (off
        the event loop); the store itself is changed only by the caller's (the loop's) thread."""
        messages: list[Message] = []
        pyproject = self._pyproject_for(path)
        if pyproject is not None:
            try:
                mtime = os.stat(pyproject).st_mtime_ns
            except OSError:
                mtime = None  # config_for forgets the file
            state = self._files.get(pyproject)
            if mtime is not None and (state is None or state.mtime_ns != mtime):
                loaded = await run(_loaded, pyproject)
                state = self._files.get(pyproject)
                if state is None or state.mtime_ns != mtime:  # not stored meanwhile by another caller
                    self._remember(pyproject, mtime, loaded, messages)
        config, more = self.config_for(path)
        return config, messages + more

    def config_for(self, path: str | None) -> tuple[Config, list[Message]]:
        messages: list[Message] = []
        pyproject = self._pyproject_for(path)
        file_values = self._file_values(pyproject, messages) if pyproject else {}
        if pyproject:
            root = os.path.dirname(pyproject)
        else:
            root = self.folders[0] if self.folders else None
        return build_config(file_values, self._client, root=root), messages


def _loaded(pyproject: str):
    """The settings layer of `pyproject`, or the ConfigError that says why it has none."""
    try:
        return load_pyproject(Path(pyproject))
    except ConfigError as exc:
        return exc


def _folder_key(folder: str) -> str:
    return os.path.normcase(os.path.abspath(folder))

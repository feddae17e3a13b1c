"""How the adapter (bandit_adapter.py) imports bandit's core: without what it never uses
(bandit's scan manager and `rich`, PyYAML, a TOML parser, configparser), and with its plugins
listed from bandit's own entry points instead of stevedore's scan of every installed
distribution. Run once, before the adapter's imports of bandit's modules.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import sys
import types

from bastion.analyzers.bandit_metadata import bandit_version, entry_points
from bastion.analyzers.lazy_modules import import_lazily


class _Extension:
    """What bandit's extension loader reads of a stevedore Extension; `plugin` is loaded on
    first read (formatters are never read here)."""

    def __init__(self, name: str, value: str) -> None:
        self.name, self.entry_point, self.obj = name, value, None
        self._plugin = _MISSING

    @property
    def plugin(self):
        if self._plugin is _MISSING:
            # importlib.metadata's EntryPoint.load: the module, then the attribute path
            # (`module:attr.path [extras]`).
            module, _, path = self.entry_point.partition("[")[0].partition(":")
            plugin = importlib.import_module(module.strip())
            for attribute in filter(None, path.strip().split(".")):
                plugin = getattr(plugin, attribute)
            self._plugin = plugin
        return self._plugin


class _ExtensionManager:
    """stevedore's ExtensionManager as bandit's extension loader calls it (nothing invoked, no
    requirement checked), over bandit's own entry points (`bandit_metadata.entry_points`).
    stevedore imports importlib.metadata and reads every installed distribution's entry points
    (with bandit's package reading its metadata, some 30 ms of a cold check's start-up).
    Checks and blacklists load as stevedore loads them: in the file's order, one that fails to
    import logged and left out. The rules are bandit's own (the catalog names each one:
    tests/unit/test_result_cache.py), so another package's bandit plugin is not run.
    Formatters (report writers the adapter never calls) are listed and load when first read."""

    entries: dict[str, list[tuple[str, str]]] = {}

    def __init__(self, namespace: str, invoke_on_load: bool = False,
                 verify_requirements: bool = False) -> None:
        self.namespace = namespace
        self.extensions = [_Extension(name, value) for name, value in self.entries.get(namespace, ())]
        if namespace != "bandit.formatters":
            for extension in list(self.extensions):
                try:
                    extension.plugin  # noqa: B018 (loaded now, as stevedore loads it)
                except Exception as error:
                    logging.getLogger("stevedore.extension").error(
                        "Could not load %r: %s", extension.name, error)
                    self.extensions.remove(extension)

    def __iter__(self):
        return iter(self.extensions)

    def names(self) -> list[str]:
        return [extension.name for extension in self.extensions]

    def __contains__(self, name: str) -> bool:
        return any(extension.name == name for extension in self.extensions)

    def __getitem__(self, name: str) -> _Extension:
        return next(extension for extension in self.extensions if extension.name == name)


_MISSING = object()


def import_bandit() -> None:
    """Imports bandit's core without what the adapter never uses. Bandit's package reads its
    author and version through importlib.metadata and imports its scan manager (and through
    it `rich`); its configuration module imports PyYAML (for config files); its extension
    loader asks stevedore for the plugins. The package's names are set from its core, as its
    `__init__` sets them, and the version from `bandit_metadata`; the rest (`__author__`) runs
    the real `__init__` when read. The manager and PyYAML load the day something reads them;
    the plugins through `_ExtensionManager` when bandit's metadata can be read directly."""
    if "bandit.core" in sys.modules:
        return  # imported already, the ordinary way (the contract test does)
    import_lazily("bandit")
    import_lazily("yaml")
    # Bandit's configuration module imports a TOML parser for pyproject.toml files the adapter
    # never gives it; the stored rule tables spare Bastion's own use of it (rule_tables.py).
    import_lazily("tomllib" if sys.version_info >= (3, 11) else "tomli")
    # Its utilities import configparser for the `.bandit` INI files, which the adapter never
    # reads either (a few milliseconds of a cold check's start-up, its class-level patterns).
    import_lazily("configparser")
    package = sys.modules.get("bandit")
    folders = list(importlib.util.find_spec("bandit").submodule_search_locations)
    import_lazily("bandit.core.manager", [f"{folder}/core" for folder in folders])
    entries = entry_points()
    shimmed = entries is not None and "stevedore" not in sys.modules
    if shimmed:
        _ExtensionManager.entries = entries
        extension = types.ModuleType("stevedore.extension")
        extension.ExtensionManager = _ExtensionManager
        stevedore = types.ModuleType("stevedore")
        stevedore.extension = extension
        sys.modules.update({"stevedore": stevedore, "stevedore.extension": extension})
    try:
        core = importlib.import_module("bandit.core")
    finally:
        if shimmed:
            del sys.modules["stevedore"], sys.modules["stevedore.extension"]
    if package is not None and "__getattr__" in vars(package):  # not run yet: named as it would
        vars(package).update({name: value for name, value in vars(core).items()
                              if not name.startswith("_")})
        package.__version__ = bandit_version()

"""A module put in `sys.modules` unexecuted, its code run on first use: the bandit adapter
defers with it what a check never needs (bandit's package `__init__`, its scan manager, PyYAML),
which a cold `bastion check` would otherwise import at start-up. It names no module itself:
its caller does (bandit_adapter.py, the only module that imports bandit).
"""

from __future__ import annotations

import importlib.util
import sys
from importlib.machinery import PathFinder


def import_lazily(name: str, path: list[str] | None = None) -> None:
    """Puts module `name` in sys.modules unexecuted: its code runs on the first read of an
    attribute it does not have yet (PEP 562's module `__getattr__`), so `import name` alone
    costs nothing. (importlib's LazyLoader does not do: an import statement reads the module's
    `__spec__`, which loads it before Python 3.13.) `path`: the package's folders, for a
    submodule whose package is not imported yet."""
    if name in sys.modules:
        return
    spec = PathFinder.find_spec(name, path) if path is not None else importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        return  # left to the normal import, which reports it
    module = importlib.util.module_from_spec(spec)

    def load(attribute: str):
        del module.__getattr__
        spec.loader.exec_module(module)
        return getattr(module, attribute)

    module.__getattr__ = load
    sys.modules[name] = module

"""Fixes for an editor: document models and verified fixes cached per document version.

Runs on its own worker thread (the engine lock serialises it with analyses); results are keyed
by document version, so a request for an older version never reuses a newer one's fixes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

from bastion.config import Config
from bastion.fixes.base import SAFE
from bastion.fixes.model import DocModel
from bastion.fixes.planner import Fix, FixAllResult, fix_all, verified
from bastion.model import Finding


class FixService:
    def __init__(self, engine, max_documents: int = 8) -> None:
        self.engine = engine
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bastion-fixes")
        self._lock = threading.Lock()
        self._models: OrderedDict[str, DocModel] = OrderedDict()
        self._fixes: dict[tuple, list[Fix]] = {}
        self._fix_all: dict[tuple, FixAllResult] = {}
        self._versions: dict[str, int | None] = {}
        self._max = max_documents

    def has_model(self, key: str, version: int) -> bool:
        with self._lock:
            return self._versions.get(key) == version

    def model(self, key: str, text: str, version: int | None = None, split=None) -> DocModel:
        """`split`: the engine's split of exactly this text, when the caller has it."""
        with self._lock:
            previous = self._models.get(key)
        model = None
        if previous is not None and previous.text == text:
            model = previous
        elif split is not None:
            model = DocModel.from_split(text, split, self.engine)
        if model is None:
            model = previous.update(text, self.engine) if previous is not None else \
                DocModel.build(text, self.engine)
        with self._lock:
            self._versions[key] = version
            self._models[key] = model
            self._models.move_to_end(key)
            while len(self._models) > self._max:
                old, _model = self._models.popitem(last=False)
                self._versions.pop(old, None)
        return model

    def fixes(self, key: str, version: int, text: str, path: str, config: Config,
              finding: Finding, split=None) -> list[Fix]:
        """Verified fixes for one finding of one document version (cached)."""
        cache_key = (key, version, config, finding.rule_id, finding.span)
        with self._lock:
            cached = self._fixes.get(cache_key)
        if cached is not None:
            return cached
        model = self.model(key, text, version, split)
        good, _rejected = verified(self.engine, model, config, path, finding)
        with self._lock:
            stale = [k for k in self._fixes if k[0] == key and k[1] != version]
            for k in stale:
                del self._fixes[k]
            self._fixes[cache_key] = good
        return good

    def fix_all(self, key: str, version: int, text: str, path: str, config: Config,
                analysis=None, safeties=frozenset({SAFE}), split=None) -> FixAllResult:
        cache_key = (key, version, config, safeties)
        with self._lock:
            cached = self._fix_all.get(cache_key)
        if cached is not None:
            return cached
        model = self.model(key, text, version, split)
        result = fix_all(self.engine, text, path, config, safeties, model=model,
                         analysis=analysis)
        with self._lock:
            for k in [k for k in self._fix_all if k[0] == key]:
                del self._fix_all[k]
            self._fix_all[cache_key] = result
        return result

    def prepare(self, key: str, text: str, version: int, split=None) -> None:
        """Build the document's model in the background (ignored once shut down)."""
        try:
            self.executor.submit(self.model, key, text, version, split)
        except RuntimeError:
            pass

    def forget(self, key: str) -> None:
        with self._lock:
            self._models.pop(key, None)
            self._versions.pop(key, None)
            for cache in (self._fixes, self._fix_all):
                for k in [k for k in cache if k[0] == key]:
                    del cache[k]

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

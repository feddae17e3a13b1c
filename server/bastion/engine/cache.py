"""A small bounded map for per-unit results.

Reads are plain dict look-ups (atomic under the GIL, no lock, no reordering): the engine does
two per unit per keystroke. When the map is full, the older half is dropped in insertion order.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LRU(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self._size = size
        self._data: dict[K, V] = {}
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        return self._data.get(key)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = value
            if len(self._data) > self._size:
                for old in list(self._data)[: self._size // 2]:
                    del self._data[old]

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)

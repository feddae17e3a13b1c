"""The advisory index is parsed once per file version, however many threads ask for it at once
(the language server's analysis and its advisory-age hint both do when a manifest is opened)."""

from __future__ import annotations

import shutil
import threading
import time

from bastion.deps import store
from bastion.deps.location import current_path


def test_threads_asking_at_once_share_one_parse(tmp_path, monkeypatch):
    path = tmp_path / "advisories.json.gz"
    shutil.copyfile(current_path(), path)
    parses = []
    real = store.index_module.loads

    def slow_loads(data):
        parses.append(threading.current_thread().name)
        time.sleep(0.2)  # the other thread asks while this one parses
        return real(data)

    monkeypatch.setattr(store.index_module, "loads", slow_loads)
    results = []
    threads = [threading.Thread(target=lambda: results.append(store.load(path))) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(parses) == 1
    assert len(results) == 3 and all(result is results[0] for result in results)
    assert store.load(path) is results[0]

"""The language server reads a changed pyproject.toml off the event loop
(`SettingsStore.config_for_async`), with the same settings and messages as `config_for`."""

from __future__ import annotations

import asyncio
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from tests.unit.test_config import PYPROJECT

from bastion.lsp import settings
from bastion.lsp.settings import SettingsStore


@pytest.mark.parametrize("text", [PYPROJECT, "[tool.bastion\nseverity = 1\n", '[project]\nname = "x"\n'])
def test_read_off_the_loop_with_config_fors_answer(tmp_path, monkeypatch, text):
    path = tmp_path / "pyproject.toml"
    path.write_text(text)
    document = str(tmp_path / "app.py")
    readers = []
    real = settings.load_pyproject

    def recorded(where):
        readers.append(threading.current_thread())
        return real(where)

    monkeypatch.setattr(settings, "load_pyproject", recorded)
    store, executor = SettingsStore(), ThreadPoolExecutor(max_workers=1)

    async def main():
        loop = asyncio.get_running_loop()

        def run(function, *args):
            return loop.run_in_executor(executor, function, *args)
        first = await store.config_for_async(document, run)
        again = await store.config_for_async(document, run)
        return first, again

    (config, messages), again = asyncio.run(main())
    executor.shutdown()
    assert len(readers) == 1 and readers[0] is not threading.main_thread()
    expected = SettingsStore().config_for(document)
    assert (config, messages) == expected
    assert again == (config, [])  # read once per modification time, said once
    os.utime(path, ns=(1, 1))
    assert store.config_for(document) == expected  # a new time: read again (on the caller)

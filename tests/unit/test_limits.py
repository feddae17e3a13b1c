"""The documented limits (bastion.limits) are the ones the readers and the engine apply."""

from __future__ import annotations

import pytest

from bastion import files, limits


def test_the_cli_reader_uses_the_shared_size_cap():
    assert files.MAX_BYTES == limits.MAX_FILE_BYTES == 8 * 1024 * 1024


def test_a_file_one_byte_over_the_cap_is_refused_with_the_reason(tmp_path):
    big = tmp_path / "big.py"
    big.write_bytes(b"#" * (limits.MAX_FILE_BYTES + 1))
    with pytest.raises(files.TooLarge, match=r"^over 8 MiB \(8193 KiB; limit 8192 KiB\)$"):
        files.read_source(big)
    at_cap = tmp_path / "at_cap.py"
    at_cap.write_bytes(b"#" * limits.MAX_FILE_BYTES)
    assert files.read_source(at_cap).size == limits.MAX_FILE_BYTES
